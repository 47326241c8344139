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

    let dec = json(&[
        "decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", &d("claim.json"), "--verifying-key", &d("keys/claim.vk"),
        "--dataset", &d("dataset"), "--out", &d("won"),
    ]);
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
    // ... consistently: the file's list of public inputs follows the new payee, so the proof is what refuses.
    let mut edited: zkml::files::ClaimFile = serde_json::from_value(claim).unwrap();
    edited.public_inputs = edited.statement().unwrap().public_inputs().iter().map(zkml::files::fr_hex).collect();
    std::fs::write(d("tampered.json"), serde_json::to_string(&edited).unwrap()).unwrap();
    assert!(fails(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("tampered.json")]).contains("claim rejected"));
    // A ciphertext edit no longer matches the envelope hash.
    let mut claim: Value = serde_json::from_str(&std::fs::read_to_string(d("claim.json")).unwrap()).unwrap();
    claim["ciphertext"][0] = claim["ciphertext"][1].clone();
    std::fs::write(d("tampered.json"), claim.to_string()).unwrap();
    assert!(fails(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("tampered.json")]).contains("envelope hash"));

    // Decrypting with someone else's key is refused with a reason.
    json(&["keygen", "--out", &d("keys/other")]);
    let vk = d("keys/claim.vk");
    let dataset = d("dataset");
    let decrypt = |secret: &str, out: &str| {
        fails(&["decrypt", "--secret-key", secret, "--claim", &d("claim.json"), "--verifying-key", &vk, "--dataset", &dataset, "--out", out])
    };
    let err = decrypt(&d("keys/other_secret.json"), &d("x"));
    assert!(err.contains("encrypted to organizer key"), "{err}");
    // Key files of the wrong kind.
    let err = decrypt(&d("keys/org_public.json"), &d("x"));
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

