//! Checking a ceremony's transcript: the two files anyone can download (the prepared phase-1 `.ptau` and
//! the final phase-2 `.zkey`) against what the chain recorded.
//!
//! What is checked, and why each check is needed:
//! 1. **Phase 1** (`snarkrs_ceremony::phase1::verify`, snarkjs' `powersoftau verify`): every contribution's
//!    proof of knowledge of its τ, α, β and the same-ratio pairing checks that make each step a
//!    re-randomization of the previous one; the chain of challenge hashes; the powers against the last
//!    contribution; the prepared Lagrange sections against the powers.
//! 2. **Phase 2** (`snarkrs_ceremony::contribute::verify_from_r1cs`, snarkjs' `zkey verify`): the key is
//!    re-derived from *our* claim circuit (exported here, [`super::r1cs_file`]) and the phase-1 file, then
//!    every δ contribution is checked (proof of knowledge, δ chain) and the L and H queries are checked to be
//!    the initial ones scaled by 1/δ. A key for another circuit, or not built on this phase 1, fails here.
//! 3. **The record**: the files' contribution hashes, oldest first, must equal the chain's list for each
//!    phase exactly — so no contribution was dropped, added or reordered relative to what the signers
//!    published — and each phase must end in exactly one beacon whose value is the chain's beacon (a block
//!    hash fixed only after that phase's window closed), with [`BEACON_ITERATIONS_EXP`].
//! 4. **The verifying key** stored on chain (what the runtime verifies claims with) must be the final zkey's.
//!
//! Then the key is sound if at least one listed contributor of *each* phase was honest (destroyed their
//! randomness): knowing τ, α, β alone already lets one forge after an honest phase 2, because with γ = g₂
//! (snarkjs' convention) the L query reveals δ⁻¹·g₁.
use super::{r1cs_file, zkey};
use anyhow::{anyhow, bail, ensure, Context, Result};
use snarkrs_ceremony::{contribute, phase1, ptau::Ptau, ContributionKind};
use std::path::Path;
use zkml_primitives::{dataset::Shape, groth16::encode_verifying_key};

/// The beacon's iteration exponent: 2^10 rounds of SHA-256 over the beacon value, snarkjs' minimum. The
/// beacon's value comes from the chain, so the delay adds nothing but time.
pub const BEACON_ITERATIONS_EXP: u8 = 10;

/// A 64-byte BLAKE2b contribution hash, as snarkjs prints it and the chain stores it.
pub type ContributionHash = [u8; 64];

/// What the chain says a ceremony produced.
#[derive(Clone, Debug)]
pub struct ExpectedTranscript {
    pub shape: Shape,
    /// The model kind of the circuit (with the shape, what the transcript's circuit is rebuilt from).
    pub kind: zkml_primitives::model::ModelKind,
    /// Phase-1 contribution hashes in order; the last is the beacon's.
    pub phase1: Vec<ContributionHash>,
    pub phase1_beacon: Vec<u8>,
    /// Phase-2 contribution hashes in order; the last is the beacon's.
    pub phase2: Vec<ContributionHash>,
    pub phase2_beacon: Vec<u8>,
    /// The verifying key the chain verifies claims with (its canonical bytes).
    pub verifying_key: Vec<u8>,
}

/// What a successful check found.
#[derive(Clone, Debug)]
pub struct VerifiedTranscript {
    pub power: u32,
    /// Contributions per phase, the beacon not counted.
    pub phase1_contributions: usize,
    pub phase2_contributions: usize,
}

