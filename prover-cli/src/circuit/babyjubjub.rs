//! BabyJubJub scalar multiplications in R1CS (ark-r1cs-std's twisted Edwards gadget over ark-ed-on-bn254),
//! bridged to [`Signal`]s.
//!
//! # Soundness
//! The twisted Edwards addition law is complete on BabyJubJub (`a = 1` is a square and `d` is not), so the
//! gadget has no exceptional cases a prover could steer into. The scalar is the same vector of constrained
//! booleans in both multiplications, so the competitor public key `sk·G` and the ECDH point `sk·pk_org` are
//! bound to one secret. A scalar ≥ `l` is harmless: both bases have prime order `l`, so it acts as `sk mod l`.
use super::signal::Signal;
use ark_bn254::Fr;
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ed_on_bn254::{constraints::EdwardsVar, EdwardsAffine, EdwardsProjective};
use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::fp::{AllocatedFp, FpVar},
    groups::CurveVar,
};
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError, Variable};
use zkml_primitives::keys::{SecretScalar, SECRET_KEY_BITS};

pub struct PointSignals {
    pub x: Signal,
    pub y: Signal,
}

pub fn fp_to_signal(v: &FpVar<Fr>) -> Signal {
    match v {
        FpVar::Constant(c) => Signal::constant(*c),
        FpVar::Var(a) => Signal::variable(a.variable, a.value().ok()),
    }
}

fn point_signals(p: &EdwardsVar) -> PointSignals {
    PointSignals { x: fp_to_signal(&p.x), y: fp_to_signal(&p.y) }
}

/// Wraps two already-allocated single variables (e.g. public inputs) as a curve point without re-checking it:
/// public points are validated by the verifier (the chain refuses keys outside the prime-order subgroup).
pub fn point_from_variables(cs: &ConstraintSystemRef<Fr>, x: (Variable, Option<Fr>), y: (Variable, Option<Fr>)) -> EdwardsVar {
    EdwardsVar::new(
        FpVar::Var(AllocatedFp::new(x.1, x.0, cs.clone())),
        FpVar::Var(AllocatedFp::new(y.1, y.0, cs.clone())),
    )
}

/// The secret scalar as [`SECRET_KEY_BITS`] little-endian constrained booleans (one constraint each).
pub fn secret_bits(cs: &ConstraintSystemRef<Fr>, sk: Option<SecretScalar>) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits: Vec<Option<bool>> = match sk {
        Some(s) => s.into_bigint().to_bits_le().into_iter().take(SECRET_KEY_BITS).map(Some).collect(),
        None => vec![None; SECRET_KEY_BITS],
    };
    bits.into_iter()
        .map(|b| Boolean::new_witness(cs.clone(), || b.ok_or(SynthesisError::AssignmentMissing)))
        .collect()
}

/// `sk · G` for the library generator, with precomputed multiples `2^i · G`.
pub fn fixed_base_mul(bits: &[Boolean<Fr>]) -> Result<PointSignals, SynthesisError> {
    let mut multiple: EdwardsProjective = EdwardsAffine::generator().into_group();
    let mut powers = Vec::with_capacity(bits.len());
    for _ in 0..bits.len() {
        powers.push(multiple);
        multiple.double_in_place();
    }
    let mut acc = EdwardsVar::zero();
    acc.precomputed_base_scalar_mul_le(bits.iter().zip(powers.iter()))?;
    Ok(point_signals(&acc))
}

/// `sk · P` for a point in the circuit.
pub fn variable_base_mul(point: &EdwardsVar, bits: &[Boolean<Fr>]) -> Result<PointSignals, SynthesisError> {
    Ok(point_signals(&point.scalar_mul_le(bits.iter())?))
}

/// Native helper for tests and witness checks.
pub fn affine(p: EdwardsProjective) -> EdwardsAffine {
    p.into_affine()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::signal::input;
    use ark_ff::UniformRand;
    use ark_relations::r1cs::ConstraintSystem;
    use zkml_primitives::keys::{shared_point, PublicKey};

    #[test]
    fn both_multiplications_match_native() {
        let mut rng = ark_std::test_rng();
        let (sk, org_sk) = (SecretScalar::rand(&mut rng), SecretScalar::rand(&mut rng));
        let org = PublicKey::from_secret(&org_sk);
        let cs = ConstraintSystem::<Fr>::new_ref();
        let [ox, oy] = org.coordinates();
        let x = input(&cs, Some(ox)).unwrap();
        let y = input(&cs, Some(oy)).unwrap();
        let pk_var = point_from_variables(&cs, (x.lc.0[0].1, x.value), (y.lc.0[0].1, y.value));
        let bits = secret_bits(&cs, Some(sk)).unwrap();
        let pk = fixed_base_mul(&bits).unwrap();
        let fixed_cost = cs.num_constraints() - SECRET_KEY_BITS;
        let shared = variable_base_mul(&pk_var, &bits).unwrap();
        let variable_cost = cs.num_constraints() - SECRET_KEY_BITS - fixed_cost;
        let expect_pk = PublicKey::from_secret(&sk).point();
        assert_eq!((pk.x.value, pk.y.value), (Some(expect_pk.x), Some(expect_pk.y)));
        let expect_shared = shared_point(&sk, &org);
        assert_eq!((shared.x.value, shared.y.value), (Some(expect_shared.x), Some(expect_shared.y)));
        assert!(cs.is_satisfied().unwrap());
        // Costs as measured; a change here changes the claim circuit's count.
        assert!(fixed_cost < 1600, "fixed-base cost {fixed_cost}");
        assert!(variable_cost < 3700, "variable-base cost {variable_cost}");
    }
}
