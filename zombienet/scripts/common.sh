# Shared by the shell steps (sourced). Started by sh.js, which sets ZN_DIR, ZN_TMP_DIR, ZN_NODES, ZN_WS_<NAME>.
set -euo pipefail
: "${ZN_DIR:?run me through scripts/sh.js}" "${ZN_TMP_DIR:?}" "${ZN_NODES:?}"
REPO="$(cd "$ZN_DIR/.." && pwd)"
ZKML="${ZKML_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/zkml-target}/debug/zkml}"
[ -x "$ZKML" ] || { echo "no zkml binary at $ZKML (set ZKML_BIN)" >&2; exit 1; }
WORK="$ZN_TMP_DIR/bounty"
STATE="$WORK/state.env"
mkdir -p "$WORK"
# The CLI's proving-key cache stays inside the network's directory.
export XDG_CACHE_HOME="$WORK/cache"
unset ZKML_URL ZKML_IPFS_API ZKML_SURI

# The account paid by the claim: //ZkmlPayee (`zkml-node key inspect //ZkmlPayee`), empty before the test,
# so its balance afterwards is exactly the bounty.
PAYEE=5CcP3riQNTVP1JmQissJaPrpbTvbYyATGDmCzeUDtarLkH21
AMOUNT_TOKENS=5
AMOUNT_PLANCKS=5000000000000 # 5 × 10^12

step() { printf '\t == %s\n' "$*"; }
say() { printf '\t    %s\n' "$*"; }
fail() { printf '\t FAIL: %s\n' "$*" >&2; exit 1; }

# ws_of NAME: the node's RPC endpoint.
ws_of() {
  local var="ZN_WS_$(echo "$1" | tr '[:lower:]-' '[:upper:]_')"
  [ -n "${!var:-}" ] || fail "no endpoint for node $1"
  echo "${!var}"
}

# json EXPR: one value of the JSON on stdin (see json.js).
json() { node "$ZN_DIR/scripts/json.js" "$1"; }

# zk ARGS...: the zkml CLI, machine-readable output; its stderr goes to our output.
zk() { "$ZKML" --json "$@"; }

# eventually SECS DESCRIPTION CMD...: retries CMD every 2 s until it succeeds or SECS pass.
eventually() {
  local secs=$1 what=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "$what: not within ${secs}s"
    sleep 2
  done
}

# rpc URL METHOD [PARAMS]: one JSON-RPC call (see rpc.js); finalized_number URL: the node's finalized height.
rpc() { node "$ZN_DIR/scripts/rpc.js" "$@"; }
finalized_number() {
  local head
  head=$(rpc "$1" chain_getFinalizedHead | json v) || return 1
  rpc "$1" chain_getHeader "[\"$head\"]" | json 'parseInt(v.number, 16)'
}
