//! The competition story against the real node and IPFS daemon, through the `zkml` binary, as the demo plays
//! it: the organizer (Alice) splits the bundled diabetes data into train (242 rows, published), a public
//! validation split (100) and a hidden test set (100), registers train and validation, posts a competition
//! committing to the test set; three competitors train (least squares on different feature choices), submit
//! commitments with proven public scores; the organizer reveals the test set on chain; each competitor proves
//! their committed model's score on it; after the window the top two are paid by rank when they deliver, and
//! the organizer decrypts the winners' models. The public and private rankings differ. Refusals on the way:
//! reveal before submissions close and reveal of other data (no fee), finalize before the window, a loser's
//! delivery, a submission after the deadline.
use std::path::Path;
use subxt_signer::sr25519::dev;
use zkml::{
    chain::{self, AccountId32, Chain},
    files, io,
    quant::QuantModel,
    train::least_squares_on,
};
use zkml_e2e::{wait_finalized, Network, Splits};

const PRIZE: u128 = 6 * chain::UNIT;
/// Bob fits every feature; Charlie four, Dave six. On validation: Bob < Charlie < Dave; on the test set:
/// Bob < Dave < Charlie (checked below from the leaderboards the chain holds).
const CHOICES: [(&str, &[usize]); 3] = [("//Bob", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), ("//Charlie", &[2, 3, 8, 9]), ("//Dave", &[0, 2, 3, 4, 8, 9])];



fn ranks(board: &serde_json::Value, which: &str) -> Vec<u64> {
    board[which].as_array().unwrap().iter().map(|r| r["index"].as_u64().unwrap()).collect()
}

