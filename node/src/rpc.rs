//! The node's own JSON-RPC methods, on top of the ones `sc_service` provides: `system_accountNextIndex`
//! and `system_dryRun` (substrate-frame-rpc-system), `payment_queryInfo` and `payment_queryFeeDetails`
//! (pallet-transaction-payment-rpc).
use std::sync::Arc;

use jsonrpsee::RpcModule;
use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer, TransactionPaymentRuntimeApi};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::HeaderBackend;
use substrate_frame_rpc_system::{AccountNonceApi, System, SystemApiServer};
use zkml_runtime::{opaque::Block, AccountId, Balance, Nonce};

/// What the RPC methods need.
pub struct FullDeps<C, P> {
    /// The client.
    pub client: Arc<C>,
    /// The transaction pool.
    pub pool: Arc<P>,
}

/// The node's RPC methods, merged into one module.
pub fn create_full<C, P>(deps: FullDeps<C, P>) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
    C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
    C::Api: AccountNonceApi<Block, AccountId, Nonce>,
    C::Api: TransactionPaymentRuntimeApi<Block, Balance>,
    C::Api: BlockBuilder<Block>,
    P: TransactionPool + 'static,
{
    let FullDeps { client, pool } = deps;
    let mut module = RpcModule::new(());
    module.merge(System::<_, _, Block>::new(client.clone(), pool).into_rpc())?;
    module.merge(TransactionPayment::<_, Block>::new(client).into_rpc())?;
    Ok(module)
}
