//! The bounty story on a live chain and IPFS: organizer commands (add-dataset, setup --hash, add-bounty,
//! retrieve-model, remove-bounty, remove-dataset, remove-key) and competitor commands (list-datasets,
//! list-bounties, download-dataset, claim-bounty, deliver). Everything is checked locally before a fee is
//! spent: a model above the cap, a dataset that does not hash to the registered hash, a proving key that does
//! not match the registered verifying key, a bounty that cannot be removed yet are all refused without
//! submitting anything.
//!
//! A claim is two transactions (see the pallet's docs): `claim` (proof + envelope hash) reserves the bounty,
//! then `deliver` (the ciphertext) pays. The ciphertext is only ever sent after the chain shows the bounty
//! reserved for exactly this envelope, so a claim that loses a race publishes nothing but a hash.
use crate::{print, read_proving_key, spinner};
use anyhow::{anyhow, bail, ensure, Context, Result};
use blake2::{digest::consts::U32, Blake2b, Digest};
use clap::Args;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zkml::{
    chain::{self, runtime, AccountId32, Chain, Wait},
    circuit::{
        models::{kind_spec, ProvableModel},
        ClaimCircuit,
    },
    files::{self, ClaimFile},
    io,
    ipfs::{self, Ipfs},
    prover::{self, ClaimRequest},
    quant::{self, QuantDataset, QuantModel},
};
use zkml_primitives::{
    dataset::Shape,
    encoding::{fr_from_bytes, fr_to_bytes},
    groth16,
    keys::PublicKey,
    model::{Metric, ModelKind},
};

use runtime::runtime_types::bounded_collections::bounded_vec::BoundedVec;
use runtime::runtime_types::pallet_zkml_bounties::pallet::BountyState;

/// Where the node and the IPFS daemon are.
#[derive(Args, Clone)]
pub struct Endpoints {
    /// The zkml node's RPC endpoint.
    #[arg(long, env = "ZKML_URL", default_value = chain::DEFAULT_URL)]
    pub url: String,
    /// The IPFS HTTP RPC (kubo API) endpoint.
    #[arg(long, env = "ZKML_IPFS_API", default_value = ipfs::DEFAULT_API)]
    pub ipfs_api: String,
}

/// Who signs: a secret URI (`//Alice` on a dev chain) or a file holding one. Never printed.
#[derive(Args, Clone)]
pub struct SignerArgs {
    /// Secret URI of the signing account (e.g. //Alice on a dev chain, or a mnemonic).
    #[arg(long, env = "ZKML_SURI", hide_env_values = true)]
    pub suri: Option<String>,
    /// File containing the signing account's secret URI or mnemonic.
    #[arg(long, conflicts_with = "suri")]
    pub key_file: Option<PathBuf>,
}

impl SignerArgs {
    pub(crate) fn keypair(&self) -> Result<subxt_signer::sr25519::Keypair> {
        chain::signer(self.suri.as_deref(), self.key_file.as_deref())
    }
}

/// What `add-dataset` puts on IPFS besides X.npy and Y.npy: one small JSON file naming both, whose CID is the
/// one registered on chain.
#[derive(Serialize, Deserialize)]
pub struct DatasetManifest {
    pub kind: String,
    pub dataset_hash: String,
    pub m: u32,
    pub p: u32,
    pub n: u32,
    /// CID of X.npy (float64, m × p).
    pub x: String,
    /// CID of Y.npy (float64, m × n).
    pub y: String,
}

pub(crate) const MANIFEST_KIND: &str = "zkml-dataset/v1";

pub(crate) fn parse_hash(s: &str, what: &str) -> Result<[u8; 32]> {
    Ok(fr_to_bytes(&files::parse_fr(s, what)?))
}

pub(crate) fn key_hash(vk: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(vk).into()
}

pub(crate) fn bounded<T>(v: Vec<T>) -> BoundedVec<T> {
    BoundedVec(v)
}

/// The shape and scales of a registered dataset, as the circuit uses them.
pub(crate) fn shape_and_scales(info: &chain::Dataset) -> (Shape, zkml_primitives::dataset::Scales) {
    ((&info.shape).into(), info.scales())
}

/// Loads a dataset directory and quantizes it with the registered scales; fails unless it is the registered
/// dataset.
fn load_registered_dataset(dir: &Path, hash: [u8; 32], info: &chain::Dataset) -> Result<(quant::FloatDataset, QuantDataset)> {
    let ds = io::load_dataset(dir)?;
    let (shape, scales) = shape_and_scales(info);
    ensure!(
        ds.shape() == shape,
        "{} holds a {}x{}x{} dataset; the registered one is {}x{}x{}",
        dir.display(),
        ds.shape().m,
        ds.shape().p,
        ds.shape().n,
        shape.m,
        shape.p,
        shape.n
    );
    let qds = QuantDataset::new(&ds, scales)?;
    let got = fr_to_bytes(&qds.hash());
    ensure!(
        got == hash,
        "the dataset in {} hashes to {}, not to the registered {}: it is not the bounty's dataset",
        dir.display(),
        files::to_hex(&got),
        files::to_hex(&hash)
    );
    Ok((ds, qds))
}

