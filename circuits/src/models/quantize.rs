//! Quantization of a [`Network`] and its integer evaluation: the one implementation the simulator, the
//! witness and `decrypt` share (the circuit evaluates exactly [`QuantizedModel::outputs`]).
//!
//! # Scales
//! Inputs are the dataset's: feature `j` at `2^fx_j`. Layer `l` maps inputs at scales `2^T_j` to
//! pre-activations at `2^E_l` with weights `round(w · 2^(E_l − T_j))` and biases `round(b · 2^E_l)`:
//! - classification logits and hidden pre-activations take the largest `E_l` whose weights and biases fit
//!   their widths (argmax and ReLU do not care about a positive scale, so precision is all that matters);
//! - regression outputs must be at the dataset's residual scale `F = fy + 16`, so that `y·2^16 − z` is the
//!   exact residual: `E_out = F`;
//! - a hidden layer's activation is `⌊ReLU(z)/d⌋` with `d = 2^(E_l − T_l)`, where `T_l` puts the largest
//!   activation seen on the calibration rows at `2^(ACT_BITS − HEADROOM_BITS)`: rows never seen (a hidden test
//!   set) may be up to `2^HEADROOM_BITS` times larger before an activation no longer fits (then no proof can be
//!   made, and [`QuantizedModel::outputs`] says which sample and layer).
//!
//! Every scale is derived from the model and the calibration rows, never fixed for a dataset.
use super::{network::Network, TrainedModel};
use crate::gadgets::{argmax::first_argmax, rescale::relu_div};
use anyhow::{bail, ensure, Result};
use ark_bn254::Fr;
use ark_ff::Field;
use ndarray::Array2;
use zkml_primitives::{
    dataset::{signed_range, Scales, Shape, Y_SHIFT},
    encoding::{fr_from_i128, fr_to_i128},
    model::{ModelKind, Task, TreeLayout, ACT_BITS, DIV_BITS},
};

/// Headroom of hidden activations over the calibration rows' largest, in bits (16×).
pub const HEADROOM_BITS: u32 = 4;

/// A quantized model: its kind and its parameters in layout order (`zkml_primitives::model`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantizedModel {
    pub kind: ModelKind,
    pub params: Vec<i64>,
    /// `E_l` of each layer and `T_l` of each hidden layer, for dequantization and reports.
    pub layer_scales: Vec<i32>,
    pub activation_scales: Vec<i32>,
    /// A tree ensemble's layout (its parameters are node values then leaves, encrypted as packed words).
    pub trees: Option<TreeLayout>,
}

/// The largest `e` with `round(max_abs · 2^e) ≤ 2^(bits−1) − 1` (∞ for 0, as `i32::MAX`).
pub(super) fn fit_exponent(max_abs: f64, bits: u32) -> i32 {
    if max_abs == 0.0 {
        return i32::MAX;
    }
    let limit = ((1u128 << (bits - 1)) - 1) as f64;
    let mut e = (limit / max_abs).log2().floor() as i32;
    while (max_abs * 2f64.powi(e)).round() > limit {
        e -= 1;
    }
    e
}

pub(super) fn quantize(v: f64, e: i32, bits: u32, what: &str) -> Result<i64> {
    let q = (v * 2f64.powi(e)).round();
    let (lo, hi) = signed_range(bits);
    ensure!(q >= lo as f64 && q <= hi as f64, "{what} = {v} does not fit {bits} bits at scale 2^{e}");
    Ok(q as i64)
}

