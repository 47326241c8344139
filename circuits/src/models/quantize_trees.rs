//! Quantization of a [`TreeEnsemble`] and its integer evaluation (the circuit's
//! [`crate::gadgets::tree_path`] computes exactly [`QuantizedModel::tree_outputs`]).
//!
//! # Thresholds
//! Feature `j` is stored as `x_q = round(x · 2^fx_j)`; a node becomes the integer `t_q` with "left iff
//! `x_q ≤ t_q`". Every grid cell `g` (the raw values that round to `g`) lies wholly on one side of `t` except the
//! cell `g* = round(t · 2^fx_j)` that contains it, so only `g*`'s side is a choice:
//! - by default the float decision at the grid point itself (`g*/2^fx_j ≤ t`, or `< t`): `t_q = ⌊t·2^fx_j⌋` for a
//!   `≤` split and `⌈t·2^fx_j⌉ − 1` for a `<` split, so that the quantized tree takes exactly the float tree's
//!   path on the stored values;
//! - but when calibration rows (the competitor's training data, quantized at the dataset's scales) fall in
//!   `g*`, the side most of them take in the float tree. This matters: histogram-based boosters (XGBoost,
//!   LightGBM) cut *at* training values, so test values sit exactly on thresholds, and the grid point of such
//!   a value must go where the value goes, not where its rounded image would.
//!
//! Thresholds beyond `±2^14` (every stored value) are clamped to `[−2^15, 2^15)`, which keeps every decision.
//!
//! # Leaves
//! Regression leaves are at the dataset's residual scale `2^(fy + 16)` (the circuit subtracts the sum from
//! `y·2^16`); classification scores at the finest power of two that fits the largest leaf into [`LEAF_BITS`].
//! The base score of group `g` is added to the leaves of its first tree (tree `g`). Trees shallower than the
//! kind's depth are completed below each early leaf by nodes that always go left (`t = 2^15 − 1`), whose
//! leaves repeat the value; missing trees are all-zero.
use super::{
    quantize::{fit_exponent, quantize, QuantizedModel},
    trees::{NodeFile, Split, TreeEnsemble},
};
use crate::gadgets::tree_path::leaf_index;
use anyhow::{bail, ensure, Result};
use ark_bn254::Fr;
use ndarray::Array2;
use zkml_primitives::{
    dataset::{pack, signed_range, unpack, Scales, Shape},
    encoding::fr_to_bytes,
    model::{ModelKind, Task, TreeLayout, LEAF_BITS, THRESHOLD_BITS},
};

/// `t_q` for a threshold on a feature at `2^scale`, given the calibration values of that feature (see the
/// module docs).
pub fn quantize_threshold(t: f64, scale: i32, split: Split, calibration: &[f64]) -> i64 {
    let (lo, hi) = signed_range(THRESHOLD_BITS);
    let unit = 2f64.powi(scale);
    let s = t * unit;
    let goes_left = |x: f64| match split {
        Split::LessOrEqual => x <= t,
        Split::Less => x < t,
    };
    let grid = match split {
        Split::LessOrEqual => s.floor(),
        Split::Less => s.ceil() - 1.0,
    };
    let cell = s.round();
    let (mut left, mut right) = (0usize, 0usize);
    for x in calibration.iter().filter(|x| (*x * unit).round() == cell) {
        if goes_left(*x) {
            left += 1;
        } else {
            right += 1;
        }
    }
    let q = match left.cmp(&right) {
        core::cmp::Ordering::Greater => cell,
        core::cmp::Ordering::Less => cell - 1.0,
        core::cmp::Ordering::Equal => grid,
    };
    q.clamp(lo as f64, hi as f64) as i64
}

