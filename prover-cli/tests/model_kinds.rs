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
use zkml_circuits::models::{Network, ProvableModel, QuantizedModel, TrainedModel};
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
    net: TrainedModel,
    /// scikit-learn's own predictions on the test rows.
    sklearn: Vec<f64>,
    dir: tempfile::TempDir,
}

fn case(dataset: &str, kind: &str, extra: &[&str]) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap().to_string();
    export_model(&["data", dataset, "--out", &d]);
    let model = format!("{d}/model.json");
    let (train_dir, test_dir) = (format!("{d}/train"), format!("{d}/test"));
    let mut args = vec!["train", kind, "--dataset", &train_dir, "--out", &model, "--predict", &test_dir];
    // "{dir}" in an argument is the case's directory.
    let extra: Vec<String> = extra.iter().map(|a| a.replace("{dir}", &d)).collect();
    args.extend(extra.iter().map(String::as_str));
    export_model(&args);
    let sklearn: Vec<f64> = serde_json::from_str(&std::fs::read_to_string(format!("{model}.predictions.json")).unwrap()).unwrap();
    Case {
        train: io::load_dataset(&dir.path().join("train")).unwrap(),
        test: io::load_dataset(&dir.path().join("test")).unwrap(),
        net: TrainedModel::load(&dir.path().join("model.json")).unwrap(),
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
    let settings = match c.net.task() {
        Task::Classification { .. } => Settings { y_frac_bits: Some(0), ..Default::default() },
        Task::Regression => Settings::default(),
    };
    QuantDataset::new(&c.test, quant::calibrate(&all, &settings).unwrap()).unwrap()
}

