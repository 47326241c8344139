//! How protocol values become BN254 scalar-field elements, and field elements become bytes.
//!
//! - A field element travels as its canonical 32-byte little-endian representation; bytes that are not a
//!   canonical encoding (value ≥ the modulus) are rejected, so every element has exactly one encoding.
//! - Signed integers are field negatives: `-v` is `r - v`. [`fr_to_i128`] inverts this for values whose
//!   magnitude is below 2^127.
//! - A 32-byte account id does not fit the field, so it is two public inputs: the low and the high 16 bytes,
//!   each read as a little-endian `u128`.
//! - Domain tags are ASCII strings of at most 31 bytes read little-endian.
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};

/// Error for bytes that are not a canonical field element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NonCanonicalFieldElement;

impl core::fmt::Display for NonCanonicalFieldElement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("bytes are not a canonical BN254 scalar-field element (value >= modulus)")
    }
}

pub fn fr_to_bytes(f: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&f.into_bigint().to_bytes_le());
    out
}

pub fn fr_from_bytes(bytes: &[u8; 32]) -> Result<Fr, NonCanonicalFieldElement> {
    let f = Fr::from_le_bytes_mod_order(bytes);
    if fr_to_bytes(&f) == *bytes {
        Ok(f)
    } else {
        Err(NonCanonicalFieldElement)
    }
}

pub fn fr_from_i128(v: i128) -> Fr {
    if v >= 0 {
        Fr::from(v as u128)
    } else {
        -Fr::from(v.unsigned_abs())
    }
}

/// The signed integer `v` with `|v| < 2^127` that `f` encodes, if any.
pub fn fr_to_i128(f: &Fr) -> Option<i128> {
    let small = |x: &Fr| -> Option<u128> {
        let b = x.into_bigint();
        let l = b.as_ref();
        (l[2] == 0 && l[3] == 0 && l[1] >> 63 == 0).then(|| (l[0] as u128) | ((l[1] as u128) << 64))
    };
    if let Some(v) = small(f) {
        return Some(v as i128);
    }
    small(&-*f).map(|v| -(v as i128))
}

/// The two public inputs that carry a 32-byte account id: `(low 16 bytes, high 16 bytes)` as LE `u128`s.
pub fn account_to_fields(account: &[u8; 32]) -> [Fr; 2] {
    let mut lo = [0u8; 16];
    let mut hi = [0u8; 16];
    lo.copy_from_slice(&account[..16]);
    hi.copy_from_slice(&account[16..]);
    [Fr::from(u128::from_le_bytes(lo)), Fr::from(u128::from_le_bytes(hi))]
}

/// A domain tag: the ASCII bytes of `tag` (at most 31) as a little-endian integer.
pub const fn domain_tag_bytes(tag: &str) -> [u8; 32] {
    let b = tag.as_bytes();
    assert!(b.len() <= 31, "domain tags are at most 31 bytes");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < b.len() {
        out[i] = b[i];
        i += 1;
    }
    out
}

pub fn domain_tag(tag: &str) -> Fr {
    Fr::from_le_bytes_mod_order(&domain_tag_bytes(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_round_trip() {
        for v in [0i128, 1, -1, 12345, -(1 << 100), (1i128 << 126), i128::MIN + 1, i128::MAX] {
            assert_eq!(fr_to_i128(&fr_from_i128(v)), Some(v));
        }
        assert_eq!(fr_to_i128(&(Fr::from(u128::MAX) * Fr::from(7u64))), None);
    }

    #[test]
    fn non_canonical_rejected() {
        let mut modulus = [0u8; 32];
        modulus.copy_from_slice(&Fr::MODULUS.to_bytes_le());
        assert_eq!(fr_from_bytes(&modulus), Err(NonCanonicalFieldElement));
        assert_eq!(fr_from_bytes(&[0xff; 32]), Err(NonCanonicalFieldElement));
        let seven = fr_to_bytes(&Fr::from(7u64));
        assert_eq!(fr_from_bytes(&seven), Ok(Fr::from(7u64)));
    }

    #[test]
    fn accounts_split_into_halves() {
        let mut a = [0u8; 32];
        a[0] = 1;
        a[16] = 2;
        assert_eq!(account_to_fields(&a), [Fr::from(1u64), Fr::from(2u64)]);
    }
}
