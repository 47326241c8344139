//! The quantized dataset: fixed-point conventions, bit widths, packing and the dataset hash.
//!
//! Fixed point (all scales are powers of two, so every product below is an exact integer):
//! - `X[i][j]` is stored as `x_q = round(X[i][j] · 2^fx_j)` with a per-column exponent `fx_j`;
//! - `Y[i][k]` as `y_q = round(Y[i][k] · 2^fy)`;
//! - the residual scale is `F = fy + Y_SHIFT`, so the model is `W[j][k]` at `2^(F - fx_j)` and `b[k]` at `2^F`,
//!   and the residual `r = y_q·2^Y_SHIFT - Σ_j x_q·w_q - b_q` is an exact integer at scale `2^F`.
//!
//! Bit widths (signed two's-complement ranges `[-2^(k-1), 2^(k-1))`) are protocol constants: the circuit
//! range-checks every value against them, and the overflow argument in the circuit relies on them.
//!
//! The dataset hash is [`crate::poseidon::chain`] under [`DATASET_DOMAIN`] over
//! `[m, p, n, fy, fx_0, …, fx_{p-1}, X words…, Y words…]`, where the words pack the offset values
//! `u = v + 2^(k-1)` (so `0 ≤ u < 2^k`) little-endian, `253 / k` values per word, row-major, X then Y, the last
//! word of each tensor zero-filled. Packing is unambiguous because every `u` is below `2^k` and a word holds
//! fewer than 254 bits.
use crate::{encoding::fr_from_i128, poseidon};
use alloc::vec::Vec;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};

/// Bits of a quantized X value: `x_q ∈ [-2^14, 2^14)`.
pub const X_BITS: u32 = 15;
/// Bits of a quantized Y value (before the shift): `y_q ∈ [-2^23, 2^23)`.
pub const Y_BITS: u32 = 24;
/// Bits of a quantized weight: `w_q ∈ [-2^47, 2^47)`.
pub const W_BITS: u32 = 48;
/// Bits of a quantized bias: `b_q ∈ [-2^63, 2^63)`.
pub const B_BITS: u32 = 64;
/// Extra fractional bits of the residual scale over Y's: `F = fy + Y_SHIFT`. They give W its precision.
pub const Y_SHIFT: u32 = 16;
/// The SSE cap is a `u128`; the circuit proves `cap - SSE ∈ [0, 2^128)`.
pub const SSE_CAP_BITS: u32 = 128;
/// Largest supported number of features (bounds the residual; see the circuit's overflow argument).
pub const MAX_FEATURES: u32 = 1 << 16;
/// Largest supported `m · n` (bounds the SSE).
pub const MAX_RESIDUALS: u64 = 1 << 40;
/// Bits a packed word may use: 253 < log2(r), so a word never wraps the field.
pub const WORD_BITS: u32 = 253;

pub const DATASET_DOMAIN: &str = "zkml/dataset/v1";

/// `[-2^(bits-1), 2^(bits-1) - 1]`.
pub const fn signed_range(bits: u32) -> (i128, i128) {
    (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
}

pub const fn values_per_word(bits: u32) -> usize {
    (WORD_BITS / bits) as usize
}

pub const fn words_for(count: usize, bits: u32) -> usize {
    count.div_ceil(values_per_word(bits))
}

/// Rows × features × outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    pub m: u32,
    pub p: u32,
    pub n: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatasetError {
    /// A dimension is zero or beyond [`MAX_FEATURES`] / [`MAX_RESIDUALS`].
    UnsupportedShape,
    /// A slice does not have the length the shape requires.
    LengthMismatch { what: &'static str, expected: usize, got: usize },
    /// A quantized value does not fit its bit width.
    OutOfRange { what: &'static str, index: usize, value: i64, bits: u32 },
}

impl core::fmt::Display for DatasetError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::UnsupportedShape => write!(
                f,
                "unsupported shape: m, p, n must be positive, p ≤ {MAX_FEATURES} and m·n ≤ {MAX_RESIDUALS}"
            ),
            Self::LengthMismatch { what, expected, got } => {
                write!(f, "{what} has {got} values, the shape needs {expected}")
            }
            Self::OutOfRange { what, index, value, bits } => {
                write!(f, "{what}[{index}] = {value} does not fit a signed {bits}-bit range")
            }
        }
    }
}