impl QuantizedModel {
    /// Quantizes `net` for a dataset with `scales`, calibrating hidden activations on the rows of `calibration`
    /// (floats, `· × p`).
    pub fn new(net: &Network, shape: &Shape, scales: &Scales, calibration: &Array2<f64>) -> Result<Self> {
        let kind = net.kind();
        kind.validate(shape, scales.y_frac_bits).map_err(|e| anyhow::anyhow!("{e}"))?;
        ensure!(net.inputs() == shape.p as usize, "the model takes {} features, the dataset has {}", net.inputs(), shape.p);
        if let Task::Regression = net.task {
            let outputs = net.layers.last().expect("a layer").w.ncols();
            ensure!(outputs == shape.n as usize, "the model has {outputs} outputs, the dataset {} targets", shape.n);
        }
        ensure!(calibration.ncols() == shape.p as usize, "calibration rows have {} features", calibration.ncols());
        let last = net.layers.len() - 1;
        let (w_bits, b_bits) = match kind {
            ModelKind::Linear { .. } => (zkml_primitives::dataset::W_BITS, zkml_primitives::dataset::B_BITS),
            ModelKind::Mlp { .. } => (zkml_primitives::model::MLP_W_BITS, zkml_primitives::model::MLP_B_BITS),
            ModelKind::Trees { .. } => bail!("a tree ensemble is quantized by QuantizedModel::from_trees"),
        };
        // The largest ReLU output of each hidden layer over the calibration rows.
        let mut max_act = vec![0.0f64; last];
        for row in calibration.outer_iter() {
            for (l, z) in net.pre_activations(row).iter().take(last).enumerate() {
                max_act[l] = z.iter().fold(max_act[l], |m, v| m.max(*v));
            }
        }
        let mut input_scales: Vec<i32> = scales.x_frac_bits.clone();
        let (mut params, mut divisors) = (Vec::new(), Vec::new());
        let (mut layer_scales, mut activation_scales) = (Vec::new(), Vec::new());
        for (l, d) in net.layers.iter().enumerate() {
            let w_fit = d
                .w
                .indexed_iter()
                .map(|((j, _), v)| fit_exponent(v.abs(), w_bits).saturating_add(input_scales[j]))
                .min()
                .unwrap_or(i32::MAX);
            let b_fit = fit_exponent(d.b.iter().fold(0.0, |m, v| m.max(v.abs())), b_bits);
            let mut e = w_fit.min(b_fit);
            if l == last && net.task == Task::Regression {
                let f = scales.residual_frac_bits();
                ensure!(
                    e >= f,
                    "layer {l}: at the dataset's residual scale 2^{f} a weight or bias would not fit its {w_bits}/{b_bits} \
                     bits; the model's weights are too large for this dataset's scales"
                );
                e = f;
            }
            if e == i32::MAX {
                // An all-zero layer: any scale quantizes it exactly.
                e = input_scales.iter().copied().max().unwrap_or(0);
            }
            let mut next_scale = e;
            if l < last {
                // T puts the largest calibration activation at 2^(ACT_BITS − HEADROOM_BITS); the divisor
                // d = 2^(E − T) must stay below 2^(DIV_BITS − 1).
                let mut t = if max_act[l] > 0.0 { fit_exponent(max_act[l], ACT_BITS - HEADROOM_BITS + 1) } else { e };
                t = t.min(e);
                e = e.min(t + DIV_BITS as i32 - 2);
                divisors.push(1i64 << (e - t));
                activation_scales.push(t);
                next_scale = t;
            }
            layer_scales.push(e);
            for ((j, k), v) in d.w.indexed_iter() {
                params.push(quantize(*v, e - input_scales[j], w_bits, &format!("layer {l} weight [{j}, {k}]"))?);
            }
            for (k, v) in d.b.iter().enumerate() {
                params.push(quantize(*v, e, b_bits, &format!("layer {l} bias [{k}]"))?);
            }
            input_scales = vec![next_scale; d.w.ncols()];
        }
        params.extend(&divisors);
        ensure!(Some(params.len() as u64) == kind.params_count(shape), "parameter count does not match the kind");
        Ok(Self { kind, params, layer_scales, activation_scales, trees: None })
    }

    /// Quantizes a model of any kind but linear regression's `W`/`b` (see [`Self::new`] and
    /// [`Self::from_trees`]); a tree ensemble takes the kind `trees_kind` when given (a key's, with room for at
    /// least its trees and depth), else its own.
    pub fn quantize(model: &TrainedModel, shape: &Shape, scales: &Scales, calibration: &Array2<f64>, trees_kind: Option<&ModelKind>) -> Result<Self> {
        match model {
            TrainedModel::Network(net) => Self::new(net, shape, scales, calibration),
            TrainedModel::Trees(ens) => Self::from_trees(ens, trees_kind.unwrap_or(&ens.kind()), shape, scales, calibration),
        }
    }

    /// Parameters as field elements, the order they are encrypted in.
    pub fn field_params(&self) -> Vec<Fr> {
        if let Some(layout) = &self.trees {
            return self.tree_field_params(layout);
        }
        self.params.iter().map(|v| fr_from_i128(*v as i128)).collect()
    }

