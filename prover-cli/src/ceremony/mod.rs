//! Multi-party Groth16 setup for the claim circuit, in the snarkjs file formats.
//!
//! Whoever knows a Groth16 key's setup secrets can prove anything with it. A ceremony splits those secrets
//! among contributors — phase 1 (powers of tau: τ, α, β, circuit-independent) and phase 2 (δ, per circuit)
//! — so the key is sound if one contributor of each phase was honest; a competitor who contributes to both
//! phases needs to trust nobody. The files are snarkjs' `.ptau` and `.zkey`, so a transcript can also be
//! checked with `snarkjs powersoftau verify` / `snarkjs zkey verify`, and a public powers-of-tau file can
//! serve as phase 1. The arithmetic is `snarkrs_ceremony` (a Rust implementation of snarkjs' ceremony on
//! arkworks); the tests hold it against snarkjs itself.
//!
//! - [`r1cs_file`]: the claim circuit as an iden3 `.r1cs`, the circuit a phase-2 key is derived from.
//! - [`steps`]: new, contribute, beacon, prepare, phase-2 init — one call each.
//! - [`zkey`]: a `.zkey` as an arkworks proving key; [`reduction`]: the QAP layout such keys are proven with.
//! - [`transcript`]: checking the files against the chain's record of the ceremony.
pub mod r1cs_file;
pub mod reduction;
pub mod steps;
pub mod transcript;
pub mod zkey;

pub use transcript::{ContributionHash, ExpectedTranscript, VerifiedTranscript};
