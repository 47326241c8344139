//! Model kinds beyond linear regression, on real data that ships with scikit-learn, trained by scikit-learn
//! (`examples/export_model.py`, the path a user takes) and evaluated on rows the model was not trained on:
//! - the float model zkml reads predicts exactly what scikit-learn predicts (the export and the folding of the
//!   scaler are faithful);
//! - the quantized model's accuracy equals the float model's, or the differing predictions are listed and
//!   fewer than 0.5 % of the samples; a regressor's quantized MSE is within 1e-4 of the float MSE, relatively;
//! - the circuit, built with the quantized model on test rows, is satisfied and computes exactly the loss the
//!   integer evaluation gives, and a Groth16 proof of a classifier's claim verifies.
mod common;

use ndarray::{concatenate, Array2, Axis};
use rand::{rngs::StdRng, SeedableRng};
use std::{path::PathBuf, process::Command};
use zkml::{
    circuit::{r1cs::R1cs, ClaimCircuit},
    io,
    prover::{self, ClaimRequest},
    quant::{self, FloatDataset, QuantDataset, Settings},
};
use zkml_circuits::models::{Network, ProvableModel, QuantNetwork};
use zkml_primitives::{groth16, model::Task};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `examples/export_model.py` with the project's virtualenv (made by `scripts/setup.sh`).
fn export_model(args: &[&str]) {
    let python = repo().join(".venv/bin/python");
    assert!(python.exists(), "{} is missing: run scripts/setup.sh (it installs numpy and scikit-learn)", python.display());
    let out = Command::new(python).arg(repo().join("examples/export_model.py")).args(args).output().unwrap();
    assert!(out.status.success(), "export_model.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

struct Case {
    train: FloatDataset,
    test: FloatDataset,
    net: Network,
    /// scikit-learn's own predictions on the test rows.
    sklearn: Vec<f64>,
    dir: tempfile::TempDir,
}

fn case(dataset: &str, kind: &str, hidden: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    export_model(&["data", dataset, "--out", &d]);
    let model = format!("{d}/model.json");
    let (train_dir, test_dir) = (format!("{d}/train"), format!("{d}/test"));
    let mut args = vec!["train", kind, "--dataset", &train_dir, "--out", &model, "--predict", &test_dir];
    if !hidden.is_empty() {
        args.extend(["--hidden", hidden]);
    }
    export_model(&args);
    let sklearn: Vec<f64> = serde_json::from_str(&std::fs::read_to_string(format!("{model}.predictions.json")).unwrap()).unwrap();
    Case {
        train: io::load_dataset(&dir.path().join("train")).unwrap(),
        test: io::load_dataset(&dir.path().join("test")).unwrap(),
        net: Network::load(&dir.path().join("model.json")).unwrap(),
        sklearn,
        dir,
    }
}

/// The organizer's scales: X calibrated over every split (as `add-dataset --cover` does), labels at 2^0 for
/// classifiers.
fn quantize_test(c: &Case) -> QuantDataset {
    let all = FloatDataset {
        x: concatenate(Axis(0), &[c.train.x.view(), c.test.x.view()]).unwrap(),
        y: concatenate(Axis(0), &[c.train.y.view(), c.test.y.view()]).unwrap(),
    };
    let settings = match c.net.task {
        Task::Classification { .. } => Settings { y_frac_bits: Some(0), ..Default::default() },
        Task::Regression => Settings::default(),
    };
    QuantDataset::new(&c.test, quant::calibrate(&all, &settings).unwrap()).unwrap()
}

/// Quantized vs float accuracy; returns the quantized model and the test set.
fn classifier_accuracy(c: &Case) -> (QuantNetwork, QuantDataset) {
    let float_pred = c.net.predict_classes(&c.test.x);
    let sk: Vec<usize> = c.sklearn.iter().map(|v| *v as usize).collect();
    assert_eq!(float_pred, sk, "the exported model predicts what scikit-learn predicts");
    let qds = quantize_test(c);
    // The competitor calibrates on the training rows only: the test rows are unseen.
    let qm = QuantNetwork::new(&c.net, &qds.shape, &qds.scales, &c.train.x).unwrap();
    let q_pred = qm.predict_classes(&qds.shape, &qds.x_q).unwrap();
    let labels: Vec<usize> = c.test.y.column(0).iter().map(|v| *v as usize).collect();
    let correct = |pred: &[usize]| pred.iter().zip(&labels).filter(|(p, l)| p == l).count();
    let differing: Vec<usize> = (0..labels.len()).filter(|&i| q_pred[i] != float_pred[i]).collect();
    println!(
        "{:?}: float accuracy {}/{m}, quantized {}/{m}, differing predictions at {differing:?}",
        qm.kind,
        correct(&float_pred),
        correct(&q_pred),
        m = labels.len()
    );
    assert!((differing.len() as f64) < 0.005 * labels.len() as f64, "{differing:?}");
    if differing.is_empty() {
        assert_eq!(correct(&q_pred), correct(&float_pred));
    }
    (qm, qds)
}

/// The circuit on the first `rows` test rows: satisfied, and its loss is the integer evaluation's.
fn circuit_agrees(qm: &QuantNetwork, qds: &QuantDataset, rows: usize) -> QuantDataset {
    let (p, n) = (qds.shape.p as usize, qds.shape.n as usize);
    let mut shape = qds.shape;
    shape.m = rows as u32;
    let sub = QuantDataset { shape, scales: qds.scales.clone(), x_q: qds.x_q[..rows * p].to_vec(), y_q: qds.y_q[..rows * n].to_vec() };
    let loss = qm.loss_on(&sub).unwrap();
    let cap = quant::field_to_u128(&loss).unwrap();
    let req = ClaimRequest { dataset: &sub, model: qm, organizer_pk: common::organizer(3).1, payee: [7; 32], bounty_id: 1, sse_cap: cap };
    let claim = prover::prepare_claim(&req, &mut StdRng::seed_from_u64(1)).unwrap();
    let circuit = ClaimCircuit { kind: qm.kind.clone(), shape, assignment: Some(claim.assignment) };
    let mut cs = R1cs::new(true);
    let sections = circuit.synthesize(&mut cs).unwrap();
    let built = cs.finish();
    assert!(built.unsatisfied().is_empty(), "violated: {:?}", &built.unsatisfied()[..1]);
    assert_eq!(sections.loss, Some(loss));
    println!("{:?} on {rows} rows: {} constraints", qm.kind, built.matrices.num_constraints);
    // One more error than the cap allows is refused before proving.
    if cap > 0 {
        let tight = ClaimRequest { sse_cap: cap - 1, ..req };
        assert!(prover::prepare_claim(&tight, &mut StdRng::seed_from_u64(1)).is_err());
    }
    sub
}

#[test]
fn logistic_regression_on_breast_cancer() {
    let c = case("breast_cancer", "logistic", "");
    let (qm, qds) = classifier_accuracy(&c);
    assert_eq!((qds.shape.m, qds.shape.p), (171, 30));
    let sub = circuit_agrees(&qm, &qds, 40);
    // A real proof for the classifier, verified against its statement.
    let (pk, vk) = prover::setup_for(&qm.kind, sub.shape, &mut StdRng::seed_from_u64(2)).unwrap();
    let loss = quant::field_to_u128(&qm.loss_on(&sub).unwrap()).unwrap();
    let req = ClaimRequest { dataset: &sub, model: &qm, organizer_pk: common::organizer(3).1, payee: [7; 32], bounty_id: 1, sse_cap: loss };
    let claim = prover::prepare_claim(&req, &mut StdRng::seed_from_u64(1)).unwrap();
    let circuit = ClaimCircuit { kind: qm.kind.clone(), shape: sub.shape, assignment: Some(claim.assignment.clone()) };
    let proof = prover::prove(&pk, &circuit, &mut StdRng::seed_from_u64(3)).unwrap();
    let (vk, proof) = (groth16::encode_verifying_key(&vk), groth16::encode_proof(&proof));
    groth16::verify_claim(&vk, &proof, &claim.assignment.statement).unwrap();
    // The same proof does not verify for a lower error cap.
    let mut lower = claim.assignment.statement.clone();
    lower.sse_cap = loss.saturating_sub(1);
    if loss > 0 {
        assert!(groth16::verify_claim(&vk, &proof, &lower).is_err());
    }
    drop(c.dir);
}

#[test]
fn linear_svm_on_wine() {
    let c = case("wine", "svm", "");
    let (qm, qds) = classifier_accuracy(&c);
    assert_eq!(qm.kind.task(), Task::Classification { classes: 3 });
    circuit_agrees(&qm, &qds, 20);
}

#[test]
fn mlp_64_32_10_on_digits() {
    let c = case("digits", "mlp", "32");
    let (qm, qds) = classifier_accuracy(&c);
    assert_eq!(qds.shape.p, 64);
    circuit_agrees(&qm, &qds, 4);
}

#[test]
fn mlp_regressor_on_diabetes() {
    let c = case("diabetes", "mlp-regressor", "32");
    let qds = quantize_test(&c);
    let qm = QuantNetwork::new(&c.net, &qds.shape, &qds.scales, &c.train.x).unwrap();
    // The float MSE of the model zkml read (checked against scikit-learn's predictions), and the quantized one.
    let float_pred: Vec<f64> = c.test.x.outer_iter().map(|r| c.net.forward(r)[0]).collect();
    for (a, b) in float_pred.iter().zip(&c.sklearn) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} vs scikit-learn's {b}");
    }
    let y = c.test.y.column(0);
    let float_mse = float_pred.iter().zip(y).map(|(p, y)| (p - y).powi(2)).sum::<f64>() / y.len() as f64;
    let sse = qm.loss_on(&qds).unwrap();
    let q_mse = qds.mse_of_sse(quant::field_to_f64(&sse));
    let rel = (q_mse - float_mse).abs() / float_mse;
    println!("MLP regressor: float MSE {float_mse:.6}, quantized {q_mse:.6}, relative error {rel:.2e}");
    assert!(rel <= 1e-4, "{rel}");
    circuit_agrees(&qm, &qds, 10);
}

