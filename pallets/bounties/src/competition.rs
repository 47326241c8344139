//! Competitions with a hidden test set: the records and the logic behind the competition calls in `lib.rs`.
//!
//! The lifecycle (see the crate docs for the whole story):
//! `Open` (submissions until `submit_until`, then the reveal until `reveal_until`) →
//! `Revealed` (scoring for `score_blocks` after the reveal) → `Finalized` (winners deliver; a slot whose holder
//! does not deliver in time passes to the next in rank), or `Open` → `Forfeited` when nobody revealed in time
//! (prize and bond to the committers).
use crate::pallet::*;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
    pallet_prelude::*,
    traits::{
        fungible::MutateHold,
        tokens::{Fortitude, Precision, Restriction},
        Consideration,
    },
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
    helpers_128bit::multiply_by_rational_with_rounding,
    traits::{Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
    Rounding,
};
use zkml_primitives::{
    claim::ClaimStatement,
    competition::{competition_context, test_set_hash},
    dataset::{Scales, Shape},
    encoding::{fr_from_bytes, fr_to_bytes},
    keys::PublicKey,
};

pub type CompetitionId = u64;
/// A submission's position in its competition: the order of commitment, which also breaks ties.
pub type SubmissionIndex = u32;

/// The organizer's public validation split: a dataset of theirs with the training set's features and scales,
/// and their key for its shape. Proofs on it make the public leaderboard.
#[derive(Clone, Copy, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug)]
pub struct Validation {
    pub dataset: FieldBytes,
    pub verifying_key: [u8; 32],
}

/// A competitor's proven score on the validation split, sent with the commitment.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, TypeInfo, PartialEq, Eq, Debug)]
pub struct PublicScore {
    /// Claimed SSE (units of `2^(-2F)`): the proof shows the committed model's SSE is at most this.
    pub score: u128,
    pub proof: BoundedVec<u8, ConstU32<{ zkml_primitives::groth16::PROOF_BYTES as u32 }>>,
}

#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
#[scale_info(skip_type_params(T))]
pub enum CompetitionPhase<T: Config> {
    /// Taking commitments until `submit_until`; then waiting for the test set until `reveal_until`.
    Open,
    /// The test set was revealed by extrinsic `extrinsic` of block `at`; scores are accepted until
    /// `score_until`.
    Revealed { at: BlockNumberFor<T>, extrinsic: u32, score_until: BlockNumberFor<T> },
    /// Ranked and the prize split into slots; winners deliver (the reveal's location is kept for readers).
    Finalized { at: BlockNumberFor<T>, extrinsic: u32 },
    /// Nobody revealed a matching test set in time: prize and bond went to the committers.
    Forfeited,
}

/// One share of the prize after finalization.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Slot<T: Config> {
    pub share: BalanceOf<T>,
    /// The submission that must deliver to be paid; `None` once the share went back to the organizer for
    /// want of a scored submission to take it.
    pub holder: Option<SubmissionIndex>,
    pub deliver_by: BlockNumberFor<T>,
    pub delivered: bool,
}

#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Competition<T: Config> {
    pub organizer: T::AccountId,
    /// The organizer's training dataset record (its scales are the test set's too).
    pub train_dataset: FieldBytes,
    pub validation: Option<Validation>,
    /// Dataset hash of the hidden test set: shape `(test_rows, p, n)`, the training scales.
    pub test_hash: FieldBytes,
    pub test_rows: u32,
    /// The organizer's key for the test shape.
    pub scoring_key: [u8; 32],
    /// Compressed BabyJubJub key the models are encrypted to.
    pub organizer_key: [u8; 32],
    pub prize: BalanceOf<T>,
    pub bond: BalanceOf<T>,
    /// Last block of submissions.
    pub submit_until: BlockNumberFor<T>,
    /// Last block at which the test set may be revealed.
    pub reveal_until: BlockNumberFor<T>,
    /// Length of the scoring window, counted from the reveal.
    pub score_blocks: BlockNumberFor<T>,
    /// Relative weights of the prize shares by rank (first to last winner).
    pub shares: BoundedVec<u32, T::MaxWinners>,
    /// Model parameters `p·n + n`: the ciphertext length a delivery must have.
    pub params: u32,
    pub phase: CompetitionPhase<T>,
    pub submissions: u32,
    /// The private leaderboard: `(score, submission)`, best first (ties: earlier commitment).
    pub ranking: BoundedVec<(u128, SubmissionIndex), T::MaxSubmissions>,
    pub slots: BoundedVec<Slot<T>, T::MaxWinners>,
    /// Position in `ranking` of the next submission a lapsed slot passes to.
    pub next_rank: u32,
    pub deposit: T::Deposit,
}

