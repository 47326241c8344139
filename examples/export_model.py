"""Bring a scikit-learn, XGBoost or LightGBM model to zkml: write it as a `zkml-model/1` JSON file (see
zkml-circuits' models/network.rs and models/trees.rs).

Supported estimators (alone, or as the last step of a Pipeline whose other steps are StandardScaler /
MinMaxScaler / MaxAbsScaler, folded into the first layer or the split thresholds):
- linear models and MLPs (kind "linear" / "mlp"): LinearRegression, Ridge, Lasso, ElasticNet, LogisticRegression,
  LinearSVC, RidgeClassifier, MLPRegressor, MLPClassifier (ReLU hidden layers);
- decision trees and tree ensembles (kind "trees"): scikit-learn DecisionTree{Classifier,Regressor},
  RandomForest{Classifier,Regressor}, ExtraTrees{Classifier,Regressor}, GradientBoosting{Classifier,Regressor};
  XGBoost gbtree models (XGBClassifier / XGBRegressor / Booster, or the JSON that save_model writes) with the
  objectives binary:logistic, binary:logitraw, binary:hinge, multi:softprob, multi:softmax, reg:squarederror,
  reg:squaredlogerror, reg:absoluteerror, reg:pseudohubererror, reg:quantileerror; LightGBM models
  (LGBMClassifier / LGBMRegressor / Booster, a model text file, or the JSON that dump_model returns) with the
  objectives binary, multiclass, multiclassova, regression, regression_l1, huber, fair, quantile, mape.
Anything else (another estimator, objective, booster, categorical split, linear tree leaf, a zero_as_missing split
that treats 0 differently from its threshold) is refused with a message naming it. Missing values are not supported.
Class labels must be 0..k-1 (the dataset's Y column holds these indices).

A trees file's raw output for group g is base[g] + the sum of the leaves reached in the trees of group g; a
regressor has one group per target, a binary classifier one score (class 1 iff > 0), a k-class one score per class
(first argmax). It reproduces the library's own decisions exactly: the libraries compare float32 features
(scikit-learn, XGBoost), so each threshold is moved to the float64 value where the float32 comparison flips.
Tree and forest classifiers sum class fractions (T times predict_proba, so ties stay exact): binary leaves hold
(p1 - p0) / 2, k-class ones p_c, a tree copied k times (one copy per class group: k times the circuit). Gradient
boosting's initial raw score and XGBoost's base_score (as a margin: logit for binary:logistic) go in "base";
LightGBM has it in the first trees. (binary:logitraw's class is 1 iff its margin > 0, where XGBClassifier.predict
compares that margin with 0.5.)

    python examples/export_model.py export model.joblib --out model.json      # or XGBoost .json, LightGBM .txt/.json
    python examples/export_model.py data breast_cancer --out data/          # train/ and test/ (X.npy, Y.npy)
    python examples/export_model.py train logistic --dataset data/train --out model.json [--hidden 64,32]
    python examples/export_model.py train xgboost --dataset data/train --out model.json --trees 100 --depth 6

`train` fits one of: linear, logistic, svm, mlp (classifier), mlp-regressor (standardizing the features in a
Pipeline), or the trees tree, forest, gbdt, xgboost, lightgbm (classifiers) and tree-regressor, forest-regressor,
gbdt-regressor, xgboost-regressor, lightgbm-regressor (--trees N, --depth D: the maximum depth), on a dataset
directory (X.npy / Y.npy), and exports it. It also writes the float model's predictions on `--predict DIR` (if
given) to OUT.predictions.json, so the float model zkml reads can be checked against the library's own, and for
trees the library's raw scores there (margins, decision_function: one row of G groups a sample) to OUT.raw.json.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

FORMAT = "zkml-model/1"


def scaler_affine(step):
    """A scaler as x' = (x - mu) / s, per feature."""
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

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
    return np.asarray(mu, dtype=float), np.asarray(s, dtype=float)


def fold_scalers(steps, coef, intercept):
    """Folds preprocessing scalers into the first layer: x' = (x - mu) / s, so x'·W + b = x·(W/s) + (b - (mu/s)·W)."""
    for step in reversed(steps):
        mu, s = scaler_affine(step)
        w = coef / s[:, None]
        intercept = intercept - (mu / s) @ coef
        coef = w
    return coef, intercept