#[test]
fn competition_story_on_a_real_node_and_ipfs() {
    let net = Network::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Organizer: keys, train (scales covering every split) and validation (the same scales), a dev key for
    // the 100-row shape (validation and test alike), the competition.
    let Splits { val_dir, test_dir, keys, train_hash, val_hash, .. } = Splits::register(&net, 0..242, 242..342, 342..442);
    let posted = net.zkml_json(&[
        "post-competition", "--train", &train_hash, "--validation", &val_hash, "--test", &test_dir,
        "--publickey", &format!("{keys}_public.json"), "--prize", "6", "--bond", "2", "--shares", "2,1",
        "--submit-blocks", "30", "--reveal-blocks", "20", "--score-blocks", "15", "--suri", "//Alice",
    ]);
    let competition = posted["competition"].as_u64().unwrap().to_string();
    let submit_until = posted["submit_until"].as_u64().unwrap();

    // Competitors: download the training set and the validation split, train, submit with a public score.
    let models: Vec<String> = CHOICES.iter().map(|(who, _)| net.path(&format!("models/{}", &who[2..]))).collect();
    net.zkml_json(&["download-dataset", "--hash", &train_hash, "--path", &net.path("dl/train")]);
    net.zkml_json(&["download-dataset", "--hash", &val_hash, "--path", &net.path("dl/validation")]);
    let downloaded = io::load_dataset(Path::new(&net.path("dl/train"))).unwrap();
    for ((_, cols), dir) in CHOICES.iter().zip(&models) {
        io::save_model(Path::new(dir), &least_squares_on(&downloaded, cols)).unwrap();
    }
    let submitted: Vec<serde_json::Value> = std::thread::scope(|s| {
        let handles: Vec<_> = CHOICES
            .iter()
            .zip(&models)
            .map(|((who, _), model)| {
                let (net, competition, val) = (&net, &competition, net.path("dl/validation"));
                s.spawn(move || {
                    net.zkml_json(&[
                        "submit", "--competition", competition, "--model", model, "--validation", &val,
                        "--accept-unverified-key", "--suri", who,
                    ])
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let index_of: Vec<u64> = submitted.iter().map(|s| s["index"].as_u64().unwrap()).collect();
    let board = net.zkml_json(&["leaderboard", "--competition", &competition]);
    let public: Vec<u64> = ranks(&board, "public");
    assert_eq!(public, vec![index_of[0], index_of[1], index_of[2]], "public ranking Bob, Charlie, Dave: {board}");

    // The test set stays hidden until submissions close; other data is never revealed in its place.
    let early = net.zkml_fails(&["reveal-test-set", "--competition", &competition, "--test", &test_dir, "--suri", "//Alice"]);
    assert!(early.contains("stays hidden"), "{early}");
    wait_finalized(&rt, &net.url, submit_until + 1);
    let late = net.zkml_fails(&[
        "submit", "--competition", &competition, "--model", &models[0], "--accept-unverified-key", "--suri", "//Eve",
    ]);
    assert!(late.contains("too late"), "{late}");
    let alice = AccountId32(dev::alice().public_key().0);
    let before = rt.block_on(async { Chain::connect(&net.url).await?.free_balance(&alice).await }).unwrap();
    let wrong = net.zkml_fails(&["reveal-test-set", "--competition", &competition, "--test", &val_dir, "--suri", "//Alice"]);
    assert!(wrong.contains("refusing to reveal"), "{wrong}");
    assert_eq!(rt.block_on(async { Chain::connect(&net.url).await?.free_balance(&alice).await }).unwrap(), before, "no fee for a refusal");
    let revealed = net.zkml_json(&["reveal-test-set", "--competition", &competition, "--test", &test_dir, "--suri", "//Alice"]);
    let score_until = revealed["score_until"].as_u64().unwrap();
    assert!(revealed["ipfs_copy"].as_str().is_some_and(|c| c.starts_with("Qm")), "a convenience copy on IPFS: {revealed}");

    // Scoring: each competitor proves their committed model's score on the revealed test set.
    let scores: Vec<serde_json::Value> = std::thread::scope(|s| {
        let handles: Vec<_> = CHOICES
            .iter()
            .map(|(who, _)| {
                let (net, competition) = (&net, &competition);
                s.spawn(move || net.zkml_json(&["score", "--competition", competition, "--suri", who]))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for s in &scores {
        assert_eq!(s["scored"].as_array().unwrap().len(), 1, "{s}");
    }
    let board = net.zkml_json(&["leaderboard", "--competition", &competition]);
    let private = ranks(&board, "private");
    assert_eq!(private, vec![index_of[0], index_of[2], index_of[1]], "private ranking Bob, Dave, Charlie: {board}");
    assert_ne!(private, public, "the hidden test set reorders the public leaderboard");

    // Finalize after the window: the top two hold the prize slots; they deliver and are paid by rank.
    let early = net.zkml_fails(&["finalize", "--competition", &competition, "--suri", "//Eve"]);
    assert!(early.contains("nothing to finalize yet"), "{early}");
    wait_finalized(&rt, &net.url, score_until + 1);
    let finalized = net.zkml_json(&["finalize", "--competition", &competition, "--suri", "//Eve"]);
    assert_eq!(finalized["winners"], serde_json::json!([index_of[0], index_of[2]]), "{finalized}");
    let loser = net.zkml_fails(&["deliver-model", "--competition", &competition, "--suri", "//Charlie"]);
    assert!(loser.contains("holds no prize slot"), "{loser}");
    let bob = net.zkml_json(&["deliver-model", "--competition", &competition, "--suri", "//Bob"]);
    assert_eq!(bob["paid"][0]["amount"], (PRIZE * 2 / 3).to_string(), "{bob}");
    let dave = net.zkml_json(&["deliver-model", "--competition", &competition, "--suri", "//Dave"]);
    assert_eq!(dave["paid"][0]["amount"], (PRIZE / 3).to_string(), "{dave}");

    // The organizer decrypts both winners' models: exactly what they committed to.
    let got = net.zkml_json(&[
        "retrieve-models", "--competition", &competition, "--secret-key", &format!("{keys}_secret.json"), "--out", &net.path("won"),
    ]);
    let models_out = got["models"].as_array().unwrap();
    assert_eq!(models_out.len(), 2, "{got}");
    let train_info = rt
        .block_on(async { Chain::connect(&net.url).await?.dataset(&alice, files::parse_fr(&train_hash, "hash").map(|f| zkml_primitives::encoding::fr_to_bytes(&f))?).await })
        .unwrap()
        .unwrap();
    let scales = train_info.scales();
    let shape = (&train_info.shape).into();
    for (w, who) in models_out.iter().zip([0usize, 2]) {
        let expected = QuantModel::new(&io::load_model(Path::new(&models[who])).unwrap(), &shape, &scales).unwrap();
        assert_eq!(w["w_q"], serde_json::json!(expected.w_q), "rank {} is {}'s model", w["rank"], CHOICES[who].0);
    }
}
