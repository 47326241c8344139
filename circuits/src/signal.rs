//! A linear combination together with its value: the unit every gadget here passes around.
//!
//! Gadgets build constraints directly on linear combinations so that every constraint is deliberate and
//! counted; the value rides along (it is `None` while generating keys).
use crate::r1cs::{Lc, R1cs, R1csError, ONE};
use ark_bn254::Fr;
use ark_ff::{Field, Zero};

#[derive(Clone, Debug)]
pub struct Signal {
    pub lc: Lc,
    pub value: Option<Fr>,
}

impl Signal {
    pub fn constant(c: Fr) -> Self {
        let lc = if c.is_zero() { Vec::new() } else { vec![(c, ONE)] };
        Self { lc, value: Some(c) }
    }

    pub fn variable(index: usize, value: Option<Fr>) -> Self {
        Self { lc: vec![(Fr::ONE, index)], value }
    }

    /// `self + coeff · other`.
    pub fn add_scaled(mut self, coeff: Fr, other: &Signal) -> Self {
        self.lc.extend(other.lc.iter().map(|(c, v)| (coeff * c, *v)));
        self.value = self.value.zip(other.value).map(|(a, b)| a + coeff * b);
        self
    }

    pub fn add_constant(mut self, c: Fr) -> Self {
        self.lc.push((c, ONE));
        self.value = self.value.map(|v| v + c);
        self
    }

    pub fn scale(mut self, c: Fr) -> Self {
        self.lc.iter_mut().for_each(|(k, _)| *k *= c);
        self.value = self.value.map(|v| v * c);
        self
    }
}

fn one() -> Lc {
    vec![(Fr::ONE, ONE)]
}

/// Allocates a private variable (no constraint).
pub fn witness(cs: &mut R1cs, value: Option<Fr>) -> Result<Signal, R1csError> {
    let v = cs.new_witness(value)?;
    Ok(Signal::variable(v, value))
}

/// Allocates a public input (no constraint). Inputs must be allocated first, in layout order.
pub fn input(cs: &mut R1cs, value: Option<Fr>) -> Result<Signal, R1csError> {
    let v = cs.new_input(value)?;
    Ok(Signal::variable(v, value))
}

/// `a · b = out` for a fresh `out` (1 constraint).
pub fn mul(cs: &mut R1cs, a: &Signal, b: &Signal) -> Result<Signal, R1csError> {
    let out = witness(cs, a.value.zip(b.value).map(|(x, y)| x * y))?;
    cs.enforce(&a.lc, &b.lc, &out.lc);
    Ok(out)
}

/// `out = num / den` for a fresh `out`, by `out · den = num` (1 constraint). The caller guarantees `den ≠ 0`
/// (otherwise `out` would be unconstrained).
pub fn div(cs: &mut R1cs, num: &Signal, den: &Signal) -> Result<Signal, R1csError> {
    let value = num.value.zip(den.value).map(|(n, d)| n * d.inverse().unwrap_or(Fr::zero()));
    let out = witness(cs, value)?;
    cs.enforce(&out.lc, &den.lc, &num.lc);
    Ok(out)
}

/// `a = b` (1 constraint: `(a − b) · 1 = 0`).
pub fn enforce_equal(cs: &mut R1cs, a: &Signal, b: &Signal) {
    let diff = a.clone().add_scaled(-Fr::ONE, b);
    cs.enforce(&diff.lc, &one(), &Vec::new());
}

/// `a ≠ 0` (1 constraint: `a · a⁻¹ = 1` with the inverse as witness).
pub fn enforce_nonzero(cs: &mut R1cs, a: &Signal) -> Result<(), R1csError> {
    let inv = witness(cs, a.value.map(|v| v.inverse().unwrap_or(Fr::zero())))?;
    cs.enforce(&a.lc, &inv.lc, &one());
    Ok(())
}

/// A boolean: `b · b = b` (1 constraint).
pub fn boolean(cs: &mut R1cs, value: Option<bool>) -> Result<Signal, R1csError> {
    let b = witness(cs, value.map(Fr::from))?;
    cs.enforce(&b.lc, &b.lc, &b.lc);
    Ok(b)
}
