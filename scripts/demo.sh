#!/usr/bin/env bash
# The whole bounty story on a real chain and real IPFS, with real Groth16 proofs, on a bundled real dataset
# (scikit-learn's diabetes data, 442 × 10, in examples/diabetes):
#   starts a local dev chain (zkml-node --dev) and an IPFS daemon (ipfs/daemon.mjs), then
#   organizer: keygen, add-dataset (IPFS + chain);
#   ceremony:  the organizer opens a multi-party setup for the 442x10 claim circuit; organizer and competitor
#              each contribute to phase 1 (powers of tau) and phase 2 (the circuit's delta); the organizer
#              closes each phase with the chain's beacon and registers the key (proving key on IPFS);
#   organizer: add-bounty with that key (5 tokens for MSE <= 3000);
#   competitor: list-datasets, list-bounties, download-dataset, train (scikit-learn), a shuffled model
#              refused before any fee, claim-bounty (verifies the key's ceremony transcript, proves, reserves
#              with the proof, delivers the model), payout;
#   organizer: retrieve-model (decrypts the model stored on chain), removes the paid bounty (deposit back),
#              remove-bounty refused before expiry;
# then the competition story on the same chain (scripts/demo-competition.sh: a hidden test set revealed on chain,
# scores proven on it, prizes paid by rank), and stops everything it started. The web board (web/) is served
# meanwhile at http://127.0.0.1:8080/ (ZKML_DEMO_BOARD_PORT) over the same chain. Set ZKML_DEMO_DIR to keep the
# files somewhere known, ZKML_DEMO_KEEP=1 to keep chain, IPFS and board running after the story.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# The same build as the tests (scripts/test.sh), so one warm target directory serves both.
cargo build --locked --workspace --all-targets
BIN="$CARGO_TARGET_DIR/debug"
ZKML="$BIN/zkml"
PY=.venv/bin/python
WORK="${ZKML_DEMO_DIR:-$(mktemp -d)}"
mkdir -p "$WORK"
RPC_PORT="${ZKML_DEMO_RPC_PORT:-9944}"
API_PORT="${ZKML_DEMO_IPFS_PORT:-5001}"
export ZKML_URL="ws://127.0.0.1:$RPC_PORT" ZKML_IPFS_API="http://127.0.0.1:$API_PORT"
step() { printf '\n== %s\n' "$*"; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

step "starting a dev chain (zkml-node --dev, RPC $ZKML_URL) and IPFS ($ZKML_IPFS_API); logs in $WORK"
# Archive state: the web board reads every block's events for the bounties' and competitions' history.
"$BIN/zkml-node" --dev --no-telemetry --no-prometheus --base-path "$WORK/chain" --rpc-port "$RPC_PORT" \
  --state-pruning archive >"$WORK/node.log" 2>&1 &
PIDS+=($!)
node ipfs/daemon.mjs --repo "$WORK/ipfs" --api "127.0.0.1:$API_PORT" >"$WORK/ipfs.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  if "$ZKML" list-datasets >/dev/null 2>&1 && grep -q "Daemon is ready" "$WORK/ipfs.log"; then break; fi
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a service died; see $WORK/*.log" >&2; exit 1; }; done
  sleep 1
done
"$ZKML" list-datasets >/dev/null
# The web board over this chain; the story does not depend on it (a busy port only costs the page).
BOARD_PORT="${ZKML_DEMO_BOARD_PORT:-8080}"
BOARD="http://127.0.0.1:$BOARD_PORT/?rpc=$ZKML_URL&ipfs=$ZKML_IPFS_API"
node web/serve.mjs --port "$BOARD_PORT" >"$WORK/board.log" 2>&1 &
PIDS+=($!)
sleep 1
if grep -q "zkml board:" "$WORK/board.log"; then
  step "web board: open $BOARD to watch the story live (bounties, competitions, leaderboards, history)"
else
  echo "note: the web board did not start ($(cat "$WORK/board.log")); the story goes on without it" >&2
fi

BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty   # competitor (//Bob), also the payee

step "organizer: keygen"
"$ZKML" keygen --out "$WORK/keys/org"
step "organizer: add-dataset (X.npy, Y.npy to IPFS; hash, CID, shape, scales on chain)"
ADDED=$("$ZKML" --json add-dataset --dataset examples/diabetes --suri //Alice)
echo "$ADDED"
HASH=$(echo "$ADDED" | sed -n 's/.*"dataset_hash": "\(0x[0-9a-f]*\)".*/\1/p')
# The windows leave room for both contributions (about a minute each at 2^17 on two cores); a real
# ceremony keeps them open for days so that any competitor can join.
step "organizer: open a ceremony for the 442x10x1 claim circuit (phase 1: 60 blocks, phase 2: 30 blocks)"
OPENED=$("$ZKML" --json ceremony init --shape 442x10x1 --phase1-blocks 60 --phase2-blocks 30 --suri //Alice)
echo "$OPENED"
CEREMONY=$(echo "$OPENED" | sed -n 's/.*"ceremony": \([0-9]*\).*/\1/p')
step "organizer, then competitor: contribute to phase 1 (powers of tau)"
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name organizer --suri //Alice
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name competitor --suri //Bob
step "organizer: close phase 1 with the chain's beacon, prepare it, derive the initial 442x10 key (minutes)"
"$ZKML" ceremony beacon --ceremony "$CEREMONY" --suri //Alice
step "competitor, then organizer: contribute to phase 2 (the circuit's delta)"
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name competitor --suri //Bob
"$ZKML" ceremony contribute --ceremony "$CEREMONY" --name organizer --suri //Alice
step "organizer: close phase 2 with the chain's beacon and register the key"
FINISHED=$("$ZKML" --json ceremony finalize --ceremony "$CEREMONY" --suri //Alice)
echo "$FINISHED"
KEY=$(echo "$FINISHED" | sed -n 's/.*"verifying_key_hash": "\(0x[0-9a-f]*\)".*/\1/p')
step "anyone: verify the ceremony's transcript against the chain (contributors, order, beacons, key)"
"$ZKML" ceremony verify --ceremony "$CEREMONY"
step "organizer: add-bounty with the ceremony's key (5 tokens for MSE <= 3000, expires in 14400 blocks)"
"$ZKML" add-bounty --dataset "$HASH" --amount 5 --mse 3000 --publickey "$WORK/keys/org_public.json" --verifying-key "$KEY" --suri //Alice

step "competitor: list-datasets, list-bounties"
"$ZKML" list-datasets
"$ZKML" list-bounties --hash "$HASH"
step "competitor: download-dataset (checked against the registered hash)"
"$ZKML" download-dataset --hash "$HASH" --path "$WORK/ipfs_dataset"
step "competitor: train a linear regression with scikit-learn (and the prototype's shuffled counter-example)"
"$PY" examples/train.py --dataset "$WORK/ipfs_dataset" --out "$WORK/model" --shuffled "$WORK/model_shuffled"
step "competitor: balance before"
"$ZKML" balance "$BOB"
step "competitor: claim-bounty with the shuffled model (refused before anything is submitted)"
if "$ZKML" claim-bounty --bounty 0 --payment "$BOB" --model "$WORK/model_shuffled" --dataset "$WORK/ipfs_dataset" --suri //Bob; then
  echo "unexpected: the shuffled model was accepted" >&2; exit 1
fi
step "competitor: claim-bounty (check the key's transcript, simulate, prove, reserve the bounty with the proof, deliver the encrypted model)"
"$ZKML" claim-bounty --bounty 0 --payment "$BOB" --model "$WORK/model" --dataset "$WORK/ipfs_dataset" --suri //Bob
"$ZKML" balance "$BOB"
"$ZKML" list-bounties --hash "$HASH"

step "organizer: retrieve-model (decrypt the envelope stored on chain)"
"$ZKML" retrieve-model --bounty 0 --secret-key "$WORK/keys/org_secret.json" --out "$WORK/won_model"
"$PY" - "$WORK" <<'PYEOF'
import sys, numpy as np
w = sys.argv[1]
W, b = np.load(f"{w}/won_model/W.npy"), np.load(f"{w}/won_model/b.npy")
W0, b0 = np.load(f"{w}/model/W.npy"), np.load(f"{w}/model/b.npy")
print("decrypted W", W.ravel().round(3), "b", b.ravel().round(3))
print("max |W - trained W|", float(np.abs(W - W0).max()), " |b - trained b|", float(np.abs(b.ravel() - b0.ravel()).max()))
PYEOF
step "organizer: remove the paid bounty's record (its storage deposit comes back)"
"$ZKML" remove-bounty --bounty 0 --delete-model --suri //Alice
step "organizer: a second bounty cannot be removed before it expires"
"$ZKML" add-bounty --dataset "$HASH" --amount 1 --mse 3000 --publickey "$WORK/keys/org_public.json" --verifying-key "$KEY" --suri //Alice
if "$ZKML" remove-bounty --bounty 1 --suri //Alice; then echo "unexpected: removed before expiry" >&2; exit 1; fi

echo; echo "bounty story finished: bounty 0 paid to $BOB against a Groth16 proof verified by the runtime"

step "the competition story (scripts/demo-competition.sh) on the same chain"
ZKML_DEMO_REUSE=1 ZKML_DEMO_DIR="$WORK" bash scripts/demo-competition.sh

echo; echo "demo finished: a bounty and a competition refereed by the runtime; files in $WORK"
if [ "${ZKML_DEMO_KEEP:-0}" = 1 ]; then
  echo "the chain, IPFS and the web board keep running ($BOARD); Ctrl-C stops them"
  wait
fi
