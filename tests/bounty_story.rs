//! The whole bounty story against the real node (`zkml-node --dev`) and the real IPFS daemon (`ipfs/`), driven
//! through the `zkml` binary as a user would: organizer registers the bundled diabetes dataset, sets up keys,
//! posts a bounty; competitor downloads, trains, claims (reserve with a real proof, then deliver); organizer
//! decrypts and removes the finished records. Plus the refusals: a shuffled model (before any fee), a tampered
//! download, a second claim on a paid bounty, removing before expiry; a claim race in which the loser's
//! ciphertext must never reach the chain; and the runtime's own (Wasm) refusal of a crafted verifying key and
//! of a shape whose parameter count wraps 32 bits.
use std::process::Command;
use subxt_signer::sr25519::dev;
use zkml::{
    chain::{self, runtime, AccountId32, Chain},
    files, io,
    ipfs::Ipfs,
    quant::{self, QuantDataset, QuantModel, Settings},
    train::least_squares,
};
use zkml_e2e::{balance, repo_root, str_of, Network};
use zkml_primitives::encoding::fr_to_bytes;

const AMOUNT: &str = "5";
const AMOUNT_PLANCKS: u128 = 5 * chain::UNIT;
/// sklearn's training MSE on the full diabetes data is 2859.7; the shuffled model's is 5870.5.
const MSE_CAP: &str = "3000";

fn hex_account(a: &AccountId32) -> String {
    files::to_hex(&a.0)
}


