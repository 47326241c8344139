//! BabyJubJub (ark-ed-on-bn254, twisted Edwards `a·x² + y² = 1 + d·x²·y²`) point arithmetic in R1CS.
//!
//! Costs: addition of two variable points 6 constraints, of a variable and a constant point 3, doubling 5,
//! a conditional select 2. `sk·G` for the fixed generator uses 2-bit windows over precomputed multiples
//! (7 constraints per 2 bits); `sk·P` for a point in the circuit is double-and-add (13 per bit).
//!
//! # Soundness
//! The addition law is complete on BabyJubJub (`a` is a square and `d` is not in the field), so for points on
//! the curve the denominators `1 ± d·x₁x₂y₁y₂` and `a·x² + y²`, `2 − a·x² − y²` never vanish and every output
//! coordinate is fixed by its constraint. All points here are on the curve: the generator multiples are
//! constants, the organizer key is a public input the chain validates, and sums and doublings of curve
//! points stay on the curve. The scalar is one vector of constrained booleans used by both multiplications,
//! so the competitor key `sk·G` and the ECDH point `sk·pk_org` come from the same secret. A scalar ≥ `l` is
//! harmless: both bases have prime order `l`, so it acts as `sk mod l`.
use crate::{
    r1cs::{R1cs, R1csError},
    signal::{boolean, div, mul, Signal},
};
use ark_bn254::Fr;
use ark_ec::{twisted_edwards::TECurveConfig, AdditiveGroup, AffineRepr, CurveGroup};
use ark_ed_on_bn254::{EdwardsAffine, EdwardsConfig, EdwardsProjective};
use ark_ff::{BigInteger, Field, PrimeField};
use zkml_primitives::keys::{SecretScalar, SECRET_KEY_BITS};

#[derive(Clone, Debug)]
pub struct PointSignals {
    pub x: Signal,
    pub y: Signal,
}

const A: Fr = EdwardsConfig::COEFF_A;
const D: Fr = EdwardsConfig::COEFF_D;

impl PointSignals {
    pub fn constant(p: &EdwardsAffine) -> Self {
        Self { x: Signal::constant(p.x), y: Signal::constant(p.y) }
    }

    pub fn value(&self) -> Option<EdwardsAffine> {
        Some(EdwardsAffine::new_unchecked(self.x.value?, self.y.value?))
    }
}

/// `p + q` from the products `β = x₁y₂`, `γ = y₁x₂`, `δ = (−a·x₁ + y₁)(x₂ + y₂)`, `τ = β·γ`:
/// `x₃ = (β + γ)/(1 + d·τ)`, `y₃ = (δ + a·β − γ)/(1 − d·τ)`.
fn add_from_products(cs: &mut R1cs, beta: Signal, gamma: Signal, delta: Signal) -> Result<PointSignals, R1csError> {
    let tau = mul(cs, &beta, &gamma)?;
    let x_num = beta.clone().add_scaled(Fr::ONE, &gamma);
    let x_den = Signal::constant(Fr::ONE).add_scaled(D, &tau);
    let y_num = delta.add_scaled(A, &beta).add_scaled(-Fr::ONE, &gamma);
    let y_den = Signal::constant(Fr::ONE).add_scaled(-D, &tau);
    Ok(PointSignals { x: div(cs, &x_num, &x_den)?, y: div(cs, &y_num, &y_den)? })
}

/// `p + q` for two points in the circuit (6 constraints).
pub fn add(cs: &mut R1cs, p: &PointSignals, q: &PointSignals) -> Result<PointSignals, R1csError> {
    let beta = mul(cs, &p.x, &q.y)?;
    let gamma = mul(cs, &p.y, &q.x)?;
    let neg_ax_plus_y = p.y.clone().add_scaled(-A, &p.x);
    let x_plus_y = q.x.clone().add_scaled(Fr::ONE, &q.y);
    let delta = mul(cs, &neg_ax_plus_y, &x_plus_y)?;
    add_from_products(cs, beta, gamma, delta)
}

/// `p + c` for a constant point `c` (3 constraints: products with constants are linear).
pub fn add_constant(cs: &mut R1cs, p: &PointSignals, c: &EdwardsAffine) -> Result<PointSignals, R1csError> {
    let beta = p.x.clone().scale(c.y);
    let gamma = p.y.clone().scale(c.x);
    let delta = p.y.clone().add_scaled(-A, &p.x).scale(c.x + c.y);
    add_from_products(cs, beta, gamma, delta)
}

/// `2·p` (5 constraints): `x₃ = 2xy/(a·x² + y²)`, `y₃ = (y² − a·x²)/(2 − a·x² − y²)`.
pub fn double(cs: &mut R1cs, p: &PointSignals) -> Result<PointSignals, R1csError> {
    let xy = mul(cs, &p.x, &p.y)?;
    let xx = mul(cs, &p.x, &p.x)?;
    let yy = mul(cs, &p.y, &p.y)?;
    let ax2_y2 = yy.clone().add_scaled(A, &xx);
    let x = div(cs, &xy.scale(Fr::from(2u64)), &ax2_y2)?;
    let y_num = yy.add_scaled(-A, &xx);
    let y_den = Signal::constant(Fr::from(2u64)).add_scaled(-Fr::ONE, &ax2_y2);
    let y = div(cs, &y_num, &y_den)?;
    Ok(PointSignals { x, y })
}