#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, DebugNoBound, CloneNoBound, PartialEqNoBound, EqNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Submission<T: Config> {
    pub submitter: T::AccountId,
    /// The envelope hash of the model encrypted to the organizer (see `zkml_primitives::competition`).
    pub commitment: FieldBytes,
    pub at: BlockNumberFor<T>,
    /// Proven SSE on the validation split (the public leaderboard), if sent.
    pub public_score: Option<u128>,
    /// Proven SSE on the test set and the payee the proof binds.
    pub score: Option<(u128, T::AccountId)>,
    /// Held from the submitter until they score (then returned) or the competition settles.
    pub deposit: BalanceOf<T>,
    pub delivered: bool,
}

impl<T: Config> Competition<T> {
    pub fn test_shape(&self, train: &DatasetShape) -> DatasetShape {
        DatasetShape { m: self.test_rows, p: train.p, n: train.n }
    }
}

impl<T: Config> Pallet<T> {
    /// The statement a competition proof must satisfy: `dataset` is the validation or the test set,
    /// `commitment` the submission's, `payee` the one the proof binds.
    pub fn competition_statement(
        competition: CompetitionId,
        c: &Competition<T>,
        dataset: &FieldBytes,
        score: u128,
        commitment: &FieldBytes,
        payee: &T::AccountId,
    ) -> Result<ClaimStatement, Error<T>> {
        Ok(ClaimStatement {
            dataset_hash: fr_from_bytes(dataset).map_err(|_| Error::<T>::MalformedDatasetHash)?,
            sse_cap: score,
            payee: account_bytes(payee),
            bounty_id: competition_context(competition),
            organizer_pk: PublicKey::from_bytes(&c.organizer_key).map_err(|_| Error::<T>::InvalidPublicKey)?,
            envelope_hash: fr_from_bytes(commitment).map_err(|_| Error::<T>::MalformedEnvelope)?,
        })
    }

