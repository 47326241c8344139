//! The `zkml` binary end to end on files, as a user runs it, plus its refusals of bad input.
mod common;

use assert_cmd::Command;
use ndarray::{Array1, Array2};
use ndarray_npy::{read_npy, write_npy};
use serde_json::Value;
use std::path::Path;
use zkml::quant::{self, QuantDataset, QuantModel, Settings};

fn zkml() -> Command {
    Command::cargo_bin("zkml").unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = zkml().arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = zkml().args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_problem(dir: &Path) -> (quant::FloatDataset, quant::FloatModel) {
    let (ds, model) = common::synthetic(20, 4, 1, 4);
    std::fs::create_dir_all(dir.join("dataset")).unwrap();
    std::fs::create_dir_all(dir.join("model")).unwrap();
    write_npy(dir.join("dataset/X.npy"), &ds.x).unwrap();
    // Y as a vector and the model as the prototype's notebook saved it: W (p, 1), b (1, 1).
    write_npy(dir.join("dataset/Y.npy"), &ds.y.column(0).to_owned()).unwrap();
    write_npy(dir.join("model/W.npy"), &model.w).unwrap();
    write_npy(dir.join("model/b.npy"), &model.b.clone().into_shape_with_order((1, 1)).unwrap()).unwrap();
    (ds, model)
}

#[test]
fn offline_flow_and_decrypted_model_is_the_quantized_one() {
    let tmp = tempfile::tempdir().unwrap();
    let d = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    let (ds, model) = write_problem(tmp.path());

    let keys = json(&["keygen", "--out", &d("keys/org")]);
    assert!(keys["public_key"].as_str().unwrap().starts_with("0x"));
    let hash = json(&["dataset_hash", "--dataset", &d("dataset")]);
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default()).unwrap()).unwrap();
    assert_eq!(hash["dataset_hash"], zkml::files::fr_hex(&qds.hash()));

    let sim = json(&["simulate", "--dataset", &d("dataset"), "--model", &d("model")]);
    assert!(sim["relative_error"].as_f64().unwrap() < 1e-3);
    let mse = sim["float_mse"].as_f64().unwrap();

    json(&["setup", "--dataset", &d("dataset"), "--out", &d("keys/claim")]);
    let cap = format!("{}", mse * 1.5);
    json(&[
        "prove", "--dataset", &d("dataset"), "--model", &d("model"), "--proving-key", &d("keys/claim.pk"),
        "--publickey", &d("keys/org_public.json"), "--payment", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
        "--bounty", "7", "--mse", &cap, "--out", &d("claim.json"),
    ]);
    assert_eq!(json(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("claim.json")])["valid"], true);

    let dec = json(&["decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", &d("claim.json"), "--out", &d("won")]);
    let qm = QuantModel::new(&model, &qds.shape, &qds.scales).unwrap();
    assert_eq!(dec["w_q"], serde_json::json!(qm.w_q));
    assert_eq!(dec["b_q"], serde_json::json!(qm.b_q));
    // numpy-loadable files holding exactly the quantized model.
    let w: Array2<f64> = read_npy(tmp.path().join("won/W.npy")).unwrap();
    let b: Array1<f64> = read_npy(tmp.path().join("won/b.npy")).unwrap();
    let won = quant::FloatModel { w, b };
    assert_eq!(QuantModel::new(&won, &qds.shape, &qds.scales).unwrap(), qm);
    assert_eq!(won, qm.dequantize(&qds.shape, &qds.scales));

    // The claim is bound to its payee: edit it and verification fails.
    let mut claim: Value = serde_json::from_str(&std::fs::read_to_string(d("claim.json")).unwrap()).unwrap();
    claim["payee"] = Value::String(format!("0x{}", "11".repeat(32)));
    std::fs::write(d("tampered.json"), claim.to_string()).unwrap();
    assert!(fails(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("tampered.json")]).contains("claim rejected"));
    // A ciphertext edit no longer matches the envelope hash.
    let mut claim: Value = serde_json::from_str(&std::fs::read_to_string(d("claim.json")).unwrap()).unwrap();
    claim["ciphertext"][0] = claim["ciphertext"][1].clone();
    std::fs::write(d("tampered.json"), claim.to_string()).unwrap();
    assert!(fails(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("tampered.json")]).contains("envelope hash"));

    // Decrypting with someone else's key is refused with a reason.
    json(&["keygen", "--out", &d("keys/other")]);
    let err = fails(&["decrypt", "--secret-key", &d("keys/other_secret.json"), "--claim", &d("claim.json"), "--out", &d("x")]);
    assert!(err.contains("encrypted to organizer key"), "{err}");
    // Key files of the wrong kind.
    let err = fails(&["decrypt", "--secret-key", &d("keys/org_public.json"), "--claim", &d("claim.json"), "--out", &d("x")]);
    assert!(err.contains("public key file"), "{err}");

    // The prototype's shuffled model: refused before proving, with both MSEs.
    let mut shuffled = model.clone();
    shuffled.w.as_slice_mut().unwrap().reverse();
    std::fs::create_dir_all(tmp.path().join("shuffled")).unwrap();
    write_npy(tmp.path().join("shuffled/W.npy"), &shuffled.w).unwrap();
    write_npy(tmp.path().join("shuffled/b.npy"), &shuffled.b).unwrap();
    let err = fails(&[
        "prove", "--dataset", &d("dataset"), "--model", &d("shuffled"), "--proving-key", &d("keys/claim.pk"),
        "--organizer-key", &d("keys/org_public.json"), "--payee", &format!("0x{}", "22".repeat(32)),
        "--bounty-id", "7", "--mse-cap", &cap, "--out", &d("bad.json"),
    ]);
    assert!(err.contains("above the cap") && err.contains("quantized MSE"), "{err}");
}