/// Registers a dataset. `cover`: other splits the scales must fit too (calibrated on all of them together);
/// `scales_like`: take the scales of one of the signer's registered datasets instead of calibrating.
pub async fn add_dataset(
    dataset: &crate::DatasetArgs,
    cover: &[PathBuf],
    scales_like: Option<&str>,
    net: &Endpoints,
    signer: &SignerArgs,
    json: bool,
) -> Result<()> {
    let keypair = signer.keypair()?;
    let (ds, mut qds, settings) = dataset.load()?;
    if !cover.is_empty() {
        let mut all = ds.clone();
        for dir in cover {
            let other = io::load_dataset(dir)?;
            ensure!(
                other.shape().p == all.shape().p && other.shape().n == all.shape().n,
                "{} has {} features and {} outputs; the dataset has {} and {}",
                dir.display(), other.shape().p, other.shape().n, all.shape().p, all.shape().n
            );
            all = quant::FloatDataset {
                x: ndarray::concatenate![ndarray::Axis(0), all.x, other.x],
                y: ndarray::concatenate![ndarray::Axis(0), all.y, other.y],
            };
        }
        qds = QuantDataset::new(&ds, quant::calibrate(&all, &settings)?)?;
    }
    let chain = Chain::connect(&net.url).await?;
    if let Some(h) = scales_like {
        let like = parse_hash(h, "dataset hash")?;
        let me = chain::account_of(&keypair);
        let info = chain.dataset(&me, like).await?.ok_or_else(|| anyhow!("{me} has no dataset {h} to take scales from"))?;
        let (shape, scales) = shape_and_scales(&info);
        ensure!(shape.p == qds.shape.p && shape.n == qds.shape.n, "dataset {h} has {} features and {} outputs; this one has {} and {}", shape.p, shape.n, qds.shape.p, qds.shape.n);
        qds = QuantDataset::new(&ds, scales).with_context(|| format!("the data does not fit dataset {h}'s scales"))?;
    }
    let hash = fr_to_bytes(&qds.hash());
    if let Some(existing) = chain.dataset(&chain::account_of(&keypair), hash).await? {
        bail!("dataset {} is already registered by you ({}, CID {})", files::to_hex(&hash), existing.organizer, existing.cid());
    }
    let ipfs = Ipfs::new(&net.ipfs_api);
    // Upload canonical float64 .npy files whatever the input format was (the values, hence the hash, are
    // the same).
    let tmp = tempfile::tempdir()?;
    io::save_dataset(tmp.path(), &ds)?;
    let x = ipfs.add("X.npy", std::fs::read(tmp.path().join("X.npy"))?).await?;
    let y = ipfs.add("Y.npy", std::fs::read(tmp.path().join("Y.npy"))?).await?;
    let s = qds.shape;
    let manifest =
        DatasetManifest { kind: MANIFEST_KIND.into(), dataset_hash: files::to_hex(&hash), m: s.m, p: s.p, n: s.n, x, y };
    let cid = ipfs.add("dataset.json", serde_json::to_vec_pretty(&manifest)?).await?;
    let scales = &qds.scales;
    let call = runtime::transactions().zkml_bounties().register_dataset(
        hash,
        bounded(cid.clone().into_bytes()),
        s.into(),
        bounded(scales.x_frac_bits.iter().map(|f| *f as i8).collect()),
        scales.y_frac_bits as i8,
    );
    let pb = spinner(json, "registering the dataset (waiting for finality)");
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let hash_hex = files::to_hex(&hash);
    print(
        json,
        json!({"dataset_hash": hash_hex, "cid": cid, "x_cid": manifest.x, "y_cid": manifest.y, "m": s.m, "p": s.p, "n": s.n,
               "block": included.block_hash, "fee": included.fee.to_string()}),
        || format!("registered dataset {hash_hex}\nshape {}x{}x{}, on IPFS as {cid} (X.npy {}, Y.npy {})", s.m, s.p, s.n, manifest.x, manifest.y),
    );
    Ok(())
}

/// `setup --hash`: keys for a registered dataset's shape; the verifying key is registered on chain and the
/// proving key published on IPFS (its CID stored with the verifying key).
pub async fn setup_registered(hash: &str, kind: &ModelKind, out: Option<PathBuf>, force: bool, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let hash = parse_hash(hash, "dataset hash")?;
    // A given prefix is checked before connecting; the default one (it names the shape) once the shape is known.
    if let Some(out) = &out {
        crate::outputs::key_files(out, force)?;
    }
    let chain = Chain::connect(&net.url).await?;
    let me = chain::account_of(&keypair);
    // Bounties use their issuer's own records, so the key is set up for the signer's own dataset record.
    let info = chain.dataset(&me, hash).await?.ok_or_else(|| {
        anyhow!("{me} has not registered dataset {} (register it with add-dataset first)", files::to_hex(&hash))
    })?;
    let shape: Shape = (&info.shape).into();
    kind.validate(&shape, info.y_frac_bits as i32).map_err(|e| anyhow!("model kind {}: {e}", kind_spec(kind)))?;
    let out = match out {
        Some(out) => out,
        None => {
            let suffix = if *kind == ModelKind::LINEAR_REGRESSION { String::new() } else { format!("-{}", kind_spec(kind).replace([':', ','], "-")) };
            let default = PathBuf::from(format!("zkml-keys/{}x{}x{}{suffix}", shape.m, shape.p, shape.n));
            crate::outputs::key_files(&default, force)?;
            default
        }
    };
    let ipfs = Ipfs::new(&net.ipfs_api);
    ipfs.version().await?;
    let pb = spinner(json, &format!("generating Groth16 keys for {}x{}x{}", shape.m, shape.p, shape.n));
    let setup_kind = kind.clone();
    let (pk, vk) = tokio::task::spawn_blocking(move || prover::setup_for(&setup_kind, shape, &mut OsRng)).await??;
    let (pk_path, vk_path, vk_bytes) = crate::write_keys(&out, &pk, &vk)?;
    pb.set_message("publishing the proving key on IPFS");
    let pk_cid = ipfs.add("claim.pk", std::fs::read(&pk_path)?).await?;
    pb.set_message("registering the verifying key (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().register_verifying_key(
        bounded(vk_bytes.clone()),
        shape.into(),
        kind.into(),
        bounded(pk_cid.clone().into_bytes()),
    );
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let kh = files::to_hex(&key_hash(&vk_bytes));
    print(
        json,
        json!({"verifying_key_hash": kh, "proving_key_cid": pk_cid, "proving_key": pk_path, "verifying_key": vk_path,
               "m": shape.m, "p": shape.p, "n": shape.n, "kind": kind_spec(kind), "fee": included.fee.to_string()}),
        || format!("registered verifying key {kh} for {} on {}x{}x{}\nproving key on IPFS as {pk_cid} (also {})\nthis setup's randomness was discarded here, but competitors cannot check that: whoever knows it can forge claims against bounties using this key", kind_spec(kind), shape.m, shape.p, shape.n, pk_path.display()),
    );
    Ok(())
}

/// A bounty's cap in words: an MSE for regressors, misclassified samples for classifiers.
pub(crate) fn cap_text(kind: &ModelKind, qds: &QuantDataset, cap: u128) -> String {
    match kind.metric() {
        Metric::SumSquaredError => format!("MSE {:.6}", qds.mse_of_sse(cap as f64)),
        Metric::Misclassified => format!("at most {cap} of {} misclassified (accuracy ≥ {:.4})", qds.shape.m, 1.0 - cap as f64 / qds.shape.m as f64),
    }
}

