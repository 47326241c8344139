//! Inference: a model kind's outputs for every sample, as exact integers (regression predictions at the
//! residual scale, or class logits).
//!
//! Tree ensembles: [`allocate_trees`] and [`tree_outputs`], one [`tree_leaf`] per sample and tree.
//!
//! Cost per sample (dense kinds): one product per weight (`Σ_l h_{l−1}·h_l`), and per hidden unit one
//! [`relu_rescale`](crate::gadgets::rescale) (`Z_l + ACT_BITS + (DIV_BITS − 1) + 6` with `Z_l` the layer's
//! pre-activation bits); once per hidden layer, the divisor's co-divisor (`DIV_BITS + 2`).
//!
//! # Bounds (why no value wraps the field)
//! Parameters are range-checked at their layout widths (`zkml_primitives::model`), inputs are `|x| ≤ 2^14`
//! (dataset) or `0 ≤ a < 2^ACT_BITS` (activations), so each layer's affine output satisfies
//! `|z| ≤ 2^L` with `L = affine_bound_log2(…)` (at most `24 + 31 + 12 + 1 = 68` for an MLP layer and
//! `14 + 47 + 16 + 1 = 78` for a linear one): every product and sum is the field image of the true integer.
//! Hidden layers decompose `z` into `L + 2` signed bits; class logits are compared with `L + 2`-bit
//! differences; regression residuals `y·2^16 − z` stay below `2^79`, their squares below `2^158` and the SSE of
//! at most `2^40` of them below `2^198`.
use crate::{
    gadgets::{
        range::{offset_to_value, pack_words, signed_bits},
        rescale::{divisor_cofactor, relu_rescale_forced},
        tree_path::{tree_leaf, ForcedLevel},
    },
    models::QuantizedModel,
    r1cs::{R1cs, R1csError},
    signal::{enforce_equal, mul, witness, Signal},
};
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field};
use zkml_primitives::{
    dataset::{Shape, B_BITS, W_BITS, X_BITS},
    encoding::fr_from_i128,
    model::{
        affine_bound_log2, ceil_log2, difference_bits, ModelKind, TreeLayout, ACT_BITS, DIV_BITS, LEAF_BITS, MLP_B_BITS,
        MLP_W_BITS,
    },
};

/// `values[i][k]`: output `k` of sample `i`.
pub struct Outputs {
    pub values: Vec<Vec<Signal>>,
    /// Unsigned bits that hold a difference of two outputs (for the argmax of classifiers).
    pub diff_bits: u32,
}

/// Parameter widths of a kind's layers: `(weight bits, bias bits)`.
fn param_widths(kind: &ModelKind) -> (u32, u32) {
    match kind {
        ModelKind::Linear { .. } => (W_BITS, B_BITS),
        ModelKind::Mlp { .. } => (MLP_W_BITS, MLP_B_BITS),
        // Not layers of weights: a tree ensemble's outputs come from [`tree_outputs`].
        ModelKind::Trees { .. } => (LEAF_BITS, LEAF_BITS),
    }
}

/// `log2` bounds of each layer's affine output `|z| ≤ 2^L`, first layer first.
pub fn layer_bounds(kind: &ModelKind, shape: &Shape) -> Vec<u32> {
    let (w_bits, b_bits) = param_widths(kind);
    let widths = kind.widths(shape);
    (1..widths.len())
        .map(|l| {
            let in_log2 = if l == 1 { X_BITS - 1 } else { ACT_BITS };
            affine_bound_log2(in_log2, widths[l - 1], w_bits, b_bits)
        })
        .collect()
}

/// `z_k = b_k + Σ_j in_j · W[j][k]` for `W` row-major at `params[w..]` and `b` right after it.
fn affine(cs: &mut R1cs, input: &[Signal], params: &[Signal], w: usize, outputs: usize) -> Result<Vec<Signal>, R1csError> {
    let b = w + input.len() * outputs;
    (0..outputs)
        .map(|k| {
            let mut z = params[b + k].clone();
            for (j, v) in input.iter().enumerate() {
                z = z.add_scaled(Fr::ONE, &mul(cs, v, &params[w + j * outputs + k])?);
            }
            Ok(z)
        })
        .collect()
}

/// The outputs of `kind` with (range-checked) `params` on every sample; `x(i, j)` is feature `j` of sample `i`.
/// `forced_activation((sample, layer, unit))` is a malicious prover's activation (soundness tests); `None` for
/// an honest one.
pub fn outputs(
    cs: &mut R1cs,
    kind: &ModelKind,
    shape: &Shape,
    params: &[Signal],
    x: &dyn Fn(usize, usize) -> Signal,
    forced_activation: &dyn Fn((usize, usize, usize)) -> Option<Fr>,
) -> Result<Outputs, R1csError> {
    let widths = kind.widths(shape);
    let bounds = layer_bounds(kind, shape);
    let layers = widths.len() - 1;
    // Callers validated the kind on the shape, so the count fits `usize`.
    let layer_params = kind.divisors_start(shape).unwrap_or(0) as usize;
    // Each hidden layer's divisor is a power of two `d = 2^s`, proven once by its co-divisor `d·e = 2^R`.
    let remainder_bits = DIV_BITS - 1;
    let cofactors = (0..layers - 1)
        .map(|l| divisor_cofactor(cs, &params[layer_params + l], remainder_bits, None))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = Vec::with_capacity(shape.m as usize);
    for i in 0..shape.m as usize {
        let mut act: Vec<Signal> = (0..shape.p as usize).map(|j| x(i, j)).collect();
        let mut offset = 0;
        for l in 1..=layers {
            let z = affine(cs, &act, params, offset, widths[l] as usize)?;
            offset += (widths[l - 1] as usize + 1) * widths[l] as usize;
            act = if l < layers {
                let divisor = &params[layer_params + l - 1];
                z.iter()
                    .enumerate()
                    .map(|(u, z)| {
                        let forced = forced_activation((i, l, u));
                        relu_rescale_forced(cs, z, divisor, &cofactors[l - 1], bounds[l - 1] + 2, ACT_BITS, remainder_bits, forced)
                    })
                    .collect::<Result<_, _>>()?
            } else {
                z
            };
        }
        values.push(act);
    }
    Ok(Outputs { values, diff_bits: difference_bits(bounds[layers - 1]) })
}

