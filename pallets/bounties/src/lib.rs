//! # zkml bounties
//!
//! ML competitions whose payout is released by the runtime itself against a Groth16 proof (BN254) that a
//! quantized linear model reaches an MSE cap on a registered dataset, with the model delivered encrypted to
//! the organizer. Everything the proof's public inputs need is rebuilt here from on-chain data with
//! [`zkml_primitives`], the crate the prover uses too.
//!
//! ## Lifecycle
//! 1. An organizer calls [`Pallet::register_dataset`]: the dataset hash (Poseidon, see
//!    `zkml_primitives::dataset`), its IPFS CID, its shape `(m, p, n)` and the quantization scales.
//! 2. Anyone calls [`Pallet::register_verifying_key`] once per key: the key is decoded and checked (it must
//!    serve the claim layout's 8 public inputs) and is referenced by its `blake2_256` hash from then on.
//! 3. The organizer calls [`Pallet::post_bounty`] naming a dataset, a key for the dataset's shape, their
//!    BabyJubJub public key, the SSE cap and the amount. The amount is put on hold
//!    ([`HoldReason::BountyEscrow`]) until it is paid or refunded.
//! 4. A competitor claims with [`Pallet::claim_bounty`], or — protected from the issuer withdrawing first —
//!    with [`Pallet::commit_claim`] then [`Pallet::reveal_claim`] (below). The runtime verifies the proof
//!    against (dataset hash, cap, payee, bounty id, issuer key, envelope hash), moves the held amount to the
//!    payee and stores the envelope (competitor key, nonce, ciphertext) the issuer decrypts the model from.
//! 5. After expiry, and only when no claim commitment is still open, the issuer may
//!    [`Pallet::cancel_bounty`] to release the hold.
//!
//! ## Commit–reveal
//! A claim in the transaction pool is public: the issuer could see it and race to cancel, and anyone could
//! copy it (copying is useless — the payee is a public input of the proof — but cancelling is not). So a
//! competitor first submits `commit_claim(bounty, blake2_256(("zkml/commit/v1", bounty, proof, payee, salt)))`
//! while the bounty is open. That locks the bounty against cancellation for [`Config::ClaimWindow`] blocks.
//! Within the window the competitor submits `reveal_claim` with the proof, envelope, payee and salt; it is
//! checked against the commitment, then verified and paid like a direct claim. A commitment made before expiry
//! may be revealed after expiry. Nothing about the proof is visible until the bounty is already locked.
//!
//! ## Deposits
//! Datasets, verifying keys and bounties each hold a storage deposit from their creator through
//! [`Config::Deposit`] (a `Consideration`, sized by the record's encoded length). The bounty deposit covers
//! the stored envelope too, since the issuer is the one who needs it.
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

pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
    use super::WeightInfo;
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
        encoding::fr_from_bytes,
        groth16::{self, Groth16Error},
        keys::PublicKey,
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
        /// Largest accepted verifying key, in bytes.
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
        /// How long a claim commitment locks a bounty against cancellation.
        #[pallet::constant]
        type ClaimWindow: Get<BlockNumberFor<Self>>;
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
        pub deposit: T::Deposit,
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct VerifyingKeyInfo<T: Config> {
        /// arkworks compressed `VerifyingKey<Bn254>`.
        pub key: BoundedVec<u8, T::MaxVerifyingKeyLen>,
        pub registrant: T::AccountId,
        pub shape: DatasetShape,
        /// Where competitors fetch the matching proving key (may be empty).
        pub proving_key_cid: BoundedVec<u8, T::MaxCidLen>,
        pub deposit: T::Deposit,
    }

    #[derive(Clone, Encode, Decode, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
    pub enum BountyState<AccountId> {
        Open,
        /// Paid to `payee`; the envelope is in [`Claims`].
        Paid { payee: AccountId },
        /// Refunded to the issuer after expiry.
        Cancelled,
    }

    #[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
    #[scale_info(skip_type_params(T))]
    pub struct Bounty<T: Config> {
        pub issuer: T::AccountId,
        pub dataset: FieldBytes,
        pub verifying_key: [u8; 32],
        /// Compressed BabyJubJub public key the model is encrypted to.
        pub issuer_key: [u8; 32],
        /// Cap on the quantized sum of squared residuals.
        pub sse_cap: u128,
        pub amount: BalanceOf<T>,
        pub expires_at: BlockNumberFor<T>,
        /// No cancellation before this block (open claim commitments).
        pub locked_until: BlockNumberFor<T>,
        pub state: BountyState<T::AccountId>,
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

    #[pallet::storage]
    pub type Datasets<T: Config> = StorageMap<_, Blake2_128Concat, FieldBytes, DatasetInfo<T>>;

    #[pallet::storage]
    pub type VerifyingKeys<T: Config> = StorageMap<_, Blake2_128Concat, [u8; 32], VerifyingKeyInfo<T>>;

    #[pallet::storage]
    pub type Bounties<T: Config> = StorageMap<_, Twox64Concat, BountyId, Bounty<T>>;

    #[pallet::storage]
    pub type NextBountyId<T: Config> = StorageValue<_, BountyId, ValueQuery>;

    /// Open claim commitments: `(bounty, committer) → (commitment, last block to reveal)`.
    #[pallet::storage]
    pub type Commitments<T: Config> = StorageDoubleMap<
        _,
        Twox64Concat,
        BountyId,
        Blake2_128Concat,
        T::AccountId,
        ([u8; 32], BlockNumberFor<T>),
    >;

    /// The paid claim of each bounty.
    #[pallet::storage]
    pub type Claims<T: Config> = StorageMap<_, Twox64Concat, BountyId, ClaimRecord<T>>;

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
        ClaimCommitted { bounty: BountyId, committer: T::AccountId, reveal_by: BlockNumberFor<T> },
        /// Paid; the envelope lets the issuer decrypt the model (also stored in [`Claims`]).
        BountyClaimed {
            bounty: BountyId,
            payee: T::AccountId,
            amount: BalanceOf<T>,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
        },
        BountyCancelled { bounty: BountyId, refunded: BalanceOf<T> },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The dataset hash is not a canonical field element.
        MalformedDatasetHash,
        /// A dataset with this hash is already registered.
        DatasetExists,
        UnknownDataset,
        /// Zero dimension, too many features, or `m·n` too large.
        UnsupportedShape,
        /// The scales do not match the shape or are out of range.
        InvalidScales,
        /// The verifying key bytes do not decode to a Groth16 BN254 key.
        MalformedVerifyingKey,
        /// The key serves a different number of public inputs than claims have.
        WrongPublicInputCount,
        VerifyingKeyExists,
        UnknownVerifyingKey,
        /// The verifying key was made for another shape than the dataset's.
        ShapeMismatch,
        /// Not a compressed BabyJubJub point of the prime-order subgroup.
        InvalidPublicKey,
        ZeroAmount,
        ZeroDuration,
        /// The issuer cannot cover the bounty and its deposit.
        InsufficientBalance,
        UnknownBounty,
        /// Already paid or cancelled.
        BountyNotOpen,
        /// Past its expiry block (claim before, or commit before and reveal within the window).
        BountyExpired,
        /// Only the issuer may cancel.
        NotIssuer,
        /// Cancelling needs the bounty to be expired.
        NotExpired,
        /// A claim commitment still locks the bounty.
        ClaimPending,
        /// The ciphertext does not have `p·n + n` elements.
        WrongCiphertextLength,
        /// A nonce or ciphertext element is not a canonical field element.
        MalformedEnvelope,
        /// Not 128 bytes of a valid compressed proof.
        MalformedProof,
        /// The proof does not verify for these public inputs.
        InvalidProof,
        /// No open commitment from this account for this bounty.
        NoCommitment,
        /// The revealed claim does not hash to the commitment.
        CommitmentMismatch,
        /// The reveal window has passed.
        CommitmentExpired,
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

    /// The commitment `commit_claim` takes ([`zkml_primitives::commit`], shared with the CLI).
    pub fn claim_commitment<A: Encode>(bounty: BountyId, proof: &[u8], payee: &A, salt: &[u8; 32]) -> [u8; 32] {
        zkml_primitives::commit::claim_commitment(bounty, proof, &payee.encode(), salt)
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Registers a dataset by its hash, with its IPFS CID, shape and quantization scales.
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::register_dataset())]
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
            ensure!(!Datasets::<T>::contains_key(dataset), Error::<T>::DatasetExists);
            Shape::from(shape).validate().map_err(|_| Error::<T>::UnsupportedShape)?;
            ensure!(shape.p <= T::MaxFeatures::get(), Error::<T>::UnsupportedShape);
            ensure!(Self::params_len(shape) <= T::MaxParams::get() as usize, Error::<T>::UnsupportedShape);
            ensure!(x_frac_bits.len() == shape.p as usize, Error::<T>::InvalidScales);
            let in_range = |f: i8| (-64..=64).contains(&f);
            ensure!(x_frac_bits.iter().all(|f| in_range(*f)) && in_range(y_frac_bits), Error::<T>::InvalidScales);
            let footprint = Footprint::from_parts(1, (32 + cid.len() + x_frac_bits.len() + 64) as usize);
            let deposit = T::Deposit::new(&organizer, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            let created_at = frame_system::Pallet::<T>::block_number();
            Datasets::<T>::insert(
                dataset,
                DatasetInfo { organizer: organizer.clone(), cid, shape, x_frac_bits, y_frac_bits, created_at, deposit },
            );
            Self::deposit_event(Event::DatasetRegistered { dataset, organizer, shape });
            Ok(())
        }

        /// Registers a Groth16 verifying key for claims of `shape`; it is then referenced by the
        /// `blake2_256` of its bytes.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::register_verifying_key())]
        pub fn register_verifying_key(
            origin: OriginFor<T>,
            key: BoundedVec<u8, T::MaxVerifyingKeyLen>,
            shape: DatasetShape,
            proving_key_cid: BoundedVec<u8, T::MaxCidLen>,
        ) -> DispatchResult {
            let registrant = ensure_signed(origin)?;
            groth16::decode_verifying_key(&key).map_err(|e| match e {
                Groth16Error::WrongInputCount { .. } => Error::<T>::WrongPublicInputCount,
                _ => Error::<T>::MalformedVerifyingKey,
            })?;
            Shape::from(shape).validate().map_err(|_| Error::<T>::UnsupportedShape)?;
            let key_hash = sp_io::hashing::blake2_256(&key);
            ensure!(!VerifyingKeys::<T>::contains_key(key_hash), Error::<T>::VerifyingKeyExists);
            let footprint = Footprint::from_parts(1, key.len() + proving_key_cid.len() + 64);
            let deposit = T::Deposit::new(&registrant, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            VerifyingKeys::<T>::insert(
                key_hash,
                VerifyingKeyInfo { key, registrant: registrant.clone(), shape, proving_key_cid, deposit },
            );
            Self::deposit_event(Event::VerifyingKeyRegistered { key_hash, registrant, shape });
            Ok(())
        }

        /// Escrows `amount` for the first valid claim of a model with SSE ≤ `sse_cap` on `dataset`, proven
        /// with `verifying_key`, encrypted to `issuer_key`, until `expires_in` blocks from now.
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
            let ds = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
            let vk = VerifyingKeys::<T>::get(verifying_key).ok_or(Error::<T>::UnknownVerifyingKey)?;
            ensure!(vk.shape == ds.shape, Error::<T>::ShapeMismatch);
            PublicKey::from_bytes(&issuer_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
            ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
            ensure!(!expires_in.is_zero(), Error::<T>::ZeroDuration);
            let footprint =
                Footprint::from_parts(1, 256 + Self::params_len(ds.shape) * 32 + 2 * T::AccountId::max_encoded_len());
            let deposit = T::Deposit::new(&issuer, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
            T::Currency::hold(&HoldReason::BountyEscrow.into(), &issuer, amount)
                .map_err(|_| Error::<T>::InsufficientBalance)?;
            let bounty = NextBountyId::<T>::get();
            NextBountyId::<T>::put(bounty.saturating_add(1));
            let now = frame_system::Pallet::<T>::block_number();
            let expires_at = now.saturating_add(expires_in);
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
                    locked_until: now,
                    state: BountyState::Open,
                    deposit,
                },
            );
            Self::deposit_event(Event::BountyPosted { bounty, issuer, dataset, amount, sse_cap, expires_at });
            Ok(())
        }

        /// Pays an open, unexpired bounty against a valid proof.
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::claim_bounty())]
        pub fn claim_bounty(
            origin: OriginFor<T>,
            bounty: BountyId,
            proof: BoundedVec<u8, ConstU32<{ groth16::PROOF_BYTES as u32 }>>,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            payee: T::AccountId,
        ) -> DispatchResult {
            let claimant = ensure_signed(origin)?;
            let b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.state == BountyState::Open, Error::<T>::BountyNotOpen);
            ensure!(frame_system::Pallet::<T>::block_number() <= b.expires_at, Error::<T>::BountyExpired);
            Self::verify_and_pay(bounty, b, claimant, &proof, ciphertext, competitor_key, nonce, payee)
        }

        /// Locks an open bounty against cancellation for [`Config::ClaimWindow`] blocks, committing to a claim
        /// (see the module docs for the commitment).
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::commit_claim())]
        pub fn commit_claim(origin: OriginFor<T>, bounty: BountyId, commitment: [u8; 32]) -> DispatchResult {
            let committer = ensure_signed(origin)?;
            let mut b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.state == BountyState::Open, Error::<T>::BountyNotOpen);
            let now = frame_system::Pallet::<T>::block_number();
            ensure!(now <= b.expires_at, Error::<T>::BountyExpired);
            let reveal_by = now.saturating_add(T::ClaimWindow::get());
            b.locked_until = b.locked_until.max(reveal_by);
            Bounties::<T>::insert(bounty, b);
            Commitments::<T>::insert(bounty, &committer, (commitment, reveal_by));
            Self::deposit_event(Event::ClaimCommitted { bounty, committer, reveal_by });
            Ok(())
        }

        /// Reveals a committed claim within its window; verified and paid like [`Pallet::claim_bounty`].
        #[pallet::call_index(5)]
        #[pallet::weight(T::WeightInfo::claim_bounty())]
        pub fn reveal_claim(
            origin: OriginFor<T>,
            bounty: BountyId,
            proof: BoundedVec<u8, ConstU32<{ groth16::PROOF_BYTES as u32 }>>,
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            payee: T::AccountId,
            salt: [u8; 32],
        ) -> DispatchResult {
            let claimant = ensure_signed(origin)?;
            let (commitment, reveal_by) =
                Commitments::<T>::get(bounty, &claimant).ok_or(Error::<T>::NoCommitment)?;
            ensure!(frame_system::Pallet::<T>::block_number() <= reveal_by, Error::<T>::CommitmentExpired);
            ensure!(claim_commitment(bounty, &proof, &payee, &salt) == commitment, Error::<T>::CommitmentMismatch);
            let b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.state == BountyState::Open, Error::<T>::BountyNotOpen);
            Self::verify_and_pay(bounty, b, claimant.clone(), &proof, ciphertext, competitor_key, nonce, payee)?;
            Commitments::<T>::remove(bounty, &claimant);
            Ok(())
        }

        /// Refunds an expired, unclaimed bounty to its issuer.
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::cancel_bounty())]
        pub fn cancel_bounty(origin: OriginFor<T>, bounty: BountyId) -> DispatchResult {
            let who = ensure_signed(origin)?;
            let mut b = Bounties::<T>::get(bounty).ok_or(Error::<T>::UnknownBounty)?;
            ensure!(b.issuer == who, Error::<T>::NotIssuer);
            ensure!(b.state == BountyState::Open, Error::<T>::BountyNotOpen);
            let now = frame_system::Pallet::<T>::block_number();
            ensure!(now > b.expires_at, Error::<T>::NotExpired);
            ensure!(now > b.locked_until, Error::<T>::ClaimPending);
            let refunded = T::Currency::release(&HoldReason::BountyEscrow.into(), &who, b.amount, Precision::Exact)?;
            b.state = BountyState::Cancelled;
            Bounties::<T>::insert(bounty, b);
            Self::deposit_event(Event::BountyCancelled { bounty, refunded });
            Ok(())
        }
    }

    impl<T: Config> Pallet<T> {
        fn params_len(shape: DatasetShape) -> usize {
            Shape::from(shape).params_len()
        }

        /// The statement the proof must satisfy, rebuilt from on-chain data and the claim's arguments.
        pub fn claim_statement(
            bounty: BountyId,
            b: &Bounty<T>,
            ciphertext: &[FieldBytes],
            competitor_key: &[u8; 32],
            nonce: &FieldBytes,
            payee: &T::AccountId,
        ) -> Result<ClaimStatement, Error<T>> {
            let envelope = Envelope {
                competitor_pk: PublicKey::from_bytes(competitor_key).map_err(|_| Error::<T>::InvalidPublicKey)?,
                nonce: fr_from_bytes(nonce).map_err(|_| Error::<T>::MalformedEnvelope)?,
                ciphertext: ciphertext
                    .iter()
                    .map(fr_from_bytes)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| Error::<T>::MalformedEnvelope)?,
            };
            Ok(ClaimStatement {
                dataset_hash: fr_from_bytes(&b.dataset).map_err(|_| Error::<T>::MalformedDatasetHash)?,
                sse_cap: b.sse_cap,
                payee: account_bytes(payee),
                bounty_id: bounty,
                organizer_pk: PublicKey::from_bytes(&b.issuer_key).map_err(|_| Error::<T>::InvalidPublicKey)?,
                envelope_hash: envelope.hash(),
            })
        }

        #[allow(clippy::too_many_arguments)]
        fn verify_and_pay(
            bounty: BountyId,
            mut b: Bounty<T>,
            claimant: T::AccountId,
            proof: &[u8],
            ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
            competitor_key: [u8; 32],
            nonce: FieldBytes,
            payee: T::AccountId,
        ) -> DispatchResult {
            let ds = Datasets::<T>::get(b.dataset).ok_or(Error::<T>::UnknownDataset)?;
            ensure!(ciphertext.len() == Self::params_len(ds.shape), Error::<T>::WrongCiphertextLength);
            let vk = VerifyingKeys::<T>::get(b.verifying_key).ok_or(Error::<T>::UnknownVerifyingKey)?;
            let statement = Self::claim_statement(bounty, &b, &ciphertext, &competitor_key, &nonce, &payee)?;
            groth16::verify_claim(&vk.key, proof, &statement).map_err(|e| match e {
                Groth16Error::MalformedProof => Error::<T>::MalformedProof,
                Groth16Error::InvalidProof => Error::<T>::InvalidProof,
                Groth16Error::MalformedVerifyingKey | Groth16Error::WrongInputCount { .. } => {
                    Error::<T>::MalformedVerifyingKey
                }
            })?;
            let amount = T::Currency::transfer_on_hold(
                &HoldReason::BountyEscrow.into(),
                &b.issuer,
                &payee,
                b.amount,
                Precision::Exact,
                Restriction::Free,
                Fortitude::Polite,
            )?;
            b.state = BountyState::Paid { payee: payee.clone() };
            Bounties::<T>::insert(bounty, b);
            let at = frame_system::Pallet::<T>::block_number();
            Claims::<T>::insert(
                bounty,
                ClaimRecord { claimant, payee: payee.clone(), competitor_key, nonce, ciphertext: ciphertext.clone(), at },
            );
            Self::deposit_event(Event::BountyClaimed { bounty, payee, amount, competitor_key, nonce, ciphertext });
            Ok(())
        }
    }
}
