//! One private decision tree evaluated on one sample: the leaf its path reaches.
//!
//! The tree is complete, of depth `D` (shallower trees are padded by the quantizer), its internal nodes in
//! breadth-first order (node `j`'s children are `2j + 1` left and `2j + 2` right), each the committed *node
//! offset* `c = f + 2^k · (t + 2^(TB−1))` of feature `f ∈ [0, 2^k)` and threshold `t` of `TB = THRESHOLD_BITS`
//! signed bits (`zkml_primitives::model::TreeLayout`: `c` is the offset of the signed node value `t·2^k + f`,
//! range-checked by its bits when the model is allocated). A sample goes left iff `x[f] ≤ t`; a feature index
//! `≥ p` reads `0` (the features are padded to `2^k` with zeros, and the integer evaluator does the same).
//!
//! # Construction, and why this one
//! Per level `l` the prover supplies one *branch bit* `b_l` (1 = right); the bits so far select the level's
//! node (`select` over its `2^l` nodes), whose feature selects `x[f]` (`select` over `2^k` features by the bits
//! of `f`), and one comparison proves `b_l = [x[f] > t]`. The leaf is selected by all `D` bits. Cost per sample
//! and tree: `Σ_l (2^l − 1) + D·(k + (2^k − 1) + 1 + (CB + 1)) + 2^D − 1` with `CB = THRESHOLD_BITS + 1`: the
//! comparisons are paid on the path only (`D` of them), not at every node; only the cheap one-row-per-node
//! multiplexing grows with the node count. For `D = 6` and `p = 30` that is 57 + 6·54 + 63 = 444 rows, against
//! `63·(30 + 19)` ≈ 3,090 for comparing at every node.
//!
//! zkDT (Zhang et al., CCS 2020) reaches `O(D)` per sample by checking the path nodes against the committed tree
//! with a permutation (multiset) argument under a random challenge drawn *after* the witness is committed. A
//! plain Groth16 circuit has no such challenge: deriving one inside the circuit would mean hashing every
//! accessed node per sample (≈ 75 rows per field element with Poseidon), more than the selection it replaces.
//! A commit-and-prove extension (a Pedersen commitment to the path wires, as gnark's Groth16 commitments) would
//! bring it, at the cost of a new verifier on chain; this gadget needs none.
//!
//! # Soundness (every wrong path is rejected)
//! 1. Selectors are booleans (`b_l` by its row, `f`'s bits by theirs), so each [`select`] returns exactly one
//!    committed value: the node at the path's position, its feature's value, the leaf at the path's end.
//! 2. The feature: the prover supplies `k` bits `f'` and the threshold is the linear combination
//!    `t' = (c − f')·2^(−k) − 2^(TB−1)`. With `c = f + 2^k (t + 2^(TB−1))`, `t' = t + (f − f')·2^(−k)` in the
//!    field. The comparison below forces `t'` to be an integer `s` with `|s| < 2^(TB+2)`, so
//!    `f − f' ≡ (s − t)·2^k (mod r)` with both sides below `2^(TB+3+k) ≪ r`: equal as integers, and
//!    `|f − f'| < 2^k` leaves only `f' = f`, `t' = t`.
//! 3. The comparison: `w = x − t − 1 + (1 − b)·2^CB` is proven in `[0, 2^CB)` by `CB` bits. Since `|x| < 2^(X−1)`
//!    and `|t| ≤ 2^(TB−1)`, `|x − t − 1| < 2^(TB)` < `2^CB`. If `b = 1` the check is `x − t − 1 ≥ 0`, i.e.
//!    `x > t`; if `b = 0` it is `x − t − 1 + 2^CB < 2^CB`, i.e. `x ≤ t`. So `b` is the true branch, and a
//!    flipped bit (a malicious path) has no witness.
use crate::{
    gadgets::{compare::enforce_unsigned, select::select},
    r1cs::{R1cs, R1csError},
    signal::{boolean, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};
use zkml_primitives::{encoding::fr_to_i128, model::THRESHOLD_BITS};

/// Unsigned bits of the comparison `w` (see the soundness argument).
pub const COMPARISON_BITS: u32 = THRESHOLD_BITS + 1;

/// What a malicious prover claims at one level instead of the honest values (soundness tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ForcedLevel {
    pub branch: Option<bool>,
    pub feature: Option<u32>,
}

