"""Organizer side of a competition: split a dataset by rows into a training set (published), a public
validation split (published, for the public leaderboard) and a hidden test set (kept; only its hash goes on
chain until the reveal). Rows are taken in order, so the split is reproducible.

    python examples/split.py --dataset examples/diabetes --out ./splits --validation 100 --test 100
"""
import argparse
import os
import sys

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--dataset", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--validation", type=int, required=True, help="rows of the public validation split")
ap.add_argument("--test", type=int, required=True, help="rows of the hidden test set (the last rows)")
ap.add_argument("--force", action="store_true", help="replace existing splits in --out")
args = ap.parse_args()

X = np.load(os.path.join(args.dataset, "X.npy"), allow_pickle=False).astype(np.float64)
Y = np.load(os.path.join(args.dataset, "Y.npy"), allow_pickle=False).astype(np.float64)
Y = Y.reshape(len(Y), -1)
m = X.shape[0]
train = m - args.validation - args.test
if args.validation < 1 or args.test < 1 or train < 1:
    sys.exit(f"{m} rows cannot be split into {args.validation} validation and {args.test} test rows with some left to train on")
parts = {"train": slice(0, train), "validation": slice(train, train + args.validation), "test": slice(train + args.validation, m)}
for name, rows in parts.items():
    d = os.path.join(args.out, name)
    if not args.force and any(os.path.exists(os.path.join(d, f)) for f in ("X.npy", "Y.npy")):
        sys.exit(f"{d} already holds a dataset; pass --force to replace it")
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "X.npy"), X[rows])
    np.save(os.path.join(d, "Y.npy"), Y[rows])
    print(f"{name}: {rows.stop - rows.start} rows -> {d}")
