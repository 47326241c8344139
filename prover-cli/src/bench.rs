//! `zkml bench`: constraints, key generation, proving and verification time, and peak memory per shape, on
//! random data of that shape (a model that fits it, so the proof is a real, valid claim).
use anyhow::{ensure, Result};
use ark_ff::UniformRand;
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::Serialize;
use std::time::Instant;
use zkml::{
    circuit::ClaimCircuit,
    prover::{self, ClaimRequest},
    quant::{self, FloatDataset, FloatModel, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{
    dataset::Shape,
    groth16,
    keys::{PublicKey, SecretScalar},
};

#[derive(Serialize)]
pub struct ShapeResult {
    pub m: u32,
    pub p: u32,
    pub n: u32,
    pub dataset_elements: usize,
    pub constraints: usize,
    pub constraints_per_dataset_element: f64,
    pub setup_seconds: f64,
    /// Witness generation and constraint checking (part of `prove_seconds`).
    pub synthesize_seconds: f64,
    /// Everything a prover waits for: synthesis, checking, Groth16.
    pub prove_seconds: f64,
    pub verify_ms: f64,
    /// Peak resident memory while proving (VmHWM reset before the step), in MiB.
    pub prove_peak_rss_mib: f64,
    pub setup_peak_rss_mib: f64,
}

#[derive(Serialize)]
pub struct Results {
    pub threads: usize,
    pub results: Vec<ShapeResult>,
}

/// Resets the kernel's peak-RSS counter for this process (Linux `clear_refs` 5).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn random_problem(shape: Shape, rng: &mut StdRng) -> (FloatDataset, FloatModel) {
    let (m, p, n) = (shape.m as usize, shape.p as usize, shape.n as usize);
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-1.0..1.0));
    let w = Array2::from_shape_fn((p, n), |_| rng.gen_range(-1.0..1.0));
    let b = Array1::from_shape_fn(n, |_| rng.gen_range(-1.0..1.0));
    let y = x.dot(&w) + &b + Array2::from_shape_fn((m, n), |_| rng.gen_range(-0.1..0.1));
    (FloatDataset { x, y }, FloatModel { w, b })
}

pub fn run(shapes: &[Shape], quiet: bool) -> Result<Results> {
    let mut results = Vec::new();
    for &shape in shapes {
        let mut rng = StdRng::seed_from_u64(shape.m as u64 * 1000 + shape.p as u64);
        let (ds, model) = random_problem(shape, &mut rng);
        let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default())?)?;
        let qm = QuantModel::new(&model, &shape, &qds.scales)?;
        let sse = quant::field_to_u128(&quant::sse(&qds, &qm)).expect("small");
        let organizer_pk = PublicKey::from_secret(&SecretScalar::rand(&mut rng));
        let req = ClaimRequest { dataset: &qds, model: &qm, organizer_pk, payee: [1; 32], bounty_id: 1, sse_cap: sse };
        let claim = prover::prepare_claim(&req, &mut rand::rngs::OsRng)?;

        let log = |msg: String| if !quiet { eprintln!("{msg}") };
        log(format!("{}x{}x{}: setup…", shape.m, shape.p, shape.n));
        reset_peak_rss();
        let t = Instant::now();
        let (pk, _) = prover::setup(shape, &mut rand::rngs::OsRng)?;
        let setup_seconds = t.elapsed().as_secs_f64();
        let setup_peak_rss_mib = peak_rss_mib();

        log(format!("{}x{}x{}: prove…", shape.m, shape.p, shape.n));
        reset_peak_rss();
        let t = Instant::now();
        let circuit = ClaimCircuit { shape, assignment: Some(claim.assignment.clone()) };
        let s = prover::synthesize_checked(&circuit)?;
        let synthesize_seconds = t.elapsed().as_secs_f64();
        let constraints = s.matrices.num_constraints;
        let proof = prover::prove_synthesized(&pk, &s, &mut rand::rngs::OsRng)?;
        let prove_seconds = t.elapsed().as_secs_f64();
        let prove_peak_rss_mib = peak_rss_mib();
        drop(s);

        let t = Instant::now();
        let pvk = groth16::prepare(&pk.vk);
        let ok = groth16::verify_inputs(&pvk, &proof, &claim.assignment.statement.public_inputs()).is_ok();
        let verify_ms = t.elapsed().as_secs_f64() * 1e3;
        ensure!(ok, "benchmark proof for {shape:?} did not verify");

        let r = ShapeResult {
            m: shape.m,
            p: shape.p,
            n: shape.n,
            dataset_elements: shape.dataset_elements(),
            constraints,
            constraints_per_dataset_element: constraints as f64 / shape.dataset_elements() as f64,
            setup_seconds,
            synthesize_seconds,
            prove_seconds,
            verify_ms,
            prove_peak_rss_mib,
            setup_peak_rss_mib,
        };
        log(format!(
            "{}x{}x{}: {} constraints ({:.2}/element), setup {:.2} s, prove {:.2} s (synthesis {:.2} s, {:.0} MiB peak), verify {:.2} ms",
            r.m, r.p, r.n, r.constraints, r.constraints_per_dataset_element, r.setup_seconds, r.prove_seconds, r.synthesize_seconds, r.prove_peak_rss_mib, r.verify_ms
        ));
        results.push(r);
    }
    Ok(Results { threads: rayon_threads(), results })
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
