//! `zkml bench`: constraints, key generation, proving and verification time, and peak memory per shape and
//! model kind, on random data of that shape (with a model that fits it, so each proof is a real, valid claim:
//! a classifier's labels are its own predictions with one in twenty changed).
//!
//! Key generation and proving each run in a child process (`zkml bench-step`), so each peak-memory figure is
//! that step's alone, the way a user runs it: the prover loads the proving key from disk like `zkml prove`.
use anyhow::{ensure, Context, Result};
use ark_ff::UniformRand;
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::{path::Path, process::Command, time::Instant};
use zkml::{
    circuit::{
        models::{
            kind_spec,
            trees::{NodeFile, Split, Tree},
            Dense, Network, ProvableModel, QuantizedModel, TrainedModel, TreeEnsemble,
        },
        ClaimCircuit,
    },
    prover::{self, ClaimRequest},
    quant::{self, FloatDataset, FloatModel, QuantDataset, QuantModel, Settings},
};
use zkml_primitives::{
    dataset::Shape,
    groth16,
    keys::{PublicKey, SecretScalar},
    model::{ModelKind, Task},
};

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct SetupStep {
    pub seconds: f64,
    pub peak_rss_mib: f64,
    pub proving_key_mib: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ProveStep {
    pub constraints: usize,
    pub key_load_seconds: f64,
    /// Witness generation and constraint checking (part of `prove_seconds`).
    pub synthesize_seconds: f64,
    /// Synthesis, checking and Groth16 proving (key loading excluded).
    pub prove_seconds: f64,
    pub verify_ms: f64,
    /// Peak resident memory of the whole prover process, key included.
    pub peak_rss_mib: f64,
}

#[derive(Serialize)]
pub struct ShapeResult {
    pub kind: String,
    pub m: u32,
    pub p: u32,
    pub n: u32,
    pub dataset_elements: usize,
    pub constraints: usize,
    pub constraints_per_dataset_element: f64,
    /// Constraints over samples, the part that does not grow with samples (key and delivery) included.
    pub constraints_per_sample: f64,
    pub setup: SetupStep,
    pub prove: ProveStep,
}

#[derive(Serialize)]
pub struct Results {
    pub cpus: usize,
    pub results: Vec<ShapeResult>,
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn random_problem(shape: Shape) -> (FloatDataset, FloatModel) {
    let mut rng = StdRng::seed_from_u64(shape.m as u64 * 1000 + shape.p as u64);
    let (m, p, n) = (shape.m as usize, shape.p as usize, shape.n as usize);
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-1.0..1.0));
    let w = Array2::from_shape_fn((p, n), |_| rng.gen_range(-1.0..1.0));
    let b = Array1::from_shape_fn(n, |_| rng.gen_range(-1.0..1.0));
    let y = x.dot(&w) + &b + Array2::from_shape_fn((m, n), |_| rng.gen_range(-0.1..0.1));
    (FloatDataset { x, y }, FloatModel { w, b })
}

/// A random network of `kind` and data of `shape` it fits: regression targets are its outputs plus noise,
/// labels its predictions with one in twenty moved to the next class.
/// A random complete tree of `depth` levels on `p` features, thresholds in the data's range.
fn random_tree(rng: &mut StdRng, depth: u32, p: usize, group: usize) -> Tree {
    let mut nodes = Vec::new();
    let internal = (1usize << depth) - 1;
    for j in 0..internal {
        nodes.push(NodeFile::Split { feature: rng.gen_range(0..p) as u32, threshold: rng.gen_range(-0.8..0.8), left: 2 * j + 1, right: 2 * j + 2 });
    }
    for _ in 0..=internal {
        nodes.push(NodeFile::Leaf { value: rng.gen_range(-0.1..0.1) });
    }
    Tree { group, nodes }
}