/// Checks the prepared phase-1 file `ptau` and the final phase-2 file `zkey` against `expected`.
/// `progress` is told which step runs (the phase-2 check re-runs the whole setup: minutes at 2^17).
pub fn verify_transcript(
    ptau: &Path,
    zkey_path: &Path,
    expected: &ExpectedTranscript,
    progress: &dyn Fn(&str),
) -> Result<VerifiedTranscript> {
    // The record first: cheap, and what most dishonest transcripts fail.
    progress("comparing the transcript's contributions with the chain's record");
    let records = Ptau::open(ptau).and_then(|f| f.contributions()).map_err(|e| anyhow!("phase 1: {e}"))?;
    let p1_hashes = response_hashes(&records)?;
    check_record(
        "phase 1",
        &p1_hashes,
        records.iter().map(|c| (c.kind, c.params.beacon_hash.clone(), c.params.num_iterations_exp)),
        &expected.phase1,
        &expected.phase1_beacon,
    )?;
    let mpc = read_mpc(zkey_path)?;
    let p2_hashes: Vec<_> = mpc.contributions.iter().map(contribute::contribution_hash).collect();
    check_record(
        "phase 2",
        &p2_hashes,
        mpc.contributions.iter().map(|c| (c.kind, c.params.beacon_hash.clone(), c.params.num_iterations_exp)),
        &expected.phase2,
        &expected.phase2_beacon,
    )?;
    let vk = zkey::verifying_key_of(zkey_path)?;
    ensure!(
        encode_verifying_key(&vk) == expected.verifying_key,
        "the verifying key on chain is not the ceremony's final key: proofs would be checked against a key nobody contributed to"
    );

    // Then the cryptography: that each recorded step really is a re-randomization by someone who knew
    // its secret, and that the final key is this circuit's key over this phase 1.
    progress("checking phase 1 (powers of tau): every contribution's proof of knowledge and pairing checks");
    let p1 = phase1::verify(ptau).map_err(|e| anyhow!("phase 1 does not verify: {e}"))?;
    ensure!(p1.prepared, "the phase-1 file is not prepared for phase 2 (no Lagrange sections)");
    ensure!(p1.contribution_hashes == p1_hashes, "phase 1: the verified hashes are not the recorded ones");

    progress("checking phase 2: re-deriving the key from the claim circuit and phase 1, then every contribution");
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let r1cs = dir.path().join("claim.r1cs");
    std::fs::write(&r1cs, r1cs_file::claim_r1cs(&expected.kind, expected.shape)?).context("writing the circuit's .r1cs")?;
    let p2 = contribute::verify_from_r1cs(&r1cs, ptau, zkey_path, &snarkrs_msm::CpuMsm::new())
        .map_err(|e| anyhow!("phase 2 does not verify against the claim circuit and phase 1: {e}"))?;
    ensure!(p2.contribution_hashes == p2_hashes, "phase 2: the verified hashes are not the recorded ones");

    Ok(VerifiedTranscript {
        power: p1.power,
        // Beacons excluded: they add no secret.
        phase1_contributions: expected.phase1.len() - 1,
        phase2_contributions: expected.phase2.len() - 1,
    })
}

/// A zkey's section 10: the contribution records.
pub fn read_mpc(zkey_path: &Path) -> Result<contribute::MpcParams> {
    let file = snarkrs_formats::binfile::BinFile::open(zkey_path, zkey::ZKEY_MAGIC, 2)
        .map_err(|e| anyhow!("{} is not a .zkey: {e}", zkey_path.display()))?;
    let section = file.unique_section(10).map_err(|e| anyhow!("{}: {e}", zkey_path.display()))?;
    contribute::MpcParams::read(section).map_err(|e| anyhow!("{}: {e}", zkey_path.display()))
}

fn check_record(
    phase: &str,
    file_hashes: &[ContributionHash],
    file_records: impl Iterator<Item = (ContributionKind, Option<Vec<u8>>, Option<u8>)>,
    chain_hashes: &[ContributionHash],
    chain_beacon: &[u8],
) -> Result<()> {
    let records: Vec<_> = file_records.collect();
    ensure!(records.len() == file_hashes.len(), "{phase}: the file's records and hashes disagree");
    if file_hashes.len() != chain_hashes.len() {
        bail!("{phase}: the file has {} contributions, the chain records {}", file_hashes.len(), chain_hashes.len());
    }
    if let Some(i) = (0..file_hashes.len()).find(|&i| file_hashes[i] != chain_hashes[i]) {
        bail!(
            "{phase}: contribution #{} in the file ({}) is not the one recorded on chain ({})",
            i + 1,
            short(&file_hashes[i]),
            short(&chain_hashes[i])
        );
    }
    let Some(((last_kind, beacon, exp), earlier)) = records.split_last() else {
        bail!("{phase}: no contributions: whoever made this file knows its secrets");
    };
    ensure!(*last_kind == ContributionKind::Beacon, "{phase}: the last contribution is not the beacon");
    ensure!(
        beacon.as_deref() == Some(chain_beacon) && *exp == Some(BEACON_ITERATIONS_EXP),
        "{phase}: the beacon is not the chain's beacon value (2^{BEACON_ITERATIONS_EXP} iterations)"
    );
    ensure!(
        earlier.iter().all(|(k, _, _)| *k == ContributionKind::Contribute),
        "{phase}: a beacon before the end of the phase"
    );
    Ok(())
}

/// The first 8 bytes of a contribution hash, in hex, for messages.
pub fn short(h: &[u8]) -> String {
    h.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The contribution hashes recorded in a `.zkey`, oldest first (what `zkml ceremony` puts on chain).
pub fn contribution_hashes(zkey_path: &Path) -> Result<Vec<ContributionHash>> {
    Ok(read_mpc(zkey_path)?.contributions.iter().map(contribute::contribution_hash).collect())
}

/// The contribution (response) hashes recorded in a `.ptau`, oldest first.
pub fn phase1_contribution_hashes(ptau: &Path) -> Result<Vec<ContributionHash>> {
    let records = Ptau::open(ptau).and_then(|f| f.contributions()).map_err(|e| anyhow!("phase 1: {e}"))?;
    response_hashes(&records)
}

fn response_hashes(records: &[snarkrs_ceremony::ptau::PtauContribution]) -> Result<Vec<ContributionHash>> {
    records.iter().map(|c| c.response_hash().map_err(|e| anyhow!("phase 1: {e}"))).collect()
}
