//! Poseidon over BN254 with circomlib's parameters (x^5 S-box, 8 full rounds, circomlib's partial-round
//! counts, round constants and MDS matrices), exactly as `circomlibjs`'s `poseidon` and light-poseidon compute
//! it: the state is `[0, inputs…]`, the output is `state[0]` after the permutation.
//!
//! Two widths are used by the protocol: [`hash4`] (t = 5) and [`hash12`] (t = 13). Longer inputs go through
//! [`chain`], a length-prefixed Merkle–Damgård chain of `hash12` calls, so anyone with a circomlib Poseidon can
//! recompute every hash in the protocol:
//!
//! ```text
//! chain(domain, e_0..e_{L-1}):
//!   E = [L, e_0, …, e_{L-1}] padded with zeros to a multiple of 11
//!   h = domain
//!   for each 11-element block B of E:  h = Poseidon([h, B_0, …, B_10])
//!   return h
//! ```
//! The length prefix makes the zero padding unambiguous; the domain separates the protocol's uses.
use ark_bn254::Fr;
use ark_ff::{BigInt, Field, Zero};

include!(concat!(env!("OUT_DIR"), "/poseidon_constants.rs"));

/// The parameters of one Poseidon width. Shared by the native hash here and the R1CS gadget in the prover, so
/// the two cannot use different constants.
#[derive(Clone, Copy)]
pub struct PoseidonParams {
    /// State width t (inputs + 1).
    pub width: usize,
    pub full_rounds: usize,
    pub partial_rounds: usize,
    /// Round constants, `(full_rounds + partial_rounds) * width`, round-major.
    pub ark: &'static [Fr],
    /// MDS matrix, `width * width`, row-major.
    pub mds: &'static [Fr],
}

impl PoseidonParams {
    pub fn round_constant(&self, round: usize, i: usize) -> Fr {
        self.ark[round * self.width + i]
    }
    pub fn mds(&self, row: usize, col: usize) -> Fr {
        self.mds[row * self.width + col]
    }
    pub fn rounds(&self) -> usize {
        self.full_rounds + self.partial_rounds
    }
    /// Whether `round` applies the S-box to the whole state (first and last `full_rounds / 2` rounds).
    pub fn is_full_round(&self, round: usize) -> bool {
        let half = self.full_rounds / 2;
        round < half || round >= half + self.partial_rounds
    }
}

/// t = 5: four inputs.
pub static POSEIDON_4: PoseidonParams = PoseidonParams {
    width: 5,
    full_rounds: FULL_ROUNDS_5,
    partial_rounds: PARTIAL_ROUNDS_5,
    ark: &ARK_5,
    mds: &MDS_5,
};

/// t = 13: twelve inputs.
pub static POSEIDON_12: PoseidonParams = PoseidonParams {
    width: 13,
    full_rounds: FULL_ROUNDS_13,
    partial_rounds: PARTIAL_ROUNDS_13,
    ark: &ARK_13,
    mds: &MDS_13,
};

/// Elements absorbed per `hash12` call in [`chain`] (the 12th input carries the chaining value).
pub const CHAIN_RATE: usize = 11;

fn sbox(x: Fr) -> Fr {
    let x2 = x.square();
    x2.square() * x
}

/// The Poseidon permutation, in place.
pub fn permute(params: &PoseidonParams, state: &mut [Fr]) {
    debug_assert_eq!(state.len(), params.width);
    let mut next = [Fr::zero(); 16];
    for round in 0..params.rounds() {
        for (i, s) in state.iter_mut().enumerate() {
            *s += params.round_constant(round, i);
        }
        if params.is_full_round(round) {
            state.iter_mut().for_each(|s| *s = sbox(*s));
        } else {
            state[0] = sbox(state[0]);
        }
        for (row, out) in next.iter_mut().enumerate().take(params.width) {
            *out = state.iter().enumerate().map(|(col, s)| params.mds(row, col) * s).sum();
        }
        state.copy_from_slice(&next[..params.width]);
    }
}

fn hash_with<const N: usize>(params: &PoseidonParams, inputs: [Fr; N]) -> Fr {
    let mut state = [Fr::zero(); 16];
    state[1..=N].copy_from_slice(&inputs);
    permute(params, &mut state[..=N]);
    state[0]
}

/// circomlib `Poseidon(4)`.
pub fn hash4(inputs: [Fr; 4]) -> Fr {
    hash_with(&POSEIDON_4, inputs)
}

/// circomlib `Poseidon(12)`.
pub fn hash12(inputs: [Fr; 12]) -> Fr {
    hash_with(&POSEIDON_12, inputs)
}

/// Number of `hash12` calls [`chain`] makes for `len` elements.
pub const fn chain_blocks(len: usize) -> usize {
    (len + 1).div_ceil(CHAIN_RATE)
}

/// The length-prefixed chain described in the module docs.
pub fn chain(domain: Fr, elements: &[Fr]) -> Fr {
    let mut h = domain;
    let prefixed = core::iter::once(Fr::from(elements.len() as u64)).chain(elements.iter().copied());
    let mut block = [Fr::zero(); CHAIN_RATE];
    let mut filled = 0;
    for e in prefixed {
        block[filled] = e;
        filled += 1;
        if filled == CHAIN_RATE {
            h = absorb(h, &block);
            block = [Fr::zero(); CHAIN_RATE];
            filled = 0;
        }
    }
    if filled > 0 {
        h = absorb(h, &block);
    }
    h
}

fn absorb(h: Fr, block: &[Fr; CHAIN_RATE]) -> Fr {
    let mut inputs = [Fr::zero(); 12];
    inputs[0] = h;
    inputs[1..].copy_from_slice(block);
    hash12(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::UniformRand;
    use core::str::FromStr;
    use light_poseidon::{Poseidon, PoseidonHasher};

    #[test]
    fn matches_light_poseidon_circom() {
        let mut rng = ark_std::test_rng();
        for _ in 0..5 {
            let a: [Fr; 4] = core::array::from_fn(|_| Fr::rand(&mut rng));
            assert_eq!(hash4(a), Poseidon::<Fr>::new_circom(4).unwrap().hash(&a).unwrap());
            let b: [Fr; 12] = core::array::from_fn(|_| Fr::rand(&mut rng));
            assert_eq!(hash12(b), Poseidon::<Fr>::new_circom(12).unwrap().hash(&b).unwrap());
        }
    }

    /// circomlibjs' own test vector: `poseidon([1, 2, 3, 4])`.
    #[test]
    fn circomlib_vector() {
        let expected =
            Fr::from_str("18821383157269793795438455681495246036402687001665670618754263018637548127333").unwrap();
        assert_eq!(hash4([1u64, 2, 3, 4].map(Fr::from)), expected);
    }

    #[test]
    fn chain_is_length_prefixed_and_domain_separated() {
        let d = Fr::from(7u64);
        let e = [Fr::from(1u64), Fr::from(2u64)];
        assert_ne!(chain(d, &e), chain(d, &[e[0], e[1], Fr::zero()]));
        assert_ne!(chain(d, &e), chain(Fr::from(8u64), &e));
        assert_eq!(chain_blocks(10), 1);
        assert_eq!(chain_blocks(11), 2);
        let long: Vec<Fr> = (0..30u64).map(Fr::from).collect();
        assert_ne!(chain(d, &long), chain(d, &long[..29]));
    }
}
