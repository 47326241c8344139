//! Chain specifications built from the runtime's genesis presets: `dev` (Alice alone authors and
//! finalizes) and `local` (Alice, Bob, Charlie and Dave).
use sc_service::ChainType;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use zkml_runtime::WASM_BINARY;

/// The chain specification type; this chain uses no extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token as wallets and the web board show it: the runtime's `UNIT` is 10^12 plancks, addresses use the
/// generic Substrate prefix.
fn properties() -> sc_service::Properties {
    let mut p = sc_service::Properties::new();
    p.insert("tokenSymbol".into(), "ZKML".into());
    p.insert("tokenDecimals".into(), 12.into());
    p.insert("ss58Format".into(), 42.into());
    p
}

fn runtime_wasm() -> Result<&'static [u8], String> {
    WASM_BINARY.ok_or_else(|| "the runtime Wasm was not built (SKIP_WASM_BUILD was set?)".to_string())
}

/// Single-authority development chain.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(runtime_wasm()?, Default::default())
        .with_name("zkml-chain Development")
        .with_id("dev")
        .with_chain_type(ChainType::Development)
        .with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}

/// Four-authority local testnet.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(runtime_wasm()?, Default::default())
        .with_name("zkml-chain Local Testnet")
        .with_id("local_testnet")
        .with_chain_type(ChainType::Local)
        .with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}
