//! Selection by private bits: a multiplexer, and a tree of them that picks one of `2^L` values.
//!
//! # Soundness
//! [`mux`] returns `out = lo + b · (hi − lo)` with one row `b · (hi − lo) = out − lo`. For a boolean `b` (the
//! caller's guarantee: every selector here is a [`crate::signal::boolean`] or a bit of a decomposition) `out` is
//! `lo` or `hi`, and no other value satisfies the row. [`select`] composes them: each level halves the
//! candidates by one bit, so the result is exactly `values[Σ b_i · 2^(L−1−i)]` (bits most significant first),
//! never a mixture. A difference `hi − lo` that is a constant (padding) needs no row: `out` is then the linear
//! combination itself.
//!
//! Cost: one row per mux whose two inputs are not both constants: at most `2^L − 1` for `2^L` values.
use crate::{
    r1cs::{R1cs, R1csError, ONE},
    signal::{witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::Field;

/// `lo` if `b = 0`, `hi` if `b = 1` (`b` boolean): one constraint, or none when `hi − lo` is a constant.
pub fn mux(cs: &mut R1cs, b: &Signal, lo: &Signal, hi: &Signal) -> Result<Signal, R1csError> {
    let diff = hi.clone().add_scaled(-Fr::ONE, lo);
    if diff.lc.iter().all(|(_, v)| *v == ONE) {
        let c: Fr = diff.lc.iter().map(|(k, _)| *k).sum();
        return Ok(lo.clone().add_scaled(c, b));
    }
    let value = b.value.zip(lo.value).zip(hi.value).map(|((b, lo), hi)| if b == Fr::ONE { hi } else { lo });
    let out = witness(cs, value)?;
    cs.enforce(&b.lc, &diff.lc, &out.clone().add_scaled(-Fr::ONE, lo).lc);
    Ok(out)
}

/// `values[index]` for `index = Σ bits[i] · 2^(L−1−i)` (most significant bit first); `values` has `2^L`
/// entries for `L = bits.len()`. The last bit picks within adjacent pairs, the first between halves.
pub fn select(cs: &mut R1cs, values: &[Signal], bits: &[Signal]) -> Result<Signal, R1csError> {
    assert_eq!(values.len(), 1 << bits.len(), "select needs 2^L values for L bits");
    let mut layer = values.to_vec();
    for b in bits.iter().rev() {
        layer = layer.chunks(2).map(|pair| mux(cs, b, &pair[0], &pair[1])).collect::<Result<_, _>>()?;
    }
    Ok(layer.pop().expect("one value left"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::boolean;

    fn run(values: &[u64], index: usize, bits_len: usize, forced_bit: Option<(usize, Fr)>) -> (bool, Option<Fr>, usize) {
        let mut cs = R1cs::new(true);
        let vals: Vec<Signal> = values.iter().map(|v| witness(&mut cs, Some(Fr::from(*v))).unwrap()).collect();
        let before = cs.num_constraints();
        let bits: Vec<Signal> = (0..bits_len)
            .map(|i| {
                let honest = Fr::from(((index >> (bits_len - 1 - i)) & 1) as u64);
                let v = forced_bit.filter(|(j, _)| *j == i).map(|(_, v)| v).unwrap_or(honest);
                // A malicious "bit" is still constrained boolean, as every selector is.
                let b = witness(&mut cs, Some(v)).unwrap();
                cs.enforce(&b.lc, &b.lc, &b.lc);
                b
            })
            .collect();
        let out = select(&mut cs, &vals, &bits).unwrap();
        let rows = cs.num_constraints() - before - bits_len;
        (cs.finish().unsatisfied().is_empty(), out.value, rows)
    }

    #[test]
    fn selects_the_indexed_value_with_one_row_per_mux() {
        let values: Vec<u64> = (0..16).map(|v| 100 + v * v).collect();
        for index in 0..16 {
            let (ok, out, rows) = run(&values, index, 4, None);
            assert!(ok);
            assert_eq!(out, Some(Fr::from(values[index])));
            assert_eq!(rows, 15);
        }
        assert_eq!(run(&[7], 0, 0, None), (true, Some(Fr::from(7u64)), 0));
    }

    #[test]
    fn a_selector_that_is_not_a_bit_cannot_blend_values() {
        // b = 2 (or ½) would give lo + 2·(hi − lo): rejected by the selector's own booleanity row.
        for v in [Fr::from(2u64), Fr::from(2u64).inverse().unwrap()] {
            assert!(!run(&[10, 20, 30, 40], 1, 2, Some((0, v))).0);
        }
    }

    #[test]
    fn constant_padding_costs_nothing() {
        let mut cs = R1cs::new(true);
        let b = boolean(&mut cs, Some(true)).unwrap();
        let x = witness(&mut cs, Some(Fr::from(5u64))).unwrap();
        let zero = Signal::constant(Fr::from(0u64));
        let before = cs.num_constraints();
        let pad = mux(&mut cs, &b, &zero, &zero).unwrap();
        assert_eq!(cs.num_constraints(), before);
        let out = mux(&mut cs, &b, &x, &pad).unwrap();
        assert_eq!(cs.num_constraints(), before + 1);
        assert_eq!(out.value, Some(Fr::from(0u64)));
        assert!(cs.finish().unsatisfied().is_empty());
    }
}
