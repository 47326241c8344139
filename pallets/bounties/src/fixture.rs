//! A real claim (dataset, verifying key, bounty terms, proof, envelope) for the benchmarks, which run in the
//! runtime where no prover exists. `src/benchmark_fixture.bin` holds its SCALE encoding, written by the
//! prover in `tests::regenerate_benchmark_fixture`; the proof is for bounty 0 and payee [`FIXTURE_PAYEE`], and a second proof scores the same envelope in
//! competition 0.
use crate::pallet::{DatasetShape, FieldBytes};
use alloc::vec::Vec;
use codec::{Decode, Encode};

/// `[1, 0, …, 0]`: an `AccountId32`, and what a `u64` account 1 maps to (see `account_bytes`).
pub const FIXTURE_PAYEE: [u8; 32] = {
    let mut a = [0u8; 32];
    a[0] = 1;
    a
};

#[derive(Encode, Decode)]
pub struct Fixture {
    pub dataset: FieldBytes,
    pub shape: DatasetShape,
    pub x_frac_bits: Vec<i8>,
    pub y_frac_bits: i8,
    pub verifying_key: Vec<u8>,
    pub issuer_key: [u8; 32],
    pub sse_cap: u128,
    pub proof: Vec<u8>,
    pub ciphertext: Vec<FieldBytes>,
    pub competitor_key: [u8; 32],
    pub nonce: FieldBytes,
    /// A proof for competition 0 (context `2^63`) with the same envelope as its commitment, the fixture's
    /// dataset as test (and validation) set, score `sse_cap` and payee [`FIXTURE_PAYEE`].
    pub competition_proof: Vec<u8>,
}
