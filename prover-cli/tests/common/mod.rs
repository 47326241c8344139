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

/// Ordinary least squares with intercept, by the normal equations (Cholesky), as sklearn's LinearRegression
/// would fit it.
pub fn least_squares(ds: &FloatDataset) -> FloatModel {
    let (m, p) = ds.x.dim();
    let n = ds.y.ncols();
    // Centre to fit the intercept separately (better conditioned).
    let xm = ds.x.mean_axis(ndarray::Axis(0)).unwrap();
    let ym = ds.y.mean_axis(ndarray::Axis(0)).unwrap();
    let xc = &ds.x - &xm;
    let yc = &ds.y - &ym;
    let mut g = xc.t().dot(&xc);
    let mut rhs = xc.t().dot(&yc);
    // Cholesky: g = L Lᵀ.
    for j in 0..p {
        for k in 0..j {
            let ljk = g[[j, k]];
            for i in j..p {
                g[[i, j]] -= g[[i, k]] * ljk;
            }
        }
        let d = g[[j, j]].sqrt();
        for i in j..p {
            g[[i, j]] /= d;
        }
    }
    for c in 0..n {
        for i in 0..p {
            let s: f64 = (0..i).map(|k| g[[i, k]] * rhs[[k, c]]).sum();
            rhs[[i, c]] = (rhs[[i, c]] - s) / g[[i, i]];
        }
        for i in (0..p).rev() {
            let s: f64 = (i + 1..p).map(|k| g[[k, i]] * rhs[[k, c]]).sum();
            rhs[[i, c]] = (rhs[[i, c]] - s) / g[[i, i]];
        }
    }
    let b = &ym - &xm.dot(&rhs);
    let _ = m;
    FloatModel { w: rhs, b }
}

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
