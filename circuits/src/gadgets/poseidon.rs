//! Poseidon in R1CS with the constants of [`zkml_primitives::poseidon`] (circomlib's), so the in-circuit hash
//! and the native one are the same function (asserted in tests).
//!
//! Cost: the S-box `x^5` is three multiplications (`x·x`, `x²·x²`, `x⁴·x`); round constants and the MDS
//! matrix are linear and free. A permutation costs `3 · (full_rounds · t + partial_rounds)` constraints:
//! 300 for t = 5, 507 for t = 13.
//!
//! Between S-boxes the state is kept as dense coefficient vectors over a small local basis (the constant 1,
//! the inputs, and the S-box outputs since the last full round), which keeps the linear layers cheap to
//! build: partial rounds only grow the basis by one variable each.
use crate::{
    r1cs::{Lc, R1cs, R1csError, ONE},
    signal::{mul, Signal},
};
use ark_bn254::Fr;
use ark_ff::{Field, Zero};
use zkml_primitives::poseidon::{PoseidonParams, CHAIN_RATE, POSEIDON_12};

/// Linear forms over a basis of signals.
struct Basis {
    terms: Vec<Lc>,
}

impl Basis {
    fn lc(&self, coeffs: &[Fr]) -> Lc {
        let mut out = Vec::new();
        for (c, term) in coeffs.iter().zip(&self.terms) {
            if !c.is_zero() {
                out.extend(term.iter().map(|(k, v)| (*c * k, *v)));
            }
        }
        out
    }
}

fn unit(len: usize, at: usize) -> Vec<Fr> {
    let mut v = vec![Fr::zero(); len];
    v[at] = Fr::ONE;
    v
}

fn sbox(cs: &mut R1cs, x: Signal) -> Result<Signal, R1csError> {
    let x2 = mul(cs, &x, &x)?;
    let x4 = mul(cs, &x2, &x2)?;
    mul(cs, &x4, &x)
}

/// The permutation; `state.len()` must equal `params.width`.
pub fn permute(cs: &mut R1cs, params: &PoseidonParams, state: &[Signal]) -> Result<Vec<Signal>, R1csError> {
    let t = params.width;
    assert_eq!(state.len(), t, "state width must match the parameters");
    // Basis: [1, state_0, …, state_{t-1}], extended by S-box outputs.
    let mut basis = Basis { terms: Vec::with_capacity(1 + t + params.partial_rounds) };
    basis.terms.push(vec![(Fr::ONE, ONE)]);
    basis.terms.extend(state.iter().map(|s| s.lc.clone()));
    let mut forms: Vec<Vec<Fr>> = (0..t).map(|i| unit(1 + t, 1 + i)).collect();
    let mut values: Vec<Option<Fr>> = state.iter().map(|s| s.value).collect();

    for round in 0..params.rounds() {
        for i in 0..t {
            forms[i][0] += params.round_constant(round, i);
            values[i] = values[i].map(|v| v + params.round_constant(round, i));
        }
        let sboxed = if params.is_full_round(round) { t } else { 1 };
        if sboxed == t {
            // Every state element becomes a fresh variable: restart the basis.
            let outs = (0..t)
                .map(|i| sbox(cs, Signal { lc: basis.lc(&forms[i]), value: values[i] }))
                .collect::<Result<Vec<_>, _>>()?;
            basis.terms.truncate(1);
            basis.terms.extend(outs.iter().map(|o| o.lc.clone()));
            forms = (0..t).map(|i| unit(1 + t, 1 + i)).collect();
            values = outs.iter().map(|o| o.value).collect();
        } else {
            let out = sbox(cs, Signal { lc: basis.lc(&forms[0]), value: values[0] })?;
            basis.terms.push(out.lc);
            let len = basis.terms.len();
            forms.iter_mut().for_each(|f| f.resize(len, Fr::zero()));
            forms[0] = unit(len, len - 1);
            values[0] = out.value;
        }
        // MDS mixing.
        let len = basis.terms.len();
        let mut mixed = vec![vec![Fr::zero(); len]; t];
        let mut mixed_values = vec![Some(Fr::zero()); t];
        for (r, (row, row_value)) in mixed.iter_mut().zip(mixed_values.iter_mut()).enumerate() {
            for c in 0..t {
                let m = params.mds(r, c);
                for (acc, f) in row.iter_mut().zip(&forms[c]) {
                    if !f.is_zero() {
                        *acc += m * f;
                    }
                }
                *row_value = row_value.zip(values[c]).map(|(a, v)| a + m * v);
            }
        }
        forms = mixed;
        values = mixed_values;
    }
    Ok(forms.iter().zip(values).map(|(f, value)| Signal { lc: basis.lc(f), value }).collect())
}

/// circomlib `Poseidon(inputs)` for `inputs.len() == params.width - 1`.
pub fn hash(cs: &mut R1cs, params: &PoseidonParams, inputs: &[Signal]) -> Result<Signal, R1csError> {
    let mut state = Vec::with_capacity(params.width);
    state.push(Signal::constant(Fr::zero()));
    state.extend_from_slice(inputs);
    Ok(permute(cs, params, &state)?.swap_remove(0))
}

/// [`zkml_primitives::poseidon::chain`] in R1CS.
pub fn chain(cs: &mut R1cs, domain: Fr, elements: &[Signal]) -> Result<Signal, R1csError> {
    let mut h = Signal::constant(domain);
    let mut prefixed = Vec::with_capacity(elements.len() + CHAIN_RATE);
    prefixed.push(Signal::constant(Fr::from(elements.len() as u64)));
    prefixed.extend_from_slice(elements);
    while prefixed.len() % CHAIN_RATE != 0 {
        prefixed.push(Signal::constant(Fr::zero()));
    }
    for block in prefixed.chunks(CHAIN_RATE) {
        let mut inputs = Vec::with_capacity(CHAIN_RATE + 1);
        inputs.push(h);
        inputs.extend_from_slice(block);
        h = hash(cs, &POSEIDON_12, &inputs)?;
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{enforce_equal, witness};
    use ark_ff::UniformRand;
    use zkml_primitives::poseidon::{self as native, POSEIDON_4};

    #[test]
    fn gadget_matches_native_and_costs_what_it_should() {
        let mut rng = ark_std::test_rng();
        let cs = &mut R1cs::new(true);
        let a: Vec<Fr> = (0..4).map(|_| Fr::rand(&mut rng)).collect();
        let sigs: Vec<Signal> = a.iter().map(|v| witness(cs, Some(*v)).unwrap()).collect();
        let h = hash(cs, &POSEIDON_4, &sigs).unwrap();
        assert_eq!(h.value, Some(native::hash4([a[0], a[1], a[2], a[3]])));
        assert_eq!(cs.num_constraints(), 3 * (8 * 5 + POSEIDON_4.partial_rounds));
        assert_eq!(cs.num_constraints(), 300);

        let before = cs.num_constraints();
        let elems: Vec<Signal> = (0..25u64).map(|i| witness(cs, Some(Fr::from(i))).unwrap()).collect();
        let c = chain(cs, Fr::from(9u64), &elems).unwrap();
        let native_elems: Vec<Fr> = (0..25u64).map(Fr::from).collect();
        assert_eq!(c.value, Some(native::chain(Fr::from(9u64), &native_elems)));
        assert_eq!(cs.num_constraints() - before, 3 * 507);
        // The LC of the output must evaluate to the value.
        let out = witness(cs, c.value).unwrap();
        enforce_equal(cs, &out, &c);
        let built = std::mem::replace(cs, R1cs::new(true)).finish();
        assert!(built.unsatisfied().is_empty());
    }
}
