#!/usr/bin/env bash
# Runs the end-to-end suites (tests/: real node, IPFS daemon and CLI) in lanes side by side: they spend most of
# their time waiting for blocks, so a few at a time on two cores cut the wall time without starving the proofs
# inside them. Node boots never overlap (tests/src/lib.rs holds a lock while a node starts: several debug nodes
# compiling their runtime at once missed the start deadline). Each lane runs its suites one after another;
# every suite's output goes to its own log, printed when it fails. Exits non-zero if any suite fails or is in no
# lane. Assumes `cargo build --workspace --all-targets` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# Lanes balanced by measured time (one after another on the CI machine: classifier 870 s, competition 510 s,
# ceremony 480 s, bounty 375 s, web board ≈ 330 s, runtime upgrade 210 s), the proving-heavy ones apart.
LANES=(
  "classifier_bounty runtime_upgrade"
  "competition_story bounty_story"
  "ceremony_story web_board"
)
logs="${E2E_LOG_DIR:-$(mktemp -d)}"
mkdir -p "$logs"
# The test executables cargo built for the e2e crate, by suite name (no build happens here: it is done).
declare -A bin
while IFS=$'\t' read -r name path; do bin[$name]=$path; done < <(
  cargo test --locked -p zkml-e2e --no-run --message-format=json 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["profile"]["test"] and m["target"]["kind"] == ["test"]:
        print(m["target"]["name"], m["executable"], sep="\t")'
)
fail=0
for suite in "${!bin[@]}"; do
  [[ " ${LANES[*]} " == *" $suite "* ]] || { echo "e2e: suite $suite is in no lane (add it to scripts/e2e-lanes.sh)" >&2; fail=1; }
done
lane() {
  local status=0
  for suite in "$@"; do
    [[ -n "${bin[$suite]:-}" ]] || { echo "e2e: no test executable for $suite" >&2; return 1; }
    local started=$SECONDS
    # cargo runs a test executable in its package's directory; so does this.
    if (cd tests && "${bin[$suite]}") > "$logs/$suite.log" 2>&1; then
      echo "e2e: $suite passed in $((SECONDS - started)) s: $(grep -E '^test result:' "$logs/$suite.log" | tail -1)"
    else
      echo "e2e: $suite FAILED after $((SECONDS - started)) s; its output:" >&2
      cat "$logs/$suite.log" >&2
      status=1
    fi
  done
  return $status
}
pids=()
for l in "${LANES[@]}"; do
  # shellcheck disable=SC2086
  lane $l & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
exit $fail
