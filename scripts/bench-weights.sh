#!/usr/bin/env bash
# Regenerates runtime/src/weights/pallet_zkml_bounties.rs with frame-benchmarking v2 on a RELEASE node (host
# functions optimized; the runtime is the release Wasm built with `runtime-benchmarks`). The release build
# uses its own target directory so it never waits on (or invalidates) the debug build the tests use.
# Cold, on 2 cores: about an hour of build; the benchmarks themselves take a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CARGO_TARGET_DIR="${ZKML_BENCH_TARGET_DIR:-$HOME/.cache/zkml-bench-target}"
cargo build --locked --release -p zkml-node --features runtime-benchmarks
"$CARGO_TARGET_DIR/release/zkml-node" benchmark pallet \
  --chain dev --pallet pallet_zkml_bounties --extrinsic '*' \
  --wasm-execution compiled --steps "${STEPS:-20}" --repeat "${REPEAT:-10}" \
  --output runtime/src/weights/pallet_zkml_bounties.rs
