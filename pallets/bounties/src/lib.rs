//! # zkml bounties
//!
//! ML competitions whose payout is released by the runtime itself against a Groth16 proof (BN254) that a
//! quantized model reaches a loss cap on a registered dataset (an SSE for regressors, a count of misclassified
//! samples for classifiers), with the model delivered encrypted to the organizer. Everything the proof's public inputs need is rebuilt here from on-chain data with
//! [`zkml_primitives`], the crate the prover uses too.
//!
//! ## Lifecycle
//! 1. An organizer calls [`Pallet::register_dataset`]: the dataset hash (Poseidon, see
//!    `zkml_primitives::dataset`), its IPFS CID, its shape `(m, p, n)` and the quantization scales.
//! 2. The organizer calls [`Pallet::register_verifying_key`]: the key is decoded and checked (exactly the
//!    compressed size of a key for the claim layout's 8 public inputs) and is referenced by its `blake2_256`.
//!    It is registered for a shape and a **model kind** ([`ModelKindInfo`]: linear, MLP or tree ensemble, regression or
//!    K-class classification), which fixes what its proofs measure and the parameter count of a delivery; a
//!    classifier's dataset must hold one label column at scale `2^0` (checked when a bounty or competition
//!    uses it).
//! 3. The organizer calls [`Pallet::post_bounty`] naming one of *their own* datasets, one of *their own* keys
//!    for the dataset's shape, their BabyJubJub public key, the SSE cap and the amount (at least
//!    [`Config::MinBountyAmount`]). The amount is held ([`HoldReason::BountyEscrow`]) until paid or refunded.
//! 4. A competitor **reserves** the bounty with [`Pallet::claim`]: a proof, the envelope hash and the payee. The runtime verifies the proof against (dataset hash, cap, payee, bounty id, issuer
//!    key, envelope hash) and the first valid claim reserves the bounty for [`Config::DeliveryWindow`] blocks,
//!    holding a [`Config::ClaimBond`] from the claimant. Meanwhile nobody else can claim and the issuer
//!    cannot cancel.
//! 5. The model is **delivered** with [`Pallet::deliver`]: the competitor key, nonce and ciphertext, which
//!    must hash to the reserved envelope hash. The escrow goes to the payee, the bond back to the claimant, and the envelope is
//!    stored in [`Claims`] for the issuer to decrypt. If nobody delivers in time the reservation lapses: the
//!    bond is forfeited to the issuer and the bounty is open again (done by the next claim or cancel).
//! 6. After expiry the issuer may [`Pallet::cancel_bounty`] an open bounty to release the escrow.
//! 7. Finished records are removed by their owner to get the storage deposit back:
//!    [`Pallet::remove_bounty`] (cancelled, or paid once the issuer has retrieved the model),
//!    [`Pallet::remove_dataset`] and [`Pallet::remove_verifying_key`] (once no bounty record uses them).
//!
//! ## Competitions with a hidden test set
//! A bounty pays the first model under a cap on data everyone has; a competition ranks models on a test set
//! nobody but the organizer has seen, and the chain makes sure the organizer must show it:
//! 1. **Post** ([`Pallet::post_competition`]): the organizer names their training dataset, optionally a
//!    public validation split (a dataset of theirs with the same features and scales, and a key for it),
//!    commits to the hidden test set by its dataset hash and row count (features, outputs and scales are the
//!    training set's), names the scoring key (theirs, for the test shape), the windows and the prize split,
//!    and holds the prize ([`HoldReason::CompetitionPrize`]) and a reveal bond ([`HoldReason::RevealBond`]).
//! 2. **Submit** ([`Pallet::submit`]) until `submit_until`: a commitment to a model, which is the envelope hash
//!    of the model encrypted to the organizer (hiding and binding: `zkml_primitives::competition`), with an
//!    optional proof of its score on the validation split (the public leaderboard). Each submission holds
//!    [`Config::SubmissionDeposit`]; an account makes at most [`Config::MaxSubmissionsPerAccount`].
//! 3. **Reveal** ([`Pallet::reveal_test_set`]) after submissions close and by `reveal_until`: the packed test
//!    data goes on chain in the extrinsic; the runtime checks that every word is a valid packing (so the data
//!    unpacks to a tensor a proof can be made for) and that it hashes to the commitment. The bond comes back.
//!    Data availability is the chain's: the block body holds the data, IPFS at most a copy.
//! 4. **Score** ([`Pallet::score`]) for `score_blocks` after the reveal: a claim proof with the test set as
//!    dataset, the score as cap, the commitment as envelope hash, the payee and the competition's context id.
//!    It returns the submission deposit; [`Competition::ranking`] is the private leaderboard (ties: earlier
//!    commitment).
//! 5. **Finalize** ([`Pallet::finalize_competition`], anyone, after the window): unscored deposits go to the
//!    organizer and the top `shares.len()` take the prize slots. Each winner delivers with
//!    [`Pallet::deliver_model`] the envelope matching their commitment and is paid their share; a winner who
//!    does not deliver within [`Config::DeliveryWindow`] loses the slot to the next in rank at the next
//!    `finalize_competition`. Losers reveal nothing but a hash and a score.
//!
//! If no matching test set is revealed by `reveal_until`, `finalize_competition` pays prize and bond to the
//! committers, an equal part per submission, and returns their deposits: withholding the test set (or
//! committing to data that cannot be revealed) costs the organizer everything they put up.
//!
//! ## Keys from a ceremony
//! A Groth16 key is sound only if nobody knows its setup secrets, so keys are meant to come from a
//! multi-party ceremony recorded here (the arithmetic runs off chain, in the snarkjs formats; see the `zkml`
//! crate's `ceremony` module):
//! 1. A coordinator (normally the organizer) calls [`Pallet::open_ceremony`] for a shape: phase 1 (powers of
//!    tau) is open for contributions for `phase1_blocks`.
//! 2. Anyone calls [`Pallet::contribute`] with the hash of their contribution, the hash it builds on (so
//!    the record is one chain, in order) and the CID of the resulting file. The signer is recorded as the
//!    contributor; each record holds a deposit from its contributor.
//! 3. After the window, the coordinator calls [`Pallet::finish_phase1`]: the beacon is the hash of the
//!    window's last block — fixed by the chain, unknown to every contributor while they contributed — and the
//!    coordinator records the beacon contribution, the prepared phase-1 file and the initial phase-2 key.
//!    Phase 2 (δ) is then open for `phase2_blocks`, with the same [`Pallet::contribute`].
//! 4. [`Pallet::finish_phase2`] applies the phase-2 beacon the same way and registers the final verifying
//!    key as the coordinator's, with [`VerifyingKeyInfo::ceremony`] pointing at this record — its provenance.
//!
//! The chain cannot check the files (that is O(circuit) work); it fixes *who* contributed *what*, in which
//! order, and the beacons, so that anyone can download the transcript and check it against this record
//! (`zkml ceremony verify`; the CLI refuses by default to claim against a key without a verified ceremony).
//! A competitor who contributed to both phases needs to trust no one else.
//!
//! ## Why reserve, then deliver
//! The proof binds the envelope only through its hash (public input 7), so a claim can be verified without
//! the ciphertext. A claim that loses a race (another valid claim reserved the bounty first, or the issuer
//! solved their own public-data bounty) is included as a failed extrinsic holding a proof and a hash, which
//! reveal nothing about the model (Groth16 is zero-knowledge; the hash absorbs a fresh random nonce). The
//! ciphertext is sent only once the bounty is reserved for *this* envelope, and [`Pallet::deliver`] pays
//! whoever's envelope it is: the payee is fixed by the proof, so anyone who copies a claim from the pool
//! only reserves the bounty for the original payee (and risks their own bond), and the original competitor
//! can still deliver. For the same reason a claim carries nothing the proof does not bind: the competitor key
//! is sent with the delivery (it is part of the hashed envelope), so a copier cannot swap it and leave a
//! reservation nobody can deliver.
//!
//! ## Records nobody can squat
//! Datasets and verifying keys are keyed by `(owner, hash)`, and a bounty may only use its issuer's own
//! records. Registering somebody else's dataset hash or key bytes first (from the transaction pool) creates
//! the squatter's own record and nothing else.
//!
//! ## Deposits
//! Datasets, verifying keys and bounties each hold a storage deposit from their creator through
//! [`Config::Deposit`] (a `Consideration`, sized by the record's encoded length), returned when the record is
//! removed. The bounty deposit covers the stored envelope too, since the issuer is the one who needs it.
//! Reservations are paid for by the claim bond. A dataset or key cannot be removed while a bounty record
//! refers to it ([`DatasetInfo::bounties`], [`VerifyingKeyInfo::bounties`]).
//!
//! ## Untrusted bytes
//! Every decode of user bytes is bounded before a library allocates: calls take `BoundedVec`s, verifying
//! keys must be exactly [`groth16::VERIFYING_KEY_BYTES`] with the right length prefix, proofs exactly
//! [`groth16::PROOF_BYTES`], and shape arithmetic is checked `u64` (the runtime's `usize` is 32 bits).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod fixture;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;
pub mod competition;

pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
    use super::WeightInfo;
    pub use crate::competition::{
        Competition, CompetitionId, CompetitionPhase, PublicScore, Slot, Submission, SubmissionIndex, Validation,
    };
    use alloc::vec::Vec;
    use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
    use frame_support::{
        pallet_prelude::*,
        traits::{
            fungible::{Inspect, MutateHold},
            tokens::{Fortitude, Precision, Restriction},
            Consideration, Footprint,
        },
    };
    use frame_system::pallet_prelude::*;
    use scale_info::TypeInfo;
    use sp_runtime::traits::{Saturating, Zero};
    use zkml_primitives::{
        claim::{ClaimStatement, Envelope},
        dataset::Shape,
        encoding::{fr_from_bytes, fr_to_bytes},
        groth16::{self, Groth16Error},
        keys::PublicKey,
        model::{ModelError, ModelKind, Task},
        Fr,
    };

    pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
    pub type BountyId = u64;
    /// A canonical BN254 scalar-field element, little-endian (the dataset hash, nonces, ciphertext).
    pub type FieldBytes = [u8; 32];

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    /// Why funds are held.
    #[pallet::composite_enum]
    pub enum HoldReason {
        /// A bounty's amount, until it is paid or refunded.
        BountyEscrow,
        /// Storage deposits for datasets, keys and bounties.
        StorageDeposit,
        /// A claimant's bond while their reservation awaits delivery.
        ClaimBond,
        /// A competition's prize, until paid to the winners (or the committers, if the test set is withheld).
        CompetitionPrize,
        /// A competition organizer's bond, until the test set is revealed.
        RevealBond,
        /// A submission's deposit, until it is scored.
        SubmissionDeposit,
    }

    #[pallet::config]
    pub trait Config: frame_system::Config {
        #[allow(deprecated)]
        type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
        /// The currency bounties are paid in.
        type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
        type RuntimeHoldReason: From<HoldReason>;
        /// Storage deposit for each record, by its footprint.
        type Deposit: Consideration<Self::AccountId, Footprint>;
        /// Largest accepted verifying key, in bytes (a claim key is exactly `groth16::VERIFYING_KEY_BYTES`).
        #[pallet::constant]
        type MaxVerifyingKeyLen: Get<u32>;
        /// Largest accepted IPFS CID, in bytes.
        #[pallet::constant]
        type MaxCidLen: Get<u32>;
        /// Largest number of features `p` of a dataset.
        #[pallet::constant]
        type MaxFeatures: Get<u32>;
        /// Largest number of model parameters `p·n + n` (ciphertext elements).
        #[pallet::constant]
        type MaxParams: Get<u32>;
        /// Smallest bounty: at least the existential deposit, so a payout can create a fresh payee account.
        #[pallet::constant]
        type MinBountyAmount: Get<BalanceOf<Self>>;
        /// Held from a claimant while their reservation awaits delivery; forfeited to the issuer if it lapses.
        #[pallet::constant]
        type ClaimBond: Get<BalanceOf<Self>>;
        /// How long a reservation waits for delivery. It must comfortably outlast a finality stall: delivery
        /// is normally sent as soon as the claim is in a best block.
        #[pallet::constant]
        type DeliveryWindow: Get<BlockNumberFor<Self>>;
        /// Most contributions (beacon included) a ceremony records per phase.
        #[pallet::constant]
        type MaxContributions: Get<u32>;
        /// Most submissions a competition takes.
        #[pallet::constant]
        type MaxSubmissions: Get<u32>;
        /// Most submissions one account may make to a competition.
        #[pallet::constant]
        type MaxSubmissionsPerAccount: Get<u32>;
        /// Most prize shares (winners) of a competition.
        #[pallet::constant]
        type MaxWinners: Get<u32>;
        /// Most packed words a test-set reveal may carry (bounds the extrinsic; see BENCHMARKS.md for what fits
        /// a block).
        #[pallet::constant]
        type MaxRevealWords: Get<u32>;
        /// Held per submission until it is scored; forfeited to the organizer if it never is.
        #[pallet::constant]
        type SubmissionDeposit: Get<BalanceOf<Self>>;
        /// Smallest bond an organizer holds until the test set is revealed.
        #[pallet::constant]
        type MinRevealBond: Get<BalanceOf<Self>>;
        /// Shortest scoring window. An organizer who could make it a block long would reveal and close scoring
        /// before anyone can prove, and get the prize back for want of scores.
        #[pallet::constant]
        type MinScoreBlocks: Get<BlockNumberFor<Self>>;
        type WeightInfo: WeightInfo;
    }

    #[derive(Clone, Copy, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
    pub struct DatasetShape {
        pub m: u32,
        pub p: u32,
        pub n: u32,
    }

    impl From<DatasetShape> for Shape {
        fn from(s: DatasetShape) -> Shape {
            Shape { m: s.m, p: s.p, n: s.n }
        }
    }

    /// What a model predicts (`zkml_primitives::model::Task`).
    #[derive(Clone, Copy, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
    pub enum ModelTask {
        /// Targets; proofs bound the sum of squared errors.
        Regression,
        /// Labels `0..classes` in the dataset's single Y column at scale `2^0`; proofs bound the misclassified
        /// samples.
        Classification { classes: u32 },
    }

    /// The model kind a verifying key is made for (`zkml_primitives::model::ModelKind`): it fixes the circuit
    /// (so what the key's proofs measure) and the parameter count of a delivery.
    #[derive(Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
    pub enum ModelKindInfo {
        Linear { task: ModelTask },
        Mlp { hidden: BoundedVec<u32, ConstU32<{ zkml_primitives::model::MAX_HIDDEN_LAYERS as u32 }>>, task: ModelTask },
        /// `trees` decision trees of `depth` levels (`zkml_primitives::model::ModelKind::Trees`).
        Trees { trees: u32, depth: u32, task: ModelTask },
    }

    impl ModelKindInfo {
        pub const LINEAR_REGRESSION: Self = Self::Linear { task: ModelTask::Regression };
    }

    impl From<ModelTask> for Task {
        fn from(t: ModelTask) -> Task {
            match t {
                ModelTask::Regression => Task::Regression,
                ModelTask::Classification { classes } => Task::Classification { classes },
            }
        }
    }

    impl From<&ModelKindInfo> for ModelKind {
        fn from(k: &ModelKindInfo) -> ModelKind {
            match k {
                ModelKindInfo::Linear { task } => ModelKind::Linear { task: (*task).into() },
                ModelKindInfo::Mlp { hidden, task } => ModelKind::Mlp { hidden: hidden.to_vec(), task: (*task).into() },
                ModelKindInfo::Trees { trees, depth, task } => ModelKind::Trees { trees: *trees, depth: *depth, task: (*task).into() },
            }
        }
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct DatasetInfo<T: Config> {
        pub organizer: T::AccountId,
        pub cid: BoundedVec<u8, T::MaxCidLen>,
        pub shape: DatasetShape,
        /// `fx_j`: column `j` of X is quantized at `2^fx_j`.
        pub x_frac_bits: BoundedVec<i8, T::MaxFeatures>,
        /// `fy`: Y is quantized at `2^fy`; the SSE cap is in units of `2^(-2(fy + 16))`.
        pub y_frac_bits: i8,
        pub created_at: BlockNumberFor<T>,
        /// Bounty records (of any state) that use this dataset; it cannot be removed while non-zero.
        pub bounties: u32,
        pub deposit: T::Deposit,
    }

    pub type CeremonyId = u32;
    /// A 64-byte BLAKE2b contribution hash (snarkjs' "contribution hash").
    pub type ContributionHash = [u8; 64];

    /// One step of a ceremony, as its signer recorded it.
    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct Contribution<T: Config> {
        pub contributor: T::AccountId,
        pub hash: ContributionHash,
        /// The file after this contribution.
        pub cid: BoundedVec<u8, T::MaxCidLen>,
        /// The phase's closing beacon (recorded by the coordinator) rather than a secret contribution.
        pub beacon: bool,
        pub at: BlockNumberFor<T>,
        pub deposit: T::Deposit,
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
    #[scale_info(skip_type_params(T))]
    pub enum CeremonyPhase<T: Config> {
        /// Powers of tau: contributions accepted up to and including `ends_at`.
        Phase1 { ends_at: BlockNumberFor<T> },
        /// The circuit's δ: contributions accepted up to and including `ends_at`.
        Phase2 { ends_at: BlockNumberFor<T> },
        /// The final key is registered under the coordinator as `key_hash`.
        Finished { key_hash: [u8; 32] },
    }

    /// A multi-party setup for one claim shape.
    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct Ceremony<T: Config> {
        pub coordinator: T::AccountId,
        pub shape: DatasetShape,
        /// The model kind of the circuit (with the shape, what phase 2 and every verifier rebuild).
        pub model: ModelKindInfo,
        /// Powers of tau up to `2^power`.
        pub power: u8,
        pub phase: CeremonyPhase<T>,
        /// Length of the phase-2 window, counted from the end of phase 1.
        pub phase2_blocks: BlockNumberFor<T>,
        pub phase1: BoundedVec<Contribution<T>, T::MaxContributions>,
        pub phase2: BoundedVec<Contribution<T>, T::MaxContributions>,
        /// Each phase's beacon: the hash of the block that closed its window.
        pub phase1_beacon: Option<[u8; 32]>,
        pub phase2_beacon: Option<[u8; 32]>,
        /// The prepared phase-1 file (what phase 2 and every verifier read).
        pub phase1_cid: BoundedVec<u8, T::MaxCidLen>,
        /// The initial phase-2 key (derived from the circuit and the prepared phase 1).
        pub phase2_init_cid: BoundedVec<u8, T::MaxCidLen>,
        pub deposit: T::Deposit,
    }

    impl<T: Config> Ceremony<T> {
        /// The latest file of the open phase's transcript: what the next contributor starts from (`None`
        /// for the first phase-1 contribution, which starts from the deterministic empty accumulator).
        pub fn latest_cid(&self) -> Option<&BoundedVec<u8, T::MaxCidLen>> {
            match self.phase {
                CeremonyPhase::Phase1 { .. } => self.phase1.last().map(|c| &c.cid),
                _ => self.phase2.last().map(|c| &c.cid).or(Some(&self.phase2_init_cid)),
            }
        }
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct VerifyingKeyInfo<T: Config> {
        /// arkworks compressed `VerifyingKey<Bn254>`.
        pub key: BoundedVec<u8, T::MaxVerifyingKeyLen>,
        pub registrant: T::AccountId,
        pub shape: DatasetShape,
        /// The model kind the key's circuit evaluates.
        pub model: ModelKindInfo,
        /// Where competitors fetch the matching proving key (may be empty).
        pub proving_key_cid: BoundedVec<u8, T::MaxCidLen>,
        /// Bounty records (of any state) that use this key; it cannot be removed while non-zero.
        pub bounties: u32,
        /// The ceremony that produced this key (its provenance); `None` for a key registered directly, which
        /// whoever made it could have kept the secrets of.
        pub ceremony: Option<CeremonyId>,
        pub deposit: T::Deposit,
    }

    /// A verified claim waiting for its model.
    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct Reservation<T: Config> {
        /// Who submitted the claim and holds the bond.
        pub claimant: T::AccountId,
        /// Who is paid on delivery (a public input of the proof).
        pub payee: T::AccountId,
        /// The proven envelope hash: the delivery must hash to it.
        pub envelope_hash: FieldBytes,
        /// Last block at which [`Pallet::deliver`] is accepted.
        pub deliver_by: BlockNumberFor<T>,
        pub bond: BalanceOf<T>,
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
    #[scale_info(skip_type_params(T))]
    pub enum BountyState<T: Config> {
        Open,
        /// A valid claim holds the bounty until delivery or `deliver_by`.
        Reserved(Reservation<T>),
        /// Paid to `payee`; the envelope is in [`Claims`].
        Paid { payee: T::AccountId },
        /// Refunded to the issuer after expiry.
        Cancelled,
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct Bounty<T: Config> {
        pub issuer: T::AccountId,
        /// The issuer's dataset record `(issuer, dataset)`.
        pub dataset: FieldBytes,
        /// The issuer's key record `(issuer, verifying_key)`.
        pub verifying_key: [u8; 32],
        /// Compressed BabyJubJub public key the model is encrypted to.
        pub issuer_key: [u8; 32],
        /// Cap on the quantized sum of squared residuals.
        pub sse_cap: u128,
        pub amount: BalanceOf<T>,
        pub expires_at: BlockNumberFor<T>,
        /// Model parameters of the key's kind on the dataset's shape: the ciphertext length a delivery must have.
        pub params: u32,
        pub state: BountyState<T>,
        pub deposit: T::Deposit,
    }

    /// What the issuer needs to decrypt the winning model.
    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, PartialEqNoBound, EqNoBound, CloneNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct ClaimRecord<T: Config> {
        pub claimant: T::AccountId,
        pub payee: T::AccountId,
        pub competitor_key: [u8; 32],
        pub nonce: FieldBytes,
        pub ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
        pub at: BlockNumberFor<T>,
    }

    /// Datasets by `(organizer, dataset hash)`.
    #[pallet::storage]
    pub type Datasets<T: Config> =
        StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, FieldBytes, DatasetInfo<T>>;

    /// Verifying keys by `(registrant, blake2_256(key))`.
    #[pallet::storage]
    pub type VerifyingKeys<T: Config> =
        StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, [u8; 32], VerifyingKeyInfo<T>>;

    #[pallet::storage]
    pub type Bounties<T: Config> = StorageMap<_, Twox64Concat, BountyId, Bounty<T>>;

    #[pallet::storage]
    pub type NextBountyId<T: Config> = StorageValue<_, BountyId, ValueQuery>;

    #[pallet::storage]
    pub type Ceremonies<T: Config> = StorageMap<_, Twox64Concat, CeremonyId, Ceremony<T>>;

    #[pallet::storage]
    pub type NextCeremonyId<T: Config> = StorageValue<_, CeremonyId, ValueQuery>;

    /// The delivered claim of each paid bounty.
    #[pallet::storage]
    pub type Claims<T: Config> = StorageMap<_, Twox64Concat, BountyId, ClaimRecord<T>>;

    #[pallet::storage]
    pub type Competitions<T: Config> = StorageMap<_, Twox64Concat, CompetitionId, Competition<T>>;

    #[pallet::storage]
    pub type NextCompetitionId<T: Config> = StorageValue<_, CompetitionId, ValueQuery>;

    /// Submissions by `(competition, index)`; the index is the order of commitment.
    #[pallet::storage]
    pub type Submissions<T: Config> =
        StorageDoubleMap<_, Twox64Concat, CompetitionId, Twox64Concat, SubmissionIndex, Submission<T>>;

    /// Submissions per `(competition, account)`, for [`Config::MaxSubmissionsPerAccount`].
    #[pallet::storage]
    pub type SubmissionCounts<T: Config> =
        StorageDoubleMap<_, Twox64Concat, CompetitionId, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

    /// The delivered envelopes of a competition's winners, by `(competition, submission)`.
    #[pallet::storage]
    pub type CompetitionModels<T: Config> =
        StorageDoubleMap<_, Twox64Concat, CompetitionId, Twox64Concat, SubmissionIndex, ClaimRecord<T>>;

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        DatasetRegistered { dataset: FieldBytes, organizer: T::AccountId, shape: DatasetShape },
        VerifyingKeyRegistered { key_hash: [u8; 32], registrant: T::AccountId, shape: DatasetShape },
        BountyPosted {
            bounty: BountyId,
            issuer: T::AccountId,
            dataset: FieldBytes,
            amount: BalanceOf<T>,
            sse_cap: u128,
            expires_at: BlockNumberFor<T>,
        },
        /// A valid claim reserved the bounty; the model must be delivered by `deliver_by`.
        BountyReserved {
            bounty: BountyId,
            claimant: T::AccountId,
            payee: T::AccountId,
            envelope_hash: FieldBytes,
            deliver_by: BlockNumberFor<T>,
        },
        /// Delivered and paid; the envelope lets the issuer decrypt the model (also stored in [`Claims`]).
        BountyClaimed {
            bounty: BountyId,
            payee: T::AccountId,
            amount: BalanceOf<T>,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
        },
        /// Nobody delivered in time: the bounty is open again and the bond went to the issuer.
        ReservationLapsed { bounty: BountyId, claimant: T::AccountId, forfeited: BalanceOf<T> },
        BountyCancelled { bounty: BountyId, refunded: BalanceOf<T> },
        BountyRemoved { bounty: BountyId },
        DatasetRemoved { dataset: FieldBytes, organizer: T::AccountId },
        VerifyingKeyRemoved { key_hash: [u8; 32], registrant: T::AccountId },
        CeremonyOpened { ceremony: CeremonyId, coordinator: T::AccountId, shape: DatasetShape, phase1_ends_at: BlockNumberFor<T> },
        Contributed { ceremony: CeremonyId, phase: u8, index: u32, contributor: T::AccountId, hash: ContributionHash },
        /// A phase closed with the chain's beacon; for phase 1, phase 2 is now open until `phase2_ends_at`.
        PhaseFinished { ceremony: CeremonyId, phase: u8, beacon: [u8; 32], phase2_ends_at: Option<BlockNumberFor<T>> },
        /// The ceremony's final key is registered under its coordinator.
        CeremonyFinished { ceremony: CeremonyId, key_hash: [u8; 32] },
        CeremonyRemoved { ceremony: CeremonyId },
        CompetitionPosted {
            competition: CompetitionId,
            organizer: T::AccountId,
            prize: BalanceOf<T>,
            bond: BalanceOf<T>,
            submit_until: BlockNumberFor<T>,
            reveal_until: BlockNumberFor<T>,
        },
        /// A model commitment (and, if sent, its proven score on the validation split).
        Submitted {
            competition: CompetitionId,
            index: SubmissionIndex,
            submitter: T::AccountId,
            commitment: FieldBytes,
            public_score: Option<u128>,
        },
        /// The test set matching the commitment is in extrinsic `extrinsic` of block `at`; scoring is open.
        TestSetRevealed { competition: CompetitionId, at: BlockNumberFor<T>, extrinsic: u32, score_until: BlockNumberFor<T> },
        /// A proven score on the test set; `rank` is its place on the private leaderboard when it was scored.
        Scored { competition: CompetitionId, index: SubmissionIndex, score: u128, payee: T::AccountId, rank: u32 },
        /// No reveal in time: `paid` (prize and bond) went to the `submissions` committers, `returned` (the
        /// division's remainder) to the organizer.
        CompetitionForfeited { competition: CompetitionId, paid: BalanceOf<T>, submissions: u32, returned: BalanceOf<T> },
        /// Ranked: the `winners` (submission indices, by rank) must deliver by `deliver_by`.
        CompetitionFinalized { competition: CompetitionId, winners: Vec<SubmissionIndex>, deliver_by: BlockNumberFor<T> },
        /// A winner did not deliver in time: the slot passed to the next in rank (`None`: back to the organizer).
        SlotPassed {
            competition: CompetitionId,
            slot: u32,
            from: SubmissionIndex,
            to: Option<SubmissionIndex>,
            deliver_by: BlockNumberFor<T>,
        },
        /// A winner delivered their model and was paid their share.
        WinnerPaid { competition: CompetitionId, index: SubmissionIndex, slot: u32, payee: T::AccountId, amount: BalanceOf<T> },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The dataset hash is not a canonical field element.
        MalformedDatasetHash,
        /// This organizer already registered a dataset with this hash.
        DatasetExists,
        /// No such dataset registered by this account.
        UnknownDataset,
        /// Zero dimension, too many features or parameters, or counts beyond 32 bits.
        UnsupportedShape,
        /// The scales do not match the shape or are out of range.
        InvalidScales,
        /// The verifying key bytes are not a compressed Groth16 BN254 key of the claim layout's size.
        MalformedVerifyingKey,
        /// The key serves a different number of public inputs than claims have.
        WrongPublicInputCount,
        /// This account already registered this key.
        VerifyingKeyExists,
        /// No such verifying key registered by this account.
        UnknownVerifyingKey,
        /// The verifying key was made for another shape than the dataset's.
        ShapeMismatch,
        /// The model kind is unsupported: fewer than 2 classes, no or too many hidden layers, a layer of width
        /// 0 or too wide, or more parameters than `MaxParams`.
        UnsupportedModel,
        /// The dataset does not suit the key's model kind: a classifier needs exactly one Y column of labels
        /// stored at scale 2^0.
        DatasetNotForModel,
        /// The keys of a competition's validation split and test set are for different model kinds.
        ModelMismatch,
        /// Not a compressed BabyJubJub point of the prime-order subgroup.
        InvalidPublicKey,
        /// The amount is below [`Config::MinBountyAmount`].
        AmountBelowMinimum,
        ZeroDuration,
        /// The account cannot cover the amount, bond or deposit.
        InsufficientBalance,
        UnknownBounty,
        /// Already paid or cancelled.
        BountyNotOpen,
        /// Another claim holds the bounty until its delivery window ends.
        BountyReserved,
        /// Past its expiry block.
        BountyExpired,
        /// Only the issuer may cancel or remove.
        NotIssuer,
        /// Cancelling needs the bounty to be expired.
        NotExpired,
        /// The bounty has no reservation awaiting delivery.
        NotReserved,
        /// The reservation's delivery window has passed.
        DeliveryWindowPassed,
        /// The delivered envelope does not hash to the reserved envelope hash.
        EnvelopeMismatch,
        /// The ciphertext does not have `p·n + n` elements.
        WrongCiphertextLength,
        /// A nonce, envelope hash or ciphertext element is not a canonical field element.
        MalformedEnvelope,
        /// Not 128 bytes of a valid compressed proof.
        MalformedProof,
        /// The proof does not verify for these public inputs.
        InvalidProof,
        /// The bounty is still open or reserved: only cancelled or paid bounties can be removed.
        BountyNotFinished,
        /// A bounty record still uses this dataset or key.
        RecordInUse,
        /// Only the owner may remove a record.
        NotOwner,
        UnknownCeremony,
        /// Powers of tau must be between 2^1 and 2^28 (BN254's two-adicity).
        InvalidPower,
        /// The ceremony's current phase does not accept this call (window closed, not yet closed, finished).
        WrongPhase,
        /// `previous` is not the hash of the phase's latest contribution: build on the latest file.
        NotLatest,
        /// The phase already has [`Config::MaxContributions`] records.
        TooManyContributions,
        /// A phase needs at least one secret contribution before its beacon: a beacon alone is public.
        NoContributions,
        /// The hash of the block that closed the window is no longer kept (`BlockHashCount`): the ceremony
        /// can only be removed and run again.
        BeaconUnavailable,
        /// Only the coordinator may finish or remove a ceremony.
        NotCoordinator,
        /// The ceremony's key is still registered: remove the key first (it refers to this record).
        CeremonyInUse,
        /// Prize shares must be 1 to `MaxWinners` positive weights.
        InvalidShares,
        /// The reveal bond is below [`Config::MinRevealBond`].
        BondBelowMinimum,
        UnknownCompetition,
        /// The submission deadline has passed.
        SubmissionsClosed,
        /// This account already made [`Config::MaxSubmissionsPerAccount`] submissions to the competition.
        SubmissionLimitReached,
        /// The competition has [`Config::MaxSubmissions`] submissions.
        CompetitionFull,
        /// A public score was sent but the competition has no validation split.
        NoValidationSet,
        /// The test set may only be revealed after the submission deadline.
        SubmissionsOpen,
        /// The test set was already revealed, or its reveal deadline has passed.
        RevealClosed,
        /// The revealed words are not a packed test set of the committed shape (count, or bits beyond a word's
        /// values, or not canonical).
        MalformedTestSet,
        /// The revealed test set does not hash to the committed test-set hash.
        TestSetMismatch,
        /// Scores are accepted only after the reveal, until the scoring window ends.
        NotScoring,
        UnknownSubmission,
        /// Only the submitter may score their submission.
        NotSubmitter,
        AlreadyScored,
        /// Nothing to settle yet: the reveal deadline, the scoring window or a delivery window is still running.
        TooEarly,
        /// The competition was settled without a reveal.
        CompetitionOver,
        /// This submission holds no prize slot awaiting delivery.
        NotWinner,
        /// The scoring window is shorter than [`Config::MinScoreBlocks`].
        ScoreWindowTooShort,
        /// The test set would need more than [`Config::MaxRevealWords`] words to reveal: it could never be
        /// revealed in one block.
        TestSetTooLarge,
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        fn integrity_test() {
            assert!(
                T::MinBountyAmount::get() >= T::Currency::minimum_balance(),
                "MinBountyAmount must be at least the existential deposit: a payout must be able to create the payee"
            );
            assert!(!T::DeliveryWindow::get().is_zero(), "DeliveryWindow must be positive");
            assert!(!T::MinScoreBlocks::get().is_zero(), "MinScoreBlocks must be positive");
            // A competition whose test set cannot be revealed in a block would forfeit an honest organizer's prize.
            let reveal = T::WeightInfo::reveal_test_set(T::MaxRevealWords::get());
            let max = <T as frame_system::Config>::BlockWeights::get().get(DispatchClass::Normal).max_extrinsic;
            assert!(
                max.is_none_or(|max| reveal.all_lte(max)),
                "MaxRevealWords must be revealable in one block: a reveal of that size outweighs a normal extrinsic"
            );
            // A model of MaxParams parameters must be deliverable, or a winner could never be paid.
            let params = T::MaxParams::get();
            let deliver = T::WeightInfo::deliver(params).max(T::WeightInfo::deliver_model(params));
            assert!(
                max.is_none_or(|max| deliver.all_lte(max)),
                "MaxParams must be deliverable in one block: a delivery of that size outweighs a normal extrinsic"
            );
            assert!(
                T::MaxVerifyingKeyLen::get() as usize >= groth16::VERIFYING_KEY_BYTES,
                "MaxVerifyingKeyLen must admit a claim key"
            );
        }
    }

    /// The 32 bytes that stand for an account in the proof's payee input: the SCALE encoding, zero-padded to
    /// 32 bytes (an `AccountId32` is itself), or its `blake2_256` if longer.
    pub fn account_bytes<A: Encode>(a: &A) -> [u8; 32] {
        let e = a.encode();
        if e.len() <= 32 {
            let mut out = [0u8; 32];
            out[..e.len()].copy_from_slice(&e);
            out
        } else {
            sp_io::hashing::blake2_256(&e)
        }
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Registers a dataset by its hash, with its IPFS CID, shape and quantization scales, under the
        /// caller's account.
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::register_dataset(x_frac_bits.len() as u32))]
        pub fn register_dataset(
            origin: OriginFor<T>,
            dataset: FieldBytes,
            cid: BoundedVec<u8, T::MaxCidLen>,
            shape: DatasetShape,
            x_frac_bits: BoundedVec<i8, T::MaxFeatures>,
            y_frac_bits: i8,
        ) -> DispatchResult {
            let organizer = ensure_signed(origin)?;
            fr_from_bytes(&dataset).map_err(|_| Error::<T>::MalformedDatasetHash)?;
            Self::check_shape(shape)?;
            ensure!(x_frac_bits.len() == shape.p as usize, Error::<T>::InvalidScales);
            let in_range = |f: i8| (-64..=64).contains(&f);
            ensure!(x_frac_bits.iter().all(|f| in_range(*f)) && in_range(y_frac_bits), Error::<T>::InvalidScales);
            ensure!(!Datasets::<T>::contains_key(&organizer, dataset), Error::<T>::DatasetExists);
            let footprint = Footprint::from_parts(1, 32 + cid.len() + x_frac_bits.len() + 64 + 2 * T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&organizer, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            let created_at = frame_system::Pallet::<T>::block_number();
            Datasets::<T>::insert(
                &organizer,
                dataset,
                DatasetInfo {
                    organizer: organizer.clone(),
                    cid,
                    shape,
                    x_frac_bits,
                    y_frac_bits,
                    created_at,
                    bounties: 0,
                    deposit,
                },
            );
            Self::deposit_event(Event::DatasetRegistered { dataset, organizer, shape });
            Ok(())
        }

        /// Registers a Groth16 verifying key for claims of `shape` under the caller's account; it is then
        /// referenced by the `blake2_256` of its bytes.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::register_verifying_key())]
        pub fn register_verifying_key(
            origin: OriginFor<T>,
            key: BoundedVec<u8, T::MaxVerifyingKeyLen>,
            shape: DatasetShape,
            model: ModelKindInfo,
            proving_key_cid: BoundedVec<u8, T::MaxCidLen>,
        ) -> DispatchResult {
            let registrant = ensure_signed(origin)?;
            // Size and length prefix are checked inside before arkworks allocates anything.
            groth16::decode_verifying_key(&key).map_err(|e| match e {
                Groth16Error::WrongInputCount { .. } => Error::<T>::WrongPublicInputCount,
                _ => Error::<T>::MalformedVerifyingKey,
            })?;
            Self::check_model(shape, &model, None)?;
            let key_hash = sp_io::hashing::blake2_256(&key);
            ensure!(!VerifyingKeys::<T>::contains_key(&registrant, key_hash), Error::<T>::VerifyingKeyExists);
            let footprint = Footprint::from_parts(1, key.len() + proving_key_cid.len() + 64 + 2 * T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&registrant, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            VerifyingKeys::<T>::insert(
                &registrant,
                key_hash,
                VerifyingKeyInfo {
                    key,
                    registrant: registrant.clone(),
                    shape,
                    model,
                    proving_key_cid,
                    bounties: 0,
                    ceremony: None,
                    deposit,
                },
            );
            Self::deposit_event(Event::VerifyingKeyRegistered { key_hash, registrant, shape });
            Ok(())
        }

        /// Escrows `amount` for the first delivered claim of a model with SSE ≤ `sse_cap` on the caller's
        /// `dataset`, proven with the caller's `verifying_key`, encrypted to `issuer_key`, claimable for
        /// `expires_in` blocks from now.
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::post_bounty())]
        pub fn post_bounty(
            origin: OriginFor<T>,
            dataset: FieldBytes,
            verifying_key: [u8; 32],
            issuer_key: [u8; 32],
            sse_cap: u128,
            amount: BalanceOf<T>,
            expires_in: BlockNumberFor<T>,
        ) -> DispatchResult {
            let issuer = ensure_signed(origin)?;
            ensure!(amount >= T::MinBountyAmount::get(), Error::<T>::AmountBelowMinimum);
            ensure!(!expires_in.is_zero(), Error::<T>::ZeroDuration);
            PublicKey::from_bytes(&issuer_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
            let mut ds = Datasets::<T>::get(&issuer, dataset).ok_or(Error::<T>::UnknownDataset)?;
            let mut vk = VerifyingKeys::<T>::get(&issuer, verifying_key).ok_or(Error::<T>::UnknownVerifyingKey)?;
            ensure!(vk.shape == ds.shape, Error::<T>::ShapeMismatch);
            let params = Self::check_model(ds.shape, &vk.model, Some(ds.y_frac_bits))?;
            let footprint = Footprint::from_parts(
                1,
                256 + params as usize * 32 + 3 * T::AccountId::max_encoded_len(),
            );
            let deposit = T::Deposit::new(&issuer, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            T::Currency::hold(&HoldReason::BountyEscrow.into(), &issuer, amount)
                .map_err(|_| Error::<T>::InsufficientBalance)?;
            ds.bounties = ds.bounties.saturating_add(1);
            vk.bounties = vk.bounties.saturating_add(1);
            Datasets::<T>::insert(&issuer, dataset, ds);
            VerifyingKeys::<T>::insert(&issuer, verifying_key, vk);
            let bounty = NextBountyId::<T>::get();
            NextBountyId::<T>::put(bounty.saturating_add(1));
            let expires_at = frame_system::Pallet::<T>::block_number().saturating_add(expires_in);
            Bounties::<T>::insert(
                bounty,
                Bounty {
                    issuer: issuer.clone(),
                    dataset,
                    verifying_key,
                    issuer_key,
                    sse_cap,
                    amount,
                    expires_at,
                    params,
                    state: BountyState::Open,
                    deposit,
                },
            );
            Self::deposit_event(Event::BountyPosted { bounty, issuer, dataset, amount, sse_cap, expires_at });
            Ok(())
        }

        /// Reserves an open, unexpired bounty with a proof that the model encrypted in the envelope hashing to
        /// `envelope_hash` meets the cap and pays `payee`. Holds [`Config::ClaimBond`] from the caller until
        /// delivery. No ciphertext is sent: a claim that loses a race reveals only the proof and the hash.
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::claim())]
        pub fn claim(
            origin: OriginFor<T>,
            bounty: BountyId,
            proof: BoundedVec<u8, ConstU32<{ groth16::PROOF_BYTES as u32 }>>,
            envelope_hash: FieldBytes,
            payee: T::AccountId,
        ) -> DispatchResult {
            let claimant = ensure_signed(origin)?;
            // Cheap, storage-free checks first: bytes that are not a proof never reach a pairing.
            let proof = groth16::decode_proof(&proof).map_err(|_| Error::<T>::MalformedProof)?;
            let envelope_hash_fr = fr_from_bytes(&envelope_hash).map_err(|_| Error::<T>::MalformedEnvelope)?;
            let mut b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            let now = frame_system::Pallet::<T>::block_number();
            Self::lapse_if_due(bounty, &mut b, now)?;
            match b.state {
                BountyState::Open => {}
                BountyState::Reserved(_) => return Err(Error::<T>::BountyReserved.into()),
                _ => return Err(Error::<T>::BountyNotOpen.into()),
            }
            ensure!(now <= b.expires_at, Error::<T>::BountyExpired);
            let statement = Self::claim_statement(bounty, &b, envelope_hash_fr, &payee)?;
            Self::verify_statement(&b.issuer, b.verifying_key, &proof, &statement)?;
            let bond = T::ClaimBond::get();
            T::Currency::hold(&HoldReason::ClaimBond.into(), &claimant, bond)
                .map_err(|_| Error::<T>::InsufficientBalance)?;
            let deliver_by = now.saturating_add(T::DeliveryWindow::get());
            b.state = BountyState::Reserved(Reservation {
                claimant: claimant.clone(),
                payee: payee.clone(),
                envelope_hash,
                deliver_by,
                bond,
            });
            Bounties::<T>::insert(bounty, b);
            Self::deposit_event(Event::BountyReserved { bounty, claimant, payee, envelope_hash, deliver_by });
            Ok(())
        }

        /// Delivers the model of a reserved bounty: `competitor_key`, `nonce` and `ciphertext` must hash to the
        /// reserved envelope hash. Pays the payee, returns the bond and stores
        /// the envelope. Anyone may send it (only the competitor knows an envelope that matches).
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::deliver(ciphertext.len() as u32))]
        pub fn deliver(
            origin: OriginFor<T>,
            bounty: BountyId,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
        ) -> DispatchResult {
            ensure_signed(origin)?;
            let mut b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            let BountyState::Reserved(r) = &b.state else { return Err(Error::<T>::NotReserved.into()) };
            let r = r.clone();
            ensure!(frame_system::Pallet::<T>::block_number() <= r.deliver_by, Error::<T>::DeliveryWindowPassed);
            // Length and canonical encodings before the (linear) hash.
            ensure!(ciphertext.len() == b.params as usize, Error::<T>::WrongCiphertextLength);
            let envelope = Self::decode_envelope(&competitor_key, &nonce, &ciphertext)?;
            ensure!(fr_to_bytes(&envelope.hash()) == r.envelope_hash, Error::<T>::EnvelopeMismatch);
            let amount = T::Currency::transfer_on_hold(
                &HoldReason::BountyEscrow.into(),
                &b.issuer,
                &r.payee,
                b.amount,
                Precision::Exact,
                Restriction::Free,
                Fortitude::Polite,
            )?;
            T::Currency::release(&HoldReason::ClaimBond.into(), &r.claimant, r.bond, Precision::BestEffort)?;
            b.state = BountyState::Paid { payee: r.payee.clone() };
            Bounties::<T>::insert(bounty, b);
            let at = frame_system::Pallet::<T>::block_number();
            Claims::<T>::insert(
                bounty,
                ClaimRecord {
                    claimant: r.claimant,
                    payee: r.payee.clone(),
                    competitor_key,
                    nonce,
                    ciphertext: ciphertext.clone(),
                    at,
                },
            );
            Self::deposit_event(Event::BountyClaimed {
                bounty,
                payee: r.payee,
                amount,
                competitor_key,
                nonce,
                ciphertext,
            });
            Ok(())
        }

        /// Refunds an expired, open bounty to its issuer (a lapsed reservation is settled first).
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::cancel_bounty())]
        pub fn cancel_bounty(origin: OriginFor<T>, bounty: BountyId) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let mut b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.issuer == who, Error::<T>::NotIssuer);
            let now = frame_system::Pallet::<T>::block_number();
            Self::lapse_if_due(bounty, &mut b, now)?;
            match b.state {
                BountyState::Open => {}
                BountyState::Reserved(_) => return Err(Error::<T>::BountyReserved.into()),
                _ => return Err(Error::<T>::BountyNotOpen.into()),
            }
            ensure!(now > b.expires_at, Error::<T>::NotExpired);
            let refunded = T::Currency::release(&HoldReason::BountyEscrow.into(), &who, b.amount, Precision::Exact)?;
            b.state = BountyState::Cancelled;
            Bounties::<T>::insert(bounty, b);
            Self::deposit_event(Event::BountyCancelled { bounty, refunded });
            Ok(())
        }

        /// Removes a finished bounty (cancelled, or paid — after the issuer has retrieved the model: the
        /// stored envelope goes too) and returns its storage deposit to the issuer.
        #[pallet::call_index(7)]
        #[pallet::weight(T::WeightInfo::remove_bounty())]
        pub fn remove_bounty(origin: OriginFor<T>, bounty: BountyId) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.issuer == who, Error::<T>::NotIssuer);
            ensure!(
                matches!(b.state, BountyState::Paid { .. } | BountyState::Cancelled),
                Error::<T>::BountyNotFinished
            );
            Datasets::<T>::mutate(&who, b.dataset, |d| {
                if let Some(d) = d {
                    d.bounties = d.bounties.saturating_sub(1);
                }
            });
            VerifyingKeys::<T>::mutate(&who, b.verifying_key, |k| {
                if let Some(k) = k {
                    k.bounties = k.bounties.saturating_sub(1);
                }
            });
            b.deposit.drop(&who)?;
            Bounties::<T>::remove(bounty);
            Claims::<T>::remove(bounty);
            Self::deposit_event(Event::BountyRemoved { bounty });
            Ok(())
        }

        /// Removes one of the caller's datasets that no bounty record uses; returns its deposit.
        #[pallet::call_index(8)]
        #[pallet::weight(T::WeightInfo::remove_dataset())]
        pub fn remove_dataset(origin: OriginFor<T>, dataset: FieldBytes) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let ds = Datasets::<T>::get(&who, dataset).ok_or(Error::<T>::UnknownDataset)?;
            ensure!(ds.bounties == 0, Error::<T>::RecordInUse);
            ds.deposit.drop(&who)?;
            Datasets::<T>::remove(&who, dataset);
            Self::deposit_event(Event::DatasetRemoved { dataset, organizer: who });
            Ok(())
        }

        /// Removes one of the caller's verifying keys that no bounty record uses; returns its deposit.
        #[pallet::call_index(9)]
        #[pallet::weight(T::WeightInfo::remove_verifying_key())]
        pub fn remove_verifying_key(origin: OriginFor<T>, key_hash: [u8; 32]) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let vk = VerifyingKeys::<T>::get(&who, key_hash).ok_or(Error::<T>::UnknownVerifyingKey)?;
            ensure!(vk.bounties == 0, Error::<T>::RecordInUse);
            vk.deposit.drop(&who)?;
            VerifyingKeys::<T>::remove(&who, key_hash);
            Self::deposit_event(Event::VerifyingKeyRemoved { key_hash, registrant: who });
            Ok(())
        }

        /// Opens a ceremony for claims of `shape` with powers of tau up to `2^power`: phase 1 takes
        /// contributions for `phase1_blocks` blocks, phase 2 for `phase2_blocks` after phase 1 is finished.
        #[pallet::call_index(10)]
        #[pallet::weight(T::WeightInfo::open_ceremony())]
        pub fn open_ceremony(
            origin: OriginFor<T>,
            shape: DatasetShape,
            model: ModelKindInfo,
            power: u8,
            phase1_blocks: BlockNumberFor<T>,
            phase2_blocks: BlockNumberFor<T>,
        ) -> DispatchResult {
            let coordinator = ensure_signed(origin)?;
            Self::check_model(shape, &model, None)?;
            ensure!((1..=28).contains(&power), Error::<T>::InvalidPower);
            ensure!(!phase1_blocks.is_zero() && !phase2_blocks.is_zero(), Error::<T>::ZeroDuration);
            let footprint = Footprint::from_parts(1, 3 * T::MaxCidLen::get() as usize + 256 + T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&coordinator, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            let ceremony = NextCeremonyId::<T>::get();
            NextCeremonyId::<T>::put(ceremony.saturating_add(1));
            let phase1_ends_at = frame_system::Pallet::<T>::block_number().saturating_add(phase1_blocks);
            Ceremonies::<T>::insert(
                ceremony,
                Ceremony {
                    coordinator: coordinator.clone(),
                    shape,
                    model,
                    power,
                    phase: CeremonyPhase::Phase1 { ends_at: phase1_ends_at },
                    phase2_blocks,
                    phase1: BoundedVec::new(),
                    phase2: BoundedVec::new(),
                    phase1_beacon: None,
                    phase2_beacon: None,
                    phase1_cid: BoundedVec::new(),
                    phase2_init_cid: BoundedVec::new(),
                    deposit,
                },
            );
            Self::deposit_event(Event::CeremonyOpened { ceremony, coordinator, shape, phase1_ends_at });
            Ok(())
        }

        /// Records the caller's contribution to the open phase: its hash, the hash of the contribution it
        /// builds on (`None` for the first of phase 1, or the first of phase 2 which builds on the initial
        /// key) and the CID of the resulting file. Holds a deposit from the caller until the ceremony is
        /// removed.
        #[pallet::call_index(11)]
        #[pallet::weight(T::WeightInfo::contribute())]
        pub fn contribute(
            origin: OriginFor<T>,
            ceremony: CeremonyId,
            previous: Option<ContributionHash>,
            hash: ContributionHash,
            cid: BoundedVec<u8, T::MaxCidLen>,
        ) -> DispatchResult {
            let contributor = ensure_signed(origin)?;
            let mut c = Ceremonies::<T>::get(ceremony).ok_or(Error::<T>::UnknownCeremony)?;
            let now = frame_system::Pallet::<T>::block_number();
            let (phase, list) = match c.phase {
                CeremonyPhase::Phase1 { ends_at } if now <= ends_at => (1u8, &mut c.phase1),
                CeremonyPhase::Phase2 { ends_at } if now <= ends_at => (2u8, &mut c.phase2),
                _ => return Err(Error::<T>::WrongPhase.into()),
            };
            ensure!(previous == list.last().map(|l| l.hash), Error::<T>::NotLatest);
            ensure!(list.len() < T::MaxContributions::get() as usize, Error::<T>::TooManyContributions);
            let footprint = Footprint::from_parts(1, 64 + cid.len() + 16 + T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&contributor, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            let index = list.len() as u32;
            list.try_push(Contribution { contributor: contributor.clone(), hash, cid, beacon: false, at: now, deposit })
                .map_err(|_| Error::<T>::TooManyContributions)?;
            Ceremonies::<T>::insert(ceremony, c);
            Self::deposit_event(Event::Contributed { ceremony, phase, index, contributor, hash });
            Ok(())
        }

        /// Closes phase 1 after its window: records the beacon contribution (made with the beacon this call
        /// reads from the chain), the prepared phase-1 file and the initial phase-2 key, and opens phase 2.
        #[pallet::call_index(12)]
        #[pallet::weight(T::WeightInfo::finish_phase1())]
        pub fn finish_phase1(
            origin: OriginFor<T>,
            ceremony: CeremonyId,
            beacon_hash: ContributionHash,
            prepared_cid: BoundedVec<u8, T::MaxCidLen>,
            phase2_init_cid: BoundedVec<u8, T::MaxCidLen>,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let mut c = Ceremonies::<T>::get(ceremony).ok_or(Error::<T>::UnknownCeremony)?;
            ensure!(who == c.coordinator, Error::<T>::NotCoordinator);
            let CeremonyPhase::Phase1 { ends_at } = c.phase else { return Err(Error::<T>::WrongPhase.into()) };
            let (beacon, now) = Self::closing_beacon(ends_at)?;
            ensure!(!c.phase1.is_empty(), Error::<T>::NoContributions);
            let record = Self::beacon_record(&who, beacon_hash, prepared_cid.clone(), now)?;
            c.phase1.try_push(record).map_err(|_| Error::<T>::TooManyContributions)?;
            c.phase1_beacon = Some(beacon);
            c.phase1_cid = prepared_cid;
            c.phase2_init_cid = phase2_init_cid;
            let phase2_ends_at = now.saturating_add(c.phase2_blocks);
            c.phase = CeremonyPhase::Phase2 { ends_at: phase2_ends_at };
            Ceremonies::<T>::insert(ceremony, c);
            Self::deposit_event(Event::PhaseFinished { ceremony, phase: 1, beacon, phase2_ends_at: Some(phase2_ends_at) });
            Ok(())
        }

        /// Closes phase 2 after its window with the chain's beacon and registers the final verifying key under
        /// the coordinator, with this ceremony as its provenance; `final_cid` is the final `.zkey` (the
        /// proving key competitors download).
        #[pallet::call_index(13)]
        #[pallet::weight(T::WeightInfo::finish_phase2())]
        pub fn finish_phase2(
            origin: OriginFor<T>,
            ceremony: CeremonyId,
            beacon_hash: ContributionHash,
            final_cid: BoundedVec<u8, T::MaxCidLen>,
            key: BoundedVec<u8, T::MaxVerifyingKeyLen>,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let mut c = Ceremonies::<T>::get(ceremony).ok_or(Error::<T>::UnknownCeremony)?;
            ensure!(who == c.coordinator, Error::<T>::NotCoordinator);
            let CeremonyPhase::Phase2 { ends_at } = c.phase else { return Err(Error::<T>::WrongPhase.into()) };
            let (beacon, now) = Self::closing_beacon(ends_at)?;
            ensure!(!c.phase2.is_empty(), Error::<T>::NoContributions);
            let shape = c.shape;
            let model = c.model.clone();
            groth16::decode_verifying_key(&key).map_err(|e| match e {
                Groth16Error::WrongInputCount { .. } => Error::<T>::WrongPublicInputCount,
                _ => Error::<T>::MalformedVerifyingKey,
            })?;
            let key_hash = sp_io::hashing::blake2_256(&key);
            ensure!(!VerifyingKeys::<T>::contains_key(&who, key_hash), Error::<T>::VerifyingKeyExists);
            let record = Self::beacon_record(&who, beacon_hash, final_cid.clone(), now)?;
            c.phase2.try_push(record).map_err(|_| Error::<T>::TooManyContributions)?;
            c.phase2_beacon = Some(beacon);
            c.phase = CeremonyPhase::Finished { key_hash };
            let footprint = Footprint::from_parts(1, key.len() + final_cid.len() + 64 + 2 * T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&who, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            VerifyingKeys::<T>::insert(
                &who,
                key_hash,
                VerifyingKeyInfo {
                    key,
                    registrant: who.clone(),
                    shape,
                    model,
                    proving_key_cid: final_cid,
                    bounties: 0,
                    ceremony: Some(ceremony),
                    deposit,
                },
            );
            Ceremonies::<T>::insert(ceremony, c);
            Self::deposit_event(Event::PhaseFinished { ceremony, phase: 2, beacon, phase2_ends_at: None });
            Self::deposit_event(Event::VerifyingKeyRegistered { key_hash, registrant: who, shape });
            Self::deposit_event(Event::CeremonyFinished { ceremony, key_hash });
            Ok(())
        }

        /// Removes a ceremony (abandoned, or finished once its key record is removed) and returns every
        /// deposit it holds: the coordinator's and each contributor's.
        #[pallet::call_index(14)]
        #[pallet::weight(T::WeightInfo::remove_ceremony(2 * T::MaxContributions::get()))]
        pub fn remove_ceremony(origin: OriginFor<T>, ceremony: CeremonyId) -> DispatchResultWithPostInfo {
            let who = ensure_signed(origin)?;
            let c = Ceremonies::<T>::get(ceremony).ok_or(Error::<T>::UnknownCeremony)?;
            ensure!(who == c.coordinator, Error::<T>::NotCoordinator);
            if let CeremonyPhase::Finished { key_hash } = c.phase {
                ensure!(!VerifyingKeys::<T>::contains_key(&who, key_hash), Error::<T>::CeremonyInUse);
            }
            let records = (c.phase1.len() + c.phase2.len()) as u32;
            for r in c.phase1.into_iter().chain(c.phase2) {
                r.deposit.drop(&r.contributor)?;
            }
            c.deposit.drop(&who)?;
            Ceremonies::<T>::remove(ceremony);
            Self::deposit_event(Event::CeremonyRemoved { ceremony });
            Ok(Some(T::WeightInfo::remove_ceremony(records)).into())
        }

        /// Posts a competition on the caller's training dataset with a hidden test set committed by its
        /// dataset hash (`test_rows` rows, the training set's features, outputs and scales). Holds `prize` and
        /// `bond`. Submissions close `submit_blocks` from now; the test set must be revealed within
        /// `reveal_blocks` after that (else prize and bond go to the committers); scoring runs for
        /// `score_blocks` after the reveal. `shares` weighs the prize over the top `shares.len()` ranks.
        /// `scoring_key` (and the validation key) are the caller's claim keys for those shapes.
        #[pallet::call_index(15)]
        #[pallet::weight(T::WeightInfo::post_competition())]
        pub fn post_competition(
            origin: OriginFor<T>,
            train_dataset: FieldBytes,
            validation: Option<Validation>,
            test_hash: FieldBytes,
            test_rows: u32,
            scoring_key: [u8; 32],
            organizer_key: [u8; 32],
            prize: BalanceOf<T>,
            bond: BalanceOf<T>,
            submit_blocks: BlockNumberFor<T>,
            reveal_blocks: BlockNumberFor<T>,
            score_blocks: BlockNumberFor<T>,
            shares: BoundedVec<u32, T::MaxWinners>,
        ) -> DispatchResult {
            let organizer = ensure_signed(origin)?;
            Self::do_post_competition(
                organizer,
                train_dataset,
                validation,
                test_hash,
                test_rows,
                scoring_key,
                organizer_key,
                prize,
                bond,
                (submit_blocks, reveal_blocks, score_blocks),
                shares,
            )
        }

        /// Commits to a model before the submission deadline: `commitment` is the envelope hash of the model
        /// encrypted to the organizer. With `public_score`, a proof that the committed model reaches that SSE
        /// on the validation split (the public leaderboard). Holds [`Config::SubmissionDeposit`].
        #[pallet::call_index(16)]
        #[pallet::weight(match public_score {
            Some(_) => T::WeightInfo::submit_with_public_score(),
            None => T::WeightInfo::submit(),
        })]
        pub fn submit(
            origin: OriginFor<T>,
            competition: CompetitionId,
            commitment: FieldBytes,
            public_score: Option<PublicScore>,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_submit(who, competition, commitment, public_score)
        }

        /// Reveals the test set on chain after submissions close: `words` are the packed, quantized values the
        /// dataset hash absorbs (X then Y). The runtime checks the packing, recomputes the hash with the
        /// training scales and compares it with the commitment; on a match the organizer's bond is returned
        /// and scoring opens. Anyone who holds the data may send it.
        #[pallet::call_index(17)]
        #[pallet::weight(T::WeightInfo::reveal_test_set(words.len() as u32))]
        pub fn reveal_test_set(
            origin: OriginFor<T>,
            competition: CompetitionId,
            words: BoundedVec<FieldBytes, T::MaxRevealWords>,
        ) -> DispatchResult {
            ensure_signed(origin)?;
            Self::do_reveal(competition, &words)
        }

        /// Scores the caller's submission `index`: a proof that the committed model's SSE on the revealed test
        /// set is at most `score`, paying `payee` if it wins. Returns the submission deposit.
        #[pallet::call_index(18)]
        #[pallet::weight(T::WeightInfo::score())]
        pub fn score(
            origin: OriginFor<T>,
            competition: CompetitionId,
            index: SubmissionIndex,
            score: u128,
            proof: BoundedVec<u8, ConstU32<{ groth16::PROOF_BYTES as u32 }>>,
            payee: T::AccountId,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_score(who, competition, index, score, &proof, payee)
        }

        /// Settles what is due, callable by anyone: after the reveal deadline without a reveal, pays prize and
        /// bond to the committers; after the scoring window, ranks and opens the prize slots to the winners;
        /// after a winner's delivery window, passes their slot to the next in rank.
        #[pallet::call_index(19)]
        #[pallet::weight(T::WeightInfo::finalize_competition(T::MaxSubmissions::get()))]
        pub fn finalize_competition(origin: OriginFor<T>, competition: CompetitionId) -> DispatchResultWithPostInfo {
            ensure_signed(origin)?;
            let settled = Self::do_finalize(competition)?;
            Ok(Some(T::WeightInfo::finalize_competition(settled)).into())
        }

        /// A winner's delivery: the envelope must hash to the submission's commitment. Pays the slot's share
        /// to the payee the scoring proof bound and stores the envelope in [`CompetitionModels`].
        #[pallet::call_index(20)]
        #[pallet::weight(T::WeightInfo::deliver_model(ciphertext.len() as u32))]
        pub fn deliver_model(
            origin: OriginFor<T>,
            competition: CompetitionId,
            index: SubmissionIndex,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_deliver(who, competition, index, competitor_key, nonce, ciphertext)
        }
    }

    impl<T: Config> Pallet<T> {
        /// The beacon of a window that ended at `ends_at`: that block's hash, which nobody knew while the
        /// window was open. Refused before the window has closed, and once the hash is no longer kept.
        fn closing_beacon(ends_at: BlockNumberFor<T>) -> Result<([u8; 32], BlockNumberFor<T>), Error<T>> {
            let now = frame_system::Pallet::<T>::block_number();
            ensure!(now > ends_at, Error::<T>::WrongPhase);
            let hash = frame_system::Pallet::<T>::block_hash(ends_at);
            let bytes: [u8; 32] = hash.as_ref().try_into().map_err(|_| Error::<T>::BeaconUnavailable)?;
            ensure!(bytes != [0u8; 32], Error::<T>::BeaconUnavailable);
            Ok((bytes, now))
        }

        fn beacon_record(
            who: &T::AccountId,
            hash: ContributionHash,
            cid: BoundedVec<u8, T::MaxCidLen>,
            at: BlockNumberFor<T>,
        ) -> Result<Contribution<T>, DispatchError> {
            let footprint = Footprint::from_parts(1, 64 + cid.len() + 16 + T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(who, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            Ok(Contribution { contributor: who.clone(), hash, cid, beacon: true, at, deposit })
        }

        /// Decodes a delivered envelope, refusing non-canonical elements and invalid keys before hashing it.
        pub(crate) fn decode_envelope(
            competitor_key: &[u8; 32],
            nonce: &FieldBytes,
            ciphertext: &[FieldBytes],
        ) -> Result<Envelope, Error<T>> {
            Ok(Envelope {
                competitor_pk: PublicKey::from_bytes(competitor_key).map_err(|_| Error::<T>::InvalidPublicKey)?,
                nonce: fr_from_bytes(nonce).map_err(|_| Error::<T>::MalformedEnvelope)?,
                ciphertext: ciphertext
                    .iter()
                    .map(fr_from_bytes)
                    .collect::<Result<Vec<Fr>, _>>()
                    .map_err(|_| Error::<T>::MalformedEnvelope)?,
            })
        }

        /// Checks a shape for registration and returns its parameter count. All arithmetic is checked `u64`:
        /// in the 32-bit runtime `usize` products of these dimensions wrap.
        /// Checks a model kind on a shape (and, given the dataset's label scale `y_frac_bits`, that the dataset
        /// suits the kind: a classifier needs one label column at scale `2^0`) and returns its parameter count,
        /// bounded by [`Config::MaxParams`].
        pub(crate) fn check_model(shape: DatasetShape, model: &ModelKindInfo, y_frac_bits: Option<i8>) -> Result<u32, Error<T>> {
            Self::check_shape(shape)?;
            let kind = ModelKind::from(model);
            let s = Shape::from(shape);
            let checked = match y_frac_bits {
                Some(y) => kind.validate(&s, i32::from(y)),
                None => kind.validate_shape(&s),
            };
            checked.map_err(|e| match e {
                ModelError::LabelColumn => Error::<T>::DatasetNotForModel,
                _ => Error::<T>::UnsupportedModel,
            })?;
            let params = kind.params_count(&s).ok_or(Error::<T>::UnsupportedModel)?;
            ensure!(params <= T::MaxParams::get() as u64, Error::<T>::UnsupportedModel);
            Ok(params as u32)
        }

        pub(crate) fn check_shape(shape: DatasetShape) -> Result<u32, Error<T>> {
            let s = Shape::from(shape);
            s.validate().map_err(|_| Error::<T>::UnsupportedShape)?;
            ensure!(shape.p <= T::MaxFeatures::get(), Error::<T>::UnsupportedShape);
            let params = s.params_count().ok_or(Error::<T>::UnsupportedShape)?;
            ensure!(params <= T::MaxParams::get() as u64, Error::<T>::UnsupportedShape);
            Ok(params as u32)
        }

        /// Settles a reservation whose delivery window has passed: the bond goes to the issuer and the bounty
        /// is open again. Changes `b` (the caller stores it).
        fn lapse_if_due(bounty: BountyId, b: &mut Bounty<T>, now: BlockNumberFor<T>) -> DispatchResult {
            let BountyState::Reserved(r) = &b.state else { return Ok(()) };
            if now <= r.deliver_by {
                return Ok(());
            }
            let forfeited = T::Currency::transfer_on_hold(
                &HoldReason::ClaimBond.into(),
                &r.claimant,
                &b.issuer,
                r.bond,
                Precision::BestEffort,
                Restriction::Free,
                Fortitude::Force,
            )?;
            Self::deposit_event(Event::ReservationLapsed { bounty, claimant: r.claimant.clone(), forfeited });
            b.state = BountyState::Open;
            Ok(())
        }

        /// Verifies a decoded proof of `statement` under `owner`'s registered key `key_hash` (bounty claims,
        /// public scores and scores alike).
        pub(crate) fn verify_statement(
            owner: &T::AccountId,
            key_hash: [u8; 32],
            proof: &groth16::Proof<zkml_primitives::Bn254>,
            statement: &ClaimStatement,
        ) -> DispatchResult {
            let vk = VerifyingKeys::<T>::get(owner, key_hash).ok_or(Error::<T>::UnknownVerifyingKey)?;
            let vk = groth16::decode_verifying_key(&vk.key).map_err(|_| Error::<T>::MalformedVerifyingKey)?;
            groth16::verify_inputs(&groth16::prepare(&vk), proof, &statement.public_inputs()).map_err(|e| match e {
                Groth16Error::InvalidProof => Error::<T>::InvalidProof,
                _ => Error::<T>::MalformedVerifyingKey,
            })?;
            Ok(())
        }

        /// The statement the proof must satisfy, rebuilt from on-chain data and the claim's arguments.
        pub fn claim_statement(
            bounty: BountyId,
            b: &Bounty<T>,
            envelope_hash: Fr,
            payee: &T::AccountId,
        ) -> Result<ClaimStatement, Error<T>> {
            Ok(ClaimStatement {
                dataset_hash: fr_from_bytes(&b.dataset).map_err(|_| Error::<T>::MalformedDatasetHash)?,
                sse_cap: b.sse_cap,
                payee: account_bytes(payee),
                bounty_id: bounty,
                organizer_pk: PublicKey::from_bytes(&b.issuer_key).map_err(|_| Error::<T>::InvalidPublicKey)?,
                envelope_hash,
            })
        }
    }
}
