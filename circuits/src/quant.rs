//! The one implementation of quantized arithmetic. The simulator, the witness generator and `decrypt` all go
//! through here, so what `simulate` reports is exactly what the circuit proves (the prototype had two
//! implementations that disagreed).
//!
//! Conventions are those of [`zkml_primitives::dataset`]: power-of-two scales, per-column for X, chosen so
//! that the residual `r = y_q·2^Y_SHIFT − Σ_j x_q·w_q − b_q` is an exact integer at scale `2^F`. Values are
//! rounded to nearest (half away from zero) and never clipped: a value that does not fit its bit width is an
//! error, not a silently different model.
use anyhow::{bail, ensure, Result};
use ark_bn254::Fr;
use ark_ff::{Field, PrimeField};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use zkml_primitives::{
    dataset::{self, signed_range, Scales, Shape, B_BITS, W_BITS, X_BITS, Y_BITS, Y_SHIFT},
    encoding::fr_from_i128,
};

/// A dataset as floats: `x` is `m × p`, `y` is `m × n`.
#[derive(Clone, Debug)]
pub struct FloatDataset {
    pub x: Array2<f64>,
    pub y: Array2<f64>,
}

/// A linear model as floats: `w` is `p × n`, `b` has `n` entries. Prediction: `x·w + b`.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatModel {
    pub w: Array2<f64>,
    pub b: Array1<f64>,
}

impl FloatDataset {
    pub fn shape(&self) -> Shape {
        Shape { m: self.x.nrows() as u32, p: self.x.ncols() as u32, n: self.y.ncols() as u32 }
    }
}

/// Overrides for calibration, read from the settings JSON. Field names follow the prototype where they make
/// sense: `alpha_X`/`beta_X` (and `_Y`) give the value range to calibrate X (Y) for instead of the data's;
/// `m`, `p`, `n` are checked against the data; `mse_target` is the cap `simulate` compares against.
/// `x_frac_bits` (one number or one per column) and `y_frac_bits` set the exponents directly.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(rename = "alpha_X")]
    pub alpha_x: Option<f64>,
    #[serde(rename = "beta_X")]
    pub beta_x: Option<f64>,
    #[serde(rename = "alpha_Y")]
    pub alpha_y: Option<f64>,
    #[serde(rename = "beta_Y")]
    pub beta_y: Option<f64>,
    pub m: Option<u32>,
    pub p: Option<u32>,
    pub n: Option<u32>,
    pub mse_target: Option<f64>,
    pub x_frac_bits: Option<FracBits>,
    pub y_frac_bits: Option<i32>,
    // The prototype's other ranges have no meaning here: W's and b's scales follow from X's and Y's (that is
    // what makes residuals exact), and there is no rescaling of Yt, R or S. They are accepted and reported.
    #[serde(rename = "alpha_W")]
    pub alpha_w: Option<f64>,
    #[serde(rename = "beta_W")]
    pub beta_w: Option<f64>,
    pub alpha_b: Option<f64>,
    pub beta_b: Option<f64>,
    #[serde(rename = "alpha_Yt")]
    pub alpha_yt: Option<f64>,
    #[serde(rename = "beta_Yt")]
    pub beta_yt: Option<f64>,
    #[serde(rename = "alpha_R")]
    pub alpha_r: Option<f64>,
    #[serde(rename = "beta_R")]
    pub beta_r: Option<f64>,
    #[serde(rename = "alpha_S")]
    pub alpha_s: Option<f64>,
    #[serde(rename = "beta_S")]
    pub beta_s: Option<f64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum FracBits {
    All(i32),
    PerColumn(Vec<i32>),
}

impl Settings {
    pub fn load(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read settings file {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("settings file {}: {e}", path.display()))
    }

