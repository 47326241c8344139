//! `zkml bench-ceremony`: what a ceremony costs its participants — phase-1 contribute and verify time and
//! file size per power of tau, and for one claim shape the whole phase 2 (beacon and prepare of phase 1,
//! initial key, a contribution, the beacon, the competitor's full transcript check). Results as JSON.
use anyhow::Result;
use serde::Serialize;
use std::{path::Path, time::Instant};
use zkml::ceremony::{steps, transcript};
use zkml_primitives::{dataset::Shape, model::ModelKind};

#[derive(Serialize)]
pub struct Phase1Figures {
    pub power: u32,
    pub new_seconds: f64,
    pub contribute_seconds: f64,
    pub verify_seconds: f64,
    pub ptau_mib: f64,
}

#[derive(Serialize)]
pub struct Phase2Figures {
    pub m: u32,
    pub p: u32,
    pub n: u32,
    pub power: u32,
    pub phase1_contribute_seconds: f64,
    pub beacon_and_prepare_seconds: f64,
    pub prepared_ptau_mib: f64,
    pub init_seconds: f64,
    pub contribute_seconds: f64,
    pub beacon_seconds: f64,
    pub zkey_mib: f64,
    /// `verify_transcript`: what `claim-bounty` runs once per key before proving.
    pub verify_transcript_seconds: f64,
}

#[derive(Serialize)]
pub struct CeremonyResults {
    pub phase1: Vec<Phase1Figures>,
    pub phase2: Vec<Phase2Figures>,
}

fn mib(p: &Path) -> f64 {
    std::fs::metadata(p).map(|m| m.len() as f64 / (1024.0 * 1024.0)).unwrap_or(0.0)
}

fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let t = Instant::now();
    let v = f()?;
    Ok((v, t.elapsed().as_secs_f64()))
}

pub fn run(powers: &[u32], shapes: &[Shape], out: &Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let d = dir.path();
    let mut results = CeremonyResults { phase1: vec![], phase2: vec![] };
    let save = |r: &CeremonyResults| std::fs::write(out, serde_json::to_string_pretty(r).expect("serializable"));
    for &power in powers {
        let (a, b) = (d.join(format!("{power}-0.ptau")), d.join(format!("{power}-1.ptau")));
        let (_, new_seconds) = timed(|| steps::phase1_new(power, &a))?;
        let (_, contribute_seconds) = timed(|| steps::phase1_contribute(&a, &b, "bench", ""))?;
        let (_, verify_seconds) = timed(|| Ok(snarkrs_ceremony::phase1::verify(&b).map_err(|e| anyhow::anyhow!("{e}"))?))?;
        let f = Phase1Figures { power, new_seconds, contribute_seconds, verify_seconds, ptau_mib: mib(&b) };
        eprintln!("phase 1 at 2^{power}: contribute {contribute_seconds:.1} s, verify {verify_seconds:.1} s, {:.1} MiB", f.ptau_mib);
        results.phase1.push(f);
        std::fs::remove_file(&a)?;
        std::fs::remove_file(&b)?;
        save(&results)?;
    }
    for &shape in shapes {
        let power = steps::circuit_power(&ModelKind::LINEAR_REGRESSION, shape)?;
        let f = |n: &str| d.join(format!("{}x{}-{n}", shape.m, shape.p));
        steps::phase1_new(power, &f("0.ptau"))?;
        let (h1, phase1_contribute_seconds) = timed(|| steps::phase1_contribute(&f("0.ptau"), &f("1.ptau"), "bench", ""))?;
        let beacon = [7u8; 32];
        let (b1, beacon_and_prepare_seconds) = timed(|| steps::phase1_beacon_and_prepare(&f("1.ptau"), &f("2.ptau"), &f("p.ptau"), &beacon))?;
        let (_, init_seconds) = timed(|| steps::phase2_init(&ModelKind::LINEAR_REGRESSION, shape, &f("p.ptau"), &f("0.zkey")))?;
        let (h2, contribute_seconds) = timed(|| steps::phase2_contribute(&f("0.zkey"), &f("1.zkey"), "bench", ""))?;
        let (b2, beacon_seconds) = timed(|| steps::phase2_beacon(&f("1.zkey"), &f("z.zkey"), &beacon))?;
        let vk = zkml::ceremony::zkey::verifying_key_of(&f("z.zkey"))?;
        let expected = transcript::ExpectedTranscript {
            shape,
            kind: ModelKind::LINEAR_REGRESSION,
            phase1: vec![h1, b1],
            phase1_beacon: beacon.to_vec(),
            phase2: vec![h2, b2],
            phase2_beacon: beacon.to_vec(),
            verifying_key: zkml_primitives::groth16::encode_verifying_key(&vk),
        };
        let (_, verify_transcript_seconds) = timed(|| transcript::verify_transcript(&f("p.ptau"), &f("z.zkey"), &expected, &|_| {}))?;
        let r = Phase2Figures {
            m: shape.m,
            p: shape.p,
            n: shape.n,
            power,
            phase1_contribute_seconds,
            beacon_and_prepare_seconds,
            prepared_ptau_mib: mib(&f("p.ptau")),
            init_seconds,
            contribute_seconds,
            beacon_seconds,
            zkey_mib: mib(&f("z.zkey")),
            verify_transcript_seconds,
        };
        eprintln!(
            "{}x{}x{} (2^{power}): prepare {beacon_and_prepare_seconds:.1} s, init {init_seconds:.1} s, contribute {contribute_seconds:.1} s, verify {verify_transcript_seconds:.1} s",
            shape.m, shape.p, shape.n
        );
        results.phase2.push(r);
        save(&results)?;
    }
    Ok(())
}
