//! Reading and writing the arrays users bring: `.npy` as numpy/sklearn write them (f64, f32, i64, i32; any of
//! the shapes `(m,)`, `(m, k)`, `(1, k)`), or `.csv` (comma-separated numbers, an optional header row).
//! Every value is checked finite; shapes are checked against each other.
use crate::quant::{FloatDataset, FloatModel};
use anyhow::{bail, ensure, Context, Result};
use ndarray::{Array1, Array2, ArrayD, Dimension, Ix2};
use ndarray_npy::{read_npy, write_npy};
use std::path::{Path, PathBuf};

fn read_npy_any(path: &Path) -> Result<ArrayD<f64>> {
    if let Ok(a) = read_npy::<_, ArrayD<f64>>(path) {
        return Ok(a);
    }
    if let Ok(a) = read_npy::<_, ArrayD<f32>>(path) {
        return Ok(a.mapv(f64::from));
    }
    if let Ok(a) = read_npy::<_, ArrayD<i64>>(path) {
        return Ok(a.mapv(|v| v as f64));
    }
    if let Ok(a) = read_npy::<_, ArrayD<i32>>(path) {
        return Ok(a.mapv(f64::from));
    }
    // Report the f64 error: it says what is wrong with the header or data.
    let err = read_npy::<_, ArrayD<f64>>(path).err().map(|e| e.to_string()).unwrap_or_default();
    bail!("{} is not a numeric .npy array (f64, f32, i64 or i32): {err}", path.display())
}

fn read_csv(path: &Path) -> Result<ArrayD<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed: Result<Vec<f64>, _> = line.split(',').map(|c| c.trim().parse::<f64>()).collect();
        match parsed {
            Ok(row) => rows.push(row),
            Err(_) if rows.is_empty() && line_no == 0 => continue, // header
            Err(e) => bail!("{}:{}: not a number ({e})", path.display(), line_no + 1),
        }
    }
    ensure!(!rows.is_empty(), "{} holds no rows", path.display());
    let cols = rows[0].len();
    ensure!(rows.iter().all(|r| r.len() == cols), "{}: rows have different numbers of columns", path.display());
    let flat: Vec<f64> = rows.into_iter().flatten().collect();
    Ok(Array2::from_shape_vec((flat.len() / cols, cols), flat)?.into_dyn())
}

/// Reads `path` (`.npy` or `.csv`) as an array of any dimension, refusing NaN and infinities.
pub fn read_array(path: &Path) -> Result<ArrayD<f64>> {
    ensure!(path.exists(), "file not found: {}", path.display());
    let a = match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => read_csv(path)?,
        _ => read_npy_any(path)?,
    };
    if let Some((idx, v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        bail!("{} contains {v} at index {:?}: only finite numbers can be quantized", path.display(), idx.slice());
    }
    Ok(a)
}

/// `(k,)` → `k × 1`; `(r, c)` stays.
fn as_matrix(a: ArrayD<f64>, path: &Path) -> Result<Array2<f64>> {
    match a.ndim() {
        1 => {
            let k = a.len();
            Ok(a.into_shape_with_order((k, 1))?.into_dimensionality::<Ix2>()?)
        }
        2 => Ok(a.into_dimensionality::<Ix2>()?),
        d => bail!("{} has {d} dimensions; expected a vector or a matrix", path.display()),
    }
}

/// `X.npy`/`X.csv` or `Y.npy`/`Y.csv` in `dir`.
fn find(dir: &Path, stem: &str) -> Result<PathBuf> {
    ensure!(dir.is_dir(), "directory not found: {}", dir.display());
    for ext in ["npy", "csv"] {
        let p = dir.join(format!("{stem}.{ext}"));
        if p.exists() {
            return Ok(p);
        }
    }
    bail!("{} has no {stem}.npy or {stem}.csv", dir.display())
}

pub fn load_dataset(dir: &Path) -> Result<FloatDataset> {
    let xp = find(dir, "X")?;
    let yp = find(dir, "Y")?;
    let x = as_matrix(read_array(&xp)?, &xp)?;
    let y = as_matrix(read_array(&yp)?, &yp)?;
    ensure!(
        x.nrows() == y.nrows(),
        "X has {} rows but Y has {}: they must describe the same samples",
        x.nrows(),
        y.nrows()
    );
    ensure!(x.nrows() > 0 && x.ncols() > 0 && y.ncols() > 0, "the dataset is empty");
    Ok(FloatDataset { x, y })
}

/// `W.npy` (`p × n` or `p`) and `b.npy` (`n`, `1 × n`, `n × 1` or a scalar).
pub fn load_model(dir: &Path) -> Result<FloatModel> {
    let wp = find(dir, "W")?;
    let bp = find(dir, "b")?;
    let w = as_matrix(read_array(&wp)?, &wp)?;
    let b_raw = read_array(&bp)?;
    let shape = b_raw.shape().to_vec();
    ensure!(
        shape.iter().filter(|&&d| d != 1).count() <= 1,
        "{} has shape {shape:?}; b must be a vector of one bias per output",
        bp.display()
    );
    let b = Array1::from_iter(b_raw.iter().copied());
    ensure!(
        b.len() == w.ncols(),
        "W has {} output columns but b has {} entries",
        w.ncols(),
        b.len()
    );
    Ok(FloatModel { w, b })
}

pub fn save_model(dir: &Path, model: &FloatModel) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_npy(dir.join("W.npy"), &model.w).context("writing W.npy")?;
    write_npy(dir.join("b.npy"), &model.b).context("writing b.npy")?;
    Ok(())
}

pub fn save_dataset(dir: &Path, ds: &FloatDataset) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_npy(dir.join("X.npy"), &ds.x).context("writing X.npy")?;
    write_npy(dir.join("Y.npy"), &ds.y).context("writing Y.npy")?;
    Ok(())
}