    /// Names of the prototype fields present but without effect.
    pub fn ignored_fields(&self) -> Vec<&'static str> {
        let fields = [
            ("alpha_W", self.alpha_w), ("beta_W", self.beta_w), ("alpha_b", self.alpha_b), ("beta_b", self.beta_b),
            ("alpha_Yt", self.alpha_yt), ("beta_Yt", self.beta_yt), ("alpha_R", self.alpha_r), ("beta_R", self.beta_r),
            ("alpha_S", self.alpha_s), ("beta_S", self.beta_s),
        ];
        fields.iter().filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect()
    }

    pub fn check_shape(&self, shape: &Shape) -> Result<()> {
        for (name, want, got) in [("m", self.m, shape.m), ("p", self.p, shape.p), ("n", self.n, shape.n)] {
            if let Some(want) = want {
                ensure!(want == got, "settings say {name} = {want} but the data has {name} = {got}");
            }
        }
        Ok(())
    }
}

/// The largest exponent `f` with `round(max_abs · 2^f) ≤ 2^(bits-1) − 1`.
fn frac_bits_for(max_abs: f64, bits: u32) -> i32 {
    let limit = ((1u64 << (bits - 1)) - 1) as f64;
    if max_abs == 0.0 {
        return 0;
    }
    let mut f = (limit / max_abs).log2().floor() as i32;
    while (max_abs * 2f64.powi(f)).round() > limit {
        f -= 1;
    }
    f
}

fn max_abs<'a>(values: impl Iterator<Item = &'a f64>) -> f64 {
    values.fold(0.0, |m, v| m.max(v.abs()))
}

fn range_max(alpha: Option<f64>, beta: Option<f64>) -> Option<f64> {
    match (alpha, beta) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0).abs().max(b.unwrap_or(0.0).abs())),
    }
}

/// Chooses the dataset's scales: per column the finest power of two that keeps X in range, and likewise for Y;
/// settings override either.
pub fn calibrate(ds: &FloatDataset, settings: &Settings) -> Result<Scales> {
    let shape = ds.shape();
    settings.check_shape(&shape)?;
    let x_frac_bits = match (&settings.x_frac_bits, range_max(settings.alpha_x, settings.beta_x)) {
        (Some(FracBits::All(f)), _) => vec![*f; shape.p as usize],
        (Some(FracBits::PerColumn(v)), _) => {
            ensure!(v.len() == shape.p as usize, "settings give {} x_frac_bits for {} columns", v.len(), shape.p);
            v.clone()
        }
        (None, Some(r)) => vec![frac_bits_for(r, X_BITS); shape.p as usize],
        (None, None) => ds.x.columns().into_iter().map(|c| frac_bits_for(max_abs(c.iter()), X_BITS)).collect(),
    };
    let y_frac_bits = match (settings.y_frac_bits, range_max(settings.alpha_y, settings.beta_y)) {
        (Some(f), _) => f,
        (None, Some(r)) => frac_bits_for(r, Y_BITS),
        (None, None) => frac_bits_for(max_abs(ds.y.iter()), Y_BITS),
    };
    for f in x_frac_bits.iter().chain([&y_frac_bits]) {
        ensure!((-64..=64).contains(f), "a scale exponent of {f} is outside the supported -64..=64");
    }
    Ok(Scales { x_frac_bits, y_frac_bits })
}

