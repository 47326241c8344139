//! Competitions with a hidden test set on a live chain (see the pallet's docs for the lifecycle).
//!
//! Organizer: `post-competition` (commits to the local test set by its hash, holds prize and bond),
//! `reveal-test-set` (after submissions close: the packed test data goes on chain), `retrieve-models`.
//! Competitor: `submit` (commits to a model; optionally proves its score on the public validation split),
//! `score` (after the reveal: proves the committed model's score on the revealed test set), `deliver-model`
//! (a winner, after `finalize`). Anyone: `leaderboard`, `finalize`.
//!
//! Every command checks what it can before any fee (deadlines, the model against its commitment, the test data
//! against the committed hash) and every transaction is dry-run first (see `Chain::submit_at`). A competitor's
//! model and envelope secrets are kept in an entry file (`~/.cache/zkml/competitions/`, owner-only): without it
//! a submission cannot be scored.
use crate::{
    onchain::{bounded, human_blocks, parse_hash, proving_key_for, shape_and_scales, Endpoints, SignerArgs},
    print, spinner,
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use ark_ff::UniformRand;
use rand::rngs::OsRng;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zkml::{
    chain::{self, runtime, AccountId32, Chain, CompetitionInfo},
    circuit::{
        models::{kind_spec, ProvableModel, QuantizedModel},
        ClaimCircuit,
    },
    files::{self, EntryFile},
    io,
    ipfs::Ipfs,
    prover::{self, ClaimRequest},
    quant::{self, QuantDataset, QuantModel},
};
use zkml_primitives::{
    competition::{competition_context, pack_test_set, unpack_test_set},
    dataset::{Scales, Shape},
    encoding::{fr_from_bytes, fr_to_bytes},
    groth16,
    keys::{random_secret, PublicKey},
    model::{ModelKind, Task},
};

use runtime::runtime_types::pallet_zkml_bounties::competition::{CompetitionPhase, PublicScore, Validation};

/// Blocks a transaction needs, after the finalized block, to be included before a deadline (proving and
/// inclusion take a few blocks).
const MARGIN_BLOCKS: u64 = 3;

pub struct PostArgs {
    pub train: String,
    pub validation: Option<String>,
    pub test: PathBuf,
    pub publickey: PathBuf,
    pub prize: String,
    pub bond: String,
    pub shares: String,
    pub submit_blocks: u32,
    pub reveal_blocks: u32,
    pub score_blocks: u32,
    pub scoring_key: Option<String>,
    pub validation_key: Option<String>,
}

/// The organizer's key for `shape`: the given hash, or the only one they registered for it.
async fn organizer_key_for(chain: &Chain, organizer: &AccountId32, shape: Shape, given: Option<&str>, what: &str) -> Result<[u8; 32]> {
    if let Some(h) = given {
        let h: [u8; 32] = files::from_hex(h, "verifying key hash")?.try_into().map_err(|_| anyhow!("a verifying key hash is 32 bytes"))?;
        let vk = chain.verifying_key(organizer, h).await?.ok_or_else(|| anyhow!("{organizer} has no verifying key {}", files::to_hex(&h)))?;
        ensure!(Shape::from(&vk.shape) == shape, "verifying key {} is for another shape than the {what} ({}x{}x{})", files::to_hex(&h), shape.m, shape.p, shape.n);
        return Ok(h);
    }
    let mine: Vec<_> = chain
        .verifying_keys()
        .await?
        .into_iter()
        .filter(|(_, k)| Shape::from(&k.shape) == shape && &k.registrant == organizer)
        .collect();
    match mine.as_slice() {
        [(h, _)] => Ok(*h),
        [] => bail!(
            "{organizer} has no verifying key for the {what}'s shape {}x{}x{}: run `zkml ceremony init --shape {}x{}x{}` (or `zkml setup` on a dev chain)",
            shape.m, shape.p, shape.n, shape.m, shape.p, shape.n
        ),
        _ => bail!("several of your keys serve {}x{}x{}; choose one for the {what}", shape.m, shape.p, shape.n),
    }
}

fn parse_shares(s: &str) -> Result<Vec<u32>> {
    let shares: Vec<u32> = s
        .split(',')
        .map(|v| v.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("--shares {s:?} is not a comma-separated list of positive whole numbers (e.g. 60,30,10)"))?;
    ensure!(!shares.is_empty() && shares.iter().all(|v| *v > 0), "--shares needs at least one positive weight");
    Ok(shares)
}

/// The test set quantized with the training set's scales (the model's parameters mean the same on both).
fn quantize_split(dir: &Path, train: &chain::Dataset, what: &str) -> Result<QuantDataset> {
    let ds = io::load_dataset(dir)?;
    let (train_shape, scales) = shape_and_scales(train);
    ensure!(
        ds.shape().p == train_shape.p && ds.shape().n == train_shape.n,
        "the {what} in {} has {} features and {} outputs; the training set has {} and {}",
        dir.display(), ds.shape().p, ds.shape().n, train_shape.p, train_shape.n
    );
    QuantDataset::new(&ds, scales).with_context(|| {
        format!("the {what} does not fit the training set's scales; register the training set with `add-dataset --cover {}` so its scales cover every split", dir.display())
    })
}

pub async fn post_competition(a: PostArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let organizer = chain::account_of(&keypair);
    let train_hash = parse_hash(&a.train, "training dataset hash")?;
    let prize = chain::parse_tokens(&a.prize)?;
    let bond = chain::parse_tokens(&a.bond)?;
    let shares = parse_shares(&a.shares)?;
    for (what, blocks) in [("--submit-blocks", a.submit_blocks), ("--reveal-blocks", a.reveal_blocks), ("--score-blocks", a.score_blocks)] {
        ensure!(blocks > 0, "{what} must be at least 1 block");
        ensure!(
            blocks <= crate::onchain::MAX_EXPIRES_IN,
            "{what} {blocks} is about {}: at most {} blocks (about {}) are accepted",
            human_blocks(blocks as u64), crate::onchain::MAX_EXPIRES_IN, human_blocks(crate::onchain::MAX_EXPIRES_IN as u64)
        );
    }
    let organizer_pk = files::load_public_key(&a.publickey)?;
    let chain = Chain::connect(&net.url).await?;
    let train = chain
        .dataset(&organizer, train_hash)
        .await?
        .ok_or_else(|| anyhow!("{organizer} has no dataset {} on chain (add the training set with add-dataset)", files::to_hex(&train_hash)))?;
    let test = quantize_split(&a.test, &train, "test set")?;
    let test_hash = fr_to_bytes(&test.hash());
    let scoring_key = organizer_key_for(&chain, &organizer, test.shape, a.scoring_key.as_deref(), "test set").await?;
    let validation = match &a.validation {
        None => None,
        Some(h) => {
            let hash = parse_hash(h, "validation dataset hash")?;
            let v = chain.dataset(&organizer, hash).await?.ok_or_else(|| anyhow!("{organizer} has no dataset {h} on chain"))?;
            ensure!(
                v.scales() == train.scales(),
                "the validation split was registered with other scales than the training set: register it with `add-dataset --scales-like {}`",
                files::to_hex(&train_hash)
            );
            let key = organizer_key_for(&chain, &organizer, Shape::from(&v.shape), a.validation_key.as_deref(), "validation split").await?;
            Some(Validation { dataset: hash, verifying_key: key })
        }
    };
    let call = runtime::transactions().zkml_bounties().post_competition(
        train_hash,
        validation,
        test_hash,
        test.shape.m,
        scoring_key,
        organizer_pk.to_bytes(),
        prize,
        bond,
        a.submit_blocks,
        a.reveal_blocks,
        a.score_blocks,
        bounded(shares.clone()),
    );
    let pb = spinner(json, "posting the competition (waiting for finality)");
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let posted = included
        .events
        .find_first::<runtime::zkml_bounties::events::CompetitionPosted>()
        .ok_or_else(|| anyhow!("the competition was posted but its event is missing"))??;
    print(
        json,
        json!({"competition": posted.competition, "test_hash": files::to_hex(&test_hash), "test_rows": test.shape.m,
               "prize": prize.to_string(), "bond": bond.to_string(), "shares": shares, "submit_until": posted.submit_until,
               "reveal_until": posted.reveal_until, "scoring_key": files::to_hex(&scoring_key), "fee": included.fee.to_string()}),
        || format!(
            "posted competition {} with a prize of {} (split {:?}) and a reveal bond of {}; hidden test set {} ({} rows)\n\
             submissions until block {}; reveal the test set (zkml reveal-test-set --competition {} --test {}) after that and by block {}",
            posted.competition, chain::tokens(prize), shares, chain::tokens(bond), files::to_hex(&test_hash), test.shape.m,
            posted.submit_until, posted.competition, a.test.display(), posted.reveal_until
        ),
    );
    Ok(())
}

fn entries_dir() -> PathBuf {
    crate::onchain::dirs_cache().join("competitions")
}

/// Every kept entry for `competition` (oldest file name first).
fn kept_entries(competition: u64) -> Vec<(PathBuf, EntryFile)> {
    let prefix = format!("competition-{competition}-");
    let mut out: Vec<(PathBuf, EntryFile)> = std::fs::read_dir(entries_dir())
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix)))
        .filter_map(|p| EntryFile::load(&p).ok().map(|e| (p, e)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Proves that `model` (under the entry's envelope secrets) has SSE ≤ `score` on `data` for `competition`,
/// paying `payee`, with the registered key `key_hash` of the organizer. Verified locally before it is returned.
#[allow(clippy::too_many_arguments)]
async fn prove_score(
    chain: &Chain,
    ipfs: &Ipfs,
    c: &CompetitionInfo,
    competition: u64,
    key_hash: [u8; 32],
    data: &QuantDataset,
    entry: &EntryFile,
    model: &dyn ProvableModel,
    payee: [u8; 32],
    pb: &crate::Progress,
) -> Result<(u128, Vec<u8>, f64)> {
    let vk = chain.verifying_key(&c.organizer, key_hash).await?.ok_or_else(|| anyhow!("the competition's key is not registered"))?;
    ensure!(vk.kind() == model.kind(), "the key is for {} models; the entry is a {} model", kind_spec(&vk.kind()), kind_spec(&model.kind()));
    let score = quant::field_to_u128(&model.loss_on(data)?).ok_or_else(|| anyhow!("the model's loss does not fit 128 bits"))?;
    let (sk, nonce) = entry.secrets()?;
    let organizer_pk = entry.organizer_pk()?;
    let request = ClaimRequest { dataset: data, model, organizer_pk, payee, bounty_id: competition_context(competition), sse_cap: score };
    let prepared = prover::prepare_claim_with_envelope_secrets(&request, sk, nonce)?;
    ensure!(
        fr_to_bytes(&prepared.envelope.hash()) == entry.commitment_bytes()?,
        "the entry's model and secrets do not give its commitment (the entry file was altered)"
    );
    pb.set_message("fetching the proving key from IPFS (or the cache) and checking it against the registered key");
    let pk = proving_key_for(&vk, None, ipfs).await?;
    pb.set_message("proving (Groth16)");
    let started = Instant::now();
    let statement = prepared.assignment.statement.clone();
    let shape = data.shape;
    let assignment = prepared.assignment;
    let kind = model.kind();
    let proof = tokio::task::spawn_blocking(move || prover::prove_with(&pk, &ClaimCircuit { kind, shape, assignment: Some(assignment) }, &mut OsRng)).await??;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = groth16::encode_proof(&proof);
    groth16::verify_claim(&vk.key.0, &bytes, &statement).map_err(|e| anyhow!("the proof does not verify against the registered key: {e}"))?;
    Ok((score, bytes, seconds))
}

pub struct SubmitArgs {
    pub competition: u64,
    pub model: PathBuf,
    pub validation: Option<PathBuf>,
    /// The training set's directory: the rows an MLP's activations (and trees' thresholds) are calibrated on.
    pub train: Option<PathBuf>,
    pub accept_unverified_key: bool,
}

/// A score as people read it: the MSE of a regressor, the misclassified count and accuracy of a classifier, on
/// `rows` samples of the competition's shape and scales.
fn score_fields(kind: &ModelKind, rows: u32, train_shape: Shape, scales: &Scales, score: u128) -> serde_json::Map<String, serde_json::Value> {
    let v = match kind.task() {
        Task::Regression => json!({"mse": quant::mse_of_sse(&Shape { m: rows, ..train_shape }, scales, score as f64)}),
        Task::Classification { .. } => json!({"misclassified": score, "accuracy": 1.0 - score as f64 / rows.max(1) as f64}),
    };
    v.as_object().cloned().unwrap_or_default()
}

/// [`score_fields`] in words.
fn score_text(fields: &serde_json::Value) -> String {
    match (fields["mse"].as_f64(), fields["misclassified"].as_u64()) {
        (Some(m), _) => format!("MSE {m:.6}"),
        (None, Some(e)) => format!("{e} misclassified (accuracy {:.4})", fields["accuracy"].as_f64().unwrap_or(f64::NAN)),
        _ => "no score".into(),
    }
}

/// The committed model of a submission, quantized for the scoring key's kind: a linear regression from
/// `W`/`b`, any kind from a model file (`zkml-model/1` or ONNX) that fits the key.
fn quantize_for_key(a: &SubmitArgs, kind: &ModelKind, train_shape: &Shape, scales: &Scales) -> Result<Vec<i64>> {
    if *kind == ModelKind::LINEAR_REGRESSION && !io::is_network_file(&a.model) {
        let qm = QuantModel::new(&io::load_model(&a.model)?, train_shape, scales)?;
        return Ok(qm.w_q.iter().chain(&qm.b_q).copied().collect());
    }
    let net = io::load_trained_model(&a.model)?;
    ensure!(
        net.fits_kind(kind),
        "competition {}'s scoring key is for {} models; {} is a {} model: nothing was done",
        a.competition, kind_spec(kind), a.model.display(), kind_spec(&net.kind())
    );
    let calibration = match &a.train {
        Some(dir) => io::load_dataset(dir)?.x,
        None => {
            ensure!(!matches!(kind, ModelKind::Mlp { .. }), "an MLP's activations are calibrated on data: give --train DIR (the training set from download-dataset)");
            ndarray::Array2::zeros((0, train_shape.p as usize))
        }
    };
    Ok(QuantizedModel::quantize(&net, train_shape, scales, &calibration, Some(kind))?.params)
}

pub async fn submit(a: SubmitArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let me = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(a.competition).await?.ok_or_else(|| anyhow!("no competition {} on chain", a.competition))?;
    let now = chain.finalized_number().await?;
    ensure!(
        matches!(c.phase, CompetitionPhase::Open) && now + MARGIN_BLOCKS <= c.submit_until as u64,
        "competition {} takes submissions until block {} (finalized: {now}): too late to submit; nothing was done",
        a.competition, c.submit_until
    );
    let train = chain.dataset(&c.organizer, c.train_dataset).await?.ok_or_else(|| anyhow!("the competition's training set is not registered"))?;
    let (train_shape, scales) = shape_and_scales(&train);
    let scoring = chain.verifying_key(&c.organizer, c.scoring_key).await?.ok_or_else(|| anyhow!("the competition's scoring key is not registered"))?;
    let kind = scoring.kind();
    let values = quantize_for_key(&a, &kind, &train_shape, &scales)?;
    let organizer_pk = PublicKey::from_bytes(&c.organizer_key).map_err(|e| anyhow!("the competition's organizer key: {e:?}"))?;
    let ipfs = Ipfs::new(&net.ipfs_api);
    // The scoring key is checked now, before committing: a key its maker can forge with would let them (under
    // another account) beat every honest score.
    crate::ceremony_chain::check_key(&chain, &ipfs, &scoring, &me, a.accept_unverified_key, json, crate::ceremony_chain::KeyUse::Competition)
        .await?;
    let sk = random_secret(&mut OsRng);
    let nonce = ark_bn254::Fr::rand(&mut OsRng);
    let entry = EntryFile::new(a.competition, &me.0, &organizer_pk, &sk, &nonce, &train_shape, &kind, &values)?;
    let qm = entry.model()?;
    let commitment = entry.commitment_bytes()?;
    let pb = spinner(json, "preparing the submission");
    let mut public = None;
    let mut public_report = json!(null);
    if let Some(dir) = &a.validation {
        let v = c.validation.as_ref().ok_or_else(|| anyhow!("competition {} has no public validation split", a.competition))?;
        let info = chain.dataset(&c.organizer, v.dataset).await?.ok_or_else(|| anyhow!("the validation split is not registered"))?;
        let data = quantize_split(dir, &train, "validation split")?;
        ensure!(
            fr_to_bytes(&data.hash()) == v.dataset,
            "the data in {} is not the competition's validation split (download it with download-dataset --hash {})",
            dir.display(), files::to_hex(&v.dataset)
        );
        ensure!(info.shape.m == data.shape.m, "the validation split's shape differs from its record");
        let (score, proof, seconds) = prove_score(&chain, &ipfs, &c, a.competition, v.verifying_key, &data, &entry, &*qm, me.0, &pb).await?;
        let mut report = score_fields(&kind, data.shape.m, train_shape, &scales, score);
        report.insert("score".into(), json!(score.to_string()));
        report.insert("proving_seconds".into(), json!(seconds));
        public_report = serde_json::Value::Object(report);
        public = Some(PublicScore { score, proof: bounded(proof) });
    }
    // Kept before anything is sent: without it this submission could never be scored.
    std::fs::create_dir_all(entries_dir()).with_context(|| format!("cannot create {}", entries_dir().display()))?;
    let tag = entry.commitment.trim_start_matches("0x").chars().take(16).collect::<String>();
    let path = entries_dir().join(format!("competition-{}-{tag}.json", a.competition));
    files::write_json_new_private(&path, &entry)?;
    pb.set_message("submitting the commitment (waiting for finality)");
    let chain = Chain::connect(&net.url).await?; // proving may have taken long
    let call = runtime::transactions().zkml_bounties().submit(a.competition, commitment, public);
    let included = chain.submit(&call, &keypair).await;
    pb.finish_and_clear();
    let included = match included {
        Ok(i) => i,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    };
    let ev = included
        .events
        .find_first::<runtime::zkml_bounties::events::Submitted>()
        .ok_or_else(|| anyhow!("the submission was included but its event is missing"))??;
    print(
        json,
        json!({"competition": a.competition, "index": ev.index, "commitment": entry.commitment, "entry": path, "public_score": public_report,
               "fee": included.fee.to_string()}),
        || format!(
            "submitted to competition {} as entry {} (commitment {}){}; kept the model and its secrets in {} (needed to score)",
            a.competition, ev.index, entry.commitment,
            if public_report.is_null() { String::new() } else { format!(", public validation {}", score_text(&public_report)) },
            path.display()
        ),
    );
    Ok(())
}

/// The revealed test set, read from the chain and checked against the commitment.
async fn revealed_test_set(chain: &Chain, c: &CompetitionInfo) -> Result<QuantDataset> {
    let (at, extrinsic) = c.phase.reveal().ok_or_else(|| anyhow!("the test set is not revealed yet ({})", c.phase.describe()))?;
    let train = chain.dataset(&c.organizer, c.train_dataset).await?.ok_or_else(|| anyhow!("the competition's training set is not registered"))?;
    let (train_shape, scales) = shape_and_scales(&train);
    let shape = Shape { m: c.test_rows, p: train_shape.p, n: train_shape.n };
    let words = chain.revealed_words(at, extrinsic).await?;
    let (x_q, y_q) = unpack_test_set(&shape, &words).map_err(|e| anyhow!("the revealed words do not unpack: {e}"))?;
    let data = QuantDataset { shape, scales, x_q, y_q };
    ensure!(fr_to_bytes(&data.hash()) == c.test_hash, "the revealed data does not hash to the committed test set");
    Ok(data)
}

/// What `zkml test-set` writes: a hidden test set packaged for a signer elsewhere (the web board). It holds the
/// data itself, packed as the chain's reveal takes it, so it is written readable by its owner only.
#[derive(serde::Serialize)]
pub struct TestSetFile {
    pub kind: &'static str,
    /// The training set's dataset hash: the test set is quantized at its scales.
    pub train: String,
    pub test_hash: String,
    pub rows: u32,
    /// The packed words `reveal_test_set` takes (X then Y), 0x-hex, little-endian.
    pub words: Vec<String>,
}

pub const TEST_SET_KIND: &str = "zkml-test-set/1";

/// `zkml test-set`: quantizes the test set at the registered training set's scales, and writes its commitment
/// (hash, rows) and its packed words, which is all `post_competition` and `reveal_test_set` need from it.
pub async fn package_test_set(train: &str, organizer: Option<&str>, test: &Path, out: &Path, net: &Endpoints, json: bool) -> Result<()> {
    let train_hash = parse_hash(train, "training dataset hash")?;
    let chain = Chain::connect(&net.url).await?;
    let record = match organizer {
        Some(o) => {
            let who = chain::AccountId32(files::parse_account(o)?);
            chain.dataset(&who, train_hash).await?.ok_or_else(|| anyhow!("{who} has no dataset {train} on chain"))?
        }
        None => {
            let mut found: Vec<_> = chain.datasets().await?.into_iter().filter(|(h, _)| *h == train_hash).map(|(_, d)| d).collect();
            match found.len() {
                0 => bail!("no dataset {train} on chain (register the training set with add-dataset first)"),
                1 => found.remove(0),
                n => bail!("{n} organizers registered dataset {train}: name yours with --organizer"),
            }
        }
    };
    let data = quantize_split(test, &record, "test set")?;
    let test_hash = fr_to_bytes(&data.hash());
    let words = pack_test_set(&data.x_q, &data.y_q);
    let file = TestSetFile {
        kind: TEST_SET_KIND,
        train: files::to_hex(&train_hash),
        test_hash: files::to_hex(&test_hash),
        rows: data.shape.m,
        words: words.iter().map(|w| files::to_hex(w)).collect(),
    };
    files::write_json_new_private(out, &file)?;
    print(
        json,
        json!({"test_hash": file.test_hash, "rows": file.rows, "words": file.words.len(), "out": out.display().to_string()}),
        || format!(
            "test set {} ({} rows, {} packed words) written to {} (readable by you only: it holds the data until you reveal it)",
            file.test_hash, file.rows, file.words.len(), out.display()
        ),
    );
    Ok(())
}

pub async fn reveal_test_set(competition: u64, test: &Path, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    ensure!(matches!(c.phase, CompetitionPhase::Open), "competition {competition} is not awaiting its test set ({})", c.phase.describe());
    let now = chain.finalized_number().await?;
    // The runtime compares with the block the reveal is checked at: it must be past the deadline.
    ensure!(now > c.submit_until as u64, "submissions to competition {competition} are open until block {} (finalized: {now}): the test set stays hidden until then", c.submit_until);
    ensure!(now < c.reveal_until as u64, "the reveal deadline of competition {competition} (block {}) has passed (finalized: {now})", c.reveal_until);
    let train = chain.dataset(&c.organizer, c.train_dataset).await?.ok_or_else(|| anyhow!("the competition's training set is not registered"))?;
    let data = quantize_split(test, &train, "test set")?;
    ensure!(
        fr_to_bytes(&data.hash()) == c.test_hash,
        "the data in {} hashes to {}, not to competition {competition}'s committed test set {}: refusing to reveal it; nothing was sent",
        test.display(), files::fr_hex(&data.hash()), files::to_hex(&c.test_hash)
    );
    let words = pack_test_set(&data.x_q, &data.y_q);
    let count = words.len();
    let call = runtime::transactions().zkml_bounties().reveal_test_set(competition, bounded(words));
    let pb = spinner(json, &format!("revealing the test set on chain ({count} packed words, waiting for finality)"));
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let ev = included
        .events
        .find_first::<runtime::zkml_bounties::events::TestSetRevealed>()
        .ok_or_else(|| anyhow!("the reveal was included but its event is missing"))??;
    // A convenience copy on IPFS (float .npy files, as add-dataset publishes them); the chain's copy is the
    // one that counts, so a failure here is only a warning.
    let copy = async {
        let ds = io::load_dataset(test)?;
        let ipfs = Ipfs::new(&net.ipfs_api);
        let tmp = tempfile::tempdir()?;
        io::save_dataset(tmp.path(), &ds)?;
        let x = ipfs.add("X.npy", std::fs::read(tmp.path().join("X.npy"))?).await?;
        let y = ipfs.add("Y.npy", std::fs::read(tmp.path().join("Y.npy"))?).await?;
        let s = data.shape;
        let manifest = crate::onchain::DatasetManifest {
            kind: crate::onchain::MANIFEST_KIND.into(),
            dataset_hash: files::to_hex(&c.test_hash),
            m: s.m,
            p: s.p,
            n: s.n,
            x,
            y,
        };
        ipfs.add("dataset.json", serde_json::to_vec_pretty(&manifest)?).await
    };
    let cid = match copy.await {
        Ok(cid) => Some(cid),
        Err(e) => {
            if !json {
                eprintln!("warning: the test set is on chain, but its convenience copy could not be added to IPFS: {e:#}");
            }
            None
        }
    };
    print(
        json,
        json!({"competition": competition, "block": ev.at, "extrinsic": ev.extrinsic, "words": count, "score_until": ev.score_until,
               "ipfs_copy": cid, "fee": included.fee.to_string()}),
        || format!(
            "revealed the test set of competition {competition} in block {} ({count} words); the bond is returned; scoring is open until block {}{}",
            ev.at, ev.score_until, cid.as_ref().map(|c| format!("; a copy is on IPFS as {c}")).unwrap_or_default()
        ),
    );
    Ok(())
}

pub async fn score(competition: u64, payee: Option<&str>, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let me = chain::account_of(&keypair);
    let payee = match payee {
        Some(p) => files::parse_account(p)?,
        None => me.0,
    };
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    let CompetitionPhase::Revealed { score_until, .. } = c.phase else {
        bail!("competition {competition} is not scoring ({})", c.phase.describe());
    };
    let now = chain.finalized_number().await?;
    ensure!(now + MARGIN_BLOCKS <= score_until as u64, "the scoring window of competition {competition} ends at block {score_until} (finalized: {now}): too late to score");
    // My unscored submissions, matched with the entries kept for them.
    let mine: Vec<_> = chain
        .submissions(competition, c.submissions, None)
        .await?
        .into_iter()
        .filter(|(_, s)| s.submitter == me && s.score.is_none())
        .collect();
    ensure!(!mine.is_empty(), "{me} has no unscored submission to competition {competition}");
    let entries = kept_entries(competition);
    let data = revealed_test_set(&chain, &c).await?;
    let ipfs = Ipfs::new(&net.ipfs_api);
    let mut scored = Vec::new();
    for (index, s) in mine {
        let Some((_, entry)) = entries.iter().find(|(_, e)| e.commitment_bytes().ok() == Some(s.commitment)) else {
            if !json {
                eprintln!("no kept entry matches submission {index} (commitment {}): it cannot be scored from this machine", files::to_hex(&s.commitment));
            }
            continue;
        };
        let model = entry.model()?;
        let pb = spinner(json, &format!("scoring submission {index} on the revealed test set"));
        let (score, proof, seconds) = prove_score(&chain, &ipfs, &c, competition, c.scoring_key, &data, entry, &*model, payee, &pb).await?;
        pb.set_message("sending the score (waiting for finality)");
        let chain = Chain::connect(&net.url).await?;
        let call = runtime::transactions().zkml_bounties().score(competition, index, score, bounded(proof), AccountId32(payee));
        let included = chain.submit(&call, &keypair).await;
        pb.finish_and_clear();
        let included = included?;
        let ev = included
            .events
            .find_first::<runtime::zkml_bounties::events::Scored>()
            .ok_or_else(|| anyhow!("the score was included but its event is missing"))??;
        let mut row = score_fields(&model.kind(), data.shape.m, data.shape, &data.scales, score);
        if !json {
            eprintln!("submission {index}: test {} (loss {score}), rank {} when scored; proved in {seconds:.1} s", score_text(&serde_json::Value::Object(row.clone())), ev.rank);
        }
        for (k, v) in [("index", json!(index)), ("score", json!(score.to_string())), ("rank", json!(ev.rank)), ("proving_seconds", json!(seconds)), ("fee", json!(included.fee.to_string()))] {
            row.insert(k.into(), v);
        }
        scored.push(serde_json::Value::Object(row));
    }
    ensure!(!scored.is_empty(), "none of {me}'s unscored submissions to competition {competition} has a kept entry in {}", entries_dir().display());
    print(json, json!({"competition": competition, "scored": scored}), || format!("scored {} submission(s) of competition {competition}", scored.len()));
    Ok(())
}

pub async fn leaderboard(competition: u64, net: &Endpoints, json: bool) -> Result<()> {
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    let train = chain.dataset(&c.organizer, c.train_dataset).await?.ok_or_else(|| anyhow!("the competition's training set is not registered"))?;
    let (train_shape, scales) = shape_and_scales(&train);
    let val_rows = match &c.validation {
        Some(v) => chain.dataset(&c.organizer, v.dataset).await?.map(|d| d.shape.m),
        None => None,
    };
    let kind = chain.verifying_key(&c.organizer, c.scoring_key).await?.map(|k| k.kind()).unwrap_or(ModelKind::LINEAR_REGRESSION);
    let with_score = |rows: Option<u32>, loss: u128, fields: serde_json::Value| {
        let mut row = rows.map(|m| score_fields(&kind, m, train_shape, &scales, loss)).unwrap_or_default();
        row.extend(fields.as_object().cloned().unwrap_or_default());
        serde_json::Value::Object(row)
    };
    let subs = chain.submissions(competition, c.submissions, None).await?;
    let finalized = chain.finalized_number().await?;
    let mut public: Vec<_> = subs.iter().filter_map(|(i, s)| s.public_score.map(|p| (p, *i, s.submitter.clone()))).collect();
    public.sort();
    let private: Vec<_> = c
        .ranking
        .0
        .iter()
        .enumerate()
        .map(|(r, (sse, i))| {
            let s = subs.iter().find(|(j, _)| j == i).map(|(_, s)| s);
            let slot = c.slots.0.iter().position(|sl| sl.holder == Some(*i));
            with_score(Some(c.test_rows), *sse, json!({"rank": r + 1, "index": i, "score": sse.to_string(),
                   "submitter": s.map(|s| s.submitter.to_string()), "payee": s.and_then(|s| s.score.as_ref().map(|(_, p)| p.to_string())),
                   "prize_slot": slot, "delivered": s.map(|s| s.delivered)}))
        })
        .collect();
    let public_rows: Vec<_> = public
        .iter()
        .enumerate()
        .map(|(r, (sse, i, who))| with_score(val_rows, *sse, json!({"rank": r + 1, "index": i, "score": sse.to_string(), "submitter": who.to_string()})))
        .collect();
    print(
        json,
        json!({"competition": competition, "finalized": finalized, "phase": c.phase.describe(), "submissions": c.submissions, "submit_until": c.submit_until,
               "reveal_until": c.reveal_until, "prize": c.prize.to_string(), "shares": c.shares.0, "public": public_rows, "private": private}),
        || {
            let mut out = format!(
                "competition {competition} at block {finalized}: {} — {} submission(s); submissions until block {}, reveal by block {}; prize {} split {:?}\n",
                c.phase.describe(), c.submissions, c.submit_until, c.reveal_until, chain::tokens(c.prize), c.shares.0
            );
            out += "public leaderboard (validation split):\n";
            if public_rows.is_empty() {
                out += "  (no public scores)\n";
            }
            for r in &public_rows {
                out += &format!("  {:>2}. entry {} by {}: {}\n", r["rank"], r["index"], r["submitter"].as_str().unwrap_or(""), score_text(r));
            }
            out += "private leaderboard (hidden test set):\n";
            if private.is_empty() {
                out += "  (no scores yet)\n";
            }
            for r in &private {
                out += &format!(
                    "  {:>2}. entry {} by {}: {}{}\n",
                    r["rank"], r["index"], r["submitter"].as_str().unwrap_or("?"), score_text(r),
                    match (r["prize_slot"].as_u64(), r["delivered"].as_bool()) {
                        (Some(s), Some(true)) => format!(" — prize slot {} paid", s + 1),
                        (Some(s), _) => format!(" — prize slot {}, awaiting delivery", s + 1),
                        _ => String::new(),
                    }
                );
            }
            out.trim_end().to_string()
        },
    );
    Ok(())
}

pub async fn finalize(competition: u64, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    let now = chain.finalized_number().await?;
    match &c.phase {
        CompetitionPhase::Open => ensure!(
            now > c.reveal_until as u64,
            "nothing to finalize yet: the test set may be revealed until block {} (finalized: {now})", c.reveal_until
        ),
        CompetitionPhase::Revealed { score_until, .. } => ensure!(
            now > *score_until as u64,
            "nothing to finalize yet: scoring is open until block {score_until} (finalized: {now})"
        ),
        CompetitionPhase::Finalized { .. } => ensure!(
            c.slots.0.iter().any(|s| s.holder.is_some() && !s.delivered && now > s.deliver_by as u64),
            "nothing to finalize: every prize slot is delivered or still within its delivery window"
        ),
        CompetitionPhase::Forfeited => bail!("competition {competition} is already settled ({})", c.phase.describe()),
    }
    let call = runtime::transactions().zkml_bounties().finalize_competition(competition);
    let pb = spinner(json, "finalizing (waiting for finality)");
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let mut lines = Vec::new();
    let mut out = json!({"competition": competition, "fee": included.fee.to_string()});
    if let Some(ev) = included.events.find_first::<runtime::zkml_bounties::events::CompetitionForfeited>() {
        let ev = ev?;
        lines.push(format!(
            "competition {competition}: no test set was revealed; {} paid to the {} committed submission(s), {} back to the organizer",
            chain::tokens(ev.paid), ev.submissions, chain::tokens(ev.returned)
        ));
        out["forfeited"] = json!({"paid": ev.paid.to_string(), "submissions": ev.submissions, "returned": ev.returned.to_string()});
    }
    if let Some(ev) = included.events.find_first::<runtime::zkml_bounties::events::CompetitionFinalized>() {
        let ev = ev?;
        lines.push(format!("competition {competition} ranked: winners (entries, by rank) {:?} deliver by block {}", ev.winners, ev.deliver_by));
        out["winners"] = json!(ev.winners);
        out["deliver_by"] = json!(ev.deliver_by);
    }
    let passed: Vec<_> = included.events.find::<runtime::zkml_bounties::events::SlotPassed>().collect::<Result<_, _>>()?;
    for ev in &passed {
        lines.push(match ev.to {
            Some(to) => format!("prize slot {} passed from entry {} (no delivery) to entry {to}, who must deliver by block {}", ev.slot + 1, ev.from, ev.deliver_by),
            None => format!("prize slot {} lapsed (entry {} did not deliver, nobody left in rank): back to the organizer", ev.slot + 1, ev.from),
        });
    }
    out["passed"] = json!(passed.iter().map(|e| json!({"slot": e.slot, "from": e.from, "to": e.to})).collect::<Vec<_>>());
    print(json, out, || lines.join("\n"));
    Ok(())
}

pub async fn deliver_model(competition: u64, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let me = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    ensure!(matches!(c.phase, CompetitionPhase::Finalized { .. }), "competition {competition} is not finalized ({})", c.phase.describe());
    let now = chain.finalized_number().await?;
    let subs = chain.submissions(competition, c.submissions, None).await?;
    let entries = kept_entries(competition);
    let mut paid = Vec::new();
    for slot in c.slots.0.iter().filter(|s| !s.delivered) {
        let Some(index) = slot.holder else { continue };
        let Some((_, s)) = subs.iter().find(|(i, s)| *i == index && s.submitter == me) else { continue };
        ensure!(now < slot.deliver_by as u64, "entry {index}'s delivery window ended at block {} (finalized: {now})", slot.deliver_by);
        let (path, entry) = entries
            .iter()
            .find(|(_, e)| e.commitment_bytes().ok() == Some(s.commitment))
            .ok_or_else(|| anyhow!("entry {index} won a prize slot but no kept entry matches its commitment"))?;
        let envelope = entry.envelope()?;
        ensure!(fr_to_bytes(&envelope.hash()) == s.commitment, "{} does not give entry {index}'s commitment", path.display());
        let call = runtime::transactions().zkml_bounties().deliver_model(
            competition,
            index,
            envelope.competitor_pk.to_bytes(),
            fr_to_bytes(&envelope.nonce),
            bounded(envelope.ciphertext.iter().map(fr_to_bytes).collect()),
        );
        let pb = spinner(json, &format!("delivering entry {index}'s model (waiting for finality)"));
        let included = chain.submit(&call, &keypair).await;
        pb.finish_and_clear();
        let included = included?;
        let ev = included
            .events
            .find_first::<runtime::zkml_bounties::events::WinnerPaid>()
            .ok_or_else(|| anyhow!("the delivery was included but no payout event was found"))??;
        paid.push(json!({"index": index, "slot": ev.slot, "payee": ev.payee.to_string(), "amount": ev.amount.to_string(), "fee": included.fee.to_string()}));
    }
    ensure!(!paid.is_empty(), "{me} holds no prize slot awaiting delivery in competition {competition}");
    print(json, json!({"competition": competition, "paid": paid}), || {
        paid.iter()
            .map(|p| format!("entry {} delivered: prize slot {} paid {} to {}", p["index"], p["slot"].as_u64().unwrap_or(0) + 1,
                chain::tokens(p["amount"].as_str().and_then(|a| a.parse().ok()).unwrap_or(0)), p["payee"].as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub async fn retrieve_models(competition: u64, secret_key: &Path, out: &Path, force: bool, net: &Endpoints, json: bool) -> Result<()> {
    let (sk, pk) = files::load_secret_key(secret_key)?;
    let chain = Chain::connect(&net.url).await?;
    let c = chain.competition(competition).await?.ok_or_else(|| anyhow!("no competition {competition} on chain"))?;
    ensure!(
        c.organizer_key == pk.to_bytes(),
        "competition {competition}'s models are encrypted to {}, not to the key in {}",
        files::to_hex(&c.organizer_key), secret_key.display()
    );
    let train = chain.dataset(&c.organizer, c.train_dataset).await?.ok_or_else(|| anyhow!("the competition's training set is not registered"))?;
    let (shape, scales): (Shape, Scales) = shape_and_scales(&train);
    let kind = chain.verifying_key(&c.organizer, c.scoring_key).await?.map(|k| k.kind()).ok_or_else(|| anyhow!("the competition's scoring key is not registered"))?;
    let mut written = Vec::new();
    for (rank, (_, index)) in c.ranking.0.iter().enumerate() {
        let Some(rec) = chain.competition_model(competition, *index).await? else { continue };
        let competitor_pk = PublicKey::from_bytes(&rec.competitor_key).map_err(|e| anyhow!("stored competitor key: {e:?}"))?;
        let nonce = fr_from_bytes(&rec.nonce).map_err(|_| anyhow!("stored nonce is not a field element"))?;
        let ct = rec.ciphertext.0.iter().map(|b| fr_from_bytes(b).map_err(|_| anyhow!("stored ciphertext"))).collect::<Result<Vec<_>>>()?;
        let params = zkml_primitives::keys::decrypt(&ct, &zkml_primitives::keys::shared_point(&sk, &competitor_pk), nonce);
        let dir = out.join(format!("rank-{}-entry-{index}", rank + 1));
        crate::outputs::model_files(&dir, force)?;
        if kind == ModelKind::LINEAR_REGRESSION {
            let qm = QuantModel::from_field_params(&params, &shape)?;
            io::save_model(&dir, &qm.dequantize(&shape, &scales))?;
            written.push(json!({"rank": rank + 1, "index": index, "payee": rec.payee.to_string(), "out": dir, "w_q": qm.w_q, "b_q": qm.b_q}));
        } else {
            let qm = QuantizedModel::from_field_params(&kind, &shape, &params)?;
            let path = io::save_quantized_model(&dir, &qm, &scales)?;
            written.push(json!({"rank": rank + 1, "index": index, "payee": rec.payee.to_string(), "out": dir, "model": path, "kind": kind_spec(&kind), "params": qm.params}));
        }
    }
    ensure!(!written.is_empty(), "competition {competition} has no delivered model yet ({})", c.phase.describe());
    print(json, json!({"competition": competition, "models": written}), || {
        written
            .iter()
            .map(|w| {
                let files = if w["model"].is_null() { "W.npy and b.npy" } else { "model.json (the integer model as proven)" };
                format!("decrypted rank {} (entry {}, paid to {}): {}/{files}", w["rank"], w["index"], w["payee"].as_str().unwrap_or(""), w["out"].as_str().unwrap_or(""))
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
