//! Model kinds: what a verifying key is made for besides the dataset shape, and what its proofs measure.
//!
//! A claim proof is for one *model kind* on one *dataset shape*: the circuit evaluates that kind's
//! architecture on every sample and proves a metric under a cap. The kind fixes
//! - the **task**: regression (the dataset's `Y` holds `n` targets; the metric is the sum of squared errors) or
//!   classification into `k` classes (the dataset's `Y` is one column of labels `0..k`, stored at scale `2^0`;
//!   the metric is the number of misclassified samples, so "accuracy ≥ a" is "errors ≤ ⌊(1 − a)·m⌋");
//! - the **architecture**: a linear model, a multilayer perceptron with ReLU hidden layers of given widths, or
//!   an ensemble of decision trees of a given count and depth;
//! - hence the number and order of the model parameters that are encrypted to the organizer.
//!
//! Both metrics are losses (smaller is better) under a `u128` cap, public input 1 of the claim layout, so the
//! bounty statement ("loss ≤ cap") and the competition ranking ("smaller loss ranks first") are the same for
//! every kind. The kind is registered with the key on chain, so a key made for one kind cannot be presented as
//! another's, and a bounty's or competition's key fixes what its proofs measure.
//!
//! ## Parameters, in encryption order
//! - Linear: `W` row-major (`p × o`), then `b` (`o`), where `o = n` for regression and `k` for classification.
//! - MLP with widths `p = h_0, h_1, …, h_L, o`: for each layer `l = 1..=L+1`, `W_l` row-major (`h_{l−1} × h_l`)
//!   then `b_l`; then one rescaling divisor per hidden layer (`d_1 … d_L`).
//! - Trees (`T` trees of depth `D`, [`TreeLayout`]): packed words ([`crate::dataset::pack`]) of every tree's
//!   internal nodes (tree by tree, each in breadth-first order: node `j`'s children are `2j + 1` (left) and
//!   `2j + 2` (right)), each node the signed value `t·2^k + f` of [`TreeLayout::node_bits`] bits (feature `f < 2^k`,
//!   `k = ⌈log2 p⌉`, threshold `t` of [`THRESHOLD_BITS`]); then packed words of every tree's `2^D` leaves, left to
//!   right, of [`LEAF_BITS`] bits each. Packing keeps the encrypted delivery to a few hundred words for a
//!   hundred trees.
//!
//! ## Fixed point (bit widths are protocol constants, range-checked in the circuit)
//! Linear models use [`crate::dataset::W_BITS`] / [`crate::dataset::B_BITS`]. An MLP's hidden activation is
//! `a = ⌊ReLU(z) / d⌋` for the integer pre-activation `z = a_prev · W + b`, with `a ∈ [0, 2^ACT_BITS)`, the
//! divisor `d` a private power of two below `2^(DIV_BITS−1)` (part of the model), weights of [`MLP_W_BITS`] and biases of
//! [`MLP_B_BITS`] bits. Classifiers predict the first index of the largest logit (numpy's `argmax`).
use crate::dataset::{Shape, B_BITS, MAX_FEATURES, W_BITS, X_BITS};
use alloc::vec::Vec;

/// Bits of an MLP hidden activation: `a ∈ [0, 2^ACT_BITS)`.
pub const ACT_BITS: u32 = 24;
/// Bits of an MLP weight (signed).
pub const MLP_W_BITS: u32 = 32;
/// Bits of an MLP bias (signed).
pub const MLP_B_BITS: u32 = 64;
/// Bits of an MLP rescaling divisor (signed, like every parameter): `d = 2^s` with `0 ≤ s ≤ DIV_BITS − 2`.
pub const DIV_BITS: u32 = 48;
/// Most hidden layers an MLP may have.
pub const MAX_HIDDEN_LAYERS: usize = 8;
/// Most classes a classifier may have.
pub const MAX_CLASSES: u32 = 1 << 10;
/// Widest hidden layer.
pub const MAX_WIDTH: u32 = 1 << 12;
/// Bits of a tree threshold (signed): one more than a feature's, so a threshold can lie beyond every value.
pub const THRESHOLD_BITS: u32 = X_BITS + 1;
/// Bits of a tree leaf (signed).
pub const LEAF_BITS: u32 = 48;
/// Most trees in an ensemble.
pub const MAX_TREES: u32 = 1 << 12;
/// Deepest tree (levels of decisions).
pub const MAX_TREE_DEPTH: u32 = 10;

