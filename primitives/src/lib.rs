//! Everything the zkml prover and the zkml chain must agree on, in one `no_std` crate so they cannot drift:
//!
//! - [`poseidon`]: circomlib Poseidon (BN254, x^5) and the chaining mode used for long inputs;
//! - [`encoding`]: field encoding of signed integers, accounts, ids and byte strings;
//! - [`dataset`]: fixed-point conventions, bit widths, packing and the dataset hash;
//! - [`keys`]: BabyJubJub keys (ark-ed-on-bn254), ECDH and the Poseidon stream cipher for model delivery;
//! - [`model`]: model kinds (task, architecture, parameter layout, bit widths) a key is registered for;
//! - [`claim`]: the claim statement and its public-input layout;
//! - [`competition`]: competitions: commitments, the context input, revealed test sets;
//! - [`groth16`]: canonical (compressed) proof / verifying-key serialization and verification.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod claim;
pub mod competition;
pub mod dataset;
pub mod encoding;
pub mod groth16;
pub mod keys;
pub mod model;
pub mod poseidon;

pub use ark_bn254::{Bn254, Fr};
