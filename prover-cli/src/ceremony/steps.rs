//! The ceremony's steps on files: what `zkml ceremony` runs between downloading the latest file of a
//! transcript and publishing the next one. Each returns the contribution hash the chain records.
//!
//! Entropy: `contribute` draws 64 bytes from the OS (inside `snarkrs_ceremony`) and mixes in the caller's
//! string; the secrets live only inside that call and are zeroized when it returns. A beacon's secrets are
//! derived from a public value, so the beacon adds no secrecy: it only removes any last contributor's
//! ability to choose the outcome after seeing everyone else's.
use zkml_primitives::model::ModelKind;
use super::{r1cs_file, transcript::BEACON_ITERATIONS_EXP, ContributionHash};
use anyhow::{anyhow, ensure, Context, Result};
use snarkrs_ceremony::{contribute, phase1, prepare, setup, CpuGroupFft, CpuKeyScale};
use std::path::Path;
use zkml_primitives::dataset::Shape;

/// The powers-of-tau size (2^power) the claim circuit of `shape` needs: constraints plus public inputs
/// plus one must fit in the domain (snarkjs' `cirPower`).
pub fn circuit_power(kind: &ModelKind, shape: Shape) -> Result<u32> {
    let m = r1cs_file::claim_matrices(kind, shape)?;
    Ok(setup::circuit_power(m.num_constraints, m.num_instance_variables - 1))
}

/// A fresh phase-1 accumulator of size 2^power (deterministic: everyone makes the same file).
pub fn phase1_new(power: u32, out: &Path) -> Result<()> {
    ensure!((1..=28).contains(&power), "powers of tau must be between 2^1 and 2^28");
    phase1::ptau_new(power, out).map_err(|e| anyhow!("creating the powers of tau: {e}"))?;
    Ok(())
}

/// One phase-1 contribution: fresh τ, α, β from the OS and `entropy`.
pub fn phase1_contribute(input: &Path, out: &Path, name: &str, entropy: &str) -> Result<ContributionHash> {
    let r = phase1::contribute(input, out, Some(name), entropy, &CpuKeyScale).map_err(|e| anyhow!("phase-1 contribution: {e}"))?;
    Ok(r.response_hash)
}

/// The phase-1 beacon, then the Lagrange sections phase 2 needs (`powersoftau prepare phase2`).
pub fn phase1_beacon_and_prepare(input: &Path, beaconed: &Path, prepared: &Path, beacon: &[u8]) -> Result<ContributionHash> {
    let r = phase1::beacon(input, beaconed, Some("beacon"), beacon, BEACON_ITERATIONS_EXP, &CpuKeyScale)
        .map_err(|e| anyhow!("phase-1 beacon: {e}"))?;
    prepare::prepare_phase2(beaconed, prepared, &CpuGroupFft).map_err(|e| anyhow!("preparing phase 2: {e}"))?;
    Ok(r.response_hash)
}

/// The initial phase-2 key for the claim circuit of `shape` from a prepared phase-1 file (deterministic).
pub fn phase2_init(kind: &ModelKind, shape: Shape, prepared: &Path, out: &Path) -> Result<()> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let r1cs = dir.path().join("claim.r1cs");
    std::fs::write(&r1cs, r1cs_file::claim_r1cs(kind, shape)?).context("writing the circuit's .r1cs")?;
    setup::setup(&r1cs, prepared, out, &snarkrs_msm::CpuMsm::new()).map_err(|e| anyhow!("phase-2 setup: {e}"))?;
    Ok(())
}

/// One phase-2 contribution: a fresh δ from the OS and `entropy`.
pub fn phase2_contribute(input: &Path, out: &Path, name: &str, entropy: &str) -> Result<ContributionHash> {
    let r = contribute::contribute(input, out, Some(name), entropy, &CpuKeyScale).map_err(|e| anyhow!("phase-2 contribution: {e}"))?;
    Ok(r.hash)
}

/// The phase-2 beacon: the final key.
pub fn phase2_beacon(input: &Path, out: &Path, beacon: &[u8]) -> Result<ContributionHash> {
    let r = contribute::beacon(input, out, Some("beacon"), beacon, BEACON_ITERATIONS_EXP, &CpuKeyScale)
        .map_err(|e| anyhow!("phase-2 beacon: {e}"))?;
    Ok(r.hash)
}