/// Blocks are authored every 6 s (the runtime's slot duration).
pub(crate) const BLOCK_SECONDS: u64 = 6;
/// The longest bounty the CLI posts: a year of blocks. A longer escrow is almost certainly a typo.
pub const MAX_EXPIRES_IN: u32 = (365 * 24 * 3600 / BLOCK_SECONDS) as u32;

/// A number of blocks as wall-clock time ("about 2.5 days").
pub(crate) fn human_blocks(blocks: u64) -> String {
    let secs = blocks.saturating_mul(BLOCK_SECONDS) as f64;
    match secs {
        s if s < 120.0 => format!("{s:.0} seconds"),
        s if s < 7200.0 => format!("{:.0} minutes", s / 60.0),
        s if s < 172_800.0 => format!("{:.1} hours", s / 3600.0),
        s if s < 2.0 * 365.0 * 86_400.0 => format!("{:.1} days", s / 86_400.0),
        s => format!("{:.0} years", s / (365.0 * 86_400.0)),
    }
}

pub struct BountyArgs {
    pub dataset: String,
    pub amount: String,
    /// Regressors: the MSE cap.
    pub mse: Option<f64>,
    /// Classifiers: the most misclassified samples.
    pub max_errors: Option<u64>,
    pub publickey: PathBuf,
    pub expires_in: u32,
    pub verifying_key: Option<String>,
}

pub async fn add_bounty(a: BountyArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let issuer = chain::account_of(&keypair);
    let hash = parse_hash(&a.dataset, "dataset hash")?;
    let amount = chain::parse_tokens(&a.amount)?;
    ensure!(amount > 0, "the bounty amount must be positive");
    ensure!(a.expires_in > 0, "--expires-in must be at least 1 block");
    ensure!(
        a.expires_in <= MAX_EXPIRES_IN,
        "--expires-in {} blocks is about {}: the prize would be escrowed until then. At most {MAX_EXPIRES_IN} blocks (about {}) are accepted",
        a.expires_in,
        human_blocks(a.expires_in as u64),
        human_blocks(MAX_EXPIRES_IN as u64)
    );
    let organizer_pk = files::load_public_key(&a.publickey)?;
    let chain = Chain::connect(&net.url).await?;
    let info = chain
        .dataset(&issuer, hash)
        .await?
        .ok_or_else(|| anyhow!("{issuer} has no dataset {} on chain (add it with add-dataset)", files::to_hex(&hash)))?;
    let (shape, scales) = shape_and_scales(&info);
    let vk = match &a.verifying_key {
        Some(h) => {
            let h = files::from_hex(h, "verifying key hash")?;
            let h: [u8; 32] = h.try_into().map_err(|_| anyhow!("a verifying key hash is 32 bytes"))?;
            let vk = chain
                .verifying_key(&issuer, h)
                .await?
                .ok_or_else(|| anyhow!("{issuer} has registered no verifying key {} (bounties use their issuer's own keys)", files::to_hex(&h)))?;
            ensure!(Shape::from(&vk.shape) == shape, "verifying key {} is for another shape", files::to_hex(&h));
            h
        }
        None => {
            let candidates: Vec<_> = chain
                .verifying_keys()
                .await?
                .into_iter()
                .filter(|(_, k)| Shape::from(&k.shape) == shape && k.registrant == issuer)
                .collect();
            match candidates.as_slice() {
                [(h, _)] => *h,
                [] => bail!(
                    "{issuer} has no verifying key for {}x{}x{}: run a ceremony (`zkml ceremony init --shape {}x{}x{}`), or `zkml setup --hash {}` for a dev chain",
                    shape.m, shape.p, shape.n, shape.m, shape.p, shape.n, a.dataset
                ),
                _ => bail!(
                    "several verifying keys serve {}x{}x{}; choose one with --verifying-key ({})",
                    shape.m, shape.p, shape.n,
                    candidates.iter().map(|(h, _)| files::to_hex(h)).collect::<Vec<_>>().join(", ")
                ),
            }
        }
    };
    let record = chain.verifying_key(&issuer, vk).await?.ok_or_else(|| anyhow!("verifying key {} vanished", files::to_hex(&vk)))?;
    let kind = record.kind();
    let (sse_cap, cap_words) = match (kind.metric(), a.mse, a.max_errors) {
        (Metric::SumSquaredError, Some(mse), None) => (quant::sse_cap(&shape, &scales, mse)?, format!("MSE <= {mse}")),
        (Metric::Misclassified, None, Some(e)) => {
            ensure!(e < shape.m as u64, "--max-errors {e} would accept any model: the dataset has {} samples", shape.m);
            (e as u128, format!("at most {e} of {} misclassified", shape.m))
        }
        (Metric::SumSquaredError, _, _) => bail!("the key is for {} (a regressor): give --mse", kind_spec(&kind)),
        (Metric::Misclassified, _, _) => bail!("the key is for {} (a classifier): give --max-errors", kind_spec(&kind)),
    };
    kind.validate(&shape, scales.y_frac_bits)
        .map_err(|e| anyhow!("dataset {} does not suit the key's {} models: {e}", files::to_hex(&hash), kind_spec(&kind)))?;
    let free = chain.free_balance(&issuer).await?;
    ensure!(
        free > amount,
        "insufficient funds: {issuer} has {} free, the bounty needs {} plus a storage deposit and fees",
        chain::tokens(free),
        chain::tokens(amount)
    );
    let call = runtime::transactions().zkml_bounties().post_bounty(hash, vk, organizer_pk.to_bytes(), sse_cap, amount, a.expires_in);
    let pb = spinner(json, "posting the bounty (waiting for finality)");
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let posted = included
        .events
        .find_first::<runtime::zkml_bounties::events::BountyPosted>()
        .ok_or_else(|| anyhow!("the bounty was posted but its event is missing"))??;
    print(
        json,
        json!({"bounty": posted.bounty, "dataset_hash": files::to_hex(&hash), "amount": amount.to_string(), "sse_cap": sse_cap.to_string(),
               "mse_cap": a.mse, "max_errors": a.max_errors, "kind": kind_spec(&kind), "expires_at": posted.expires_at,
               "verifying_key_hash": files::to_hex(&vk), "fee": included.fee.to_string()}),
        || format!("posted bounty {} of {} for {cap_words} (cap {sse_cap}, {} models) on dataset {}, expires at block {} (in about {})",
                   posted.bounty, chain::tokens(amount), kind_spec(&kind), files::to_hex(&hash), posted.expires_at, human_blocks(a.expires_in as u64)),
    );
    Ok(())
}