/// Quantized vs float accuracy; returns the quantized model and the test set.
fn classifier_accuracy(c: &Case) -> (QuantizedModel, QuantDataset) {
    let float_pred = c.net.predict_classes(&c.test.x);
    let sk: Vec<usize> = c.sklearn.iter().map(|v| *v as usize).collect();
    assert_eq!(float_pred, sk, "the exported model predicts what scikit-learn predicts");
    let qds = quantize_test(c);
    // The competitor calibrates on the training rows only: the test rows are unseen.
    let qm = QuantizedModel::quantize(&c.net, &qds.shape, &qds.scales, &c.train.x, None).unwrap();
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
fn circuit_agrees(qm: &QuantizedModel, qds: &QuantDataset, rows: usize) -> QuantDataset {
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
    let c = case("breast_cancer", "logistic", &[]);
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
    let c = case("wine", "svm", &[]);
    let (qm, qds) = classifier_accuracy(&c);
    assert_eq!(qm.kind.task(), Task::Classification { classes: 3 });
    circuit_agrees(&qm, &qds, 20);
}

#[test]
fn mlp_64_32_10_on_digits() {
    let c = case("digits", "mlp", &["--hidden", "32"]);
    let (qm, qds) = classifier_accuracy(&c);
    assert_eq!(qds.shape.p, 64);
    circuit_agrees(&qm, &qds, 4);
}

/// A regressor's float predictions equal the library's, and the quantized MSE is within 1e-4 of the float one.
fn regressor_accuracy(c: &Case, what: &str, tolerance: f64) -> (QuantizedModel, QuantDataset) {
    let qds = quantize_test(c);
    let qm = QuantizedModel::quantize(&c.net, &qds.shape, &qds.scales, &c.train.x, None).unwrap();
    let float_pred: Vec<f64> = c.test.x.outer_iter().map(|r| c.net.forward(r)[0]).collect();
    for (a, b) in float_pred.iter().zip(&c.sklearn) {
        assert!((a - b).abs() <= tolerance * b.abs().max(1.0), "{what}: {a} vs the library's {b}");
    }
    let y = c.test.y.column(0);
    let float_mse = float_pred.iter().zip(y).map(|(p, y)| (p - y).powi(2)).sum::<f64>() / y.len() as f64;
    let q_mse = qds.mse_of_sse(quant::field_to_f64(&qm.loss_on(&qds).unwrap()));
    let rel = (q_mse - float_mse).abs() / float_mse;
    println!("{what}: float MSE {float_mse:.6}, quantized {q_mse:.6}, relative error {rel:.2e}");
    assert!(rel <= 1e-4, "{what}: {rel}");
    (qm, qds)
}

#[test]
fn tree_classifiers_from_scikit_learn_xgboost_and_lightgbm() {
    // Binary (one score) and multiclass (one group per class), every library; the circuit on a few rows each.
    for (dataset, kind, trees, depth) in [
        ("breast_cancer", "tree", "1", "6"),
        ("breast_cancer", "forest", "20", "5"),
        ("breast_cancer", "gbdt", "30", "3"),
        ("breast_cancer", "xgboost", "30", "4"),
        ("breast_cancer", "lightgbm", "30", "4"),
        ("wine", "xgboost", "10", "3"),
        ("wine", "lightgbm", "10", "3"),
        ("wine", "gbdt", "10", "3"),
        ("wine", "forest", "5", "3"),
    ] {
        let c = case(dataset, kind, &["--trees", trees, "--depth", depth]);
        assert!(matches!(c.net, TrainedModel::Trees(_)), "{kind}");
        let (qm, qds) = classifier_accuracy(&c);
        circuit_agrees(&qm, &qds, 2);
    }
}

/// The stored test rows as the floats they represent (`x_q / 2^fx_j`): the data the chain registered.
fn stored_rows(qds: &QuantDataset) -> Array2<f64> {
    let p = qds.shape.p as usize;
    Array2::from_shape_fn((qds.shape.m as usize, p), |(i, j)| qds.x_q[i * p + j] as f64 * 2f64.powi(-qds.scales.x_frac_bits[j]))
}

#[test]
fn tree_regressors_from_scikit_learn_xgboost_and_lightgbm() {
    // A tree's prediction jumps at each threshold, and the data is stored at 15 bits (X_BITS): read naively,
    // a test value within one quantum of a threshold (XGBoost and LightGBM cut *at* training values, so many
    // are) lands on the other side. The quantizer places each threshold's grid cell by the training rows (see
    // `quantize_trees`), so the quantized model on the stored rows matches the float model on the original
    // floats; "stored rows" below is the float model read on the rounded values, for comparison.
    for kind in ["tree-regressor", "forest-regressor", "gbdt-regressor", "xgboost-regressor", "lightgbm-regressor"] {
        let c = case("diabetes", kind, &["--trees", "20", "--depth", "4"]);
        for (row, lib) in c.test.x.outer_iter().zip(&c.sklearn) {
            let ours = c.net.forward(row)[0];
            // XGBoost and LightGBM sum in float32: agree to its precision.
            assert!((ours - lib).abs() <= 1e-5 * lib.abs().max(1.0), "{kind}: {ours} vs the library's {lib}");
        }
        let qds = quantize_test(&c);
        let qm = QuantizedModel::quantize(&c.net, &qds.shape, &qds.scales, &c.train.x, None).unwrap();
        let y = c.test.y.column(0);
        let mse = |rows: &Array2<f64>| rows.outer_iter().zip(y).map(|(r, y)| (c.net.forward(r)[0] - y).powi(2)).sum::<f64>() / y.len() as f64;
        let stored = stored_rows(&qds);
        let (float_mse, stored_mse) = (mse(&c.test.x), mse(&stored));
        let q_mse = qds.mse_of_sse(quant::field_to_f64(&qm.loss_on(&qds).unwrap()));
        let moved = (0..y.len()).filter(|&i| c.net.forward(c.test.x.row(i)) != c.net.forward(stored.row(i))).count();
        let rel = (q_mse - float_mse).abs() / float_mse;
        // Rows whose quantized prediction is not the float one, and whether each is beyond any threshold
        // placement: its float path meets a node whose threshold lies in the grid cell of the row's value.
        let TrainedModel::Trees(ens) = &c.net else { panic!("{kind} is a tree ensemble") };
        let p = qds.shape.p as usize;
        let unit = 2f64.powi(qds.scales.residual_frac_bits());
        let differing: Vec<usize> = (0..y.len())
            .filter(|&i| {
                let q = qm.outputs(&qds.shape, &qds.x_q[i * p..(i + 1) * p]).unwrap()[0] as f64 / unit;
                let f = c.net.forward(c.test.x.row(i))[0];
                (q - f).abs() > 1e-6 * f.abs().max(1.0)
            })
            .collect();
        let inseparable = |i: usize| {
            ens.trees.iter().any(|t| {
                let mut j = 0;
                while let zkml_circuits::models::trees::NodeFile::Split { feature, threshold, left, right } = t.nodes[j] {
                    let cell = 2f64.powi(qds.scales.x_frac_bits[feature as usize]);
                    let x = c.test.x[[i, feature as usize]];
                    if (x * cell).round() == (threshold * cell).round() {
                        return true;
                    }
                    j = if x <= threshold { left } else { right };
                }
                false
            })
        };
        println!(
            "{kind}: float MSE {float_mse:.6}, quantized {q_mse:.6}, relative error {rel:.2e}; rows predicted \
             differently: {differing:?} (the float model read on the rounded rows: MSE {stored_mse:.6}, {moved} of {} \
             rows change a leaf)",
            y.len()
        );
        // Either within 1e-4, or every differing row has a value in the same 15-bit grid cell as a threshold on
        // its path (no integer threshold can separate what the stored data does not), and they are under 1 %.
        assert!(
            rel <= 1e-4 || (differing.iter().all(|&i| inseparable(i)) && differing.len() * 100 < y.len()),
            "{kind}: {rel}, rows {differing:?}"
        );
        circuit_agrees(&qm, &qds, 2);
    }
}

#[test]
fn onnx_models_from_skl2onnx_and_in_pytorchs_gemm_form() {
    // The same fitted models through the ONNX door: skl2onnx's conversion (Scaler, MatMul/Add, Relu, the
    // classifier head and label mapping) and the Gemm/Relu graph torch.onnx writes for an nn.Sequential. ONNX
    // stores float32 weights, so the predictions are compared with scikit-learn's as float32 arithmetic allows.
    let onnx = ["--onnx", "{dir}/skl2onnx.onnx", "--onnx-gemm", "{dir}/gemm.onnx"];
    for dataset in ["breast_cancer", "wine"] {
        let mut args = onnx.to_vec();
        args.extend(["--hidden", "16"]);
        let mut c = case(dataset, "mlp", &args);
        for file in ["skl2onnx.onnx", "gemm.onnx"] {
            c.net = TrainedModel::load(&c.dir.path().join(file)).unwrap();
            assert_eq!(c.net.task(), Task::Classification { classes: if dataset == "wine" { 3 } else { 2 } }, "{file}");
            let (qm, qds) = classifier_accuracy(&c);
            circuit_agrees(&qm, &qds, 2);
        }
    }
    let mut c = case("diabetes", "mlp-regressor", &["--hidden", "16", "--onnx", "{dir}/skl2onnx.onnx", "--onnx-gemm", "{dir}/gemm.onnx"]);
    for file in ["skl2onnx.onnx", "gemm.onnx"] {
        c.net = TrainedModel::load(&c.dir.path().join(file)).unwrap();
        let (qm, qds) = regressor_accuracy(&c, file, 1e-5);
        circuit_agrees(&qm, &qds, 2);
    }
    // An operator outside the subset is named: skl2onnx's LinearClassifier (scikit-learn's linear models come in
    // through export_model.py), and a Tanh.
    let c = case("wine", "logistic", &["--onnx", "{dir}/linear.onnx"]);
    let err = format!("{:#}", TrainedModel::load(&c.dir.path().join("linear.onnx")).unwrap_err());
    assert!(err.contains("unsupported ONNX operator ai.onnx.ml:LinearClassifier"), "{err}");
    let path = c.dir.path().join("tanh.onnx");
    let script = format!(
        "import onnx\nfrom onnx import helper, TensorProto\ng = helper.make_graph([helper.make_node('Tanh', ['x'], ['y'])], 'g', \
         [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 2])], [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 2])])\n\
         onnx.save(helper.make_model(g), {:?})",
        path.to_str().unwrap()
    );
    let out = Command::new(repo().join(".venv/bin/python")).args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = format!("{:#}", TrainedModel::load(&path).unwrap_err());
    assert!(err.contains("unsupported ONNX operator Tanh"), "{err}");
}

#[test]
fn mlp_regressor_on_diabetes() {
    let c = case("diabetes", "mlp-regressor", &["--hidden", "32"]);
    let (qm, qds) = regressor_accuracy(&c, "MLP regressor", 1e-9);
    circuit_agrees(&qm, &qds, 10);
}

#[test]
fn unseen_rows_far_beyond_calibration_are_refused_with_the_layer_named() {
    let c = case("diabetes", "mlp-regressor", &["--hidden", "8"]);
    // A test set 1000× further out than the training rows the competitor calibrated on.
    let far = FloatDataset { x: &c.test.x * 1000.0, y: c.test.y.clone() };
    let qds = QuantDataset::new(&far, quant::calibrate(&far, &Settings::default()).unwrap()).unwrap();
    let qm = QuantizedModel::quantize(&c.net, &qds.shape, &qds.scales, &c.train.x, None).unwrap();
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

fn prepared(qm: &QuantizedModel, qds: &QuantDataset, cap: u128) -> ClaimCircuit {
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
    let qm = QuantizedModel::new(&net, &qds.shape, &qds.scales, &x).unwrap();
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
    let qm = QuantizedModel::new(&net, &qds.shape, &qds.scales, &x).unwrap();
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

/// A random ensemble of complete trees on random data with random labels or targets.
fn synthetic_trees(kind: &zkml_primitives::model::ModelKind, m: usize, p: usize) -> (QuantizedModel, QuantDataset) {
    use rand::Rng;
    use zkml_circuits::models::{
        trees::{NodeFile, Split, Tree},
        TreeEnsemble,
    };
    let mut rng = StdRng::seed_from_u64(11);
    let shape = zkml_primitives::dataset::Shape { m: m as u32, p: p as u32, n: 1 };
    let layout = kind.tree_layout(&shape).unwrap();
    let trees = (0..layout.trees)
        .map(|t| {
            let internal = layout.nodes_per_tree;
            let mut nodes: Vec<NodeFile> = (0..internal)
                .map(|j| NodeFile::Split { feature: rng.gen_range(0..p) as u32, threshold: rng.gen_range(-1.0..1.0), left: 2 * j + 1, right: 2 * j + 2 })
                .collect();
            nodes.extend((0..=internal).map(|_| NodeFile::Leaf { value: rng.gen_range(-1.0..1.0) }));
            Tree { group: t % layout.groups, nodes }
        })
        .collect();
    let ens = TreeEnsemble { task: kind.task(), split: Split::LessOrEqual, base: vec![0.1; layout.groups], trees, features: p };
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-2.0..2.0));
    let y = Array2::from_shape_fn((m, 1), |_| match kind.task() {
        Task::Classification { classes } => rng.gen_range(0..classes) as f64,
        Task::Regression => rng.gen_range(-3.0..3.0),
    });
    let ds = FloatDataset { x, y };
    let settings = match kind.task() {
        Task::Classification { .. } => Settings { y_frac_bits: Some(0), ..Default::default() },
        Task::Regression => Settings::default(),
    };
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &settings).unwrap()).unwrap();
    let qm = QuantizedModel::from_trees(&ens, kind, &qds.shape, &qds.scales, &ds.x).unwrap();
    // The float ensemble and the integer one agree on every sample's class or (to quantization) prediction.
    if let Task::Classification { .. } = kind.task() {
        assert_eq!(TrainedModel::Trees(ens).predict_classes(&ds.x), qm.predict_classes(&qds.shape, &qds.x_q).unwrap());
    }
    (qm, qds)
}

