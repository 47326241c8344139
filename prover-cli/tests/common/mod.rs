//! Fixtures shared by the integration tests: synthetic and real datasets, a least-squares fit, keys.
#![allow(dead_code)]
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, Rng, SeedableRng};
use zkml::quant::{FloatDataset, FloatModel};
use zkml_primitives::keys::{PublicKey, SecretScalar};

/// `y = x·w_true + b_true + noise`, `x` uniform in [-2, 2].
pub fn synthetic(m: usize, p: usize, n: usize, seed: u64) -> (FloatDataset, FloatModel) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Array2::from_shape_fn((m, p), |_| rng.gen_range(-2.0..2.0));
    let w = Array2::from_shape_fn((p, n), |_| rng.gen_range(-10.0..10.0));
    let b = Array1::from_shape_fn(n, |_| rng.gen_range(-1.0..1.0));
    let noise = Array2::from_shape_fn((m, n), |_| rng.gen_range(-0.5..0.5));
    let y = x.dot(&w) + &b + noise;
    (FloatDataset { x, y }, FloatModel { w, b })
}

#[allow(unused_imports)]
pub use zkml::train::least_squares;

pub fn organizer(seed: u64) -> (SecretScalar, PublicKey) {
    let sk = SecretScalar::from(seed * 7919 + 17);
    (sk, PublicKey::from_secret(&sk))
}

/// linfa-datasets uses its own ndarray version; convert through plain vectors.
fn from_linfa(records: Vec<f64>, targets: Vec<f64>) -> FloatDataset {
    let m = targets.len();
    let p = records.len() / m;
    let x = Array2::from_shape_vec((m, p), records).unwrap();
    let y = Array2::from_shape_vec((m, 1), targets).unwrap();
    FloatDataset { x, y }
}

/// sklearn's diabetes data (linfa-datasets ships 441 × 10 of its 442 rows).
pub fn diabetes() -> FloatDataset {
    let d = linfa_datasets::diabetes();
    from_linfa(d.records().iter().copied().collect(), d.targets().iter().copied().collect())
}

/// Red wine quality (1599 × 11).
pub fn winequality() -> FloatDataset {
    let d = linfa_datasets::winequality();
    from_linfa(d.records().iter().copied().collect(), d.targets().iter().map(|v| *v as f64).collect())
}