#[test]
fn bounty_story_on_a_real_node_and_ipfs() {
    let net = Network::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dataset_dir = repo_root().join("examples/diabetes");
    let dataset_dir = dataset_dir.to_str().unwrap();
    let (keys, dl, model, shuffled, won) =
        (net.path("keys/org"), net.path("ipfs_dataset"), net.path("model"), net.path("model_shuffled"), net.path("won"));
    let competitor = AccountId32(dev::bob().public_key().0);
    let payee = AccountId32(dev::dave().public_key().0);

    // Organizer: keys, dataset on IPFS + chain, Groth16 keys (VK on chain, PK on IPFS), bounty.
    net.zkml_json(&["keygen", "--out", &keys]);
    let added = net.zkml_json(&["add-dataset", "--dataset", dataset_dir, "--suri", "//Alice"]);
    let hash = str_of(&added, "dataset_hash");
    assert!(str_of(&added, "cid").starts_with("Qm"), "kubo-style CIDv0: {added}");
    let again = net.zkml_fails(&["add-dataset", "--dataset", dataset_dir, "--suri", "//Alice"]);
    assert!(again.contains("already registered"), "{again}");
    let setup = net.zkml_json(&["setup", "--hash", &hash, "--out", &net.path("keys/claim"), "--suri", "//Alice"]);
    assert!(str_of(&setup, "proving_key_cid").starts_with("Qm"));
    let public = format!("{keys}_public.json");
    let posted = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", AMOUNT, "--mse", MSE_CAP, "--publickey", &public,
        "--expires-in", "1000", "--suri", "//Alice",
    ]);
    let bounty = posted["bounty"].as_u64().unwrap().to_string();

    // Competitor: find the bounty, download the dataset, train.
    let listed = net.zkml_json(&["list-bounties", "--hash", &hash]);
    let row = listed.as_array().unwrap().iter().find(|b| b["bounty"].to_string() == bounty).expect("bounty listed");
    assert_eq!(row["state"], "open");
    assert_eq!(row["amount"], AMOUNT_PLANCKS.to_string());
    assert_eq!(row["cid"], added["cid"]);
    let datasets = net.zkml_json(&["list-datasets"]);
    assert!(datasets.as_array().unwrap().iter().any(|d| d["dataset_hash"] == hash.as_str()));
    net.zkml_json(&["download-dataset", "--hash", &hash, "--path", &dl]);
    let ds = io::load_dataset(std::path::Path::new(&dl)).unwrap();
    assert_eq!(ds.x, io::load_dataset(std::path::Path::new(dataset_dir)).unwrap().x);
    let trained = least_squares(&ds);
    io::save_model(std::path::Path::new(&model), &trained).unwrap();
    let mut worse = trained.clone();
    worse.w.invert_axis(ndarray::Axis(0)); // the prototype's "shuffled" weights
    io::save_model(std::path::Path::new(&shuffled), &worse).unwrap();

    // The shuffled model is refused before anything is submitted: no fee.
    let bob_before = balance(&rt, &net.url, &competitor);
    let refused = net.zkml_fails(&[
        "claim-bounty", "--bounty", &bounty, "--payment", &hex_account(&payee), "--model", &shuffled, "--dataset", &dl,
        "--suri", "//Bob",
    ]);
    assert!(refused.contains("refusing to claim") && refused.contains("quantized MSE"), "{refused}");
    assert_eq!(balance(&rt, &net.url, &competitor), bob_before, "a refused claim must cost nothing");

    // The key came from a single-party `setup`, whose maker could forge claims: refused by default, before
    // any proving or fee, and named as the reason.
    let unverified = net.zkml_fails(&[
        "claim-bounty", "--bounty", &bounty, "--payment", &hex_account(&payee), "--model", &model, "--dataset", &dl,
        "--suri", "//Bob",
    ]);
    assert!(unverified.contains("no ceremony transcript") && unverified.contains("--accept-unverified-key"), "{unverified}");
    assert_eq!(balance(&rt, &net.url, &competitor), bob_before, "a refused claim must cost nothing");

    // Accepting that risk (a dev chain): the trained model is proved, reserved, delivered and paid.
    let payee_before = balance(&rt, &net.url, &payee);
    let claimed = net.zkml_json(&[
        "claim-bounty", "--bounty", &bounty, "--payment", &hex_account(&payee), "--model", &model, "--dataset", &dl,
        "--accept-unverified-key", "--suri", "//Bob",
    ]);
    assert_eq!(claimed["amount"], AMOUNT_PLANCKS.to_string());
    let fees: u128 = str_of(&claimed, "fees").parse().unwrap();
    assert!(fees > 0);
    eprintln!("claim-bounty: fees {} (claim + deliver), proved in {:.1} s", chain::tokens(fees), claimed["proving_seconds"].as_f64().unwrap());
    assert_eq!(balance(&rt, &net.url, &payee), payee_before + AMOUNT_PLANCKS, "the payee gets exactly the bounty");
    assert_eq!(balance(&rt, &net.url, &competitor), bob_before - fees, "the competitor pays exactly the fees");
    let listed = net.zkml_json(&["list-bounties", "--hash", &hash]);
    let row = listed.as_array().unwrap().iter().find(|b| b["bounty"].to_string() == bounty).unwrap();
    assert_eq!(row["state"], format!("paid to {payee}"));

    // Organizer: the model decrypted from the envelope stored on chain is the competitor's quantized model.
    let secret = format!("{keys}_secret.json");
    let retrieved = net.zkml_json(&["retrieve-model", "--bounty", &bounty, "--secret-key", &secret, "--out", &won]);
    let info = rt.block_on(async { Chain::connect(&net.url).await?.dataset(&AccountId32(dev::alice().public_key().0), files::parse_fr(&hash, "h").map(|f| fr_to_bytes(&f))?).await }).unwrap().unwrap();
    let qds = QuantDataset::new(&ds, info.scales()).unwrap();
    let quantized = QuantModel::new(&trained, &qds.shape, &qds.scales).unwrap();
    assert_eq!(retrieved["w_q"], serde_json::json!(quantized.w_q));
    assert_eq!(retrieved["b_q"], serde_json::json!(quantized.b_q));
    let decrypted = io::load_model(std::path::Path::new(&won)).unwrap();
    assert_eq!(decrypted, quantized.dequantize(&qds.shape, &qds.scales));
    let (_, report) = quant::simulate(&ds, &decrypted, &qds).unwrap();
    assert!(report.quantized_mse <= 3000.0);
    // Running the same commands again replaces nothing without --force.
    let won_w = std::fs::read(format!("{won}/W.npy")).unwrap();
    let again = net.zkml_fails(&["retrieve-model", "--bounty", &bounty, "--secret-key", &secret, "--out", &won]);
    assert!(again.contains("already exists") && again.contains("--force"), "{again}");
    assert_eq!(std::fs::read(format!("{won}/W.npy")).unwrap(), won_w);
    let again = net.zkml_fails(&["download-dataset", "--hash", &hash, "--path", &dl]);
    assert!(again.contains("already exists"), "{again}");
    net.zkml_json(&["retrieve-model", "--bounty", &bounty, "--secret-key", &secret, "--out", &won, "--force"]);

    // An amount the issuer's free balance covers but not with the storage deposit: refused by the dry run
    // before submission, so it costs no fee (it used to fail on chain, fee paid).
    let alice = AccountId32(dev::alice().public_key().0);
    let alice_before = balance(&rt, &net.url, &alice);
    let too_much = chain::tokens(alice_before - chain::UNIT / 1000);
    let refused = net.zkml_fails(&[
        "add-bounty", "--dataset", &hash, "--amount", &too_much, "--mse", MSE_CAP, "--publickey", &public, "--suri", "//Alice",
    ]);
    assert!(refused.contains("nothing was submitted") && refused.contains("InsufficientBalance"), "{refused}");
    assert_eq!(balance(&rt, &net.url, &alice), alice_before, "a refused transaction must cost nothing");

    // A second claim on the paid bounty is refused.
    let second = net.zkml_fails(&[
        "claim-bounty", "--bounty", &bounty, "--payment", &hex_account(&competitor), "--model", &model, "--dataset", &dl,
        "--suri", "//Bob",
    ]);
    assert!(second.contains("is not open"), "{second}");
    // The paid record (with the envelope) is removed only on request; its deposit comes back.
    let kept = net.zkml_fails(&["remove-bounty", "--bounty", &bounty, "--suri", "//Alice"]);
    assert!(kept.contains("retrieve-model first"), "{kept}");
    let removed = net.zkml_json(&["remove-bounty", "--bounty", &bounty, "--delete-model", "--suri", "//Alice"]);
    assert!(str_of(&removed, "deposit_returned").parse::<u128>().unwrap() > 0, "{removed}");


    // Removing an unexpired bounty is refused; an expired one is refunded.
    let open = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "1", "--mse", MSE_CAP, "--publickey", &public, "--expires-in", "1000",
        "--suri", "//Alice",
    ]);
    let open_id = open["bounty"].as_u64().unwrap().to_string();
    let early = net.zkml_fails(&["remove-bounty", "--bounty", &open_id, "--suri", "//Alice"]);
    assert!(early.contains("before it expires"), "{early}");
    let not_issuer = net.zkml_fails(&["remove-bounty", "--bounty", &open_id, "--suri", "//Bob"]);
    assert!(not_issuer.contains("was posted by"), "{not_issuer}");
    let short = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "1", "--mse", MSE_CAP, "--publickey", &public, "--expires-in", "3",
        "--suri", "//Alice",
    ]);
    let short_id = short["bounty"].as_u64().unwrap();
    // A bounty about to expire is not proven and claimed only to fail on chain: refused first, no fee.
    let bob_before = balance(&rt, &net.url, &competitor);
    let late = net.zkml_fails(&[
        "claim-bounty", "--bounty", &short_id.to_string(), "--payment", &hex_account(&payee), "--model", &model, "--dataset", &dl,
        "--accept-unverified-key", "--suri", "//Bob",
    ]);
    assert!(late.contains("too soon") || late.contains("expired"), "{late}");
    assert_eq!(balance(&rt, &net.url, &competitor), bob_before, "a refused claim must cost nothing");
    let expires_at = short["expires_at"].as_u64().unwrap();
    rt.block_on(async {
        let chain = Chain::connect(&net.url).await.unwrap();
        while chain.finalized_number().await.unwrap() <= expires_at {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    });
    let removed = net.zkml_json(&["remove-bounty", "--bounty", &short_id.to_string(), "--suri", "//Alice"]);
    assert_eq!(removed["refunded"], chain::UNIT.to_string());
}

