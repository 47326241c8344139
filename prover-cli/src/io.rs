//! Reading and writing the arrays users bring: `.npy` as numpy/sklearn write them (f64, f32, i64, i32; any of
//! the shapes `(m,)`, `(m, k)`, `(1, k)`), or `.csv` (comma-separated numbers, an optional header row).
//! Every value is checked finite; shapes are checked against each other.
use crate::quant::{FloatDataset, FloatModel};
use anyhow::{bail, ensure, Context, Result};
use ndarray::{Array1, Array2, ArrayD, Dimension, Ix2};
use ndarray_npy::{read_npy, write_npy};
use std::path::{Path, PathBuf};

/// The header of a `.npy` file: element type (`f8`, `i4`, … without the byte order), its size, the shape, and
/// where the data starts.
struct NpyHeader {
    kind: String,
    item_size: u64,
    shape: Vec<u64>,
    data_offset: u64,
}

/// Reads a `.npy` header (format versions 1–3) without trusting it: the shape it claims is only used to bound
/// what the array reader may allocate.
fn npy_header(bytes: &[u8], path: &Path) -> Result<NpyHeader> {
    let bad = |why: &str| anyhow::anyhow!("{} is not a numeric .npy array (f64, f32, i64 or i32): {why}", path.display());
    if !bytes.starts_with(b"\x93NUMPY") || bytes.len() < 10 {
        return Err(bad("no .npy magic"));
    }
    let (len, start): (usize, usize) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12),
        v => return Err(bad(&format!("unsupported format version {v}"))),
    };
    let header = bytes.get(start..start.saturating_add(len)).ok_or_else(|| bad("truncated header"))?;
    let header = std::str::from_utf8(header).map_err(|_| bad("header is not text"))?;
    let field = |key: &str| header.find(key).map(|i| &header[i + key.len()..]).ok_or_else(|| bad(&format!("no {key} in header")));
    let descr = field("'descr':")?.trim_start();
    let descr = descr.strip_prefix('\'').and_then(|d| d.split('\'').next()).ok_or_else(|| bad("unreadable descr"))?;
    let kind = descr.trim_start_matches(['<', '>', '|', '=']);
    let item_size = kind.get(1..).and_then(|n| n.parse::<u64>().ok()).ok_or_else(|| bad("unreadable descr"))?;
    let shape = field("'shape':")?.trim_start();
    let shape = shape.strip_prefix('(').and_then(|t| t.split(')').next()).ok_or_else(|| bad("unreadable shape"))?;
    let shape = shape
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| d.trim_end_matches('L').parse::<u64>().map_err(|_| bad(&format!("shape dimension {d:?}"))))
        .collect::<Result<Vec<_>>>()?;
    Ok(NpyHeader { kind: kind.to_string(), item_size, shape, data_offset: (start + len) as u64 })
}

fn read_npy_any(path: &Path) -> Result<ArrayD<f64>> {
    // Bound the allocation by the file: a header may claim any shape, and the array reader would allocate
    // for it before finding the data missing.
    let cannot_read = || format!("cannot read {}", path.display());
    let file = std::fs::File::open(path).with_context(cannot_read)?;
    let file_len = file.metadata().with_context(cannot_read)?.len();
    let mut head = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, 1 << 20), &mut head).with_context(cannot_read)?;
    let h = npy_header(&head, path)?;
    let needed = h.shape.iter().try_fold(h.item_size, |acc, &d| acc.checked_mul(d));
    let available = file_len.saturating_sub(h.data_offset);
    match needed {
        Some(n) if n <= available => {}
        _ => bail!(
            "{}'s header claims shape {:?} of {}-byte values ({} bytes), but the file holds {available} bytes of data: it is truncated or corrupt",
            path.display(),
            h.shape,
            h.item_size,
            needed.map_or("more than 2^64".to_string(), |n| n.to_string())
        ),
    }
    // The header names the element type, so the file is read once, as that type.
    let not_numeric = |e: ndarray_npy::ReadNpyError| {
        anyhow::anyhow!("{} is not a numeric .npy array (f64, f32, i64 or i32): {e}", path.display())
    };
    match h.kind.as_str() {
        "f8" => read_npy::<_, ArrayD<f64>>(path).map_err(not_numeric),
        "f4" => read_npy::<_, ArrayD<f32>>(path).map(|a| a.mapv(f64::from)).map_err(not_numeric),
        "i8" => read_npy::<_, ArrayD<i64>>(path).map(|a| a.mapv(|v| v as f64)).map_err(not_numeric),
        "i4" => read_npy::<_, ArrayD<i32>>(path).map(|a| a.mapv(f64::from)).map_err(not_numeric),
        other => bail!("{} is not a numeric .npy array (f64, f32, i64 or i32): it holds {other:?} values", path.display()),
    }
}