/// Shape arithmetic is done in `u64` (each product of two `u32` fits) and checked, because the runtime is a
/// 32-bit Wasm program where `usize` products of user-supplied dimensions wrap: `(m=1, p=255, n=2^24)` has
/// `p·n + n = 2^32` parameters, which is 0 in 32-bit `usize`. [`Shape::validate`] bounds every derived count by
/// [`MAX_COUNT`], so after it the `usize` helpers are exact on 32-bit targets too; before it they saturate
/// instead of wrapping.
pub const MAX_COUNT: u64 = u32::MAX as u64;

fn saturating_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

impl Shape {
    pub fn validate(&self) -> Result<(), DatasetError> {
        let within = |v: Option<u64>| v.is_some_and(|v| v <= MAX_COUNT);
        let ok = self.m > 0
            && self.p > 0
            && self.n > 0
            && self.p <= MAX_FEATURES
            && (self.m as u64) * (self.n as u64) <= MAX_RESIDUALS
            && within(Some(self.x_count()))
            && within(Some(self.y_count()))
            && within(self.params_count())
            && within(self.dataset_elements_count());
        ok.then_some(()).ok_or(DatasetError::UnsupportedShape)
    }
    /// `m · p`.
    pub fn x_count(&self) -> u64 {
        self.m as u64 * self.p as u64
    }
    /// `m · n`.
    pub fn y_count(&self) -> u64 {
        self.m as u64 * self.n as u64
    }
    /// Number of model parameters `p · n + n` (W then b), i.e. ciphertext length; `None` if it overflows `u64`
    /// (it cannot for `u32` dimensions, but the sum is checked rather than argued).
    pub fn params_count(&self) -> Option<u64> {
        (self.p as u64 * self.n as u64).checked_add(self.n as u64)
    }
    /// Dataset elements `m · (p + n)`.
    pub fn dataset_elements_count(&self) -> Option<u64> {
        self.x_count().checked_add(self.y_count())
    }
    pub fn x_len(&self) -> usize {
        saturating_usize(self.x_count())
    }
    pub fn y_len(&self) -> usize {
        saturating_usize(self.y_count())
    }
    pub fn w_len(&self) -> usize {
        saturating_usize(self.p as u64 * self.n as u64)
    }
    /// Number of model parameters (W then b), i.e. ciphertext length.
    pub fn params_len(&self) -> usize {
        saturating_usize(self.params_count().unwrap_or(u64::MAX))
    }
    /// Dataset elements: `m · (p + n)`.
    pub fn dataset_elements(&self) -> usize {
        saturating_usize(self.dataset_elements_count().unwrap_or(u64::MAX))
    }
}

/// The power-of-two exponents of a dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scales {
    /// `fx_j`, one per feature column.
    pub x_frac_bits: Vec<i32>,
    /// `fy`.
    pub y_frac_bits: i32,
}

impl Scales {
    /// `F = fy + Y_SHIFT`: the scale of residuals, of `b`, and of `x·w`.
    pub fn residual_frac_bits(&self) -> i32 {
        self.y_frac_bits + Y_SHIFT as i32
    }
    /// `F - fx_j`: the scale of weights of feature `j`.
    pub fn w_frac_bits(&self, j: usize) -> i32 {
        self.residual_frac_bits() - self.x_frac_bits[j]
    }
}

/// Checks `values` against a signed `bits` range.
pub fn check_range(what: &'static str, values: &[i64], bits: u32) -> Result<(), DatasetError> {
    let (lo, hi) = signed_range(bits);
    match values.iter().position(|&v| (v as i128) < lo || (v as i128) > hi) {
        Some(index) => Err(DatasetError::OutOfRange { what, index, value: values[index], bits }),
        None => Ok(()),
    }
}

