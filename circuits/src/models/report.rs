//! What `simulate` reports for a model of any kind: the float metric of the model as its library left it,
//! and the exact metric the circuit will prove for the quantized model.
use super::{quantize::QuantizedModel, spec::kind_spec, TrainedModel};
use crate::quant::{field_to_f64, FloatDataset, QuantDataset};
use anyhow::Result;
use ark_ff::PrimeField;
use ndarray::Array2;
use serde::Serialize;
use zkml_primitives::model::Task;

#[derive(Clone, Debug, Serialize)]
pub struct KindReport {
    pub kind: String,
    pub m: u32,
    pub p: u32,
    pub n: u32,
    /// `sse` or `misclassified`: what the proof bounds.
    pub metric: &'static str,
    /// The proven loss (decimal: an SSE can exceed 64 bits).
    pub quantized_loss: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub float_mse: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantized_mse: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_error: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub float_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantized_accuracy: Option<f64>,
    /// Samples whose quantized prediction differs from the float model's (classifiers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differing_predictions: Option<Vec<usize>>,
}

impl KindReport {
    pub fn summary(&self) -> String {
        match self.metric {
            "misclassified" => format!(
                "{}: float accuracy {:.6}, quantized accuracy {:.6} ({} of {} misclassified); {} prediction(s) differ from the float model's{}",
                self.kind,
                self.float_accuracy.unwrap_or_default(),
                self.quantized_accuracy.unwrap_or_default(),
                self.quantized_loss,
                self.m,
                self.differing_predictions.as_ref().map_or(0, Vec::len),
                match self.differing_predictions.as_deref() {
                    Some(d) if !d.is_empty() => format!(" (samples {d:?})"),
                    _ => String::new(),
                }
            ),
            _ => format!(
                "{}: float MSE {:.9}, quantized MSE {:.9}, relative error {:.3e}",
                self.kind,
                self.float_mse.unwrap_or_default(),
                self.quantized_mse.unwrap_or_default(),
                self.relative_error.unwrap_or_default()
            ),
        }
    }
}

/// Quantizes `net` for `qds` (hidden activations calibrated on `calibration`'s rows; a tree ensemble as
/// `trees_kind` when given, see [`QuantizedModel::quantize`]) and compares the float and quantized metrics on
/// `ds`, the float dataset `qds` quantizes.
pub fn simulate_model(
    net: &TrainedModel,
    ds: &FloatDataset,
    qds: &QuantDataset,
    calibration: &Array2<f64>,
    trees_kind: Option<&zkml_primitives::model::ModelKind>,
) -> Result<(QuantizedModel, KindReport)> {
    let qm = QuantizedModel::quantize(net, &qds.shape, &qds.scales, calibration, trees_kind)?;
    let loss = qm.loss(&qds.shape, &qds.x_q, &qds.y_q)?;
    let s = qds.shape;
    let mut report = KindReport {
        kind: kind_spec(&qm.kind),
        m: s.m,
        p: s.p,
        n: s.n,
        metric: "sse",
        quantized_loss: loss.into_bigint().to_string(),
        float_mse: None,
        quantized_mse: None,
        relative_error: None,
        float_accuracy: None,
        quantized_accuracy: None,
        differing_predictions: None,
    };
    match net.task() {
        Task::Regression => {
            let mut sum = 0.0;
            for (row, y) in ds.x.outer_iter().zip(ds.y.outer_iter()) {
                let out = net.forward(row);
                sum += out.iter().zip(y).map(|(o, y)| (o - y).powi(2)).sum::<f64>();
            }
            let float_mse = sum / ds.y.len() as f64;
            let quantized_mse = qds.mse_of_sse(field_to_f64(&loss));
            report.float_mse = Some(float_mse);
            report.quantized_mse = Some(quantized_mse);
            report.relative_error = Some(if float_mse == 0.0 { 0.0 } else { (quantized_mse - float_mse).abs() / float_mse });
        }
        Task::Classification { .. } => {
            let labels: Vec<i64> = qds.y_q.clone();
            let float_pred = net.predict_classes(&ds.x);
            let q_pred = qm.predict_classes(&qds.shape, &qds.x_q)?;
            let acc = |p: &[usize]| p.iter().zip(&labels).filter(|(p, l)| **p as i64 == **l).count() as f64 / labels.len() as f64;
            report.metric = "misclassified";
            report.float_accuracy = Some(acc(&float_pred));
            report.quantized_accuracy = Some(acc(&q_pred));
            report.differing_predictions = Some((0..labels.len()).filter(|&i| float_pred[i] != q_pred[i]).collect());
        }
    }
    Ok((qm, report))
}
