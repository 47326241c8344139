//! Decision trees and tree ensembles as their libraries leave them, read from a `zkml-model/1` file of kind
//! `trees` (what `examples/export_model.py` writes from scikit-learn's trees, forests and gradient boosting,
//! XGBoost and LightGBM):
//! ```json
//! {"format": "zkml-model/1", "kind": "trees", "task": "classification", "classes": 3, "split": "le",
//!  "base": [b_0, …], "trees": [{"group": g, "nodes": [{"feature": j, "threshold": t, "left": 1, "right": 2},
//!  {"value": v}, …]}, …]}
//! ```
//! Node 0 is a tree's root; an internal node's children come after it in the list (so no list can loop).
//! `split` is `le` (left iff `x ≤ t`: scikit-learn, LightGBM) or `lt` (left iff `x < t`: XGBoost). Output group
//! `g` is `base[g] + Σ` the leaves reached in the trees of group `g`; groups are the targets of a regressor,
//! one score for two classes (class 1 iff the score is `> 0`), or one per class for more (first argmax).
use anyhow::{bail, ensure, Context, Result};
use ndarray::{Array1, ArrayView1};
use serde::{Deserialize, Serialize};
use zkml_primitives::model::{ModelKind, Task, MAX_CLASSES, MAX_TREES, MAX_TREE_DEPTH};

/// A node as the file holds it: a split (`feature`, `threshold`, `left`, `right`) or a leaf (`value`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(try_from = "RawNode", into = "RawNode")]
pub enum NodeFile {
    Split { feature: u32, threshold: f64, left: usize, right: usize },
    Leaf { value: f64 },
}

/// The JSON object of a node. (Read as one struct rather than an untagged enum: serde buffers an untagged
/// enum's content, and with serde_json's `arbitrary_precision` — which `sp-genesis-builder` turns on whenever
/// the whole workspace is built — buffered floats such as `6.19e-05` no longer read as `f64`.)
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feature: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    left: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    right: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
}

impl TryFrom<RawNode> for NodeFile {
    type Error = String;
    fn try_from(n: RawNode) -> Result<Self, String> {
        match n {
            RawNode { feature: Some(feature), threshold: Some(threshold), left: Some(left), right: Some(right), value: None } => {
                Ok(Self::Split { feature, threshold, left, right })
            }
            RawNode { feature: None, threshold: None, left: None, right: None, value: Some(value) } => Ok(Self::Leaf { value }),
            _ => Err("a node is either {feature, threshold, left, right} or {value}".into()),
        }
    }
}

