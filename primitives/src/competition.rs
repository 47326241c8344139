//! Competitions with a hidden test set: what the chain and the prover agree on beyond a claim.
//!
//! A competition reuses the claim statement ([`crate::claim`]) and its keys:
//!
//! - **The commitment is the envelope hash.** At submission a competitor publishes the envelope hash of their
//!   model encrypted to the organizer (`Poseidon(pk_c, nonce, ct)`, [`crate::claim::Envelope::hash`]). It is
//!   *hiding*: the ciphertext is masked by an ECDH keystream only the organizer and the competitor can compute,
//!   and it is never published unless the model wins; the fresh random nonce salts the hash. It is *binding*:
//!   the envelope fixes `pk_c`, so the shared point, so the keystream, so the model `v = ct − keystream` — two
//!   models under one hash would be a Poseidon collision. The scoring proof takes the committed hash as its
//!   envelope-hash input, so it is a proof about exactly the committed model, and a winner's delivery must
//!   hash to it.
//! - **The score is the claim's cap.** A scoring proof shows `SSE ≤ score` on the revealed test set (the
//!   claim's dataset hash is the test set's). A competitor can only claim a score no better than their
//!   model's; the CLI claims the exact SSE, and ranks are by the claimed score.
//! - **The context input separates bounties from competitions.** Public input 4 is a bounty id below
//!   [`COMPETITION_CONTEXT`], or `COMPETITION_CONTEXT + competition id`, so no proof for a bounty is a proof
//!   for a competition (or the other way round) even with the same key, data and organizer key.
//!
//! The revealed test set travels in the reveal extrinsic as the packed words the dataset hash absorbs
//! (see [`crate::dataset`]); the runtime checks every word is a valid packing and recomputes the hash with
//! the training set's scales ([`test_set_hash`]).
use crate::dataset::{self, DatasetError, Scales, Shape, UnpackError, X_BITS, Y_BITS};
use crate::encoding::fr_from_bytes;
use alloc::vec::Vec;
use ark_bn254::Fr;

/// Public input 4 of a competition statement is `COMPETITION_CONTEXT + competition id`; bounty ids stay below.
pub const COMPETITION_CONTEXT: u64 = 1 << 63;

/// The context input of competition `id` (ids are below `2^63`; the pallet's counter never gets there).
pub const fn competition_context(id: u64) -> u64 {
    COMPETITION_CONTEXT | id
}

/// Words a revealed test set of `shape` carries: X's then Y's.
pub fn reveal_words(shape: &Shape) -> usize {
    dataset::words_for(shape.x_len(), X_BITS) + dataset::words_for(shape.y_len(), Y_BITS)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevealError {
    Shape(DatasetError),
    Words(UnpackError),
    NonCanonical { index: usize },
}

impl core::fmt::Display for RevealError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Shape(e) => write!(f, "{e}"),
            Self::Words(e) => write!(f, "{e}"),
            Self::NonCanonical { index } => write!(f, "word {index} is not a canonical field element"),
        }
    }
}

/// Splits revealed words into X's and Y's after checking each is a canonical field element and a valid
/// packing (no bits beyond its values), so that they unpack to an in-range tensor a proof can be made for.
fn checked_words<'a>(shape: &Shape, words: &'a [[u8; 32]]) -> Result<(&'a [[u8; 32]], &'a [[u8; 32]]), RevealError> {
    shape.validate().map_err(RevealError::Shape)?;
    let xn = dataset::words_for(shape.x_len(), X_BITS);
    let expected = reveal_words(shape);
    if words.len() != expected {
        return Err(RevealError::Words(UnpackError::WordCount { expected, got: words.len() }));
    }
    let (x, y) = words.split_at(xn);
    dataset::check_packed(x, shape.x_len(), X_BITS).map_err(RevealError::Words)?;
    dataset::check_packed(y, shape.y_len(), Y_BITS)
        .map_err(|e| RevealError::Words(match e {
            UnpackError::WordOverflow { index } => UnpackError::WordOverflow { index: index + xn },
            e => e,
        }))?;
    Ok((x, y))
}

/// The dataset hash of revealed words (what the runtime compares with the committed test-set hash).
pub fn test_set_hash(shape: &Shape, scales: &Scales, words: &[[u8; 32]]) -> Result<Fr, RevealError> {
    let (x, y) = checked_words(shape, words)?;
    let to_fr = |ws: &[[u8; 32]], base: usize| -> Result<Vec<Fr>, RevealError> {
        ws.iter().enumerate().map(|(i, w)| fr_from_bytes(w).map_err(|_| RevealError::NonCanonical { index: base + i })).collect()
    };
    let (xf, yf) = (to_fr(x, 0)?, to_fr(y, x.len())?);
    dataset::dataset_hash_from_words(shape, scales, &xf, &yf).map_err(RevealError::Shape)
}

/// The quantized `(X, Y)` a reveal carries (what a competitor scores against).
pub fn unpack_test_set(shape: &Shape, words: &[[u8; 32]]) -> Result<(Vec<i64>, Vec<i64>), RevealError> {
    let (x, y) = checked_words(shape, words)?;
    let xq = dataset::unpack(x, shape.x_len(), X_BITS).map_err(RevealError::Words)?;
    let yq = dataset::unpack(y, shape.y_len(), Y_BITS).map_err(RevealError::Words)?;
    Ok((xq, yq))
}

/// The words a reveal of `(x_q, y_q)` carries.
pub fn pack_test_set(x_q: &[i64], y_q: &[i64]) -> Vec<[u8; 32]> {
    let mut w: Vec<[u8; 32]> = dataset::pack(x_q, X_BITS).iter().map(crate::encoding::fr_to_bytes).collect();
    w.extend(dataset::pack(y_q, Y_BITS).iter().map(crate::encoding::fr_to_bytes));
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn reveal_round_trip_and_hash() {
        let shape = Shape { m: 7, p: 3, n: 1 };
        let scales = Scales { x_frac_bits: vec![10, 11, 12], y_frac_bits: 8 };
        let x: Vec<i64> = (0..21).map(|i| i * 1500 - 16000).collect();
        let y: Vec<i64> = (0..7).map(|i| i * 100_000 - 300_000).collect();
        let words = pack_test_set(&x, &y);
        assert_eq!(words.len(), reveal_words(&shape));
        assert_eq!(test_set_hash(&shape, &scales, &words).unwrap(), dataset::dataset_hash(&shape, &scales, &x, &y).unwrap());
        assert_eq!(unpack_test_set(&shape, &words).unwrap(), (x, y));
        let mut bad = words.clone();
        bad[2][31] = 0x80; // the Y word: 7 values × 24 bits = 168 bits used
        assert_eq!(test_set_hash(&shape, &scales, &bad), Err(RevealError::Words(UnpackError::WordOverflow { index: 2 })));
        assert!(matches!(test_set_hash(&shape, &scales, &words[..2]), Err(RevealError::Words(UnpackError::WordCount { .. }))));
        assert_eq!(competition_context(5), (1 << 63) + 5);
    }
}
