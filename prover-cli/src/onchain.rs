//! The bounty story on a live chain and IPFS: organizer commands (add-dataset, setup --hash, add-bounty,
//! retrieve-model, remove-bounty) and competitor commands (list-datasets, list-bounties, download-dataset,
//! claim-bounty). Everything is checked locally before a fee is spent: a model above the cap, a dataset that
//! does not hash to the registered hash, a proving key that does not match the registered verifying key, a
//! bounty that cannot be removed yet are all refused without submitting anything.
use crate::{print, read_proving_key, spinner};
use anyhow::{anyhow, bail, ensure, Context, Result};
use blake2::{digest::consts::U32, Blake2b, Digest};
use clap::Args;
use rand::{rngs::OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zkml::{
    chain::{self, runtime, AccountId32, Chain},
    circuit::ClaimCircuit,
    files,
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
    fn keypair(&self) -> Result<subxt_signer::sr25519::Keypair> {
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

const MANIFEST_KIND: &str = "zkml-dataset/v1";

fn parse_hash(s: &str, what: &str) -> Result<[u8; 32]> {
    Ok(fr_to_bytes(&files::parse_fr(s, what)?))
}

fn key_hash(vk: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(vk).into()
}

fn bounded<T>(v: Vec<T>) -> BoundedVec<T> {
    BoundedVec(v)
}

/// The shape and scales of a registered dataset, as the circuit uses them.
fn shape_and_scales(info: &chain::Dataset) -> (Shape, zkml_primitives::dataset::Scales) {
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

pub async fn add_dataset(dataset: &crate::DatasetArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let (ds, qds, _) = dataset.load()?;
    let hash = fr_to_bytes(&qds.hash());
    let chain = Chain::connect(&net.url).await?;
    if let Some(existing) = chain.dataset(hash).await? {
        bail!("dataset {} is already registered (by {}, CID {})", files::to_hex(&hash), existing.organizer, existing.cid());
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
pub async fn setup_registered(hash: &str, out: Option<PathBuf>, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let hash = parse_hash(hash, "dataset hash")?;
    let chain = Chain::connect(&net.url).await?;
    let info = chain.dataset(hash).await?.ok_or_else(|| anyhow!("no dataset {} on chain", files::to_hex(&hash)))?;
    let shape: Shape = (&info.shape).into();
    let ipfs = Ipfs::new(&net.ipfs_api);
    ipfs.version().await?;
    let pb = spinner(json, &format!("generating Groth16 keys for {}x{}x{}", shape.m, shape.p, shape.n));
    let (pk, vk) = tokio::task::spawn_blocking(move || prover::setup(shape, &mut OsRng)).await??;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("zkml-keys/{}x{}x{}", shape.m, shape.p, shape.n)));
    let (pk_path, vk_path, vk_bytes) = crate::write_keys(&out, &pk, &vk)?;
    pb.set_message("publishing the proving key on IPFS");
    let pk_cid = ipfs.add("claim.pk", std::fs::read(&pk_path)?).await?;
    pb.set_message("registering the verifying key (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().register_verifying_key(
        bounded(vk_bytes.clone()),
        shape.into(),
        bounded(pk_cid.clone().into_bytes()),
    );
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let kh = files::to_hex(&key_hash(&vk_bytes));
    print(
        json,
        json!({"verifying_key_hash": kh, "proving_key_cid": pk_cid, "proving_key": pk_path, "verifying_key": vk_path,
               "m": shape.m, "p": shape.p, "n": shape.n, "fee": included.fee.to_string()}),
        || format!("registered verifying key {kh} for {}x{}x{}\nproving key on IPFS as {pk_cid} (also {})\nanyone who knew this setup's randomness could forge claims against bounties using this key", shape.m, shape.p, shape.n, pk_path.display()),
    );
    Ok(())
}

pub struct BountyArgs {
    pub dataset: String,
    pub amount: String,
    pub mse: f64,
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
    let organizer_pk = files::load_public_key(&a.publickey)?;
    let chain = Chain::connect(&net.url).await?;
    let info = chain.dataset(hash).await?.ok_or_else(|| anyhow!("no dataset {} on chain (add it with add-dataset)", files::to_hex(&hash)))?;
    let (shape, scales) = shape_and_scales(&info);
    let sse_cap = quant::sse_cap(&shape, &scales, a.mse)?;
    let vk = match &a.verifying_key {
        Some(h) => {
            let h = files::from_hex(h, "verifying key hash")?;
            let h: [u8; 32] = h.try_into().map_err(|_| anyhow!("a verifying key hash is 32 bytes"))?;
            let vk = chain.verifying_key(h).await?.ok_or_else(|| anyhow!("no verifying key {} on chain", files::to_hex(&h)))?;
            ensure!(Shape::from(&vk.shape) == shape, "verifying key {} is for another shape", files::to_hex(&h));
            h
        }
        None => {
            let candidates: Vec<_> =
                chain.verifying_keys().await?.into_iter().filter(|(_, k)| Shape::from(&k.shape) == shape).collect();
            let own: Vec<_> = candidates.iter().filter(|(_, k)| k.registrant == issuer).collect();
            match (own.as_slice(), candidates.as_slice()) {
                ([(h, _)], _) => *h,
                ([], [(h, _)]) => *h,
                ([], []) => bail!(
                    "no verifying key is registered for {}x{}x{}: run `zkml setup --hash {}` first",
                    shape.m, shape.p, shape.n, a.dataset
                ),
                _ => bail!(
                    "several verifying keys serve {}x{}x{}; choose one with --verifying-key ({})",
                    shape.m, shape.p, shape.n,
                    candidates.iter().map(|(h, _)| files::to_hex(h)).collect::<Vec<_>>().join(", ")
                ),
            }
        }
    };
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
               "mse_cap": a.mse, "expires_at": posted.expires_at, "verifying_key_hash": files::to_hex(&vk), "fee": included.fee.to_string()}),
        || format!("posted bounty {} of {} for MSE <= {} (SSE cap {sse_cap}) on dataset {}, expires at block {}",
                   posted.bounty, chain::tokens(amount), a.mse, files::to_hex(&hash), posted.expires_at),
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
        let ds = chain.dataset(b.dataset).await?;
        let (mse_cap, cid) = match &ds {
            Some(d) => {
                let (shape, scales) = shape_and_scales(d);
                (Some(quant::mse_of_sse(&shape, &scales, b.sse_cap as f64)), d.cid())
            }
            None => (None, String::new()),
        };
        let state = b.state.describe();
        let expired = now > b.expires_at as u64;
        rows.push(json!({"bounty": id, "issuer": b.issuer.to_string(), "dataset_hash": files::to_hex(&b.dataset), "cid": cid,
                         "amount": b.amount.to_string(), "sse_cap": b.sse_cap.to_string(), "mse_cap": mse_cap,
                         "expires_at": b.expires_at, "expired": expired, "state": state,
                         "verifying_key_hash": files::to_hex(&b.verifying_key)}));
        lines.push(format!(
            "bounty {id}: {} for MSE <= {} | {state}{} | expires at block {} | issuer {} | dataset {} (CID {cid})",
            chain::tokens(b.amount),
            mse_cap.map(|m| format!("{m:.6}")).unwrap_or_else(|| "?".into()),
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
    let info = chain.dataset(hash).await?.ok_or_else(|| anyhow!("no dataset {} on chain", files::to_hex(&hash)))?;
    let ipfs = Ipfs::new(&net.ipfs_api);
    let cid = info.cid();
    let manifest: DatasetManifest = serde_json::from_slice(&ipfs.cat(&cid).await?)
        .with_context(|| format!("{cid} is not a zkml dataset manifest"))?;
    ensure!(manifest.kind == MANIFEST_KIND, "{cid} is a {:?} manifest, not {MANIFEST_KIND}", manifest.kind);
    let staging = tempfile::tempdir()?;
    std::fs::write(staging.path().join("X.npy"), ipfs.cat(&manifest.x).await?)?;
    std::fs::write(staging.path().join("Y.npy"), ipfs.cat(&manifest.y).await?)?;
    load_registered_dataset(staging.path(), hash, &info).context("refusing the download")?;
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
async fn proving_key_for(
    vk: &chain::VerifyingKey,
    given: Option<&Path>,
    ipfs: &Ipfs,
) -> Result<ark_groth16::ProvingKey<ark_bn254::Bn254>> {
    let path = match given {
        Some(p) => p.to_path_buf(),
        None => {
            let cid = String::from_utf8_lossy(&vk.proving_key_cid.0).into_owned();
            ensure!(!cid.is_empty(), "the verifying key has no published proving key: pass --proving-key");
            let dir = dirs_cache().join("proving-keys");
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(format!("{cid}.pk"));
            if !path.exists() {
                let bytes = ipfs.cat(&cid).await.context("downloading the proving key")?;
                let part = path.with_extension("part");
                std::fs::write(&part, bytes)?;
                std::fs::rename(&part, &path)?;
            }
            path
        }
    };
    let p = path.clone();
    let pk = tokio::task::spawn_blocking(move || read_proving_key(&p)).await??;
    if groth16::encode_verifying_key(&pk.vk) != vk.key.0 {
        if given.is_none() {
            let _ = std::fs::remove_file(&path);
        }
        bail!("the proving key {} does not match the bounty's registered verifying key; refusing to use it", path.display());
    }
    Ok(pk)
}

fn dirs_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("zkml")
}

pub struct ClaimArgs {
    pub bounty: u64,
    pub payment: String,
    pub model: PathBuf,
    pub dataset: PathBuf,
    pub proving_key: Option<PathBuf>,
}

pub async fn claim_bounty(a: ClaimArgs, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let payee = files::parse_account(&a.payment)?;
    let chain = Chain::connect(&net.url).await?;
    let b = chain.bounty(a.bounty).await?.ok_or_else(|| anyhow!("no bounty {} on chain", a.bounty))?;
    ensure!(matches!(b.state, BountyState::Open), "bounty {} is not open: {}", a.bounty, b.state.describe());
    let now = chain.finalized_number().await?;
    ensure!(now <= b.expires_at as u64, "bounty {} expired at block {} (finalized: {now})", a.bounty, b.expires_at);
    let info = chain.dataset(b.dataset).await?.ok_or_else(|| anyhow!("the bounty's dataset is not registered"))?;
    let vk = chain.verifying_key(b.verifying_key).await?.ok_or_else(|| anyhow!("the bounty's verifying key is not registered"))?;
    let organizer_pk = PublicKey::from_bytes(&b.issuer_key).map_err(|e| anyhow!("the bounty's issuer key: {e:?}"))?;

    // Everything below is local until the commitment: a failing model costs nothing.
    let (ds, qds) = load_registered_dataset(&a.dataset, b.dataset, &info)?;
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
        eprintln!("float MSE {:.6}, quantized MSE {:.6}, cap {:.6}: proving", report.float_mse, report.quantized_mse, mse_cap);
    }
    let ipfs = Ipfs::new(&net.ipfs_api);
    let pb = spinner(json, "fetching and checking the proving key");
    let pk = proving_key_for(&vk, a.proving_key.as_deref(), &ipfs).await?;
    let request = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee, bounty_id: a.bounty, sse_cap: b.sse_cap };
    let claim = prover::prepare_claim(&request, &mut OsRng)?;
    pb.set_message("proving");
    let started = Instant::now();
    let assignment = claim.assignment.clone();
    let shape = qds.shape;
    let proof = tokio::task::spawn_blocking(move || {
        prover::prove(&pk, &ClaimCircuit { shape, assignment: Some(assignment) }, &mut OsRng)
    })
    .await??;
    let proving_seconds = started.elapsed().as_secs_f64();
    let proof_bytes = groth16::encode_proof(&proof);
    groth16::verify_claim(&vk.key.0, &proof_bytes, &claim.assignment.statement)
        .map_err(|e| anyhow!("the proof does not verify against the registered key: {e}"))?;

    // Commit, then reveal: the bounty is locked before the proof is public.
    let mut salt = [0u8; 32];
    OsRng.fill_bytes(&mut salt);
    let commitment = zkml_primitives::commit::claim_commitment(a.bounty, &proof_bytes, &payee, &salt);
    pb.set_message("committing to the claim (waiting for finality)");
    let chain = Chain::connect(&net.url).await?; // the proof may have taken long: a fresh connection
    let committed = chain.submit(&runtime::transactions().zkml_bounties().commit_claim(a.bounty, commitment), &keypair).await?;
    pb.set_message("revealing the claim (waiting for finality)");
    let env = &claim.envelope;
    let reveal = runtime::transactions().zkml_bounties().reveal_claim(
        a.bounty,
        bounded(proof_bytes.clone()),
        bounded(env.ciphertext.iter().map(fr_to_bytes).collect()),
        env.competitor_pk.to_bytes(),
        fr_to_bytes(&env.nonce),
        AccountId32(payee),
        salt,
    );
    let revealed = chain.submit(&reveal, &keypair).await?;
    pb.finish_and_clear();
    let paid = revealed
        .events
        .find_first::<runtime::zkml_bounties::events::BountyClaimed>()
        .ok_or_else(|| anyhow!("the claim was included but no payout event was found"))??;
    let fees = committed.fee + revealed.fee;
    print(
        json,
        json!({"bounty": a.bounty, "payee": paid.payee.to_string(), "amount": paid.amount.to_string(), "fees": fees.to_string(),
               "block": revealed.block_hash, "proving_seconds": proving_seconds,
               "float_mse": report.float_mse, "quantized_mse": report.quantized_mse, "mse_cap": mse_cap}),
        || format!("bounty {} paid: {} to {} (finalized in {}); proved in {proving_seconds:.1} s, fees {}",
                   a.bounty, chain::tokens(paid.amount), paid.payee, revealed.block_hash, chain::tokens(fees)),
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
    let info = chain.dataset(b.dataset).await?.ok_or_else(|| anyhow!("the bounty's dataset is not registered"))?;
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
    let qm = QuantModel::from_field_params(&params, &shape)?;
    io::save_model(out, &qm.dequantize(&shape, &scales))?;
    print(json, json!({"bounty": bounty, "out": out, "payee": claim.payee.to_string(), "w_q": qm.w_q, "b_q": qm.b_q}), || {
        format!("decrypted the model of bounty {bounty} (paid to {}): wrote {}/W.npy ({}x{}) and {}/b.npy", claim.payee, out.display(), shape.p, shape.n, out.display())
    });
    Ok(())
}

/// Issuer: refunds an expired, unclaimed bounty. Checked first so a refusal costs no fee.
pub async fn remove_bounty(bounty: u64, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let who = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let b = chain.bounty(bounty).await?.ok_or_else(|| anyhow!("no bounty {bounty} on chain"))?;
    ensure!(b.issuer == who, "bounty {bounty} was posted by {}, not by {who}", b.issuer);
    ensure!(matches!(b.state, BountyState::Open), "bounty {bounty} is not open: {}", b.state.describe());
    let now = chain.finalized_number().await?;
    ensure!(
        now > b.expires_at as u64,
        "bounty {bounty} cannot be removed before it expires at block {} (finalized block is {now})",
        b.expires_at
    );
    ensure!(
        now > b.locked_until as u64,
        "bounty {bounty} is locked by a claim commitment until block {}",
        b.locked_until
    );
    let pb = spinner(json, "removing the bounty (waiting for finality)");
    let included = chain.submit(&runtime::transactions().zkml_bounties().cancel_bounty(bounty), &keypair).await?;
    pb.finish_and_clear();
    let refunded = included
        .events
        .find_first::<runtime::zkml_bounties::events::BountyCancelled>()
        .ok_or_else(|| anyhow!("the bounty was removed but its event is missing"))??
        .refunded;
    print(json, json!({"bounty": bounty, "refunded": refunded.to_string(), "fee": included.fee.to_string()}), || {
        format!("removed bounty {bounty}: {} refunded to {who}", chain::tokens(refunded))
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

/// Sudo: upgrades the runtime to a new Wasm blob (`Sudo.sudo(System.set_code(code))`), waits for finality and
/// reports the spec version before and after. State is kept as it is.
pub async fn runtime_upgrade(wasm: &Path, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    use runtime::runtime_types::{frame_system::pallet::Call as SystemCall, zkml_runtime::RuntimeCall};
    let keypair = signer.keypair()?;
    let code = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
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
        bail!("the chain refused the new runtime: {e:?}");
    }
    // A fresh connection reads the new runtime's version and metadata.
    let after = Chain::connect(&net.url).await?.spec_version().await?;
    print(json, json!({"spec_version_before": before, "spec_version_after": after, "fee": included.fee.to_string()}), || {
        format!("runtime upgraded: spec_version {before} -> {after}")
    });
    Ok(())
}