fn random_network_problem(kind: &ModelKind, shape: Shape) -> (FloatDataset, TrainedModel) {
    let mut rng = StdRng::seed_from_u64(shape.m as u64 * 1000 + shape.p as u64 + 7);
    let net = if let Some(layout) = kind.tree_layout(&shape) {
        let trees = (0..layout.trees).map(|t| random_tree(&mut rng, layout.depth, shape.p as usize, t % layout.groups)).collect();
        TrainedModel::Trees(TreeEnsemble {
            task: kind.task(),
            split: Split::LessOrEqual,
            base: vec![0.0; layout.groups],
            trees,
            features: shape.p as usize,
        })
    } else {
        let widths = kind.widths(&shape);
        let layers = widths
            .windows(2)
            .map(|w| Dense {
                w: Array2::from_shape_fn((w[0] as usize, w[1] as usize), |_| rng.gen_range(-1.0..1.0) / (w[0] as f64).sqrt()),
                b: Array1::from_shape_fn(w[1] as usize, |_| rng.gen_range(-0.1..0.1)),
            })
            .collect();
        TrainedModel::Network(Network { task: kind.task(), layers })
    };
    let (m, p) = (shape.m as usize, shape.p as usize);
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-1.0..1.0));
    let y = match kind.task() {
        Task::Classification { classes } => {
            let pred = net.predict_classes(&x);
            Array2::from_shape_fn((m, 1), |(i, _)| if i % 20 == 7 { ((pred[i] + 1) % classes as usize) as f64 } else { pred[i] as f64 })
        }
        Task::Regression => {
            let mut y = Array2::zeros((m, shape.n as usize));
            for (i, row) in x.outer_iter().enumerate() {
                let out = net.forward(row);
                for k in 0..shape.n as usize {
                    y[[i, k]] = out[k] + rng.gen_range(-0.1..0.1);
                }
            }
            y
        }
    };
    (FloatDataset { x, y }, net)
}

/// Child process, key generation: writes the proving key to `pk_path`, prints a [`SetupStep`].
pub fn setup_step(kind: &ModelKind, shape: Shape, pk_path: &Path) -> Result<()> {
    let t = Instant::now();
    let (pk, _) = prover::setup_for(kind, shape, &mut rand::rngs::OsRng)?;
    let seconds = t.elapsed().as_secs_f64();
    crate::write_proving_key(pk_path, &pk)?;
    let proving_key_mib = std::fs::metadata(pk_path)?.len() as f64 / (1024.0 * 1024.0);
    println!("{}", serde_json::to_string(&SetupStep { seconds, peak_rss_mib: peak_rss_mib(), proving_key_mib })?);
    Ok(())
}

