//! Groth16 (BN254) proofs and verifying keys as bytes, and claim verification.
//!
//! Encoding is arkworks' canonical *compressed* serialization (proof: [`PROOF_BYTES`], claim verifying key:
//! [`VERIFYING_KEY_BYTES`]). Decoding validates every point (on curve, in the right subgroup) and rejects
//! trailing bytes, so one proof has one encoding and malformed bytes are an error, never a panic.
//!
//! Untrusted lengths: a verifying key carries a `u64` length prefix for its `gamma_abc_g1` vector, and
//! arkworks calls `Vec::with_capacity(prefix)` before reading a single element, so a 232-byte key claiming
//! 2^58 elements aborts the process ("capacity overflow"; a trap in the runtime's Wasm). Keys are therefore
//! checked here first: exactly [`VERIFYING_KEY_BYTES`] long with the prefix equal to
//! `NUM_PUBLIC_INPUTS + 1`, so arkworks only ever allocates what the claim layout needs. Proofs have no
//! length field (three fixed-size points).
use crate::claim::{ClaimStatement, NUM_PUBLIC_INPUTS};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

pub use ark_groth16::{PreparedVerifyingKey, Proof, VerifyingKey};

/// Size of a compressed proof: A (G1, 32) + B (G2, 64) + C (G1, 32).
pub const PROOF_BYTES: usize = 128;

/// Offset of the `gamma_abc_g1` length prefix in a compressed key: after alpha (G1), beta, gamma, delta (G2).
pub const VERIFYING_KEY_PREFIX_OFFSET: usize = 32 + 3 * 64;

/// Size of a compressed verifying key for the claim layout: the four fixed points, the `u64` length prefix,
/// and `NUM_PUBLIC_INPUTS + 1` G1 points.
pub const VERIFYING_KEY_BYTES: usize = VERIFYING_KEY_PREFIX_OFFSET + 8 + (NUM_PUBLIC_INPUTS + 1) * 32;

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
    if bytes.len() != PROOF_BYTES {
        return Err(Groth16Error::MalformedProof);
    }
    decode_exact(bytes).ok_or(Groth16Error::MalformedProof)
}

pub fn encode_verifying_key(vk: &VerifyingKey<Bn254>) -> Vec<u8> {
    let mut out = Vec::new();
    vk.serialize_compressed(&mut out).expect("writing to a Vec cannot fail");
    out
}

/// Decodes and checks that the key serves the claim layout. The size and the length prefix are checked
/// before arkworks sees the bytes (see the module docs), so no input makes it allocate more than a claim key.
pub fn decode_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<Bn254>, Groth16Error> {
    let prefix_bytes =
        bytes.get(VERIFYING_KEY_PREFIX_OFFSET..VERIFYING_KEY_PREFIX_OFFSET + 8).ok_or(Groth16Error::MalformedVerifyingKey)?;
    let prefix = u64::from_le_bytes(prefix_bytes.try_into().map_err(|_| Groth16Error::MalformedVerifyingKey)?);
    if prefix != (NUM_PUBLIC_INPUTS + 1) as u64 {
        // A well-formed key for another circuit says so; anything else is malformed.
        let plausible = prefix
            .checked_mul(32)
            .and_then(|points| points.checked_add(VERIFYING_KEY_PREFIX_OFFSET as u64 + 8))
            .is_some_and(|len| len == bytes.len() as u64);
        return Err(if plausible && prefix > 0 {
            Groth16Error::WrongInputCount { expected: NUM_PUBLIC_INPUTS, got: (prefix - 1) as usize }
        } else {
            Groth16Error::MalformedVerifyingKey
        });
    }
    if bytes.len() != VERIFYING_KEY_BYTES {
        return Err(Groth16Error::MalformedVerifyingKey);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The attack from the security review: the fixed points of a key (any bytes: arkworks allocates before it
    /// reads them) followed by a huge `gamma_abc_g1` length and nothing else.
    fn key_with_prefix(prefix: u64, total_len: usize) -> Vec<u8> {
        let mut key = alloc::vec![0u8; VERIFYING_KEY_PREFIX_OFFSET];
        key.extend_from_slice(&prefix.to_le_bytes());
        key.resize(total_len.max(key.len()), 0);
        key
    }

    #[test]
    fn crafted_length_prefixes_are_errors_not_aborts() {
        assert_eq!(VERIFYING_KEY_BYTES, 520);
        for prefix in [1u64 << 58, 1 << 40, u64::MAX, (NUM_PUBLIC_INPUTS as u64 + 1) << 32] {
            assert_eq!(decode_verifying_key(&key_with_prefix(prefix, 232)), Err(Groth16Error::MalformedVerifyingKey));
            assert_eq!(
                decode_verifying_key(&key_with_prefix(prefix, VERIFYING_KEY_BYTES)),
                Err(Groth16Error::MalformedVerifyingKey)
            );
        }
        // The right prefix with the wrong total size, or garbage points of the right size.
        let right = (NUM_PUBLIC_INPUTS + 1) as u64;
        assert_eq!(decode_verifying_key(&key_with_prefix(right, 232)), Err(Groth16Error::MalformedVerifyingKey));
        assert_eq!(decode_verifying_key(&key_with_prefix(right, VERIFYING_KEY_BYTES + 32)), Err(Groth16Error::MalformedVerifyingKey));
        assert_eq!(decode_verifying_key(&key_with_prefix(right, VERIFYING_KEY_BYTES)), Err(Groth16Error::MalformedVerifyingKey));
        assert_eq!(decode_verifying_key(&[]), Err(Groth16Error::MalformedVerifyingKey));
    }
}