#[test]
fn unseen_rows_far_beyond_calibration_are_refused_with_the_layer_named() {
    let c = case("diabetes", "mlp-regressor", "8");
    // A test set 1000× further out than the training rows the competitor calibrated on.
    let far = FloatDataset { x: &c.test.x * 1000.0, y: c.test.y.clone() };
    let qds = QuantDataset::new(&far, quant::calibrate(&far, &Settings::default()).unwrap()).unwrap();
    let qm = QuantNetwork::new(&c.net, &qds.shape, &qds.scales, &c.train.x).unwrap();
    let err = qm.loss_on(&qds).unwrap_err().to_string();
    assert!(err.contains("hidden layer 1") && err.contains("does not fit"), "{err}");
}

/// A small random network of `kind` shape on random data with random labels (so it misclassifies often).
fn synthetic(hidden: &[usize], task: Task, m: usize, p: usize) -> (Network, QuantDataset, Array2<f64>) {
    use ndarray::Array1;
    use rand::Rng;
    let mut rng = StdRng::seed_from_u64(9);
    let outputs = match task {
        Task::Classification { classes } => classes as usize,
        Task::Regression => 1,
    };
    let mut widths = vec![p];
    widths.extend_from_slice(hidden);
    widths.push(outputs);
    let layers = widths
        .windows(2)
        .map(|w| zkml_circuits::models::Dense {
            w: Array2::from_shape_fn((w[0], w[1]), |_| rng.gen_range(-1.0..1.0)),
            b: Array1::from_shape_fn(w[1], |_| rng.gen_range(-0.5..0.5)),
        })
        .collect();
    let net = Network { task, layers };
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-2.0..2.0));
    let y = Array2::from_shape_fn((m, 1), |_| match task {
        Task::Classification { classes } => rng.gen_range(0..classes) as f64,
        Task::Regression => rng.gen_range(-3.0..3.0),
    });
    let ds = FloatDataset { x: x.clone(), y };
    let settings = match task {
        Task::Classification { .. } => Settings { y_frac_bits: Some(0), ..Default::default() },
        Task::Regression => Settings::default(),
    };
    (net, QuantDataset::new(&ds, quant::calibrate(&ds, &settings).unwrap()).unwrap(), x)
}

