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
use zkml_e2e::{balance, repo_root, wait_finalized, Network as Net};

fn python(args: &[&str]) {
    let py = repo_root().join(".venv/bin/python");
    assert!(py.exists(), "{} is missing: run scripts/setup.sh", py.display());
    let out = std::process::Command::new(py).arg(repo_root().join("examples/export_model.py")).args(args).output().unwrap();
    assert!(out.status.success(), "export_model.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The two stories here run one after the other: each starts a dev node, and two debug nodes compiling their
/// runtime at once on 2 cores miss the start deadline.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_logistic_regression_wins_a_classification_bounty() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
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

/// A classification competition of tree ensembles through the CLI: the organizer publishes breast-cancer
/// training rows, a validation split and commits to a hidden test split, with a key for ensembles of up to
/// 20 trees of depth 3; Bob submits an XGBoost model, Charlie a smaller gradient boosting (padded to the key),
/// both with proven public scores; an MLP is refused at submission; after the reveal both prove their test
/// errors, the better is paid on delivery, and the organizer decrypts exactly the proven trees.
#[test]
fn a_tree_ensemble_competition_is_scored_paid_and_decrypted() {
    use zkml::{
        circuit::models::{parse_kind, TrainedModel},
        quant::FloatDataset,
    };
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let net = Net::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = net.path("bc");
    python(&["data", "breast_cancer", "--out", &data]);
    let train = format!("{data}/train");
    // The 171 held-out rows: 80 validation, 80 hidden test (one key serves both: the same shape).
    let held = io::load_dataset(Path::new(&format!("{data}/test"))).unwrap();
    let rows = |from: usize| FloatDataset { x: held.x.slice(ndarray::s![from..from + 80, ..]).to_owned(), y: held.y.slice(ndarray::s![from..from + 80, ..]).to_owned() };
    let (val_dir, test_dir) = (net.path("splits/validation"), net.path("splits/test"));
    io::save_dataset(Path::new(&val_dir), &rows(0)).unwrap();
    io::save_dataset(Path::new(&test_dir), &rows(80)).unwrap();
    let kind = "trees:20:depth=3:classes=2";

    // Organizer.
    let keys = net.path("keys/org");
    net.zkml_json(&["keygen", "--out", &keys]);
    let t = net.zkml_json(&["add-dataset", "--dataset", &train, "--labels", "--cover", &val_dir, "--cover", &test_dir, "--suri", "//Alice"]);
    let train_hash = t["dataset_hash"].as_str().unwrap().to_string();
    let v = net.zkml_json(&["add-dataset", "--dataset", &val_dir, "--labels", "--scales-like", &train_hash, "--suri", "//Alice"]);
    let val_hash = v["dataset_hash"].as_str().unwrap().to_string();
    net.zkml_json(&["setup", "--hash", &val_hash, "--kind", kind, "--out", &net.path("keys/trees"), "--suri", "//Alice"]);
    let posted = net.zkml_json(&[
        "post-competition", "--train", &train_hash, "--validation", &val_hash, "--test", &test_dir, "--publickey", &format!("{keys}_public.json"),
        "--prize", "4", "--bond", "1", "--shares", "1", "--submit-blocks", "40", "--reveal-blocks", "15", "--score-blocks", "25", "--suri", "//Alice",
    ]);
    let competition = posted["competition"].as_u64().unwrap().to_string();
    let submit_until = posted["submit_until"].as_u64().unwrap();

    // Competitors train on the published rows with the libraries they use.
    let (dl_train, dl_val) = (net.path("dl/train"), net.path("dl/validation"));
    net.zkml_json(&["download-dataset", "--hash", &train_hash, "--path", &dl_train]);
    net.zkml_json(&["download-dataset", "--hash", &val_hash, "--path", &dl_val]);
    let (xgb, gbdt, mlp) = (net.path("xgb.json"), net.path("gbdt.json"), net.path("mlp.json"));
    python(&["train", "xgboost", "--dataset", &dl_train, "--out", &xgb, "--trees", "20", "--depth", "3"]);
    python(&["train", "gbdt", "--dataset", &dl_train, "--out", &gbdt, "--trees", "2", "--depth", "1"]);
    python(&["train", "mlp", "--dataset", &dl_train, "--out", &mlp, "--hidden", "4"]);
    let submit = |model: &str, who: &str| -> Vec<String> {
        ["submit", "--competition", &competition, "--model", model, "--validation", &dl_val, "--train", &dl_train, "--accept-unverified-key", "--suri", who]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let refused = net.zkml_fails(&args(&submit(&mlp, "//Dave")));
    assert!(refused.contains("scoring key is for trees:20:depth=3:classes=2 models"), "{refused}");
    // Side by side, as two competitors would (each proves its public score first).
    let (bob, charlie) = std::thread::scope(|s| {
        let b = s.spawn(|| net.zkml_json(&args(&submit(&xgb, "//Bob"))));
        let c = s.spawn(|| net.zkml_json(&args(&submit(&gbdt, "//Charlie"))));
        (b.join().unwrap(), c.join().unwrap())
    });
    let (bob_index, charlie_index) = (bob["index"].as_u64().unwrap(), charlie["index"].as_u64().unwrap());
    assert!(bob["public_score"]["misclassified"].as_u64().unwrap() < charlie["public_score"]["misclassified"].as_u64().unwrap(), "{bob} {charlie}");
    let board = net.zkml_json(&["leaderboard", "--competition", &competition]);
    assert_eq!(board["public"][0]["index"].as_u64(), Some(bob_index), "{board}");

    // Reveal, score, finalize, deliver.
    wait_finalized(&rt, &net.url, submit_until + 1);
    let revealed = net.zkml_json(&["reveal-test-set", "--competition", &competition, "--test", &test_dir, "--suri", "//Alice"]);
    let score_until = revealed["score_until"].as_u64().unwrap();
    std::thread::scope(|s| {
        for who in ["//Bob", "//Charlie"] {
            let (net, competition) = (&net, &competition);
            s.spawn(move || {
                let scored = net.zkml_json(&["score", "--competition", competition, "--suri", who]);
                assert!(scored["scored"][0]["accuracy"].as_f64().unwrap() > 0.5, "{scored}");
            });
        }
    });
    let board = net.zkml_json(&["leaderboard", "--competition", &competition]);
    let private: Vec<u64> = board["private"].as_array().unwrap().iter().map(|r| r["index"].as_u64().unwrap()).collect();
    assert_eq!(private.len(), 2, "{board}");
    let winner = private[0];
    wait_finalized(&rt, &net.url, score_until + 1);
    net.zkml_json(&["finalize", "--competition", &competition, "--suri", "//Eve"]);
    let (winner_model, winner_suri) = if winner == bob_index { (&xgb, "//Bob") } else { (&gbdt, "//Charlie") };
    assert!(winner == bob_index || winner == charlie_index);
    let paid = net.zkml_json(&["deliver-model", "--competition", &competition, "--suri", winner_suri]);
    assert_eq!(paid["paid"][0]["amount"], (4 * chain::UNIT).to_string(), "{paid}");

    // The organizer decrypts exactly the trees the winner committed to (quantized for the key, calibrated on
    // the training rows).
    let got = net.zkml_json(&["retrieve-models", "--competition", &competition, "--secret-key", &format!("{keys}_secret.json"), "--out", &net.path("won")]);
    let m = &got["models"][0];
    assert_eq!(m["kind"], kind, "{got}");
    let ds = io::load_dataset(Path::new(&dl_train)).unwrap();
    let alice = AccountId32(dev::alice().public_key().0);
    let hash = files::parse_fr(&train_hash, "hash").map(|f| zkml_primitives::encoding::fr_to_bytes(&f)).unwrap();
    let info = rt.block_on(async { zkml::chain::Chain::connect(&net.url).await?.dataset(&alice, hash).await }).unwrap().unwrap();
    let (scales, shape) = (info.scales(), (&info.shape).into());
    let expected = QuantizedModel::quantize(&TrainedModel::load(Path::new(winner_model)).unwrap(), &shape, &scales, &ds.x, Some(&parse_kind(kind).unwrap())).unwrap();
    assert_eq!(m["params"], serde_json::json!(expected.params));
}
