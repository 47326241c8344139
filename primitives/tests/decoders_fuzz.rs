//! Property-based fuzzing of every decoder the runtime runs on user bytes: Groth16 proofs and verifying keys,
//! BabyJubJub public keys, field elements, dataset shapes, and a whole claim verification. Each must return
//! a value or an error for any input, never panic, abort or allocate from an untrusted length.
//!
//! Inputs are both arbitrary bytes and valid encodings with bytes flipped, length prefixes replaced and
//! lengths changed (the structure a fuzzer would otherwise take long to find). The number of cases is fixed
//! (`PROPTEST_CASES` overrides it), so CI runs it in bounded time.
use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::CurveGroup;
use ark_ff::UniformRand;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use proptest::prelude::*;
use zkml_primitives::{
    claim::{ClaimStatement, NUM_PUBLIC_INPUTS},
    dataset::{Shape, MAX_COUNT},
    encoding::{fr_from_bytes, fr_to_bytes},
    groth16::{self, Proof, VerifyingKey, PROOF_BYTES, VERIFYING_KEY_BYTES, VERIFYING_KEY_PREFIX_OFFSET},
    keys::{PublicKey, SecretScalar},
};

fn valid_key() -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(1);
    let vk = VerifyingKey::<Bn254> {
        alpha_g1: G1Projective::rand(&mut rng).into_affine(),
        beta_g2: G2Projective::rand(&mut rng).into_affine(),
        gamma_g2: G2Projective::rand(&mut rng).into_affine(),
        delta_g2: G2Projective::rand(&mut rng).into_affine(),
        gamma_abc_g1: (0..=NUM_PUBLIC_INPUTS).map(|_| G1Projective::rand(&mut rng).into_affine()).collect(),
    };
    groth16::encode_verifying_key(&vk)
}

fn valid_proof() -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(2);
    groth16::encode_proof(&Proof::<Bn254> {
        a: G1Projective::rand(&mut rng).into_affine(),
        b: G2Projective::rand(&mut rng).into_affine(),
        c: G1Projective::rand(&mut rng).into_affine(),
    })
}

fn statement() -> ClaimStatement {
    ClaimStatement {
        dataset_hash: Fr::from(7u64),
        sse_cap: 1000,
        payee: [3; 32],
        bounty_id: 1,
        organizer_pk: PublicKey::from_secret(&SecretScalar::from(11u64)),
        envelope_hash: Fr::from(9u64),
    }
}

/// A valid encoding with some bytes replaced and the length changed.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    (prop::collection::vec((0..len, any::<u8>()), 0..8), -40i64..40).prop_map(move |(edits, delta)| {
        let mut v = base.clone();
        for (i, b) in edits {
            v[i] = b;
        }
        v.resize((len as i64 + delta).max(0) as usize, 0);
        v
    })
}

/// A valid key whose `gamma_abc_g1` length prefix says anything, at any total length.
fn key_with_any_prefix() -> impl Strategy<Value = Vec<u8>> {
    (any::<u64>(), prop_oneof![Just(232usize), Just(VERIFYING_KEY_BYTES), 0usize..1200]).prop_map(|(prefix, len)| {
        let mut v = valid_key();
        v[VERIFYING_KEY_PREFIX_OFFSET..VERIFYING_KEY_PREFIX_OFFSET + 8].copy_from_slice(&prefix.to_le_bytes());
        v.resize(len, 0);
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn verifying_key_decoder_never_panics(key in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..1200),
        mutated(valid_key()),
        key_with_any_prefix(),
    ]) {
        if let Ok(vk) = groth16::decode_verifying_key(&key) {
            prop_assert_eq!(key.len(), VERIFYING_KEY_BYTES);
            prop_assert_eq!(vk.gamma_abc_g1.len(), NUM_PUBLIC_INPUTS + 1);
        }
    }

    #[test]
    fn proof_decoder_never_panics(proof in prop_oneof![prop::collection::vec(any::<u8>(), 0..300), mutated(valid_proof())]) {
        if groth16::decode_proof(&proof).is_ok() {
            prop_assert_eq!(proof.len(), PROOF_BYTES);
        }
    }

    #[test]
    fn claim_verification_never_panics(
        key in prop_oneof![Just(valid_key()), mutated(valid_key()), key_with_any_prefix()],
        proof in prop_oneof![Just(valid_proof()), mutated(valid_proof())],
    ) {
        // Random points are not a proof for this statement: never accepted, never a panic.
        prop_assert!(groth16::verify_claim(&key, &proof, &statement()).is_err());
    }

    #[test]
    fn public_key_decoder_never_panics(bytes in prop_oneof![
        any::<[u8; 32]>(),
        any::<(u64, usize, u8)>().prop_map(|(sk, i, b)| {
            let mut v = PublicKey::from_secret(&SecretScalar::from(sk.max(1))).to_bytes();
            v[i % 32] ^= b;
            v
        }),
    ]) {
        if let Ok(pk) = PublicKey::from_bytes(&bytes) {
            prop_assert_eq!(pk.to_bytes(), bytes);
        }
    }

    #[test]
    fn field_element_decoder_accepts_exactly_canonical_bytes(bytes in any::<[u8; 32]>()) {
        match fr_from_bytes(&bytes) {
            Ok(f) => prop_assert_eq!(fr_to_bytes(&f), bytes),
            Err(_) => prop_assert!(bytes[31] >= 0x30, "a value below 2^253 is always canonical"),
        }
    }

    #[test]
    fn shape_arithmetic_never_wraps(m in any::<u32>(), p in any::<u32>(), n in any::<u32>()) {
        let shape = Shape { m, p, n };
        let params = p as u128 * n as u128 + n as u128;
        prop_assert_eq!(shape.params_count().map(u128::from), Some(params));
        if shape.validate().is_ok() {
            prop_assert!(params <= MAX_COUNT as u128);
            prop_assert_eq!(shape.params_len() as u128, params);
            prop_assert_eq!(shape.dataset_elements() as u128, m as u128 * (p as u128 + n as u128));
            // What a 32-bit runtime computes with the same operations.
            prop_assert_eq!(p.wrapping_mul(n).wrapping_add(n) as u128, params);
        }
    }
}