/// What the model predicts, and so which metric its proofs bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Task {
    /// `n` real targets; metric: sum of squared errors at the residual scale.
    Regression,
    /// One label column with values `0..classes`; metric: misclassified samples.
    Classification { classes: u32 },
}

/// The metric a proof bounds by the cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// `Σ r²` over all residuals, in units of `2^(−2F)` ([`crate::dataset`]).
    SumSquaredError,
    /// The number of samples whose predicted class is not their label.
    Misclassified,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// `x · W + b`.
    Linear { task: Task },
    /// ReLU hidden layers of the given widths, then a linear output layer.
    Mlp { hidden: Vec<u32>, task: Task },
    /// `trees` complete binary decision trees of `depth` levels (shallower trees are padded); tree `τ` adds its
    /// leaf to output group `τ mod G` ([`ModelKind::tree_layout`]). A sample goes left at a node iff
    /// `x[f] ≤ t`.
    Trees { trees: u32, depth: u32, task: Task },
}

/// Where a tree ensemble's parts lie in its parameters, and its widths (all derived from the kind and `p`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TreeLayout {
    pub trees: usize,
    pub depth: u32,
    /// Output groups `G`: `n` for regression, 1 for a binary classifier (one score, class 1 iff it is `> 0`,
    /// taken as the logits `[0, s]`), `k` for `k > 2` classes.
    pub groups: usize,
    /// `k = ⌈log2 p⌉`: bits of a feature index.
    pub feature_bits: u32,
    /// `THRESHOLD_BITS + k`: bits of a node value `t·2^k + f`.
    pub node_bits: u32,
    /// `2^D − 1` internal nodes per tree.
    pub nodes_per_tree: usize,
    /// `2^D` leaves per tree.
    pub leaves_per_tree: usize,
    /// Packed words of all nodes, then of all leaves.
    pub node_words: usize,
    pub leaf_words: usize,
}

impl TreeLayout {
    pub fn nodes(&self) -> usize {
        self.trees * self.nodes_per_tree
    }
    pub fn leaves(&self) -> usize {
        self.trees * self.leaves_per_tree
    }
    /// The node value of feature `f` and threshold `t` (both in range).
    pub fn encode_node(&self, feature: u32, threshold: i64) -> i64 {
        (threshold << self.feature_bits) + feature as i64
    }
    /// `(f, t)` of a node value.
    pub fn decode_node(&self, value: i64) -> (u32, i64) {
        ((value & ((1i64 << self.feature_bits) - 1)) as u32, value >> self.feature_bits)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// Fewer than 2 or more than [`MAX_CLASSES`] classes.
    Classes,
    /// No hidden layer, more than [`MAX_HIDDEN_LAYERS`], or a width of 0 or above [`MAX_WIDTH`].
    Layers,
    /// A classifier needs exactly one label column stored at scale `2^0`.
    LabelColumn,
    /// The shape is unsupported, or the parameter count overflows.
    Shape,
    /// No tree, more than [`MAX_TREES`], a depth of 0 or above [`MAX_TREE_DEPTH`], or a tree count that is not
    /// a multiple of the output groups.
    Trees,
}

impl core::fmt::Display for ModelError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Classes => write!(f, "a classifier needs 2 to {MAX_CLASSES} classes"),
            Self::Layers => write!(
                f,
                "an MLP needs 1 to {MAX_HIDDEN_LAYERS} hidden layers, each 1 to {MAX_WIDTH} wide"
            ),
            Self::LabelColumn => f.write_str(
                "a classifier's dataset has exactly one Y column, the labels 0..k, stored as integers (y_frac_bits = 0)",
            ),
            Self::Shape => f.write_str("unsupported shape for this model kind"),
            Self::Trees => write!(
                f,
                "a tree ensemble needs 1 to {MAX_TREES} trees (a multiple of the output groups: the targets, 1 for \
                 two classes, k for k > 2) of depth 1 to {MAX_TREE_DEPTH}"
            ),
        }
    }
}

impl ModelKind {
    pub const LINEAR_REGRESSION: ModelKind = ModelKind::Linear { task: Task::Regression };

    pub fn task(&self) -> Task {
        match self {
            Self::Linear { task } | Self::Mlp { task, .. } | Self::Trees { task, .. } => *task,
        }
    }

    pub fn metric(&self) -> Metric {
        match self.task() {
            Task::Regression => Metric::SumSquaredError,
            Task::Classification { .. } => Metric::Misclassified,
        }
    }

