//! `build-spec` produces the chain specs communities start from.
use std::process::Command;

fn build_spec(chain: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_zkml-node"))
        .args(["build-spec", "--chain", chain])
        .output()
        .expect("run zkml-node build-spec");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("chain spec is JSON")
}

#[test]
fn local_spec_has_four_authorities_and_dev_has_one() {
    let local = build_spec("local");
    assert_eq!(local["id"], "local_testnet");
    let patch = &local["genesis"]["runtimeGenesis"]["patch"];
    assert_eq!(patch["aura"]["authorities"].as_array().unwrap().len(), 4);
    assert_eq!(patch["grandpa"]["authorities"].as_array().unwrap().len(), 4);
    let dev = build_spec("dev");
    assert_eq!(dev["genesis"]["runtimeGenesis"]["patch"]["aura"]["authorities"].as_array().unwrap().len(), 1);
}
