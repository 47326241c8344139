"""Bring a scikit-learn model to zkml: write it as a `zkml-model/1` JSON file (see zkml-circuits' models/network.rs).

Supported estimators (alone, or as the last step of a Pipeline whose other steps are StandardScaler /
MinMaxScaler / MaxAbsScaler, folded into the first layer): LinearRegression, Ridge, Lasso, ElasticNet,
LogisticRegression, LinearSVC, RidgeClassifier, MLPRegressor, MLPClassifier (ReLU hidden layers). Anything else is
refused with a message naming it. Class labels must be 0..k-1 (the dataset's Y column holds these indices).

    python examples/export_model.py export model.joblib --out model.json
    python examples/export_model.py data breast_cancer --out data/          # train/ and test/ (X.npy, Y.npy)
    python examples/export_model.py train logistic --dataset data/train --out model.json [--hidden 64,32]

`train` fits one of: linear, logistic, svm, mlp (classifier), mlp-regressor, on a dataset directory (X.npy / Y.npy),
standardizing the features in a Pipeline, and exports it. It also writes the float model's predictions on
`--predict DIR` (if given) to OUT.predictions.json, so the float model zkml reads can be checked against the
library's own.
"""
import argparse
import json
import os
import sys

import numpy as np

FORMAT = "zkml-model/1"


def fold_scalers(steps, coef, intercept):
    """Folds preprocessing scalers into the first layer: x' = (x - mu) / s, so x'·W + b = x·(W/s) + (b - (mu/s)·W)."""
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

    for step in reversed(steps):
        if isinstance(step, StandardScaler):
            mu = step.mean_ if step.with_mean else np.zeros_like(step.scale_)
            s = step.scale_ if step.with_std else np.ones_like(step.mean_)
        elif isinstance(step, MinMaxScaler):
            # x' = x * scale_ + min_
            s = 1.0 / step.scale_
            mu = -step.min_ / step.scale_
        elif isinstance(step, MaxAbsScaler):
            s = step.scale_
            mu = np.zeros_like(s)
        else:
            sys.exit(f"unsupported pipeline step {type(step).__name__}: only StandardScaler, MinMaxScaler, MaxAbsScaler")
        w = coef / s[:, None]
        intercept = intercept - (mu / s) @ coef
        coef = w
    return coef, intercept


def check_classes(est):
    classes = np.asarray(est.classes_)
    if not np.array_equal(classes, np.arange(len(classes))):
        sys.exit(f"class labels are {classes.tolist()}; zkml needs 0..k-1 (encode the labels as indices first)")
    return len(classes)


def to_zkml(model):
    from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, RidgeClassifier
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    steps = []
    if isinstance(model, Pipeline):
        steps = [s for _, s in model.steps[:-1]]
        model = model.steps[-1][1]
    name = type(model).__name__
    out = {"format": FORMAT, "source": f"scikit-learn {name}"}
    if isinstance(model, (LinearRegression, Ridge, Lasso, ElasticNet)):
        coef = np.atleast_2d(model.coef_).T  # p x n
        intercept = np.atleast_1d(model.intercept_).astype(float) * np.ones(coef.shape[1])
        coef, intercept = fold_scalers(steps, coef, intercept)
        out.update(kind="linear", task="regression", layers=[{"weights": coef.tolist(), "bias": intercept.tolist()}])
    elif isinstance(model, (LogisticRegression, LinearSVC, RidgeClassifier)):
        k = check_classes(model)
        coef = np.atleast_2d(model.coef_).T  # p x (1 or k)
        intercept = np.atleast_1d(model.intercept_).astype(float)
        coef, intercept = fold_scalers(steps, coef, intercept)
        out.update(kind="linear", task="classification", classes=k,
                   layers=[{"weights": coef.tolist(), "bias": intercept.tolist()}])
    elif isinstance(model, (MLPClassifier, MLPRegressor)):
        if model.activation != "relu":
            sys.exit(f"unsupported MLP activation {model.activation!r}: only relu")
        coefs = [np.asarray(c) for c in model.coefs_]
        biases = [np.asarray(b) for b in model.intercepts_]
        coefs[0], biases[0] = fold_scalers(steps, coefs[0], biases[0])
        layers = [{"weights": c.tolist(), "bias": b.tolist()} for c, b in zip(coefs, biases)]
        out.update(kind="mlp", activation="relu", layers=layers)
        if isinstance(model, MLPClassifier):
            out.update(task="classification", classes=check_classes(model))
        else:
            out.update(task="regression")
    else:
        sys.exit(f"unsupported estimator {name}: see the list at the top of examples/export_model.py")
    return out