pub async fn list_datasets(net: &Endpoints, json: bool) -> Result<()> {
    let chain = Chain::connect(&net.url).await?;
    let datasets = chain.datasets().await?;
    let rows: Vec<_> = datasets
        .iter()
        .map(|(h, d)| {
            json!({"dataset_hash": files::to_hex(h), "organizer": d.organizer.to_string(), "cid": d.cid(),
                   "m": d.shape.m, "p": d.shape.p, "n": d.shape.n, "created_at": d.created_at})
        })
        .collect();
    print(json, json!(rows), || {
        if datasets.is_empty() {
            return "no datasets registered".into();
        }
        datasets
            .iter()
            .map(|(h, d)| format!("{}  {}x{}x{}  CID {}  by {} at block {}", files::to_hex(h), d.shape.m, d.shape.p, d.shape.n, d.cid(), d.organizer, d.created_at))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub async fn list_bounties(hash: Option<&str>, net: &Endpoints, json: bool) -> Result<()> {
    let filter = hash.map(|h| parse_hash(h, "dataset hash")).transpose()?;
    let chain = Chain::connect(&net.url).await?;
    let now = chain.finalized_number().await?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (id, b) in chain.bounties().await? {
        if filter.is_some_and(|h| h != b.dataset) {
            continue;
        }
        let ds = chain.dataset(&b.issuer, b.dataset).await?;
        let kind = chain.verifying_key(&b.issuer, b.verifying_key).await?.map(|k| k.kind()).unwrap_or(ModelKind::LINEAR_REGRESSION);
        let classifier = kind.metric() == Metric::Misclassified;
        let (mse_cap, cid) = match &ds {
            Some(d) if !classifier => {
                let (shape, scales) = shape_and_scales(d);
                (Some(quant::mse_of_sse(&shape, &scales, b.sse_cap as f64)), d.cid())
            }
            Some(d) => (None, d.cid()),
            None => (None, String::new()),
        };
        let cap_words = match (classifier, mse_cap) {
            (true, _) => format!("at most {} misclassified", b.sse_cap),
            (false, m) => format!("MSE <= {}", m.map(|m| format!("{m:.6}")).unwrap_or_else(|| "?".into())),
        };
        let state = match &b.state {
            BountyState::Reserved(r) if now > r.deliver_by as u64 => format!("{} (lapsed: open to the next claim)", b.state.describe()),
            s => s.describe(),
        };
        let expired = now > b.expires_at as u64;
        rows.push(json!({"bounty": id, "issuer": b.issuer.to_string(), "dataset_hash": files::to_hex(&b.dataset), "cid": cid,
                         "amount": b.amount.to_string(), "sse_cap": b.sse_cap.to_string(), "mse_cap": mse_cap, "kind": kind_spec(&kind),
                         "expires_at": b.expires_at, "expired": expired, "state": state,
                         "verifying_key_hash": files::to_hex(&b.verifying_key)}));
        lines.push(format!(
            "bounty {id}: {} for {cap_words} | {state}{} | expires at block {} | issuer {} | dataset {} (CID {cid})",
            chain::tokens(b.amount),
            if expired && matches!(b.state, BountyState::Open) { " (expired)" } else { "" },
            b.expires_at,
            b.issuer,
            files::to_hex(&b.dataset),
        ));
    }
    print(json, json!(rows), || if lines.is_empty() { "no bounties".into() } else { lines.join("\n") });
    Ok(())
}

/// Fetches a registered dataset from IPFS into `path`, after checking that it hashes to the registered hash
/// (nothing is written otherwise).
pub async fn download_dataset(hash: &str, path: &Path, net: &Endpoints, json: bool) -> Result<()> {
    let hash = parse_hash(hash, "dataset hash")?;
    let chain = Chain::connect(&net.url).await?;
    // Anyone may register a record for any hash (records are per organizer), so a record's CID is only a
    // hint: each is tried, oldest first, and only content that hashes to the registered hash is accepted.
    let records: Vec<_> = chain.datasets().await?.into_iter().filter(|(h, _)| *h == hash).map(|(_, d)| d).collect();
    ensure!(!records.is_empty(), "no dataset {} on chain", files::to_hex(&hash));
    let ipfs = Ipfs::new(&net.ipfs_api);
    let staging = tempfile::tempdir()?;
    let mut refusals = Vec::new();
    let mut found = None;
    for info in records {
        let cid = info.cid();
        let attempt = async {
            let manifest: DatasetManifest = serde_json::from_slice(&ipfs.cat(&cid).await?)
                .with_context(|| format!("{cid} is not a zkml dataset manifest"))?;
            ensure!(manifest.kind == MANIFEST_KIND, "{cid} is a {:?} manifest, not {MANIFEST_KIND}", manifest.kind);
            std::fs::write(staging.path().join("X.npy"), ipfs.cat(&manifest.x).await?)?;
            std::fs::write(staging.path().join("Y.npy"), ipfs.cat(&manifest.y).await?)?;
            load_registered_dataset(staging.path(), hash, &info)?;
            anyhow::Ok(())
        };
        match attempt.await {
            Ok(()) => {
                found = Some(info);
                break;
            }
            Err(e) => refusals.push(format!("CID {cid} (registered by {}): {e:#}", info.organizer)),
        }
    }
    let Some(info) = found else {
        bail!("refusing the download: no registered copy hashes to the registered hash\n{}", refusals.join("\n"));
    };
    let cid = info.cid();
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    for f in ["X.npy", "Y.npy"] {
        std::fs::copy(staging.path().join(f), path.join(f)).with_context(|| format!("cannot write {}", path.join(f).display()))?;
    }
    let s = &info.shape;
    print(json, json!({"dataset_hash": files::to_hex(&hash), "path": path, "cid": cid, "m": s.m, "p": s.p, "n": s.n}), || {
        format!("downloaded dataset {} ({}x{}x{}) to {}; it hashes to the registered hash", files::to_hex(&hash), s.m, s.p, s.n, path.display())
    });
    Ok(())
}

/// The proving key for a registered verifying key: `--proving-key` if given, else the cached or downloaded
/// file for its CID. Refused unless it contains exactly the registered verifying key.
pub(crate) async fn proving_key_for(
    vk: &chain::VerifyingKey,
    given: Option<&Path>,
    ipfs: &Ipfs,
) -> Result<prover::ClaimKey> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => {
            let cid = String::from_utf8_lossy(&vk.proving_key_cid.0).into_owned();
            ensure!(!cid.is_empty(), "the verifying key has no published proving key: pass --proving-key");
            // The same cache as the ceremony check, which has usually just downloaded this file (the final .zkey).
            crate::ceremony_chain::cached_file(ipfs, &cid, "proving key").await?
        }
    };
    let p = path.clone();
    let pk = tokio::task::spawn_blocking(move || read_proving_key(&p)).await??;
    if groth16::encode_verifying_key(&pk.pk.vk) != vk.key.0 {
        if given.is_none() {
            let _ = std::fs::remove_file(&path);
        }
        bail!("the proving key {} does not match the bounty's registered verifying key; refusing to use it", path.display());
    }
    Ok(pk)
}

pub(crate) fn dirs_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("zkml")
}

