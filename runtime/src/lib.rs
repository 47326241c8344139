//! The zkml-chain runtime: a solochain with Aura block production and GRANDPA finality, balances,
//! transaction fees, sudo, and the zkml bounty pallet that verifies Groth16 claims itself.
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

mod apis;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks {
    frame_benchmarking::define_benchmarks!(
        [frame_benchmarking, BaselineBench::<Runtime>]
        [frame_system, SystemBench::<Runtime>]
        [pallet_zkml_bounties, ZkmlBounties]
    );
}
pub mod genesis_config_presets;
pub mod weights;

use frame_support::{
    derive_impl, parameter_types,
    traits::{
        fungible::HoldConsideration, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, LinearStoragePrice,
        VariantCountOf,
    },
    weights::{
        constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
        IdentityFee, Weight,
    },
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
    generic, impl_opaque_keys,
    traits::{BlakeTwo256, IdentifyAccount, One, Verify},
    MultiAddress, MultiSignature, Perbill,
};
use sp_version::RuntimeVersion;

pub use pallet_zkml_bounties;

pub type BlockNumber = u32;
pub type Signature = MultiSignature;
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Balance = u128;
pub type Nonce = u32;
pub type Hash = sp_core::H256;

/// One token: 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = UNIT / 1_000;
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Fixed for the life of the chain: changing it bricks block production.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
    use super::*;
    pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
    pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
    pub type Block = generic::Block<Header, UncheckedExtrinsic>;
    pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
    pub struct SessionKeys {
        pub aura: Aura,
        pub grandpa: Grandpa,
    }
}

/// Raise `spec_version` for every runtime upgrade (a lower or equal version is refused by `set_code`).
#[cfg(not(feature = "upgrade-test"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: alloc::borrow::Cow::Borrowed("zkml-chain"),
    impl_name: alloc::borrow::Cow::Borrowed("zkml-chain"),
    authoring_version: 1,
    spec_version: 100,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};

/// The same runtime one version later: the Wasm `tests/runtime_upgrade.rs` upgrades a running chain to
/// (built by `scripts/build-upgrade-runtime.sh`). `runtime_version` embeds literals, hence a second item.
#[cfg(feature = "upgrade-test")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: alloc::borrow::Cow::Borrowed("zkml-chain"),
    impl_name: alloc::borrow::Cow::Borrowed("zkml-chain"),
    authoring_version: 1,
    spec_version: 101,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
    pub const BlockHashCount: BlockNumber = 2400;
    pub const Version: RuntimeVersion = VERSION;
    /// 2 s of compute per 6 s block.
    pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
        Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
        NORMAL_DISPATCH_RATIO,
    );
    pub RuntimeBlockLength: BlockLength = BlockLength::max_with_normal_ratio(5 * 1024 * 1024, NORMAL_DISPATCH_RATIO);
    pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type BlockWeights = RuntimeBlockWeights;
    type BlockLength = RuntimeBlockLength;
    type AccountId = AccountId;
    type Nonce = Nonce;
    type Hash = Hash;
    type BlockHashCount = BlockHashCount;
    type DbWeight = RocksDbWeight;
    type Version = Version;
    type AccountData = pallet_balances::AccountData<Balance>;
    type SS58Prefix = SS58Prefix;
    type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
    type AuthorityId = AuraId;
    type DisabledValidators = ();
    type MaxAuthorities = ConstU32<32>;
    type AllowMultipleBlocksPerSlot = ConstBool<false>;
    type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type WeightInfo = ();
    type MaxAuthorities = ConstU32<32>;
    type MaxNominators = ConstU32<0>;
    type MaxSetIdSessionEntries = ConstU64<0>;
    type KeyOwnerProof = sp_core::Void;
    type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = Aura;
    type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
    type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
    type MaxLocks = ConstU32<50>;
    type MaxReserves = ();
    type ReserveIdentifier = [u8; 8];
    type Balance = Balance;
    type RuntimeEvent = RuntimeEvent;
    type DustRemoval = ();
    type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
    type AccountStore = System;
    type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
    type FreezeIdentifier = RuntimeFreezeReason;
    type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
    type RuntimeHoldReason = RuntimeHoldReason;
    type RuntimeFreezeReason = RuntimeFreezeReason;
    type DoneSlashHandler = ();
}