/// Constraints of [`tree_leaf`] for depth `depth`, `2^feature_bits` features (`features` of them real, the rest
/// zero padding, whose multiplexers are free).
pub fn tree_leaf_cost(depth: u32, feature_bits: u32, features: usize) -> usize {
    let node_select: usize = (0..depth).map(|l| (1usize << l) - 1).sum();
    let feature_select = select_cost(features, feature_bits);
    node_select + depth as usize * (feature_bits as usize + feature_select + 1 + COMPARISON_BITS as usize + 1) + (1 << depth) - 1
}

/// Rows of selecting among `values` real entries padded with constants to `2^bits`.
fn select_cost(values: usize, bits: u32) -> usize {
    let (mut real, mut rows) = (values, 0);
    for _ in 0..bits {
        // Pairs holding a real entry need a row (a (real, padding) pair too); pairs of padding are free.
        rows += real.div_ceil(2);
        real = real.div_ceil(2);
    }
    rows
}

/// The leaf that `x` reaches in the tree of `nodes` (offsets, breadth first) and `leaves` (values, left to
/// right); `x` holds the `p` feature values (padded here to `2^feature_bits`). `forced(level)` is a malicious
/// prover's claim at a level (soundness tests); an honest prover returns the default.
pub fn tree_leaf(
    cs: &mut R1cs,
    nodes: &[Signal],
    leaves: &[Signal],
    x: &[Signal],
    feature_bits: u32,
    forced: &dyn Fn(u32) -> ForcedLevel,
) -> Result<Signal, R1csError> {
    let depth = leaves.len().trailing_zeros();
    assert!(nodes.len() + 1 == leaves.len() && leaves.len() == 1 << depth, "a complete tree");
    assert!(x.len() <= 1 << feature_bits, "features fit their index bits");
    let mut padded = x.to_vec();
    padded.resize(1 << feature_bits, Signal::constant(Fr::ZERO));
    let inv_feature_scale = Fr::from(1u64 << feature_bits).inverse().expect("nonzero");
    let threshold_offset = Fr::from(1u64 << (THRESHOLD_BITS - 1));
    let mut path: Vec<Signal> = Vec::with_capacity(depth as usize);
    for level in 0..depth {
        let first = (1usize << level) - 1;
        let node = select(cs, &nodes[first..2 * first + 1], &path)?;
        let claim = forced(level);
        // Honest feature and threshold from the node offset.
        let honest = node.value.and_then(|c| fr_to_i128(&c)).map(|c| {
            let f = (c & ((1 << feature_bits) - 1)) as u32;
            (f, (c >> feature_bits) - (1i128 << (THRESHOLD_BITS - 1)))
        });
        let feature = claim.feature.or(honest.map(|h| h.0));
        let feature_bits_le = (0..feature_bits)
            .map(|i| boolean(cs, feature.map(|f| (f >> i) & 1 == 1)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut feature_sum = Signal::constant(Fr::ZERO);
        for (i, b) in feature_bits_le.iter().enumerate() {
            feature_sum = feature_sum.add_scaled(Fr::from(1u64 << i), b);
        }
        let threshold = node.clone().add_scaled(-Fr::ONE, &feature_sum).scale(inv_feature_scale).add_constant(-threshold_offset);
        let msb_first: Vec<Signal> = feature_bits_le.iter().rev().cloned().collect();
        let value = select(cs, &padded, &msb_first)?;
        let honest_branch = value.value.and_then(|v| fr_to_i128(&v)).zip(honest).map(|(v, (_, t))| v > t);
        let branch = boolean(cs, claim.branch.or(honest_branch))?;
        // w = x − t − 1 + (1 − b)·2^CB
        let w = value
            .add_scaled(-Fr::ONE, &threshold)
            .add_constant(Fr::from(1u64 << COMPARISON_BITS) - Fr::ONE)
            .add_scaled(-Fr::from(1u64 << COMPARISON_BITS), &branch);
        enforce_unsigned(cs, &w, COMPARISON_BITS)?;
        path.push(branch);
    }
    select(cs, leaves, &path)
}

/// The leaf index `x_q` reaches on integers, the one definition the integer evaluator and tests share: left
/// iff `x[f] ≤ t`, a feature `≥ p` reading 0. `node(j)` gives node `j`'s `(f, t)`.
pub fn leaf_index(depth: u32, x_q: &[i64], node: impl Fn(usize) -> (u32, i64)) -> usize {
    let mut j = 0usize;
    for _ in 0..depth {
        let (f, t) = node(j);
        let v = x_q.get(f as usize).copied().unwrap_or(0);
        j = 2 * j + 1 + usize::from(v > t);
    }
    j - ((1usize << depth) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::witness;
    use zkml_primitives::encoding::fr_from_i128;

    const K: u32 = 2; // 4 feature slots, 3 real features

    /// Depth 2: root splits on feature 0 at 5; left child on feature 2 at −3; right child on feature 1 at 100.
    fn tree() -> (Vec<(u32, i64)>, Vec<i64>) {
        (vec![(0, 5), (2, -3), (1, 100)], vec![11, 22, 33, 44])
    }

    fn offset(f: u32, t: i64) -> i128 {
        f as i128 + ((t as i128 + (1 << (THRESHOLD_BITS - 1))) << K)
    }

    fn run(x: &[i64], forced: &dyn Fn(u32) -> ForcedLevel) -> (bool, Option<Fr>, usize) {
        let (nodes, leaves) = tree();
        let mut cs = R1cs::new(true);
        let n: Vec<Signal> = nodes.iter().map(|(f, t)| witness(&mut cs, Some(fr_from_i128(offset(*f, *t)))).unwrap()).collect();
        let l: Vec<Signal> = leaves.iter().map(|v| witness(&mut cs, Some(fr_from_i128(*v as i128))).unwrap()).collect();
        let xs: Vec<Signal> = x.iter().map(|v| witness(&mut cs, Some(fr_from_i128(*v as i128))).unwrap()).collect();
        let leaf = tree_leaf(&mut cs, &n, &l, &xs, K, forced).unwrap();
        let rows = cs.num_constraints();
        (cs.finish().unsatisfied().is_empty(), leaf.value, rows)
    }

    fn honest(_: u32) -> ForcedLevel {
        ForcedLevel::default()
    }

    #[test]
    fn honest_paths_reach_the_integer_evaluators_leaf() {
        let (nodes, leaves) = tree();
        for x in [[5, 0, -3], [5, 0, -2], [6, 100, 0], [6, 101, 0], [-16384, 16384, 16384], [16384, -16384, -16384]] {
            let (ok, leaf, rows) = run(&x, &honest);
            let expected = leaves[leaf_index(2, &x, |j| nodes[j])];
            assert!(ok, "{x:?}");
            assert_eq!(leaf, Some(Fr::from(expected as u64)), "{x:?}");
            assert_eq!(rows, tree_leaf_cost(2, K, 3));
        }
        // Ties go left (x ≤ t), as scikit-learn and LightGBM split.
        assert_eq!(leaf_index(2, &[5, 0, -3], |j| nodes[j]), 0);
        assert_eq!(leaf_index(2, &[5, 0, -2], |j| nodes[j]), 1);
    }

    #[test]
    fn every_flipped_branch_is_rejected() {
        for x in [[5i64, 0, -3], [6, 100, 0], [6, 101, 0], [0, 0, 0]] {
            for level in 0..2 {
                let (ok, _, _) = run(&x, &|l| {
                    let nodes = tree().0;
                    let mut j = 0;
                    let mut honest_branch = false;
                    for step in 0..=l {
                        let (f, t) = nodes[j];
                        honest_branch = x[f as usize] > t;
                        if step < l {
                            j = 2 * j + 1 + usize::from(honest_branch);
                        }
                    }
                    if l == level {
                        ForcedLevel { branch: Some(!honest_branch), feature: None }
                    } else {
                        ForcedLevel::default()
                    }
                });
                assert!(!ok, "x={x:?} level={level}");
            }
        }
    }

    #[test]
    fn another_feature_than_the_nodes_is_rejected() {
        // At the root (feature 0, t = 5), reading feature 1 or 2, or the zero padding (3), instead — with the
        // branch those values would give — fails: the threshold the circuit derives is then not an integer.
        let x = [9i64, -50, 2];
        for f in 1..4u32 {
            for branch in [false, true] {
                let (ok, _, _) = run(&x, &|l| if l == 0 { ForcedLevel { branch: Some(branch), feature: Some(f) } } else { ForcedLevel::default() });
                assert!(!ok, "feature {f} branch {branch}");
            }
        }
    }

    #[test]
    fn constraint_count_for_the_benchmark_shape() {
        // Depth 6 on 30 features (5 index bits): 57 node rows, 6 levels of 5 + 30 + 1 + 18, 63 leaf rows.
        assert_eq!(select_cost(30, 5), 30);
        assert_eq!(select_cost(32, 5), 31);
        assert_eq!(select_cost(3, 2), 3);
        assert_eq!(tree_leaf_cost(6, 5, 30), 57 + 6 * (5 + 30 + 1 + 18) + 63);
    }
}