/// The circuit parts a (possibly malicious) assignment violates.
fn failing_parts(c: &ClaimCircuit) -> Vec<&'static str> {
    let mut cs = R1cs::new(true);
    let sections = c.synthesize(&mut cs).unwrap();
    let mut parts: Vec<&str> = cs.finish().unsatisfied().iter().filter_map(|i| sections.section_of(*i)).collect();
    parts.dedup();
    parts
}

fn prepared(qm: &QuantNetwork, qds: &QuantDataset, cap: u128) -> ClaimCircuit {
    let req = ClaimRequest { dataset: qds, model: qm, organizer_pk: common::organizer(3).1, payee: [7; 32], bounty_id: 1, sse_cap: cap };
    // Prepared at the honest loss, then the statement's cap is set to what the attacker claims.
    let honest = quant::field_to_u128(&qm.loss_on(qds).unwrap()).unwrap();
    let mut claim = prover::prepare_claim(&ClaimRequest { sse_cap: honest.max(cap), ..req }, &mut StdRng::seed_from_u64(1)).unwrap();
    claim.assignment.statement.sse_cap = cap;
    ClaimCircuit { kind: qm.kind.clone(), shape: qds.shape, assignment: Some(claim.assignment) }
}

#[test]
fn a_classifier_cannot_claim_its_misclassified_samples_as_correct() {
    let (net, qds, x) = synthetic(&[], Task::Classification { classes: 3 }, 12, 4);
    let qm = QuantNetwork::new(&net, &qds.shape, &qds.scales, &x).unwrap();
    let errors = quant::field_to_u128(&qm.loss_on(&qds).unwrap()).unwrap();
    assert!(errors >= 3, "random labels: {errors} errors");
    // Honest: satisfied at the true count.
    assert!(failing_parts(&prepared(&qm, &qds, errors)).is_empty());
    // Claiming one error fewer fails the cap comparison.
    assert_eq!(failing_parts(&prepared(&qm, &qds, errors - 1)), ["metric"]);
    // The attack: "predict" every label (perfect accuracy, cap 0): the argmax rows reject it.
    let mut c = prepared(&qm, &qds, 0);
    let labels: Vec<usize> = qds.y_q.iter().map(|v| *v as usize).collect();
    c.assignment.as_mut().unwrap().overrides.predicted_classes = Some(labels);
    assert_eq!(failing_parts(&c), ["metric"]);
}