/// Blocks a claim needs before its bounty's expiry: proving (seconds) plus inclusion, with a margin.
const MIN_BLOCKS_TO_CLAIM: u64 = 5;

pub struct ClaimArgs {
    pub bounty: u64,
    pub payment: String,
    pub model: PathBuf,
    pub dataset: PathBuf,
    pub proving_key: Option<PathBuf>,
    /// Claim even against a key with no verified ceremony transcript.
    pub accept_unverified_key: bool,
}

pub async fn claim_bounty(a: ClaimArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let payee = files::parse_account(&a.payment)?;
    let chain = Chain::connect(&net.url).await?;
    let b = chain.bounty(a.bounty).await?.ok_or_else(|| anyhow!("no bounty {} on chain", a.bounty))?;
    let now = chain.finalized_number().await?;
    match &b.state {
        BountyState::Open => {}
        BountyState::Reserved(r) if now > r.deliver_by as u64 => {} // lapsed: the next claim re-opens it
        BountyState::Reserved(r) => bail!(
            "bounty {} is reserved by another claim (payee {}) until block {}; it re-opens then if nobody delivers",
            a.bounty, r.payee, r.deliver_by
        ),
        other => bail!("bounty {} is not open: {}", a.bounty, other.describe()),
    }
    ensure!(now <= b.expires_at as u64, "bounty {} expired at block {} (finalized: {now})", a.bounty, b.expires_at);
    // The claim must be in a block by the expiry block; proving and inclusion take a few blocks.
    let left = b.expires_at as u64 - now;
    ensure!(
        left >= MIN_BLOCKS_TO_CLAIM,
        "bounty {} expires at block {}, {left} block(s) after the finalized block {now}: too soon to prove and claim it (at least {MIN_BLOCKS_TO_CLAIM} are needed); nothing was done",
        a.bounty,
        b.expires_at
    );
    let info = chain.dataset(&b.issuer, b.dataset).await?.ok_or_else(|| anyhow!("the bounty's dataset is not registered"))?;
    let vk = chain
        .verifying_key(&b.issuer, b.verifying_key)
        .await?
        .ok_or_else(|| anyhow!("the bounty's verifying key is not registered"))?;
    let organizer_pk = PublicKey::from_bytes(&b.issuer_key).map_err(|e| anyhow!("the bounty's issuer key: {e:?}"))?;

    // Everything below is local until the claim: a failing model costs nothing.
    let (ds, qds) = load_registered_dataset(&a.dataset, b.dataset, &info)?;
    let kind = vk.kind();
    let (model, metrics): (Box<dyn ProvableModel>, serde_json::Value) = if kind == ModelKind::LINEAR_REGRESSION && !io::is_network_file(&a.model) {
        let fm = io::load_model(&a.model)?;
        let (qm, report) = quant::simulate(&ds, &fm, &qds)?;
        let sse = quant::sse(&qds, &qm);
        let mse_cap = qds.mse_of_sse(b.sse_cap as f64);
        if !quant::within_cap(&sse, b.sse_cap) {
            bail!(
                "refusing to claim bounty {}: the model misses the cap (float MSE {:.6}, quantized MSE {:.6}, cap MSE {:.6}); nothing was submitted",
                a.bounty, report.float_mse, report.quantized_mse, mse_cap
            );
        }
        if !json {
            eprintln!("float MSE {:.6}, quantized MSE {:.6}, cap {:.6}: the model meets the cap", report.float_mse, report.quantized_mse, mse_cap);
        }
        (Box::new(qm), json!({"float_mse": report.float_mse, "quantized_mse": report.quantized_mse, "mse_cap": mse_cap}))
    } else {
        let net = io::load_trained_model(&a.model)?;
        ensure!(
            net.fits_kind(&kind),
            "bounty {}'s key is for {} models; {} is a {} model: nothing was done",
            a.bounty, kind_spec(&kind), a.model.display(), kind_spec(&net.kind())
        );
        let (qm, report) = zkml::circuit::models::simulate_model(&net, &ds, &qds, &ds.x, Some(&kind))?;
        let loss = qm.loss_on(&qds)?;
        let cap = cap_text(&kind, &qds, b.sse_cap);
        if !quant::within_cap(&loss, b.sse_cap) {
            bail!("refusing to claim bounty {}: the model misses the cap ({}; cap: {cap}); nothing was submitted", a.bounty, report.summary());
        }
        if !json {
            eprintln!("{}; cap: {cap}: the model meets the cap", report.summary());
        }
        (Box::new(qm), serde_json::to_value(&report)?)
    };
    let ipfs = Ipfs::new(&net.ipfs_api);
    // Before any proving: is the key one nobody can forge with?
    crate::ceremony_chain::check_bounty_key(&chain, &ipfs, &vk, &chain::account_of(&keypair), a.accept_unverified_key, json).await?;
    let pb = spinner(json, "fetching the proving key from IPFS (or the cache) and checking it against the registered key");
    let pk = proving_key_for(&vk, a.proving_key.as_deref(), &ipfs).await?;
    let request = ClaimRequest { dataset: &qds, model: &*model, organizer_pk, payee, bounty_id: a.bounty, sse_cap: b.sse_cap };
    let claim = prover::prepare_claim(&request, &mut OsRng)?;
    pb.set_message("proving (Groth16)");
    let started = Instant::now();
    let assignment = claim.assignment.clone();
    let shape = qds.shape;
    let circuit_kind = kind.clone();
    let proof = tokio::task::spawn_blocking(move || {
        prover::prove_with(&pk, &ClaimCircuit { kind: circuit_kind, shape, assignment: Some(assignment) }, &mut OsRng)
    })
    .await??;
    let proving_seconds = started.elapsed().as_secs_f64();
    let proof_bytes = groth16::encode_proof(&proof);
    groth16::verify_claim(&vk.key.0, &proof_bytes, &claim.assignment.statement)
        .map_err(|e| anyhow!("the proof does not verify against the registered key: {e}"))?;

    // The envelope is kept before anything is sent, so `zkml deliver` can finish the claim if this process
    // stops between the two transactions.
    let file = ClaimFile::new(&vk.kind(), &qds.shape, &qds.scales, &claim.assignment.statement, &claim.envelope, &proof_bytes);
    let saved = save_pending_claim(a.bounty, &file)?;
    let envelope_hash = fr_to_bytes(&claim.envelope.hash());

    // 1. Reserve: the proof and the envelope hash only.
    pb.set_message("reserving the bounty (claim: proof and envelope hash)");
    let chain = Chain::connect(&net.url).await?; // the proof may have taken long: a fresh connection
    let now = chain.finalized_number().await?;
    if now >= b.expires_at as u64 {
        pb.finish_and_clear();
        bail!("bounty {} expired at block {} while proving (finalized: {now}); nothing was submitted", a.bounty, b.expires_at);
    }
    let call = runtime::transactions().zkml_bounties().claim(a.bounty, bounded(proof_bytes), envelope_hash, AccountId32(payee));
    let (claim_fee, at) = match chain.submit_and_wait(&call, &keypair, Wait::BestBlock).await {
        Ok(included) => (included.fee, included.block),
        // Included but failed (e.g. another claim reserved the bounty first): the chain at that block decides
        // below whether this envelope holds the reservation (someone may have submitted a copy of this claim).
        Err(e) => match e.downcast::<chain::Failed>() {
            Ok(failed) => {
                if !json {
                    eprintln!("the claim transaction failed: {}", failed.error);
                }
                (0, failed.block)
            }
            Err(e) => return Err(e.context(format!("the claim was not included; the envelope is kept in {}", saved.display()))),
        },
    };
    // 2. Deliver, only if the bounty is reserved for exactly this envelope at the claim's block.
    pb.set_message("delivering the model (waiting for finality)");
    let delivered = deliver_claim(&chain, a.bounty, &file, &keypair, at).await;
    pb.finish_and_clear();
    let delivered = delivered.with_context(|| format!("bounty {} was not delivered (envelope kept in {})", a.bounty, saved.display()))?;
    let _ = std::fs::remove_file(&saved);
    let fees = claim_fee + delivered.fee;
    let mut value = json!({"bounty": a.bounty, "payee": delivered.payee.to_string(), "amount": delivered.amount.to_string(), "fees": fees.to_string(),
               "block": delivered.block_hash, "proving_seconds": proving_seconds, "envelope_hash": files::to_hex(&envelope_hash)});
    if let (Some(v), Some(m)) = (value.as_object_mut(), metrics.as_object()) {
        v.extend(m.clone());
    }
    print(
        json,
        value,
        || format!("bounty {} paid: {} to {} (finalized in {}); proved in {proving_seconds:.1} s, fees {}",
                   a.bounty, chain::tokens(delivered.amount), delivered.payee, delivered.block_hash, chain::tokens(fees)),
    );
    Ok(())
}

