//! zkml circuits: the R1CS builder, the gadgets, the model kinds and the claim statement they are composed
//! into, and the one implementation of quantized arithmetic the simulator and the witness share.
//!
//! - [`r1cs`], [`signal`]: a lean constraint builder (matrices in ark-groth16's layout) and the
//!   linear-combination-with-value every gadget passes around;
//! - [`gadgets`]: range checks and packing, Poseidon, BabyJubJub;
//! - [`inference`]: each model kind's forward pass on integers (linear, MLP);
//! - [`claim`]: the claim statement (dataset hash, metric under a cap, model delivered encrypted, payee and
//!   context bound); its public-input layout lives in `zkml_primitives::claim`;
//! - [`quant`]: quantization of datasets and models, and the exact integer metric the circuit proves.
//!
//! The `zkml` binary (commands, chain and IPFS clients, proving and key files) builds on this crate; a model
//! kind is added here without touching it.
pub mod claim;
pub mod gadgets;
pub mod inference;
pub mod models;
pub mod quant;
pub mod r1cs;
pub mod signal;

pub use claim::{BuildError, ClaimAssignment, ClaimCircuit, Sections, WitnessOverrides};
