//! Range checks by bit decomposition, and packing of range-checked values into field words.
//!
//! # Soundness
//! Each bit `b` is constrained by `b · b = b`, which over a field holds only for `b ∈ {0, 1}`. A value
//! reconstructed as `u = Σ 2^i · b_i` over `k < 254` bits is then an integer in `[0, 2^k)` that cannot wrap the
//! field, and `v = u − 2^(k−1)` is the unique field encoding of an integer in `[−2^(k−1), 2^(k−1))`. Values
//! produced this way are range-checked by construction: no assignment can make them anything else. Packing
//! `s` such offsets of `k` bits with `s · k ≤ 253` into `Σ u_j · 2^(k·j)` is injective for the same reason,
//! so a hash of the words binds every value.
use crate::{
    r1cs::{R1cs, R1csError, ONE},
    signal::{boolean, enforce_equal, witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use zkml_primitives::dataset::values_per_word;

fn pow2(bits: u32) -> Fr {
    Fr::from(2u64).pow([bits as u64])
}

/// The low `bits` bits of `value + 2^(bits−1)`: the honest decomposition, or garbage for a value out of range
/// (which the constraints then reject).
fn offset_bits(value: Option<Fr>, bits: u32) -> Vec<Option<bool>> {
    match value {
        Some(v) => (v + pow2(bits - 1)).into_bigint().to_bits_le().into_iter().take(bits as usize).map(Some).collect(),
        None => vec![None; bits as usize],
    }
}

/// Allocates `bits` booleans for `value` (`bits` constraints) and returns the *offset* `u = Σ 2^i b_i`; the
/// value they encode is `u − 2^(bits−1)` ([`offset_to_value`]). Nothing else ties them to `value`: it only
/// supplies the honest bits.
pub fn signed_bits(cs: &mut R1cs, value: Option<Fr>, bits: u32) -> Result<Signal, R1csError> {
    let mut offset = Signal { lc: Vec::with_capacity(bits as usize), value: value.map(|v| v + pow2(bits - 1)) };
    let mut coeff = Fr::ONE;
    for bit in offset_bits(value, bits) {
        let b = boolean(cs, bit)?;
        offset.lc.push((coeff, b.lc[0].1));
        coeff.double_in_place();
    }
    Ok(offset)
}

/// `v = u − 2^(bits−1)`.
pub fn offset_to_value(offset: &Signal, bits: u32) -> Signal {
    offset.clone().add_constant(-pow2(bits - 1))
}

/// Allocates `value` as a variable and proves it lies in the signed `bits` range (`bits + 1` constraints).
pub fn range_checked_variable(cs: &mut R1cs, value: Option<Fr>, bits: u32) -> Result<Signal, R1csError> {
    let var = witness(cs, value)?;
    let offset = signed_bits(cs, value, bits)?;
    enforce_equal(cs, &var, &offset_to_value(&offset, bits));
    Ok(var)
}

/// Packs range-checked offsets (all of `bits` bits) into words, `values_per_word(bits)` per word, each word
/// allocated as a variable with one constraint (so the long bit sum appears in one row only).
pub fn pack_words(cs: &mut R1cs, offsets: &[Signal], bits: u32) -> Result<Vec<Signal>, R1csError> {
    let shift = pow2(bits);
    offsets
        .chunks(values_per_word(bits))
        .map(|chunk| {
            let mut sum = Signal::constant(Fr::ZERO);
            let mut coeff = Fr::ONE;
            for u in chunk {
                sum = sum.add_scaled(coeff, u);
                coeff *= shift;
            }
            let word = witness(cs, sum.value)?;
            cs.enforce(&sum.lc, &vec![(Fr::ONE, ONE)], &word.lc);
            Ok(word)
        })
        .collect()
}