impl QuantizedModel {
    /// Quantizes `ens` as a tree ensemble of `kind` (at least the ensemble's own trees per group and depth) for a
    /// dataset with `scales`, placing thresholds by the rows of `calibration` (`· × p` floats; may be empty).
    pub fn from_trees(ens: &TreeEnsemble, kind: &ModelKind, shape: &Shape, scales: &Scales, calibration: &Array2<f64>) -> Result<Self> {
        kind.validate(shape, scales.y_frac_bits).map_err(|e| anyhow::anyhow!("{e}"))?;
        let layout = kind.tree_layout(shape).ok_or_else(|| anyhow::anyhow!("{kind:?} is not a tree ensemble"))?;
        ensure!(ens.task == kind.task(), "the model's task ({:?}) is not the kind's ({:?})", ens.task, kind.task());
        ensure!(ens.features <= shape.p as usize, "the model uses {} features, the dataset has {}", ens.features, shape.p);
        ensure!(ens.groups() == layout.groups, "the model has {} output groups, the kind {}", ens.groups(), layout.groups);
        let own = ens.kind();
        let ModelKind::Trees { trees: own_trees, depth: own_depth, .. } = own else { unreachable!("an ensemble's kind") };
        ensure!(
            own_trees as usize <= layout.trees && own_depth <= layout.depth,
            "the model needs {own_trees} trees of depth {own_depth}; the kind has {} of depth {}",
            layout.trees,
            layout.depth
        );
        // Slot τ holds the (τ / G)-th tree of group τ mod G.
        let mut slots: Vec<Option<usize>> = vec![None; layout.trees];
        for g in 0..layout.groups {
            for (k, (i, _)) in ens.trees.iter().enumerate().filter(|(_, t)| t.group == g).enumerate() {
                slots[k * layout.groups + g] = Some(i);
            }
        }
        // The base score of group g is added to the leaves of its first tree, slot g.
        let base_of = |slot: usize| if slot < layout.groups { ens.base[slot] } else { 0.0 };
        let scale = match ens.task {
            Task::Regression => scales.residual_frac_bits(),
            Task::Classification { .. } => {
                let mut max_abs: f64 = 0.0;
                for (slot, tree) in slots.iter().enumerate() {
                    max_abs = max_abs.max(base_of(slot).abs());
                    for n in tree.map(|i| &ens.trees[i].nodes[..]).unwrap_or(&[]) {
                        if let NodeFile::Leaf { value } = n {
                            max_abs = max_abs.max((value + base_of(slot)).abs());
                        }
                    }
                }
                // All zeros quantize exactly at any scale.
                match fit_exponent(max_abs, LEAF_BITS) {
                    i32::MAX => 0,
                    e => e,
                }
            }
        };
        ensure!(calibration.nrows() == 0 || calibration.ncols() == shape.p as usize, "calibration rows have {} features", calibration.ncols());
        let columns: Vec<Vec<f64>> = if calibration.nrows() == 0 {
            vec![Vec::new(); shape.p as usize]
        } else {
            calibration.columns().into_iter().map(|c| c.to_vec()).collect()
        };
        let always_left = signed_range(THRESHOLD_BITS).1 as i64;
        let mut nodes = Vec::with_capacity(layout.nodes());
        let mut leaves = Vec::with_capacity(layout.leaves());
        for (slot, tree) in slots.iter().enumerate() {
            let base = base_of(slot);
            let mut tree_nodes = vec![(0u32, always_left); layout.nodes_per_tree];
            let mut tree_leaves = vec![0.0f64; layout.leaves_per_tree];
            if let Some(i) = tree {
                fill(&ens.trees[*i].nodes, 0, 0, 0, &layout, ens.split, scales, &columns, &mut tree_nodes, &mut tree_leaves)?;
            }
            nodes.extend(tree_nodes.iter().map(|(f, t)| layout.encode_node(*f, *t)));
            for (k, v) in tree_leaves.iter().enumerate() {
                leaves.push(quantize(v + base, scale, LEAF_BITS, &format!("tree slot {slot} leaf {k}"))?);
            }
        }
        let mut params = nodes;
        params.extend(leaves);
        Ok(Self { kind: kind.clone(), params, layer_scales: vec![scale], activation_scales: Vec::new(), trees: Some(layout) })
    }

    /// A tree ensemble's parameters packed into the words that are encrypted ([`TreeLayout`]).
    pub(crate) fn tree_field_params(&self, layout: &TreeLayout) -> Vec<Fr> {
        let (nodes, leaves) = self.params.split_at(layout.nodes());
        let mut words = pack(nodes, layout.node_bits);
        words.extend(pack(leaves, LEAF_BITS));
        words
    }

    /// Unpacks decrypted words; a word with bits beyond its values (a wrong key, a corrupted envelope) is refused.
    pub(crate) fn tree_values_from_words(layout: &TreeLayout, words: &[Fr]) -> Result<Vec<i64>> {
        ensure!(words.len() == layout.node_words + layout.leaf_words, "expected {} words, got {}", layout.node_words + layout.leaf_words, words.len());
        let bytes: Vec<[u8; 32]> = words.iter().map(fr_to_bytes).collect();
        let (node_words, leaf_words) = bytes.split_at(layout.node_words);
        let unpacked = |w: &[[u8; 32]], count, bits| {
            unpack(w, count, bits).map_err(|e| anyhow::anyhow!("{e}: wrong key or corrupted envelope"))
        };
        let mut values = unpacked(node_words, layout.nodes(), layout.node_bits)?;
        values.extend(unpacked(leaf_words, layout.leaves(), LEAF_BITS)?);
        Ok(values)
    }