/// Where `claim-bounty` keeps the envelope of a claim until it is delivered.
fn pending_claims_dir() -> PathBuf {
    dirs_cache().join("claims")
}

fn save_pending_claim(bounty: u64, file: &ClaimFile) -> Result<PathBuf> {
    let dir = pending_claims_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tag = file.envelope_hash.trim_start_matches("0x").chars().take(16).collect::<String>();
    let path = dir.join(format!("bounty-{bounty}-{tag}.json"));
    files::write_json(&path, file)?;
    Ok(path)
}

struct Delivered {
    payee: AccountId32,
    amount: u128,
    fee: u128,
    block_hash: String,
}

/// Sends `deliver` for `file`'s envelope, but only after reading, at `at` (a best block holding the claim),
/// that `bounty` is reserved for exactly this envelope hash and payee and still within its window. Otherwise
/// nothing is sent: a delivery that fails on chain would publish the ciphertext. The transaction is built at
/// `at` too, so its nonce follows a claim that is not finalized yet.
async fn deliver_claim(chain: &Chain, bounty: u64, file: &ClaimFile, keypair: &subxt_signer::sr25519::Keypair, at: chain::H256) -> Result<Delivered> {
    let envelope = file.envelope()?;
    let envelope_hash = fr_to_bytes(&envelope.hash());
    let payee = files::parse_account(&file.payee)?;
    ensure!(file.bounty_id == bounty, "the claim file is for bounty {}, not {bounty}", file.bounty_id);
    let b = chain.bounty_at(bounty, at).await?.ok_or_else(|| anyhow!("no bounty {bounty} on chain"))?;
    let r = match &b.state {
        BountyState::Reserved(r) => r,
        BountyState::Paid { payee } => bail!("bounty {bounty} is already paid (to {payee}); nothing was sent"),
        other => bail!("bounty {bounty} is not reserved ({}); nothing was sent: claim it first", other.describe()),
    };
    if r.envelope_hash != envelope_hash || r.payee.0 != payee {
        bail!(
            "bounty {bounty} is reserved for another claim (envelope hash {}, payee {}): this claim lost the race. \
             Nothing was sent but its proof and envelope hash, which reveal nothing about the model",
            files::to_hex(&r.envelope_hash),
            r.payee
        );
    }
    let now = chain.finalized_number().await?;
    ensure!(now <= r.deliver_by as u64, "the reservation of bounty {bounty} lapsed at block {}; nothing was sent", r.deliver_by);
    let call = runtime::transactions().zkml_bounties().deliver(
        bounty,
        envelope.competitor_pk.to_bytes(),
        fr_to_bytes(&envelope.nonce),
        bounded(envelope.ciphertext.iter().map(fr_to_bytes).collect()),
    );
    let included = chain.submit_at(&call, keypair, Wait::Finalized, Some(at)).await?;
    let paid = included
        .events
        .find_first::<runtime::zkml_bounties::events::BountyClaimed>()
        .ok_or_else(|| anyhow!("the delivery was included but no payout event was found"))??;
    Ok(Delivered { payee: paid.payee, amount: paid.amount, fee: included.fee, block_hash: included.block_hash })
}

