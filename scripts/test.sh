#!/usr/bin/env bash
# The project's test command (README, and what .ci/run calls): set up, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Python too: tests train models with scikit-learn through examples/export_model.py, as a user does.
bash scripts/setup.sh
source scripts/env.sh
cargo build --locked --workspace --all-targets
# The next runtime version, for tests/runtime_upgrade.rs.
bash scripts/build-upgrade-runtime.sh
# The IPFS daemon's own tests (CIDs against kubo's vectors, persistence, errors).
node --test ipfs/test.mjs
# Everything, including tests/ (the bounty story against the real node and IPFS daemon).
cargo test --locked --workspace
# The pallet's frame-benchmarking suite, run against the mock runtime (it submits a real proof).
cargo test --locked -p pallet-zkml-bounties --features runtime-benchmarks
