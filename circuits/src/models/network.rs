//! A model as its training library left it: dense layers of floats, ReLU between them, and a task. A linear
//! model (linear or logistic regression, a linear SVM) is one layer; an MLP is several.
//!
//! The file format (`zkml-model/1`, JSON) is what `examples/export_model.py` writes from scikit-learn,
//! XGBoost-free estimators and PyTorch `nn.Sequential` stacks of `Linear`/`ReLU`:
//! ```json
//! {"format": "zkml-model/1", "kind": "mlp", "task": "classification", "classes": 10,
//!  "activation": "relu", "layers": [{"weights": [[…], …], "bias": […]}, …]}
//! ```
//! `weights` is `inputs × outputs` (scikit-learn's `coefs_` orientation; the transpose of `coef_` and of a
//! PyTorch `Linear.weight`). A binary classifier may have one output (the logit of class 1, as scikit-learn's
//! `LogisticRegression`, `LinearSVC` and `MLPClassifier` do); it is read as the two logits `[0, z]`, whose
//! first argmax is class 1 exactly when `z > 0`, scikit-learn's rule.
use anyhow::{bail, ensure, Context, Result};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use serde::{Deserialize, Serialize};
use zkml_primitives::model::{ModelKind, Task, MAX_CLASSES};

pub const FORMAT: &str = "zkml-model/1";

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DenseFile {
    pub weights: Vec<Vec<f64>>,
    pub bias: Vec<f64>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    /// `linear` or `mlp`.
    pub kind: String,
    /// `regression` or `classification`.
    pub task: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<u32>,
    /// Hidden-layer activation of an MLP: only `relu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<String>,
    pub layers: Vec<DenseFile>,
    /// Where the model came from (free text, e.g. the estimator's class), reported, not interpreted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One dense layer: `z = a · w + b`, `w` is `inputs × outputs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    pub w: Array2<f64>,
    pub b: Array1<f64>,
}

/// Dense layers with ReLU between them, and the task of the last layer's outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub task: Task,
    pub layers: Vec<Dense>,
}

impl Network {
    /// A linear model `x · w + b` for regression.
    pub fn linear_regression(w: Array2<f64>, b: Array1<f64>) -> Self {
        Self { task: Task::Regression, layers: vec![Dense { w, b }] }
    }

    pub fn from_file(file: &ModelFile) -> Result<Self> {
        ensure!(file.format == FORMAT, "model format {:?} is not {FORMAT:?}", file.format);
        let task = match (file.task.as_str(), file.classes) {
            ("regression", None) => Task::Regression,
            ("regression", Some(_)) => bail!("a regression model has no \"classes\""),
            ("classification", Some(k)) if (2..=MAX_CLASSES).contains(&k) => Task::Classification { classes: k },
            ("classification", _) => bail!("a classifier needs \"classes\" between 2 and {MAX_CLASSES}"),
            (t, _) => bail!("unsupported task {t:?}: regression or classification"),
        };
        match (file.kind.as_str(), file.layers.len(), file.activation.as_deref()) {
            ("linear", 1, None) => {}
            ("linear", n, _) => bail!("a linear model has exactly one layer and no activation (got {n} layers)"),
            ("mlp", n, Some("relu")) if n >= 2 => {}
            ("mlp", _, Some(a)) if a != "relu" => bail!("unsupported activation {a:?}: only relu"),
            ("mlp", _, _) => bail!("an MLP has at least two layers and \"activation\": \"relu\""),
            (k, _, _) => bail!("unsupported model kind {k:?}: linear or mlp"),
        }
        let mut layers = Vec::with_capacity(file.layers.len());
        for (l, d) in file.layers.iter().enumerate() {
            let rows = d.weights.len();
            let cols = d.weights.first().map_or(0, Vec::len);
            ensure!(rows > 0 && cols > 0, "layer {l}: empty weights");
            ensure!(d.weights.iter().all(|r| r.len() == cols), "layer {l}: weight rows of different lengths");
            ensure!(d.bias.len() == cols, "layer {l}: {} biases for {cols} outputs", d.bias.len());
            let values = d.weights.iter().flatten().chain(&d.bias);
            ensure!(values.clone().all(|v| v.is_finite()), "layer {l}: a weight or bias is not a finite number");
            let w = Array2::from_shape_vec((rows, cols), d.weights.concat()).context("weights")?;
            layers.push(Dense { w, b: Array1::from(d.bias.clone()) });
        }
        for l in 1..layers.len() {
            ensure!(
                layers[l].w.nrows() == layers[l - 1].w.ncols(),
                "layer {l} takes {} inputs but layer {} has {} outputs",
                layers[l].w.nrows(),
                l - 1,
                layers[l - 1].w.ncols()
            );
        }
        let last = layers.last_mut().expect("at least one layer");
        if let Task::Classification { classes } = task {
            if classes == 2 && last.w.ncols() == 1 {
                // [0, z]: class 1 exactly when z > 0.
                let z = last.w.column(0).to_owned();
                last.w = ndarray::stack(Axis(1), &[Array1::zeros(z.len()).view(), z.view()]).expect("equal lengths");
                last.b = Array1::from(vec![0.0, last.b[0]]);
            }
            ensure!(last.w.ncols() == classes as usize, "the last layer has {} outputs for {classes} classes", last.w.ncols());
        }
        Ok(Self { task, layers })
    }

    pub fn load(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file: ModelFile = serde_json::from_str(&text).with_context(|| format!("{} is not a zkml model file", path.display()))?;
        Self::from_file(&file).with_context(|| format!("model file {}", path.display()))
    }

    pub fn to_file(&self) -> ModelFile {
        let kind = if self.layers.len() == 1 { "linear" } else { "mlp" };
        let (task, classes) = match self.task {
            Task::Regression => ("regression", None),
            Task::Classification { classes } => ("classification", Some(classes)),
        };
        ModelFile {
            format: FORMAT.into(),
            kind: kind.into(),
            task: task.into(),
            classes,
            activation: (self.layers.len() > 1).then(|| "relu".into()),
            layers: self
                .layers
                .iter()
                .map(|d| DenseFile { weights: d.w.outer_iter().map(|r| r.to_vec()).collect(), bias: d.b.to_vec() })
                .collect(),
            source: None,
        }
    }

    pub fn inputs(&self) -> usize {
        self.layers[0].w.nrows()
    }

    pub fn kind(&self) -> ModelKind {
        if self.layers.len() == 1 {
            ModelKind::Linear { task: self.task }
        } else {
            let hidden = self.layers[..self.layers.len() - 1].iter().map(|d| d.w.ncols() as u32).collect();
            ModelKind::Mlp { hidden, task: self.task }
        }
    }

    /// Every layer's affine output for one sample (ReLU applied between layers, not to the last).
    pub fn pre_activations(&self, x: ArrayView1<f64>) -> Vec<Array1<f64>> {
        let mut out = Vec::with_capacity(self.layers.len());
        let mut a = x.to_owned();
        for (l, d) in self.layers.iter().enumerate() {
            let z = a.dot(&d.w) + &d.b;
            if l + 1 < self.layers.len() {
                a = z.mapv(|v| v.max(0.0));
            }
            out.push(z);
        }
        out
    }

    /// The outputs for one sample.
    pub fn forward(&self, x: ArrayView1<f64>) -> Array1<f64> {
        self.pre_activations(x).pop().expect("at least one layer")
    }

    /// The predicted class of each row (first argmax of the logits).
    pub fn predict_classes(&self, x: &Array2<f64>) -> Vec<usize> {
        x.outer_iter().map(|row| super::first_argmax_f64(&self.forward(row))).collect()
    }
}