/// Runs `zkml` with `args` and expects exit code 1 (an error, not an abort); returns stderr.
fn refused(args: &[&str]) -> String {
    let out = zkml().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// What a new user runs into, and that none of it loses a key, hangs, aborts or writes a wrong file with exit 0.
#[test]
fn a_new_users_mistakes_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    let (ds, _) = write_problem(tmp.path());
    let payee = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

    // keygen never replaces a key pair (re-running the README's first line), and --out is a prefix.
    json(&["keygen", "--out", &d("keys/org")]);
    let secret = read(&d("keys/org_secret.json"));
    let err = refused(&["keygen", "--out", &d("keys/org")]);
    assert!(err.contains("already exists") && err.contains("refusing to replace"), "{err}");
    assert_eq!(read(&d("keys/org_secret.json")), secret, "the secret key must survive");
    let err = refused(&["keygen", "--out", &format!("{}/", d("keys"))]);
    assert!(err.contains("names a directory"), "{err}");
    assert!(!tmp.path().join("keys/_public.json").exists() && !tmp.path().join("keys/_secret.json").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(d("keys/org_secret.json")).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Outputs: refused when they exist (before any slow work), replaced with --force.
    let setup = json(&["setup", "--dataset", &d("dataset"), "--out", &d("keys/claim")]);
    assert_eq!(setup["m"], 20);
    let pk = read(&d("keys/claim.pk"));
    let err = refused(&["setup", "--dataset", &d("dataset"), "--out", &d("keys/claim")]);
    assert!(err.contains("keys/claim.pk already exists") && err.contains("--force"), "{err}");
    assert_eq!(read(&d("keys/claim.pk")), pk);
    let prove = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "prove", "--dataset", &d("dataset"), "--model", &d("model"), "--proving-key", &d("keys/claim.pk"),
            "--organizer-key", &d("keys/org_public.json"), "--payee", payee, "--bounty-id", "3", "--mse-cap", "1e9", "--out", out,
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let args = prove(&d("claim.json"), &[]);
    json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let claim = read(&d("claim.json"));
    let args = prove(&d("claim.json"), &[]);
    let err = refused(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(read(&d("claim.json")), claim);
    let args = prove(&d("keys"), &[]);
    let err = refused(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("is a directory"), "{err}");
    let args = prove(&d("claim.json"), &["--force"]);
    json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_ne!(read(&d("claim.json")), claim, "--force replaces it (a fresh proof and nonce)");

    // verify names what the proof covers, and what it does not without the dataset.
    let v = json(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("claim.json")]);
    let checked = v["checked"].to_string();
    assert!(checked.contains("payee") && checked.contains("envelope hash") && checked.contains("SSE cap"), "{v}");
    assert!(v["not_checked"].to_string().contains("scales"), "{v}");
    let v = json(&["verify", "--verifying-key", &d("keys/claim.vk"), "--claim", &d("claim.json"), "--dataset", &d("dataset")]);
    assert_eq!(v["not_checked"], serde_json::json!([]));

    // Tampered claim files, made consistent wherever the file allows (envelope hash and public inputs
    // recomputed): decrypt refuses and writes nothing.
    let original = zkml::files::ClaimFile::load(Path::new(&d("claim.json"))).unwrap();
    let save = |f: &zkml::files::ClaimFile, name: &str| {
        std::fs::write(d(name), serde_json::to_string(f).unwrap()).unwrap();
        d(name)
    };
    let mut other_ciphertext = original.clone();
    other_ciphertext.ciphertext.swap(0, 1);
    let statement = {
        let mut f = other_ciphertext.clone();
        f.envelope_hash = zkml::files::fr_hex(&f.envelope().unwrap().hash());
        f
    };
    let mut other_ciphertext = statement;
    other_ciphertext.public_inputs = other_ciphertext.statement().unwrap().public_inputs().iter().map(zkml::files::fr_hex).collect();
    let mut other_scales = original.clone();
    other_scales.x_frac_bits[0] -= 1;
    let decrypt = |claim: &str, out: &str| {
        refused(&[
            "decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", claim, "--verifying-key", &d("keys/claim.vk"),
            "--dataset", &d("dataset"), "--out", out,
        ])
    };
    let err = decrypt(&save(&other_ciphertext, "t1.json"), &d("out1"));
    assert!(err.contains("does not verify") && err.contains("nothing was written"), "{err}");
    assert!(!tmp.path().join("out1").exists());
    let err = decrypt(&save(&other_scales, "t2.json"), &d("out2"));
    assert!(err.contains("not to the claim's dataset hash"), "{err}");
    assert!(!tmp.path().join("out2").exists());
    let mut listed = original.clone();
    listed.public_inputs.swap(0, 1);
    let err = decrypt(&save(&listed, "t3.json"), &d("out3"));
    assert!(err.contains("public_inputs"), "{err}");
    // The untampered file decrypts, once; the second time the model files exist.
    json(&[
        "decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", &d("claim.json"), "--verifying-key", &d("keys/claim.vk"),
        "--dataset", &d("dataset"), "--out", &d("won"),
    ]);
    let w = read(&d("won/W.npy"));
    let err = decrypt(&d("claim.json"), &d("won"));
    assert!(err.contains("won/W.npy already exists"), "{err}");
    assert_eq!(read(&d("won/W.npy")), w);

    // Empty signers would sign as the public development phrase.
    std::fs::write(d("blank-key"), "  \n").unwrap();
    for (args, env) in [
        (vec!["add-dataset", "--dataset", &d("dataset"), "--suri", ""], None),
        (vec!["add-dataset", "--dataset", &d("dataset")], Some("")),
        (vec!["add-dataset", "--dataset", &d("dataset"), "--key-file", &d("blank-key")], None),
    ] {
        let mut cmd = zkml();
        cmd.args(&args).env_remove("ZKML_SURI");
        if let Some(v) = env {
            cmd.env("ZKML_SURI", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("secret URI is empty"), "{args:?}: {err}");
    }

    // A .npy whose header claims a huge shape, and a proving key with a corrupted length field: errors, not
    // aborts on a huge allocation.
    std::fs::create_dir_all(d("huge")).unwrap();
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 4), }";
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let pad = 64 - (10 + header.len() + 1) % 64;
    let header = format!("{header}{}\n", " ".repeat(pad));
    npy.extend_from_slice(&(header.len() as u16).to_le_bytes());
    npy.extend_from_slice(header.as_bytes());
    npy.extend_from_slice(&[0u8; 64]);
    std::fs::write(d("huge/X.npy"), &npy).unwrap();
    write_npy(d("huge/Y.npy"), &ds.y).unwrap();
    let err = refused(&["dataset-hash", "--dataset", &d("huge")]);
    assert!(err.contains("header claims shape") && err.contains("truncated or corrupt"), "{err}");
    let mut pk = read(&d("keys/claim.pk"));
    let gamma_abc_len_at = 64 + 3 * 128;
    pk[gamma_abc_len_at..gamma_abc_len_at + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
    std::fs::write(d("keys/corrupt.pk"), &pk).unwrap();
    let args = prove(&d("c2.json"), &[]);
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pk_arg = d("keys/corrupt.pk");
    args[6] = &pk_arg;
    let err = refused(&args);
    assert!(err.contains("length field"), "{err}");
    assert!(!tmp.path().join("c2.json").exists());

    // CSV as spreadsheets write it: a byte-order mark and a header give the same hash as the .npy; a typo in
    // the first row is an error, not a silently dropped row.
    let npy_hash = json(&["dataset-hash", "--dataset", &d("dataset")])["dataset_hash"].clone();
    std::fs::create_dir_all(d("csv")).unwrap();
    let rows = |x: &ndarray::Array2<f64>| {
        x.rows().into_iter().map(|r| r.iter().map(|v| format!("{v:.17e}")).collect::<Vec<_>>().join(",")).collect::<Vec<_>>()
    };
    let body = rows(&ds.x).join("\r\n");
    std::fs::write(d("csv/X.csv"), format!("\u{feff}age,bmi,bp,s1\r\n{body}\r\n")).unwrap();
    write_npy(d("csv/Y.npy"), &ds.y).unwrap();
    let out = zkml().args(["--json", "dataset-hash", "--dataset", &d("csv")]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["dataset_hash"], npy_hash);
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 1 read as a header"));
    let mut typo = rows(&ds.x);
    typo[0] = typo[0].replacen('.', ".x", 1);
    std::fs::write(d("csv/X.csv"), typo.join("\n")).unwrap();
    let err = refused(&["dataset-hash", "--dataset", &d("csv")]);
    assert!(err.contains("X.csv:1:") && err.contains("not a number"), "{err}");

    // One huge value in a column is reported: the column's other values lose their precision.
    std::fs::create_dir_all(d("outlier")).unwrap();
    let mut x = ds.x.clone();
    x[[5, 2]] = 1e10;
    write_npy(d("outlier/X.npy"), &x).unwrap();
    write_npy(d("outlier/Y.npy"), &ds.y).unwrap();
    let out = zkml().args(["dataset-hash", "--dataset", &d("outlier")]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: X column 3") && stderr.contains("outliers"), "{stderr}");
    let out = zkml().args(["dataset-hash", "--dataset", &d("dataset")]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "no warning for ordinary data");

    // --json: errors are JSON on stdout, with a non-zero exit.
    let out = zkml().args(["--json", "dataset-hash", "--dataset", &d("nowhere")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON error");
    assert!(v["error"].as_str().unwrap().contains("directory not found"), "{v}");
    let out = zkml().args(["--json", "keygen"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["message"].as_str().unwrap().contains("--out"));

    // Checked before connecting to anything: a non-runtime file for runtime-upgrade, a century-long expiry.
    let nowhere = "ws://127.0.0.1:9";
    std::fs::write(d("not.wasm"), b"PK\x03\x04 a zip, not a runtime").unwrap();
    let err = refused(&["runtime-upgrade", "--wasm", &d("not.wasm"), "--suri", "//Alice", "--url", nowhere]);
    assert!(err.contains("not a runtime") && err.contains("nothing was submitted"), "{err}");
    let hash = format!("0x{}", "00".repeat(32));
    let err = refused(&[
        "add-bounty", "--dataset", &hash, "--amount", "1", "--mse", "1", "--publickey", &d("keys/org_public.json"),
        "--expires-in", "4294967295", "--suri", "//Alice", "--url", nowhere,
    ]);
    assert!(err.contains("years") && err.contains("At most"), "{err}");

    // Competition terms that cannot work are refused before connecting: no share, a zero share, a zero window.
    let post = |shares: &str, score_blocks: &str| {
        refused(&[
            "post-competition", "--train", &hash, "--test", &d("dataset"), "--publickey", &d("keys/org_public.json"),
            "--prize", "6", "--bond", "2", "--shares", shares, "--score-blocks", score_blocks, "--suri", "//Alice", "--url", nowhere,
        ])
    };
    assert!(post("2,0", "100").contains("positive weight"));
    assert!(post("a,b", "100").contains("comma-separated"));
    assert!(post("1", "0").contains("--score-blocks must be at least 1 block"));

    // Without a terminal, long steps print one line each (here: setup's key generation).
    let out = zkml().args(["setup", "--shape", "20x4", "--out", &d("keys/other")]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("zkml [") && String::from_utf8_lossy(&out.stderr).contains("generating Groth16 keys"));
}

/// A node that accepts the connection and never answers: the command fails within its timeout, naming the
/// endpoint and the step, instead of hanging.
#[test]
fn an_endpoint_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming() {
            held.push(s); // accepted, never answered
        }
    });
    let started = std::time::Instant::now();
    let out = zkml()
        .args(["list-datasets", "--url", &format!("ws://127.0.0.1:{port}"), "--timeout", "2"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("127.0.0.1:{port} did not answer within 2 s")) && err.contains("connecting"), "{err}");
}

/// The offline flow for an MLP classifier: a `zkml-model/1` file, labels, `--kind`, `--max-errors`, and the
/// decrypted `model.json` holding exactly the proven integers.
#[test]
fn offline_flow_for_an_mlp_classifier() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    use zkml::circuit::models::{Dense, Network, QuantizedModel};
    use zkml_primitives::model::Task;
    let tmp = tempfile::tempdir().unwrap();
    let d = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    let mut rng = StdRng::seed_from_u64(5);
    let dense = |i: usize, o: usize, rng: &mut StdRng| Dense {
        w: Array2::from_shape_fn((i, o), |_| rng.gen_range(-1.0..1.0)),
        b: Array1::from_shape_fn(o, |_| rng.gen_range(-0.2..0.2)),
    };
    let net = Network { task: Task::Classification { classes: 3 }, layers: vec![dense(3, 4, &mut rng), dense(4, 3, &mut rng)] };
    let x = Array2::from_shape_fn((16, 3), |_| rng.gen_range(-2.0..2.0));
    let mut labels = net.predict_classes(&x);
    labels[2] = (labels[2] + 1) % 3;
    let y = Array1::from_iter(labels.iter().map(|l| *l as f64));
    std::fs::create_dir_all(tmp.path().join("dataset")).unwrap();
    write_npy(tmp.path().join("dataset/X.npy"), &x).unwrap();
    write_npy(tmp.path().join("dataset/Y.npy"), &y).unwrap();
    std::fs::write(d("model.json"), serde_json::to_string(&net.to_file()).unwrap()).unwrap();

    let sim = json(&["simulate", "--dataset", &d("dataset"), "--model", &d("model.json")]);
    assert_eq!(sim["kind"], "mlp:4:classes=3");
    assert_eq!(sim["metric"], "misclassified");
    assert_eq!(sim["quantized_loss"], "1");
    assert_eq!(sim["differing_predictions"], serde_json::json!([]));

    json(&["keygen", "--out", &d("keys/org")]);
    let setup = json(&["setup", "--dataset", &d("dataset"), "--kind", "mlp:4:classes=3", "--out", &d("keys/mlp")]);
    assert_eq!(setup["kind"], "mlp:4:classes=3");
    let prove = |cap: &[&str]| {
        let mut args = vec![
            "prove", "--dataset", &d("dataset"), "--model", &d("model.json"), "--proving-key", &d("keys/mlp.pk"),
            "--organizer-key", &d("keys/org_public.json"), "--payee", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
            "--bounty-id", "3", "--out", &d("claim.json"), "--force",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(cap.iter().map(|s| s.to_string()));
        args
    };
    let args = prove(&["--mse-cap", "1"]);
    let wrong_metric = fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(wrong_metric.contains("--max-errors"), "{wrong_metric}");
    let args = prove(&["--max-errors", "0"]);
    let too_strict = fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(too_strict.contains("misclassifies 1 of 16"), "{too_strict}");
    let args = prove(&["--max-errors", "1"]);
    json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(json(&["verify", "--verifying-key", &d("keys/mlp.vk"), "--claim", &d("claim.json"), "--dataset", &d("dataset")])["valid"], true);
    let dec = json(&[
        "decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", &d("claim.json"), "--verifying-key", &d("keys/mlp.vk"),
        "--dataset", &d("dataset"), "--out", &d("won"),
    ]);
    let ds = quant::FloatDataset { x: x.clone(), y: y.clone().into_shape_with_order((16, 1)).unwrap() };
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings { y_frac_bits: Some(0), ..Default::default() }).unwrap()).unwrap();
    let proven = QuantizedModel::new(&net, &qds.shape, &qds.scales, &x).unwrap();
    assert_eq!(dec["params"], serde_json::json!(proven.params));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(tmp.path().join("won/model.json")).unwrap()).unwrap();
    assert_eq!(saved["kind"], "mlp:4:classes=3");
    assert_eq!(saved["params"], serde_json::json!(proven.params));
    // A kind that does not fit the data is refused before any key is made.
    let err = fails(&["setup", "--dataset", &d("dataset"), "--kind", "mlp:4:classes=1", "--out", &d("keys/bad")]);
    assert!(err.contains("2 to 1024 classes"), "{err}");
}

