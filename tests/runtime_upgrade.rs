//! A runtime upgrade (`zkml runtime-upgrade`: Sudo + System.set_code) on a running chain keeps the bounty
//! state: datasets, verifying keys, an open bounty with its escrow, and the bounty stays claimable with a
//! real proof under the new runtime. The new runtime is this runtime built with spec_version + 1 (feature
//! `upgrade-test`) by `scripts/build-upgrade-runtime.sh`, which `scripts/test.sh` runs first.
use std::path::PathBuf;
use zkml::{io, train::least_squares};
use zkml_e2e::{repo_root, Network};

fn upgrade_wasm() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.parent().and_then(|d| d.parent()).and_then(|d| d.parent()).expect("<target>/<profile>/deps");
    let wasm = target.join("zkml-upgrade/zkml_runtime.wasm");
    assert!(wasm.exists(), "{} is missing: run scripts/build-upgrade-runtime.sh", wasm.display());
    wasm
}

#[test]
fn runtime_upgrade_keeps_bounties_and_escrow() {
    let wasm = upgrade_wasm();
    let net = Network::start().expect("start node and IPFS");
    // A small slice of the bundled dataset keeps setup and proving short.
    let mut ds = io::load_dataset(&repo_root().join("examples/diabetes")).unwrap();
    ds.x = ds.x.slice(ndarray::s![..60, ..]).to_owned();
    ds.y = ds.y.slice(ndarray::s![..60, ..]).to_owned();
    let (data, model, keys) = (net.path("dataset"), net.path("model"), net.path("keys/org"));
    io::save_dataset(std::path::Path::new(&data), &ds).unwrap();
    io::save_model(std::path::Path::new(&model), &least_squares(&ds)).unwrap();

    net.zkml_json(&["keygen", "--out", &keys]);
    let hash = net.zkml_json(&["add-dataset", "--dataset", &data, "--suri", "//Alice"])["dataset_hash"].as_str().unwrap().to_string();
    net.zkml_json(&["setup", "--hash", &hash, "--out", &net.path("keys/claim"), "--suri", "//Alice"]);
    let public = format!("{keys}_public.json");
    let posted = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "2", "--mse", "100000", "--publickey", &public, "--suri", "//Alice",
    ]);
    let bounty = posted["bounty"].to_string();
    let datasets_before = net.zkml_json(&["list-datasets"]);
    let bounties_before = net.zkml_json(&["list-bounties"]);

    // Only the sudo key may upgrade.
    let wasm = wasm.to_str().unwrap();
    let refused = net.zkml_fails(&["runtime-upgrade", "--wasm", wasm, "--suri", "//Bob"]);
    assert!(refused.contains("RequireSudo") || refused.contains("sudo"), "{refused}");
    let upgraded = net.zkml_json(&["runtime-upgrade", "--wasm", wasm, "--suri", "//Alice"]);
    assert_eq!(upgraded["spec_version_before"], 100);
    assert_eq!(upgraded["spec_version_after"], 101);

    assert_eq!(net.zkml_json(&["list-datasets"]), datasets_before);
    assert_eq!(net.zkml_json(&["list-bounties"]), bounties_before);
    // The escrowed bounty is still paid against a proof verified by the new runtime.
    // The key is the test's own single-party setup (this test is about the upgrade, not the key's provenance), so
    // the competitor accepts it explicitly.
    let payee = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"; // //Charlie
    let paid = net.zkml_json(&[
        "claim-bounty", "--bounty", &bounty, "--payment", payee, "--model", &model, "--dataset", &data, "--suri", "//Bob",
        "--accept-unverified-key",
    ]);
    assert_eq!(paid["amount"], (2 * zkml::chain::UNIT).to_string());
}
