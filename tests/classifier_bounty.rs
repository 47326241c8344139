//! A classifier's bounty through the `zkml` binary on the real node and IPFS daemon, as a user runs it: the
//! organizer registers scikit-learn's breast-cancer test rows with `--labels`, sets up a key for binary linear
//! classifiers and posts "at most 12 of 171 misclassified"; the competitor trains a logistic regression with
//! scikit-learn on the other rows (`examples/export_model.py`), claims with a real proof and is paid; the
//! organizer retrieves exactly the proven integer model. Refused before any fee: a cap of the wrong metric, a
//! model of another kind than the key's, a model that misses the cap.
use std::path::Path;
use subxt_signer::sr25519::dev;
use zkml::{
    chain::{self, AccountId32},
    circuit::models::{Network, QuantizedModel},
    files, io,
    quant::{self, QuantDataset, Settings},
};
use zkml_e2e::{balance, repo_root, Network as Net};

fn python(args: &[&str]) {
    let py = repo_root().join(".venv/bin/python");
    assert!(py.exists(), "{} is missing: run scripts/setup.sh", py.display());
    let out = std::process::Command::new(py).arg(repo_root().join("examples/export_model.py")).args(args).output().unwrap();
    assert!(out.status.success(), "export_model.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_logistic_regression_wins_a_classification_bounty() {
    let net = Net::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = net.path("bc");
    python(&["data", "breast_cancer", "--out", &data]);
    let (train, test) = (format!("{data}/train"), format!("{data}/test"));
    let model = net.path("logistic.json");
    python(&["train", "logistic", "--dataset", &train, "--out", &model]);
    let mlp = net.path("mlp.json");
    python(&["train", "mlp", "--dataset", &train, "--out", &mlp, "--hidden", "4"]);

    // Organizer.
    let keys = net.path("keys/org");
    net.zkml_json(&["keygen", "--out", &keys]);
    let added = net.zkml_json(&["add-dataset", "--dataset", &test, "--labels", "--suri", "//Alice"]);
    let hash = added["dataset_hash"].as_str().unwrap().to_string();
    assert_eq!((added["m"].as_u64(), added["p"].as_u64(), added["n"].as_u64()), (Some(171), Some(30), Some(1)));
    let setup = net.zkml_json(&["setup", "--hash", &hash, "--kind", "linear:classes=2", "--out", &net.path("keys/clf"), "--suri", "//Alice"]);
    assert_eq!(setup["kind"], "linear:classes=2");
    let public = format!("{keys}_public.json");
    let wrong_metric = net.zkml_fails(&["add-bounty", "--dataset", &hash, "--amount", "5", "--mse", "0.1", "--publickey", &public, "--suri", "//Alice"]);
    assert!(wrong_metric.contains("give --max-errors"), "{wrong_metric}");
    let posted = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "5", "--max-errors", "12", "--publickey", &public, "--expires-in", "1000",
        "--suri", "//Alice",
    ]);
    assert_eq!(posted["kind"], "linear:classes=2");
    let bounty = posted["bounty"].as_u64().unwrap().to_string();
    let listed = net.zkml_json(&["list-bounties", "--hash", &hash]);
    assert_eq!(listed[0]["kind"], "linear:classes=2");

    // Competitor.
    let dl = net.path("download");
    net.zkml_json(&["download-dataset", "--hash", &hash, "--path", &dl]);
    let bob = AccountId32(dev::bob().public_key().0);
    let payee = files::to_hex(&bob.0);
    let before = balance(&rt, &net.url, &bob);
    let claim = |m: &str| -> Vec<String> {
        ["claim-bounty", "--bounty", &bounty, "--payment", &payee, "--model", m, "--dataset", &dl, "--accept-unverified-key", "--suri", "//Bob"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let other_kind = net.zkml_fails(&args(&claim(&mlp)));
    assert!(other_kind.contains("key is for linear:classes=2 models") && other_kind.contains("mlp:4:classes=2"), "{other_kind}");
    // A model that predicts the opposite class: far over the cap.
    let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    for layer in file["layers"].as_array_mut().unwrap() {
        for row in layer["weights"].as_array_mut().unwrap() {
            for v in row.as_array_mut().unwrap() {
                *v = serde_json::json!(-v.as_f64().unwrap());
            }
        }
        for v in layer["bias"].as_array_mut().unwrap() {
            *v = serde_json::json!(-v.as_f64().unwrap());
        }
    }
    let inverted = net.path("inverted.json");
    std::fs::write(&inverted, file.to_string()).unwrap();
    let misses = net.zkml_fails(&args(&claim(&inverted)));
    assert!(misses.contains("misses the cap") && misses.contains("misclassified"), "{misses}");
    assert_eq!(balance(&rt, &net.url, &bob), before, "refusals cost nothing");
    let paid = net.zkml_json(&args(&claim(&model)));
    assert_eq!(paid["amount"], (5 * chain::UNIT).to_string());
    assert_eq!(paid["metric"], "misclassified");
    assert!(paid["quantized_accuracy"].as_f64().unwrap() >= 1.0 - 12.0 / 171.0);

    // Organizer: the retrieved model is exactly the quantized model the competitor proved.
    let won = net.path("won");
    let retrieved = net.zkml_json(&["retrieve-model", "--bounty", &bounty, "--secret-key", &format!("{keys}_secret.json"), "--out", &won]);
    assert_eq!(retrieved["kind"], "linear:classes=2");
    let ds = io::load_dataset(Path::new(&dl)).unwrap();
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings { y_frac_bits: Some(0), ..Default::default() }).unwrap()).unwrap();
    let proven = QuantizedModel::new(&Network::load(Path::new(&model)).unwrap(), &qds.shape, &qds.scales, &ds.x).unwrap();
    assert_eq!(retrieved["params"], serde_json::json!(proven.params));
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{won}/model.json")).unwrap()).unwrap();
    assert_eq!(saved["params"], serde_json::json!(proven.params));
}
