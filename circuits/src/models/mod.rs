//! Models as their libraries leave them ([`network`]) and as the circuit proves them ([`quantize`]).
//!
//! The circuit side of each kind lives in [`crate::inference`] (forward pass) and [`crate::claim`] (metric);
//! the integer evaluation here is the same arithmetic, and tests hold the two together.
pub mod network;
pub mod quantize;
pub mod report;
pub mod spec;

pub use network::{Dense, ModelFile, Network};
pub use quantize::{ActivationOverflow, QuantNetwork};
pub use report::{simulate_network, KindReport};
pub use spec::{kind_spec, parse_kind};

use crate::quant::{self, QuantDataset, QuantModel};
use anyhow::Result;
use ark_bn254::Fr;
use zkml_primitives::model::ModelKind;

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

impl ProvableModel for QuantNetwork {
    fn kind(&self) -> ModelKind {
        self.kind.clone()
    }
    fn field_params(&self) -> Vec<Fr> {
        QuantNetwork::field_params(self)
    }
    fn loss_on(&self, ds: &QuantDataset) -> Result<Fr> {
        Ok(self.loss(&ds.shape, &ds.x_q, &ds.y_q)?)
    }
}