def load_dir(directory, stem):
    path = os.path.join(directory, f"{stem}.npy")
    if not os.path.exists(path):
        sys.exit(f"{directory} has no {stem}.npy")
    return np.load(path, allow_pickle=False)


def cmd_data(args):
    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    loaders = {
        "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine,
        "digits": datasets.load_digits,
        "iris": datasets.load_iris,
        "diabetes": datasets.load_diabetes,
    }
    if args.name not in loaders:
        sys.exit(f"unknown dataset {args.name}: one of {', '.join(loaders)}")
    x, y = loaders[args.name](return_X_y=True)
    stratify = None if args.name == "diabetes" else y
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=args.test_size, random_state=args.seed, stratify=stratify)
    for part, (xs, ys) in {"train": (xtr, ytr), "test": (xte, yte)}.items():
        d = os.path.join(args.out, part)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "X.npy"), xs.astype(np.float64))
        np.save(os.path.join(d, "Y.npy"), ys.astype(np.float64).reshape(-1, 1))
    print(json.dumps({"train": len(ytr), "test": len(yte), "features": x.shape[1]}))


def cmd_train(args):
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    x, y = load_dir(args.dataset, "X"), load_dir(args.dataset, "Y")
    y = y.reshape(len(y), -1)
    hidden = tuple(int(h) for h in args.hidden.split(",")) if args.hidden else (64,)
    if args.kind in ("logistic", "svm", "mlp"):
        y = y[:, 0].astype(int)
    elif y.shape[1] == 1:
        y = y[:, 0]
    est = {
        "linear": lambda: LinearRegression(),
        "logistic": lambda: LogisticRegression(max_iter=5000, C=args.c),
        "svm": lambda: LinearSVC(C=args.c, max_iter=20000),
        "mlp": lambda: MLPClassifier(hidden_layer_sizes=hidden, max_iter=2000, random_state=args.seed),
        "mlp-regressor": lambda: MLPRegressor(hidden_layer_sizes=hidden, max_iter=4000, random_state=args.seed),
    }[args.kind]()
    model = make_pipeline(StandardScaler(), est)
    model.fit(x, y)
    with open(args.out, "w") as f:
        json.dump(to_zkml(model), f)
    report = {"out": args.out, "train_score": float(model.score(x, y))}
    if args.predict:
        xp = load_dir(args.predict, "X")
        pred = model.predict(xp)
        with open(args.out + ".predictions.json", "w") as f:
            json.dump(np.asarray(pred).tolist(), f)
        yp = load_dir(args.predict, "Y").reshape(len(xp), -1)
        yp = yp[:, 0] if yp.shape[1] == 1 else yp
        report["predict_score"] = float(model.score(xp, yp.astype(int) if args.kind in ("logistic", "svm", "mlp") else yp))
    print(json.dumps(report))


def cmd_export(args):
    import joblib

    with open(args.out, "w") as f:
        json.dump(to_zkml(joblib.load(args.estimator)), f)
    print(json.dumps({"out": args.out}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data", help="a scikit-learn dataset split into train/ and test/")
    d.add_argument("name")
    d.add_argument("--out", required=True)
    d.add_argument("--test-size", type=float, default=0.3)
    d.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train", help="fit a standardized model on a dataset directory and export it")
    t.add_argument("kind", choices=["linear", "logistic", "svm", "mlp", "mlp-regressor"])
    t.add_argument("--dataset", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--hidden", default="")
    t.add_argument("--c", type=float, default=1.0)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--predict", default="")
    e = sub.add_parser("export", help="export a joblib-saved estimator")
    e.add_argument("estimator")
    e.add_argument("--out", required=True)
    args = ap.parse_args()
    {"data": cmd_data, "train": cmd_train, "export": cmd_export}[args.cmd](args)


if __name__ == "__main__":
    main()
