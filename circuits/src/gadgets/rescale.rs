//! ReLU followed by fixed-point rescaling: `a = ⌊max(z, 0) / d⌋` with a private power-of-two divisor `d`.
//!
//! Per hidden layer, once ([`divisor_cofactor`]): the co-divisor `e` with `d · e = 2^R` (`R = DIV_BITS − 1`),
//! `e` decomposed into `R + 1` bits: `R + 3` constraints. Per unit ([`relu_rescale`]), for a pre-activation of
//! `Z` signed bits and an activation of `A` bits: `Z + 1` (sign), `1` (ReLU), `A + 1` (activation range), `1`
//! (`a·d`), `1` (`r·e`), `R + 1` (remainder): `Z + A + R + 6`.
//!
//! # Soundness (the prototype's division hole is the counter-example)
//! The prototype constrained only `z = q·d + r`, which holds for *every* `q` with `r = z − q·d`: the quotient
//! was free. Here, over the integers:
//! 1. `d` is a range-checked parameter (`|d| < 2^R`) and `e ∈ [0, 2^(R+1))` by bits, so `|d·e| < 2^(2R+1)`
//!    cannot wrap the field and `d·e = 2^R` holds over the integers: `d` and `e` are positive powers of two,
//!    `d = 2^s`, `e = 2^(R−s)`. (A divisor that is not a power of two has no `e`: no proof for that model.)
//! 2. `z` is decomposed into `Z` bits, so it is an integer in `[−2^(Z−1), 2^(Z−1))`, and the top bit of its
//!    offset `z + 2^(Z−1)` is `s = [z ≥ 0]`; `ReLU(z) = z · s` (one product) is `max(z, 0)`.
//! 3. `a ∈ [0, 2^A)` by bits, so `r = ReLU(z) − a·d` is an integer of magnitude below
//!    `2^(Z−1) + 2^(A+R) < 2^200`, and `r·e` one below `2^(200+R+1) < 2^252`: the circuit's `r·e` is the
//!    integer product. It proves `r·e ∈ [0, 2^R)` ([`super::compare`]), so `0 ≤ r < 2^R / e = d`.
//! 4. `ReLU(z) = a·d + r` with `0 ≤ r < d` is Euclidean division: `a = ⌊ReLU(z)/d⌋`, the only value that passes.
//!    A quotient one too small leaves `r ≥ d` (so `r·e ≥ 2^R`), one too large leaves `r < 0`.
//!
//! One range check of the scaled remainder replaces the two (`r ≥ 0`, `d − 1 − r ≥ 0`) a general divisor
//! needs: the power-of-two restriction costs the model nothing (the quantizer picks `d = 2^(E − T)` anyway).
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

/// `e` with `d · e = 2^remainder_bits`, allocated and proven once per layer (`remainder_bits + 3` constraints).
/// The prover supplies `forced` in soundness tests; otherwise `2^remainder_bits / d` when `d` is a positive power
/// of two (anything else has no valid `e`, and the constraints then fail).
pub fn divisor_cofactor(cs: &mut R1cs, d: &Signal, remainder_bits: u32, forced: Option<Fr>) -> Result<Signal, R1csError> {
    let full = 1i128 << remainder_bits;
    let honest = d.value.map(|d| match fr_to_i128(&d) {
        Some(d) if d >= 1 && full % d == 0 => fr_from_i128(full / d),
        _ => Fr::from(0u64),
    });
    let e = witness(cs, forced.or(honest))?;
    enforce_unsigned(cs, &e, remainder_bits + 1)?;
    cs.enforce(&d.lc, &e.lc, &Signal::constant(fr_from_i128(full)).lc);
    Ok(e)
}

/// `a = ⌊max(z, 0) / d⌋` for a pre-activation of magnitude below `2^(z_bits − 1)`, with `e` from
/// [`divisor_cofactor`] for the same `remainder_bits`.
pub fn relu_rescale(cs: &mut R1cs, z: &Signal, d: &Signal, e: &Signal, z_bits: u32, act_bits: u32, remainder_bits: u32) -> Result<Signal, R1csError> {
    relu_rescale_forced(cs, z, d, e, z_bits, act_bits, remainder_bits, None)
}

