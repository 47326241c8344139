//! A linear combination together with its value: the unit every gadget here passes around.
//!
//! Gadgets build constraints directly on `ark-relations` linear combinations so that every constraint is
//! deliberate and counted; the value rides along (it is `None` while generating keys).
use ark_bn254::Fr;
use ark_ff::{Field, Zero};
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};

#[derive(Clone, Debug)]
pub struct Signal {
    pub lc: LinearCombination<Fr>,
    pub value: Option<Fr>,
}

impl Signal {
    pub fn constant(c: Fr) -> Self {
        let lc = if c.is_zero() { LinearCombination::zero() } else { LinearCombination(vec![(c, Variable::One)]) };
        Self { lc, value: Some(c) }
    }

    pub fn variable(v: Variable, value: Option<Fr>) -> Self {
        Self { lc: LinearCombination(vec![(Fr::ONE, v)]), value }
    }

    /// `self + coeff · other`.
    pub fn add_scaled(mut self, coeff: Fr, other: &Signal) -> Self {
        self.lc.0.extend(other.lc.0.iter().map(|(c, v)| (coeff * c, *v)));
        self.value = self.value.zip(other.value).map(|(a, b)| a + coeff * b);
        self
    }

    pub fn add_constant(mut self, c: Fr) -> Self {
        self.lc.0.push((c, Variable::One));
        self.value = self.value.map(|v| v + c);
        self
    }

    pub fn scale(mut self, c: Fr) -> Self {
        self.lc.0.iter_mut().for_each(|(k, _)| *k *= c);
        self.value = self.value.map(|v| v * c);
        self
    }
}

/// Allocates a private variable (no constraint).
pub fn witness(cs: &ConstraintSystemRef<Fr>, value: Option<Fr>) -> Result<Signal, SynthesisError> {
    let v = cs.new_witness_variable(|| value.ok_or(SynthesisError::AssignmentMissing))?;
    Ok(Signal::variable(v, value))
}

/// Allocates a public input (no constraint). Inputs must be allocated in layout order.
pub fn input(cs: &ConstraintSystemRef<Fr>, value: Option<Fr>) -> Result<Signal, SynthesisError> {
    let v = cs.new_input_variable(|| value.ok_or(SynthesisError::AssignmentMissing))?;
    Ok(Signal::variable(v, value))
}

/// `a · b = out` for a fresh `out` (1 constraint).
pub fn mul(cs: &ConstraintSystemRef<Fr>, a: &Signal, b: &Signal) -> Result<Signal, SynthesisError> {
    let out = witness(cs, a.value.zip(b.value).map(|(x, y)| x * y))?;
    cs.enforce_constraint(a.lc.clone(), b.lc.clone(), out.lc.clone())?;
    Ok(out)
}

/// `a = b` (1 constraint: `(a - b) · 1 = 0`).
pub fn enforce_equal(cs: &ConstraintSystemRef<Fr>, a: &Signal, b: &Signal) -> Result<(), SynthesisError> {
    let diff = a.clone().add_scaled(-Fr::ONE, b);
    cs.enforce_constraint(diff.lc, LinearCombination(vec![(Fr::ONE, Variable::One)]), LinearCombination::zero())
}

/// `a ≠ 0` (1 constraint: `a · a⁻¹ = 1` with the inverse as witness).
pub fn enforce_nonzero(cs: &ConstraintSystemRef<Fr>, a: &Signal) -> Result<(), SynthesisError> {
    let inv = witness(cs, a.value.map(|v| v.inverse().unwrap_or(Fr::zero())))?;
    cs.enforce_constraint(a.lc.clone(), inv.lc, LinearCombination(vec![(Fr::ONE, Variable::One)]))
}
