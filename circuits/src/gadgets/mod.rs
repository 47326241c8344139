//! Gadgets: small constraint systems with one job each. Every module states its cost and its soundness
//! argument beside the code, and has tests that play a malicious witness against it.
pub mod argmax;
pub mod babyjubjub;
pub mod compare;
pub mod poseidon;
pub mod range;
pub mod rescale;
pub mod select;
pub mod tree_path;