#[test]
fn a_tree_ensemble_cannot_choose_its_path() {
    use zkml_circuits::gadgets::tree_path::ForcedLevel;
    let kind = zkml_primitives::model::ModelKind::Trees { trees: 6, depth: 3, task: Task::Classification { classes: 3 } };
    let (qm, qds) = synthetic_trees(&kind, 5, 5);
    let errors = quant::field_to_u128(&qm.loss_on(&qds).unwrap()).unwrap();
    assert!(failing_parts(&prepared(&qm, &qds, errors)).is_empty());
    assert_eq!(failing_parts(&prepared(&qm, &qds, errors.saturating_sub(1))), if errors > 0 { vec!["metric"] } else { vec![] });
    let run = |key: (usize, usize, u32), claim: ForcedLevel| {
        let mut c = prepared(&qm, &qds, errors);
        c.assignment.as_mut().unwrap().overrides.tree_levels = Some(vec![(key, claim)]);
        failing_parts(&c)
    };
    for key in [(0, 0, 0), (1, 3, 1), (4, 5, 2), (2, 1, 2)] {
        // Exactly one branch passes at each level of each path: the true one. Taking the other side (to reach
        // a leaf that favours the label) breaks the comparison row.
        let accepted: Vec<bool> = [false, true].into_iter().filter(|b| run(key, ForcedLevel { branch: Some(*b), feature: None }).is_empty()).collect();
        assert_eq!(accepted.len(), 1, "{key:?}");
        // Reading another feature than the node's (all 8 index values, padding included) is refused.
        let features: Vec<u32> = (0..8).filter(|f| run(key, ForcedLevel { branch: None, feature: Some(*f) }).is_empty()).collect();
        assert_eq!(features.len(), 1, "{key:?}: {features:?}");
        for f in 0..8u32 {
            if f != features[0] {
                assert_eq!(run(key, ForcedLevel { branch: None, feature: Some(f) }), ["inference"], "{key:?} feature {f}");
            }
        }
    }
}

