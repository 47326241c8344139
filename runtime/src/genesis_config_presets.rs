//! Genesis presets: `development` (one authority, Alice) and `local_testnet` (four authorities: Alice, Bob,
//! Charlie, Dave), both with the well-known dev accounts funded and Alice as sudo.
use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Each dev account starts with a million tokens.
const ENDOWMENT: u128 = 1_000_000 * UNIT;

fn genesis(authorities: Vec<(AuraId, GrandpaId)>, endowed: Vec<AccountId>, root: AccountId) -> Value {
    build_struct_json_patch!(RuntimeGenesisConfig {
        balances: BalancesConfig { balances: endowed.into_iter().map(|a| (a, ENDOWMENT)).collect::<Vec<_>>() },
        aura: pallet_aura::GenesisConfig { authorities: authorities.iter().map(|a| a.0.clone()).collect::<Vec<_>>() },
        grandpa: pallet_grandpa::GenesisConfig {
            authorities: authorities.iter().map(|a| (a.1.clone(), 1)).collect::<Vec<_>>(),
        },
        sudo: SudoConfig { key: Some(root) },
    })
}

fn authority(sr: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
    (sr.public().into(), ed.public().into())
}

pub fn development_config_genesis() -> Value {
    genesis(
        vec![authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
        Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
        Sr25519Keyring::Alice.to_account_id(),
    )
}

pub fn local_config_genesis() -> Value {
    genesis(
        vec![
            authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
            authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
            authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
            authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
        ],
        Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
        Sr25519Keyring::Alice.to_account_id(),
    )
}

pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
    let patch = match id.as_ref() {
        sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
        sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
        _ => return None,
    };
    Some(serde_json::to_string(&patch).expect("serializable genesis").into_bytes())
}

pub fn preset_names() -> Vec<PresetId> {
    vec![
        PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
        PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(base: &mut Value, patch: Value) {
        match (base, patch) {
            (Value::Object(b), Value::Object(p)) => {
                for (k, v) in p {
                    merge(b.entry(k).or_insert(Value::Null), v);
                }
            }
            (b, p) => *b = p,
        }
    }

    /// Both presets build a genesis state; the local testnet has four authorities and a funded Alice.
    #[test]
    fn presets_build_genesis_state() {
        for id in preset_names() {
            // What the node does: the preset patch merged onto the default config, then built.
            let patch: Value = serde_json::from_slice(&get_preset(&id).expect("preset exists")).unwrap();
            let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
            merge(&mut full, patch);
            let full = serde_json::to_vec(&full).unwrap();
            sp_io::TestExternalities::default().execute_with(|| {
                frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(full).unwrap();
                let alice = Sr25519Keyring::Alice.to_account_id();
                assert_eq!(pallet_balances::Pallet::<crate::Runtime>::free_balance(&alice), ENDOWMENT);
                let authorities = pallet_aura::Authorities::<crate::Runtime>::get().len();
                assert_eq!(authorities, if id.as_str() == sp_genesis_builder::DEV_RUNTIME_PRESET { 1 } else { 4 });
            });
        }
        assert!(get_preset(&PresetId::from("nope")).is_none());
    }
}
