//! A reference trainer: what a competitor's `sklearn.linear_model.LinearRegression().fit(X, Y)` computes,
//! for tests and examples that must run without Python.
use crate::quant::{FloatDataset, FloatModel};
use ndarray::Axis;

/// Ordinary least squares with intercept, by the normal equations (Cholesky), as sklearn's LinearRegression
/// would fit it.
pub fn least_squares(ds: &FloatDataset) -> FloatModel {
    let p = ds.x.ncols();
    let n = ds.y.ncols();
    // Centre to fit the intercept separately (better conditioned).
    let xm = ds.x.mean_axis(Axis(0)).expect("at least one row");
    let ym = ds.y.mean_axis(Axis(0)).expect("at least one row");
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
    FloatModel { w: rhs, b }
}


/// [`least_squares`] on the feature columns `cols` only; the other weights are 0 (a competitor's feature
/// choice, as `examples/train.py --columns` makes it).
pub fn least_squares_on(ds: &FloatDataset, cols: &[usize]) -> FloatModel {
    let sub = FloatDataset { x: ds.x.select(Axis(1), cols), y: ds.y.clone() };
    let fit = least_squares(&sub);
    let mut w = ndarray::Array2::zeros((ds.x.ncols(), ds.y.ncols()));
    for (i, c) in cols.iter().enumerate() {
        w.row_mut(*c).assign(&fit.w.row(i));
    }
    FloatModel { w, b: fit.b }
}
