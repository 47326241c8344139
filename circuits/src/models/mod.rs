//! Models as their libraries leave them ([`network`]) and as the circuit proves them ([`quantize`]).
//!
//! The circuit side of each kind lives in [`crate::inference`] (forward pass) and [`crate::claim`] (metric);
//! the integer evaluation here is the same arithmetic, and tests hold the two together.
pub mod network;
pub mod onnx;
pub mod quantize;
pub mod quantize_trees;
pub mod report;
pub mod spec;
pub mod trees;

pub use network::{Dense, ModelFile, Network};
pub use quantize::{ActivationOverflow, QuantizedModel};
pub use report::{simulate_model, KindReport};
pub use spec::{kind_spec, parse_kind};
pub use trees::TreeEnsemble;

use crate::quant::{self, QuantDataset, QuantModel};
use anyhow::{Context, Result};
use ark_bn254::Fr;
use ndarray::{Array1, Array2, ArrayView1};
use zkml_primitives::model::{ModelKind, Task};

/// A model file as its library left it: dense layers (linear models, MLPs) or a tree ensemble.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainedModel {
    Network(Network),
    Trees(TreeEnsemble),
}

/// The first index of the largest value (numpy's `argmax`), for float logits.
pub(crate) fn first_argmax_f64(z: &Array1<f64>) -> usize {
    let mut best = 0;
    for (c, v) in z.iter().enumerate() {
        if *v > z[best] {
            best = c;
        }
    }
    best
}

impl TrainedModel {
    /// Reads a `zkml-model/1` file of any kind, or an ONNX model of dense layers (`*.onnx`, see [`onnx`]).
    pub fn load(path: &std::path::Path) -> Result<Self> {
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("onnx")) {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            return Ok(Self::Network(onnx::load_onnx(&bytes, None).with_context(|| format!("ONNX model {}", path.display()))?));
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not a zkml model file", path.display()))?;
        if value.get("kind").and_then(|k| k.as_str()) == Some("trees") {
            let file: trees::TreesFile = serde_json::from_value(value).with_context(|| format!("{} is not a zkml trees model file", path.display()))?;
            return Ok(Self::Trees(TreeEnsemble::from_file(&file, None).with_context(|| format!("model file {}", path.display()))?));
        }
        Ok(Self::Network(Network::load(path)?))
    }

    pub fn kind(&self) -> ModelKind {
        match self {
            Self::Network(n) => n.kind(),
            Self::Trees(t) => t.kind(),
        }
    }

    pub fn task(&self) -> Task {
        match self {
            Self::Network(n) => n.task,
            Self::Trees(t) => t.task,
        }
    }

    /// Regression predictions or class logits for one sample.
    pub fn forward(&self, x: ArrayView1<f64>) -> Array1<f64> {
        match self {
            Self::Network(n) => n.forward(x),
            Self::Trees(t) => t.forward(x),
        }
    }

    /// The predicted class of each row (first argmax of the logits).
    pub fn predict_classes(&self, x: &Array2<f64>) -> Vec<usize> {
        x.outer_iter().map(|row| first_argmax_f64(&self.forward(row))).collect()
    }

    /// Whether `key_kind` can prove this model: the same kind, or for trees a kind with room for its trees
    /// (per output group) and depth and the same task (shallower or fewer trees are padded).
    pub fn fits_kind(&self, key_kind: &ModelKind) -> bool {
        match (self.kind(), key_kind) {
            (ModelKind::Trees { trees, depth, task }, ModelKind::Trees { trees: kt, depth: kd, task: ktask }) => {
                task == *ktask && trees <= *kt && depth <= *kd
            }
            (own, key) => own == *key,
        }
    }
}

/// What a claim needs from a quantized model of any kind.
pub trait ProvableModel {
    fn kind(&self) -> ModelKind;
    /// Parameters in layout order, as encrypted to the organizer.
    fn field_params(&self) -> Vec<Fr>;
    /// The loss the circuit proves on `ds` (SSE, or misclassified samples).
    fn loss_on(&self, ds: &QuantDataset) -> Result<Fr>;
}

impl ProvableModel for QuantModel {
    fn kind(&self) -> ModelKind {
        ModelKind::LINEAR_REGRESSION
    }
    fn field_params(&self) -> Vec<Fr> {
        QuantModel::field_params(self)
    }
    fn loss_on(&self, ds: &QuantDataset) -> Result<Fr> {
        Ok(quant::sse(ds, self))
    }
}

impl ProvableModel for QuantizedModel {
    fn kind(&self) -> ModelKind {
        self.kind.clone()
    }
    fn field_params(&self) -> Vec<Fr> {
        QuantizedModel::field_params(self)
    }
    fn loss_on(&self, ds: &QuantDataset) -> Result<Fr> {
        Ok(self.loss(&ds.shape, &ds.x_q, &ds.y_q)?)
    }
}