parameter_types! {
    pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type OnChargeTransaction = FungibleAdapter<Balances, ()>;
    type OperationalFeeMultiplier = ConstU8<5>;
    type WeightToFee = IdentityFee<Balance>;
    type LengthToFee = IdentityFee<Balance>;
    type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
    type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
    pub const StorageDepositReason: RuntimeHoldReason =
        RuntimeHoldReason::ZkmlBounties(pallet_zkml_bounties::HoldReason::StorageDeposit);
}

/// Storage deposit: 0.01 UNIT per record plus 0.0001 UNIT per byte.
pub const DEPOSIT_BASE: Balance = UNIT / 100;
pub const DEPOSIT_PER_BYTE: Balance = UNIT / 10_000;

impl pallet_zkml_bounties::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type Currency = Balances;
    type RuntimeHoldReason = RuntimeHoldReason;
    type Deposit = HoldConsideration<
        AccountId,
        Balances,
        StorageDepositReason,
        LinearStoragePrice<ConstU128<DEPOSIT_BASE>, ConstU128<DEPOSIT_PER_BYTE>, Balance>,
    >;
    /// A claim key (8 public inputs) is exactly `zkml_primitives::groth16::VERIFYING_KEY_BYTES` (520) bytes
    /// compressed; the bound only limits what a call may carry before it is checked.
    type MaxVerifyingKeyLen = ConstU32<1024>;
    type MaxCidLen = ConstU32<128>;
    type MaxFeatures = ConstU32<256>;
    type MaxParams = ConstU32<4096>;
    /// A payout must be able to create the payee's account.
    type MinBountyAmount = ConstU128<EXISTENTIAL_DEPOSIT>;
    /// Held while a reservation awaits delivery; forfeited to the issuer if it lapses.
    type ClaimBond = ConstU128<{ UNIT / 10 }>;
    /// An hour to deliver a reserved claim: far beyond a finality stall, since the CLI delivers as soon as
    /// the claim is in a best block.
    type DeliveryWindow = ConstU32<{ 60 * MINUTES }>;
    /// Per phase: room for a community ceremony, bounded so a record stays a few kilobytes.
    type MaxContributions = ConstU32<32>;
    /// Competitions: room for a community's leaderboard; finalization iterates over them all.
    type MaxSubmissions = ConstU32<256>;
    type MaxSubmissionsPerAccount = ConstU32<3>;
    type MaxWinners = ConstU32<10>;
    /// What one normal extrinsic may weigh (1.5 s of normal dispatch less the 10 % block-initialization
    /// reserve and the base: about 1.3 s) can check and hash in one reveal: 1.83 ms + 0.191 ms per word
    /// measured (BENCHMARKS.md), so 6,600 words take 1.27 s — about 9,100 rows of 10 features. Posting a
    /// competition whose test set needs more is refused; the pallet's integrity test checks the bound against
    /// the block weights.
    type MaxRevealWords = ConstU32<6_600>;
    type SubmissionDeposit = ConstU128<{ UNIT / 10 }>;
    type MinRevealBond = ConstU128<UNIT>;
    /// A dev-chain floor (one minute) so tests and the demo run in minutes; a production chain should give
    /// competitors hours or days (`docs/running-a-chain.md`).
    type MinScoreBlocks = ConstU32<{ MINUTES }>;
    type WeightInfo = weights::pallet_zkml_bounties::WeightInfo<Runtime>;
}

#[frame_support::runtime]
mod runtime {
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Runtime;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(1)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(2)]
    pub type Aura = pallet_aura;
    #[runtime::pallet_index(3)]
    pub type Grandpa = pallet_grandpa;
    #[runtime::pallet_index(4)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(5)]
    pub type TransactionPayment = pallet_transaction_payment;
    #[runtime::pallet_index(6)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(7)]
    pub type ZkmlBounties = pallet_zkml_bounties;
}

pub type Address = MultiAddress<AccountId, ()>;
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Checks applied to every signed transaction.
pub type TxExtension = (
    frame_system::CheckNonZeroSender<Runtime>,
    frame_system::CheckSpecVersion<Runtime>,
    frame_system::CheckTxVersion<Runtime>,
    frame_system::CheckGenesis<Runtime>,
    frame_system::CheckEra<Runtime>,
    frame_system::CheckNonce<Runtime>,
    frame_system::CheckWeight<Runtime>,
    pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
    frame_system::WeightReclaim<Runtime>,
);
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
pub type Executive =
    frame_executive::Executive<Runtime, Block, frame_system::ChainContext<Runtime>, Runtime, AllPalletsWithSystem>;
