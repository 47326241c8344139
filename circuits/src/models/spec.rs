//! Model kinds as short text, for command lines and files: `linear`, `linear:classes=2`, `mlp:64,32`,
//! `mlp:32:classes=10`, `trees:100:depth=6`, `trees:100:depth=6:classes=2`. A kind without `classes=` is a
//! regressor.
use anyhow::{bail, Context, Result};
use zkml_primitives::model::{ModelKind, Task};

pub fn parse_kind(spec: &str) -> Result<ModelKind> {
    let mut parts = spec.trim().split(':');
    let head = parts.next().unwrap_or_default();
    if !["linear", "mlp", "trees"].contains(&head) {
        bail!("unsupported model kind {head:?}: linear, mlp or trees (e.g. linear:classes=2, mlp:64,32:classes=10, trees:100:depth=6)");
    }
    let mut hidden = None;
    let (mut trees, mut depth) = (None, None);
    let mut task = Task::Regression;
    for part in parts {
        if let Some(k) = part.strip_prefix("classes=") {
            let classes = k.parse::<u32>().with_context(|| format!("{spec:?}: classes={k} is not a number"))?;
            task = Task::Classification { classes };
        } else if let (Some(d), "trees") = (part.strip_prefix("depth="), head) {
            depth = Some(d.parse::<u32>().with_context(|| format!("{spec:?}: depth={d} is not a number"))?);
        } else if head == "trees" && trees.is_none() {
            trees = Some(part.parse::<u32>().with_context(|| format!("{spec:?}: the tree count {part:?} is not a number"))?);
        } else if head == "mlp" && hidden.is_none() {
            let widths = part
                .split(',')
                .map(|w| w.trim().parse::<u32>().with_context(|| format!("{spec:?}: hidden width {w:?} is not a number")))
                .collect::<Result<Vec<_>>>()?;
            hidden = Some(widths);
        } else {
            bail!("{spec:?}: unexpected {part:?} (kinds look like linear, linear:classes=2, mlp:64,32, mlp:32:classes=10)");
        }
    }
    match (head, hidden) {
        ("linear", None) => Ok(ModelKind::Linear { task }),
        ("mlp", Some(hidden)) => Ok(ModelKind::Mlp { hidden, task }),
        ("mlp", None) => bail!("{spec:?}: an MLP needs its hidden widths, e.g. mlp:64,32"),
        ("trees", None) => match (trees, depth) {
            (Some(trees), Some(depth)) => Ok(ModelKind::Trees { trees, depth, task }),
            _ => bail!("{spec:?}: a tree ensemble needs its tree count and depth, e.g. trees:100:depth=6"),
        },
        (other, _) => bail!("unsupported model kind {other:?}: linear, mlp or trees"),
    }
}

pub fn kind_spec(kind: &ModelKind) -> String {
    let task = match kind.task() {
        Task::Regression => String::new(),
        Task::Classification { classes } => format!(":classes={classes}"),
    };
    match kind {
        ModelKind::Linear { .. } => format!("linear{task}"),
        ModelKind::Mlp { hidden, .. } => {
            let h: Vec<String> = hidden.iter().map(u32::to_string).collect();
            format!("mlp:{}{task}", h.join(","))
        }
        ModelKind::Trees { trees, depth, .. } => format!("trees:{trees}:depth={depth}{task}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_round_trip_and_errors_are_named() {
        for s in ["linear", "linear:classes=2", "mlp:64,32", "mlp:32:classes=10", "trees:100:depth=6", "trees:30:depth=4:classes=3"] {
            assert_eq!(kind_spec(&parse_kind(s).unwrap()), s);
        }
        assert_eq!(parse_kind("linear").unwrap(), ModelKind::LINEAR_REGRESSION);
        assert!(parse_kind("mlp").unwrap_err().to_string().contains("hidden widths"));
        assert!(parse_kind("tree:6").unwrap_err().to_string().contains("unsupported model kind"));
        assert!(parse_kind("trees:100").unwrap_err().to_string().contains("tree count and depth"));
        assert!(parse_kind("trees:x:depth=6").unwrap_err().to_string().contains("not a number"));
        assert!(parse_kind("mlp:3,x").unwrap_err().to_string().contains("not a number"));
    }
}
