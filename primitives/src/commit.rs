//! The claim commitment of the commit–reveal protocol (see the bounty pallet's docs): a competitor first
//! publishes `claim_commitment(bounty, proof, payee, salt)`, which locks the bounty against cancellation, and
//! reveals the claim afterwards. Both the pallet and the CLI compute it here.
//!
//! The preimage is the SCALE encoding of the tuple `(b"zkml/commit/v1", bounty: u64, proof: &[u8], payee,
//! salt: [u8; 32])`; it is written out by hand so this crate needs no codec, and the pallet's tests check it
//! against `parity-scale-codec`.

use alloc::vec::Vec;
use blake2::{digest::consts::U32, Blake2b, Digest};

pub const COMMIT_DOMAIN: &[u8; 14] = b"zkml/commit/v1";

/// The SCALE-encoded preimage. `payee_encoded` is the payee account's SCALE encoding (an `AccountId32` is its
/// 32 bytes). Proofs are at most 128 bytes, but any length below 2^30 is encoded correctly.
pub fn commitment_preimage(bounty: u64, proof: &[u8], payee_encoded: &[u8], salt: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(COMMIT_DOMAIN.len() + 8 + 4 + proof.len() + payee_encoded.len() + 32);
    out.extend_from_slice(COMMIT_DOMAIN);
    out.extend_from_slice(&bounty.to_le_bytes());
    let len = proof.len() as u32;
    match len {
        0..=0x3f => out.push((len << 2) as u8),
        0x40..=0x3fff => out.extend_from_slice(&(((len << 2) | 1) as u16).to_le_bytes()),
        _ => out.extend_from_slice(&((len << 2) | 2).to_le_bytes()),
    }
    out.extend_from_slice(proof);
    out.extend_from_slice(payee_encoded);
    out.extend_from_slice(salt);
    out
}

/// `blake2_256` (BLAKE2b with a 32-byte output, as Substrate's hashing) of [`commitment_preimage`].
pub fn claim_commitment(bounty: u64, proof: &[u8], payee_encoded: &[u8], salt: &[u8; 32]) -> [u8; 32] {
    Blake2b::<U32>::digest(commitment_preimage(bounty, proof, payee_encoded, salt)).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_length_prefix() {
        let salt = [7u8; 32];
        assert_eq!(commitment_preimage(1, &[9; 3], &[], &salt)[22], 3 << 2);
        let p = commitment_preimage(1, &[9; 128], &[], &salt);
        assert_eq!(&p[22..24], &[0x01, 0x02]); // 128 << 2 | 1 = 513
    }

    #[test]
    fn blake2_256_vector() {
        // blake2_256(b"") as Substrate computes it.
        let h: [u8; 32] = Blake2b::<U32>::digest(b"").into();
        assert_eq!(h[..4], [0x0e, 0x57, 0x51, 0xc0]);
    }
}