    /// Output width: `n` for regression, `k` logits for classification.
    pub fn outputs(&self, shape: &Shape) -> u32 {
        match self.task() {
            Task::Regression => shape.n,
            Task::Classification { classes } => classes,
        }
    }

    /// Layer widths `[p, h_1, …, h_L, outputs]`.
    pub fn widths(&self, shape: &Shape) -> Vec<u32> {
        let mut w = Vec::new();
        w.push(shape.p);
        if let Self::Mlp { hidden, .. } = self {
            w.extend_from_slice(hidden);
        }
        w.push(self.outputs(shape));
        w
    }

    /// Hidden layers (0 for a linear model).
    pub fn hidden_layers(&self) -> usize {
        match self {
            Self::Linear { .. } | Self::Trees { .. } => 0,
            Self::Mlp { hidden, .. } => hidden.len(),
        }
    }

    /// Checks the kind against a dataset shape and its label scale (`y_frac_bits`), without trusting either:
    /// all arithmetic is checked `u64`.
    pub fn validate(&self, shape: &Shape, y_frac_bits: i32) -> Result<(), ModelError> {
        self.validate_shape(shape)?;
        if matches!(self.task(), Task::Classification { .. }) && y_frac_bits != 0 {
            return Err(ModelError::LabelColumn);
        }
        Ok(())
    }

    /// [`Self::validate`] for a shape without a dataset (a key or a ceremony): everything but the label scale.
    pub fn validate_shape(&self, shape: &Shape) -> Result<(), ModelError> {
        shape.validate().map_err(|_| ModelError::Shape)?;
        if let Task::Classification { classes } = self.task() {
            if !(2..=MAX_CLASSES).contains(&classes) {
                return Err(ModelError::Classes);
            }
            if shape.n != 1 {
                return Err(ModelError::LabelColumn);
            }
        }
        if let Self::Mlp { hidden, .. } = self {
            if hidden.is_empty() || hidden.len() > MAX_HIDDEN_LAYERS || hidden.iter().any(|h| *h == 0 || *h > MAX_WIDTH) {
                return Err(ModelError::Layers);
            }
        }
        if let Self::Trees { trees, depth, .. } = self {
            let groups = self.tree_groups(shape);
            if !(1..=MAX_TREES).contains(trees) || !(1..=MAX_TREE_DEPTH).contains(depth) || groups == 0 || trees % groups != 0 {
                return Err(ModelError::Trees);
            }
        }
        if shape.p > MAX_FEATURES {
            return Err(ModelError::Shape);
        }
        self.params_count(shape).filter(|c| *c <= crate::dataset::MAX_COUNT).ok_or(ModelError::Shape)?;
        Ok(())
    }

    /// Number of model parameters (the ciphertext length), checked; `None` on overflow.
    pub fn params_count(&self, shape: &Shape) -> Option<u64> {
        if let Self::Trees { .. } = self {
            let t = self.tree_layout(shape)?;
            return Some(t.node_words as u64 + t.leaf_words as u64);
        }
        self.divisors_start(shape)?.checked_add(self.hidden_layers() as u64)
    }

    /// A tree ensemble's output groups (0 for other kinds).
    pub fn tree_groups(&self, shape: &Shape) -> u32 {
        match (self, self.task()) {
            (Self::Trees { .. }, Task::Regression) => shape.n,
            (Self::Trees { .. }, Task::Classification { classes: 2 }) => 1,
            (Self::Trees { .. }, Task::Classification { classes }) => classes,
            _ => 0,
        }
    }

    /// A tree ensemble's layout on `p` features; `None` for other kinds or sizes beyond the limits (checked
    /// arithmetic: nothing here trusts the kind).
    pub fn tree_layout(&self, shape: &Shape) -> Option<TreeLayout> {
        let Self::Trees { trees, depth, .. } = self else { return None };
        if *trees == 0 || *trees > MAX_TREES || *depth == 0 || *depth > MAX_TREE_DEPTH || shape.p == 0 || shape.p > MAX_FEATURES {
            return None;
        }
        let feature_bits = ceil_log2(shape.p as u64);
        let node_bits = THRESHOLD_BITS + feature_bits;
        let leaves_per_tree = 1usize << depth;
        let trees = *trees as usize;
        let nodes = trees * (leaves_per_tree - 1);
        Some(TreeLayout {
            trees,
            depth: *depth,
            groups: self.tree_groups(shape) as usize,
            feature_bits,
            node_bits,
            nodes_per_tree: leaves_per_tree - 1,
            leaves_per_tree,
            node_words: crate::dataset::words_for(nodes, node_bits),
            leaf_words: crate::dataset::words_for(trees * leaves_per_tree, LEAF_BITS),
        })
    }