/// Packs signed values (already range-checked) into field words as described in the module docs.
pub fn pack(values: &[i64], bits: u32) -> Vec<Fr> {
    let offset = 1i128 << (bits - 1);
    let shift = Fr::from(2u64).pow([bits as u64]);
    values
        .chunks(values_per_word(bits))
        .map(|chunk| {
            chunk.iter().rev().fold(Fr::ZERO, |acc, &v| acc * shift + Fr::from((v as i128 + offset) as u128))
        })
        .collect()
}

/// Whether `word` (a canonical field element's little-endian bytes) is a valid packing of `values` offset
/// values of `bits` bits each: nothing set at or above bit `values · bits`. Checked on the bytes, so it costs
/// nothing but a scan; together with the word count this is what makes a packed tensor unpack to in-range
/// values (see [`unpack`]).
pub fn packed_word_fits(word: &[u8; 32], values: usize, bits: u32) -> bool {
    let used = values as u64 * bits as u64;
    if used >= 256 {
        return true;
    }
    let (full, rest) = ((used / 8) as usize, (used % 8) as u32);
    let partial_ok = rest == 0 || word[full] >> rest == 0;
    let start = full + usize::from(rest != 0);
    partial_ok && word[start..].iter().all(|b| *b == 0)
}

/// Why packed words are not a tensor of the expected size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnpackError {
    /// The number of words is not `words_for(count, bits)`.
    WordCount { expected: usize, got: usize },
    /// Word `index` has bits set beyond its values (or is not a canonical field element).
    WordOverflow { index: usize },
}

impl core::fmt::Display for UnpackError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::WordCount { expected, got } => write!(f, "{got} packed words, the shape needs {expected}"),
            Self::WordOverflow { index } => write!(f, "packed word {index} has bits set beyond its values"),
        }
    }
}

/// Checks that `words` pack exactly `count` values of `bits` bits: the right number of words, each a valid
/// packing ([`packed_word_fits`]; the last word holds the remainder).
pub fn check_packed(words: &[[u8; 32]], count: usize, bits: u32) -> Result<(), UnpackError> {
    let expected = words_for(count, bits);
    if words.len() != expected {
        return Err(UnpackError::WordCount { expected, got: words.len() });
    }
    let per = values_per_word(bits);
    for (index, w) in words.iter().enumerate() {
        let values = if index + 1 == expected { count - index * per } else { per };
        if !packed_word_fits(w, values, bits) {
            return Err(UnpackError::WordOverflow { index });
        }
    }
    Ok(())
}

