//! Benchmarks (frame-benchmarking v2). The claim benchmarks submit a real proof from
//! `benchmark_fixture.bin` (made by the prover: see `tests::regenerate_benchmark_fixture`), so the measured
//! weight includes the Groth16 verification as the runtime performs it.
use super::*;
use crate::{
    fixture::{Fixture, FIXTURE_PAYEE},
    pallet::{BalanceOf, Bounties},
};
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{traits::fungible::Mutate, BoundedVec};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Saturating};

fn load_fixture() -> Fixture {
    Fixture::decode(&mut &include_bytes!("benchmark_fixture.bin")[..]).expect("fixture decodes")
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
    T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

/// Registers the fixture's dataset and key and posts bounty 0 with it; returns the issuer.
fn open_bounty<T: Config>(f: &Fixture) -> T::AccountId
where
    T::Currency: Mutate<T::AccountId>,
{
    let issuer = funded::<T>("issuer");
    let origin = || RawOrigin::Signed(issuer.clone());
    Pallet::<T>::register_dataset(
        origin().into(),
        f.dataset,
        Default::default(),
        f.shape,
        f.x_frac_bits.clone().try_into().expect("fits"),
        f.y_frac_bits,
    )
    .expect("dataset");
    Pallet::<T>::register_verifying_key(origin().into(), f.verifying_key.clone().try_into().expect("fits"), f.shape, Default::default())
        .expect("key");
    let key_hash = sp_io::hashing::blake2_256(&f.verifying_key);
    Pallet::<T>::post_bounty(origin().into(), f.dataset, key_hash, f.issuer_key, f.sse_cap, bounty_amount::<T>(), 100u32.into())
        .expect("bounty");
    issuer
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn register_dataset() {
        let f = load_fixture();
        let who = funded::<T>("organizer");
        #[extrinsic_call]
        _(RawOrigin::Signed(who), f.dataset, Default::default(), f.shape, f.x_frac_bits.try_into().unwrap(), f.y_frac_bits);
        assert!(crate::pallet::Datasets::<T>::contains_key(f.dataset));
    }

    #[benchmark]
    fn register_verifying_key() {
        let f = load_fixture();
        let who = funded::<T>("registrant");
        let key: BoundedVec<u8, T::MaxVerifyingKeyLen> = f.verifying_key.clone().try_into().unwrap();
        #[extrinsic_call]
        _(RawOrigin::Signed(who), key, f.shape, Default::default());
        assert!(crate::pallet::VerifyingKeys::<T>::contains_key(sp_io::hashing::blake2_256(&f.verifying_key)));
    }

    #[benchmark]
    fn post_bounty() {
        let f = load_fixture();
        let who = funded::<T>("issuer");
        Pallet::<T>::register_dataset(
            RawOrigin::Signed(who.clone()).into(),
            f.dataset,
            Default::default(),
            f.shape,
            f.x_frac_bits.clone().try_into().unwrap(),
            f.y_frac_bits,
        )
        .unwrap();
        Pallet::<T>::register_verifying_key(
            RawOrigin::Signed(who.clone()).into(),
            f.verifying_key.clone().try_into().unwrap(),
            f.shape,
            Default::default(),
        )
        .unwrap();
        let key_hash = sp_io::hashing::blake2_256(&f.verifying_key);
        #[extrinsic_call]
        _(RawOrigin::Signed(who), f.dataset, key_hash, f.issuer_key, f.sse_cap, bounty_amount::<T>(), 100u32.into());
        assert!(Bounties::<T>::contains_key(0));
    }

    #[benchmark]
    fn claim_bounty() {
        let f = load_fixture();
        open_bounty::<T>(&f);
        let claimant = funded::<T>("claimant");
        let payee = T::AccountId::decode(&mut &FIXTURE_PAYEE[..]).expect("32-byte or smaller account ids decode");
        #[extrinsic_call]
        _(
            RawOrigin::Signed(claimant),
            0,
            f.proof.try_into().unwrap(),
            f.ciphertext.try_into().unwrap(),
            f.competitor_key,
            f.nonce,
            payee.clone(),
        );
        assert!(crate::pallet::Claims::<T>::contains_key(0));
    }

    #[benchmark]
    fn commit_claim() {
        let f = load_fixture();
        open_bounty::<T>(&f);
        let committer = funded::<T>("committer");
        #[extrinsic_call]
        _(RawOrigin::Signed(committer.clone()), 0, [7u8; 32]);
        assert!(crate::pallet::Commitments::<T>::contains_key(0, committer));
    }

    #[benchmark]
    fn cancel_bounty() {
        let f = load_fixture();
        let issuer = open_bounty::<T>(&f);
        frame_system::Pallet::<T>::set_block_number(1_000u32.into());
        #[extrinsic_call]
        _(RawOrigin::Signed(issuer), 0);
        assert!(matches!(Bounties::<T>::get(0).map(|b| b.state), Some(crate::pallet::BountyState::Cancelled)));
    }

    impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
