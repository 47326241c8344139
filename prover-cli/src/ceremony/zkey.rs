//! A snarkjs `.zkey` (a ceremony's phase-2 output) as an arkworks proving key.
//!
//! The parse is `snarkrs_formats::ProvingKey::from_bytes`: every section is bounds-checked against the
//! file before anything is allocated, every point is checked to be on its curve, and a key whose δ was
//! never re-randomized (`δ₂ = γ₂ = g₂`, what a zkey with no phase-2 contribution looks like, and with which
//! anyone can forge) is refused. The points then map one to one onto arkworks' `ProvingKey`; only the H
//! query is laid out for the other reduction, which is why such a key is proven with
//! [`super::reduction::SnarkjsReduction`].
use anyhow::{anyhow, ensure, Result};
use ark_bn254::Bn254;
use ark_groth16::{ProvingKey, VerifyingKey};

/// The first bytes of every `.zkey` file.
pub const ZKEY_MAGIC: &[u8; 4] = b"zkey";

/// Whether `bytes` start like a `.zkey` (as opposed to an arkworks-serialized proving key).
pub fn is_zkey(bytes: &[u8]) -> bool {
    bytes.starts_with(ZKEY_MAGIC)
}

/// Parses a `.zkey` into an arkworks Groth16 proving key (for the snarkjs reduction).
pub fn proving_key_from_zkey(bytes: Vec<u8>) -> Result<ProvingKey<Bn254>> {
    let z = snarkrs_formats::ProvingKey::from_bytes(bytes).map_err(|e| anyhow!("not a usable .zkey proving key: {e}"))?;
    ensure!(
        z.a_query.len() == z.n_vars && z.l_query.len() + z.n_public + 1 == z.n_vars && z.vk.ic.len() == z.n_public + 1,
        "the .zkey's sections disagree with its header"
    );
    Ok(ProvingKey {
        vk: VerifyingKey {
            alpha_g1: z.vk.alpha_g1,
            beta_g2: z.vk.beta_g2,
            gamma_g2: z.vk.gamma_g2,
            delta_g2: z.vk.delta_g2,
            gamma_abc_g1: z.vk.ic,
        },
        beta_g1: z.beta_g1,
        delta_g1: z.delta_g1,
        a_query: z.a_query,
        b_g1_query: z.b_g1_query,
        b_g2_query: z.b_g2_query,
        h_query: z.h_query,
        l_query: z.l_query,
    })
}

/// The verifying key of a `.zkey` file, without parsing the (large) proving sections' points.
pub fn verifying_key_of(path: &std::path::Path) -> Result<VerifyingKey<Bn254>> {
    let bytes = std::fs::read(path).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
    Ok(proving_key_from_zkey(bytes)?.vk)
}
