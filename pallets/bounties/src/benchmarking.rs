//! Benchmarks (frame-benchmarking v2). The claim benchmark submits a real proof from `benchmark_fixture.bin`
//! (made by the prover: see `tests::regenerate_benchmark_fixture`), so the measured weight includes the
//! Groth16 verification as the runtime performs it. `deliver` is measured over the ciphertext length `n`
//! (the envelope hash is linear in it), `register_dataset` over the feature count `p`; claim and cancel are
//! measured in their worst case, settling a lapsed reservation first.
use super::*;
use crate::{
    fixture::{Fixture, FIXTURE_PAYEE},
    pallet::{
        BalanceOf, Bounties, BountyState, CeremonyPhase, Ceremonies, CompetitionPhase, FieldBytes, HoldReason, PublicScore,
        Reservation, Slot, Validation,
    },
};
use alloc::vec::Vec;
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{
    traits::{fungible::Mutate, fungible::MutateHold, Get},
    BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating};
use zkml_primitives::{
    claim::Envelope,
    encoding::{fr_from_bytes, fr_to_bytes},
    keys::PublicKey,
    Fr,
};

fn load_fixture() -> Fixture {
    Fixture::decode(&mut &include_bytes!("benchmark_fixture.bin")[..]).expect("fixture decodes")
}

/// The model kind whose record is largest and whose check does the most work: the most hidden layers.
fn largest_model() -> ModelKindInfo {
    let hidden = alloc::vec![1u32; zkml_primitives::model::MAX_HIDDEN_LAYERS];
    ModelKindInfo::Mlp { hidden: hidden.try_into().expect("MAX_HIDDEN_LAYERS"), task: ModelTask::Classification { classes: 2 } }
}

fn funded<T: Config>(name: &'static str) -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    let who: T::AccountId = account(name, 0, 0);
    T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
    who
}

/// Enough to create the payee's account when it is paid.
fn bounty_amount<T: Config>() -> BalanceOf<T> {
    use frame_support::traits::fungible::Inspect;
    T::Currency::minimum_balance().saturating_mul(1_000u32.into()).max(T::MinBountyAmount::get())
}

const EXPIRES_IN: u32 = 100;

/// Registers the fixture's dataset under `who`.
fn register_fixture_dataset<T: Config>(who: &T::AccountId, f: &Fixture) {
    let scales = f.x_frac_bits.clone().try_into().expect("fits");
    Pallet::<T>::register_dataset(RawOrigin::Signed(who.clone()).into(), f.dataset, Default::default(), f.shape, scales, f.y_frac_bits)
        .expect("dataset");
}

/// Registers the fixture's verifying key under `who`; returns its hash.
fn register_fixture_key<T: Config>(who: &T::AccountId, f: &Fixture) -> [u8; 32] {
    let key = f.verifying_key.clone().try_into().expect("fits");
    Pallet::<T>::register_verifying_key(RawOrigin::Signed(who.clone()).into(), key, f.shape, ModelKindInfo::LINEAR_REGRESSION, Default::default()).expect("key");
    sp_io::hashing::blake2_256(&f.verifying_key)
}


fn long_cid<T: Config>() -> BoundedVec<u8, T::MaxCidLen> {
    alloc::vec![b'b'; T::MaxCidLen::get() as usize].try_into().expect("fits")
}

/// Records a block hash for every block up to `n` and moves there (the beacons read them).
fn close_window<T: Config>(n: u32) {
    for b in 0..n {
        let mut h = T::Hash::default();
        h.as_mut()[..4].copy_from_slice(&b.to_le_bytes());
        h.as_mut()[4] = 1;
        frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::from(b), h);
    }
    frame_system::Pallet::<T>::set_block_number(n.into());
}

/// Adds `count` contributions by distinct funded accounts to ceremony 0's open phase `phase`.
fn add_contributions<T: Config>(count: u32, phase: u8)
where
    T::Currency: Mutate<T::AccountId>,
{
    for i in 0..count {
        let who: T::AccountId = account("contributor", i + 100 * phase as u32, 0);
        T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000u32.into());
        let c = Ceremonies::<T>::get(0).expect("ceremony");
        let list = if phase == 1 { &c.phase1 } else { &c.phase2 };
        let previous = list.last().map(|l| l.hash);
        let mut hash = [phase; 64];
        hash[..4].copy_from_slice(&i.to_le_bytes());
        Pallet::<T>::contribute(RawOrigin::Signed(who).into(), 0, previous, hash, long_cid::<T>()).expect("contribute");
    }
}

