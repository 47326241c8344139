#!/usr/bin/env bash
# Regenerates prover-cli/metadata/zkml-runtime.scale (the metadata the CLI's subxt client is generated from)
# from the runtime itself; the runtime's `metadata` test fails while the checked-in file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ZKML_UPDATE_METADATA=1 cargo test --locked -p zkml-runtime --test metadata -- --nocapture