/// A dataset registered with a CID whose content does not hash to the registered hash (a tampered or wrong
/// upload) is refused by `download-dataset`, and nothing is written.
#[test]
fn tampered_download_is_refused() {
    let net = Network::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut ds = io::load_dataset(&repo_root().join("examples/diabetes")).unwrap();
    ds.x = ds.x.slice(ndarray::s![..40, ..]).to_owned();
    ds.y = ds.y.slice(ndarray::s![..40, ..]).to_owned();
    let scales = quant::calibrate(&ds, &Settings::default()).unwrap();
    let qds = QuantDataset::new(&ds, scales.clone()).unwrap();
    let hash = fr_to_bytes(&qds.hash());
    let mut tampered = ds.clone();
    tampered.y[[3, 0]] += 1.0;
    let staging = tempfile::tempdir().unwrap();
    io::save_dataset(staging.path(), &tampered).unwrap();
    rt.block_on(async {
        let ipfs = Ipfs::new(&net.ipfs_api);
        let x = ipfs.add("X.npy", std::fs::read(staging.path().join("X.npy"))?).await?;
        let y = ipfs.add("Y.npy", std::fs::read(staging.path().join("Y.npy"))?).await?;
        let manifest = serde_json::json!({"kind": "zkml-dataset/v1", "dataset_hash": files::to_hex(&hash),
                                          "m": 40, "p": 10, "n": 1, "x": x, "y": y});
        let cid = ipfs.add("dataset.json", serde_json::to_vec(&manifest)?).await?;
        let call = runtime::transactions().zkml_bounties().register_dataset(
            hash,
            runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(cid.into_bytes()),
            qds.shape.into(),
            runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(
                scales.x_frac_bits.iter().map(|f| *f as i8).collect(),
            ),
            scales.y_frac_bits as i8,
        );
        Chain::connect(&net.url).await?.submit(&call, &dev::alice()).await?;
        anyhow::Ok(())
    })
    .expect("register the mismatched dataset");
    let out = net.path("download");
    let refused = net.zkml_fails(&["download-dataset", "--hash", &files::to_hex(&hash), "--path", &out]);
    assert!(refused.contains("refusing the download") && refused.contains("not to the registered"), "{refused}");
    assert!(!std::path::Path::new(&out).exists(), "nothing may be written for a refused download");

    // In the runtime's 32-bit Wasm: a crafted verifying key (length prefix 2^58) and a shape whose parameter
    // count wraps 32-bit usize to 0 are included and refused with the pallet's error (and the fee is
    // charged), not dropped as invalid after trapping the runtime.
    rt.block_on(async {
        let chain = Chain::connect(&net.url).await?;
        let mut key = vec![0u8; zkml_primitives::groth16::VERIFYING_KEY_PREFIX_OFFSET];
        key.extend_from_slice(&(1u64 << 58).to_le_bytes());
        use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec as Bv;
        let call = runtime::transactions().zkml_bounties().register_verifying_key(
            Bv(key),
            qds.shape.into(),
            (&zkml_primitives::model::ModelKind::LINEAR_REGRESSION).into(),
            Bv(Vec::new()),
        );
        // The CLI's path dry-runs it first: refused without submitting, no fee.
        let bob = AccountId32(dev::bob().public_key().0);
        let before = chain.free_balance(&bob).await?;
        let err = chain.submit(&call, &dev::bob()).await.err().expect("a crafted key must be refused");
        let failed = err.downcast_ref::<chain::Failed>().unwrap_or_else(|| panic!("not a runtime refusal: {err:#}"));
        assert!(failed.error.contains("MalformedVerifyingKey") && !failed.submitted, "{failed}");
        assert_eq!(chain.free_balance(&bob).await?, before, "a dry-run refusal costs nothing");
        // Submitted anyway, it is included and refused by the runtime (fee charged), not a trap.
        let err = chain.submit_without_dry_run(&call, &dev::bob(), chain::Wait::Finalized).await.err().expect("a crafted key must be refused");
        let failed = err.downcast_ref::<chain::Failed>().unwrap_or_else(|| panic!("not included as a failed call: {err:#}"));
        assert!(failed.error.contains("MalformedVerifyingKey") && failed.submitted, "{failed}");
        let wrapping = zkml_primitives::dataset::Shape { m: 1, p: 255, n: 1 << 24 };
        assert_eq!(255u32.wrapping_mul(1 << 24).wrapping_add(1 << 24), 0);
        let call = runtime::transactions().zkml_bounties().register_dataset(
            [5u8; 32],
            Bv(Vec::new()),
            wrapping.into(),
            Bv(vec![0i8; 255]),
            0,
        );
        let err = chain.submit_without_dry_run(&call, &dev::bob(), chain::Wait::Finalized).await.err().expect("a wrapping shape must be refused");
        let failed = err.downcast_ref::<chain::Failed>().unwrap_or_else(|| panic!("not included as a failed call: {err:#}"));
        assert!(failed.error.contains("UnsupportedShape"), "{failed}");
        anyhow::Ok(())
    })
    .expect("runtime refusals");

    // Unreachable endpoints give a clear error.
    let out = Command::new(zkml_e2e::bin("zkml"))
        .args(["list-datasets", "--url", &format!("ws://127.0.0.1:{}", zkml_e2e::free_port())])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect to the zkml node"));
}