/// The tree ensemble's cost model: allocation once, one `tree_leaf` per sample and tree, the metric as for
/// every classifier.
#[test]
fn constraint_counts_of_tree_ensembles() {
    use zkml_circuits::{gadgets::tree_path::tree_leaf_cost, inference::tree_diff_bits};
    use zkml_primitives::{
        dataset::{Shape, SSE_CAP_BITS},
        model::{ModelKind, LEAF_BITS},
    };
    let (m, p) = (3usize, 30usize);
    let kind = ModelKind::Trees { trees: 4, depth: 6, task: Task::Classification { classes: 2 } };
    let shape = Shape { m: m as u32, p: p as u32, n: 1 };
    let t = kind.tree_layout(&shape).unwrap();
    let model = t.nodes() * (t.node_bits as usize + 1) + t.leaves() * (LEAF_BITS as usize + 1) + t.node_words + t.leaf_words;
    let per_tree = tree_leaf_cost(6, 5, 30);
    assert_eq!(per_tree, 444);
    let d = tree_diff_bits(&t) as usize;
    let metric = m * (2 * (d + 3) + 1 + 2) + SSE_CAP_BITS as usize + 1;
    assert_eq!(counts(kind, shape), [model, m * 4 * per_tree, metric]);
    println!("trees: {per_tree} constraints per sample and tree (depth 6, 30 features)");
}
