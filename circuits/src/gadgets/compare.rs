//! Non-negativity and equality over the integers.
//!
//! # Soundness
//! [`enforce_unsigned`] allocates `k < 253` booleans (`b · b = b`) and one row `Σ 2^i b_i = v`. The sum is an
//! integer in `[0, 2^k)` that cannot wrap the field, so `v` must be the field image of such an integer. A
//! caller that knows `v` is the image of an integer `t` with `|t| < 2^252` (every value here is bounded far
//! below that by the bit widths) learns `t ∈ [0, 2^k)`: a negative `t` is the field element `r − |t| > 2^252`,
//! which no `k`-bit sum reaches. That is the whole comparison argument: `a ≥ b` is `a − b ∈ [0, 2^k)`.
//!
//! [`is_equal`] returns `e` with `e · (a − b) = 0` and `(a − b) · inv = 1 − e`. If `a = b` the second row
//! forces `e = 1`; if `a ≠ b` the first forces `e = 0` (and `inv = (a − b)⁻¹` satisfies the second). So `e` is
//! the boolean `[a = b]` for every witness: no choice of `inv` changes it.
use crate::{
    r1cs::{R1cs, R1csError, ONE},
    signal::{boolean, witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField, Zero};

/// The low `bits` bits of `value`: the honest decomposition of an in-range value, and garbage otherwise (which
/// the linking row then rejects).
fn low_bits(value: Option<Fr>, bits: u32) -> Vec<Option<bool>> {
    match value {
        Some(v) => v.into_bigint().to_bits_le().into_iter().take(bits as usize).map(Some).collect(),
        None => vec![None; bits as usize],
    }
}

/// Proves `value ∈ [0, 2^bits)` (`bits + 1` constraints) and returns its bits, least significant first.
pub fn enforce_unsigned(cs: &mut R1cs, value: &Signal, bits: u32) -> Result<Vec<Signal>, R1csError> {
    assert!(bits < 253, "a range check must not reach the field size");
    let mut sum = Vec::with_capacity(bits as usize);
    let mut out = Vec::with_capacity(bits as usize);
    let mut coeff = Fr::ONE;
    for bit in low_bits(value.value, bits) {
        let b = boolean(cs, bit)?;
        sum.push((coeff, b.lc[0].1));
        out.push(b);
        coeff.double_in_place();
    }
    cs.enforce(&sum, &vec![(Fr::ONE, ONE)], &value.lc);
    Ok(out)
}

/// `[a = b]` as a boolean signal (2 constraints).
pub fn is_equal(cs: &mut R1cs, a: &Signal, b: &Signal) -> Result<Signal, R1csError> {
    is_equal_forced(cs, a, b, None)
}

/// [`is_equal`] with the flag and inverse a malicious prover chooses (`forced`), for soundness tests.
pub fn is_equal_forced(cs: &mut R1cs, a: &Signal, b: &Signal, forced: Option<(Fr, Fr)>) -> Result<Signal, R1csError> {
    let diff = a.clone().add_scaled(-Fr::ONE, b);
    let honest_eq = diff.value.map(|d| Fr::from(d.is_zero()));
    let honest_inv = diff.value.map(|d| d.inverse().unwrap_or(Fr::ZERO));
    let eq = witness(cs, forced.map(|f| f.0).or(honest_eq))?;
    let inv = witness(cs, forced.map(|f| f.1).or(honest_inv))?;
    cs.enforce(&eq.lc, &diff.lc, &Vec::new());
    let one_minus_eq = Signal::constant(Fr::ONE).add_scaled(-Fr::ONE, &eq);
    cs.enforce(&diff.lc, &inv.lc, &one_minus_eq.lc);
    Ok(eq)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::witness;
    use zkml_primitives::encoding::fr_from_i128;

    fn unsigned_ok(v: i128, bits: u32) -> bool {
        let mut cs = R1cs::new(true);
        let s = witness(&mut cs, Some(fr_from_i128(v))).unwrap();
        enforce_unsigned(&mut cs, &s, bits).unwrap();
        let built = cs.finish();
        assert_eq!(built.matrices.num_constraints, bits as usize + 1);
        built.unsatisfied().is_empty()
    }

    #[test]
    fn unsigned_range_accepts_exactly_the_range() {
        assert!(unsigned_ok(0, 8));
        assert!(unsigned_ok(255, 8));
        assert!(!unsigned_ok(256, 8));
        assert!(!unsigned_ok(-1, 8));
        assert!(!unsigned_ok(-(1 << 100), 80));
    }

    #[test]
    fn negative_value_has_no_bits_even_chosen_by_hand() {
        // A malicious prover picks the bits freely: all 2^8 patterns for −1 over 8 bits fail the linking row.
        for pattern in 0u32..256 {
            let mut cs = R1cs::new(true);
            let v = witness(&mut cs, Some(-Fr::ONE)).unwrap();
            let mut sum = Vec::new();
            for i in 0..8 {
                let b = boolean(&mut cs, Some(pattern >> i & 1 == 1)).unwrap();
                sum.push((Fr::from(1u64 << i), b.lc[0].1));
            }
            cs.enforce(&sum, &vec![(Fr::ONE, ONE)], &v.lc);
            assert!(!cs.finish().unsatisfied().is_empty(), "pattern {pattern}");
        }
    }

    #[test]
    fn equality_flag_cannot_be_chosen() {
        for (a, b) in [(3u64, 3u64), (3, 4)] {
            // Honest.
            let mut cs = R1cs::new(true);
            let (x, y) = (witness(&mut cs, Some(Fr::from(a))).unwrap(), witness(&mut cs, Some(Fr::from(b))).unwrap());
            let eq = is_equal(&mut cs, &x, &y).unwrap();
            assert_eq!(eq.value, Some(Fr::from(a == b)));
            assert!(cs.finish().unsatisfied().is_empty());
            // Malicious: the opposite flag with every candidate inverse the prover might try.
            let wrong = Fr::from(a != b);
            for inv in [Fr::ZERO, Fr::ONE, (Fr::from(a) - Fr::from(b)).inverse().unwrap_or(Fr::ONE)] {
                let mut cs = R1cs::new(true);
                let (x, y) = (witness(&mut cs, Some(Fr::from(a))).unwrap(), witness(&mut cs, Some(Fr::from(b))).unwrap());
                is_equal_forced(&mut cs, &x, &y, Some((wrong, inv))).unwrap();
                assert!(!cs.finish().unsatisfied().is_empty(), "a={a} b={b}");
            }
        }
    }
}
