#!/usr/bin/env bash
# Runs the zombienet tests of zkml-chain: each NNNN-*.zndsl in this directory (or the ones named as arguments)
# spawns its own network (network.toml: 4 validators + 1 full node, native processes) and checks it.
#   zombienet/run.sh                          all tests
#   zombienet/run.sh 0002-bounty.zndsl        one test
# Installs the pinned @zombienet/cli from package-lock.json (npm ci) and the IPFS daemon's packages if they are
# missing; nothing else is downloaded. Binaries: ZKML_NODE_BIN and ZKML_BIN, by default the debug builds in
# $CARGO_TARGET_DIR (default ~/.cache/zkml-target), built beforehand (cargo build --workspace).
# Network files and logs go to ZKML_ZOMBIENET_DIR (default: a new directory under $TMPDIR), kept afterwards;
# for a passing test only its logs are kept, unless ZKML_ZOMBIENET_KEEP=1 (databases, keys, IPFS repo: up to ~200 MB).
# Exits non-zero if any test fails; every process started under that directory is stopped on exit.
set -euo pipefail
ZN_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$ZN_DIR")"
TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/zkml-target}"
export ZKML_NODE_BIN="${ZKML_NODE_BIN:-$TARGET/debug/zkml-node}"
export ZKML_BIN="${ZKML_BIN:-$TARGET/debug/zkml}"
for bin in "$ZKML_NODE_BIN" "$ZKML_BIN"; do
  [ -x "$bin" ] || { echo "run.sh: no executable $bin (build with cargo build --workspace, or set ZKML_NODE_BIN/ZKML_BIN)" >&2; exit 1; }
done
command -v node >/dev/null || { echo "run.sh: Node.js >= 20 is needed" >&2; exit 1; }

if [ ! -x "$ZN_DIR/node_modules/.bin/zombienet" ]; then
  echo "run.sh: installing @zombienet/cli (npm ci --prefix zombienet)"
  npm ci --prefix "$ZN_DIR" --no-audit --no-fund
fi
if [ ! -d "$REPO/ipfs/node_modules" ]; then
  echo "run.sh: installing the IPFS daemon's packages (npm ci --prefix ipfs)"
  npm ci --prefix "$REPO/ipfs" --no-audit --no-fund
fi
ZOMBIENET="$ZN_DIR/node_modules/.bin/zombienet"

if [ $# -gt 0 ]; then TESTS=("$@"); else TESTS=("$ZN_DIR"/[0-9][0-9][0-9][0-9]-*.zndsl); fi
BASE="${ZKML_ZOMBIENET_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/zkml-zombienet.XXXXXX")}"
mkdir -p "$BASE"
BASE="$(cd "$BASE" && pwd)"

# Stops whatever still runs with a path under DIR on its command line (nodes, IPFS daemon, scripts), by pid.
stop_under() {
  local dir=$1 pids pid
  pids=$(pgrep -f -- "$dir/" | grep -vx "$$" || true)
  [ -n "$pids" ] || return 0
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
}
ZN_PID=""
cleanup() {
  [ -z "$ZN_PID" ] || kill -INT "$ZN_PID" 2>/dev/null || true
  [ -z "$ZN_PID" ] || wait "$ZN_PID" 2>/dev/null || true
  stop_under "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -a SUMMARY=()
FAILED=0
for t in "${TESTS[@]}"; do
  [ -f "$t" ] || t="$ZN_DIR/$t"
  [ -f "$t" ] || { echo "run.sh: no test $t" >&2; exit 1; }
  name="$(basename "$t" .zndsl)"
  dir="$BASE/$name"
  echo "=== $name (network in $dir, output in $BASE/$name.log)"
  start=$SECONDS
  set +e
  "$ZOMBIENET" -p native -l text -f -d "$dir" test "$t" > >(tee "$BASE/$name.log") 2>&1 &
  ZN_PID=$!
  wait "$ZN_PID"
  rc=$?
  ZN_PID=""
  set -e
  stop_under "$dir"
  took=$((SECONDS - start))
  if [ "$rc" -eq 0 ] && grep -q "exit code 0" "$BASE/$name.log"; then
    SUMMARY+=("PASS  $name  ${took}s")
    [ "${ZKML_ZOMBIENET_KEEP:-0}" = 1 ] || find "$dir" -mindepth 1 -maxdepth 1 ! -name logs ! -name '*.log' -exec rm -rf {} +
  else
    SUMMARY+=("FAIL  $name  ${took}s (exit $rc; see $BASE/$name.log and $dir/logs/)")
    FAILED=1
  fi
done

echo
echo "=== zombienet results (files in $BASE)"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
