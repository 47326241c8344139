//! Quantization accuracy on real data (linfa-datasets' copies of sklearn's diabetes and the UCI red-wine
//! quality data), at default settings, against the 1e-3 relative-error target, and a real proof on diabetes.
mod common;

use rand::{rngs::StdRng, SeedableRng};
use zkml::{
    circuit::ClaimCircuit,
    prover::{self, ClaimRequest},
    quant::{self, QuantDataset, Settings},
};
use zkml_primitives::groth16;

fn relative_error(ds: &quant::FloatDataset) -> quant::Report {
    let model = common::least_squares(ds);
    let qds = QuantDataset::new(ds, quant::calibrate(ds, &Settings::default()).unwrap()).unwrap();
    let (_, report) = quant::simulate(ds, &model, &qds).unwrap();
    println!(
        "{}x{}: float MSE {:.9}, quantized MSE {:.9}, relative error {:.3e}",
        report.m, report.p, report.float_mse, report.quantized_mse, report.relative_error
    );
    report
}

#[test]
fn diabetes_within_target() {
    let r = relative_error(&common::diabetes());
    // linfa-datasets ships 441 of sklearn's 442 rows.
    assert_eq!((r.m, r.p, r.n), (441, 10, 1));
    assert!(r.float_mse > 2000.0 && r.float_mse < 4000.0, "OLS on diabetes: {}", r.float_mse);
    assert!(r.relative_error <= 1e-3, "{}", r.relative_error);
}

#[test]
fn winequality_within_target() {
    let r = relative_error(&common::winequality());
    assert_eq!((r.m, r.p), (1599, 11));
    assert!(r.relative_error <= 1e-3, "{}", r.relative_error);
}

#[test]
fn settings_override_and_coarse_scales_lose_accuracy() {
    let ds = common::diabetes();
    let model = common::least_squares(&ds);
    let settings: Settings = serde_json::from_str(r#"{"x_frac_bits": 4, "y_frac_bits": 0, "m": 441}"#).unwrap();
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &settings).unwrap()).unwrap();
    assert_eq!(qds.scales.x_frac_bits, vec![4; 10]);
    let (_, coarse) = quant::simulate(&ds, &model, &qds).unwrap();
    assert!(coarse.relative_error > 1e-2, "{}", coarse.relative_error);
    let wrong_m: Settings = serde_json::from_str(r#"{"m": 20}"#).unwrap();
    assert!(quant::calibrate(&ds, &wrong_m).unwrap_err().to_string().contains("m = 20"));
}

#[test]
fn diabetes_claim_proves_and_verifies() {
    let ds = common::diabetes();
    let model = common::least_squares(&ds);
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
    let (qm, report) = quant::simulate(&ds, &model, &qds).unwrap();
    let organizer_pk = common::organizer(5).1;
    let sse_cap = qds.sse_cap(report.float_mse * 1.01).unwrap();
    let req = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee: [9; 32], bounty_id: 11, sse_cap };
    let mut rng = StdRng::seed_from_u64(3);
    let claim = prover::prepare_claim(&req, &mut rng).unwrap();
    let (pk, vk) = prover::setup(qds.shape, &mut rng).unwrap();
    let proof = prover::prove(&pk, &ClaimCircuit { kind: zkml_primitives::model::ModelKind::LINEAR_REGRESSION, shape: qds.shape, assignment: Some(claim.assignment.clone()) }, &mut rng).unwrap();
    groth16::verify_claim(&groth16::encode_verifying_key(&vk), &groth16::encode_proof(&proof), &claim.assignment.statement)
        .unwrap();
    // A cap 1% below the float MSE is refused: the quantized MSE tracks the float one that closely.
    let tight = ClaimRequest { sse_cap: qds.sse_cap(report.float_mse * 0.99).unwrap(), ..req };
    assert!(prover::prepare_claim(&tight, &mut rng).is_err());
}