/// Columns whose values lose precision at their scale: a column's scale follows its largest magnitude, so one
/// outlier (say 1e10 among values near 1) leaves too few fractional bits for the rest, which then round to 0
/// or to a few steps. One line per column whose median nonzero magnitude is under 64 quantization steps (less
/// than about 1.5% resolution for a typical value).
pub fn precision_warnings(ds: &FloatDataset, scales: &Scales) -> Vec<String> {
    const MIN_STEPS: f64 = 64.0;
    let mut out = Vec::new();
    let mut check = |name: String, values: Vec<f64>, frac_bits: i32| {
        let unit = 2f64.powi(frac_bits);
        let mut magnitudes: Vec<f64> = values.iter().filter(|v| **v != 0.0).map(|v| v.abs()).collect();
        if magnitudes.is_empty() {
            return;
        }
        magnitudes.sort_by(|a, b| a.total_cmp(b));
        let typical = magnitudes[magnitudes.len() / 2];
        if typical * unit < MIN_STEPS {
            let zeroed = magnitudes.iter().filter(|v| (**v * unit).round() == 0.0).count();
            let largest = magnitudes[magnitudes.len() - 1];
            out.push(format!(
                "{name}: at scale 2^{frac_bits} a typical value ({typical:e}) is only {:.1} quantization steps, and {zeroed} of {} nonzero values round to 0; the scale is set by the largest |value|, {largest:e}: check the column for outliers or mixed units",
                typical * unit,
                magnitudes.len()
            ));
        }
    };
    for (j, col) in ds.x.columns().into_iter().enumerate() {
        if let Some(&f) = scales.x_frac_bits.get(j) {
            check(format!("X column {}", j + 1), col.to_vec(), f);
        }
    }
    for (j, col) in ds.y.columns().into_iter().enumerate() {
        check(format!("Y column {}", j + 1), col.to_vec(), scales.y_frac_bits);
    }
    out
}

fn quantize(v: f64, frac_bits: i32, bits: u32, what: &str, index: (usize, usize)) -> Result<i64> {
    let q = (v * 2f64.powi(frac_bits)).round();
    let (lo, hi) = signed_range(bits);
    if !(q >= lo as f64 && q <= hi as f64) {
        bail!(
            "{what}[{}, {}] = {v} quantizes to {q:e} at scale 2^{frac_bits}, outside the signed {bits}-bit range \
             [{lo}, {hi}]",
            index.0,
            index.1
        );
    }
    Ok(q as i64)
}

/// A quantized dataset: what is hashed and proven over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantDataset {
    pub shape: Shape,
    pub scales: Scales,
    pub x_q: Vec<i64>,
    pub y_q: Vec<i64>,
}

impl QuantDataset {
    pub fn new(ds: &FloatDataset, scales: Scales) -> Result<Self> {
        let shape = ds.shape();
        shape.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
        ensure!(scales.x_frac_bits.len() == shape.p as usize, "scales have the wrong number of columns");
        let mut x_q = Vec::with_capacity(shape.x_len());
        for ((i, j), v) in ds.x.indexed_iter() {
            x_q.push(quantize(*v, scales.x_frac_bits[j], X_BITS, "X", (i, j))?);
        }
        let mut y_q = Vec::with_capacity(shape.y_len());
        for ((i, k), v) in ds.y.indexed_iter() {
            y_q.push(quantize(*v, scales.y_frac_bits, Y_BITS, "Y", (i, k))?);
        }
        Ok(Self { shape, scales, x_q, y_q })
    }

    pub fn hash(&self) -> Fr {
        dataset::dataset_hash(&self.shape, &self.scales, &self.x_q, &self.y_q)
            .expect("a QuantDataset is range-checked and shaped at construction")
    }

    /// Converts a float MSE cap to the SSE cap the circuit compares against (see [`sse_cap`]).
    pub fn sse_cap(&self, mse_cap: f64) -> Result<u128> {
        sse_cap(&self.shape, &self.scales, mse_cap)
    }

    /// The float MSE an SSE in quantized units stands for (see [`mse_of_sse`]).
    pub fn mse_of_sse(&self, sse: f64) -> f64 {
        mse_of_sse(&self.shape, &self.scales, sse)
    }
}

/// Converts a float MSE cap to the SSE cap the circuit compares against: `⌊mse · m·n · 2^(2F)⌋`, `F` the
/// residual scale. Needs only the shape and scales, so a bounty's cap can be set from the on-chain record.
pub fn sse_cap(shape: &Shape, scales: &Scales, mse_cap: f64) -> Result<u128> {
    ensure!(mse_cap.is_finite() && mse_cap >= 0.0, "the MSE cap must be a finite non-negative number");
    let cap = (mse_cap * residual_count(shape) * 2f64.powi(2 * scales.residual_frac_bits())).floor();
    ensure!(cap < 2f64.powi(128), "MSE cap {mse_cap} is too large for this dataset's scales (exceeds 2^128)");
    Ok(cap as u128)
}