/// `bit ? t : f` (2 constraints: `bit · (t − f) = out − f` per coordinate).
pub fn select(cs: &mut R1cs, bit: &Signal, t: &PointSignals, f: &PointSignals) -> Result<PointSignals, R1csError> {
    let mut pick = |t: &Signal, f: &Signal| -> Result<Signal, R1csError> {
        let diff = t.clone().add_scaled(-Fr::ONE, f);
        let prod = mul(cs, bit, &diff)?;
        Ok(prod.add_scaled(Fr::ONE, f))
    };
    Ok(PointSignals { x: pick(&t.x, &f.x)?, y: pick(&t.y, &f.y)? })
}

/// The secret scalar as [`SECRET_KEY_BITS`] little-endian booleans (one constraint each).
pub fn secret_bits(cs: &mut R1cs, sk: Option<SecretScalar>) -> Result<Vec<Signal>, R1csError> {
    let bits: Vec<Option<bool>> = match sk {
        Some(s) => s.into_bigint().to_bits_le().into_iter().take(SECRET_KEY_BITS).map(Some).collect(),
        None => vec![None; SECRET_KEY_BITS],
    };
    bits.into_iter().map(|b| boolean(cs, b)).collect()
}

/// `sk · G` with 2-bit windows: for bits `(b₀, b₁)` at position `i`, the point
/// `b₀·2^i·G + b₁·2^(i+1)·G` is a lookup that is linear in `b₀, b₁, b₀b₁`, then one addition.
pub fn fixed_base_mul(cs: &mut R1cs, bits: &[Signal]) -> Result<PointSignals, R1csError> {
    let mut multiple: EdwardsProjective = EdwardsAffine::generator().into_group();
    let mut acc: Option<PointSignals> = None;
    for pair in bits.chunks(2) {
        let c1 = multiple.into_affine();
        multiple.double_in_place();
        let c2 = multiple.into_affine();
        multiple.double_in_place();
        let c3 = (c1 + c2).into_affine();
        let zero = EdwardsAffine::zero();
        let looked_up = if pair.len() == 2 {
            // Table [O, c1, c2, c1 + c2] indexed by b0 + 2·b1.
            let b0b1 = mul(cs, &pair[0], &pair[1])?;
            let lookup = |z: Fr, v1: Fr, v2: Fr, v3: Fr| {
                Signal::constant(z)
                    .add_scaled(v1 - z, &pair[0])
                    .add_scaled(v2 - z, &pair[1])
                    .add_scaled(v3 - v2 - v1 + z, &b0b1)
            };
            PointSignals { x: lookup(zero.x, c1.x, c2.x, c3.x), y: lookup(zero.y, c1.y, c2.y, c3.y) }
        } else {
            let lookup = |z: Fr, v1: Fr| Signal::constant(z).add_scaled(v1 - z, &pair[0]);
            PointSignals { x: lookup(zero.x, c1.x), y: lookup(zero.y, c1.y) }
        };
        acc = Some(match acc {
            None => looked_up,
            Some(acc) => add(cs, &acc, &looked_up)?,
        });
    }
    Ok(acc.unwrap_or_else(|| PointSignals::constant(&EdwardsAffine::zero())))
}

/// `sk · P` by little-endian double-and-add.
pub fn variable_base_mul(cs: &mut R1cs, p: &PointSignals, bits: &[Signal]) -> Result<PointSignals, R1csError> {
    let identity = PointSignals::constant(&EdwardsAffine::zero());
    let mut acc = identity.clone();
    let mut multiple = p.clone();
    for (i, bit) in bits.iter().enumerate() {
        acc = if i == 0 {
            select(cs, bit, &multiple, &identity)?
        } else {
            let sum = add(cs, &acc, &multiple)?;
            select(cs, bit, &sum, &acc)?
        };
        if i + 1 < bits.len() {
            multiple = double(cs, &multiple)?;
        }
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::input;
    use ark_ff::UniformRand;
    use zkml_primitives::keys::{shared_point, PublicKey};

    #[test]
    fn both_multiplications_match_native_at_their_cost() {
        let mut rng = ark_std::test_rng();
        for _ in 0..3 {
            let (sk, org_sk) = (SecretScalar::rand(&mut rng), SecretScalar::rand(&mut rng));
            let org = PublicKey::from_secret(&org_sk);
            let cs = &mut R1cs::new(true);
            let [ox, oy] = org.coordinates();
            let org_var = PointSignals { x: input(cs, Some(ox)).unwrap(), y: input(cs, Some(oy)).unwrap() };
            let bits = secret_bits(cs, Some(sk)).unwrap();
            let before = cs.num_constraints();
            let pk = fixed_base_mul(cs, &bits).unwrap();
            assert_eq!(cs.num_constraints() - before, 126 * 7 - 6);
            let before = cs.num_constraints();
            let shared = variable_base_mul(cs, &org_var, &bits).unwrap();
            assert_eq!(cs.num_constraints() - before, 2 + 251 * (5 + 6 + 2));
            assert_eq!(pk.value(), Some(PublicKey::from_secret(&sk).point()));
            assert_eq!(shared.value(), Some(shared_point(&sk, &org)));
            let built = std::mem::replace(cs, R1cs::new(true)).finish();
            assert!(built.unsatisfied().is_empty());
        }
    }
}
