//! ReLU followed by fixed-point rescaling: `a = ⌊max(z, 0) / d⌋` with a private divisor `d`.
//!
//! Cost for a pre-activation of `Z` signed bits, an activation of `A` bits and a divisor of `D` bits:
//! `Z + 1` (sign), `1` (ReLU), `A + 1` (activation range), `1` (`a·d`), `2·(D + 1)` (remainder):
//! `Z + A + 2D + 6`.
//!
//! # Soundness (the prototype's division hole is the counter-example)
//! The prototype constrained only `z = q·d + r`, which holds for *every* `q` with `r = z − q·d`: the quotient
//! was free. Here, over the integers:
//! 1. `z` is decomposed into `Z` bits, so it is an integer in `[−2^(Z−1), 2^(Z−1))`, and the top bit of its
//!    offset `z + 2^(Z−1)` is `s = [z ≥ 0]`; `ReLU(z) = z · s` (one product) is `max(z, 0)`.
//! 2. `a ∈ [0, 2^A)` by bits; `d` is a range-checked parameter (`|d| < 2^(D−1)`).
//! 3. `r = ReLU(z) − a·d` is then an integer of magnitude below `2^(Z−1) + 2^(A+D−1) < 2^252`, and the circuit
//!    proves `r ∈ [0, 2^D)` and `d − 1 − r ∈ [0, 2^D)` ([`super::compare`]): so `0 ≤ r < d` (hence `d ≥ 1`).
//! 4. `ReLU(z) = a·d + r` with `0 ≤ r < d` is Euclidean division: `a = ⌊ReLU(z)/d⌋`, the only value that passes.
//!    A quotient one too small leaves `r ≥ d` (rejected by the second check), one too large leaves `r < 0`
//!    (rejected by the first).
use crate::{
    gadgets::{
        compare::enforce_unsigned,
        range::{offset_to_value, signed_bits},
    },
    r1cs::{R1cs, R1csError},
    signal::{enforce_equal, mul, witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::{BigInteger, Field, PrimeField};
use zkml_primitives::encoding::{fr_from_i128, fr_to_i128};

/// `⌊max(z, 0) / d⌋` on integers (`d ≥ 1`); the one definition the quantized model and the witness share.
pub fn relu_div(z: i128, d: i128) -> i128 {
    if z <= 0 {
        0
    } else {
        z.div_euclid(d)
    }
}

/// `a = ⌊max(z, 0) / d⌋` for a pre-activation of magnitude below `2^(z_bits − 1)`.
pub fn relu_rescale(cs: &mut R1cs, z: &Signal, d: &Signal, z_bits: u32, act_bits: u32, div_bits: u32) -> Result<Signal, R1csError> {
    relu_rescale_forced(cs, z, d, z_bits, act_bits, div_bits, None)
}

/// [`relu_rescale`] with the quotient a malicious prover chooses (`forced`), for soundness tests.
pub fn relu_rescale_forced(
    cs: &mut R1cs,
    z: &Signal,
    d: &Signal,
    z_bits: u32,
    act_bits: u32,
    div_bits: u32,
    forced: Option<Fr>,
) -> Result<Signal, R1csError> {
    let offset = signed_bits(cs, z.value, z_bits)?;
    enforce_equal(cs, z, &offset_to_value(&offset, z_bits));
    let (top_coeff, top_var) = offset.lc[z_bits as usize - 1];
    debug_assert_eq!(top_coeff, Fr::from(2u64).pow([(z_bits - 1) as u64]));
    let sign = Signal::variable(top_var, offset.value.map(|u| Fr::from(u.into_bigint().get_bit(z_bits as usize - 1))));
    let relu = mul(cs, z, &sign)?;
    let honest = z.value.zip(d.value).and_then(|(z, d)| {
        let (z, d) = (fr_to_i128(&z)?, fr_to_i128(&d)?);
        (d >= 1).then(|| fr_from_i128(relu_div(z, d)))
    });
    let a = witness(cs, forced.or(honest).or(z.value.map(|_| Fr::from(0u64))))?;
    enforce_unsigned(cs, &a, act_bits)?;
    let ad = mul(cs, &a, d)?;
    let r = relu.add_scaled(-Fr::ONE, &ad);
    enforce_unsigned(cs, &r, div_bits)?;
    let slack = d.clone().add_constant(-Fr::ONE).add_scaled(-Fr::ONE, &r);
    enforce_unsigned(cs, &slack, div_bits)?;
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: u32 = 40;
    const A: u32 = 12;
    const D: u32 = 20;

    fn run(z: i128, d: i128, forced: Option<i128>) -> (bool, Option<Fr>) {
        let mut cs = R1cs::new(true);
        let zs = witness(&mut cs, Some(fr_from_i128(z))).unwrap();
        let ds = witness(&mut cs, Some(fr_from_i128(d))).unwrap();
        let a = relu_rescale_forced(&mut cs, &zs, &ds, Z, A, D, forced.map(fr_from_i128)).unwrap();
        (cs.finish().unsatisfied().is_empty(), a.value)
    }

    #[test]
    fn honest_quotients() {
        for (z, d) in [(1000i128, 7i128), (7, 7), (6, 7), (0, 3), (-1000, 7), (-(1 << 38), 1), ((1 << 18) - 1, 64)] {
            let (ok, a) = run(z, d, None);
            assert!(ok, "z={z} d={d}");
            assert_eq!(a, Some(fr_from_i128(relu_div(z, d))));
        }
    }

    #[test]
    fn the_prototypes_division_hole_is_closed() {
        // z = q·d + r holds for q ± 1 with r ∓ d; both are rejected, as is any other quotient.
        for (z, d) in [(1000i128, 7i128), (1 << 20, 1 << 10), (5, 2)] {
            let q = relu_div(z, d);
            for wrong in [q - 1, q + 1, q + 1000, 0, -1] {
                if wrong != q {
                    assert!(!run(z, d, Some(wrong)).0, "z={z} d={d} q={wrong}");
                }
            }
        }
        // ReLU cannot be skipped: a negative pre-activation gives 0, not its (negative) quotient.
        assert!(!run(-700, 7, Some(-100)).0);
        assert!(!run(-700, 7, Some(1)).0);
    }

    #[test]
    fn divisor_below_one_and_overflowing_activations_are_rejected() {
        assert!(!run(1000, 0, Some(0)).0);
        assert!(!run(1000, -7, Some(0)).0);
        assert!(!run(1000, -7, Some(-142)).0);
        // 2^13 does not fit 12 activation bits: no proof for this z, d.
        assert!(!run(1 << 13, 1, None).0);
    }

    #[test]
    fn constraint_count() {
        let mut cs = R1cs::new(false);
        let z = witness(&mut cs, None).unwrap();
        let d = witness(&mut cs, None).unwrap();
        relu_rescale(&mut cs, &z, &d, Z, A, D).unwrap();
        assert_eq!(cs.num_constraints() as u32, Z + A + 2 * D + 6);
    }
}
