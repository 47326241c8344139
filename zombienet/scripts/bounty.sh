#!/usr/bin/env bash
# The bounty story across the network (test 0002), through the `zkml` CLI and one IPFS daemon (ipfs/daemon.mjs):
#   organizer (//Alice) on alice's RPC: keygen, add-dataset (the bundled diabetes data), setup, add-bounty;
#   competitor (//Bob) on eve's RPC (the full node): waits for the bounty, download-dataset, claim-bounty with
#   the committed model (fixtures/diabetes-model, a real Groth16 proof), paid to //ZkmlPayee;
#   then on EVERY node: the bounty is listed as paid to the payee and the payee holds exactly the bounty, at
#   the node's finalized block; the issuer's, competitor's and payee's balances are the same on all nodes.
# Leaves $ZN_TMP_DIR/bounty/state.env for bounty-persisted.sh.
source "$(dirname "$0")/common.sh"

ORG_WS=$(ws_of alice)
COMP_WS=$(ws_of eve)

IPFS_PID=""
cleanup() { [ -z "$IPFS_PID" ] || { kill "$IPFS_PID" 2>/dev/null || true; wait "$IPFS_PID" 2>/dev/null || true; }; }
trap cleanup EXIT

step "IPFS daemon (ipfs/daemon.mjs, loopback, any free port)"
[ -d "$REPO/ipfs/node_modules" ] || fail "the IPFS daemon's packages are missing: npm ci --prefix ipfs"
node "$REPO/ipfs/daemon.mjs" --repo "$WORK/ipfs" --api 127.0.0.1:0 >"$WORK/ipfs.log" 2>&1 &
IPFS_PID=$!
eventually 60 "IPFS daemon ready" grep -q "Daemon is ready" "$WORK/ipfs.log"
IPFS="http://$(sed -n 's#^API server listening on /ip4/\([0-9.]*\)/tcp/\([0-9]*\).*#\1:\2#p' "$WORK/ipfs.log")"
say "IPFS RPC $IPFS; organizer on alice $ORG_WS; competitor on eve $COMP_WS"
org() { zk "$@" --url "$ORG_WS" --ipfs-api "$IPFS"; }
comp() { zk "$@" --url "$COMP_WS" --ipfs-api "$IPFS"; }

step "organizer (alice): keygen, add-dataset, setup, add-bounty ($AMOUNT_TOKENS tokens for MSE <= 3000)"
zk keygen --out "$WORK/keys/org" >/dev/null
ADDED=$(org add-dataset --dataset "$REPO/examples/diabetes" --suri //Alice)
HASH=$(echo "$ADDED" | json v.dataset_hash)
say "dataset $HASH, CID $(echo "$ADDED" | json v.cid)"
say "$(org setup --hash "$HASH" --out "$WORK/keys/claim" --suri //Alice | json '"verifying key " + v.verifying_key_hash + ", proving key CID " + v.proving_key_cid')"
POSTED=$(org add-bounty --dataset "$HASH" --amount "$AMOUNT_TOKENS" --mse 3000 --publickey "$WORK/keys/org_public.json" \
  --expires-in 2000 --suri //Alice)
BOUNTY=$(echo "$POSTED" | json v.bounty)
say "bounty $BOUNTY posted through alice"

step "competitor (eve): the bounty is visible, download-dataset, claim-bounty (prove, reserve with the proof, deliver the model)"
bounty_open_on() { zk list-bounties --hash "$HASH" --url "$1" | json "v.find((b) => b.bounty === $BOUNTY)?.state" | grep -qx open; }
eventually 120 "bounty $BOUNTY listed as open on eve" bounty_open_on "$COMP_WS"
comp download-dataset --hash "$HASH" --path "$WORK/downloaded" >/dev/null
PAYEE_BEFORE=$(comp balance "$PAYEE" | json v.free)
[ "$PAYEE_BEFORE" = 0 ] || fail "payee $PAYEE already holds $PAYEE_BEFORE"
CLAIMED=$(comp claim-bounty --bounty "$BOUNTY" --payment "$PAYEE" --model "$ZN_DIR/fixtures/diabetes-model" \
  --dataset "$WORK/downloaded" --suri //Bob --accept-unverified-key)  # the test's own single-party key
say "$(echo "$CLAIMED" | json '"paid " + v.amount + " to " + v.payee + " in block " + v.block + " (proved in " + v.proving_seconds.toFixed(1) + " s, quantized MSE " + v.quantized_mse.toFixed(1) + ")"')"
[ "$(echo "$CLAIMED" | json v.amount)" = "$AMOUNT_PLANCKS" ] || fail "payout is not $AMOUNT_PLANCKS: $CLAIMED"
[ "$(echo "$CLAIMED" | json v.payee)" = "$PAYEE" ] || fail "payout not to $PAYEE: $CLAIMED"

step "every node: bounty $BOUNTY finalized as paid to the payee, the payee holds exactly $AMOUNT_PLANCKS"
ALICE=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty
paid_on() {
  local row
  row=$(zk list-bounties --hash "$HASH" --url "$1" | json "v.find((b) => b.bounty === $BOUNTY)") || return 1
  [ "$(echo "$row" | json v.state)" = "paid to $PAYEE" ] &&
    [ "$(echo "$row" | json v.amount)" = "$AMOUNT_PLANCKS" ] &&
    [ "$(echo "$row" | json v.issuer)" = "$ALICE" ] &&
    [ "$(zk balance "$PAYEE" --url "$1" | json v.free)" = "$AMOUNT_PLANCKS" ]
}
REF=""
for node in $ZN_NODES; do
  ws=$(ws_of "$node")
  eventually 120 "bounty $BOUNTY paid on $node" paid_on "$ws"
  # Balances at each node's finalized block: nothing else moves them now, so they agree everywhere.
  seen="$(zk balance "$ALICE" --url "$ws" | json v.free) $(zk balance "$BOB" --url "$ws" | json v.free)"
  [ -z "$REF" ] || [ "$seen" = "$REF" ] || fail "$node sees balances (alice bob) $seen, not $REF"
  REF=$seen
  say "$node: bounty $BOUNTY paid to $PAYEE, payee balance $AMOUNT_PLANCKS, alice/bob balances $seen"
done

# What eve has finalized now is in its database: bounty-persisted.sh checks it survives a restart.
EVE_FINALIZED=$(finalized_number "$COMP_WS")
cat >"$STATE" <<EOF
HASH=$HASH
BOUNTY=$BOUNTY
EVE_FINALIZED=$EVE_FINALIZED
BALANCES="$REF"
EOF
say "eve has finalized #$EVE_FINALIZED; state in $STATE"
