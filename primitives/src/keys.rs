//! BabyJubJub keys and the model-delivery cipher.
//!
//! The curve is ark-ed-on-bn254 (BabyJubJub in the reduced twisted Edwards form `x² + y² = 1 + d·x²·y²`,
//! base field = the BN254 scalar field, prime-order subgroup of order `l ≈ 2^251`, cofactor 8). Keys are
//! `pk = sk · G` with `G` the library's prime-order generator. Coordinates are not circomlib's
//! `(a = 168700)` form: convert with `x_circom = x / sqrt(168700)` if you need to.
//!
//! Delivery: with `shared = sk_competitor · pk_organizer = sk_organizer · pk_competitor` (ECDH) and a fresh
//! public `nonce`, parameter `i` is sent as `ct_i = v_i + Poseidon(shared.x, shared.y, nonce, i)`. Each
//! ciphertext element is masked by a pseudo-random key that depends on the secret shared point, so no public
//! value is a function of a plaintext value alone (the prototype published `MiMC(v_i)`, which brute-forces).
use crate::poseidon;
use alloc::vec::Vec;
use ark_bn254::Fr;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ed_on_bn254::EdwardsAffine;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

/// A secret key: a scalar of BabyJubJub's prime-order subgroup.
pub use ark_ed_on_bn254::Fr as SecretScalar;

/// Bits the circuit uses for a competitor secret key (`l < 2^252`).
pub const SECRET_KEY_BITS: usize = 252;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Not 32 bytes of a compressed point on the curve.
    Malformed,
    /// On the curve but outside the prime-order subgroup, or the identity.
    NotInSubgroup,
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Malformed => f.write_str("public key is not a compressed BabyJubJub point"),
            Self::NotInSubgroup => f.write_str("public key is the identity or outside the prime-order subgroup"),
        }
    }
}

/// A validated public key: on the curve, in the prime-order subgroup, not the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(EdwardsAffine);

impl PublicKey {
    pub fn from_secret(sk: &SecretScalar) -> Self {
        Self((EdwardsAffine::generator() * sk).into_affine())
    }

    pub fn from_point(p: EdwardsAffine) -> Result<Self, KeyError> {
        if !p.is_on_curve() {
            return Err(KeyError::Malformed);
        }
        if p.is_zero() || !p.is_in_correct_subgroup_assuming_on_curve() {
            return Err(KeyError::NotInSubgroup);
        }
        Ok(Self(p))
    }

    /// 32-byte arkworks compressed encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        self.0.serialize_compressed(&mut out[..]).expect("a compressed BabyJubJub point is 32 bytes");
        out
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        let p = EdwardsAffine::deserialize_compressed_unchecked(&bytes[..]).map_err(|_| KeyError::Malformed)?;
        Self::from_point(p)
    }

    pub fn point(&self) -> EdwardsAffine {
        self.0
    }

    /// `(x, y)` as the public inputs carry them.
    pub fn coordinates(&self) -> [Fr; 2] {
        [self.0.x, self.0.y]
    }
}

/// The ECDH shared point `sk · pk`.
pub fn shared_point(sk: &SecretScalar, pk: &PublicKey) -> EdwardsAffine {
    (pk.0 * sk).into_affine()
}

/// Keystream element `i`: `Poseidon(shared.x, shared.y, nonce, i)`.
pub fn keystream(shared: &EdwardsAffine, nonce: Fr, index: usize) -> Fr {
    poseidon::hash4([shared.x, shared.y, nonce, Fr::from(index as u64)])
}

/// `ct_i = v_i + keystream(i)`.
pub fn encrypt(plaintext: &[Fr], shared: &EdwardsAffine, nonce: Fr) -> Vec<Fr> {
    plaintext.iter().enumerate().map(|(i, v)| *v + keystream(shared, nonce, i)).collect()
}

/// `v_i = ct_i - keystream(i)`.
pub fn decrypt(ciphertext: &[Fr], shared: &EdwardsAffine, nonce: Fr) -> Vec<Fr> {
    ciphertext.iter().enumerate().map(|(i, c)| *c - keystream(shared, nonce, i)).collect()
}

/// A uniformly random nonzero secret scalar.
pub fn random_secret<R: ark_std::rand::Rng + ?Sized>(rng: &mut R) -> SecretScalar {
    use ark_ff::{UniformRand, Zero};
    loop {
        let s = SecretScalar::rand(rng);
        if !s.is_zero() {
            return s;
        }
    }
}

/// A secret scalar from 32 bytes (reduced mod `l`); rejects zero.
pub fn secret_from_bytes(bytes: &[u8; 32]) -> Option<SecretScalar> {
    use ark_ff::{PrimeField, Zero};
    let s = SecretScalar::from_le_bytes_mod_order(bytes);
    (!s.is_zero()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{PrimeField, UniformRand, Zero};

    #[test]
    fn generator_has_prime_order() {
        let g = EdwardsAffine::generator();
        assert!(g.mul_bigint(SecretScalar::MODULUS).is_zero());
        assert!(SecretScalar::MODULUS_BIT_SIZE as usize <= SECRET_KEY_BITS);
    }

    #[test]
    fn ecdh_agrees_and_cipher_round_trips() {
        let mut rng = ark_std::test_rng();
        let (a, b) = (SecretScalar::rand(&mut rng), SecretScalar::rand(&mut rng));
        let (pa, pb) = (PublicKey::from_secret(&a), PublicKey::from_secret(&b));
        let s = shared_point(&a, &pb);
        assert_eq!(s, shared_point(&b, &pa));
        let v: Vec<Fr> = (0..5u64).map(Fr::from).collect();
        let nonce = Fr::rand(&mut rng);
        let ct = encrypt(&v, &s, nonce);
        assert_eq!(decrypt(&ct, &s, nonce), v);
        // Equal plaintexts encrypt to different ciphertexts (position-keyed).
        let same = encrypt(&[Fr::from(3u64), Fr::from(3u64)], &s, nonce);
        assert_ne!(same[0], same[1]);
    }

    #[test]
    fn key_bytes_validated() {
        let pk = PublicKey::from_secret(&SecretScalar::from(5u64));
        assert_eq!(PublicKey::from_bytes(&pk.to_bytes()), Ok(pk));
        assert!(PublicKey::from_bytes(&[0xff; 32]).is_err());
        // A point of small order (on the curve, outside the subgroup) is refused.
        let small = EdwardsAffine::new_unchecked(Fr::from(0u64), -Fr::from(1u64));
        assert_eq!(PublicKey::from_point(small), Err(KeyError::NotInSubgroup));
        assert_eq!(PublicKey::from_point(EdwardsAffine::zero()), Err(KeyError::NotInSubgroup));
    }
}