/// Competitor: finishes a reserved claim by delivering its envelope (`claim-bounty` keeps it until then;
/// `--claim` takes a claim file such as `zkml prove` writes).
pub async fn deliver(bounty: u64, claim: Option<&Path>, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let chain = Chain::connect(&net.url).await?;
    let candidates: Vec<PathBuf> = match claim {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let prefix = format!("bounty-{bounty}-");
            let mut found: Vec<PathBuf> = std::fs::read_dir(pending_claims_dir())
                .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                .unwrap_or_default();
            found.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix)));
            ensure!(!found.is_empty(), "no kept claim for bounty {bounty} in {}: pass --claim FILE", pending_claims_dir().display());
            found
        }
    };
    // With several kept claims, deliver the one the chain reserved (as of the best block: the claim may not be
    // finalized yet).
    let best = chain.best_block().await?;
    let b = chain.bounty_at(bounty, best).await?.ok_or_else(|| anyhow!("no bounty {bounty} on chain"))?;
    let mut chosen = None;
    for path in &candidates {
        let file = ClaimFile::load(path)?;
        if let BountyState::Reserved(r) = &b.state {
            if file.envelope()?.hash() == fr_from_bytes(&r.envelope_hash).map_err(|_| anyhow!("reserved hash"))? {
                chosen = Some((path.clone(), file));
                break;
            }
        }
        if chosen.is_none() && candidates.len() == 1 {
            chosen = Some((path.clone(), file));
        }
    }
    let (path, file) = chosen.ok_or_else(|| anyhow!("none of the kept claims for bounty {bounty} holds its reservation ({})", b.state.describe()))?;
    let pb = spinner(json, "delivering the model (waiting for finality)");
    let delivered = deliver_claim(&chain, bounty, &file, &keypair, best).await;
    pb.finish_and_clear();
    let delivered = delivered?;
    if claim.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    print(
        json,
        json!({"bounty": bounty, "payee": delivered.payee.to_string(), "amount": delivered.amount.to_string(),
               "fee": delivered.fee.to_string(), "block": delivered.block_hash}),
        || format!("bounty {bounty} paid: {} to {} (finalized in {})", chain::tokens(delivered.amount), delivered.payee, delivered.block_hash),
    );
    Ok(())
}

/// Organizer: decrypts a paid bounty's model from the envelope stored on chain; writes W.npy and b.npy.
pub async fn retrieve_model(bounty: u64, secret_key: &Path, out: &Path, net: &Endpoints, json: bool) -> Result<()> {
    let (sk, pk) = files::load_secret_key(secret_key)?;
    let chain = Chain::connect(&net.url).await?;
    let b = chain.bounty(bounty).await?.ok_or_else(|| anyhow!("no bounty {bounty} on chain"))?;
    ensure!(
        b.issuer_key == pk.to_bytes(),
        "bounty {bounty}'s model is encrypted to {}, not to the key in {}",
        files::to_hex(&b.issuer_key),
        secret_key.display()
    );
    let claim = chain.claim(bounty).await?.ok_or_else(|| anyhow!("bounty {bounty} has no paid claim yet ({})", b.state.describe()))?;
    let info = chain.dataset(&b.issuer, b.dataset).await?.ok_or_else(|| anyhow!("the bounty's dataset is not registered"))?;
    let (shape, scales) = shape_and_scales(&info);
    let competitor_pk = PublicKey::from_bytes(&claim.competitor_key).map_err(|e| anyhow!("stored competitor key: {e:?}"))?;
    let nonce = fr_from_bytes(&claim.nonce).map_err(|_| anyhow!("stored nonce is not a field element"))?;
    let ciphertext = claim
        .ciphertext
        .0
        .iter()
        .map(|c| fr_from_bytes(c).map_err(|_| anyhow!("stored ciphertext is not field elements")))
        .collect::<Result<Vec<_>>>()?;
    let shared = zkml_primitives::keys::shared_point(&sk, &competitor_pk);
    let params = zkml_primitives::keys::decrypt(&ciphertext, &shared, nonce);
    let kind = chain.verifying_key(&b.issuer, b.verifying_key).await?.map(|k| k.kind()).unwrap_or(ModelKind::LINEAR_REGRESSION);
    if kind != ModelKind::LINEAR_REGRESSION {
        let qm = zkml::circuit::models::QuantizedModel::from_field_params(&kind, &shape, &params)?;
        let path = io::save_quantized_model(out, &qm, &scales)?;
        print(json, json!({"bounty": bounty, "out": path, "payee": claim.payee.to_string(), "kind": kind_spec(&kind), "params": qm.params}), || {
            format!("decrypted the {} model of bounty {bounty} (paid to {}): wrote {}", kind_spec(&kind), claim.payee, path.display())
        });
        return Ok(());
    }
    let qm = QuantModel::from_field_params(&params, &shape)?;
    io::save_model(out, &qm.dequantize(&shape, &scales))?;
    print(json, json!({"bounty": bounty, "out": out, "payee": claim.payee.to_string(), "w_q": qm.w_q, "b_q": qm.b_q}), || {
        format!("decrypted the model of bounty {bounty} (paid to {}): wrote {}/W.npy ({}x{}) and {}/b.npy", claim.payee, out.display(), shape.p, shape.n, out.display())
    });
    Ok(())
}

