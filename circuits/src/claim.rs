//! The claim circuit: one Groth16 statement, for one model kind (`zkml_primitives::model`) on one dataset
//! shape, that
//!
//! 1. the private quantized dataset `(X: m×p, Y: m×n)` and its scales hash to the public dataset hash;
//! 2. the public envelope hash commits to `(pk_c, nonce, ct)` where `pk_c = sk·G` and
//!    `ct_i = v_i + Poseidon(shared.x, shared.y, nonce, i)` with `shared = sk·pk_org`, for exactly the
//!    parameters `v` (the kind's layout, each range-checked at its width) used below;
//! 3. the model's loss on the dataset is at most the public cap: for regression the sum of squared exact
//!    integer residuals `r = Y·2^Y_SHIFT − f(X)`, for classification the number of samples whose predicted
//!    class (first argmax of the logits, [`crate::gadgets::argmax`]) differs from the label;
//! 4. the payee and context (bounty or competition id) are the public ones (they are public inputs, so a
//!    proof is useless to anyone who would change them).
//!
//! # Why nothing wraps the field (the prototype's hole)
//! Every private integer is range-checked by bits (see [`crate::gadgets::range`]): `|x| ≤ 2^14`, `|y| ≤ 2^23`,
//! parameters at their layout widths, and `p ≤ 2^16`, `m·n ≤ 2^40` (checked when the circuit is built). The
//! outputs `f(X)` are then exact integers of magnitude at most `2^78` ([`crate::inference`] gives the bound
//! per kind), so `|r| < 2^79`, `r² < 2^158` and `SSE < 2^198`, all far below `r_BN254 > 2^253`: each product,
//! residual, square and the sum is the field image of the true integer, never a wrapped one. A classifier's
//! loss is `m − Σ correct_i` with each `correct_i` a boolean ([`crate::gadgets::compare::is_equal`]), an
//! integer in `[0, m]`. The cap comparison then proves `cap − loss ∈ [0, 2^128)` by 128 boolean bits. If
//! `loss > cap`, `cap − loss` is the field element `r_BN254 − (loss − cap) > 2^253 − 2^198 > 2^128`, which 128
//! bits cannot represent, so no witness passes. (`cap` is a `u128` public input.) A label outside `0..k`
//! equals no predicted class, so it counts as an error for every model.
use crate::{
    gadgets::{
        argmax::argmax_forced,
        babyjubjub::{fixed_base_mul, secret_bits, variable_base_mul, PointSignals},
        compare::is_equal,
        poseidon,
        range::{offset_to_value, pack_words, range_checked_variable, signed_bits},
        tree_path::ForcedLevel,
    },
    r1cs::{R1cs, R1csError, ONE},
    inference,
    signal::{boolean, enforce_equal, enforce_nonzero, input, mul, witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use core::ops::Range;
use zkml_primitives::{
    claim::{layout, ClaimStatement, ENVELOPE_DOMAIN, NUM_PUBLIC_INPUTS},
    dataset::{Scales, Shape, DATASET_DOMAIN, SSE_CAP_BITS, X_BITS, Y_BITS, Y_SHIFT},
    encoding::{domain_tag, fr_from_i128},
    keys::SecretScalar,
    model::{ModelKind, Task},
    poseidon::POSEIDON_4,
};

/// Hand-set intermediate values. An honest prover leaves all of these `None`; soundness tests set them to
/// play a malicious prover who assigns a value the constraints are supposed to reject.
#[derive(Clone, Debug, Default)]
pub struct WitnessOverrides {
    /// Values for the `r²` variables (the prototype's attack was to zero the residuals).
    pub squared_residuals: Option<Vec<Fr>>,
    /// Values for the competitor public key hashed into the envelope.
    pub competitor_pk: Option<[Fr; 2]>,
    /// Values for the 128 "bits" of `cap − loss`.
    pub sse_gap_bits: Option<Vec<Fr>>,
    /// A classifier's predicted class per sample, as claimed (one-hot of each) instead of the argmax.
    pub predicted_classes: Option<Vec<usize>>,
    /// MLP hidden activations `((sample, hidden layer from 1, unit), value)` claimed instead of `⌊ReLU(z)/d⌋`.
    pub activations: Option<Vec<((usize, usize, usize), Fr)>>,
    /// Tree-ensemble branches or features `((sample, tree, level), claim)` instead of the true path's.
    pub tree_levels: Option<Vec<((usize, usize, u32), ForcedLevel)>>,
}

/// Everything private (and the public statement) for one proof.
#[derive(Clone, Debug)]
pub struct ClaimAssignment {
    pub statement: ClaimStatement,
    pub scales: Scales,
    /// `X` row-major (`m × p`), quantized.
    pub x_q: Vec<i64>,
    /// `Y` row-major (`m × n`), quantized.
    pub y_q: Vec<i64>,
    /// The model's parameters in the kind's layout (`zkml_primitives::model`), as field elements: signed
    /// integers for dense kinds, packed words for a tree ensemble; exactly what is encrypted.
    pub params: Vec<Fr>,
    pub competitor_sk: SecretScalar,
    pub nonce: Fr,
    pub overrides: WitnessOverrides,
}

/// The circuit for one model kind on one shape; `assignment` is `None` when generating keys.
#[derive(Clone, Debug)]
pub struct ClaimCircuit {
    pub kind: ModelKind,
    pub shape: Shape,
    pub assignment: Option<ClaimAssignment>,
}

/// Constraint index ranges of each part of the circuit, for counting and for locating a failure.
#[derive(Clone, Debug, Default)]
pub struct Sections {
    pub ranges: Vec<(&'static str, Range<usize>)>,
    /// The loss the circuit computed (when assigned): SSE, or misclassified samples.
    pub loss: Option<Fr>,
}

impl Sections {
    pub fn count(&self, name: &str) -> usize {
        self.ranges.iter().filter(|(n, _)| *n == name).map(|(_, r)| r.len()).sum()
    }
    /// The section a constraint index belongs to.
    pub fn section_of(&self, index: usize) -> Option<&'static str> {
        self.ranges.iter().find(|(_, r)| r.contains(&index)).map(|(n, _)| *n)
    }
}

struct Recorder {
    sections: Sections,
    start: usize,
}

impl Recorder {
    fn new(cs: &R1cs) -> Self {
        Self { sections: Sections::default(), start: cs.num_constraints() }
    }
    fn close(&mut self, cs: &R1cs, name: &'static str) {
        let end = cs.num_constraints();
        self.sections.ranges.push((name, self.start..end));
        self.start = end;
    }
}

/// Why a circuit could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// The shape is unsupported or the assignment's lengths do not match it.
    Shape,
    R1cs(R1csError),
}

impl From<R1csError> for BuildError {
    fn from(e: R1csError) -> Self {
        Self::R1cs(e)
    }
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Shape => f.write_str("the claim's data does not match the circuit shape"),
            Self::R1cs(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl ClaimCircuit {
    pub fn new_for_setup(kind: ModelKind, shape: Shape) -> Self {
        Self { kind, shape, assignment: None }
    }

    fn check_lengths(&self) -> Result<(), BuildError> {
        self.shape.validate().map_err(|_| BuildError::Shape)?;
        // The label scale is the dataset's; checked against it on the assignment, and on chain at registration.
        let y_frac_bits = match (&self.assignment, self.kind.task()) {
            (Some(a), _) => a.scales.y_frac_bits,
            (None, Task::Classification { .. }) => 0,
            (None, Task::Regression) => 0,
        };
        self.kind.validate(&self.shape, y_frac_bits).map_err(|_| BuildError::Shape)?;
        if let Some(a) = &self.assignment {
            let s = &self.shape;
            let ok = a.x_q.len() == s.x_len()
                && a.y_q.len() == s.y_len()
                && Some(a.params.len() as u64) == self.kind.params_count(s)
                && a.scales.x_frac_bits.len() == s.p as usize;
            if !ok {
                return Err(BuildError::Shape);
            }
        }
        Ok(())
    }

    /// Generates the constraints (with values when `cs` is proving) and reports where each part lies.
    pub fn synthesize(&self, cs: &mut R1cs) -> Result<Sections, BuildError> {
        self.check_lengths()?;
        let (m, p, n) = (self.shape.m as usize, self.shape.p as usize, self.shape.n as usize);
        let a = self.assignment.as_ref().filter(|_| cs.is_proving());
        let mut rec = Recorder::new(cs);

        // Public inputs, in layout order.
        let public: Vec<Option<Fr>> = match a {
            Some(a) => a.statement.public_inputs().iter().map(|v| Some(*v)).collect(),
            None => vec![None; NUM_PUBLIC_INPUTS],
        };
        let inputs = public.iter().map(|v| input(cs, *v)).collect::<Result<Vec<_>, _>>()?;

        // 1. Dataset: range-check, pack and hash.
        let x_offsets = (0..m * p)
            .map(|i| signed_bits(cs, a.map(|a| Fr::from(a.x_q[i])), X_BITS))
            .collect::<Result<Vec<_>, _>>()?;
        let y_offsets = (0..m * n)
            .map(|i| signed_bits(cs, a.map(|a| Fr::from(a.y_q[i])), Y_BITS))
            .collect::<Result<Vec<_>, _>>()?;
        let mut preimage: Vec<Signal> = [m, p, n].iter().map(|d| Signal::constant(Fr::from(*d as u64))).collect();
        preimage.push(witness(cs, a.map(|a| fr_from_i128(a.scales.y_frac_bits as i128)))?);
        for j in 0..p {
            preimage.push(witness(cs, a.map(|a| fr_from_i128(a.scales.x_frac_bits[j] as i128)))?);
        }
        preimage.extend(pack_words(cs, &x_offsets, X_BITS)?);
        preimage.extend(pack_words(cs, &y_offsets, Y_BITS)?);
        let dataset_hash = poseidon::chain(cs, domain_tag(DATASET_DOMAIN), &preimage)?;
        enforce_equal(cs, &dataset_hash, &inputs[layout::DATASET_HASH]);
        rec.close(cs, "dataset");

        // 2.–3. Model parameters, range-checked at the widths of the kind's layout; then inference: the
        // model's outputs (regression predictions or class logits) for every sample.
        let x = |i: usize, j: usize| offset_to_value(&x_offsets[i * p + j], X_BITS);
        let overrides = a.map(|a| &a.overrides);
        let (params, outputs) = match self.kind.tree_layout(&self.shape) {
            Some(layout) => {
                let model = inference::allocate_trees(cs, &layout, a.map(|a| a.params.as_slice()))?;
                rec.close(cs, "model");
                let forced = |key: (usize, usize, u32)| {
                    overrides
                        .and_then(|o| o.tree_levels.as_ref())
                        .and_then(|v| v.iter().find(|(k, _)| *k == key))
                        .map(|(_, v)| *v)
                        .unwrap_or_default()
                };
                let outputs = inference::tree_outputs(cs, &self.kind, &self.shape, &layout, &model, &x, &forced)?;
                (model.words, outputs)
            }
            None => {
                let params = (0..self.kind.params_count(&self.shape).unwrap_or(0) as usize)
                    .map(|i| {
                        let bits = self.kind.param_bits(&self.shape, i as u64).ok_or(BuildError::Shape)?;
                        Ok(range_checked_variable(cs, a.map(|a| a.params[i]), bits)?)
                    })
                    .collect::<Result<Vec<_>, BuildError>>()?;
                rec.close(cs, "model");
                let forced_activation = |key: (usize, usize, usize)| {
                    overrides.and_then(|o| o.activations.as_ref()).and_then(|v| v.iter().find(|(k, _)| *k == key)).map(|(_, v)| *v)
                };
                let outputs = inference::outputs(cs, &self.kind, &self.shape, &params, &x, &forced_activation)?;
                (params, outputs)
            }
        };
        rec.close(cs, "inference");

        // 4. Metric: the loss (SSE, or misclassified samples), and loss ≤ cap.
        let loss = match self.kind.task() {
            Task::Regression => {
                let y_shift = Fr::from(1u64 << Y_SHIFT);
                let mut sse = Signal::constant(Fr::ZERO);
                for i in 0..m {
                    for k in 0..n {
                        // r = (y_offset − 2^23)·2^16 − prediction
                        let r = offset_to_value(&y_offsets[i * n + k], Y_BITS)
                            .scale(y_shift)
                            .add_scaled(-Fr::ONE, &outputs.values[i][k]);
                        let forced = overrides.and_then(|o| o.squared_residuals.as_ref()).map(|v| v[i * n + k]);
                        let square = witness(cs, forced.or(r.value.map(|v| v.square())))?;
                        cs.enforce(&r.lc, &r.lc, &square.lc);
                        sse = sse.add_scaled(Fr::ONE, &square);
                    }
                }
                sse
            }
            Task::Classification { .. } => {
                let mut errors = Signal::constant(Fr::from(m as u64));
                for (i, logits) in outputs.values.iter().enumerate() {
                    let forced = overrides.and_then(|o| o.predicted_classes.as_ref()).map(|v| {
                        (0..logits.len()).map(|c| c == v[i]).collect::<Vec<bool>>()
                    });
                    let predicted = argmax_forced(cs, logits, outputs.diff_bits, forced.as_deref())?;
                    let label = offset_to_value(&y_offsets[i], Y_BITS);
                    let correct = is_equal(cs, &predicted.index, &label)?;
                    errors = errors.add_scaled(-Fr::ONE, &correct);
                }
                errors
            }
        };
        let cap = &inputs[layout::SSE_CAP];
        let gap = cap.clone().add_scaled(-Fr::ONE, &loss);
        let honest_bits = |g: Fr| g.into_bigint().to_bits_le().into_iter().take(SSE_CAP_BITS as usize);
        let mut bit_sum = Vec::with_capacity(SSE_CAP_BITS as usize);
        let mut coeff = Fr::ONE;
        match overrides.and_then(|o| o.sse_gap_bits.as_ref()) {
            // A malicious prover's "bits", constrained exactly like honest ones.
            Some(forced) => {
                for v in forced {
                    let b = witness(cs, Some(*v))?;
                    cs.enforce(&b.lc, &b.lc, &b.lc);
                    bit_sum.push((coeff, b.lc[0].1));
                    coeff.double_in_place();
                }
            }
            None => {
                let bits: Vec<Option<bool>> = match gap.value {
                    Some(g) => honest_bits(g).map(Some).collect(),
                    None => vec![None; SSE_CAP_BITS as usize],
                };
                for bit in bits {
                    let b = boolean(cs, bit)?;
                    bit_sum.push((coeff, b.lc[0].1));
                    coeff.double_in_place();
                }
            }
        }
        cs.enforce(&bit_sum, &vec![(Fr::ONE, ONE)], &gap.lc);
        rec.close(cs, "metric");

        // 5. Delivery: keys, ECDH, cipher, envelope hash.
        let sk_bits = secret_bits(cs, a.map(|a| a.competitor_sk))?;
        let derived_pk = fixed_base_mul(cs, &sk_bits)?;
        // pk = sk·G has x = 0 only for sk ≡ 0 (mod l), whose "shared secret" is public: refuse it.
        enforce_nonzero(cs, &derived_pk.x)?;
        let forced_pk = overrides.and_then(|o| o.competitor_pk);
        let competitor_pk = PointSignals {
            x: witness(cs, forced_pk.map(|p| p[0]).or(derived_pk.x.value))?,
            y: witness(cs, forced_pk.map(|p| p[1]).or(derived_pk.y.value))?,
        };
        enforce_equal(cs, &competitor_pk.x, &derived_pk.x);
        enforce_equal(cs, &competitor_pk.y, &derived_pk.y);
        // The organizer key is a public input; the chain only accepts keys in the prime-order subgroup.
        let organizer_pk =
            PointSignals { x: inputs[layout::ORGANIZER_PK_X].clone(), y: inputs[layout::ORGANIZER_PK_Y].clone() };
        let shared = variable_base_mul(cs, &organizer_pk, &sk_bits)?;
        let nonce = witness(cs, a.map(|a| a.nonce))?;
        let mut envelope = vec![competitor_pk.x, competitor_pk.y, nonce.clone()];
        for (i, v) in params.iter().enumerate() {
            let key = poseidon::hash(
                cs,
                &POSEIDON_4,
                &[shared.x.clone(), shared.y.clone(), nonce.clone(), Signal::constant(Fr::from(i as u64))],
            )?;
            envelope.push(key.add_scaled(Fr::ONE, v));
        }
        let envelope_hash = poseidon::chain(cs, domain_tag(ENVELOPE_DOMAIN), &envelope)?;
        enforce_equal(cs, &envelope_hash, &inputs[layout::ENVELOPE_HASH]);
        rec.close(cs, "delivery");

        // 6. Binding: the payee and bounty id take part in a constraint each. (ark-groth16's reduction already
        // binds every public input; these make it independent of that detail, as Tornado Cash does.)
        for idx in [layout::PAYEE_LO, layout::PAYEE_HI, layout::BOUNTY_ID] {
            mul(cs, &inputs[idx], &inputs[idx])?;
        }
        rec.close(cs, "binding");

        rec.sections.loss = loss.value;
        Ok(rec.sections)
    }
}
