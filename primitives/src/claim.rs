//! The claim statement: what one Groth16 proof asserts, and the order of its public inputs.
//!
//! Public inputs (this order is the verifying key's; [`NUM_PUBLIC_INPUTS`] of them):
//!
//! | # | input | encoding |
//! |---|---|---|
//! | 0 | dataset hash | field element (see [`crate::dataset`]) |
//! | 1 | SSE cap | `u128`, in units of `2^(-2F)` (F: the dataset's residual scale) |
//! | 2 | payee, low half | account bytes 0..16 as LE `u128` |
//! | 3 | payee, high half | account bytes 16..32 as LE `u128` |
//! | 4 | context: a bounty id, or `2^63 + competition id` ([`crate::competition`]) | `u64` |
//! | 5 | organizer public key x | BabyJubJub coordinate |
//! | 6 | organizer public key y | BabyJubJub coordinate |
//! | 7 | envelope hash | `chain("zkml/envelope/v1", [pk_c.x, pk_c.y, nonce, ct_0, …])` |
//!
//! The envelope (competitor public key, nonce, ciphertext) is bulky, so it enters as one hash: the chain stores
//! the envelope and recomputes the hash, which costs a few Poseidon permutations instead of one pairing-group
//! scalar multiplication per ciphertext element.
use crate::{
    encoding::{account_to_fields, domain_tag},
    keys::PublicKey,
    poseidon,
};
use alloc::vec::Vec;
use ark_bn254::Fr;

pub const NUM_PUBLIC_INPUTS: usize = 8;

/// Positions in the public-input vector.
pub mod layout {
    pub const DATASET_HASH: usize = 0;
    pub const SSE_CAP: usize = 1;
    pub const PAYEE_LO: usize = 2;
    pub const PAYEE_HI: usize = 3;
    pub const BOUNTY_ID: usize = 4;
    pub const ORGANIZER_PK_X: usize = 5;
    pub const ORGANIZER_PK_Y: usize = 6;
    pub const ENVELOPE_HASH: usize = 7;
}

pub const ENVELOPE_DOMAIN: &str = "zkml/envelope/v1";

/// What the organizer needs to recover the model, all public.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub competitor_pk: PublicKey,
    pub nonce: Fr,
    /// `W` row-major (`p × n`), then `b` (`n`), each masked (see [`crate::keys`]).
    pub ciphertext: Vec<Fr>,
}

impl Envelope {
    /// The elements the envelope hash absorbs.
    pub fn hash_preimage(&self) -> Vec<Fr> {
        let [x, y] = self.competitor_pk.coordinates();
        let mut e = Vec::with_capacity(3 + self.ciphertext.len());
        e.extend([x, y, self.nonce]);
        e.extend_from_slice(&self.ciphertext);
        e
    }

    pub fn hash(&self) -> Fr {
        poseidon::chain(domain_tag(ENVELOPE_DOMAIN), &self.hash_preimage())
    }
}

/// The public statement of a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimStatement {
    pub dataset_hash: Fr,
    pub sse_cap: u128,
    pub payee: [u8; 32],
    pub bounty_id: u64,
    pub organizer_pk: PublicKey,
    pub envelope_hash: Fr,
}

impl ClaimStatement {
    pub fn public_inputs(&self) -> [Fr; NUM_PUBLIC_INPUTS] {
        let [payee_lo, payee_hi] = account_to_fields(&self.payee);
        let [pk_x, pk_y] = self.organizer_pk.coordinates();
        let mut inputs = [Fr::from(0u64); NUM_PUBLIC_INPUTS];
        inputs[layout::DATASET_HASH] = self.dataset_hash;
        inputs[layout::SSE_CAP] = Fr::from(self.sse_cap);
        inputs[layout::PAYEE_LO] = payee_lo;
        inputs[layout::PAYEE_HI] = payee_hi;
        inputs[layout::BOUNTY_ID] = Fr::from(self.bounty_id);
        inputs[layout::ORGANIZER_PK_X] = pk_x;
        inputs[layout::ORGANIZER_PK_Y] = pk_y;
        inputs[layout::ENVELOPE_HASH] = self.envelope_hash;
        inputs
    }
}
