#!/usr/bin/env bash
# The offline bounty story on a real dataset (sklearn's diabetes data, 442 × 10), end to end with real
# Groth16 proofs: organizer keys, dataset hash, key generation, competitor training with scikit-learn,
# simulation, a refused shuffled model, proof, verification, and the organizer decrypting the model.
# (The on-chain part — node, IPFS, escrow and payout — is not built yet; see README.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --locked --release -p zkml
ZKML="$CARGO_TARGET_DIR/release/zkml"
PY=.venv/bin/python
WORK="${ZKML_DEMO_DIR:-$(mktemp -d)}"
step() { printf '\n== %s\n' "$*"; }

step "organizer: the dataset (sklearn diabetes, saved as X.npy / Y.npy)"
mkdir -p "$WORK/dataset" "$WORK/model" "$WORK/model_shuffled" "$WORK/keys"
"$PY" - "$WORK" <<'PYEOF'
import sys, numpy as np
from sklearn.datasets import load_diabetes
X, Y = load_diabetes(return_X_y=True)
np.save(f"{sys.argv[1]}/dataset/X.npy", X)
np.save(f"{sys.argv[1]}/dataset/Y.npy", Y.reshape(-1, 1))
print("X", X.shape, "Y", Y.reshape(-1, 1).shape)
PYEOF

step "organizer: keygen"
"$ZKML" keygen --out "$WORK/keys/org"
step "organizer: dataset hash (what would be registered on chain)"
"$ZKML" dataset-hash --dataset "$WORK/dataset"
step "organizer: Groth16 keys for the dataset's shape"
"$ZKML" setup --dataset "$WORK/dataset" --out "$WORK/keys/claim"

step "competitor: train a linear regression with scikit-learn (and a shuffled copy, the prototype's example)"
"$PY" - "$WORK" <<'PYEOF'
import sys, numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
w = sys.argv[1]
X, Y = np.load(f"{w}/dataset/X.npy"), np.load(f"{w}/dataset/Y.npy")
lr = LinearRegression().fit(X, Y)
print("sklearn MSE", mean_squared_error(Y, lr.predict(X)))
np.save(f"{w}/model/W.npy", lr.coef_.reshape(-1, 1))
np.save(f"{w}/model/b.npy", lr.intercept_.reshape(-1, 1))
W = lr.coef_.reshape(-1, 1).copy(); np.random.default_rng(0).shuffle(W)
np.save(f"{w}/model_shuffled/W.npy", W)
np.save(f"{w}/model_shuffled/b.npy", lr.intercept_.reshape(-1, 1))
PYEOF

step "competitor: simulate (float vs quantized MSE)"
"$ZKML" simulate --dataset "$WORK/dataset" --model "$WORK/model"
PAYEE=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty   # //Bob
step "competitor: the shuffled model is refused before proving (cap: MSE 3000)"
if "$ZKML" prove --dataset "$WORK/dataset" --model "$WORK/model_shuffled" --proving-key "$WORK/keys/claim.pk" \
    --organizer-key "$WORK/keys/org_public.json" --payee "$PAYEE" --bounty-id 1 --mse-cap 3000 --out "$WORK/bad.json"; then
  echo "unexpected: the shuffled model was accepted" >&2; exit 1
fi
step "competitor: prove the trained model (cap: MSE 3000)"
"$ZKML" prove --dataset "$WORK/dataset" --model "$WORK/model" --proving-key "$WORK/keys/claim.pk" \
  --organizer-key "$WORK/keys/org_public.json" --payee "$PAYEE" --bounty-id 1 --mse-cap 3000 --out "$WORK/claim.json"
step "anyone: verify the claim against the verifying key"
"$ZKML" verify --verifying-key "$WORK/keys/claim.vk" --claim "$WORK/claim.json"
step "organizer: decrypt the model"
"$ZKML" decrypt --secret-key "$WORK/keys/org_secret.json" --claim "$WORK/claim.json" --out "$WORK/won_model"
"$PY" - "$WORK" <<'PYEOF'
import sys, numpy as np
w = sys.argv[1]
W, b = np.load(f"{w}/won_model/W.npy"), np.load(f"{w}/won_model/b.npy")
W0 = np.load(f"{w}/model/W.npy")
print("decrypted W", W.ravel().round(3), "b", b)
print("max |W - trained W|", float(np.abs(W - W0).max()))
PYEOF
echo; echo "demo finished; files in $WORK"