/// The float MSE an SSE in quantized units stands for.
pub fn mse_of_sse(shape: &Shape, scales: &Scales, sse: f64) -> f64 {
    sse / residual_count(shape) / 2f64.powi(2 * scales.residual_frac_bits())
}

fn residual_count(shape: &Shape) -> f64 {
    shape.m as f64 * shape.n as f64
}

/// A quantized model: `w_q` row-major `p × n`, then `b_q`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantModel {
    pub w_q: Vec<i64>,
    pub b_q: Vec<i64>,
}

impl QuantModel {
    pub fn new(model: &FloatModel, shape: &Shape, scales: &Scales) -> Result<Self> {
        ensure!(
            model.w.dim() == (shape.p as usize, shape.n as usize),
            "W is {}×{} but the dataset needs {}×{} (p × n)",
            model.w.nrows(),
            model.w.ncols(),
            shape.p,
            shape.n
        );
        ensure!(model.b.len() == shape.n as usize, "b has {} entries but the dataset has n = {}", model.b.len(), shape.n);
        let mut w_q = Vec::with_capacity(shape.w_len());
        for ((j, k), v) in model.w.indexed_iter() {
            w_q.push(quantize(*v, scales.w_frac_bits(j), W_BITS, "W", (j, k))?);
        }
        let b_q = model
            .b
            .iter()
            .enumerate()
            .map(|(k, v)| quantize(*v, scales.residual_frac_bits(), B_BITS, "b", (0, k)))
            .collect::<Result<_>>()?;
        Ok(Self { w_q, b_q })
    }

    /// Recovers a model from parameter field elements (`decrypt`): each must be an in-range signed integer.
    pub fn from_field_params(params: &[Fr], shape: &Shape) -> Result<Self> {
        ensure!(params.len() == shape.params_len(), "expected {} parameters, got {}", shape.params_len(), params.len());
        let to_int = |i: usize, v: &Fr, bits: u32| -> Result<i64> {
            let (lo, hi) = signed_range(bits);
            match zkml_primitives::encoding::fr_to_i128(v) {
                Some(x) if x >= lo && x <= hi => Ok(x as i64),
                _ => bail!("parameter {i} does not decrypt to a {bits}-bit integer: wrong key or corrupted claim"),
            }
        };
        let w_len = shape.w_len();
        let w_q = params[..w_len].iter().enumerate().map(|(i, v)| to_int(i, v, W_BITS)).collect::<Result<_>>()?;
        let b_q = params[w_len..].iter().enumerate().map(|(i, v)| to_int(w_len + i, v, B_BITS)).collect::<Result<_>>()?;
        Ok(Self { w_q, b_q })
    }

    /// `W` then `b` as field elements, the order they are encrypted in.
    pub fn field_params(&self) -> Vec<Fr> {
        self.w_q.iter().chain(&self.b_q).map(|v| fr_from_i128(*v as i128)).collect()
    }

    pub fn dequantize(&self, shape: &Shape, scales: &Scales) -> FloatModel {
        let (p, n) = (shape.p as usize, shape.n as usize);
        let w = Array2::from_shape_fn((p, n), |(j, k)| self.w_q[j * n + k] as f64 * 2f64.powi(-scales.w_frac_bits(j)));
        let b = Array1::from_shape_fn(n, |k| self.b_q[k] as f64 * 2f64.powi(-scales.residual_frac_bits()));
        FloatModel { w, b }
    }
}