    /// Index of the first rescaling divisor: the count of all layers' weights and biases (checked; `None` on
    /// overflow). Layer `l`'s weights start at the sum of the earlier layers' `(inputs + 1) · outputs`.
    pub fn divisors_start(&self, shape: &Shape) -> Option<u64> {
        let widths = self.widths(shape);
        let mut total: u64 = 0;
        for pair in widths.windows(2) {
            let (i, o) = (pair[0] as u64, pair[1] as u64);
            total = total.checked_add(i.checked_mul(o)?)?.checked_add(o)?;
        }
        Some(total)
    }

    /// Bit width of parameter `index` (see the module docs for the order), or `None` past the end. `None` for
    /// a tree ensemble: its parameters are packed words ([`TreeLayout`]).
    pub fn param_bits(&self, shape: &Shape, index: u64) -> Option<u32> {
        if let Self::Trees { .. } = self {
            return None;
        }
        let widths = self.widths(shape);
        let mlp = matches!(self, Self::Mlp { .. });
        let mut start: u64 = 0;
        for pair in widths.windows(2) {
            let (i, o) = (pair[0] as u64, pair[1] as u64);
            let w_end = start + i * o;
            let b_end = w_end + o;
            if index < w_end {
                return Some(if mlp { MLP_W_BITS } else { W_BITS });
            }
            if index < b_end {
                return Some(if mlp { MLP_B_BITS } else { B_BITS });
            }
            start = b_end;
        }
        (index < start + self.hidden_layers() as u64).then_some(DIV_BITS)
    }
}

/// `⌈log2(x)⌉` for `x ≥ 1`.
pub const fn ceil_log2(x: u64) -> u32 {
    if x <= 1 {
        0
    } else {
        64 - (x - 1).leading_zeros()
    }
}

/// `log2` of a bound on `|a·W + b|` for `fan_in` inputs of `|a| ≤ 2^in_log2`, weights of `w_bits` and biases of
/// `b_bits` signed bits: each product is at most `2^(in_log2 + w_bits − 1)`, `fan_in` of them at most
/// `2^(… + ⌈log2 fan_in⌉)`, and the bias at most `2^(b_bits − 1)`, so the sum is below twice the larger.
pub fn affine_bound_log2(in_log2: u32, fan_in: u32, w_bits: u32, b_bits: u32) -> u32 {
    (in_log2 + w_bits - 1 + ceil_log2(fan_in as u64)).max(b_bits - 1) + 1
}

/// Unsigned bits that hold `z_a − z_b − t ≥ 0` for two values of magnitude at most `2^bound_log2` and a tie
/// offset `t ∈ {0, 1}`: the difference is at most `2^(bound_log2 + 1)`, which needs `bound_log2 + 2` bits.
pub fn difference_bits(bound_log2: u32) -> u32 {
    bound_log2 + 2
}

