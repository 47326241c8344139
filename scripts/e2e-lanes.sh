#!/usr/bin/env bash
# Runs the end-to-end suites (tests/: real node, IPFS daemon and CLI) in two lanes side by side: they spend most
# of their time waiting for blocks, so two at a time on two cores halves the wall time without starving the
# proofs inside them. Each lane runs its suites one after another; every suite's output goes to its own log,
# printed when it fails. Exits non-zero if any suite fails. Assumes `cargo build --workspace --all-targets` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
logs="${E2E_LOG_DIR:-$(mktemp -d)}"
mkdir -p "$logs"
# The test executables cargo built for the e2e crate, by suite name.
declare -A bin
while IFS=$'\t' read -r name path; do bin[$name]=$path; done < <(
  cargo test --locked -p zkml-e2e --no-run --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .profile.test == true and .target.kind == ["test"]) | [.target.name, .executable] | @tsv'
)
lane() {
  local status=0
  for suite in "$@"; do
    [[ -n "${bin[$suite]:-}" ]] || { echo "e2e: no test executable for $suite" >&2; return 1; }
    local started=$SECONDS
    # cargo runs a test executable in its package's directory; so does this.
    if (cd tests && "${bin[$suite]}") > "$logs/$suite.log" 2>&1; then
      echo "e2e: $suite passed in $((SECONDS - started)) s"
    else
      echo "e2e: $suite FAILED after $((SECONDS - started)) s; its output:" >&2
      cat "$logs/$suite.log" >&2
      status=1
    fi
  done
  return $status
}
# Lanes balanced by measured time (≈ 15 min each on the CI machine).
lane competition_story classifier_bounty & a=$!
lane ceremony_story bounty_story runtime_upgrade & b=$!
fail=0
wait $a || fail=1
wait $b || fail=1
# Every suite in tests/ must belong to a lane.
for suite in "${!bin[@]}"; do
  case " competition_story classifier_bounty runtime_upgrade ceremony_story bounty_story " in
    *" $suite "*) ;;
    *) echo "e2e: suite $suite is in no lane (add it to scripts/e2e-lanes.sh)" >&2; fail=1 ;;
  esac
done
exit $fail