impl From<NodeFile> for RawNode {
    fn from(n: NodeFile) -> Self {
        match n {
            NodeFile::Split { feature, threshold, left, right } => {
                RawNode { feature: Some(feature), threshold: Some(threshold), left: Some(left), right: Some(right), value: None }
            }
            NodeFile::Leaf { value } => RawNode { value: Some(value), ..Default::default() },
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TreeFile {
    pub group: u32,
    pub nodes: Vec<NodeFile>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TreesFile {
    pub format: String,
    pub kind: String,
    pub task: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes: Option<u32>,
    pub split: String,
    pub base: Vec<f64>,
    pub trees: Vec<TreeFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// How a node compares: left iff `x ≤ t` or iff `x < t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    LessOrEqual,
    Less,
}

/// A validated tree: nodes as in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    pub group: usize,
    pub nodes: Vec<NodeFile>,
}

impl Tree {
    /// Levels of decisions on the longest path.
    pub fn depth(&self) -> u32 {
        fn walk(nodes: &[NodeFile], j: usize) -> u32 {
            match nodes[j] {
                NodeFile::Leaf { .. } => 0,
                NodeFile::Split { left, right, .. } => 1 + walk(nodes, left).max(walk(nodes, right)),
            }
        }
        walk(&self.nodes, 0)
    }

    pub fn leaf_value(&self, split: Split, x: ArrayView1<f64>) -> f64 {
        let mut j = 0;
        loop {
            match self.nodes[j] {
                NodeFile::Leaf { value } => return value,
                NodeFile::Split { feature, threshold, left, right } => {
                    let v = x[feature as usize];
                    let go_left = match split {
                        Split::LessOrEqual => v <= threshold,
                        Split::Less => v < threshold,
                    };
                    j = if go_left { left } else { right };
                }
            }
        }
    }
}

/// A tree ensemble: `outputs[g] = base[g] + Σ_{trees of group g} leaf`.
#[derive(Clone, Debug, PartialEq)]
pub struct TreeEnsemble {
    pub task: Task,
    pub split: Split,
    pub base: Vec<f64>,
    pub trees: Vec<Tree>,
    pub features: usize,
}

impl TreeEnsemble {
    /// Reads and checks a file: every index in range, children after their parent, finite numbers, groups
    /// matching the task, at most [`MAX_TREE_DEPTH`] levels.
    pub fn from_file(file: &TreesFile, features: Option<usize>) -> Result<Self> {
        ensure!(file.format == super::network::FORMAT, "model format {:?} is not {:?}", file.format, super::network::FORMAT);
        ensure!(file.kind == "trees", "model kind {:?} is not trees", file.kind);
        let task = match (file.task.as_str(), file.classes) {
            ("regression", None) => Task::Regression,
            ("classification", Some(k)) if (2..=MAX_CLASSES).contains(&k) => Task::Classification { classes: k },
            ("classification", _) => bail!("a classifier needs \"classes\" between 2 and {MAX_CLASSES}"),
            ("regression", Some(_)) => bail!("a regression model has no \"classes\""),
            (t, _) => bail!("unsupported task {t:?}: regression or classification"),
        };
        let split = match file.split.as_str() {
            "le" => Split::LessOrEqual,
            "lt" => Split::Less,
            s => bail!("unsupported split {s:?}: \"le\" (left iff x <= threshold) or \"lt\" (left iff x < threshold)"),
        };
        let groups = match task {
            Task::Classification { classes: 2 } => 1,
            Task::Classification { classes } => classes as usize,
            Task::Regression => file.base.len().max(1),
        };
        ensure!(file.base.len() == groups, "\"base\" has {} entries for {groups} output groups", file.base.len());
        ensure!(file.base.iter().all(|b| b.is_finite()), "a base score is not a finite number");
        ensure!(!file.trees.is_empty() && file.trees.len() <= MAX_TREES as usize * groups, "1 to {} trees", MAX_TREES as usize * groups);
        let mut max_feature = 0;
        let mut trees = Vec::with_capacity(file.trees.len());
        for (i, t) in file.trees.iter().enumerate() {
            ensure!((t.group as usize) < groups, "tree {i}: group {} of {groups}", t.group);
            ensure!(!t.nodes.is_empty(), "tree {i} has no nodes");
            for (j, n) in t.nodes.iter().enumerate() {
                match n {
                    NodeFile::Leaf { value } => ensure!(value.is_finite(), "tree {i} node {j}: the leaf value is not finite"),
                    NodeFile::Split { feature, threshold, left, right } => {
                        ensure!(!threshold.is_nan(), "tree {i} node {j}: the threshold is NaN");
                        ensure!(
                            *left > j && *right > j && *left < t.nodes.len() && *right < t.nodes.len() && left != right,
                            "tree {i} node {j}: children must be other nodes listed after it"
                        );
                        max_feature = max_feature.max(*feature as usize + 1);
                    }
                }
            }
            let tree = Tree { group: t.group as usize, nodes: t.nodes.clone() };
            ensure!(tree.depth() <= MAX_TREE_DEPTH, "tree {i} is {} levels deep; at most {MAX_TREE_DEPTH}", tree.depth());
            trees.push(tree);
        }
        if let Some(p) = features {
            ensure!(max_feature <= p, "the model splits on feature {} but the data has {p}", max_feature - 1);
        }
        Ok(Self { task, split, base: file.base.clone(), trees, features: features.unwrap_or(max_feature) })
    }

    pub fn groups(&self) -> usize {
        self.base.len()
    }

    /// The smallest kind that holds the ensemble: trees per group rounded up so each group has as many.
    pub fn kind(&self) -> ModelKind {
        let groups = self.groups();
        let per_group = (0..groups).map(|g| self.trees.iter().filter(|t| t.group == g).count()).max().unwrap_or(0).max(1);
        let depth = self.trees.iter().map(Tree::depth).max().unwrap_or(0).max(1);
        ModelKind::Trees { trees: (per_group * groups) as u32, depth, task: self.task }
    }

    /// Raw group outputs for one sample.
    pub fn group_outputs(&self, x: ArrayView1<f64>) -> Vec<f64> {
        let mut out = self.base.clone();
        for t in &self.trees {
            out[t.group] += t.leaf_value(self.split, x);
        }
        out
    }

    /// Outputs as the other kinds give them: regression predictions, or class logits (`[0, s]` for two classes).
    pub fn forward(&self, x: ArrayView1<f64>) -> Array1<f64> {
        let g = self.group_outputs(x);
        match self.task {
            Task::Classification { classes: 2 } => Array1::from(vec![0.0, g[0]]),
            _ => Array1::from(g),
        }
    }

    pub fn to_file(&self) -> TreesFile {
        let (task, classes) = match self.task {
            Task::Regression => ("regression", None),
            Task::Classification { classes } => ("classification", Some(classes)),
        };
        TreesFile {
            format: super::network::FORMAT.into(),
            kind: "trees".into(),
            task: task.into(),
            classes,
            split: match self.split {
                Split::LessOrEqual => "le".into(),
                Split::Less => "lt".into(),
            },
            base: self.base.clone(),
            trees: self.trees.iter().map(|t| TreeFile { group: t.group as u32, nodes: t.nodes.clone() }).collect(),
            source: None,
        }
    }

    pub fn from_json(text: &str) -> Result<Self> {
        let file: TreesFile = serde_json::from_str(text).context("not a zkml trees model file")?;
        Self::from_file(&file, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"format": "zkml-model/1", "kind": "trees", "task": "classification", "classes": 2, "split": "lt",
        "base": [0.5], "trees": [
          {"group": 0, "nodes": [{"feature": 1, "threshold": 2.0, "left": 1, "right": 2}, {"value": -1.0}, {"value": 1.0}]},
          {"group": 0, "nodes": [{"value": 0.25}]}]}"#;

    #[test]
    fn reads_evaluates_and_refuses() {
        let e = TreeEnsemble::from_json(FILE).unwrap();
        assert_eq!(e.kind(), ModelKind::Trees { trees: 2, depth: 1, task: Task::Classification { classes: 2 } });
        // x[1] = 2 is not < 2: right, 0.5 + 1 + 0.25.
        assert_eq!(e.forward(ndarray::arr1(&[0.0, 2.0]).view()).to_vec(), vec![0.0, 1.75]);
        assert_eq!(e.forward(ndarray::arr1(&[0.0, 1.9]).view()).to_vec(), vec![0.0, -0.25]);
        let bad = [
            (FILE.replace(r#""left": 1"#, r#""left": 0"#), "children"),
            (FILE.replace(r#""split": "lt""#, r#""split": "ge""#), "unsupported split"),
            (FILE.replace(r#""base": [0.5]"#, r#""base": [0.5, 1]"#), "base"),
            (FILE.replace(r#""group": 0, "nodes": [{"value""#, r#""group": 1, "nodes": [{"value""#), "group"),
            (FILE.replace(r#""threshold": 2.0"#, r#""threshold": 2.0, "gain": 3"#), "not a zkml trees model file"),
            (FILE.replace(r#""threshold": 2.0"#, r#""threshold": 2.0, "value": 3"#), "not a zkml trees model file"),
        ];
        // Small floats in exponent notation (scikit-learn writes them) read exactly.
        let tiny = TreeEnsemble::from_json(&FILE.replace(r#""threshold": 2.0"#, r#""threshold": 6.192457294673659e-05"#)).unwrap();
        assert!(matches!(tiny.trees[0].nodes[0], NodeFile::Split { threshold, .. } if threshold == 6.192457294673659e-05));
        for (text, message) in bad {
            let err = format!("{:#}", TreeEnsemble::from_json(&text).unwrap_err());
            assert!(err.contains(message), "{err}");
        }
        let wide = TreeEnsemble::from_file(&serde_json::from_str(FILE).unwrap(), Some(1)).unwrap_err();
        assert!(wide.to_string().contains("feature 1"), "{wide}");
    }
}