/// A tree ensemble's parameters in the circuit: the encrypted words, and the values they pack.
pub struct TreeSignals {
    pub words: Vec<Signal>,
    /// Node offsets `f + 2^k·(t + 2^15)`, all trees, breadth first.
    pub nodes: Vec<Signal>,
    /// Leaf values, all trees, left to right.
    pub leaves: Vec<Signal>,
}

/// Allocates a tree ensemble from its words (`None` when generating keys): every node and leaf decomposed into
/// its bits (so range-checked at its width), allocated as one variable each (short rows for the multiplexers),
/// and packed back into the words that are encrypted. Cost: `nodes·(node_bits + 1) + leaves·(LEAF_BITS + 1) +
/// words`.
pub fn allocate_trees(cs: &mut R1cs, layout: &TreeLayout, words: Option<&[Fr]>) -> Result<TreeSignals, R1csError> {
    // Words that do not unpack (no honest prover has them) give zeros, which the packing rows then reject.
    let values = words.map(|w| {
        QuantizedModel::tree_values_from_words(layout, w).unwrap_or_else(|_| vec![0; layout.nodes() + layout.leaves()])
    });
    let value = |i: usize| values.as_ref().map(|v| fr_from_i128(v[i] as i128));
    // Each value's offset, decomposed into `bits` bits and allocated as one variable.
    let offset_variable = |cs: &mut R1cs, i: usize, bits: u32| -> Result<Signal, R1csError> {
        let offset = signed_bits(cs, value(i), bits)?;
        let var = witness(cs, offset.value)?;
        enforce_equal(cs, &var, &offset);
        Ok(var)
    };
    let node_offsets = (0..layout.nodes()).map(|i| offset_variable(cs, i, layout.node_bits)).collect::<Result<Vec<_>, _>>()?;
    let leaf_offsets =
        (0..layout.leaves()).map(|i| offset_variable(cs, layout.nodes() + i, LEAF_BITS)).collect::<Result<Vec<_>, _>>()?;
    let mut words = pack_words(cs, &node_offsets, layout.node_bits)?;
    words.extend(pack_words(cs, &leaf_offsets, LEAF_BITS)?);
    let leaves = leaf_offsets.iter().map(|o| offset_to_value(o, LEAF_BITS)).collect();
    Ok(TreeSignals { words, nodes: node_offsets, leaves })
}

/// Unsigned bits of a difference of two tree-ensemble outputs (each a sum of at most `T` leaves).
pub fn tree_diff_bits(layout: &TreeLayout) -> u32 {
    difference_bits(LEAF_BITS - 1 + ceil_log2(layout.trees as u64))
}

/// Every sample's outputs: group `g` sums the leaves of trees `τ ≡ g (mod G)`; a binary classifier's one score
/// `s` gives the logits `[0, s]`. `forced((sample, tree, level))` is a malicious prover's claim (tests).
pub fn tree_outputs(
    cs: &mut R1cs,
    kind: &ModelKind,
    shape: &Shape,
    layout: &TreeLayout,
    model: &TreeSignals,
    x: &dyn Fn(usize, usize) -> Signal,
    forced: &dyn Fn((usize, usize, u32)) -> ForcedLevel,
) -> Result<Outputs, R1csError> {
    let binary = kind.outputs(shape) as usize != layout.groups;
    let mut values = Vec::with_capacity(shape.m as usize);
    for i in 0..shape.m as usize {
        let row: Vec<Signal> = (0..shape.p as usize).map(|j| x(i, j)).collect();
        let mut groups = vec![Signal::constant(Fr::ZERO); layout.groups];
        for tau in 0..layout.trees {
            let nodes = &model.nodes[tau * layout.nodes_per_tree..(tau + 1) * layout.nodes_per_tree];
            let leaves = &model.leaves[tau * layout.leaves_per_tree..(tau + 1) * layout.leaves_per_tree];
            let leaf = tree_leaf(cs, nodes, leaves, &row, layout.feature_bits, &|level| forced((i, tau, level)))?;
            let g = tau % layout.groups;
            groups[g] = groups[g].clone().add_scaled(Fr::ONE, &leaf);
        }
        if binary {
            groups.insert(0, Signal::constant(Fr::ZERO));
        }
        values.push(groups);
    }
    Ok(Outputs { values, diff_bits: tree_diff_bits(layout) })
}