/// [`relu_rescale`] with the quotient a malicious prover chooses (`forced`), for soundness tests.
#[allow(clippy::too_many_arguments)]
pub fn relu_rescale_forced(
    cs: &mut R1cs,
    z: &Signal,
    d: &Signal,
    e: &Signal,
    z_bits: u32,
    act_bits: u32,
    remainder_bits: u32,
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
    let scaled = mul(cs, &r, e)?;
    enforce_unsigned(cs, &scaled, remainder_bits)?;
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: u32 = 40;
    const A: u32 = 12;
    const R: u32 = 20;

    /// A layer's divisor and co-divisor (honest, or the `e` a malicious prover picks) and one unit.
    fn run_with(z: i128, d: i128, e: Option<i128>, forced: Option<i128>) -> (bool, Option<Fr>) {
        let mut cs = R1cs::new(true);
        let zs = witness(&mut cs, Some(fr_from_i128(z))).unwrap();
        let ds = witness(&mut cs, Some(fr_from_i128(d))).unwrap();
        let es = divisor_cofactor(&mut cs, &ds, R, e.map(fr_from_i128)).unwrap();
        let a = relu_rescale_forced(&mut cs, &zs, &ds, &es, Z, A, R, forced.map(fr_from_i128)).unwrap();
        (cs.finish().unsatisfied().is_empty(), a.value)
    }

    fn run(z: i128, d: i128, forced: Option<i128>) -> (bool, Option<Fr>) {
        run_with(z, d, None, forced)
    }

    #[test]
    fn honest_quotients() {
        for (z, d) in [(1000i128, 8i128), (8, 8), (7, 8), (0, 4), (-1000, 8), (-(1 << 38), 1), ((1 << 18) - 1, 64), (12345, 1 << R)] {
            let (ok, a) = run(z, d, None);
            assert!(ok, "z={z} d={d}");
            assert_eq!(a, Some(fr_from_i128(relu_div(z, d))));
        }
    }

    #[test]
    fn the_prototypes_division_hole_is_closed() {
        // z = q·d + r holds for q ± 1 with r ∓ d; both are rejected, as is any other quotient.
        for (z, d) in [(1000i128, 8i128), (1 << 20, 1 << 10), (5, 2), (5, 1)] {
            let q = relu_div(z, d);
            for wrong in [q - 1, q + 1, q + 1000, 0, -1] {
                if wrong != q {
                    assert!(!run(z, d, Some(wrong)).0, "z={z} d={d} q={wrong}");
                }
            }
        }
        // ReLU cannot be skipped: a negative pre-activation gives 0, not its (negative) quotient.
        assert!(!run(-700, 8, Some(-88)).0);
        assert!(!run(-700, 8, Some(1)).0);
    }

    #[test]
    fn divisors_that_are_not_positive_powers_of_two_have_no_cofactor() {
        // Whatever e the prover picks, d·e = 2^R fails (or e is out of its range).
        for d in [7i128, 0, -8, 3 << 4] {
            for e in [0i128, 1, (1 << R) / 8, (1 << R) / 7, -(1 << R) / 8, 1 << (R + 1)] {
                assert!(!run_with(1000, d, Some(e), Some(relu_div(1000, d.max(1)))).0, "d={d} e={e}");
            }
        }
        // A wrong co-divisor for a good divisor: e = 2^R / 16 with d = 8 breaks d·e = 2^R.
        assert!(!run_with(1000, 8, Some((1 << R) / 16), None).0);
    }

    #[test]
    fn overflowing_activations_are_rejected() {
        // 2^13 does not fit 12 activation bits: no proof for this z, d.
        assert!(!run(1 << 13, 1, None).0);
    }

    #[test]
    fn constraint_count() {
        let mut cs = R1cs::new(false);
        let z = witness(&mut cs, None).unwrap();
        let d = witness(&mut cs, None).unwrap();
        let e = divisor_cofactor(&mut cs, &d, R, None).unwrap();
        assert_eq!(cs.num_constraints() as u32, R + 3);
        let before = cs.num_constraints();
        relu_rescale(&mut cs, &z, &d, &e, Z, A, R).unwrap();
        assert_eq!((cs.num_constraints() - before) as u32, Z + A + R + 6);
    }
}