def fold_tree_scalers(steps, out):
    """Folds scalers into split thresholds: x' = (x - mu) / s with s > 0 is increasing, so x' <= t iff x <= t·s + mu
    (and likewise for <), up to the rounding of t·s + mu."""
    for step in reversed(steps):
        mu, s = scaler_affine(step)
        if np.any(~(s > 0)):
            bad = np.flatnonzero(~(s > 0)).tolist()
            sys.exit(f"unsupported {type(step).__name__} with a non-positive scale on features {bad}: "
                     "only increasing scalers fold into tree thresholds")
        for tree in out["trees"]:
            for node in tree["nodes"]:
                if "feature" in node:
                    j = node["feature"]
                    node["threshold"] = finite(node["threshold"] * s[j] + mu[j], "a folded threshold")
    return out


def check_classes(est):
    classes = np.asarray(est.classes_)
    if not np.array_equal(classes, np.arange(len(classes))):
        sys.exit(f"class labels are {classes.tolist()}; zkml needs 0..k-1 (encode the labels as indices first)")
    return len(classes)


def finite(v, what):
    v = float(v)
    if not math.isfinite(v):
        sys.exit(f"{what} is {v}: zkml needs finite numbers")
    return v


# --- thresholds: the libraries compare float32 features; the file compares the float64 features -----------------

def f32_last(a):
    """The largest float64 x whose float32 rounding (to nearest, ties to even) is <= the float32 a."""
    a = np.float32(a)
    b = np.nextafter(a, np.float32(np.inf))
    m = (float(a) + float(b)) / 2  # exact in float64; x = m rounds to whichever of a, b is even
    even = int(np.array([a], dtype=np.float32).view(np.uint32)[0]) & 1 == 0
    return m if even else float(np.nextafter(m, -np.inf))


def f32_le(t):
    """scikit-learn sends x left iff float32(x) <= t (t a float64): that is x <= f32_le(t)."""
    a = np.float32(t)
    if float(a) > t:
        a = np.nextafter(a, np.float32(-np.inf))
    return f32_last(a)


def f32_lt(t):
    """XGBoost sends x left iff float32(x) < t (t a float32): float32(x) <= the float32 below t, so x < f32_lt(t)."""
    below = np.nextafter(np.float32(t), np.float32(-np.inf))
    return float(np.nextafter(f32_last(below), np.inf))


def tree_nodes(root, is_leaf, leaf, split):
    """The nodes reachable from root in preorder (root first, children after their parent): leaf(i) is a leaf's value,
    split(i) an internal node's (feature, threshold, left child, right child)."""
    nodes = []

    def visit(i):
        k = len(nodes)
        nodes.append(None)
        if is_leaf(i):
            nodes[k] = {"value": finite(leaf(i), "a leaf value")}
        else:
            f, t, left, right = split(i)
            node = {"feature": int(f), "threshold": finite(t, "a split threshold")}
            node["left"] = visit(left)
            node["right"] = visit(right)
            nodes[k] = node
        return k

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    visit(root)
    return nodes


def trees_file(task, classes, groups, split, base, trees, source):
    """A trees file: groups is the targets (regression), 1 (two classes) or the classes; base has 1 or G entries."""
    out = {"format": FORMAT, "kind": "trees", "task": task}
    if task == "classification":
        out["classes"] = int(classes)
        assert groups == (1 if classes == 2 else classes)
    base = [finite(b, "a base score") for b in np.broadcast_to(np.asarray(base, dtype=float).ravel(), (groups,))]
    assert all(0 <= t["group"] < groups for t in trees)
    out.update(split=split, base=base, trees=trees, source=source)
    return out


# --- scikit-learn ----------------------------------------------------------------------------------------------

def sklearn_tree(est, group, leaf):
    """One fitted sklearn tree (estimator or Tree); leaf(value row) -> the leaf value. sklearn: float32(x) <= t."""
    t = getattr(est, "tree_", est)
    cl, cr, feat, thr, val = t.children_left, t.children_right, t.feature, t.threshold, t.value
    nodes = tree_nodes(0, lambda i: cl[i] == -1, lambda i: leaf(val[i]),
                       lambda i: (feat[i], f32_le(float(thr[i])), cl[i], cr[i]))
    return {"group": int(group), "nodes": nodes}


def class_fractions(v):
    """A classifier leaf's class fractions as predict_proba normalizes them (sklearn >= 1.4 stores fractions)."""
    p = np.asarray(v[0], dtype=float)
    total = p.sum()
    return p / (total if total != 0 else 1.0)