/// The exact integer residuals `r = y_q·2^Y_SHIFT − Σ_j x_q·w_q − b_q`, row-major `m × n`. The bit widths
/// keep every term below 2^78, so `i128` is exact.
pub fn residuals(ds: &QuantDataset, model: &QuantModel) -> Vec<i128> {
    let (m, p, n) = (ds.shape.m as usize, ds.shape.p as usize, ds.shape.n as usize);
    let mut out = Vec::with_capacity(m * n);
    for i in 0..m {
        for k in 0..n {
            let mut r = (ds.y_q[i * n + k] as i128) << Y_SHIFT;
            r -= model.b_q[k] as i128;
            for j in 0..p {
                r -= ds.x_q[i * p + j] as i128 * model.w_q[j * n + k] as i128;
            }
            out.push(r);
        }
    }
    out
}

/// `Σ r²` exactly. It is below 2^196 (see the circuit's bound argument), so the field element is the integer.
pub fn sse(ds: &QuantDataset, model: &QuantModel) -> Fr {
    residuals(ds, model).iter().map(|r| fr_from_i128(*r).square()).sum()
}

/// A field element below 2^196 read as an integer, as `f64`.
pub fn field_to_f64(v: &Fr) -> f64 {
    v.into_bigint().as_ref().iter().rev().fold(0.0, |acc, limb| acc * 2f64.powi(64) + *limb as f64)
}

/// A field element below 2^128 as an integer.
pub fn field_to_u128(v: &Fr) -> Option<u128> {
    let limbs = v.into_bigint();
    let l = limbs.as_ref();
    (l[2] == 0 && l[3] == 0).then(|| (l[1] as u128) << 64 | l[0] as u128)
}

/// `sse ≤ cap` on integers.
pub fn within_cap(sse: &Fr, cap: u128) -> bool {
    field_to_u128(sse).is_some_and(|s| s <= cap)
}

/// Float MSE of the float model on the float dataset.
pub fn float_mse(ds: &FloatDataset, model: &FloatModel) -> f64 {
    let pred = ds.x.dot(&model.w) + &model.b;
    let diff = &ds.y - &pred;
    diff.iter().map(|d| d * d).sum::<f64>() / diff.len() as f64
}

/// What `simulate` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub m: u32,
    pub p: u32,
    pub n: u32,
    /// `fx_j`: X column `j` is stored at `2^fx_j`.
    pub x_frac_bits: Vec<i32>,
    /// `fy`: Y is stored at `2^fy`.
    pub y_frac_bits: i32,
    /// `F = fy + Y_SHIFT`: residuals, `b` and `x·w` are at `2^F`; W column `j` is at `2^(F − fx_j)`.
    pub residual_frac_bits: i32,
    pub float_mse: f64,
    pub quantized_mse: f64,
    pub relative_error: f64,
    /// `Σ r²` in quantized units (decimal string: it can exceed 64 bits).
    pub quantized_sse: String,
}

pub fn simulate(ds: &FloatDataset, model: &FloatModel, qds: &QuantDataset) -> Result<(QuantModel, Report)> {
    let qm = QuantModel::new(model, &qds.shape, &qds.scales)?;
    let sse_q = sse(qds, &qm);
    let float_mse = float_mse(ds, model);
    let quantized_mse = qds.mse_of_sse(field_to_f64(&sse_q));
    let relative_error = if float_mse == 0.0 {
        if quantized_mse == 0.0 { 0.0 } else { f64::INFINITY }
    } else {
        (quantized_mse - float_mse).abs() / float_mse
    };
    let report = Report {
        m: qds.shape.m,
        p: qds.shape.p,
        n: qds.shape.n,
        x_frac_bits: qds.scales.x_frac_bits.clone(),
        y_frac_bits: qds.scales.y_frac_bits,
        residual_frac_bits: qds.scales.residual_frac_bits(),
        float_mse,
        quantized_mse,
        relative_error,
        quantized_sse: sse_q.into_bigint().to_string(),
    };
    Ok((qm, report))
}

