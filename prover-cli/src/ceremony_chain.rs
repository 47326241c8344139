//! `zkml ceremony …`: a multi-party setup run on chain. The files and their checks are in
//! [`crate::ceremony`]; here they meet the chain (who contributed what, in which order, the beacons) and IPFS
//! (where each file of the transcript lives).
//!
//! - `init` (coordinator): opens the ceremony for a claim shape, with a window per phase.
//! - `contribute` (anyone, during a window): downloads the latest file, checks it is the one the chain
//!   records as latest, adds fresh randomness, publishes the result and records its hash.
//! - `beacon` (coordinator, after phase 1): the chain's beacon on phase 1, prepares it for phase 2 and
//!   derives the initial phase-2 key from the claim circuit.
//! - `finalize` (coordinator, after phase 2): the chain's beacon on phase 2; registers the final key.
//! - `verify` (anyone, above all a competitor): downloads the transcript and checks it against the record.
use crate::{
    onchain::{Endpoints, SignerArgs},
    print, spinner,
};
use zkml::{
    ceremony::{
        steps,
        transcript::{self, ExpectedTranscript, VerifiedTranscript},
    },
    chain::{self, runtime, AccountId32, CeremonyId, CeremonyInfo, Chain},
    circuit::models::kind_spec,
    files,
    ipfs::Ipfs,
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use runtime::runtime_types::{
    bounded_collections::bounded_vec::BoundedVec, pallet_zkml_bounties::pallet::CeremonyPhase,
};
use serde_json::json;
use zkml_primitives::model::ModelKind;
use std::path::PathBuf;
use zkml_primitives::{dataset::Shape, groth16};

fn bounded<T>(v: Vec<T>) -> BoundedVec<T> {
    BoundedVec(v)
}

fn cache_dir(sub: &str) -> Result<PathBuf> {
    let dir = crate::onchain::dirs_cache().join(sub);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// A scratch directory for the files a step makes: everything worth keeping is published on IPFS.
fn scratch() -> Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("zkml-ceremony-").tempdir().context("creating a scratch directory")
}

/// A file from IPFS, kept in `~/.cache/zkml/ipfs/<cid>` (written whole, then renamed).
pub async fn cached_file(ipfs: &Ipfs, cid: &str, what: &str) -> Result<PathBuf> {
    ensure!(!cid.is_empty() && cid.bytes().all(|b| b.is_ascii_alphanumeric()), "the chain names no valid CID for the {what}");
    let path = cache_dir("ipfs")?.join(cid);
    if !path.exists() {
        let bytes = ipfs.cat(cid).await.with_context(|| format!("downloading the {what} ({cid})"))?;
        // A part file of this process's own: several zkml processes (competitors on one machine) may fetch
        // the same file at once, and a shared part file would be renamed into place half written.
        let part = path.with_extension(format!("part.{}.{}", std::process::id(), rand::random::<u32>()));
        std::fs::write(&part, bytes).with_context(|| format!("cannot write {} (cache)", part.display()))?;
        std::fs::rename(&part, &path).with_context(|| format!("cannot write {} (cache)", path.display()))?;
    }
    Ok(path)
}

fn cid_of(v: &BoundedVec<u8>) -> String {
    String::from_utf8_lossy(&v.0).into_owned()
}

fn shape_of(c: &CeremonyInfo) -> Shape {
    (&c.shape).into()
}

fn kind_of(c: &CeremonyInfo) -> ModelKind {
    (&c.model).into()
}

async fn load(chain: &Chain, id: CeremonyId) -> Result<CeremonyInfo> {
    chain.ceremony(id).await?.ok_or_else(|| anyhow!("no ceremony {id} on chain"))
}

/// Waits until block `after + 1` is finalized, so the beacon (the hash of block `after`) is fixed for good.
async fn wait_past(chain: &Chain, after: u64, json: bool) -> Result<()> {
    let pb = spinner(json, &format!("waiting for the window to close (block {after} finalized)"));
    while chain.finalized_number().await? <= after {
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    }
    pb.finish_and_clear();
    Ok(())
}

async fn beacon_of(chain: &Chain, ends_at: u64) -> Result<Vec<u8>> {
    let hash = chain.finalized_block_hash(ends_at).await?.ok_or_else(|| anyhow!("block {ends_at} is not finalized yet"))?;
    Ok(hash.0.to_vec())
}

/// `ceremony init`: opens a ceremony for claims of `shape`.
pub async fn init(kind: ModelKind, shape: Shape, phase1_blocks: u32, phase2_blocks: u32, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    shape.validate().map_err(|e| anyhow!("{e}"))?;
    kind.validate_shape(&shape).map_err(|e| anyhow!("model kind {}: {e}", kind_spec(&kind)))?;
    for (flag, blocks) in [("--phase1-blocks", phase1_blocks), ("--phase2-blocks", phase2_blocks)] {
        let max = crate::onchain::MAX_EXPIRES_IN;
        ensure!(
            (1..=max).contains(&blocks),
            "{flag} {blocks} is about {}: deposits stay held and the key unusable until then. Between 1 and {max} blocks (about {}) are accepted",
            crate::onchain::human_blocks(blocks as u64),
            crate::onchain::human_blocks(max as u64)
        );
    }
    let chain = Chain::connect(&net.url).await?;
    let pb = spinner(json, "sizing the claim circuit");
    let sized = kind.clone();
    let power = tokio::task::spawn_blocking(move || steps::circuit_power(&sized, shape)).await??;
    pb.set_message("opening the ceremony (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().open_ceremony(shape.into(), (&kind).into(), power as u8, phase1_blocks, phase2_blocks);
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let ev = included
        .events
        .find_first::<runtime::zkml_bounties::events::CeremonyOpened>()
        .ok_or_else(|| anyhow!("the chain did not report the new ceremony"))??;
    print(
        json,
        json!({"ceremony": ev.ceremony, "kind": kind_spec(&kind), "power": power, "phase1_ends_at": ev.phase1_ends_at, "fee": included.fee.to_string()}),
        || format!(
            "opened ceremony {} for {} on {}x{}x{} (powers of tau 2^{power}); phase 1 takes contributions until block {}",
            ev.ceremony, kind_spec(&kind), shape.m, shape.p, shape.n, ev.phase1_ends_at
        ),
    );
    Ok(())
}

/// `ceremony contribute`: adds the signer's randomness to the open phase.
pub async fn contribute(id: CeremonyId, name: Option<String>, entropy: String, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let keypair = signer.keypair()?;
    let me = chain::account_of(&keypair);
    let chain = Chain::connect(&net.url).await?;
    let c = load(&chain, id).await?;
    let now = chain.finalized_number().await?;
    let (phase, ends_at, list) = match &c.phase {
        CeremonyPhase::Phase1 { ends_at } => (1u8, *ends_at, &c.phase1.0),
        CeremonyPhase::Phase2 { ends_at } => (2u8, *ends_at, &c.phase2.0),
        CeremonyPhase::Finished { .. } => bail!("ceremony {id} is finished: its key is registered"),
    };
    ensure!(now <= ends_at as u64, "phase {phase} of ceremony {id} closed at block {ends_at} (finalized: {now}); wait for the coordinator's next step");
    let ipfs = Ipfs::new(&net.ipfs_api);
    ipfs.version().await?;
    let work_dir = scratch()?;
    let work = work_dir.path();
    let previous: Option<[u8; 64]> = list.last().map(|l| l.hash);
    let pb = spinner(json, "fetching the latest file of the transcript");
    let input = match (phase, list.last()) {
        (1, None) => {
            let p = work.join("phase1-initial.ptau");
            let power = c.power as u32;
            pb.set_message(format!("creating the initial powers of tau (2^{power})"));
            let q = p.clone();
            tokio::task::spawn_blocking(move || steps::phase1_new(power, &q)).await??;
            p
        }
        (_, Some(last)) => cached_file(&ipfs, &cid_of(&last.cid), "latest transcript file").await?,
        (_, None) => cached_file(&ipfs, &cid_of(&c.phase2_init_cid), "initial phase-2 key").await?,
    };
    // The file must be the chain's latest: its last recorded hash is the latest on-chain hash.
    let recorded = {
        let i = input.clone();
        if phase == 1 {
            tokio::task::spawn_blocking(move || transcript::phase1_contribution_hashes(&i)).await??
        } else {
            tokio::task::spawn_blocking(move || transcript::contribution_hashes(&i)).await??
        }
    };
    let on_chain: Vec<[u8; 64]> = list.iter().map(|l| l.hash).collect();
    ensure!(
        recorded == on_chain,
        "the file published as the latest of phase {phase} does not carry the chain's contribution record; refusing to build on it"
    );
    let out = work.join(format!("phase{phase}-{}.{}", on_chain.len() + 1, if phase == 1 { "ptau" } else { "zkey" }));
    let label = name.unwrap_or_else(|| me.to_string());
    pb.set_message(format!(
        "contributing to phase {phase} ({}): fresh randomness from the OS{}",
        if phase == 1 { "powers of tau: τ, α, β" } else { "the circuit's δ" },
        if entropy.is_empty() { "" } else { " and your entropy" }
    ));
    let started = std::time::Instant::now();
    let (i, o) = (input.clone(), out.clone());
    let hash = tokio::task::spawn_blocking(move || {
        if phase == 1 {
            steps::phase1_contribute(&i, &o, &label, &entropy)
        } else {
            steps::phase2_contribute(&i, &o, &label, &entropy)
        }
    })
    .await??;
    let seconds = started.elapsed().as_secs_f64();
    pb.set_message("publishing the file on IPFS");
    let bytes = std::fs::read(&out)?;
    let size = bytes.len();
    let cid = ipfs.add(out.file_name().and_then(|n| n.to_str()).unwrap_or("contribution"), bytes).await?;
    pb.set_message("recording the contribution (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().contribute(id, previous, hash, bounded(cid.clone().into_bytes()));
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let h = files::to_hex(&hash);
    print(
        json,
        json!({"ceremony": id, "phase": phase, "index": on_chain.len(), "hash": h, "cid": cid, "bytes": size,
               "contribute_seconds": seconds, "fee": included.fee.to_string()}),
        || format!(
            "contributed to phase {phase} of ceremony {id} in {seconds:.1} s (#{}); hash {h}\nfile on IPFS as {cid} ({size} bytes)\nyour randomness existed only inside this process and is gone",
            on_chain.len() + 1
        ),
    );
    Ok(())
}

/// What closing a phase starts from: the coordinator's key, the ceremony, the phase's window end, the chain's
/// beacon for it and the phase's latest file. Refused for anyone but the coordinator, for another phase, and
/// for a phase with no secret contribution; waits until the window's last block is finalized.
struct Closing {
    keypair: subxt_signer::sr25519::Keypair,
    chain: Chain,
    ipfs: Ipfs,
    ceremony: CeremonyInfo,
    ends_at: u64,
    beacon: Vec<u8>,
    latest: PathBuf,
}

async fn closing(id: CeremonyId, phase: u8, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<Closing> {
    let keypair = signer.keypair()?;
    let chain = Chain::connect(&net.url).await?;
    let c = load(&chain, id).await?;
    ensure!(chain::account_of(&keypair) == c.coordinator, "only the coordinator ({}) finishes a phase", c.coordinator);
    let (ends_at, list) = match (&c.phase, phase) {
        (CeremonyPhase::Phase1 { ends_at }, 1) => (*ends_at as u64, &c.phase1.0),
        (CeremonyPhase::Phase2 { ends_at }, 2) => (*ends_at as u64, &c.phase2.0),
        _ => bail!("ceremony {id} is not in phase {phase}"),
    };
    let last = list
        .last()
        .ok_or_else(|| anyhow!("phase {phase} has no contribution: a beacon alone is public, so the ceremony cannot go on"))?;
    let last_cid = cid_of(&last.cid);
    let ipfs = Ipfs::new(&net.ipfs_api);
    ipfs.version().await?;
    wait_past(&chain, ends_at, json).await?;
    let beacon = beacon_of(&chain, ends_at).await?;
    let latest = cached_file(&ipfs, &last_cid, &format!("latest phase-{phase} file")).await?;
    Ok(Closing { keypair, chain, ipfs, ceremony: c, ends_at, beacon, latest })
}

/// `ceremony beacon`: closes phase 1 with the chain's beacon, prepares it and derives the initial phase-2 key.
pub async fn beacon(id: CeremonyId, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let Closing { keypair, chain, ipfs, ceremony: c, ends_at, beacon, latest: input } = closing(id, 1, net, signer, json).await?;
    let work_dir = scratch()?;
    let work = work_dir.path();
    let (beaconed, prepared, init) = (work.join("phase1-beacon.ptau"), work.join("phase1-prepared.ptau"), work.join("phase2-initial.zkey"));
    let (shape, kind) = (shape_of(&c), kind_of(&c));
    let pb = spinner(json, "applying the chain's beacon to phase 1 and preparing it for phase 2 (minutes at 2^17)");
    let (b, p, i, bc) = (beaconed.clone(), prepared.clone(), init.clone(), beacon.clone());
    let pb2 = pb.clone();
    let hash = tokio::task::spawn_blocking(move || -> Result<[u8; 64]> {
        let h = steps::phase1_beacon_and_prepare(&input, &b, &p, &bc)?;
        pb2.set_message("deriving the initial phase-2 key from the claim circuit");
        steps::phase2_init(&kind, shape, &p, &i)?;
        Ok(h)
    })
    .await??;
    pb.set_message("publishing the prepared phase 1 and the initial phase-2 key on IPFS");
    let prepared_cid = ipfs.add("phase1-prepared.ptau", std::fs::read(&prepared)?).await?;
    let init_cid = ipfs.add("phase2-initial.zkey", std::fs::read(&init)?).await?;
    pb.set_message("recording the end of phase 1 (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().finish_phase1(
        id,
        hash,
        bounded(prepared_cid.clone().into_bytes()),
        bounded(init_cid.clone().into_bytes()),
    );
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let c = load(&chain, id).await?;
    let phase2_ends = match c.phase {
        CeremonyPhase::Phase2 { ends_at } => ends_at,
        _ => bail!("the chain did not open phase 2"),
    };
    print(
        json,
        json!({"ceremony": id, "beacon": files::to_hex(&beacon), "prepared_cid": prepared_cid, "phase2_initial_cid": init_cid,
               "phase2_ends_at": phase2_ends, "fee": included.fee.to_string()}),
        || format!("phase 1 of ceremony {id} closed with beacon {} (block {ends_at}); phase 2 takes contributions until block {phase2_ends}", files::to_hex(&beacon)),
    );
    Ok(())
}

/// `ceremony finalize`: closes phase 2 with the chain's beacon and registers the final key.
pub async fn finalize(id: CeremonyId, net: &Endpoints, signer: &SignerArgs, json: bool) -> Result<()> {
    let Closing { keypair, chain, ipfs, latest: input, beacon, .. } = closing(id, 2, net, signer, json).await?;
    let work_dir = scratch()?;
    let out = work_dir.path().join("final.zkey");
    let pb = spinner(json, "applying the chain's beacon to phase 2");
    let (o, bc) = (out.clone(), beacon.clone());
    let (hash, vk) = tokio::task::spawn_blocking(move || -> Result<_> {
        let h = steps::phase2_beacon(&input, &o, &bc)?;
        Ok((h, zkml::ceremony::zkey::verifying_key_of(&o)?))
    })
    .await??;
    let vk_bytes = groth16::encode_verifying_key(&vk);
    pb.set_message("publishing the final key on IPFS");
    let final_cid = ipfs.add("final.zkey", std::fs::read(&out)?).await?;
    pb.set_message("registering the key (waiting for finality)");
    let call = runtime::transactions().zkml_bounties().finish_phase2(id, hash, bounded(final_cid.clone().into_bytes()), bounded(vk_bytes.clone()));
    let included = chain.submit(&call, &keypair).await?;
    pb.finish_and_clear();
    let kh = files::to_hex(&crate::onchain::key_hash(&vk_bytes));
    print(
        json,
        json!({"ceremony": id, "verifying_key_hash": kh, "proving_key_cid": final_cid, "beacon": files::to_hex(&beacon), "fee": included.fee.to_string()}),
        || format!("ceremony {id} finished: verifying key {kh} registered, proving key on IPFS as {final_cid}\ncompetitors check it with: zkml ceremony verify --ceremony {id}"),
    );
    Ok(())
}

/// The contributors of a ceremony, per phase (beacons excluded), as the chain records them.
pub fn contributors(c: &CeremonyInfo) -> (Vec<AccountId32>, Vec<AccountId32>) {
    let secret = |l: &BoundedVec<_>| -> Vec<AccountId32> {
        let v: &Vec<runtime::runtime_types::pallet_zkml_bounties::pallet::Contribution> = &l.0;
        v.iter().filter(|r| !r.beacon).map(|r| r.contributor.clone()).collect()
    };
    (secret(&c.phase1), secret(&c.phase2))
}

/// A finished ceremony's transcript, downloaded and checked against the chain's record and the key record.
/// A success is remembered (per key and record) in `~/.cache/zkml/verified/`.
pub async fn verify_ceremony(
    chain: &Chain,
    ipfs: &Ipfs,
    id: CeremonyId,
    key: &chain::VerifyingKey,
    json: bool,
) -> Result<(CeremonyInfo, VerifiedTranscript)> {
    let c = load(chain, id).await?;
    let CeremonyPhase::Finished { key_hash } = c.phase else { bail!("ceremony {id} is not finished") };
    ensure!(key.ceremony == Some(id) && c.coordinator == key.registrant, "the key record does not come from ceremony {id}");
    ensure!(crate::onchain::key_hash(&key.key.0) == key_hash, "ceremony {id} registered another key");
    let hashes = |l: &BoundedVec<runtime::runtime_types::pallet_zkml_bounties::pallet::Contribution>| l.0.iter().map(|r| r.hash).collect::<Vec<_>>();
    let expected = ExpectedTranscript {
        shape: shape_of(&c),
        kind: kind_of(&c),
        phase1: hashes(&c.phase1),
        phase1_beacon: c.phase1_beacon.ok_or_else(|| anyhow!("ceremony {id} has no phase-1 beacon"))?.to_vec(),
        phase2: hashes(&c.phase2),
        phase2_beacon: c.phase2_beacon.ok_or_else(|| anyhow!("ceremony {id} has no phase-2 beacon"))?.to_vec(),
        verifying_key: key.key.0.clone(),
    };
    let fingerprint = {
        use blake2::{digest::consts::U32, Blake2b, Digest};
        let mut h = Blake2b::<U32>::new();
        h.update(format!("{expected:?}"));
        files::to_hex(&h.finalize())
    };
    let memo = cache_dir("verified")?.join(format!("{}-{id}-{fingerprint}.json", files::to_hex(&key_hash)));
    if let Ok(text) = std::fs::read_to_string(&memo) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            if let (Some(power), Some(p1), Some(p2)) = (v["power"].as_u64(), v["phase1"].as_u64(), v["phase2"].as_u64()) {
                let t = VerifiedTranscript { power: power as u32, phase1_contributions: p1 as usize, phase2_contributions: p2 as usize };
                return Ok((c, t));
            }
        }
    }
    let pb = spinner(json, "downloading the ceremony's transcript (prepared phase 1 and final key)");
    let ptau = cached_file(ipfs, &cid_of(&c.phase1_cid), "prepared phase-1 file").await?;
    let zkey = cached_file(ipfs, &cid_of(&key.proving_key_cid), "final key").await?;
    let pb2 = pb.clone();
    let e = expected.clone();
    let report = tokio::task::spawn_blocking(move || transcript::verify_transcript(&ptau, &zkey, &e, &|m| pb2.set_message(m.to_string())))
        .await?
        .with_context(|| format!("the transcript of ceremony {id} does not verify"))?;
    pb.finish_and_clear();
    std::fs::write(
        &memo,
        json!({"power": report.power, "phase1": report.phase1_contributions, "phase2": report.phase2_contributions}).to_string(),
    )?;
    Ok((c, report))
}

/// `ceremony verify`.
pub async fn verify(id: CeremonyId, net: &Endpoints, json: bool) -> Result<()> {
    let chain = Chain::connect(&net.url).await?;
    let c = load(&chain, id).await?;
    let CeremonyPhase::Finished { key_hash } = c.phase else { bail!("ceremony {id} is not finished yet: nothing to verify") };
    let key = chain
        .verifying_key(&c.coordinator, key_hash)
        .await?
        .ok_or_else(|| anyhow!("ceremony {id}'s key is no longer registered"))?;
    let ipfs = Ipfs::new(&net.ipfs_api);
    ipfs.version().await?;
    let (c, report) = verify_ceremony(&chain, &ipfs, id, &key, json).await?;
    let (p1, p2) = contributors(&c);
    let list = |v: &[AccountId32]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    print(
        json,
        json!({"ceremony": id, "verified": true, "verifying_key_hash": files::to_hex(&key_hash), "power": report.power,
               "phase1_contributors": list(&p1), "phase2_contributors": list(&p2)}),
        || format!(
            "ceremony {id}: transcript verified (powers of tau 2^{}, key {})\nphase 1 contributors: {}\nphase 2 contributors: {}\nthe key is sound if at least one contributor of each phase was honest",
            report.power,
            files::to_hex(&key_hash),
            list(&p1).join(", "),
            list(&p2).join(", ")
        ),
    );
    Ok(())
}

/// Whose key is checked and what its maker could forge: the words of [`check_key`]'s messages.
#[derive(Clone, Copy)]
pub enum KeyUse {
    /// A bounty's claim key: a forger takes the bounty back.
    Bounty,
    /// A competition's scoring key: a forger (under another account) beats every honest score.
    Competition,
}

/// What a competitor is told about a bounty's key before proving, and whether to go on.
pub async fn check_bounty_key(
    chain: &Chain,
    ipfs: &Ipfs,
    key: &chain::VerifyingKey,
    me: &AccountId32,
    accept_unverified: bool,
    json: bool,
) -> Result<()> {
    check_key(chain, ipfs, key, me, accept_unverified, json, KeyUse::Bounty).await
}

/// [`check_bounty_key`] for either use of a key.
pub async fn check_key(
    chain: &Chain,
    ipfs: &Ipfs,
    key: &chain::VerifyingKey,
    me: &AccountId32,
    accept_unverified: bool,
    json: bool,
    usage: KeyUse,
) -> Result<()> {
    let (whose, refusal, forgery) = match usage {
        KeyUse::Bounty => ("bounty", "refusing to claim", "can forge a claim to any payee (taking the bounty back at any time)"),
        KeyUse::Competition => (
            "competition",
            "refusing to submit",
            "can forge a score for any account (and take the prize under another name)",
        ),
    };
    let Some(id) = key.ceremony else {
        if accept_unverified {
            if !json {
                eprintln!("warning: this {whose}'s key was registered directly by {}, who may know its setup secrets and forge proofs; going on because of --accept-unverified-key", key.registrant);
            }
            return Ok(());
        }
        bail!(
            "{refusal}: the {whose}'s verifying key was registered directly by {} with no ceremony transcript, so whoever made it may have kept its setup secrets and {forgery}. Ask the organizer for a key from `zkml ceremony` (and contribute to it), or pass --accept-unverified-key to take that risk (e.g. on a dev chain)",
            key.registrant
        );
    };
    let (c, report) = verify_ceremony(chain, ipfs, id, key, json).await?;
    let (p1, p2) = contributors(&c);
    if !json {
        let mine = |v: &[AccountId32]| v.contains(me);
        eprintln!(
            "the {whose}'s key comes from ceremony {id}: transcript verified; {} phase-1 and {} phase-2 contributors{}",
            report.phase1_contributions,
            report.phase2_contributions,
            if mine(&p1) && mine(&p2) {
                " — you contributed to both phases, so the key is sound unless you kept your randomness".to_string()
            } else {
                format!(" — you are not among them: the key is sound only if one contributor of each phase was honest ({})",
                    p1.iter().chain(&p2).map(|a| a.to_string()).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(", "))
            }
        );
    }
    Ok(())
}