def gb_base(model):
    """A gradient boosting model's initial raw scores (constant: its init estimator is a prior or zero)."""
    from sklearn.dummy import DummyClassifier, DummyRegressor

    if not (isinstance(model.init_, (DummyClassifier, DummyRegressor)) or model.init_ == "zero"):
        sys.exit(f"unsupported {type(model).__name__} init estimator {type(model.init_).__name__}: "
                 "only the default prior or init='zero'")
    x0 = np.zeros((1, model.n_features_in_), dtype=np.float32)
    return np.asarray(model._raw_predict_init(x0), dtype=float)[0]


def sklearn_trees(model):
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                                  GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor)
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    name = type(model).__name__
    source = f"scikit-learn {name}"
    if isinstance(model, (GradientBoostingClassifier, GradientBoostingRegressor)):
        lr = float(model.learning_rate)
        stages = model.estimators_  # n_stages x (1 or k) regression trees
        trees = [sklearn_tree(stages[i, g], g, lambda v: v[0, 0] * lr)
                 for i in range(stages.shape[0]) for g in range(stages.shape[1])]
        base = gb_base(model)
        if isinstance(model, GradientBoostingClassifier):
            k = check_classes(model)
            return trees_file("classification", k, 1 if k == 2 else k, "le", base, trees, source)
        return trees_file("regression", None, stages.shape[1], "le", base, trees, source)
    if isinstance(model, (DecisionTreeClassifier, DecisionTreeRegressor)):
        members = [model]
    elif isinstance(model, (RandomForestClassifier, RandomForestRegressor, ExtraTreesClassifier, ExtraTreesRegressor)):
        members = model.estimators_
    else:
        return None
    n = len(members)
    if model.n_outputs_ != 1 and not isinstance(model, (DecisionTreeRegressor, RandomForestRegressor,
                                                          ExtraTreesRegressor)):
        sys.exit(f"unsupported multi-output {name}: one label column")
    if isinstance(model, (DecisionTreeRegressor, RandomForestRegressor, ExtraTreesRegressor)):
        # The mean of the trees' predictions, one group per target.
        outputs = model.n_outputs_
        trees = [sklearn_tree(t, o, lambda v, o=o: v[o, 0] / n) for t in members for o in range(outputs)]
        return trees_file("regression", None, outputs, "le", np.zeros(outputs), trees, source)
    # sklearn predicts the argmax of the trees' summed class fractions (divided by T: predict_proba), first on ties.
    # The leaves hold the fractions undivided, so the sums, and their ties (pure leaves vote 0 or 1), are exact.
    k = check_classes(model)
    if k == 2:
        # Class 1 iff the sum of p1 > the sum of p0, i.e. iff the sum of (p1 - p0) / 2 is > 0.
        trees = [sklearn_tree(t, 0, lambda v: np.diff(class_fractions(v))[0] / 2) for t in members]
    else:
        # A vector leaf per tree: the tree once per class (k times the circuit), class c's copy leaves p_c.
        trees = [sklearn_tree(t, c, lambda v, c=c: class_fractions(v)[c]) for t in members for c in range(k)]
    return trees_file("classification", k, 1 if k == 2 else k, "le", np.zeros(1), trees, source)


# --- XGBoost ---------------------------------------------------------------------------------------------------

XGB_CLASSIFY = {"binary:logistic", "binary:logitraw", "binary:hinge", "multi:softprob", "multi:softmax"}
XGB_REGRESS = {"reg:squarederror", "reg:squaredlogerror", "reg:absoluteerror", "reg:pseudohubererror",
               "reg:quantileerror"}


def xgb_floats(s):
    """base_score: "5E-1" (XGBoost 1.x, 2.x) or "[5E-1,...]" (3.x, one per class / target)."""
    if isinstance(s, (int, float)):
        return [float(s)]
    return [float(v) for v in str(s).strip().strip("[]").split(",") if v.strip()]


