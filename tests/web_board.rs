//! The web board (`web/`) in headless Chromium against the real node and IPFS daemon. This file sets the scene
//! with the `zkml` CLI, as an organizer would before opening the page: the diabetes data split into a training
//! set (60 rows, with a bounty key), a validation split and a hidden test set (30 rows each, one key for that
//! shape), a bounty posted from the CLI that expires at once, Bob's least-squares model, the test set packaged
//! by `zkml test-set`. Then `web/test/board.e2e.mjs` plays the rest through the page (Alice signs with a wallet
//! injected into it) and through the commands the page prints (Bob runs them as shown): see that file.
use std::{path::Path, process::Command};
use zkml::{io, train::least_squares_on};
use zkml_e2e::{bin, repo_root, str_of, Network, Splits};



#[test]
fn the_web_board_reads_and_acts_on_a_live_chain() {
    let web = repo_root().join("web");
    assert!(
        web.join("dist/app.js").exists() && web.join("node_modules/playwright-core").exists(),
        "the board is not built: run scripts/setup.sh (npm ci and node build.mjs in web/)"
    );
    assert!(Path::new("/usr/bin/chromium").exists(), "Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)");
    let net = Network::start().expect("start node and IPFS");
    let Splits { train_dir, test_dir, keys, train_hash, val_hash, split_key, .. } = Splits::register(&net, 0..60, 60..90, 90..120);
    let train_key = net.zkml_json(&["setup", "--hash", &train_hash, "--out", &net.path("keys/train"), "--suri", "//Alice"]);
    // The CLI's bounty: the page must compute the same cap for the same MSE, and it expires at once so that
    // the page can cancel it.
    let cli_bounty = net.zkml_json(&[
        "add-bounty", "--dataset", &train_hash, "--amount", "1", "--mse", "3000", "--publickey", &format!("{keys}_public.json"),
        "--expires-in", "1", "--suri", "//Alice",
    ]);
    // Bob's model (least squares on the training set), where the page's commands expect it.
    let work = net.path("bob");
    std::fs::create_dir_all(&work).unwrap();
    let train = io::load_dataset(Path::new(&train_dir)).unwrap();
    io::save_model(&Path::new(&work).join("model"), &least_squares_on(&train, &(0..10).collect::<Vec<_>>())).unwrap();
    std::fs::write(Path::new(&work).join("bob.suri"), "//Bob\n").unwrap();
    let test_set = net.path("test-set.json");
    let packaged = net.zkml_json(&["test-set", "--train", &train_hash, "--test", &test_dir, "--out", &test_set]);
    assert_eq!(packaged["rows"], 30, "{packaged}");

    let screenshots = std::env::var("ZKML_BOARD_SCREENSHOTS").unwrap_or_else(|_| net.path("screenshots"));
    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "--test-timeout=900000", "test/board.e2e.mjs"])
        .current_dir(&web)
        .env("ZKML_URL", &net.url)
        .env("ZKML_IPFS_API", &net.ipfs_api)
        .env("ZKML_BIN", bin("zkml"))
        .env("XDG_CACHE_HOME", net.path("cache"))
        .env("BOARD_WORK", &work)
        .env("BOARD_TRAIN_HASH", &train_hash)
        .env("BOARD_VAL_HASH", &val_hash)
        .env("BOARD_TRAIN_KEY", str_of(&train_key, "verifying_key_hash"))
        .env("BOARD_SPLIT_KEY", str_of(&split_key, "verifying_key_hash"))
        .env("BOARD_CLI_BOUNTY", cli_bounty["bounty"].to_string())
        .env("BOARD_PUBLIC_KEY", format!("{keys}_public.json"))
        .env("BOARD_TEST_SET", &test_set)
        .env("BOARD_SCREENSHOTS", &screenshots)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}\n{stderr}");
    assert!(out.status.success(), "the board's browser test failed (screenshots in {screenshots}):\n{stdout}\n{stderr}");
}