/// A linear classifier's logit bound on `p` features.
pub fn linear_logit_bound_log2(p: u32) -> u32 {
    affine_bound_log2(X_BITS - 1, p, W_BITS, B_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Shape = Shape { m: 100, p: 64, n: 1 };

    #[test]
    fn parameter_counts_and_bits_follow_the_layout() {
        let lin = ModelKind::LINEAR_REGRESSION;
        assert_eq!(lin.params_count(&SHAPE), Some(65));
        let clf = ModelKind::Linear { task: Task::Classification { classes: 10 } };
        assert_eq!(clf.params_count(&SHAPE), Some(650));
        let mlp = ModelKind::Mlp { hidden: alloc::vec![32], task: Task::Classification { classes: 10 } };
        // 64·32 + 32 + 32·10 + 10 + 1 divisor
        assert_eq!(mlp.params_count(&SHAPE), Some(2048 + 32 + 320 + 10 + 1));
        assert_eq!(mlp.param_bits(&SHAPE, 0), Some(MLP_W_BITS));
        assert_eq!(mlp.param_bits(&SHAPE, 2048), Some(MLP_B_BITS));
        assert_eq!(mlp.param_bits(&SHAPE, 2080), Some(MLP_W_BITS));
        assert_eq!(mlp.param_bits(&SHAPE, 2410), Some(DIV_BITS));
        assert_eq!(mlp.param_bits(&SHAPE, 2411), None);
        assert_eq!(lin.param_bits(&SHAPE, 64), Some(B_BITS));
    }

    #[test]
    fn kinds_are_checked_against_the_dataset() {
        let clf = ModelKind::Linear { task: Task::Classification { classes: 3 } };
        assert_eq!(clf.validate(&SHAPE, 0), Ok(()));
        assert_eq!(clf.validate(&SHAPE, 4), Err(ModelError::LabelColumn));
        assert_eq!(clf.validate(&Shape { n: 2, ..SHAPE }, 0), Err(ModelError::LabelColumn));
        let one = ModelKind::Linear { task: Task::Classification { classes: 1 } };
        assert_eq!(one.validate(&SHAPE, 0), Err(ModelError::Classes));
        let flat = ModelKind::Mlp { hidden: alloc::vec![], task: Task::Regression };
        assert_eq!(flat.validate(&SHAPE, 3), Err(ModelError::Layers));
        let wide = ModelKind::Mlp { hidden: alloc::vec![MAX_WIDTH + 1], task: Task::Regression };
        assert_eq!(wide.validate(&SHAPE, 3), Err(ModelError::Layers));
        assert_eq!(ModelKind::LINEAR_REGRESSION.validate(&SHAPE, 7), Ok(()));
        let trees = |trees, depth, classes| ModelKind::Trees { trees, depth, task: Task::Classification { classes } };
        assert_eq!(trees(100, 6, 2).validate(&SHAPE, 0), Ok(()));
        assert_eq!(trees(100, 6, 3).validate(&SHAPE, 0), Err(ModelError::Trees));
        assert_eq!(trees(99, 6, 3).tree_layout(&SHAPE).map(|t| t.groups), Some(3));
        assert_eq!(trees(0, 6, 2).validate(&SHAPE, 0), Err(ModelError::Trees));
        assert_eq!(trees(1, MAX_TREE_DEPTH + 1, 2).validate(&SHAPE, 0), Err(ModelError::Trees));
        assert_eq!(trees(MAX_TREES + 1, 1, 2).validate(&SHAPE, 0), Err(ModelError::Trees));
    }

    #[test]
    fn tree_layout_packs_nodes_and_leaves() {
        // p = 30: k = 5 feature bits, nodes of 21 bits (12 per word), leaves of 48 (5 per word).
        let shape = Shape { m: 10, p: 30, n: 1 };
        let kind = ModelKind::Trees { trees: 100, depth: 6, task: Task::Classification { classes: 2 } };
        let t = kind.tree_layout(&shape).unwrap();
        assert_eq!((t.feature_bits, t.node_bits, t.groups), (5, 21, 1));
        assert_eq!((t.nodes(), t.leaves()), (6300, 6400));
        assert_eq!((t.node_words, t.leaf_words), (525, 1280));
        assert_eq!(kind.params_count(&shape), Some(1805));
        assert_eq!(kind.param_bits(&shape, 0), None);
        for (f, th) in [(0u32, 0i64), (29, -32768), (31, 32767), (7, -1)] {
            let v = t.encode_node(f, th);
            assert!(v >= -(1 << 20) && v < (1 << 20));
            assert_eq!(t.decode_node(v), (f, th));
        }
        // One feature: k = 0, the node value is the threshold.
        let one = ModelKind::Trees { trees: 1, depth: 1, task: Task::Regression }.tree_layout(&Shape { m: 1, p: 1, n: 1 }).unwrap();
        assert_eq!((one.feature_bits, one.encode_node(0, -5), one.decode_node(-5)), (0, -5, (0, -5)));
    }

    #[test]
    fn logit_bound_covers_the_extremes() {
        // p = 1: |x·w| ≤ 2^14·2^47 = 2^61, |b| ≤ 2^63 → |z| ≤ 2^64; a difference ≤ 2^65 needs 66 unsigned bits.
        assert_eq!(linear_logit_bound_log2(1), 64);
        assert_eq!(difference_bits(64), 66);
        // p = 2^16: |x·w| sums to 2^77 → |z| ≤ 2^78.
        assert_eq!(linear_logit_bound_log2(1 << 16), 78);
        assert_eq!(ceil_log2(1), 0);
        assert_eq!(ceil_log2(2), 1);
        assert_eq!(ceil_log2(3), 2);
        assert_eq!(ceil_log2(1 << 16), 16);
    }
}