def xgboost_trees(doc, classes=None):
    """XGBoost's JSON model (Booster.save_model("m.json")). XGBoost sends x left iff float32(x) < split_condition."""
    learner = doc["learner"]
    booster = learner["gradient_booster"]
    if booster.get("name") != "gbtree":
        sys.exit(f"unsupported XGBoost booster {booster.get('name')}: only gbtree (not gblinear or dart)")
    objective = learner["objective"]["name"]
    param = learner["learner_model_param"]
    num_class = int(param.get("num_class", "0"))
    num_target = int(param.get("num_target", "1"))
    base = np.asarray(xgb_floats(param["base_score"]), dtype=float)
    if objective == "binary:logistic":
        # base_score is a probability: the margin is its logit (XGBoost's ProbToMargin).
        task, k, groups = "classification", 2, 1
        base = np.log(base / (1 - base))
    elif objective in ("binary:logitraw", "binary:hinge"):
        # base_score is the margin itself (XGBoost 2.x, 3.x). Class 1 iff the margin is > 0 (XGBClassifier.predict
        # compares logitraw's margin with 0.5, as if it were a probability: that quirk is not followed).
        task, k, groups = "classification", 2, 1
    elif objective in ("multi:softprob", "multi:softmax"):
        # base_score is already a margin per class (3.x stores k of them; earlier versions one, for every class).
        task, k, groups = "classification", num_class, num_class
    elif objective in XGB_REGRESS:
        task, k, groups = "regression", None, num_target
    else:
        sys.exit(f"unsupported XGBoost objective {objective}: one of {', '.join(sorted(XGB_CLASSIFY | XGB_REGRESS))}")
    if classes is not None and classes != k:
        sys.exit(f"the XGBoost model has {k} classes but its estimator {classes}")
    if len(base) not in (1, groups):
        sys.exit(f"XGBoost base_score has {len(base)} entries for {groups} outputs")
    model = booster["model"]
    trees, info = model["trees"], model["tree_info"]
    best = learner.get("attributes", {}).get("best_iteration")
    if best is not None and "iteration_indptr" in model:
        # Early stopping: the scikit-learn interface predicts with the trees up to the best iteration.
        trees = trees[: model["iteration_indptr"][int(best) + 1]]
    out = []
    for i, tree in enumerate(trees):
        if int(tree["tree_param"].get("size_leaf_vector", "1")) > 1:
            sys.exit("unsupported XGBoost multi_output_tree (vector leaves): use multi_strategy=one_output_per_tree")
        if any(int(s) != 0 for s in tree.get("split_type", [])):
            sys.exit("unsupported XGBoost categorical split: numerical features only")
        left, right = tree["left_children"], tree["right_children"]
        feat, cond = tree["split_indices"], tree["split_conditions"]
        group = int(info[i])
        if not 0 <= group < groups:
            sys.exit(f"XGBoost tree {i} is for output {group} of {groups}")
        nodes = tree_nodes(0, lambda j: left[j] == -1, lambda j: cond[j],
                           lambda j: (feat[j], f32_lt(cond[j]), left[j], right[j]))
        out.append({"group": group, "nodes": nodes})
    version = ".".join(map(str, doc.get("version", [])))
    return trees_file(task, k, groups, "lt", base, out, f"XGBoost {version} {objective}")


def xgboost_to_zkml(model):
    import xgboost

    classes = None
    if isinstance(model, xgboost.XGBModel):
        if isinstance(model, xgboost.XGBClassifier):
            classes = check_classes(model)
        booster = model.get_booster()
    elif isinstance(model, xgboost.Booster):
        booster = model
    else:
        sys.exit(f"unsupported XGBoost object {type(model).__name__}: an XGBModel or a Booster")
    return xgboost_trees(json.loads(bytes(booster.save_raw(raw_format="json"))), classes)


# --- LightGBM --------------------------------------------------------------------------------------------------

LGB_CLASSIFY = {"binary", "multiclass", "multiclassova"}
LGB_REGRESS = {"regression", "regression_l1", "huber", "fair", "quantile", "mape"}
LGB_ZERO = 1e-35  # LightGBM's kZeroThreshold