#[test]
fn bad_input_gets_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let d = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    let (ds, _) = write_problem(tmp.path());

    assert!(fails(&["dataset-hash", "--dataset", &d("nowhere")]).contains("directory not found"));
    std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
    assert!(fails(&["dataset-hash", "--dataset", &d("empty")]).contains("no X.npy or X.csv"));

    // NaN in X.
    std::fs::create_dir_all(tmp.path().join("nan")).unwrap();
    let mut x = ds.x.clone();
    x[[3, 1]] = f64::NAN;
    write_npy(tmp.path().join("nan/X.npy"), &x).unwrap();
    write_npy(tmp.path().join("nan/Y.npy"), &ds.y).unwrap();
    let err = fails(&["dataset-hash", "--dataset", &d("nan")]);
    assert!(err.contains("NaN") && err.contains("[3, 1]"), "{err}");

    // Row mismatch between X and Y.
    std::fs::create_dir_all(tmp.path().join("rows")).unwrap();
    write_npy(tmp.path().join("rows/X.npy"), &ds.x).unwrap();
    write_npy(tmp.path().join("rows/Y.npy"), &ds.y.slice(ndarray::s![..19, ..]).to_owned()).unwrap();
    assert!(fails(&["dataset-hash", "--dataset", &d("rows")]).contains("X has 20 rows but Y has 19"));

    // A model for another number of features.
    std::fs::create_dir_all(tmp.path().join("wide")).unwrap();
    write_npy(tmp.path().join("wide/W.npy"), &Array2::<f64>::zeros((5, 1))).unwrap();
    write_npy(tmp.path().join("wide/b.npy"), &Array1::<f64>::zeros(1)).unwrap();
    let err = fails(&["simulate", "--dataset", &d("dataset"), "--model", &d("wide")]);
    assert!(err.contains("W is 5×1 but the dataset needs 4×1"), "{err}");

    // Not an array at all.
    std::fs::create_dir_all(tmp.path().join("junk")).unwrap();
    std::fs::write(tmp.path().join("junk/X.npy"), b"not numpy").unwrap();
    write_npy(tmp.path().join("junk/Y.npy"), &ds.y).unwrap();
    assert!(fails(&["dataset-hash", "--dataset", &d("junk")]).contains("not a numeric .npy"));

    // f32 and CSV inputs hash like the f64 originals once quantized (same values at f32 precision here).
    std::fs::create_dir_all(tmp.path().join("csv")).unwrap();
    let mut csv = String::from("a,b,c,d\n");
    for row in ds.x.rows() {
        csv += &row.iter().map(|v| format!("{v:.17e}")).collect::<Vec<_>>().join(",");
        csv.push('\n');
    }
    std::fs::write(tmp.path().join("csv/X.csv"), csv).unwrap();
    write_npy(tmp.path().join("csv/Y.npy"), &ds.y.mapv(|v| v as f32)).unwrap();
    let from_csv = json(&["dataset-hash", "--dataset", &d("csv")]);
    assert_eq!(from_csv["m"], 20);

    // Settings: unknown fields are refused; prototype fields without meaning are accepted with a note.
    std::fs::write(tmp.path().join("bad_settings.json"), r#"{"alpha_Q": 1}"#).unwrap();
    assert!(fails(&["dataset-hash", "--dataset", &d("dataset"), "--settings", &d("bad_settings.json")]).contains("alpha_Q"));
    std::fs::write(tmp.path().join("proto.json"), r#"{"alpha_X": 0, "beta_X": 8, "alpha_W": -1, "beta_W": 8, "m": 20, "p": 4, "n": 1, "mse_target": 50}"#).unwrap();
    let out = zkml().args(["simulate", "--dataset", &d("dataset"), "--model", &d("model"), "--settings", &d("proto.json")]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("alpha_W"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mse_target 50: met"));

    // Bad payee, bad shape, missing proving key.
    json(&["keygen", "--out", &d("k/org")]);
    let err = fails(&[
        "prove", "--dataset", &d("dataset"), "--model", &d("model"), "--proving-key", &d("missing.pk"),
        "--organizer-key", &d("k/org_public.json"), "--payee", "not-an-account", "--bounty-id", "1", "--mse-cap", "1", "--out", &d("c.json"),
    ]);
    assert!(err.contains("payee"), "{err}");
    let err = fails(&[
        "prove", "--dataset", &d("dataset"), "--model", &d("model"), "--proving-key", &d("missing.pk"),
        "--organizer-key", &d("k/org_public.json"), "--payee", &format!("0x{}", "01".repeat(32)), "--bounty-id", "1", "--mse-cap", "1e9", "--out", &d("c.json"),
    ]);
    assert!(err.contains("cannot open proving key"), "{err}");
    assert!(fails(&["setup", "--shape", "20x0", "--out", &d("k/x")]).contains("unsupported shape"));
    assert!(fails(&["verify", "--verifying-key", &d("k/org_public.json"), "--claim", &d("missing.json")]).contains("cannot read claim file"));
}