/// Child process, proving: loads the key, proves a valid claim for random data of the shape, prints a
/// [`ProveStep`].
pub fn prove_step(kind: &ModelKind, shape: Shape, pk_path: &Path) -> Result<()> {
    let (qds, qm): (QuantDataset, Box<dyn ProvableModel>) = if *kind == ModelKind::LINEAR_REGRESSION {
        let (ds, model) = random_problem(shape);
        let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &Settings::default())?)?;
        let qm = QuantModel::new(&model, &shape, &qds.scales)?;
        (qds, Box::new(qm))
    } else {
        let (ds, net) = random_network_problem(kind, shape);
        let settings = match kind.task() {
            Task::Classification { .. } => Settings { y_frac_bits: Some(0), ..Default::default() },
            Task::Regression => Settings::default(),
        };
        let qds = QuantDataset::new(&ds, quant::calibrate(&ds, &settings)?)?;
        let qm = QuantizedModel::quantize(&net, &shape, &qds.scales, &ds.x, Some(kind))?;
        (qds, Box::new(qm))
    };
    let sse = quant::field_to_u128(&qm.loss_on(&qds)?).context("loss beyond u128")?;
    let organizer_pk = PublicKey::from_secret(&SecretScalar::rand(&mut rand::rngs::OsRng));
    let req = ClaimRequest { dataset: &qds, model: &*qm, organizer_pk, payee: [1; 32], bounty_id: 1, sse_cap: sse };
    let claim = prover::prepare_claim(&req, &mut rand::rngs::OsRng)?;

    let t = Instant::now();
    let key = crate::read_proving_key(pk_path)?;
    let key_load_seconds = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let circuit = ClaimCircuit { kind: kind.clone(), shape, assignment: Some(claim.assignment.clone()) };
    let s = prover::synthesize_checked(&circuit)?;
    let synthesize_seconds = t.elapsed().as_secs_f64();
    let constraints = s.matrices.num_constraints;
    let proof = prover::prove_synthesized_with(&key, &s, &mut rand::rngs::OsRng)?;
    let prove_seconds = t.elapsed().as_secs_f64();
    drop(s);

    let t = Instant::now();
    let pvk = groth16::prepare(&key.pk.vk);
    let ok = groth16::verify_inputs(&pvk, &proof, &claim.assignment.statement.public_inputs()).is_ok();
    let verify_ms = t.elapsed().as_secs_f64() * 1e3;
    ensure!(ok, "benchmark proof for {shape:?} did not verify");
    let step = ProveStep { constraints, key_load_seconds, synthesize_seconds, prove_seconds, verify_ms, peak_rss_mib: peak_rss_mib() };
    println!("{}", serde_json::to_string(&step)?);
    Ok(())
}

fn child<T: for<'de> Deserialize<'de>>(step: &str, kind: &ModelKind, shape: Shape, pk_path: &Path) -> Result<T> {
    let out = Command::new(std::env::current_exe()?)
        .args(["bench-step", step, "--kind", &kind_spec(kind), "--shape", &format!("{}x{}x{}", shape.m, shape.p, shape.n), "--proving-key"])
        .arg(pk_path)
        .output()
        .context("running the benchmark step")?;
    ensure!(out.status.success(), "bench step {step} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).context("bench step output")
}

pub fn run(kind: &ModelKind, shapes: &[Shape], quiet: bool) -> Result<Results> {
    let dir = tempfile::tempdir()?;
    let mut results = Vec::new();
    for &shape in shapes {
        let log = |msg: String| if !quiet { eprintln!("{msg}") };
        let pk_path = dir.path().join(format!("{}x{}x{}.pk", shape.m, shape.p, shape.n));
        log(format!("{}x{}x{}: setup…", shape.m, shape.p, shape.n));
        let setup: SetupStep = child("setup", kind, shape, &pk_path)?;
        log(format!("{}x{}x{}: prove…", shape.m, shape.p, shape.n));
        let prove: ProveStep = child("prove", kind, shape, &pk_path)?;
        std::fs::remove_file(&pk_path)?;
        let r = ShapeResult {
            kind: kind_spec(kind),
            m: shape.m,
            p: shape.p,
            n: shape.n,
            dataset_elements: shape.dataset_elements(),
            constraints: prove.constraints,
            constraints_per_dataset_element: prove.constraints as f64 / shape.dataset_elements() as f64,
            constraints_per_sample: prove.constraints as f64 / shape.m as f64,
            setup,
            prove,
        };
        log(format!(
            "{} {}x{}x{}: {} constraints ({:.2}/element, {:.0}/sample); setup {:.1} s ({:.0} MiB peak, key {:.0} MiB); \
             prove {:.2} s (synthesis {:.2} s, key load {:.1} s, {:.0} MiB peak); verify {:.2} ms",
            r.kind, r.m, r.p, r.n, r.constraints, r.constraints_per_dataset_element, r.constraints_per_sample, r.setup.seconds, r.setup.peak_rss_mib,
            r.setup.proving_key_mib, r.prove.prove_seconds, r.prove.synthesize_seconds, r.prove.key_load_seconds,
            r.prove.peak_rss_mib, r.prove.verify_ms
        ));
        results.push(r);
    }
    Ok(Results { cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), results })
}
