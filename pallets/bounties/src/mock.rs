//! A test runtime: System, Balances, and the bounty pallet with hold-based storage deposits.
use crate as pallet_zkml_bounties;
use frame_support::{
    derive_impl, parameter_types,
    traits::{fungible::HoldConsideration, ConstU32, ConstU64, LinearStoragePrice},
};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
    pub enum Test {
        System: frame_system,
        Balances: pallet_balances,
        ZkmlBounties: pallet_zkml_bounties,
    }
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type Block = Block;
    type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
    type AccountStore = System;
    type ExistentialDeposit = ConstU64<EXISTENTIAL_DEPOSIT>;
    type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
    pub const StorageDepositReason: RuntimeHoldReason =
        RuntimeHoldReason::ZkmlBounties(pallet_zkml_bounties::HoldReason::StorageDeposit);
}

pub const EXISTENTIAL_DEPOSIT: u64 = 10;
pub const DEPOSIT_BASE: u64 = 10;
pub const DELIVERY_WINDOW: u64 = 10;
pub const CLAIM_BOND: u64 = 50;
pub const MIN_BOUNTY: u64 = 100;
pub const SUBMISSION_DEPOSIT: u64 = 30;
pub const MIN_REVEAL_BOND: u64 = 200;

impl pallet_zkml_bounties::Config for Test {
    type RuntimeEvent = RuntimeEvent;
    type Currency = Balances;
    type RuntimeHoldReason = RuntimeHoldReason;
    type Deposit = HoldConsideration<
        u64,
        Balances,
        StorageDepositReason,
        LinearStoragePrice<ConstU64<DEPOSIT_BASE>, ConstU64<1>, u64>,
    >;
    type MaxVerifyingKeyLen = ConstU32<4096>;
    type MaxCidLen = ConstU32<128>;
    type MaxFeatures = ConstU32<128>;
    type MaxParams = ConstU32<256>;
    type MinBountyAmount = ConstU64<MIN_BOUNTY>;
    type ClaimBond = ConstU64<CLAIM_BOND>;
    type DeliveryWindow = ConstU64<DELIVERY_WINDOW>;
    type MaxContributions = ConstU32<4>;
    type MaxSubmissions = ConstU32<8>;
    type MaxSubmissionsPerAccount = ConstU32<2>;
    type MaxWinners = ConstU32<3>;
    type MaxRevealWords = ConstU32<2048>;
    type SubmissionDeposit = ConstU64<SUBMISSION_DEPOSIT>;
    type MinRevealBond = ConstU64<MIN_REVEAL_BOND>;
    type MinScoreBlocks = ConstU64<5>;
    type WeightInfo = ();
}

pub const ALICE: u64 = 1; // organizer
pub const BOB: u64 = 2; // competitor
pub const CHARLIE: u64 = 3; // a thief
pub const POOR: u64 = 4;
pub const DAVE: u64 = 5; // a second competitor

pub fn new_test_ext() -> sp_io::TestExternalities {
    let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
    pallet_balances::GenesisConfig::<Test> {
        balances: vec![(ALICE, 1_000_000), (BOB, 1_000_000), (CHARLIE, 1_000_000), (POOR, 40), (DAVE, 1_000_000)],
        ..Default::default()
    }
    .assimilate_storage(&mut t)
    .unwrap();
    let mut ext: sp_io::TestExternalities = t.into();
    ext.execute_with(|| System::set_block_number(1));
    ext
}