/// Inverse of [`pack`]: the `count` signed values in `words` (little-endian bytes). Every value it returns is
/// in the signed `bits` range, so [`pack`] of the result gives the same words.
pub fn unpack(words: &[[u8; 32]], count: usize, bits: u32) -> Result<Vec<i64>, UnpackError> {
    check_packed(words, count, bits)?;
    let per = values_per_word(bits);
    let offset = 1i128 << (bits - 1);
    let mut out = Vec::with_capacity(count);
    for w in words {
        // Read the word as a 256-bit little-endian integer and peel `bits` at a time.
        let mut limbs = [0u64; 4];
        for (i, l) in limbs.iter_mut().enumerate() {
            *l = u64::from_le_bytes(w[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        }
        for k in 0..per {
            if out.len() == count {
                break;
            }
            let at = k as u32 * bits;
            let (limb, shift) = ((at / 64) as usize, at % 64);
            let mut v = (limbs[limb] >> shift) as u128;
            if shift + bits > 64 && limb + 1 < 4 {
                v |= (limbs[limb + 1] as u128) << (64 - shift);
            }
            let u = v & ((1u128 << bits) - 1);
            out.push((u as i128 - offset) as i64);
        }
    }
    Ok(out)
}

/// The dataset hash from already packed words (what a revealed test set carries): the same value as
/// [`dataset_hash`] of the unpacked values, computed without unpacking. The caller checks the words with
/// [`check_packed`] first.
pub fn dataset_hash_from_words(shape: &Shape, scales: &Scales, x_words: &[Fr], y_words: &[Fr]) -> Result<Fr, DatasetError> {
    shape.validate()?;
    if scales.x_frac_bits.len() != shape.p as usize {
        return Err(DatasetError::LengthMismatch { what: "x_frac_bits", expected: shape.p as usize, got: scales.x_frac_bits.len() });
    }
    let mut e = Vec::with_capacity(4 + scales.x_frac_bits.len() + x_words.len() + y_words.len());
    e.extend([shape.m, shape.p, shape.n].map(|d| Fr::from(d as u64)));
    e.push(fr_from_i128(scales.y_frac_bits as i128));
    e.extend(scales.x_frac_bits.iter().map(|&f| fr_from_i128(f as i128)));
    e.extend_from_slice(x_words);
    e.extend_from_slice(y_words);
    Ok(poseidon::chain(crate::encoding::domain_tag(DATASET_DOMAIN), &e))
}

/// The elements the dataset hash absorbs (see module docs).
pub fn hash_preimage(shape: &Shape, scales: &Scales, x_q: &[i64], y_q: &[i64]) -> Result<Vec<Fr>, DatasetError> {
    shape.validate()?;
    let expect = |what, expected: usize, got: usize| {
        (expected == got).then_some(()).ok_or(DatasetError::LengthMismatch { what, expected, got })
    };
    expect("X", shape.x_len(), x_q.len())?;
    expect("Y", shape.y_len(), y_q.len())?;
    expect("x_frac_bits", shape.p as usize, scales.x_frac_bits.len())?;
    check_range("X", x_q, X_BITS)?;
    check_range("Y", y_q, Y_BITS)?;
    let mut e = Vec::with_capacity(4 + scales.x_frac_bits.len() + words_for(x_q.len(), X_BITS) + words_for(y_q.len(), Y_BITS));
    e.extend([shape.m, shape.p, shape.n].map(|d| Fr::from(d as u64)));
    e.push(fr_from_i128(scales.y_frac_bits as i128));
    e.extend(scales.x_frac_bits.iter().map(|&f| fr_from_i128(f as i128)));
    e.extend(pack(x_q, X_BITS));
    e.extend(pack(y_q, Y_BITS));
    Ok(e)
}

/// The dataset hash registered on chain.
pub fn dataset_hash(shape: &Shape, scales: &Scales, x_q: &[i64], y_q: &[i64]) -> Result<Fr, DatasetError> {
    Ok(poseidon::chain(crate::encoding::domain_tag(DATASET_DOMAIN), &hash_preimage(shape, scales, x_q, y_q)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn parameter_counts_that_wrap_32_bit_usize_are_refused() {
        // In the runtime's 32-bit Wasm, `p·n + n` in usize is 0 for this shape (the review's example).
        let shape = Shape { m: 1, p: 255, n: 1 << 24 };
        assert_eq!(255u32.wrapping_mul(1 << 24).wrapping_add(1 << 24), 0);
        assert_eq!(shape.params_count(), Some(1 << 32));
        assert_eq!(shape.validate(), Err(DatasetError::UnsupportedShape));
        // Every count at the u32 limits is computed exactly.
        let big = Shape { m: u32::MAX, p: MAX_FEATURES, n: u32::MAX };
        assert_eq!(big.x_count(), u32::MAX as u64 * MAX_FEATURES as u64);
        assert_eq!(big.params_count(), Some(MAX_FEATURES as u64 * u32::MAX as u64 + u32::MAX as u64));
        assert_eq!(big.validate(), Err(DatasetError::UnsupportedShape));
        assert!(Shape { m: 6955, p: 67, n: 1 }.validate().is_ok());
    }

    fn small() -> (Shape, Scales, Vec<i64>, Vec<i64>) {
        let shape = Shape { m: 3, p: 2, n: 1 };
        let scales = Scales { x_frac_bits: vec![10, 12], y_frac_bits: 8 };
        (shape, scales, vec![1, -2, 3, -4, 16383, -16384], vec![7, -8, 8_388_607])
    }

    #[test]
    fn packing_is_offset_little_endian() {
        let w = pack(&[-16384, 16383, 0], X_BITS);
        assert_eq!(w.len(), 1);
        let expected = Fr::from(0u64) + Fr::from(32767u64) * Fr::from(1u64 << 15) + Fr::from(16384u64) * Fr::from(1u64 << 30);
        assert_eq!(w[0], expected);
        assert_eq!(values_per_word(X_BITS), 16);
        assert_eq!(values_per_word(Y_BITS), 10);
    }

    #[test]
    fn hash_binds_every_value_and_scale() {
        let (shape, scales, x, y) = small();
        let h = dataset_hash(&shape, &scales, &x, &y).unwrap();
        let mut x2 = x.clone();
        x2[3] += 1;
        assert_ne!(h, dataset_hash(&shape, &scales, &x2, &y).unwrap());
        let mut y2 = y.clone();
        y2[0] -= 1;
        assert_ne!(h, dataset_hash(&shape, &scales, &x, &y2).unwrap());
        let mut s2 = scales.clone();
        s2.x_frac_bits[1] += 1;
        assert_ne!(h, dataset_hash(&shape, &s2, &x, &y).unwrap());
    }

    #[test]
    fn unpack_inverts_pack_and_refuses_overflowing_words() {
        use crate::encoding::fr_to_bytes;
        let (shape, scales, x, y) = small();
        let xw: Vec<[u8; 32]> = pack(&x, X_BITS).iter().map(fr_to_bytes).collect();
        let yw: Vec<[u8; 32]> = pack(&y, Y_BITS).iter().map(fr_to_bytes).collect();
        assert_eq!(unpack(&xw, x.len(), X_BITS).unwrap(), x);
        assert_eq!(unpack(&yw, y.len(), Y_BITS).unwrap(), y);
        let long: Vec<i64> = (0..37).map(|i| (i * 997 % 32768) - 16384).collect();
        let lw: Vec<[u8; 32]> = pack(&long, X_BITS).iter().map(fr_to_bytes).collect();
        assert_eq!(unpack(&lw, long.len(), X_BITS).unwrap(), long);
        let words = |v: &[[u8; 32]]| v.iter().map(|b| crate::encoding::fr_from_bytes(b).unwrap()).collect::<Vec<_>>();
        assert_eq!(
            dataset_hash_from_words(&shape, &scales, &words(&xw), &words(&yw)).unwrap(),
            dataset_hash(&shape, &scales, &x, &y).unwrap()
        );
        // A bit beyond the last value of a word: a packing no in-range tensor has.
        let mut bad = xw.clone();
        bad[0][(6 * X_BITS as usize) / 8 + 1] |= 1;
        assert_eq!(unpack(&bad, x.len(), X_BITS), Err(UnpackError::WordOverflow { index: 0 }));
        let mut bad = lw.clone();
        bad[0][31] = 1; // a full word uses 240 bits
        assert_eq!(check_packed(&bad, long.len(), X_BITS), Err(UnpackError::WordOverflow { index: 0 }));
        assert_eq!(check_packed(&lw[..2], long.len(), X_BITS), Err(UnpackError::WordCount { expected: 3, got: 2 }));
        assert!(packed_word_fits(&[0xff; 32], 18, X_BITS) && !packed_word_fits(&[0xff; 32], 16, X_BITS));
    }

    #[test]
    fn rejects_out_of_range_and_bad_lengths() {
        let (shape, scales, mut x, y) = small();
        x[5] = -16385;
        assert!(matches!(dataset_hash(&shape, &scales, &x, &y), Err(DatasetError::OutOfRange { what: "X", index: 5, .. })));
        assert!(matches!(dataset_hash(&shape, &scales, &x[..4], &y), Err(DatasetError::LengthMismatch { .. })));
        assert_eq!(Shape { m: 0, p: 1, n: 1 }.validate(), Err(DatasetError::UnsupportedShape));
    }
}
