//! The `zkml` CLI's chain client is generated (subxt) from metadata checked into the repo. This test keeps
//! that file equal to the runtime's own metadata, so the client cannot silently drift from the runtime.
//! `scripts/update-metadata.sh` rewrites the file (it sets `ZKML_UPDATE_METADATA=1`).

use std::path::PathBuf;

/// The metadata version the client is generated from (frame-metadata V16, which subxt 0.50 reads).
const METADATA_VERSION: u32 = 16;

fn checked_in_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../prover-cli/metadata/zkml-runtime.scale")
}

#[test]
fn checked_in_metadata_matches_the_runtime() {
    let metadata = zkml_runtime::Runtime::metadata_at_version(METADATA_VERSION)
        .expect("the runtime serves metadata V16");
    let bytes: &[u8] = &metadata;
    let path = checked_in_path();
    if std::env::var_os("ZKML_UPDATE_METADATA").is_some() {
        std::fs::write(&path, bytes).expect("write metadata");
        eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
        return;
    }
    let checked_in = std::fs::read(&path).unwrap_or_default();
    assert!(
        checked_in == bytes,
        "{} is stale ({} bytes, runtime has {}): run scripts/update-metadata.sh and commit the result",
        path.display(),
        checked_in.len(),
        bytes.len()
    );
}
