"""Competitor side of the bounty story: train a linear regression with scikit-learn on a downloaded dataset
and save it the way `zkml claim-bounty` reads it (W.npy p×n, b.npy n×1 or 1×n). With --shuffled DIR, also
save the prototype's counter-example: the same weights in shuffled order (a worse model).

    python examples/train.py --dataset ./ipfs_dataset --out ./model [--shuffled ./model_shuffled]
"""
import argparse
import os

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error

ap = argparse.ArgumentParser()
ap.add_argument("--dataset", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--shuffled")
args = ap.parse_args()

X = np.load(os.path.join(args.dataset, "X.npy"))
Y = np.load(os.path.join(args.dataset, "Y.npy"))
model = LinearRegression().fit(X, Y)
W = model.coef_.reshape(Y.shape[1], X.shape[1]).T  # p × n
b = np.asarray(model.intercept_).reshape(-1, 1)
print(f"trained on {X.shape[0]}x{X.shape[1]}: MSE {mean_squared_error(Y, model.predict(X)):.3f}")
os.makedirs(args.out, exist_ok=True)
np.save(os.path.join(args.out, "W.npy"), W)
np.save(os.path.join(args.out, "b.npy"), b)
if args.shuffled:
    Ws = W.copy()
    np.random.default_rng(0).shuffle(Ws)
    os.makedirs(args.shuffled, exist_ok=True)
    np.save(os.path.join(args.shuffled, "W.npy"), Ws)
    np.save(os.path.join(args.shuffled, "b.npy"), b)
    print(f"shuffled copy: MSE {mean_squared_error(Y, X @ Ws + b.T):.3f}")