    /// Recovers a model from decrypted parameters: each must be an in-range signed integer of its width.
    pub fn from_field_params(kind: &ModelKind, shape: &Shape, params: &[Fr]) -> Result<Self> {
        ensure!(Some(params.len() as u64) == kind.params_count(shape), "expected {:?} parameters, got {}", kind.params_count(shape), params.len());
        if let Some(layout) = kind.tree_layout(shape) {
            let params = Self::tree_values_from_words(&layout, params)?;
            return Ok(Self { kind: kind.clone(), params, layer_scales: Vec::new(), activation_scales: Vec::new(), trees: Some(layout) });
        }
        let params = params
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let bits = kind.param_bits(shape, i as u64).expect("index within the count");
                let (lo, hi) = signed_range(bits);
                match fr_to_i128(v) {
                    Some(x) if x >= lo && x <= hi => Ok(x as i64),
                    _ => bail!("parameter {i} does not decrypt to a {bits}-bit integer: wrong key or corrupted envelope"),
                }
            })
            .collect::<Result<_>>()?;
        Ok(Self { kind: kind.clone(), params, layer_scales: Vec::new(), activation_scales: Vec::new(), trees: None })
    }

    /// A model from its integer values in layout order (a tree ensemble's node values and leaves unpacked), as
    /// kept by a competitor: every value is checked in range by packing and unpacking it.
    pub fn from_values(kind: &ModelKind, shape: &Shape, values: &[i64]) -> Result<Self> {
        let model = Self { kind: kind.clone(), params: values.to_vec(), layer_scales: Vec::new(), activation_scales: Vec::new(), trees: kind.tree_layout(shape) };
        let expected = match &model.trees {
            Some(t) => (t.nodes() + t.leaves()) as u64,
            None => kind.params_count(shape).unwrap_or(u64::MAX),
        };
        ensure!(values.len() as u64 == expected, "{} model values, the kind has {expected}", values.len());
        let back = Self::from_field_params(kind, shape, &model.field_params())?;
        ensure!(back.params == model.params, "a model value does not fit its width");
        Ok(model)
    }

    /// The outputs for one sample of quantized features `x_q` (`p` values), exactly as the circuit computes
    /// them; an error names the layer whose activation does not fit `ACT_BITS` (no proof exists then).
    pub fn outputs(&self, shape: &Shape, x_q: &[i64]) -> Result<Vec<i128>, ActivationOverflow> {
        Ok(self.evaluate(shape, x_q)?.1)
    }

    /// Every hidden layer's activations, and the outputs, for one sample.
    pub fn evaluate(&self, shape: &Shape, x_q: &[i64]) -> Result<(Vec<Vec<i128>>, Vec<i128>), ActivationOverflow> {
        if let Some(layout) = &self.trees {
            return Ok((Vec::new(), self.tree_outputs(layout, x_q)));
        }
        let mut hidden = Vec::new();
        let widths = self.kind.widths(shape);
        let layers = widths.len() - 1;
        let layer_params = self.kind.divisors_start(shape).unwrap_or(0) as usize;
        let mut act: Vec<i128> = x_q.iter().map(|v| *v as i128).collect();
        let mut offset = 0;
        for l in 1..=layers {
            let (inputs, outputs) = (widths[l - 1] as usize, widths[l] as usize);
            let w = &self.params[offset..offset + inputs * outputs];
            let b = &self.params[offset + inputs * outputs..offset + (inputs + 1) * outputs];
            offset += (inputs + 1) * outputs;
            let z: Vec<i128> = (0..outputs)
                .map(|k| b[k] as i128 + (0..inputs).map(|j| act[j] * w[j * outputs + k] as i128).sum::<i128>())
                .collect();
            act = if l < layers {
                let d = self.params[layer_params + l - 1] as i128;
                let a: Vec<i128> = z.iter().map(|z| relu_div(*z, d.max(1))).collect();
                if let Some(unit) = a.iter().position(|a| *a >= 1i128 << ACT_BITS) {
                    return Err(ActivationOverflow { sample: None, layer: l, unit });
                }
                hidden.push(a.clone());
                a
            } else {
                z
            };
        }
        Ok((hidden, act))
    }

    /// The loss the circuit proves on a quantized dataset: SSE (as a field element: it may exceed 128 bits) or
    /// the number of misclassified samples.
    pub fn loss(&self, shape: &Shape, x_q: &[i64], y_q: &[i64]) -> Result<Fr, ActivationOverflow> {
        if let Task::Classification { .. } = self.kind.task() {
            let predicted = self.predict_classes(shape, x_q)?;
            let errors = predicted.iter().zip(y_q).filter(|(p, y)| **p as i64 != **y).count();
            return Ok(Fr::from(errors as u64));
        }
        let n = shape.n as usize;
        let mut sse = Fr::from(0u64);
        for (i, out) in self.all_outputs(shape, x_q)?.iter().enumerate() {
            for k in 0..n {
                let r = ((y_q[i * n + k] as i128) << Y_SHIFT) - out[k];
                sse += fr_from_i128(r).square();
            }
        }
        Ok(sse)
    }

    /// The predicted class of every sample (classifiers): the first argmax of its logits, as the circuit takes it.
    pub fn predict_classes(&self, shape: &Shape, x_q: &[i64]) -> Result<Vec<usize>, ActivationOverflow> {
        let outputs = self.all_outputs(shape, x_q)?;
        Ok(outputs.iter().map(|out| first_argmax(&out.iter().map(|v| fr_from_i128(*v)).collect::<Vec<_>>())).collect())
    }

    /// The outputs of every sample, an overflow naming its sample.
    fn all_outputs(&self, shape: &Shape, x_q: &[i64]) -> Result<Vec<Vec<i128>>, ActivationOverflow> {
        let p = shape.p as usize;
        (0..shape.m as usize)
            .map(|i| self.outputs(shape, &x_q[i * p..(i + 1) * p]).map_err(|e| ActivationOverflow { sample: Some(i), ..e }))
            .collect()
    }
}

/// A hidden activation beyond `2^ACT_BITS`: the data is further out than the model was calibrated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivationOverflow {
    pub sample: Option<usize>,
    pub layer: usize,
    pub unit: usize,
}

impl core::fmt::Display for ActivationOverflow {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let at = self.sample.map(|s| format!("sample {s}, ")).unwrap_or_default();
        write!(
            f,
            "{at}hidden layer {} unit {}: the activation does not fit {ACT_BITS} bits (the data is more than \
             2^{HEADROOM_BITS} times beyond the calibration rows); re-quantize calibrating on data like this",
            self.layer, self.unit
        )
    }
}

impl std::error::Error for ActivationOverflow {}