#[test]
fn offline_flow_for_a_tree_ensemble_padded_to_the_key() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    use zkml::circuit::models::{QuantizedModel, TrainedModel};
    let tmp = tempfile::tempdir().unwrap();
    let d = |p: &str| tmp.path().join(p).to_str().unwrap().to_owned();
    // Two stumps (XGBoost's "<" split) scoring class 1; the key is for 4 trees of depth 2.
    let model = r#"{"format": "zkml-model/1", "kind": "trees", "task": "classification", "classes": 2, "split": "lt",
        "base": [-0.1], "trees": [
          {"group": 0, "nodes": [{"feature": 0, "threshold": 0.5, "left": 1, "right": 2}, {"value": -1.0}, {"value": 1.0}]},
          {"group": 0, "nodes": [{"feature": 2, "threshold": -0.25, "left": 1, "right": 2}, {"value": -0.5}, {"value": 0.75}]}]}"#;
    std::fs::write(d("trees.json"), model).unwrap();
    let TrainedModel::Trees(ens) = TrainedModel::load(&tmp.path().join("trees.json")).unwrap() else { panic!("trees") };
    let mut rng = StdRng::seed_from_u64(8);
    let x = Array2::from_shape_fn((10, 3), |_| rng.gen_range(-2.0..2.0));
    let mut labels = TrainedModel::Trees(ens.clone()).predict_classes(&x);
    labels[4] = 1 - labels[4];
    let y = Array1::from_iter(labels.iter().map(|l| *l as f64));
    std::fs::create_dir_all(tmp.path().join("dataset")).unwrap();
    write_npy(tmp.path().join("dataset/X.npy"), &x).unwrap();
    write_npy(tmp.path().join("dataset/Y.npy"), &y).unwrap();

    let kind = "trees:4:depth=2:classes=2";
    let sim = json(&["simulate", "--dataset", &d("dataset"), "--model", &d("trees.json"), "--kind", kind]);
    assert_eq!((sim["kind"].as_str(), sim["quantized_loss"].as_str()), (Some(kind), Some("1")));
    json(&["keygen", "--out", &d("keys/org")]);
    json(&["setup", "--dataset", &d("dataset"), "--kind", kind, "--out", &d("keys/trees")]);
    let prove = |extra: &[&str]| {
        let mut args = vec![
            "prove", "--dataset", &d("dataset"), "--model", &d("trees.json"), "--proving-key", &d("keys/trees.pk"),
            "--organizer-key", &d("keys/org_public.json"), "--payee", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
            "--bounty-id", "3", "--max-errors", "1", "--out", &d("claim.json"), "--force",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    // Without --kind the model is proven as its own 2 trees of depth 1: not the key's circuit.
    let args = prove(&[]);
    let err = fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("different circuit shape"), "{err}");
    // A kind too small for the model is refused before proving.
    let args = prove(&["--kind", "trees:1:depth=2:classes=2"]);
    let err = fails(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(err.contains("does not fit"), "{err}");
    let args = prove(&["--kind", kind]);
    json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(json(&["verify", "--verifying-key", &d("keys/trees.vk"), "--claim", &d("claim.json"), "--dataset", &d("dataset")])["valid"], true);
    let dec = json(&[
        "decrypt", "--secret-key", &d("keys/org_secret.json"), "--claim", &d("claim.json"), "--verifying-key", &d("keys/trees.vk"),
        "--dataset", &d("dataset"), "--out", &d("won"),
    ]);
    let ds = quant::FloatDataset { x: x.clone(), y: y.clone().into_shape_with_order((10, 1)).unwrap() };
    let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings { y_frac_bits: Some(0), ..Default::default() }).unwrap()).unwrap();
    let proven = QuantizedModel::from_trees(&ens, &zkml::circuit::models::parse_kind(kind).unwrap(), &qds.shape, &qds.scales, &x).unwrap();
    assert_eq!(dec["params"], serde_json::json!(proven.params));
    assert_eq!(proven.predict_classes(&qds.shape, &qds.x_q).unwrap(), TrainedModel::Trees(ens).predict_classes(&x));
}