#[test]
fn an_mlp_cannot_choose_its_hidden_activations() {
    let (net, qds, x) = synthetic(&[5, 4], Task::Regression, 6, 3);
    let qm = QuantNetwork::new(&net, &qds.shape, &qds.scales, &x).unwrap();
    let sse = quant::field_to_u128(&qm.loss_on(&qds).unwrap()).unwrap();
    assert!(failing_parts(&prepared(&qm, &qds, sse)).is_empty());
    // The prototype's division hole: a quotient one off (remainder r ± d), in either hidden layer, or zeroed.
    let p = qds.shape.p as usize;
    let honest = |(sample, layer, unit): (usize, usize, usize)| -> i128 {
        qm.evaluate(&qds.shape, &qds.x_q[sample * p..(sample + 1) * p]).unwrap().0[layer - 1][unit]
    };
    let mut tried = 0;
    for key in [(0, 1, 0), (2, 2, 3), (5, 1, 4), (3, 2, 1)] {
        let a = honest(key);
        for wrong in [a - 1, a + 1, 0] {
            if wrong == a || wrong < 0 {
                continue;
            }
            let mut c = prepared(&qm, &qds, sse);
            c.assignment.as_mut().unwrap().overrides.activations = Some(vec![(key, zkml_primitives::encoding::fr_from_i128(wrong))]);
            let parts = failing_parts(&c);
            assert!(parts.contains(&"inference"), "{key:?}: {wrong} instead of {a}: {parts:?}");
            tried += 1;
        }
    }
    assert!(tried >= 8);
}

fn counts(kind: zkml_primitives::model::ModelKind, shape: zkml_primitives::dataset::Shape) -> [usize; 3] {
    let mut cs = R1cs::new(false);
    let s = ClaimCircuit::new_for_setup(kind, shape).synthesize(&mut cs).unwrap();
    [s.count("model"), s.count("inference"), s.count("metric")]
}

/// The cost model of the new kinds, term by term (see `inference`, `gadgets::argmax`, `gadgets::rescale`).
#[test]
fn constraint_counts_of_classifiers_and_mlps() {
    use zkml_circuits::inference::layer_bounds;
    use zkml_primitives::{
        dataset::{Shape, SSE_CAP_BITS},
        model::{difference_bits, ModelKind, ACT_BITS, DIV_BITS},
    };
    let cap = SSE_CAP_BITS as usize + 1;
    // Logistic regression, 30 features, 2 classes, 10 samples.
    let (m, p, k) = (10usize, 30usize, 2usize);
    let kind = ModelKind::Linear { task: Task::Classification { classes: k as u32 } };
    let shape = Shape { m: m as u32, p: p as u32, n: 1 };
    let d = difference_bits(layer_bounds(&kind, &shape)[0]) as usize;
    assert_eq!(d, 69); // |x·w| ≤ 2^61, 30 of them ≤ 2^66, with the bias |z| ≤ 2^67; differences ≤ 2^68
    let argmax = k * (d + 3) + 1;
    assert_eq!(counts(kind, shape), [p * k * 49 + k * 65, m * p * k, m * (argmax + 2) + cap]);
    // MLP 64-32-10 on 5 samples.
    let (m, p, h, k) = (5usize, 64usize, 32usize, 10usize);
    let kind = ModelKind::Mlp { hidden: vec![h as u32], task: Task::Classification { classes: k as u32 } };
    let shape = Shape { m: m as u32, p: p as u32, n: 1 };
    let bounds = layer_bounds(&kind, &shape);
    let z = bounds[0] as usize + 2;
    let d = difference_bits(bounds[1]) as usize;
    let rescale = z + ACT_BITS as usize + (DIV_BITS as usize - 1) + 6;
    let model = (p * h + h * k) * 33 + (h + k) * 65 + 49;
    let cofactor = DIV_BITS as usize + 2;
    assert_eq!(counts(kind, shape), [model, cofactor + m * (p * h + h * k + h * rescale), m * (k * (d + 3) + 1 + 2) + cap]);
    println!("MLP 64-32-10: {} constraints per sample in inference and metric", p * h + h * k + h * rescale + k * (d + 3) + 3);
}
