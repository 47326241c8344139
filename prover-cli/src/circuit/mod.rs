//! The claim circuit and the gadgets it is composed of. Each gadget module states its cost and its soundness
//! argument beside the code.
pub mod babyjubjub;
pub mod claim;
pub mod poseidon;
pub mod r1cs;
pub mod range;
pub mod signal;

pub use claim::{BuildError, ClaimAssignment, ClaimCircuit, Sections, WitnessOverrides};
