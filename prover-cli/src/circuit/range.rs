//! Range checks by bit decomposition, and packing of range-checked values into field words.
//!
//! # Soundness
//! Each bit `b` is constrained by `b · b = b`, which over a field holds only for `b ∈ {0, 1}`. A value
//! reconstructed as `u = Σ 2^i · b_i` over `k < 254` bits is then an integer in `[0, 2^k)` that cannot wrap the
//! field, and `v = u - 2^(k-1)` is the unique field encoding of an integer in `[-2^(k-1), 2^(k-1))`. Values
//! produced this way are range-checked by construction: no assignment can make them anything else. Packing
//! `s` such offsets of `k` bits with `s · k ≤ 253` into `Σ u_j · 2^(k·j)` is injective for the same reason,
//! so a hash of the words binds every value.
use super::signal::{witness, Signal};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
use zkml_primitives::dataset::values_per_word;

/// A value proven to lie in a signed `bits`-bit range.
#[derive(Clone, Debug)]
pub struct RangeChecked {
    /// `v = u - 2^(bits-1)`.
    pub value: Signal,
    /// `u = Σ 2^i b_i ∈ [0, 2^bits)`, the form that is packed.
    pub offset: Signal,
}

/// The low `bits` bits of `value + 2^(bits-1)`: the honest decomposition, or garbage for a value out of range
/// (which the constraints then reject).
fn offset_bits(value: Option<Fr>, bits: u32) -> Vec<Option<bool>> {
    match value {
        Some(v) => {
            let u = (v + Fr::from(2u64).pow([(bits - 1) as u64])).into_bigint().to_bits_le();
            u.into_iter().take(bits as usize).map(Some).collect()
        }
        None => vec![None; bits as usize],
    }
}

/// Allocates `bits` boolean witnesses for `value` (`bits` constraints) and returns the value they encode.
/// The returned value *is* the bit sum: nothing else constrains it to `value`.
pub fn signed_bits(cs: &ConstraintSystemRef<Fr>, value: Option<Fr>, bits: u32) -> Result<RangeChecked, SynthesisError> {
    let mut offset = LinearCombination(Vec::with_capacity(bits as usize));
    let mut coeff = Fr::ONE;
    for bit in offset_bits(value, bits) {
        let b = cs.new_witness_variable(|| bit.map(Fr::from).ok_or(SynthesisError::AssignmentMissing))?;
        cs.enforce_constraint(
            LinearCombination(vec![(Fr::ONE, b)]),
            LinearCombination(vec![(Fr::ONE, b)]),
            LinearCombination(vec![(Fr::ONE, b)]),
        )?;
        offset.0.push((coeff, b));
        coeff.double_in_place();
    }
    let half = Fr::from(2u64).pow([(bits - 1) as u64]);
    let offset = Signal { lc: offset, value: value.map(|v| v + half) };
    let value = offset.clone().add_constant(-half);
    Ok(RangeChecked { value, offset })
}

/// Allocates `value` as a variable and proves it lies in the signed `bits` range (`bits + 1` constraints).
pub fn range_checked_variable(
    cs: &ConstraintSystemRef<Fr>,
    value: Option<Fr>,
    bits: u32,
) -> Result<Signal, SynthesisError> {
    let var = witness(cs, value)?;
    let checked = signed_bits(cs, value, bits)?;
    super::signal::enforce_equal(cs, &var, &checked.value)?;
    Ok(var)
}

/// Packs range-checked offsets (all of `bits` bits) into words, `values_per_word(bits)` per word, each word
/// allocated as a variable with one constraint (so the long bit sum appears in one row only).
pub fn pack_words(cs: &ConstraintSystemRef<Fr>, offsets: &[Signal], bits: u32) -> Result<Vec<Signal>, SynthesisError> {
    let shift = Fr::from(2u64).pow([bits as u64]);
    offsets
        .chunks(values_per_word(bits))
        .map(|chunk| {
            let mut sum = Signal::constant(Fr::from(0u64));
            let mut coeff = Fr::ONE;
            for u in chunk {
                sum = sum.add_scaled(coeff, u);
                coeff *= shift;
            }
            let word = witness(cs, sum.value)?;
            cs.enforce_constraint(sum.lc, LinearCombination(vec![(Fr::ONE, Variable::One)]), word.lc.clone())?;
            Ok(word)
        })
        .collect()
}
