#!/usr/bin/env bash
# The project's test command (README, and what .ci/run calls): set up, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Python too: tests train models with scikit-learn through examples/export_model.py, as a user does.
ZKML_SETUP_BROWSER=1 bash scripts/setup.sh
source scripts/env.sh
cargo build --locked --workspace --all-targets
# The next runtime version, for tests/runtime_upgrade.rs.
bash scripts/build-upgrade-runtime.sh
# The IPFS daemon's own tests (CIDs against kubo's vectors, persistence, errors), the web board's pure parts.
node --test ipfs/test.mjs
node --test web/test/unit.test.mjs
# Every crate's tests but the end-to-end suites.
cargo test --locked --workspace --exclude zkml-e2e
# The pallet's frame-benchmarking suite, run against the mock runtime (it submits a real proof).
cargo test --locked -p pallet-zkml-bounties --features runtime-benchmarks
# The end-to-end suites (tests/: the stories against the real node, IPFS daemon and CLI, the web board in
# Chromium), in lanes side by side.
bash scripts/e2e-lanes.sh
