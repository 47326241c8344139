#!/usr/bin/env bash
# Builds the runtime one spec_version later (feature `upgrade-test`) and copies its Wasm to
# $CARGO_TARGET_DIR/zkml-upgrade/zkml_runtime.wasm for tests/runtime_upgrade.rs, which upgrades a running
# chain to it with `zkml runtime-upgrade`.
# substrate-wasm-builder writes both variants to the same wbuild path, and in a debug build it does not copy
# the blob anywhere else; a fresh WASM_TARGET_DIRECTORY value (an env var it tracks) makes this build's
# script rerun, so the wbuild blob is the upgrade variant right after it. The regular runtime's artifacts have
# their own fingerprint and stay as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
WASM_TARGET_DIRECTORY="$CARGO_TARGET_DIR/zkml-upgrade/build-$(date +%s%N)" \
  cargo build --locked -p zkml-runtime --features upgrade-test
grep -q '"upgrade-test"' "$CARGO_TARGET_DIR/debug/wbuild/zkml-runtime/Cargo.toml"
mkdir -p "$CARGO_TARGET_DIR/zkml-upgrade"
cp "$CARGO_TARGET_DIR/debug/wbuild/zkml-runtime/zkml_runtime.wasm" "$CARGO_TARGET_DIR/zkml-upgrade/zkml_runtime.wasm"
ls -l "$CARGO_TARGET_DIR/zkml-upgrade/zkml_runtime.wasm"