/// Two competitors race for one bounty with valid proofs, submitted together. The first reserves it; the
/// loser's claim fails on chain, and the loser's `zkml deliver` refuses to send anything. Then every extrinsic
/// and every event of every finalized block is scanned: the winner's ciphertext is there (the scan works), the
/// loser's never is.
#[test]
fn a_claim_that_loses_the_race_never_publishes_its_ciphertext() {
    let net = Network::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut ds = io::load_dataset(&repo_root().join("examples/diabetes")).unwrap();
    ds.x = ds.x.slice(ndarray::s![..40, ..]).to_owned();
    ds.y = ds.y.slice(ndarray::s![..40, ..]).to_owned();
    let (data, model, keys, claim_keys) = (net.path("dataset"), net.path("model"), net.path("keys/org"), net.path("keys/claim"));
    io::save_dataset(std::path::Path::new(&data), &ds).unwrap();
    io::save_model(std::path::Path::new(&model), &least_squares(&ds)).unwrap();
    net.zkml_json(&["keygen", "--out", &keys]);
    let hash = str_of(&net.zkml_json(&["add-dataset", "--dataset", &data, "--suri", "//Alice"]), "dataset_hash");
    let setup = net.zkml_json(&["setup", "--hash", &hash, "--out", &claim_keys, "--suri", "//Alice"]);
    let public = format!("{keys}_public.json");
    let posted = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "2", "--mse", "100000", "--publickey", &public, "--expires-in", "1000",
        "--suri", "//Alice",
    ]);
    let bounty = posted["bounty"].as_u64().unwrap();
    let sse_cap = str_of(&posted, "sse_cap");

    // Bob and Charlie each prove a claim paying themselves (offline `zkml prove`, the published proving key).
    let prove = |payee: &AccountId32, out: &str| {
        net.zkml_json(&[
            "prove", "--dataset", &data, "--model", &model, "--proving-key", &str_of(&setup, "proving_key"),
            "--organizer-key", &public, "--payee", &hex_account(payee), "--bounty-id", &bounty.to_string(),
            "--sse-cap", &sse_cap, "--out", out,
        ]);
        files::ClaimFile::load(std::path::Path::new(out)).unwrap()
    };
    let (bob, charlie) = (AccountId32(dev::bob().public_key().0), AccountId32(dev::charlie().public_key().0));
    let (bob_file, charlie_file) = (net.path("bob-claim.json"), net.path("charlie-claim.json"));
    let claims = [prove(&bob, &bob_file), prove(&charlie, &charlie_file)];

    // Both claims go to the pool together; exactly one reserves the bounty.
    let outcomes = rt.block_on(async {
        let chain = Chain::connect(&net.url).await.unwrap();
        let call = |c: &files::ClaimFile, payee: &AccountId32| {
            runtime::transactions().zkml_bounties().claim(
                bounty,
                runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec(c.proof_bytes().unwrap()),
                fr_to_bytes(&c.envelope().unwrap().hash()),
                payee.clone(),
            )
        };
        let (b, c) = (call(&claims[0], &bob), call(&claims[1], &charlie));
        let (bob_signer, charlie_signer) = (dev::bob(), dev::charlie());
        let (rb, rc) = tokio::join!(
            chain.submit_and_wait(&b, &bob_signer, chain::Wait::BestBlock),
            chain.submit_and_wait(&c, &charlie_signer, chain::Wait::BestBlock),
        );
        [rb.map(|_| ()), rc.map(|_| ())]
    });
    let winner = outcomes.iter().position(|o| o.is_ok()).expect("one claim reserves the bounty");
    let loser = 1 - winner;
    let lost = outcomes[loser].as_ref().unwrap_err();
    assert!(format!("{lost:#}").contains("BountyReserved"), "the loser fails on chain: {lost:#}");
    let (signers, files_) = (["//Bob", "//Charlie"], [&bob_file, &charlie_file]);

    // The loser's CLI sends nothing; the winner's delivers and is paid.
    let refused = net.zkml_fails(&["deliver", "--bounty", &bounty.to_string(), "--claim", files_[loser], "--suri", signers[loser]]);
    assert!(refused.contains("lost the race"), "{refused}");
    let paid = net.zkml_json(&["deliver", "--bounty", &bounty.to_string(), "--claim", files_[winner], "--suri", signers[winner]]);
    assert_eq!(paid["amount"], (2 * chain::UNIT).to_string());

    // Everything the chain published: the winner's envelope is there, the loser's is not.
    let envelope_elements = |c: &files::ClaimFile| -> Vec<[u8; 32]> {
        let e = c.envelope().unwrap();
        std::iter::once(fr_to_bytes(&e.nonce)).chain(e.ciphertext.iter().map(fr_to_bytes)).collect()
    };
    let published = rt.block_on(zkml_e2e::published_bytes(&net.url)).expect("read every block");
    assert!(zkml_e2e::contains_any(&published, &envelope_elements(&claims[winner])), "the scan must see the delivered ciphertext");
    assert!(!zkml_e2e::contains_any(&published, &envelope_elements(&claims[loser])), "the loser's ciphertext reached the chain");
}
