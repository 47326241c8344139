//! The predicted class: the first index of the largest logit (numpy's `argmax`, scikit-learn's `predict`).
//!
//! Cost for `k` logits whose pairwise differences need `D` bits: `k` booleans, 1 row `Σ π_c = 1`, `k` products
//! for the maximum, and `k` range checks of `D + 1` rows: `k·(D + 3) + 1`.
//!
//! # Soundness
//! The prover supplies a one-hot vector `π` (booleans with `Σ π_c = 1`; `k ≤ 2^10` so the sum cannot wrap),
//! which fixes one index `c*`, and `M = Σ π_c · z_c = z_{c*}`. For every `c` the circuit proves
//! `M − z_c − t_c ∈ [0, 2^D)` with the tie offset `t_c = Σ_{j > c} π_j`, which is `1` exactly when `c < c*`.
//! With logits that are images of integers of magnitude at most `2^(D−2)` (the caller's bound), a negative
//! difference cannot pass ([`super::compare`]), so `z_{c*} ≥ z_c` for all `c > c*` and `z_{c*} > z_c` for all
//! `c < c*`: `c*` is the first maximal index, the only one that satisfies every row.
use crate::{
    gadgets::compare::enforce_unsigned,
    r1cs::{R1cs, R1csError, ONE},
    signal::{boolean, mul, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};
use zkml_primitives::encoding::fr_to_i128;

/// The chosen class as a one-hot vector and as an index signal `Σ c · π_c`.
pub struct ArgMax {
    pub one_hot: Vec<Signal>,
    pub index: Signal,
}

/// The first index of the largest value, on integers (values that are not small integers rank lowest).
pub fn first_argmax(values: &[Fr]) -> usize {
    let ints: Vec<i128> = values.iter().map(|v| fr_to_i128(v).unwrap_or(i128::MIN)).collect();
    let mut best = 0;
    for (c, v) in ints.iter().enumerate() {
        if *v > ints[best] {
            best = c;
        }
    }
    best
}

/// The argmax of `logits`, each of magnitude at most `2^(diff_bits − 2)`.
pub fn argmax(cs: &mut R1cs, logits: &[Signal], diff_bits: u32) -> Result<ArgMax, R1csError> {
    argmax_forced(cs, logits, diff_bits, None)
}

/// [`argmax`] with the one-hot vector a malicious prover chooses (`forced`), for soundness tests.
pub fn argmax_forced(cs: &mut R1cs, logits: &[Signal], diff_bits: u32, forced: Option<&[bool]>) -> Result<ArgMax, R1csError> {
    let k = logits.len();
    let values: Option<Vec<Fr>> = logits.iter().map(|z| z.value).collect();
    let class = values.as_deref().map(first_argmax);
    let bit = |c: usize| match forced {
        Some(f) => f.get(c).copied(),
        None => class.map(|x| x == c),
    };
    let one_hot = (0..k).map(|c| boolean(cs, bit(c))).collect::<Result<Vec<_>, _>>()?;
    let mut sum = Signal::constant(Fr::ZERO);
    let mut index = Signal::constant(Fr::ZERO);
    for (c, p) in one_hot.iter().enumerate() {
        sum = sum.add_scaled(Fr::ONE, p);
        index = index.add_scaled(Fr::from(c as u64), p);
    }
    cs.enforce(&sum.lc, &vec![(Fr::ONE, ONE)], &vec![(Fr::ONE, ONE)]);
    let mut max = Signal::constant(Fr::ZERO);
    for (p, z) in one_hot.iter().zip(logits) {
        max = max.add_scaled(Fr::ONE, &mul(cs, p, z)?);
    }
    // t_c = Σ_{j > c} π_j, built from the top down.
    let mut later = Signal::constant(Fr::ZERO);
    let mut gaps = vec![Signal::constant(Fr::ZERO); k];
    for c in (0..k).rev() {
        gaps[c] = max.clone().add_scaled(-Fr::ONE, &logits[c]).add_scaled(-Fr::ONE, &later);
        later = later.add_scaled(Fr::ONE, &one_hot[c]);
    }
    for gap in &gaps {
        enforce_unsigned(cs, gap, diff_bits)?;
    }
    Ok(ArgMax { one_hot, index })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::witness;
    use zkml_primitives::encoding::fr_from_i128;

    fn run(logits: &[i128], forced: Option<usize>) -> (bool, Option<Fr>) {
        let one_hot: Option<Vec<bool>> = forced.map(|c| (0..logits.len()).map(|j| j == c).collect());
        run_one_hot(logits, one_hot.as_deref())
    }

    fn run_one_hot(logits: &[i128], forced: Option<&[bool]>) -> (bool, Option<Fr>) {
        let mut cs = R1cs::new(true);
        let z: Vec<Signal> = logits.iter().map(|v| witness(&mut cs, Some(fr_from_i128(*v))).unwrap()).collect();
        let out = argmax_forced(&mut cs, &z, 70, forced).unwrap();
        let ok = cs.finish().unsatisfied().is_empty();
        (ok, out.index.value)
    }

    #[test]
    fn honest_argmax_is_the_first_largest() {
        assert_eq!(run(&[3, 9, 9, -2], None), (true, Some(Fr::from(1u64))));
        assert_eq!(run(&[-5, -7], None), (true, Some(Fr::ZERO)));
        assert_eq!(run(&[1 << 66, -(1 << 66), 1 << 66], None), (true, Some(Fr::ZERO)));
    }

    #[test]
    fn every_other_class_is_rejected() {
        // A malicious prover claims each wrong class, including the later of two tied maxima.
        for logits in [[3i128, 9, 9, -2], [0, 0, 0, 0], [-1 << 60, 5, -3, 1 << 60]] {
            let honest = first_argmax(&logits.map(fr_from_i128));
            for c in 0..4 {
                assert_eq!(run(&logits, Some(c)).0, c == honest, "{logits:?} class {c}");
            }
        }
    }

    #[test]
    fn a_vector_that_is_not_one_hot_is_rejected() {
        // Two classes set: the "maximum" reads z_0 + z_1 and every gap looks non-negative; or none set.
        assert!(!run_one_hot(&[5, 5], Some(&[true, true])).0);
        assert!(!run_one_hot(&[5, 7], Some(&[true, true])).0);
        assert!(!run_one_hot(&[-5, -7], Some(&[false, false])).0);
    }

    #[test]
    fn constraint_count() {
        let mut cs = R1cs::new(false);
        let z: Vec<Signal> = (0..10).map(|_| witness(&mut cs, None).unwrap()).collect();
        argmax(&mut cs, &z, 70).unwrap();
        assert_eq!(cs.num_constraints(), 10 * (70 + 3) + 1);
    }
}
