#!/usr/bin/env bash
# After eve (the full node) was killed and restarted on its own database (test 0002, after bounty.sh):
#   - at start-up it already knew the blocks it had finalized before the restart (its log's
#     "Highest known block at #N" on the restart is at least what bounty.sh recorded), so the state was not
#     lost and rebuilt from peers;
#   - through eve, the bounty is still listed as paid to the payee, the payee still holds exactly the bounty,
#     and alice's and bob's balances are what every node showed before.
source "$(dirname "$0")/common.sh"
[ -f "$STATE" ] || fail "no $STATE: bounty.sh did not run"
source "$STATE"
EVE_WS=$(ws_of eve)
LOG="$ZN_TMP_DIR/eve.log"

step "eve's database survived the restart"
STARTS=$(grep -c "Highest known block at #" "$LOG" || true)
[ "$STARTS" -ge 2 ] || fail "eve's log shows $STARTS start(s), expected a restart"
KNOWN=$(grep -o "Highest known block at #[0-9]*" "$LOG" | tail -1 | sed 's/.*#//')
[ "$KNOWN" -ge "$EVE_FINALIZED" ] || fail "eve restarted knowing block #$KNOWN only, it had finalized #$EVE_FINALIZED"
say "eve started $STARTS times; on the restart it knew block #$KNOWN from its database (had finalized #$EVE_FINALIZED)"

step "through eve: bounty $BOUNTY paid to $PAYEE, balances unchanged"
state_on_eve() {
  [ "$(zk list-bounties --hash "$HASH" --url "$EVE_WS" | json "v.find((b) => b.bounty === $BOUNTY)?.state")" = "paid to $PAYEE" ]
}
eventually 120 "eve lists bounty $BOUNTY as paid" state_on_eve
[ "$(zk balance "$PAYEE" --url "$EVE_WS" | json v.free)" = "$AMOUNT_PLANCKS" ] || fail "payee balance changed on eve"
ALICE=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty
NOW="$(zk balance "$ALICE" --url "$EVE_WS" | json v.free) $(zk balance "$BOB" --url "$EVE_WS" | json v.free)"
[ "$NOW" = "$BALANCES" ] || fail "eve now shows balances (alice bob) $NOW, before the restart $BALANCES"
say "eve: bounty $BOUNTY paid to $PAYEE, payee balance $AMOUNT_PLANCKS, alice/bob balances $NOW as before"