    /// The outputs for one sample, exactly as the circuit computes them: class logits (`[0, s]` for two classes)
    /// or regression predictions at the residual scale.
    pub(crate) fn tree_outputs(&self, layout: &TreeLayout, x_q: &[i64]) -> Vec<i128> {
        let (nodes, leaves) = self.params.split_at(layout.nodes());
        let mut groups = vec![0i128; layout.groups];
        for tau in 0..layout.trees {
            let tree_nodes = &nodes[tau * layout.nodes_per_tree..(tau + 1) * layout.nodes_per_tree];
            let leaf = leaf_index(layout.depth, x_q, |j| layout.decode_node(tree_nodes[j]));
            groups[tau % layout.groups] += leaves[tau * layout.leaves_per_tree + leaf] as i128;
        }
        if layout.groups == 1 && matches!(self.kind.task(), Task::Classification { .. }) {
            return vec![0, groups[0]];
        }
        groups
    }
}

/// Writes float node `j` (at breadth-first position `pos` of level `level`) and everything below it into the
/// complete tree, padding early leaves.
#[allow(clippy::too_many_arguments)]
fn fill(
    nodes: &[NodeFile],
    j: usize,
    level: u32,
    pos: usize,
    layout: &TreeLayout,
    split: Split,
    scales: &Scales,
    columns: &[Vec<f64>],
    out_nodes: &mut [(u32, i64)],
    out_leaves: &mut [f64],
) -> Result<()> {
    match nodes[j] {
        NodeFile::Leaf { value } => {
            // Every leaf below position `pos` of level `level` holds the value; the padding nodes go left.
            let span = 1usize << (layout.depth - level);
            let first = pos * span;
            out_leaves[first..first + span].iter_mut().for_each(|v| *v = value);
            Ok(())
        }
        NodeFile::Split { feature, threshold, left, right } => {
            if level >= layout.depth {
                bail!("a tree is deeper than the kind's {} levels", layout.depth);
            }
            let scale = scales.x_frac_bits[feature as usize];
            out_nodes[(1usize << level) - 1 + pos] = (feature, quantize_threshold(threshold, scale, split, &columns[feature as usize]));
            fill(nodes, left, level + 1, 2 * pos, layout, split, scales, columns, out_nodes, out_leaves)?;
            fill(nodes, right, level + 1, 2 * pos + 1, layout, split, scales, columns, out_nodes, out_leaves)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_keep_every_decision_on_the_stored_grid() {
        // For every stored x_q and a threshold between, on, and off the grid, the integer decision equals the
        // float decision on x_q / 2^s.
        for s in [-3i32, 0, 4, 10] {
            for t in [-2.5f64, -1.0, 0.0, 0.3, 1.0, 7.75, 1e9, -1e9] {
                for split in [Split::LessOrEqual, Split::Less] {
                    let tq = quantize_threshold(t, s, split, &[]);
                    for xq in -600i64..600 {
                        let x = xq as f64 * 2f64.powi(-s);
                        let float_left = match split {
                            Split::LessOrEqual => x <= t,
                            Split::Less => x < t,
                        };
                        assert_eq!(xq <= tq, float_left, "s={s} t={t} {split:?} x_q={xq}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_cut_at_a_training_value_keeps_that_value_on_its_side() {
        // XGBoost cuts at a training value: x < 0.3 goes left, x = 0.3 goes right. At scale 2^3, 0.3 is 2.4 and
        // rounds to grid point 2, whose exact image 0.25 goes left; but the rows that round there are mostly
        // exactly 0.3, so grid point 2 goes right (t_q = 1).
        assert_eq!(quantize_threshold(0.3, 3, Split::Less, &[]), 2);
        assert_eq!(quantize_threshold(0.3, 3, Split::Less, &[0.3, 0.3, 0.26, 0.1, 0.9]), 1);
        // Rows in the cell that mostly go left keep it left; a tie keeps the exact-on-grid rule.
        assert_eq!(quantize_threshold(0.3, 3, Split::Less, &[0.26, 0.27, 0.3]), 2);
        assert_eq!(quantize_threshold(0.3, 3, Split::Less, &[0.26, 0.3]), 2);
        // scikit-learn's midpoint 0.31 between 0.28 and 0.34 (cell 2.48 → 2): both training values keep their side.
        let t = quantize_threshold(0.31, 3, Split::LessOrEqual, &[0.28, 0.34]);
        assert!((0.28f64 * 8.0).round() as i64 <= t && (0.34f64 * 8.0).round() as i64 > t);
    }
}