/// Opens ceremony 0 at block 1 (phase 1 until block 10, phase 2 for 10 more) with `phase1` contributions;
/// with `to_phase2`, also finishes phase 1 (at block 20). Returns the coordinator.
fn open_full_ceremony<T: Config>(f: &Fixture, phase1: u32, to_phase2: bool) -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    frame_system::Pallet::<T>::set_block_number(1u32.into());
    let coordinator = funded::<T>("coordinator");
    Pallet::<T>::open_ceremony(RawOrigin::Signed(coordinator.clone()).into(), f.shape, ModelKindInfo::LINEAR_REGRESSION, 17, 9u32.into(), 10u32.into())
        .expect("open");
    add_contributions::<T>(phase1, 1);
    if to_phase2 {
        close_window::<T>(20);
        Pallet::<T>::finish_phase1(RawOrigin::Signed(coordinator.clone()).into(), 0, [0xbe; 64], long_cid::<T>(), long_cid::<T>())
            .expect("finish phase 1");
        add_contributions::<T>(1, 2);
    }
    coordinator
}

/// Registers the fixture's dataset and key and posts bounty 0 with them at block 1; returns the issuer.
fn open_bounty<T: Config>(f: &Fixture) -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    frame_system::Pallet::<T>::set_block_number(1u32.into());
    let issuer = funded::<T>("issuer");
    register_fixture_dataset::<T>(&issuer, f);
    let key_hash = register_fixture_key::<T>(&issuer, f);
    Pallet::<T>::post_bounty(
        RawOrigin::Signed(issuer.clone()).into(),
        f.dataset,
        key_hash,
        f.issuer_key,
        f.sse_cap,
        bounty_amount::<T>(),
        EXPIRES_IN.into(),
    )
    .expect("bounty");
    issuer
}

/// Puts bounty 0 in the reserved state (as a verified claim would), with the bond held from `claimant`.
fn reserve<T: Config>(claimant: &T::AccountId, payee: T::AccountId, envelope_hash: FieldBytes, deliver_by: BlockNumberFor<T>)
where
    T::Currency: Mutate<T::AccountId>,
{
    let bond = T::ClaimBond::get();
    T::Currency::hold(&HoldReason::ClaimBond.into(), claimant, bond).expect("bond");
    Bounties::<T>::mutate(0, |b| {
        b.as_mut().expect("bounty 0").state =
            BountyState::Reserved(Reservation { claimant: claimant.clone(), payee, envelope_hash, deliver_by, bond })
    });
}

/// The fixture's competitor key and nonce with `n` ciphertext elements, and its envelope hash.
fn envelope_of_len(f: &Fixture, n: u32) -> (Vec<FieldBytes>, FieldBytes) {
    let ciphertext: Vec<FieldBytes> = (0..n).map(|i| fr_to_bytes(&Fr::from(i as u64 + 1_000_003))).collect();
    let envelope = Envelope {
        competitor_pk: PublicKey::from_bytes(&f.competitor_key).expect("fixture key"),
        nonce: fr_from_bytes(&f.nonce).expect("fixture nonce"),
        ciphertext: ciphertext.iter().map(|c| fr_from_bytes(c).expect("canonical")).collect(),
    };
    (ciphertext, fr_to_bytes(&envelope.hash()))
}

/// The fixture's payee as an account (it signs the public score, which binds the submitter).
fn fixture_payee<T: Config>() -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    let who = T::AccountId::decode(&mut &FIXTURE_PAYEE[..]).expect("32-byte or smaller account ids decode");
    T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
    who
}

const WINDOW: u32 = 10;

/// Posts competition 0 at block 1 on the fixture's dataset and key (training, validation and test set all the
/// fixture's, so the fixture's competition proof scores it); returns the organizer.
fn open_competition<T: Config>(f: &Fixture) -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    frame_system::Pallet::<T>::set_block_number(1u32.into());
    let organizer = funded::<T>("organizer");
    register_fixture_dataset::<T>(&organizer, f);
    let key_hash = register_fixture_key::<T>(&organizer, f);
    let shares: BoundedVec<u32, T::MaxWinners> = alloc::vec![1u32; T::MaxWinners::get() as usize].try_into().expect("fits");
    Pallet::<T>::post_competition(
        RawOrigin::Signed(organizer.clone()).into(),
        f.dataset,
        Some(Validation { dataset: f.dataset, verifying_key: key_hash }),
        f.dataset,
        f.shape.m,
        key_hash,
        f.issuer_key,
        bounty_amount::<T>().saturating_mul(T::MaxWinners::get().into()),
        T::MinRevealBond::get(),
        WINDOW.into(),
        WINDOW.into(),
        WINDOW.into(),
        shares,
    )
    .expect("competition");
    organizer
}