def lightgbm_trees(dump, classes=None):
    """LightGBM's dump_model() JSON. LightGBM sends x left iff x <= threshold (float64), and folds the initial score
    into the first trees' leaves."""
    objective = str(dump.get("objective", ""))
    name = objective.split()[0] if objective else ""
    per_iter = int(dump["num_tree_per_iteration"])
    if name == "binary":
        task, k, groups = "classification", 2, 1
    elif name in ("multiclass", "multiclassova"):
        task, k, groups = "classification", int(dump["num_class"]), int(dump["num_class"])
    elif name in LGB_REGRESS and "sqrt" not in objective.split():
        task, k, groups = "regression", None, per_iter
    else:
        sys.exit(f"unsupported LightGBM objective {objective!r}: one of {', '.join(sorted(LGB_CLASSIFY | LGB_REGRESS))}"
                 " (regression without reg_sqrt)")
    if per_iter != groups:
        sys.exit(f"LightGBM model has {per_iter} trees an iteration for {groups} outputs")
    if classes is not None and classes != k:
        sys.exit(f"the LightGBM model has {k} classes but its estimator {classes}")
    info = dump["tree_info"]
    # boosting_type="rf" averages the iterations instead of summing them.
    scale = 1.0 / max(1, len(info) // per_iter) if dump.get("average_output") else 1.0

    def is_leaf(n):
        if "leaf_coeff" in n:
            sys.exit("unsupported LightGBM linear_tree leaves: constant leaves only")
        return "leaf_value" in n

    def split(n):
        op = n["decision_type"]
        if op != "<=":
            sys.exit(f"unsupported LightGBM split operator {op!r} (a categorical split): numerical <= only")
        t, missing, default_left = float(n["threshold"]), n.get("missing_type", "None"), n.get("default_left")
        # missing_type Zero sends |x| <= 1e-35 the default way: the same as x <= t only where that is 0's side.
        if missing == "Zero" and not ((default_left and t >= LGB_ZERO) or (not default_left and t < -LGB_ZERO)):
            sys.exit("unsupported LightGBM zero_as_missing split that sends 0 against its threshold")
        if missing not in ("None", "NaN", "Zero"):
            sys.exit(f"unsupported LightGBM missing_type {missing!r}")
        return n["split_feature"], t, n["left_child"], n["right_child"]

    trees = [{"group": i % per_iter,
              "nodes": tree_nodes(t["tree_structure"], is_leaf, lambda n: n["leaf_value"] * scale, split)}
             for i, t in enumerate(info)]
    return trees_file(task, k, groups, "le", np.zeros(groups), trees, f"LightGBM {objective}")


def lightgbm_to_zkml(model):
    import lightgbm

    classes = None
    if isinstance(model, lightgbm.LGBMModel):
        if isinstance(model, lightgbm.LGBMClassifier):
            classes = check_classes(model)
        booster = model.booster_
    elif isinstance(model, lightgbm.Booster):
        booster = model
    else:
        sys.exit(f"unsupported LightGBM object {type(model).__name__}: an LGBMModel or a Booster")
    return lightgbm_trees(booster.dump_model(), classes)


def json_to_zkml(doc):
    """A model file's JSON: XGBoost's save_model or LightGBM's dump_model."""
    if isinstance(doc, dict) and "learner" in doc:
        return xgboost_trees(doc)
    if isinstance(doc, dict) and "tree_info" in doc and "num_tree_per_iteration" in doc:
        return lightgbm_trees(doc)
    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        sys.exit(f"this is already a {FORMAT} file")
    sys.exit("unsupported JSON model: XGBoost's save_model JSON or LightGBM's dump_model JSON")


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
    library = type(model).__module__.split(".")[0]
    if isinstance(model, dict):
        trees = json_to_zkml(model)
    elif library == "xgboost":
        trees = xgboost_to_zkml(model)
    elif library == "lightgbm":
        trees = lightgbm_to_zkml(model)
    else:
        trees = sklearn_trees(model) if library == "sklearn" else None
    if trees is not None:
        return fold_tree_scalers(steps, trees)
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


def raw_scores(model, x):
    """A tree model's raw outputs as its library computes them, one row of G groups per sample: margins
    (XGBoost output_margin, LightGBM raw_score), decision_function (gradient boosting), predictions (regressors),
    T·(P1 - P0) / 2 (binary trees and forests of T trees: the file's score) or T·predict_proba (k classes)."""
    from sklearn.base import is_classifier
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        return raw_scores(model.steps[-1][1], model[:-1].transform(x))
    library = type(model).__module__.split(".")[0]
    m = len(x)
    if library == "xgboost":
        import xgboost

        if isinstance(model, xgboost.Booster):
            return np.asarray(model.predict(xgboost.DMatrix(x), output_margin=True), dtype=float).reshape(m, -1)
        return np.asarray(model.predict(x, output_margin=True), dtype=float).reshape(m, -1)
    if library == "lightgbm":
        raw = np.asarray(model.predict(x, raw_score=True), dtype=float).reshape(m, -1)
        dump = (model.booster_ if hasattr(model, "booster_") else model).dump_model()
        if dump.get("average_output"):  # boosting_type="rf": raw_score sums the iterations, predict averages them
            raw /= max(1, len(dump["tree_info"]) // int(dump["num_tree_per_iteration"]))
        return raw
    if isinstance(model, GradientBoostingClassifier):
        return np.asarray(model.decision_function(x), dtype=float).reshape(m, -1)
    if is_classifier(model):
        p = np.asarray(model.predict_proba(x), dtype=float) * len(getattr(model, "estimators_", [model]))
        return ((p[:, 1] - p[:, 0]) / 2).reshape(m, 1) if p.shape[1] == 2 else p
    return np.asarray(model.predict(x), dtype=float).reshape(m, -1)


def load_model(path):
    """A saved model: joblib (scikit-learn, or an XGBoost / LightGBM estimator), *.json (XGBoost save_model or
    LightGBM dump_model) or *.txt (a LightGBM model file)."""
    if path.endswith(".json"):
        with open(path) as f:
            return json.load(f)
    if path.endswith(".txt"):
        import lightgbm

        return lightgbm.Booster(model_file=path)
    import joblib

    return joblib.load(path)


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


LINEAR_KINDS = ["linear", "logistic", "svm", "mlp", "mlp-regressor"]
TREE_KINDS = ["tree", "forest", "gbdt", "xgboost", "lightgbm",
              "tree-regressor", "forest-regressor", "gbdt-regressor", "xgboost-regressor", "lightgbm-regressor"]
CLASSIFIER_KINDS = {"logistic", "svm", "mlp", "tree", "forest", "gbdt", "xgboost", "lightgbm"}


def tree_estimator(kind, n, depth, seed):
    """A tree model of the kind: n trees (boosting rounds) of at most depth levels."""
    if kind.startswith("xgboost"):
        import xgboost

        cls = xgboost.XGBRegressor if kind.endswith("-regressor") else xgboost.XGBClassifier
        return cls(n_estimators=n, max_depth=depth, tree_method="hist", random_state=seed)
    if kind.startswith("lightgbm"):
        import lightgbm

        cls = lightgbm.LGBMRegressor if kind.endswith("-regressor") else lightgbm.LGBMClassifier
        return cls(n_estimators=n, max_depth=depth, num_leaves=2 ** depth, random_state=seed, verbose=-1)
    from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    return {
        "tree": lambda: DecisionTreeClassifier(max_depth=depth, random_state=seed),
        "tree-regressor": lambda: DecisionTreeRegressor(max_depth=depth, random_state=seed),
        "forest": lambda: RandomForestClassifier(n_estimators=n, max_depth=depth, random_state=seed),
        "forest-regressor": lambda: RandomForestRegressor(n_estimators=n, max_depth=depth, random_state=seed),
        "gbdt": lambda: GradientBoostingClassifier(n_estimators=n, max_depth=depth, random_state=seed),
        "gbdt-regressor": lambda: GradientBoostingRegressor(n_estimators=n, max_depth=depth, random_state=seed),
    }[kind]()


def write_onnx(model, x, path):
    """The fitted model as skl2onnx converts it (what a scikit-learn user exports to ONNX)."""
    from skl2onnx import to_onnx

    onx = to_onnx(model, x[:1].astype(np.float32), options={"zipmap": False} if hasattr(model, "predict_proba") else None)
    with open(path, "wb") as f:
        f.write(onx.SerializeToString())


def write_onnx_gemm(zkml_model, path):
    """A dense model as the graph torch.onnx.export writes for nn.Sequential(Linear, ReLU, ..., Linear) followed by
    nn.Softmax(dim=1) for classifiers: Gemm nodes with transB=1 and weights stored out x in as float32
    initializers. PyTorch itself is a 2 GB install; this writes the same operators from the exported weights so
    the ONNX reader can be tested on that form."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    if zkml_model.get("kind") not in ("linear", "mlp"):
        sys.exit("--onnx-gemm writes dense models only (linear or mlp)")
    nodes, inits, current = [], [], "input"
    layers = zkml_model["layers"]
    for i, layer in enumerate(layers):
        w = np.asarray(layer["weights"], dtype=np.float32).T  # PyTorch's Linear.weight is out x in
        b = np.asarray(layer["bias"], dtype=np.float32)
        inits += [numpy_helper.from_array(w, f"{i}.weight"), numpy_helper.from_array(b, f"{i}.bias")]
        nodes.append(helper.make_node("Gemm", [current, f"{i}.weight", f"{i}.bias"], [f"/{i}/Gemm_output_0"], alpha=1.0, beta=1.0, transB=1))
        current = f"/{i}/Gemm_output_0"
        if i + 1 < len(layers):
            nodes.append(helper.make_node("Relu", [current], [f"/{i}/Relu_output_0"]))
            current = f"/{i}/Relu_output_0"
    outputs = len(layers[-1]["bias"])
    if zkml_model["task"] == "classification":
        head = "Sigmoid" if outputs == 1 else "Softmax"
        nodes.append(helper.make_node(head, [current], ["output"], **({} if outputs == 1 else {"axis": 1})))
    else:
        nodes.append(helper.make_node("Identity", [current], ["output"]))
    p = len(layers[0]["weights"])
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", p])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", outputs])],
        initializer=inits,
    )
    onnx.checker.check_model(helper.make_model(graph, producer_name="pytorch", opset_imports=[helper.make_opsetid("", 17)]))
    onnx.save(helper.make_model(graph, producer_name="pytorch", opset_imports=[helper.make_opsetid("", 17)]), path)


def cmd_train(args):
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC

    x, y = load_dir(args.dataset, "X"), load_dir(args.dataset, "Y")
    y = y.reshape(len(y), -1)
    hidden = tuple(int(h) for h in args.hidden.split(",")) if args.hidden else (64,)
    classifier = args.kind in CLASSIFIER_KINDS
    if classifier:
        y = y[:, 0].astype(int)
    elif y.shape[1] == 1:
        y = y[:, 0]
    if args.kind in TREE_KINDS:
        model = tree_estimator(args.kind, args.trees, args.depth, args.seed)  # trees need no scaling
    else:
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
        json.dump(to_zkml(model), f, allow_nan=False)
    report = {"out": args.out, "train_score": float(model.score(x, y))}
    if args.onnx:
        write_onnx(model, x, args.onnx)
        report["onnx"] = args.onnx
    if args.onnx_gemm:
        write_onnx_gemm(to_zkml(model), args.onnx_gemm)
        report["onnx_gemm"] = args.onnx_gemm
    if args.predict:
        xp = load_dir(args.predict, "X")
        pred = model.predict(xp)
        with open(args.out + ".predictions.json", "w") as f:
            json.dump(np.asarray(pred).tolist(), f)
        if args.kind in TREE_KINDS:
            with open(args.out + ".raw.json", "w") as f:
                json.dump(raw_scores(model, xp).tolist(), f)
        yp = load_dir(args.predict, "Y").reshape(len(xp), -1)
        yp = yp[:, 0] if yp.shape[1] == 1 else yp
        report["predict_score"] = float(model.score(xp, yp.astype(int) if classifier else yp))
    print(json.dumps(report))


def cmd_export(args):
    with open(args.out, "w") as f:
        json.dump(to_zkml(load_model(args.estimator)), f, allow_nan=False)
    print(json.dumps({"out": args.out}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data", help="a scikit-learn dataset split into train/ and test/")
    d.add_argument("name")
    d.add_argument("--out", required=True)
    d.add_argument("--test-size", type=float, default=0.3)
    d.add_argument("--seed", type=int, default=0)
    t = sub.add_parser("train", help="fit a model (standardized, unless trees) on a dataset directory and export it")
    t.add_argument("kind", choices=LINEAR_KINDS + TREE_KINDS)
    t.add_argument("--dataset", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--hidden", default="")
    t.add_argument("--c", type=float, default=1.0)
    t.add_argument("--trees", type=int, default=100, help="trees (boosting rounds) of an ensemble")
    t.add_argument("--depth", type=int, default=6, help="the trees' maximum depth")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--predict", default="")
    t.add_argument("--onnx", default="", help="also write the fitted model as skl2onnx converts it")
    t.add_argument("--onnx-gemm", default="", help="also write a dense model as PyTorch's Gemm/Relu graph")
    e = sub.add_parser("export", help="export a saved model: joblib, XGBoost / LightGBM JSON, LightGBM model text")
    e.add_argument("estimator")
    e.add_argument("--out", required=True)
    args = ap.parse_args()
    {"data": cmd_data, "train": cmd_train, "export": cmd_export}[args.cmd](args)


if __name__ == "__main__":
    main()
