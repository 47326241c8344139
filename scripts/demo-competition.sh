#!/usr/bin/env bash
# A competition with a hidden test set on a real chain and real IPFS, with real Groth16 proofs, on the bundled
# diabetes data (442 × 10):
#   organizer: split the data into train (242 rows, published), a public validation split (100, published) and
#              a hidden test set (100, kept); register train (scales covering every split) and validation (the
#              same scales); run a ceremony for the 100x10x1 circuit with a competitor; post the competition:
#              6 tokens split 2:1 over the top two, a 2-token reveal bond, the test set committed by its hash;
#   competitors Bob, Charlie, Dave: download, train (scikit-learn on different feature choices), submit a
#              commitment with a proven score on the validation split (the public leaderboard);
#   organizer: after submissions close, reveal the test set on chain (checked against the commitment);
#   competitors: prove their committed models' scores on the revealed test set (the private leaderboard,
#              which ranks them differently);
#   anyone: finalize after the scoring window; the two winners deliver their models and are paid by rank;
#   organizer: decrypt the winners' models.
# Run on its own it starts (and stops) a dev chain and IPFS like scripts/demo.sh; scripts/demo.sh runs it at
# its end on its own chain (ZKML_DEMO_REUSE=1 with ZKML_URL / ZKML_IPFS_API set).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
step() { printf '\n== %s\n' "$*"; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

if [ "${ZKML_DEMO_REUSE:-}" = 1 ]; then
  source scripts/env.sh
  ZKML="$CARGO_TARGET_DIR/debug/zkml"
  WORK="${ZKML_DEMO_DIR:?ZKML_DEMO_DIR must be set with ZKML_DEMO_REUSE}/competition"
else
  bash scripts/setup.sh
  source scripts/env.sh
  cargo build --locked --workspace --all-targets
  BIN="$CARGO_TARGET_DIR/debug"
  ZKML="$BIN/zkml"
  WORK="${ZKML_DEMO_DIR:-$(mktemp -d)}"
  RPC_PORT="${ZKML_DEMO_RPC_PORT:-9944}"
  API_PORT="${ZKML_DEMO_IPFS_PORT:-5001}"
  export ZKML_URL="ws://127.0.0.1:$RPC_PORT" ZKML_IPFS_API="http://127.0.0.1:$API_PORT"
  mkdir -p "$WORK"
  step "starting a dev chain (zkml-node --dev, RPC $ZKML_URL) and IPFS ($ZKML_IPFS_API); logs in $WORK"
  "$BIN/zkml-node" --dev --no-telemetry --no-prometheus --base-path "$WORK/chain" --rpc-port "$RPC_PORT" \
    >"$WORK/node.log" 2>&1 &
  PIDS+=($!)
  node ipfs/daemon.mjs --repo "$WORK/ipfs" --api "127.0.0.1:$API_PORT" >"$WORK/ipfs.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 180); do
    if "$ZKML" list-datasets >/dev/null 2>&1 && grep -q "Daemon is ready" "$WORK/ipfs.log"; then break; fi
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a service died; see $WORK/*.log" >&2; exit 1; }; done
    sleep 1
  done
  "$ZKML" list-datasets >/dev/null
fi
mkdir -p "$WORK"
field() { sed -n "s/.*\"$1\": \"\{0,1\}\([0-9a-fx]*\)\"\{0,1\}.*/\1/p" | head -1; }
# Waits until the finalized block is past $2 (a deadline of competition $1).
wait_past() {
  while :; do
    now=$("$ZKML" --json leaderboard --competition "$1" | field finalized)
    [ "$now" -gt "$2" ] && break
    sleep 3
  done
}

step "organizer: split the data (train 242, public validation 100, hidden test 100), keygen"
"$PY" examples/split.py --dataset examples/diabetes --out "$WORK/splits" --validation 100 --test 100
"$ZKML" keygen --out "$WORK/keys/org"
step "organizer: add-dataset train (scales covering every split) and validation (the training scales)"
TRAIN=$("$ZKML" --json add-dataset --dataset "$WORK/splits/train" --cover "$WORK/splits/validation" --cover "$WORK/splits/test" --suri //Alice | field dataset_hash)
VAL=$("$ZKML" --json add-dataset --dataset "$WORK/splits/validation" --scales-like "$TRAIN" --suri //Alice | field dataset_hash)
echo "train $TRAIN, validation $VAL"

step "organizer and a competitor: a ceremony for the 100x10x1 circuit (validation and test share the shape)"
CEREMONY=$("$ZKML" --json ceremony init --shape 100x10x1 --phase1-blocks 25 --phase2-blocks 20 --suri //Alice | field ceremony)
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name organizer --suri //Alice
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name competitor --suri //Bob
"$ZKML" ceremony beacon --ceremony "$CEREMONY" --suri //Alice
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name competitor --suri //Bob
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name organizer --suri //Alice
KEY=$("$ZKML" --json ceremony finalize --ceremony "$CEREMONY" --suri //Alice | field verifying_key_hash)
echo "key $KEY"

step "organizer: post-competition (6 tokens split 2:1 over the top two, 2-token reveal bond, test set committed by hash)"
POSTED=$("$ZKML" --json post-competition --train "$TRAIN" --validation "$VAL" --test "$WORK/splits/test" \
  --publickey "$WORK/keys/org_public.json" --prize 6 --bond 2 --shares 2,1 \
  --submit-blocks 40 --reveal-blocks 30 --score-blocks 25 --scoring-key "$KEY" --validation-key "$KEY" --suri //Alice)
echo "$POSTED"
C=$(echo "$POSTED" | field competition)
SUBMIT_UNTIL=$(echo "$POSTED" | field submit_until)

step "competitors: download the training set and the validation split; train on different feature choices"
"$ZKML" download-dataset --hash "$TRAIN" --path "$WORK/dl/train"
"$ZKML" download-dataset --hash "$VAL" --path "$WORK/dl/validation"
"$PY" examples/train.py --dataset "$WORK/dl/train" --out "$WORK/models/bob"
"$PY" examples/train.py --dataset "$WORK/dl/train" --out "$WORK/models/charlie" --columns 2,3,8,9
"$PY" examples/train.py --dataset "$WORK/dl/train" --out "$WORK/models/dave" --columns 0,2,3,4,8,9
step "competitors: submit commitments with proven validation scores (each checks the key's ceremony transcript)"
for who in bob charlie dave; do
  suri="//${who^}"
  "$ZKML" submit --competition "$C" --model "$WORK/models/$who" --validation "$WORK/dl/validation" --suri "$suri"
done
"$ZKML" leaderboard --competition "$C"

step "organizer: reveal the hidden test set on chain once submissions close (block $SUBMIT_UNTIL)"
wait_past "$C" "$SUBMIT_UNTIL"
REVEALED=$("$ZKML" --json reveal-test-set --competition "$C" --test "$WORK/splits/test" --suri //Alice)
echo "$REVEALED"
SCORE_UNTIL=$(echo "$REVEALED" | field score_until)
step "competitors: prove their committed models' scores on the revealed test set"
for who in Bob Charlie Dave; do "$ZKML" score --competition "$C" --suri "//$who"; done
"$ZKML" leaderboard --competition "$C"

step "anyone: finalize after the scoring window (block $SCORE_UNTIL); the winners deliver and are paid by rank"
wait_past "$C" "$SCORE_UNTIL"
"$ZKML" finalize --competition "$C" --suri //Eve
if "$ZKML" deliver-model --competition "$C" --suri //Charlie; then echo "unexpected: a loser delivered" >&2; exit 1; fi
"$ZKML" deliver-model --competition "$C" --suri //Bob
"$ZKML" deliver-model --competition "$C" --suri //Dave
"$ZKML" leaderboard --competition "$C"

step "organizer: decrypt the winners' models"
"$ZKML" retrieve-models --competition "$C" --secret-key "$WORK/keys/org_secret.json" --out "$WORK/won"
"$PY" - "$WORK" <<'PYEOF'
import sys, glob, numpy as np
w = sys.argv[1]
first = sorted(glob.glob(f"{w}/won/rank-1-*"))[0]
W, W0 = np.load(f"{first}/W.npy"), np.load(f"{w}/models/bob/W.npy")
print("rank 1 decrypted W", W.ravel().round(2), "\nmax |W - Bob's trained W|", float(np.abs(W - W0).max()))
PYEOF
echo; echo "competition demo finished: competition $C ranked on a test set revealed on chain and paid by rank; files in $WORK"