/// A CSV of numbers. A UTF-8 byte-order mark (as spreadsheet programs write) is skipped. The first row is a
/// header only if none of its cells is a number (it is then reported on stderr); any other row with a cell
/// that is not a number is an error, so no data row is ever dropped silently.
fn read_csv(path: &Path) -> Result<ArrayD<f64>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut seen_first = false;
    for (line_no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(|c| c.trim().trim_matches('"')).collect();
        let first = !seen_first;
        seen_first = true;
        if first && cells.iter().all(|c| c.parse::<f64>().is_err()) {
            eprintln!("note: {}: row 1 read as a header ({line})", path.display());
            continue;
        }
        let row = cells
            .iter()
            .enumerate()
            .map(|(col, c)| {
                c.parse::<f64>().map_err(|_| {
                    anyhow::anyhow!(
                        "{}:{}: column {} is {c:?}, not a number{}",
                        path.display(),
                        line_no + 1,
                        col + 1,
                        if first { " (a header row must have no numeric cells)" } else { "" }
                    )
                })
            })
            .collect::<Result<Vec<f64>>>()?;
        rows.push(row);
    }
    ensure!(!rows.is_empty(), "{} holds no rows", path.display());
    let cols = rows[0].len();
    if let Some(i) = rows.iter().position(|r| r.len() != cols) {
        bail!("{}: data row {} has {} columns, the first has {cols}", path.display(), i + 1, rows[i].len());
    }
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
/// A model of any kind: a `zkml-model/1` JSON file (or a directory holding `model.json`), or a directory with
/// `W` and `b` (a linear regression).
pub fn load_trained_model(path: &Path) -> Result<zkml_circuits::models::TrainedModel> {
    use zkml_circuits::models::{Network, TrainedModel};
    if path.is_file() {
        return TrainedModel::load(path);
    }
    let json = path.join("model.json");
    if json.is_file() {
        return TrainedModel::load(&json);
    }
    let m = load_model(path)?;
    Ok(TrainedModel::Network(Network::linear_regression(m.w, m.b)))
}

/// Writes a decrypted model of any kind as `DIR/model.json` (`zkml-quantized-model/1`): its kind, its integer
/// parameters in layout order (`zkml_primitives::model`) and the dataset scales its inputs are quantized at. It is
/// the model exactly as proven: evaluate it with the same integer arithmetic (`QuantizedModel::outputs`).
pub fn save_quantized_model(dir: &Path, model: &zkml_circuits::models::QuantizedModel, scales: &zkml_primitives::dataset::Scales) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join("model.json");
    let value = serde_json::json!({
        "format": "zkml-quantized-model/1",
        "kind": zkml_circuits::models::kind_spec(&model.kind),
        "params": model.params,
        "x_frac_bits": scales.x_frac_bits,
        "y_frac_bits": scales.y_frac_bits,
    });
    std::fs::write(&path, serde_json::to_vec_pretty(&value)?).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Whether `path` holds a model of another kind than a `W`/`b` linear regression.
pub fn is_network_file(path: &Path) -> bool {
    path.is_file() || path.join("model.json").is_file()
}

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