/// Issuer: refunds an expired, unclaimed bounty (`cancel_bounty`) and removes the finished record
/// (`remove_bounty`), which returns its storage deposit. A paid bounty's record holds the model's envelope, so
/// it is removed only with `delete_model` (after `retrieve-model`). Checked first so a refusal costs no fee.
pub async fn remove_bounty(bounty: u64, delete_model: bool, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let who = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let b = chain.bounty(bounty).await?.ok_or_else(|| anyhow!("no bounty {bounty} on chain"))?;
    ensure!(b.issuer == who, "bounty {bounty} was posted by {}, not by {who}", b.issuer);
    let now = chain.finalized_number().await?;
    let cancel = match &b.state {
        BountyState::Open => true,
        BountyState::Reserved(r) if now > r.deliver_by as u64 => true, // lapsed: cancelling settles it
        BountyState::Reserved(r) => bail!("bounty {bounty} is reserved by a verified claim until block {}: it cannot be removed meanwhile", r.deliver_by),
        BountyState::Paid { .. } if !delete_model => bail!(
            "bounty {bounty} is paid; its record holds the model's envelope. Run retrieve-model first, then remove-bounty --delete-model"
        ),
        BountyState::Paid { .. } | BountyState::Cancelled => false,
    };
    if cancel {
        ensure!(
            now > b.expires_at as u64,
            "bounty {bounty} cannot be removed before it expires at block {} (finalized block is {now})",
            b.expires_at
        );
    }
    let pb = spinner(json, "removing the bounty (waiting for finality)");
    let mut refunded = 0u128;
    let mut fees = 0u128;
    if cancel {
        let included = chain.submit(&runtime::transactions().zkml_bounties().cancel_bounty(bounty), &keypair).await?;
        refunded = included
            .events
            .find_first::<runtime::zkml_bounties::events::BountyCancelled>()
            .ok_or_else(|| anyhow!("the bounty was cancelled but its event is missing"))??
            .refunded;
        fees += included.fee;
    }
    let removed = chain.submit(&runtime::transactions().zkml_bounties().remove_bounty(bounty), &keypair).await?;
    fees += removed.fee;
    let deposit = b.deposit.0;
    pb.finish_and_clear();
    print(
        json,
        json!({"bounty": bounty, "refunded": refunded.to_string(), "deposit_returned": deposit.to_string(), "fee": fees.to_string()}),
        || match cancel {
            true => format!("removed bounty {bounty}: {} refunded and a {} storage deposit returned to {who}", chain::tokens(refunded), chain::tokens(deposit)),
            false => format!("removed bounty {bounty} ({}): a {} storage deposit returned to {who}", b.state.describe(), chain::tokens(deposit)),
        },
    );
    Ok(())
}

/// Owner: removes a dataset record (`key == false`) or verifying-key record (`key == true`) that no bounty
/// record uses, returning its storage deposit.
pub async fn remove_record(hash: &str, key: bool, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let who = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let (what, h, bounties) = if key {
        let h: [u8; 32] =
            files::from_hex(hash, "verifying key hash")?.try_into().map_err(|_| anyhow!("a verifying key hash is 32 bytes"))?;
        let vk = chain.verifying_key(&who, h).await?.ok_or_else(|| anyhow!("{who} has no verifying key {}", files::to_hex(&h)))?;
        ("verifying key", h, vk.bounties)
    } else {
        let h = parse_hash(hash, "dataset hash")?;
        let ds = chain.dataset(&who, h).await?.ok_or_else(|| anyhow!("{who} has no dataset {}", files::to_hex(&h)))?;
        ("dataset", h, ds.bounties)
    };
    ensure!(bounties == 0, "the {what} is used by {bounties} bounty record(s): remove those first (remove-bounty)");
    let pb = spinner(json, &format!("removing the {what} (waiting for finality)"));
    let calls = runtime::transactions().zkml_bounties();
    let included = if key {
        chain.submit(&calls.remove_verifying_key(h), &keypair).await?
    } else {
        chain.submit(&calls.remove_dataset(h), &keypair).await?
    };
    pb.finish_and_clear();
    print(json, json!({"removed": what, "hash": hash, "fee": included.fee.to_string()}), || {
        format!("removed {what} {hash}; its storage deposit is returned to {who}")
    });
    Ok(())
}

pub async fn balance(account: &str, net: &Endpoints, json: bool) -> Result<()> {
    let account = AccountId32(files::parse_account(account)?);
    let chain = Chain::connect(&net.url).await?;
    let free = chain.free_balance(&account).await?;
    print(json, json!({"account": account.to_string(), "free": free.to_string()}), || {
        format!("{account}: {} free", chain::tokens(free))
    });
    Ok(())
}

/// A runtime the chain can run: a Wasm module (`\0asm`), or one compressed as substrate's build writes
/// `*.compact.compressed.wasm` (zstd behind an 8-byte prefix).
fn check_runtime_blob(code: &[u8]) -> Result<()> {
    const WASM_MAGIC: &[u8] = b"\0asm";
    // sp-maybe-compressed-blob's prefix for zstd-compressed runtimes.
    const COMPRESSED_MAGIC: &[u8] = &[82, 188, 83, 118, 70, 219, 142, 5];
    ensure!(
        code.starts_with(WASM_MAGIC) || code.starts_with(COMPRESSED_MAGIC),
        "this is not a runtime: it starts neither with the Wasm magic (\\0asm) nor with the prefix of a compressed runtime (*.compact.compressed.wasm)"
    );
    Ok(())
}

/// Sudo: upgrades the runtime to a new Wasm blob (`Sudo.sudo(System.set_code(code))`), waits for finality and
/// reports the spec version before and after. State is kept as it is.
pub async fn runtime_upgrade(wasm: &Path, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    use runtime::runtime_types::{frame_system::pallet::Call as SystemCall, zkml_runtime::RuntimeCall};
    let keypair = signer.keypair()?;
    let code = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    check_runtime_blob(&code).with_context(|| format!("refusing {}: nothing was submitted", wasm.display()))?;
    let chain = Chain::connect(&net.url).await?;
    let before = chain.spec_version().await?;
    let call = runtime::transactions().sudo().sudo(RuntimeCall::System(SystemCall::set_code { code }));
    let pb = spinner(json, "upgrading the runtime (waiting for finality)");
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let sudid = included
        .events
        .find_first::<runtime::sudo::events::Sudid>()
        .ok_or_else(|| anyhow!("no Sudid event: is the signer the sudo key?"))??;
    if let Err(e) = sudid.sudo_result {
        use runtime::runtime_types::sp_runtime::DispatchError as E;
        let why = match &e {
            // SCALE: variant 3 (Module), the pallet index, the 4 error bytes.
            E::Module(m) => chain.explain_dispatch_error_bytes(&[&[3u8, m.index][..], &m.error[..]].concat()).await,
            other => format!("{other:?}"),
        };
        bail!("the chain refused the new runtime: {why}");
    }
    // A fresh connection reads the new runtime's version and metadata.
    let after = Chain::connect(&net.url).await?.spec_version().await?;
    print(json, json!({"spec_version_before": before, "spec_version_after": after, "fee": included.fee.to_string()}), || {
        format!("runtime upgraded: spec_version {before} -> {after}")
    });
    Ok(())
}
