//! A bounty whose key comes from a multi-party ceremony, on the real node and IPFS daemon, through the `zkml`
//! binary: the organizer opens the ceremony; organizer and competitor each contribute to both phases; the
//! organizer closes each phase with the chain's beacon and registers the key; the competitor's CLI downloads
//! and verifies the transcript before proving, and the claim is paid. The chain's record of the key lists
//! both contributors in both phases.
use subxt_signer::sr25519::dev;
use zkml::{
    chain::{self, runtime::runtime_types::pallet_zkml_bounties::pallet::CeremonyPhase, AccountId32, Chain},
    io,
    train::least_squares,
};
use zkml_e2e::{repo_root, str_of, Network};


#[test]
fn a_ceremony_key_with_organizer_and_competitor_pays_a_verified_claim() {
    let net = Network::start().expect("start node and IPFS");
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A small dataset (4 rows of 2 diabetes features): the claim circuit then needs powers of tau 2^13.
    let mut ds = io::load_dataset(&repo_root().join("examples/diabetes")).unwrap();
    ds.x = ds.x.slice(ndarray::s![..4, ..2]).to_owned();
    ds.y = ds.y.slice(ndarray::s![..4, ..]).to_owned();
    let (data, model, keys) = (net.path("dataset"), net.path("model"), net.path("keys/org"));
    io::save_dataset(std::path::Path::new(&data), &ds).unwrap();
    io::save_model(std::path::Path::new(&model), &least_squares(&ds)).unwrap();
    let (alice, bob) = (AccountId32(dev::alice().public_key().0), AccountId32(dev::bob().public_key().0));

    // The organizer opens a ceremony for the dataset's shape; both contribute to phase 1.
    let opened = net.zkml_json(&["ceremony", "init", "--shape", "4x2x1", "--phase1-blocks", "20", "--phase2-blocks", "15", "--suri", "//Alice"]);
    assert_eq!(opened["power"], 13);
    let id = opened["ceremony"].as_u64().unwrap().to_string();
    let c1 = net.zkml_json(&["ceremony", "contribute", "--ceremony", &id, "--suri", "//Alice", "--name", "organizer"]);
    let c2 = net.zkml_json(&["ceremony", "contribute", "--ceremony", &id, "--suri", "//Bob", "--entropy", "bob's dice"]);
    assert_eq!((c1["phase"].as_u64(), c2["phase"].as_u64(), c2["index"].as_u64()), (Some(1), Some(1), Some(1)));
    // Only the coordinator closes a phase.
    let refused = net.zkml_fails(&["ceremony", "beacon", "--ceremony", &id, "--suri", "//Bob"]);
    assert!(refused.contains("only the coordinator"), "{refused}");
    net.zkml_json(&["ceremony", "beacon", "--ceremony", &id, "--suri", "//Alice"]);
    // Phase 2: the competitor first this time.
    net.zkml_json(&["ceremony", "contribute", "--ceremony", &id, "--suri", "//Bob"]);
    net.zkml_json(&["ceremony", "contribute", "--ceremony", &id, "--suri", "//Alice"]);
    let finished = net.zkml_json(&["ceremony", "finalize", "--ceremony", &id, "--suri", "//Alice"]);
    let key_hash = str_of(&finished, "verifying_key_hash");

    // The key's provenance on chain: the ceremony, with both contributors in both phases, then a beacon.
    let (ceremony, key) = rt.block_on(async {
        let chain = Chain::connect(&net.url).await.unwrap();
        let c = chain.ceremony(id.parse().unwrap()).await.unwrap().unwrap();
        let kh: [u8; 32] = zkml::files::from_hex(&key_hash, "key hash").unwrap().try_into().unwrap();
        let k = chain.verifying_key(&alice, kh).await.unwrap().unwrap();
        (c, k)
    });
    assert_eq!(key.ceremony, Some(id.parse().unwrap()));
    assert!(matches!(ceremony.phase, CeremonyPhase::Finished { .. }));
    let who = |l: &Vec<_>| -> Vec<(AccountId32, bool)> {
        let l: &Vec<chain::runtime::runtime_types::pallet_zkml_bounties::pallet::Contribution> = l;
        l.iter().map(|c| (c.contributor.clone(), c.beacon)).collect()
    };
    assert_eq!(who(&ceremony.phase1.0), vec![(alice.clone(), false), (bob.clone(), false), (alice.clone(), true)]);
    assert_eq!(who(&ceremony.phase2.0), vec![(bob.clone(), false), (alice.clone(), false), (alice.clone(), true)]);
    let verified = net.zkml_json(&["ceremony", "verify", "--ceremony", &id]);
    assert_eq!(verified["verified"], true);
    for phase in ["phase1_contributors", "phase2_contributors"] {
        let list: Vec<String> = serde_json::from_value(verified[phase].clone()).unwrap();
        assert!(list.contains(&alice.to_string()) && list.contains(&bob.to_string()), "{verified}");
    }

    // A bounty with that key; the competitor's CLI checks the transcript itself before proving, and is paid.
    net.zkml_json(&["keygen", "--out", &keys]);
    let hash = str_of(&net.zkml_json(&["add-dataset", "--dataset", &data, "--suri", "//Alice"]), "dataset_hash");
    let public = format!("{keys}_public.json");
    let posted = net.zkml_json(&[
        "add-bounty", "--dataset", &hash, "--amount", "2", "--mse", "1000000", "--publickey", &public, "--expires-in", "1000",
        "--verifying-key", &key_hash, "--suri", "//Alice",
    ]);
    let bounty = posted["bounty"].as_u64().unwrap().to_string();
    let dl = net.path("download");
    net.zkml_json(&["download-dataset", "--hash", &hash, "--path", &dl]);
    let out = net.zkml(&[
        "claim-bounty", "--bounty", &bounty, "--payment", &bob.to_string(), "--model", &model, "--dataset", &dl, "--suri", "//Bob",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("transcript verified") && stderr.contains("you contributed to both phases"), "{stderr}");
    let paid = rt.block_on(async { Chain::connect(&net.url).await.unwrap().bounty(bounty.parse().unwrap()).await.unwrap().unwrap() });
    assert!(matches!(paid.state, chain::runtime::runtime_types::pallet_zkml_bounties::pallet::BountyState::Paid { .. }));
}