fn fixture_commitment(f: &Fixture) -> FieldBytes {
    let envelope = Envelope {
        competitor_pk: PublicKey::from_bytes(&f.competitor_key).unwrap(),
        nonce: fr_from_bytes(&f.nonce).unwrap(),
        ciphertext: f.ciphertext.iter().map(|c| fr_from_bytes(c).unwrap()).collect(),
    };
    fr_to_bytes(&envelope.hash())
}

/// Fills competition 0 with `count` submissions from distinct accounts (no public score).
fn add_submissions<T: Config>(count: u32)
where
    T::Currency: Mutate<T::AccountId>,
{
    for i in 0..count {
        let who: T::AccountId = account("submitter", i, 0);
        T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000u32.into());
        let mut commitment = [0u8; 32];
        commitment[..4].copy_from_slice(&i.to_le_bytes());
        Pallet::<T>::submit(RawOrigin::Signed(who).into(), 0, commitment, None).expect("submit");
    }
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn register_dataset(p: Linear<1, { T::MaxFeatures::get() }>) {
        let who = funded::<T>("organizer");
        let dataset = [1u8; 32];
        let shape = crate::pallet::DatasetShape { m: 1, p, n: 1 };
        let scales: BoundedVec<i8, T::MaxFeatures> = alloc::vec![0i8; p as usize].try_into().unwrap();
        let cid: BoundedVec<u8, T::MaxCidLen> = alloc::vec![b'Q'; T::MaxCidLen::get() as usize].try_into().unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(who.clone()), dataset, cid, shape, scales, 8);
        assert!(crate::pallet::Datasets::<T>::contains_key(who, dataset));
    }

    #[benchmark]
    fn register_verifying_key() {
        let f = load_fixture();
        let who = funded::<T>("registrant");
        let key: BoundedVec<u8, T::MaxVerifyingKeyLen> = f.verifying_key.clone().try_into().unwrap();
        let cid: BoundedVec<u8, T::MaxCidLen> = alloc::vec![b'Q'; T::MaxCidLen::get() as usize].try_into().unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(who.clone()), key, f.shape, largest_model(), cid);
        assert!(crate::pallet::VerifyingKeys::<T>::contains_key(who, sp_io::hashing::blake2_256(&f.verifying_key)));
    }

    #[benchmark]
    fn post_bounty() {
        let f = load_fixture();
        let who = funded::<T>("issuer");
        register_fixture_dataset::<T>(&who, &f);
        let key_hash = register_fixture_key::<T>(&who, &f);
        #[extrinsic_call]
        _(RawOrigin::Signed(who), f.dataset, key_hash, f.issuer_key, f.sse_cap, bounty_amount::<T>(), EXPIRES_IN.into());
        assert!(Bounties::<T>::contains_key(0));
    }

    /// Worst case: a lapsed reservation is settled (bond forfeited) before the proof is verified.
    #[benchmark]
    fn claim() {
        let f = load_fixture();
        open_bounty::<T>(&f);
        let stalled = funded::<T>("stalled");
        reserve::<T>(&stalled, stalled.clone(), [3u8; 32], 2u32.into());
        frame_system::Pallet::<T>::set_block_number(3u32.into());
        let envelope = Envelope {
            competitor_pk: PublicKey::from_bytes(&f.competitor_key).unwrap(),
            nonce: fr_from_bytes(&f.nonce).unwrap(),
            ciphertext: f.ciphertext.iter().map(|c| fr_from_bytes(c).unwrap()).collect(),
        };
        let envelope_hash = fr_to_bytes(&envelope.hash());
        let claimant = funded::<T>("claimant");
        let payee = T::AccountId::decode(&mut &FIXTURE_PAYEE[..]).expect("32-byte or smaller account ids decode");
        #[extrinsic_call]
        _(RawOrigin::Signed(claimant), 0, f.proof.try_into().unwrap(), envelope_hash, payee);
        assert!(matches!(Bounties::<T>::get(0).map(|b| b.state), Some(BountyState::Reserved(_))));
    }

    /// `n` ciphertext elements hashed and stored; pays a fresh payee account.
    #[benchmark]
    fn deliver(n: Linear<1, { T::MaxParams::get() }>) {
        let f = load_fixture();
        open_bounty::<T>(&f);
        let (ciphertext, envelope_hash) = envelope_of_len(&f, n);
        Bounties::<T>::mutate(0, |b| b.as_mut().unwrap().params = n);
        let claimant = funded::<T>("claimant");
        let payee: T::AccountId = account("payee", 0, 0);
        reserve::<T>(&claimant, payee, envelope_hash, 50u32.into());
        let ciphertext: BoundedVec<FieldBytes, T::MaxParams> = ciphertext.try_into().unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(claimant), 0, f.competitor_key, f.nonce, ciphertext);
        assert!(crate::pallet::Claims::<T>::contains_key(0));
    }

    /// Worst case: a lapsed reservation is settled before the refund.
    #[benchmark]
    fn cancel_bounty() {
        let f = load_fixture();
        let issuer = open_bounty::<T>(&f);
        let stalled = funded::<T>("stalled");
        reserve::<T>(&stalled, stalled.clone(), [3u8; 32], (EXPIRES_IN + 1).into());
        frame_system::Pallet::<T>::set_block_number((EXPIRES_IN + 10).into());
        #[extrinsic_call]
        _(RawOrigin::Signed(issuer), 0);
        assert!(matches!(Bounties::<T>::get(0).map(|b| b.state), Some(BountyState::Cancelled)));
    }

    #[benchmark]
    fn remove_bounty() {
        let f = load_fixture();
        let issuer = open_bounty::<T>(&f);
        frame_system::Pallet::<T>::set_block_number((EXPIRES_IN + 10).into());
        Pallet::<T>::cancel_bounty(RawOrigin::Signed(issuer.clone()).into(), 0).unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(issuer), 0);
        assert!(!Bounties::<T>::contains_key(0));
    }

    #[benchmark]
    fn remove_dataset() {
        let f = load_fixture();
        let who = funded::<T>("organizer");
        register_fixture_dataset::<T>(&who, &f);
        #[extrinsic_call]
        _(RawOrigin::Signed(who.clone()), f.dataset);
        assert!(!crate::pallet::Datasets::<T>::contains_key(who, f.dataset));
    }

    #[benchmark]
    fn remove_verifying_key() {
        let f = load_fixture();
        let who = funded::<T>("registrant");
        let key_hash = register_fixture_key::<T>(&who, &f);
        #[extrinsic_call]
        _(RawOrigin::Signed(who.clone()), key_hash);
        assert!(!crate::pallet::VerifyingKeys::<T>::contains_key(who, key_hash));
    }

    #[benchmark]
    fn open_ceremony() {
        let f = load_fixture();
        let who = funded::<T>("coordinator");
        #[extrinsic_call]
        _(RawOrigin::Signed(who), f.shape, largest_model(), 17, 10u32.into(), 10u32.into());
        assert!(Ceremonies::<T>::contains_key(0));
    }

    /// Worst case: the phase already holds all but one of its records, each with the longest CID.
    #[benchmark]
    fn contribute() {
        let f = load_fixture();
        open_full_ceremony::<T>(&f, T::MaxContributions::get() - 1, false);
        let who = funded::<T>("contributor");
        let previous = Ceremonies::<T>::get(0).and_then(|c| c.phase1.last().map(|l| l.hash));
        #[extrinsic_call]
        _(RawOrigin::Signed(who), 0, previous, [0xcd; 64], long_cid::<T>());
        assert_eq!(Ceremonies::<T>::get(0).map(|c| c.phase1.len() as u32), Some(T::MaxContributions::get()));
    }

    #[benchmark]
    fn finish_phase1() {
        let f = load_fixture();
        let coordinator = open_full_ceremony::<T>(&f, T::MaxContributions::get() - 1, false);
        close_window::<T>(20);
        #[extrinsic_call]
        _(RawOrigin::Signed(coordinator), 0, [0xbe; 64], long_cid::<T>(), long_cid::<T>());
        assert!(matches!(Ceremonies::<T>::get(0).map(|c| c.phase), Some(CeremonyPhase::Phase2 { .. })));
    }

    #[benchmark]
    fn finish_phase2() {
        let f = load_fixture();
        let coordinator = open_full_ceremony::<T>(&f, T::MaxContributions::get() - 1, true);
        close_window::<T>(50);
        let key: BoundedVec<u8, T::MaxVerifyingKeyLen> = f.verifying_key.clone().try_into().expect("fits");
        #[extrinsic_call]
        _(RawOrigin::Signed(coordinator), 0, [0xbe; 64], long_cid::<T>(), key);
        assert!(matches!(Ceremonies::<T>::get(0).map(|c| c.phase), Some(CeremonyPhase::Finished { .. })));
    }

    /// `c` contribution records (each with its own contributor's deposit) are returned; the cost per record
    /// does not depend on its phase.
    #[benchmark]
    fn remove_ceremony(c: Linear<1, { T::MaxContributions::get() }>) {
        let f = load_fixture();
        let coordinator = open_full_ceremony::<T>(&f, c, false);
        #[extrinsic_call]
        _(RawOrigin::Signed(coordinator), 0);
        assert!(!Ceremonies::<T>::contains_key(0));
    }

    /// Worst case: with a validation split, every record read and written.
    #[benchmark]
    fn post_competition() {
        let f = load_fixture();
        let organizer = funded::<T>("organizer");
        register_fixture_dataset::<T>(&organizer, &f);
        let key_hash = register_fixture_key::<T>(&organizer, &f);
        let shares: BoundedVec<u32, T::MaxWinners> = alloc::vec![1u32; T::MaxWinners::get() as usize].try_into().unwrap();
        let prize = bounty_amount::<T>().saturating_mul(T::MaxWinners::get().into());
        #[extrinsic_call]
        _(
            RawOrigin::Signed(organizer),
            f.dataset,
            Some(Validation { dataset: f.dataset, verifying_key: key_hash }),
            f.dataset,
            f.shape.m,
            key_hash,
            f.issuer_key,
            prize,
            T::MinRevealBond::get(),
            WINDOW.into(),
            WINDOW.into(),
            WINDOW.into(),
            shares,
        );
        assert!(crate::pallet::Competitions::<T>::contains_key(0));
    }

    #[benchmark]
    fn submit() {
        let f = load_fixture();
        open_competition::<T>(&f);
        let who = fixture_payee::<T>();
        #[extrinsic_call]
        _(RawOrigin::Signed(who), 0, fixture_commitment(&f), None);
        assert!(crate::pallet::Submissions::<T>::contains_key(0, 0));
    }

    /// A commitment with a real proof of its score on the validation split.
    #[benchmark]
    fn submit_with_public_score() {
        let f = load_fixture();
        open_competition::<T>(&f);
        let who = fixture_payee::<T>();
        let public = PublicScore { score: f.sse_cap, proof: f.competition_proof.clone().try_into().unwrap() };
        #[extrinsic_call]
        submit(RawOrigin::Signed(who), 0, fixture_commitment(&f), Some(public));
        assert_eq!(crate::pallet::Submissions::<T>::get(0, 0).and_then(|s| s.public_score), Some(f.sse_cap));
    }

    /// `w` words: a test set of `w / 2` rows of 16 features and 10 outputs (one X word and one Y word per
    /// row), checked word by word and hashed.
    #[benchmark]
    fn reveal_test_set(w: Linear<2, { T::MaxRevealWords::get() }>) {
        use zkml_primitives::dataset::{dataset_hash, Scales, Shape};
        frame_system::Pallet::<T>::set_block_number(1u32.into());
        let rows = (w / 2).max(1);
        let shape = Shape { m: rows, p: 16, n: 10 };
        let x: Vec<i64> = (0..shape.x_len() as i64).map(|i| (i * 7919) % 32768 - 16384).collect();
        let y: Vec<i64> = (0..shape.y_len() as i64).map(|i| (i * 104_729) % 16_777_216 - 8_388_608).collect();
        let scales = Scales { x_frac_bits: alloc::vec![0; 16], y_frac_bits: 0 };
        let test_hash = fr_to_bytes(&dataset_hash(&shape, &scales, &x, &y).expect("in range"));
        let organizer = funded::<T>("organizer");
        let dshape = crate::pallet::DatasetShape { m: rows, p: 16, n: 10 };
        Pallet::<T>::register_dataset(
            RawOrigin::Signed(organizer.clone()).into(),
            [5u8; 32],
            Default::default(),
            dshape,
            alloc::vec![0i8; 16].try_into().unwrap(),
            0,
        )
        .expect("dataset");
        let f = load_fixture();
        let key: BoundedVec<u8, T::MaxVerifyingKeyLen> = f.verifying_key.clone().try_into().unwrap();
        Pallet::<T>::register_verifying_key(RawOrigin::Signed(organizer.clone()).into(), key, dshape, ModelKindInfo::LINEAR_REGRESSION, Default::default()).expect("key");
        Pallet::<T>::post_competition(
            RawOrigin::Signed(organizer.clone()).into(),
            [5u8; 32],
            None,
            test_hash,
            rows,
            sp_io::hashing::blake2_256(&f.verifying_key),
            f.issuer_key,
            bounty_amount::<T>(),
            T::MinRevealBond::get(),
            WINDOW.into(),
            WINDOW.into(),
            WINDOW.into(),
            alloc::vec![1u32].try_into().unwrap(),
        )
        .expect("competition");
        frame_system::Pallet::<T>::set_block_number((WINDOW + 2).into());
        let words: BoundedVec<FieldBytes, T::MaxRevealWords> =
            zkml_primitives::competition::pack_test_set(&x, &y).try_into().expect("fits");
        #[extrinsic_call]
        _(RawOrigin::Signed(organizer), 0, words);
        assert!(matches!(crate::pallet::Competitions::<T>::get(0).map(|c| c.phase), Some(CompetitionPhase::Revealed { .. })));
    }

    /// A real scoring proof, inserted at the top of an otherwise full ranking.
    #[benchmark]
    fn score() {
        let f = load_fixture();
        open_competition::<T>(&f);
        let who = fixture_payee::<T>();
        Pallet::<T>::submit(RawOrigin::Signed(who.clone()).into(), 0, fixture_commitment(&f), None).expect("submit");
        let filler = T::MaxSubmissions::get() - 1;
        add_submissions::<T>(filler.min(T::MaxSubmissions::get() - 1));
        crate::pallet::Competitions::<T>::mutate(0, |c| {
            let c = c.as_mut().unwrap();
            c.test_hash = f.dataset;
            c.phase = CompetitionPhase::Revealed { at: 12u32.into(), extrinsic: 1, score_until: 50u32.into() };
            c.ranking = (1..=filler).map(|i| (u128::MAX - i as u128, i)).collect::<Vec<_>>().try_into().unwrap();
        });
        frame_system::Pallet::<T>::set_block_number(20u32.into());
        #[extrinsic_call]
        _(RawOrigin::Signed(who.clone()), 0, 0, f.sse_cap, f.competition_proof.clone().try_into().unwrap(), who.clone());
        assert_eq!(crate::pallet::Competitions::<T>::get(0).map(|c| c.ranking[0]), Some((f.sse_cap, 0)));
    }

    /// `s` submissions and no reveal (the costliest settlement: each gets its deposit back and two payouts).
    #[benchmark]
    fn finalize_competition(s: Linear<1, { T::MaxSubmissions::get() }>) {
        let f = load_fixture();
        open_competition::<T>(&f);
        add_submissions::<T>(s);
        frame_system::Pallet::<T>::set_block_number((2 * WINDOW + 2).into());
        let anyone = funded::<T>("anyone");
        #[extrinsic_call]
        _(RawOrigin::Signed(anyone), 0);
        assert!(matches!(crate::pallet::Competitions::<T>::get(0).map(|c| c.phase), Some(CompetitionPhase::Forfeited)));
    }

    /// `n` ciphertext elements hashed and stored; pays a fresh payee account.
    #[benchmark]
    fn deliver_model(n: Linear<1, { T::MaxParams::get() }>) {
        let f = load_fixture();
        open_competition::<T>(&f);
        let winner = funded::<T>("winner");
        let (ciphertext, commitment) = envelope_of_len(&f, n);
        Pallet::<T>::submit(RawOrigin::Signed(winner.clone()).into(), 0, commitment, None).expect("submit");
        let payee: T::AccountId = account("payee", 0, 0);
        crate::pallet::Submissions::<T>::mutate(0, 0, |s| s.as_mut().unwrap().score = Some((1, payee)));
        crate::pallet::Competitions::<T>::mutate(0, |c| {
            let c = c.as_mut().unwrap();
            c.params = n;
            c.phase = CompetitionPhase::Finalized { at: 12u32.into(), extrinsic: 1 };
            let share = c.prize / T::MaxWinners::get().into();
            c.slots = alloc::vec![Slot { share, holder: Some(0), deliver_by: 100u32.into(), delivered: false }].try_into().unwrap();
        });
        let ciphertext: BoundedVec<FieldBytes, T::MaxParams> = ciphertext.try_into().unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(winner), 0, 0, f.competitor_key, f.nonce, ciphertext);
        assert!(crate::pallet::CompetitionModels::<T>::contains_key(0, 0));
    }

    impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
