//! Groth16 (BN254) proofs and verifying keys as bytes, and claim verification.
//!
//! Encoding is arkworks' canonical *compressed* serialization (proof: 128 bytes). Decoding validates every
//! point (on curve, in the right subgroup) and rejects trailing bytes, so one proof has one encoding and
//! malformed bytes are an error, never a panic.
use crate::claim::{ClaimStatement, NUM_PUBLIC_INPUTS};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

pub use ark_groth16::{PreparedVerifyingKey, Proof, VerifyingKey};

/// Size of a compressed proof.
pub const PROOF_BYTES: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Groth16Error {
    MalformedProof,
    MalformedVerifyingKey,
    /// The key was made for a different number of public inputs.
    WrongInputCount { expected: usize, got: usize },
    /// Well-formed, but the pairing check fails.
    InvalidProof,
}

impl core::fmt::Display for Groth16Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::MalformedProof => f.write_str("proof bytes are not a valid compressed Groth16 proof"),
            Self::MalformedVerifyingKey => f.write_str("verifying-key bytes are not a valid compressed Groth16 key"),
            Self::WrongInputCount { expected, got } => {
                write!(f, "verifying key expects {got} public inputs, claims have {expected}")
            }
            Self::InvalidProof => f.write_str("proof does not verify against these public inputs"),
        }
    }
}

fn decode_exact<T: CanonicalDeserialize>(mut bytes: &[u8]) -> Option<T> {
    let v = T::deserialize_compressed(&mut bytes).ok()?;
    bytes.is_empty().then_some(v)
}

pub fn encode_proof(proof: &Proof<Bn254>) -> Vec<u8> {
    let mut out = Vec::with_capacity(PROOF_BYTES);
    proof.serialize_compressed(&mut out).expect("writing to a Vec cannot fail");
    out
}

pub fn decode_proof(bytes: &[u8]) -> Result<Proof<Bn254>, Groth16Error> {
    decode_exact(bytes).ok_or(Groth16Error::MalformedProof)
}

pub fn encode_verifying_key(vk: &VerifyingKey<Bn254>) -> Vec<u8> {
    let mut out = Vec::new();
    vk.serialize_compressed(&mut out).expect("writing to a Vec cannot fail");
    out
}

/// Decodes and checks that the key serves the claim layout.
pub fn decode_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<Bn254>, Groth16Error> {
    let vk: VerifyingKey<Bn254> = decode_exact(bytes).ok_or(Groth16Error::MalformedVerifyingKey)?;
    let got = vk.gamma_abc_g1.len().saturating_sub(1);
    if got != NUM_PUBLIC_INPUTS {
        return Err(Groth16Error::WrongInputCount { expected: NUM_PUBLIC_INPUTS, got });
    }
    Ok(vk)
}

pub fn prepare(vk: &VerifyingKey<Bn254>) -> PreparedVerifyingKey<Bn254> {
    ark_groth16::prepare_verifying_key(vk)
}

/// Verifies `proof` for raw public inputs.
pub fn verify_inputs(
    pvk: &PreparedVerifyingKey<Bn254>,
    proof: &Proof<Bn254>,
    inputs: &[Fr; NUM_PUBLIC_INPUTS],
) -> Result<(), Groth16Error> {
    match ark_groth16::Groth16::<Bn254>::verify_proof(pvk, proof, inputs) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Groth16Error::InvalidProof),
        Err(_) => Err(Groth16Error::WrongInputCount {
            expected: NUM_PUBLIC_INPUTS,
            got: pvk.vk.gamma_abc_g1.len().saturating_sub(1),
        }),
    }
}

/// Verifies a claim from bytes: what the chain does with a submitted proof.
pub fn verify_claim(vk_bytes: &[u8], proof_bytes: &[u8], statement: &ClaimStatement) -> Result<(), Groth16Error> {
    let vk = decode_verifying_key(vk_bytes)?;
    let proof = decode_proof(proof_bytes)?;
    verify_inputs(&prepare(&vk), &proof, &statement.public_inputs())
}