    /// The prize split by `shares` (each `prize · s / Σs` rounded down, exactly); the rounding remainder goes
    /// to the first share.
    pub fn split_prize(prize: BalanceOf<T>, shares: &[u32]) -> Vec<BalanceOf<T>> {
        let total: u128 = shares.iter().map(|s| *s as u128).sum();
        let whole: u128 = prize.unique_saturated_into();
        let mut out: Vec<BalanceOf<T>> = shares
            .iter()
            .map(|s| {
                let part = multiply_by_rational_with_rounding(whole, *s as u128, total.max(1), Rounding::Down).unwrap_or(0);
                BalanceOf::<T>::unique_saturated_from(part)
            })
            .collect();
        let paid = out.iter().fold(BalanceOf::<T>::zero(), |a, b| a.saturating_add(*b));
        if let Some(first) = out.first_mut() {
            *first = first.saturating_add(prize.saturating_sub(paid));
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn do_post_competition(
        organizer: T::AccountId,
        train_dataset: FieldBytes,
        validation: Option<Validation>,
        test_hash: FieldBytes,
        test_rows: u32,
        scoring_key: [u8; 32],
        organizer_key: [u8; 32],
        prize: BalanceOf<T>,
        bond: BalanceOf<T>,
        windows: (BlockNumberFor<T>, BlockNumberFor<T>, BlockNumberFor<T>),
        shares: BoundedVec<u32, T::MaxWinners>,
    ) -> DispatchResult {
        let (submit_blocks, reveal_blocks, score_blocks) = windows;
        ensure!(!submit_blocks.is_zero() && !reveal_blocks.is_zero() && !score_blocks.is_zero(), Error::<T>::ZeroDuration);
        ensure!(score_blocks >= T::MinScoreBlocks::get(), Error::<T>::ScoreWindowTooShort);
        ensure!(!shares.is_empty() && shares.iter().all(|s| *s > 0), Error::<T>::InvalidShares);
        let split = Self::split_prize(prize, &shares);
        ensure!(split.iter().all(|s| *s >= T::MinBountyAmount::get()), Error::<T>::AmountBelowMinimum);
        ensure!(bond >= T::MinRevealBond::get(), Error::<T>::BondBelowMinimum);
        PublicKey::from_bytes(&organizer_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
        fr_from_bytes(&test_hash).map_err(|_| Error::<T>::MalformedDatasetHash)?;
        let mut train = Datasets::<T>::get(&organizer, train_dataset).ok_or(Error::<T>::UnknownDataset)?;
        let test_shape = DatasetShape { m: test_rows, p: train.shape.p, n: train.shape.n };
        Self::check_shape(test_shape)?;
        let words = zkml_primitives::competition::reveal_words(&test_shape.into());
        ensure!(words <= T::MaxRevealWords::get() as usize, Error::<T>::TestSetTooLarge);
        let mut key = VerifyingKeys::<T>::get(&organizer, scoring_key).ok_or(Error::<T>::UnknownVerifyingKey)?;
        ensure!(key.shape == test_shape, Error::<T>::ShapeMismatch);
        // The test set has the training set's scales, so the training record says whether it suits the kind.
        let params = Self::check_model(test_shape, &key.model, Some(train.y_frac_bits))?;
        let mut val_records = None;
        if let Some(v) = &validation {
            let ds = Datasets::<T>::get(&organizer, v.dataset).ok_or(Error::<T>::UnknownDataset)?;
            ensure!(ds.shape.p == train.shape.p && ds.shape.n == train.shape.n, Error::<T>::ShapeMismatch);
            // The same model parameters must mean the same real numbers on both splits.
            ensure!(ds.x_frac_bits == train.x_frac_bits && ds.y_frac_bits == train.y_frac_bits, Error::<T>::InvalidScales);
            let vk = VerifyingKeys::<T>::get(&organizer, v.verifying_key).ok_or(Error::<T>::UnknownVerifyingKey)?;
            ensure!(vk.shape == ds.shape, Error::<T>::ShapeMismatch);
            // One committed model is scored on both splits: the same kind, so the same parameters.
            ensure!(vk.model == key.model, Error::<T>::ModelMismatch);
            val_records = Some((ds, vk));
        }
        let footprint = frame_support::traits::Footprint::from_parts(
            1 + shares.len(),
            512 + shares.len() * (params as usize * 32 + 128) + T::MaxSubmissions::get() as usize * 20,
        );
        let deposit = T::Deposit::new(&organizer, footprint).map_err(|_| Error::<T>::InsufficientBalance)?;
        T::Currency::hold(&HoldReason::CompetitionPrize.into(), &organizer, prize).map_err(|_| Error::<T>::InsufficientBalance)?;
        T::Currency::hold(&HoldReason::RevealBond.into(), &organizer, bond).map_err(|_| Error::<T>::InsufficientBalance)?;
        // Records in use cannot be removed (the `bounties` counters count every record that refers to them).
        train.bounties = train.bounties.saturating_add(1);
        key.bounties = key.bounties.saturating_add(1);
        Datasets::<T>::insert(&organizer, train_dataset, train);
        VerifyingKeys::<T>::insert(&organizer, scoring_key, key);
        if let (Some(v), Some((mut ds, mut vk))) = (&validation, val_records) {
            ds.bounties = ds.bounties.saturating_add(1);
            vk.bounties = vk.bounties.saturating_add(1);
            Datasets::<T>::insert(&organizer, v.dataset, ds);
            VerifyingKeys::<T>::insert(&organizer, v.verifying_key, vk);
        }
        let now = frame_system::Pallet::<T>::block_number();
        let submit_until = now.saturating_add(submit_blocks);
        let reveal_until = submit_until.saturating_add(reveal_blocks);
        let competition = NextCompetitionId::<T>::get();
        NextCompetitionId::<T>::put(competition.saturating_add(1));
        Competitions::<T>::insert(
            competition,
            Competition {
                organizer: organizer.clone(),
                train_dataset,
                validation,
                test_hash,
                test_rows,
                scoring_key,
                organizer_key,
                prize,
                bond,
                submit_until,
                reveal_until,
                score_blocks,
                shares,
                params,
                phase: CompetitionPhase::Open,
                submissions: 0,
                ranking: BoundedVec::new(),
                slots: BoundedVec::new(),
                next_rank: 0,
                deposit,
            },
        );
        Self::deposit_event(Event::CompetitionPosted { competition, organizer, prize, bond, submit_until, reveal_until });
        Ok(())
    }

    pub(crate) fn do_submit(
        submitter: T::AccountId,
        competition: CompetitionId,
        commitment: FieldBytes,
        public_score: Option<PublicScore>,
    ) -> DispatchResult {
        let mut c = Competitions::<T>::get(competition).ok_or(Error::<T>::UnknownCompetition)?;
        let now = frame_system::Pallet::<T>::block_number();
        ensure!(matches!(c.phase, CompetitionPhase::Open) && now <= c.submit_until, Error::<T>::SubmissionsClosed);
        fr_from_bytes(&commitment).map_err(|_| Error::<T>::MalformedEnvelope)?;
        let mine = SubmissionCounts::<T>::get(competition, &submitter);
        ensure!(mine < T::MaxSubmissionsPerAccount::get(), Error::<T>::SubmissionLimitReached);
        ensure!(c.submissions < T::MaxSubmissions::get(), Error::<T>::CompetitionFull);
        let public = match public_score {
            None => None,
            Some(ps) => {
                let v = c.validation.ok_or(Error::<T>::NoValidationSet)?;
                // The public score binds the submitter as payee: it pays nothing, it only names who proved it.
                let statement = Self::competition_statement(competition, &c, &v.dataset, ps.score, &commitment, &submitter)?;
                let proof = zkml_primitives::groth16::decode_proof(&ps.proof).map_err(|_| Error::<T>::MalformedProof)?;
                Self::verify_statement(&c.organizer, v.verifying_key, &proof, &statement)?;
                Some(ps.score)
            }
        };
        let deposit = T::SubmissionDeposit::get();
        T::Currency::hold(&HoldReason::SubmissionDeposit.into(), &submitter, deposit)
            .map_err(|_| Error::<T>::InsufficientBalance)?;
        let index = c.submissions;
        c.submissions = c.submissions.saturating_add(1);
        Competitions::<T>::insert(competition, c);
        SubmissionCounts::<T>::insert(competition, &submitter, mine.saturating_add(1));
        Submissions::<T>::insert(
            competition,
            index,
            Submission { submitter: submitter.clone(), commitment, at: now, public_score: public, score: None, deposit, delivered: false },
        );
        Self::deposit_event(Event::Submitted { competition, index, submitter, commitment, public_score: public });
        Ok(())
    }

    pub(crate) fn do_reveal(competition: CompetitionId, words: &[FieldBytes]) -> DispatchResult {
        let mut c = Competitions::<T>::get(competition).ok_or(Error::<T>::UnknownCompetition)?;
        let now = frame_system::Pallet::<T>::block_number();
        ensure!(matches!(c.phase, CompetitionPhase::Open) && now <= c.reveal_until, Error::<T>::RevealClosed);
        ensure!(now > c.submit_until, Error::<T>::SubmissionsOpen);
        let train = Datasets::<T>::get(&c.organizer, c.train_dataset).ok_or(Error::<T>::UnknownDataset)?;
        let shape: Shape = c.test_shape(&train.shape).into();
        let scales = Scales {
            x_frac_bits: train.x_frac_bits.iter().map(|f| *f as i32).collect(),
            y_frac_bits: train.y_frac_bits as i32,
        };
        let hash = test_set_hash(&shape, &scales, words).map_err(|_| Error::<T>::MalformedTestSet)?;
        ensure!(fr_to_bytes(&hash) == c.test_hash, Error::<T>::TestSetMismatch);
        T::Currency::release(&HoldReason::RevealBond.into(), &c.organizer, c.bond, Precision::BestEffort)?;
        let extrinsic = frame_system::Pallet::<T>::extrinsic_index().unwrap_or_default();
        let score_until = now.saturating_add(c.score_blocks);
        c.phase = CompetitionPhase::Revealed { at: now, extrinsic, score_until };
        Competitions::<T>::insert(competition, c);
        Self::deposit_event(Event::TestSetRevealed { competition, at: now, extrinsic, score_until });
        Ok(())
    }

    pub(crate) fn do_score(
        who: T::AccountId,
        competition: CompetitionId,
        index: SubmissionIndex,
        score: u128,
        proof: &[u8],
        payee: T::AccountId,
    ) -> DispatchResult {
        let mut c = Competitions::<T>::get(competition).ok_or(Error::<T>::UnknownCompetition)?;
        let now = frame_system::Pallet::<T>::block_number();
        let CompetitionPhase::Revealed { score_until, .. } = c.phase else { return Err(Error::<T>::NotScoring.into()) };
        ensure!(now <= score_until, Error::<T>::NotScoring);
        let mut s = Submissions::<T>::get(competition, index).ok_or(Error::<T>::UnknownSubmission)?;
        ensure!(s.submitter == who, Error::<T>::NotSubmitter);
        ensure!(s.score.is_none(), Error::<T>::AlreadyScored);
        let statement = Self::competition_statement(competition, &c, &c.test_hash, score, &s.commitment, &payee)?;
        let proof = zkml_primitives::groth16::decode_proof(proof).map_err(|_| Error::<T>::MalformedProof)?;
        Self::verify_statement(&c.organizer, c.scoring_key, &proof, &statement)?;
        let pos = c.ranking.binary_search(&(score, index)).unwrap_or_else(|p| p);
        c.ranking.try_insert(pos, (score, index)).map_err(|_| Error::<T>::CompetitionFull)?;
        T::Currency::release(&HoldReason::SubmissionDeposit.into(), &who, s.deposit, Precision::BestEffort)?;
        s.deposit = Zero::zero();
        s.score = Some((score, payee.clone()));
        Submissions::<T>::insert(competition, index, s);
        Competitions::<T>::insert(competition, c);
        Self::deposit_event(Event::Scored { competition, index, score, payee, rank: pos as u32 + 1 });
        Ok(())
    }

    /// Does whatever is due; returns how many submissions it iterated over (the weight's component).
    pub(crate) fn do_finalize(competition: CompetitionId) -> Result<u32, DispatchError> {
        let mut c = Competitions::<T>::get(competition).ok_or(Error::<T>::UnknownCompetition)?;
        let now = frame_system::Pallet::<T>::block_number();
        let touched = match c.phase.clone() {
            CompetitionPhase::Open => {
                ensure!(now > c.reveal_until, Error::<T>::TooEarly);
                Self::forfeit_unrevealed(competition, &mut c)?
            }
            CompetitionPhase::Revealed { at, extrinsic, score_until } => {
                ensure!(now > score_until, Error::<T>::TooEarly);
                let n = Self::rank(competition, &mut c, now)?;
                c.phase = CompetitionPhase::Finalized { at, extrinsic };
                n
            }
            CompetitionPhase::Finalized { .. } => {
                ensure!(Self::pass_lapsed_slots(competition, &mut c, now)?, Error::<T>::TooEarly);
                0
            }
            CompetitionPhase::Forfeited => return Err(Error::<T>::CompetitionOver.into()),
        };
        Competitions::<T>::insert(competition, c);
        Ok(touched)
    }

    /// No matching reveal by the deadline: every submission gets its deposit back and an equal part of prize
    /// and bond (the organizer cannot keep the prize by withholding the test set).
    fn forfeit_unrevealed(competition: CompetitionId, c: &mut Competition<T>) -> Result<u32, DispatchError> {
        let count = c.submissions;
        let (each_prize, each_bond) = if count > 0 {
            (c.prize / count.into(), c.bond / count.into())
        } else {
            (Zero::zero(), Zero::zero())
        };
        let mut paid = BalanceOf::<T>::zero();
        for index in 0..count {
            let Some(mut s) = Submissions::<T>::get(competition, index) else { continue };
            T::Currency::release(&HoldReason::SubmissionDeposit.into(), &s.submitter, s.deposit, Precision::BestEffort)?;
            s.deposit = Zero::zero();
            for (reason, amount) in [(HoldReason::CompetitionPrize, each_prize), (HoldReason::RevealBond, each_bond)] {
                paid = paid.saturating_add(T::Currency::transfer_on_hold(
                    &reason.into(),
                    &c.organizer,
                    &s.submitter,
                    amount,
                    Precision::Exact,
                    Restriction::Free,
                    Fortitude::Force,
                )?);
            }
            Submissions::<T>::insert(competition, index, s);
        }
        // What the division left (everything, with no submission) goes back to the organizer.
        let prize_rest = c.prize.saturating_sub(each_prize.saturating_mul(count.into()));
        let bond_rest = c.bond.saturating_sub(each_bond.saturating_mul(count.into()));
        T::Currency::release(&HoldReason::CompetitionPrize.into(), &c.organizer, prize_rest, Precision::BestEffort)?;
        T::Currency::release(&HoldReason::RevealBond.into(), &c.organizer, bond_rest, Precision::BestEffort)?;
        c.phase = CompetitionPhase::Forfeited;
        let returned = prize_rest.saturating_add(bond_rest);
        Self::deposit_event(Event::CompetitionForfeited { competition, paid, submissions: count, returned });
        Ok(count)
    }

    /// After the scoring window: deposits of unscored submissions go to the organizer, and the top of the
    /// ranking takes the prize slots (each to be paid on delivery).
    fn rank(competition: CompetitionId, c: &mut Competition<T>, now: BlockNumberFor<T>) -> Result<u32, DispatchError> {
        for index in 0..c.submissions {
            let Some(mut s) = Submissions::<T>::get(competition, index) else { continue };
            if s.score.is_none() && !s.deposit.is_zero() {
                T::Currency::transfer_on_hold(
                    &HoldReason::SubmissionDeposit.into(),
                    &s.submitter,
                    &c.organizer,
                    s.deposit,
                    Precision::BestEffort,
                    Restriction::Free,
                    Fortitude::Force,
                )?;
                s.deposit = Zero::zero();
                Submissions::<T>::insert(competition, index, s);
            }
        }
        let deliver_by = now.saturating_add(T::DeliveryWindow::get());
        let split = Self::split_prize(c.prize, &c.shares);
        let mut slots = Vec::with_capacity(split.len());
        for (rank, share) in split.into_iter().enumerate() {
            let holder = c.ranking.get(rank).map(|(_, i)| *i);
            if holder.is_none() {
                T::Currency::release(&HoldReason::CompetitionPrize.into(), &c.organizer, share, Precision::BestEffort)?;
            }
            slots.push(Slot { share, holder, deliver_by, delivered: false });
        }
        c.next_rank = c.ranking.len().min(slots.len()) as u32;
        c.slots = BoundedVec::truncate_from(slots);
        let winners: Vec<SubmissionIndex> = c.slots.iter().filter_map(|s| s.holder).collect();
        Self::deposit_event(Event::CompetitionFinalized { competition, winners, deliver_by });
        Ok(c.submissions)
    }

    /// Passes every slot whose holder did not deliver in time to the next submission in rank (with a fresh
    /// delivery window), or back to the organizer when the ranking is exhausted. Returns whether any was due.
    fn pass_lapsed_slots(competition: CompetitionId, c: &mut Competition<T>, now: BlockNumberFor<T>) -> Result<bool, DispatchError> {
        let mut any = false;
        for slot in 0..c.slots.len() {
            let s = &c.slots[slot];
            let (Some(from), false) = (s.holder, s.delivered) else { continue };
            if now <= s.deliver_by {
                continue;
            }
            any = true;
            let next = c.ranking.get(c.next_rank as usize).map(|(_, i)| *i);
            let share = s.share;
            if next.is_some() {
                c.next_rank = c.next_rank.saturating_add(1);
            } else {
                T::Currency::release(&HoldReason::CompetitionPrize.into(), &c.organizer, share, Precision::BestEffort)?;
            }
            let deliver_by = now.saturating_add(T::DeliveryWindow::get());
            c.slots[slot].holder = next;
            c.slots[slot].deliver_by = deliver_by;
            Self::deposit_event(Event::SlotPassed { competition, slot: slot as u32, from, to: next, deliver_by });
        }
        Ok(any)
    }

    pub(crate) fn do_deliver(
        who: T::AccountId,
        competition: CompetitionId,
        index: SubmissionIndex,
        competitor_key: [u8; 32],
        nonce: FieldBytes,
        ciphertext: BoundedVec<FieldBytes, T::MaxParams>,
    ) -> DispatchResult {
        let mut c = Competitions::<T>::get(competition).ok_or(Error::<T>::UnknownCompetition)?;
        ensure!(matches!(c.phase, CompetitionPhase::Finalized { .. }), Error::<T>::NotWinner);
        let slot = c.slots.iter().position(|s| s.holder == Some(index) && !s.delivered).ok_or(Error::<T>::NotWinner)?;
        let now = frame_system::Pallet::<T>::block_number();
        ensure!(now <= c.slots[slot].deliver_by, Error::<T>::DeliveryWindowPassed);
        let mut s = Submissions::<T>::get(competition, index).ok_or(Error::<T>::UnknownSubmission)?;
        let (_, payee) = s.score.clone().ok_or(Error::<T>::NotWinner)?;
        ensure!(ciphertext.len() == c.params as usize, Error::<T>::WrongCiphertextLength);
        let envelope = Self::decode_envelope(&competitor_key, &nonce, &ciphertext)?;
        ensure!(fr_to_bytes(&envelope.hash()) == s.commitment, Error::<T>::EnvelopeMismatch);
        let amount = T::Currency::transfer_on_hold(
            &HoldReason::CompetitionPrize.into(),
            &c.organizer,
            &payee,
            c.slots[slot].share,
            Precision::Exact,
            Restriction::Free,
            Fortitude::Force,
        )?;
        c.slots[slot].delivered = true;
        s.delivered = true;
        Submissions::<T>::insert(competition, index, s);
        Competitions::<T>::insert(competition, c);
        CompetitionModels::<T>::insert(
            competition,
            index,
            ClaimRecord { claimant: who, payee: payee.clone(), competitor_key, nonce, ciphertext, at: now },
        );
        Self::deposit_event(Event::WinnerPaid { competition, index, slot: slot as u32, payee, amount });
        Ok(())
    }
}
