"""Competitor side of the bounty story: train a linear regression with scikit-learn on a downloaded dataset
and save it the way `zkml claim-bounty` reads it (W.npy p×n, b.npy n×1). Reads every dataset format zkml
accepts: X.npy / X.csv (m×p) and Y.npy / Y.csv (m×n, or a 1-D vector of m targets); a CSV may start with a
UTF-8 byte-order mark and a header row. With --shuffled DIR, also save the prototype's counter-example: the same
weights in shuffled order (a worse model). With --columns, fit on those feature columns only (the other weights
are 0): a competitor's choice of features.

    python examples/train.py --dataset ./ipfs_dataset --out ./model [--shuffled ./model_shuffled] [--columns 2,3,8,9]
"""
import argparse
import os
import sys

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error


def load(directory, stem):
    """`stem`.npy or `stem`.csv in `directory`, as a float matrix (a vector becomes one column)."""
    npy, csv = os.path.join(directory, f"{stem}.npy"), os.path.join(directory, f"{stem}.csv")
    if os.path.exists(npy):
        a = np.load(npy, allow_pickle=False)
    elif os.path.exists(csv):
        with open(csv, encoding="utf-8-sig") as f:  # utf-8-sig drops a byte-order mark
            lines = [line.strip() for line in f if line.strip()]
        first = lines[0].split(",")

        def is_number(cell):
            try:
                float(cell.strip().strip('"'))
                return True
            except ValueError:
                return False

        if not any(is_number(c) for c in first):  # the same header rule as zkml
            lines = lines[1:]
        a = np.array([[float(c.strip().strip('"')) for c in line.split(",")] for line in lines])
    else:
        sys.exit(f"{directory} has no {stem}.npy or {stem}.csv")
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        sys.exit(f"{stem} has {a.ndim} dimensions; expected a vector or a matrix")
    return a


ap = argparse.ArgumentParser()
ap.add_argument("--dataset", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--shuffled")
ap.add_argument("--force", action="store_true", help="replace an existing model in --out")
ap.add_argument("--columns", help="comma-separated feature columns to fit on (0-based); the rest get weight 0")
args = ap.parse_args()

X, Y = load(args.dataset, "X"), load(args.dataset, "Y")
if X.shape[0] != Y.shape[0]:
    sys.exit(f"X has {X.shape[0]} rows but Y has {Y.shape[0]}")
for target in [args.out] + ([args.shuffled] if args.shuffled else []):
    if not args.force and any(os.path.exists(os.path.join(target, f)) for f in ("W.npy", "b.npy")):
        sys.exit(f"{target} already holds a model; pass --force to replace it")
cols = list(range(X.shape[1])) if not args.columns else [int(c) for c in args.columns.split(",")]
if any(c < 0 or c >= X.shape[1] for c in cols):
    sys.exit(f"--columns must name columns 0..{X.shape[1] - 1}")
model = LinearRegression().fit(X[:, cols], Y)
W = np.zeros((X.shape[1], Y.shape[1]))  # p × n
W[cols, :] = np.asarray(model.coef_).reshape(Y.shape[1], len(cols)).T
b = np.asarray(model.intercept_).reshape(-1, 1)  # n × 1
print(f"trained on {X.shape[0]}x{len(cols)} -> {Y.shape[1]}: MSE {mean_squared_error(Y, X @ W + b.T):.3f}")
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
