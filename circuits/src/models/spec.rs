//! Model kinds as short text, for command lines and files: `linear`, `linear:classes=2`, `mlp:64,32`,
//! `mlp:32:classes=10`. A kind without `classes=` is a regressor.
use anyhow::{bail, Context, Result};
use zkml_primitives::model::{ModelKind, Task};

pub fn parse_kind(spec: &str) -> Result<ModelKind> {
    let mut parts = spec.trim().split(':');
    let head = parts.next().unwrap_or_default();
    if head != "linear" && head != "mlp" {
        bail!("unsupported model kind {head:?}: linear or mlp (e.g. linear:classes=2, mlp:64,32:classes=10)");
    }
    let mut hidden = None;
    let mut task = Task::Regression;
    for part in parts {
        if let Some(k) = part.strip_prefix("classes=") {
            let classes = k.parse::<u32>().with_context(|| format!("{spec:?}: classes={k} is not a number"))?;
            task = Task::Classification { classes };
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
        (other, _) => bail!("unsupported model kind {other:?}: linear or mlp (e.g. linear:classes=2, mlp:64,32:classes=10)"),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_round_trip_and_errors_are_named() {
        for s in ["linear", "linear:classes=2", "mlp:64,32", "mlp:32:classes=10"] {
            assert_eq!(kind_spec(&parse_kind(s).unwrap()), s);
        }
        assert_eq!(parse_kind("linear").unwrap(), ModelKind::LINEAR_REGRESSION);
        assert!(parse_kind("mlp").unwrap_err().to_string().contains("hidden widths"));
        assert!(parse_kind("tree:6").unwrap_err().to_string().contains("unsupported model kind"));
        assert!(parse_kind("mlp:3,x").unwrap_err().to_string().contains("not a number"));
    }
}
