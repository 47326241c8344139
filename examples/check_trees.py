"""Checks examples/export_model.py's tree export against the libraries' own predictions.

For each supported estimator (scikit-learn's 8 trees / forests / gradient boosting, XGBoost and LightGBM classifiers
binary and multiclass and regressors) it trains 20 trees of depth 4 (and two fully grown forests, whose votes tie)
on scikit-learn's breast_cancer (2 classes), digits (10 classes, 64 features) or diabetes (regression), exports the
model, and evaluates the file with a
pure-numpy reader of the `zkml-model/1` trees format on held-out rows and on rows whose features sit on the
split thresholds and their float32 / float64 neighbours. It asserts that the predicted classes equal the library's
`predict` exactly (regression: predictions to 1e-6 relative), and that the raw group outputs equal the library's
margins to 1e-6 relative (of the largest margin). It also exports the saved files (XGBoost JSON, LightGBM model
text and dump JSON) and a StandardScaler pipeline. One line per case.

    .venv/bin/python examples/check_trees.py
"""
import json
import math
import os
import sys
import tempfile
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in examples/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_model as em  # noqa: E402

NODE_KEYS = ({"feature", "threshold", "left", "right"}, {"value"})


def validate(doc):
    """The file as the Rust reader takes it: exact keys, indices, groups, finite numbers; returns the group count."""
    keys = {"format", "kind", "task", "split", "base", "trees", "source"}
    assert set(doc) in (keys, keys | {"classes"}), sorted(doc)
    assert doc["format"] == em.FORMAT and doc["kind"] == "trees" and doc["split"] in ("le", "lt")
    if doc["task"] == "classification":
        k = doc["classes"]
        assert isinstance(k, int) and k >= 2
        groups = 1 if k == 2 else k
    else:
        assert doc["task"] == "regression" and "classes" not in doc
        groups = len(doc["base"])
    assert len(doc["base"]) == groups and all(math.isfinite(b) for b in doc["base"])
    assert doc["trees"]
    for t in doc["trees"]:
        assert set(t) == {"group", "nodes"} and isinstance(t["group"], int) and 0 <= t["group"] < groups
        nodes = t["nodes"]
        parents = [0] * len(nodes)
        for j, n in enumerate(nodes):
            assert set(n) in NODE_KEYS, n
            if "value" in n:
                assert isinstance(n["value"], float) and math.isfinite(n["value"])
            else:
                assert isinstance(n["feature"], int) and n["feature"] >= 0
                assert isinstance(n["threshold"], float) and math.isfinite(n["threshold"])
                for c in (n["left"], n["right"]):
                    assert isinstance(c, int) and j < c < len(nodes)
                    parents[c] += 1
        assert parents[0] == 0 and all(p == 1 for p in parents[1:])
    json.dumps(doc, allow_nan=False)
    return groups


def evaluate(doc, x):
    """Raw group outputs (m x G) and predictions: classes for a classifier, the outputs for a regressor."""
    groups = validate(doc)
    raw = np.tile(np.asarray(doc["base"], dtype=float), (len(x), 1))
    lt = doc["split"] == "lt"
    rows = np.arange(len(x))
    for t in doc["trees"]:
        nodes = t["nodes"]
        leaf = np.array(["value" in n for n in nodes])
        feat = np.array([n.get("feature", 0) for n in nodes])
        thr = np.array([n.get("threshold", 0.0) for n in nodes])
        left = np.array([n.get("left", 0) for n in nodes])
        right = np.array([n.get("right", 0) for n in nodes])
        value = np.array([n.get("value", 0.0) for n in nodes])
        at = np.zeros(len(x), dtype=int)
        while not leaf[at].all():
            walk = ~leaf[at]
            i, r = at[walk], rows[walk]
            v = x[r, feat[i]]
            go_left = v < thr[i] if lt else v <= thr[i]
            at[walk] = np.where(go_left, left[i], right[i])
        raw[:, t["group"]] += value[at]
    if doc["task"] == "regression":
        return raw, raw
    return raw, ((raw[:, 0] > 0).astype(int) if groups == 1 else np.argmax(raw, axis=1))


def boundary_rows(doc, x, n, rng):
    """Rows of x whose split features are set to values on and around the file's thresholds."""
    cuts = {}
    for t in doc["trees"]:
        for node in t["nodes"]:
            if "feature" in node:
                cuts.setdefault(node["feature"], []).append(node["threshold"])
    out = x[rng.integers(0, len(x), n)].copy()
    for j, ts in cuts.items():
        ts = np.asarray(ts)
        f32 = ts.astype(np.float32).astype(float)
        near = np.concatenate([ts, np.nextafter(ts, np.inf), np.nextafter(ts, -np.inf), f32,
                               np.nextafter(ts.astype(np.float32), np.float32(np.inf)).astype(float),
                               np.nextafter(ts.astype(np.float32), np.float32(-np.inf)).astype(float)])
        pick = rng.random(n) < 0.7
        out[pick, j] = rng.choice(near, pick.sum())
    return out


def check_f32():
    """The float32 threshold helpers against numpy's float32 rounding, on values near random thresholds."""
    rng = np.random.default_rng(1)
    ts = np.concatenate([rng.normal(0, 100, 2000), rng.integers(-20, 20, 200) + 0.5, [0.0, 1.0, -1.0, 1e-30]])
    for t in ts:
        le, lt = em.f32_le(float(t)), em.f32_lt(float(np.float32(t)))
        for v in (le, np.nextafter(le, np.inf), np.nextafter(le, -np.inf)):
            assert (np.float32(v) <= t) == (v <= le), (t, v)
        for v in (lt, np.nextafter(lt, np.inf), np.nextafter(lt, -np.inf)):
            assert (np.float32(v) < np.float32(t)) == (v < lt), (t, v)
    print(f"ok   float32 thresholds: {len(ts)} random thresholds, boundaries exact")


def check(name, model, doc, x_test, rng):
    """Compares the file's evaluation with the library on held-out and boundary rows; returns the line."""
    x_edge = boundary_rows(doc, x_test, 300, rng) if doc is not None else None
    sets = [("held-out", x_test)] + ([("boundary", x_edge)] if x_edge is not None else [])
    parts = []
    for label, x in sets:
        raw, pred = evaluate(doc, x)
        lib_raw = em.raw_scores(model, x)
        lib_pred = np.asarray(model.predict(x), dtype=float).reshape(len(x), -1)
        assert raw.shape == lib_raw.shape, (name, raw.shape, lib_raw.shape)
        scale = max(1.0, float(np.abs(lib_raw).max()))
        err = float(np.abs(raw - lib_raw).max()) / scale
        assert err <= 1e-6, f"{name} {label}: raw outputs differ by {err:.3g} (relative)"
        if doc["task"] == "classification":
            wrong = int((pred != lib_pred[:, 0]).sum())
            assert wrong == 0, f"{name} {label}: {wrong} of {len(x)} predicted classes differ"
        else:
            perr = float(np.abs(pred - lib_pred).max()) / max(1.0, float(np.abs(lib_pred).max()))
            assert perr <= 1e-6, f"{name} {label}: predictions differ by {perr:.3g} (relative)"
        parts.append(f"{label} {len(x)} rows, max raw error {err:.1e}")
    sizes = f"{len(doc['trees'])} trees, {sum(len(t['nodes']) for t in doc['trees'])} nodes, split {doc['split']}"
    return f"ok   {name:48s} {sizes}; " + "; ".join(parts)


def main():
    import lightgbm
    import xgboost
    from sklearn import datasets, ensemble, tree
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    start = time.time()
    check_f32()
    data = {}
    for key, loader, stratify in [("binary", datasets.load_breast_cancer, True),
                                  ("multiclass", datasets.load_digits, True),
                                  ("regression", datasets.load_diabetes, False)]:
        x, y = loader(return_X_y=True)
        data[key] = train_test_split(x.astype(float), y, test_size=0.3, random_state=0,
                                     stratify=y if stratify else None)
    n, d, seed = 20, 4, 0
    cases = []
    for key in ("binary", "multiclass"):
        cases += [
            (key, tree.DecisionTreeClassifier(max_depth=d, random_state=seed)),
            (key, ensemble.RandomForestClassifier(n_estimators=n, max_depth=d, random_state=seed)),
            (key, ensemble.ExtraTreesClassifier(n_estimators=n, max_depth=d, random_state=seed)),
            (key, ensemble.GradientBoostingClassifier(n_estimators=n, max_depth=d, random_state=seed)),
            (key, xgboost.XGBClassifier(n_estimators=n, max_depth=d, tree_method="hist", random_state=seed)),
            (key, lightgbm.LGBMClassifier(n_estimators=n, max_depth=d, num_leaves=2 ** d, random_state=seed,
                                          verbose=-1)),
        ]
    cases += [
        ("regression", tree.DecisionTreeRegressor(max_depth=d, random_state=seed)),
        ("regression", ensemble.RandomForestRegressor(n_estimators=n, max_depth=d, random_state=seed)),
        ("regression", ensemble.ExtraTreesRegressor(n_estimators=n, max_depth=d, random_state=seed)),
        ("regression", ensemble.GradientBoostingRegressor(n_estimators=n, max_depth=d, random_state=seed)),
        ("regression", xgboost.XGBRegressor(n_estimators=n, max_depth=d, tree_method="hist", random_state=seed)),
        ("regression", lightgbm.LGBMRegressor(n_estimators=n, max_depth=d, num_leaves=2 ** d, random_state=seed,
                                              verbose=-1)),
    ]
    # Fully grown forests: pure leaves vote 0 or 1, so exact ties between classes happen (the first class wins).
    cases += [(key, ensemble.RandomForestClassifier(n_estimators=10, random_state=seed), " (grown: ties)")
              for key in ("binary", "multiclass")]
    rng = np.random.default_rng(0)
    tmp = tempfile.mkdtemp()
    for key, model, *note in cases:
        xtr, xte, ytr, _ = data[key]
        model.fit(xtr, ytr)
        doc = em.to_zkml(model)
        name = f"{key} {type(model).__name__}" + "".join(note)
        print(check(name, model, doc, xte, rng), flush=True)
        # The saved forms `export` reads give the same file.
        if isinstance(model, xgboost.XGBModel):
            path = os.path.join(tmp, "xgb.json")
            model.save_model(path)
            saved = {"XGBoost save_model JSON": em.load_model(path)}
        elif isinstance(model, lightgbm.LGBMModel):
            text, dump = os.path.join(tmp, "lgb.txt"), os.path.join(tmp, "lgb.json")
            model.booster_.save_model(text)
            with open(dump, "w") as f:
                json.dump(model.booster_.dump_model(), f)
            saved = {"LightGBM model text": em.load_model(text), "LightGBM dump_model JSON": em.load_model(dump)}
        else:
            saved = {}
        for label, obj in saved.items():
            other = em.to_zkml(obj)
            assert other["trees"] == doc["trees"] and other["base"] == doc["base"] and other["task"] == doc["task"] \
                and other.get("classes") == doc.get("classes") and other["split"] == doc["split"], label
            print(f"ok   {name:48s} export from the {label}: the same file")
    # A scaler folded into the thresholds (the rounding of t·s + mu: held-out rows only).
    xtr, xte, ytr, _ = data["binary"]
    pipe = make_pipeline(StandardScaler(), ensemble.GradientBoostingClassifier(n_estimators=n, max_depth=d,
                                                                               random_state=seed)).fit(xtr, ytr)
    doc = em.to_zkml(pipe)
    raw, pred = evaluate(doc, xte)
    assert np.array_equal(pred, pipe.predict(xte)) and np.abs(raw - em.raw_scores(pipe, xte)).max() <= 1e-6 * max(
        1.0, np.abs(raw).max())
    print(f"ok   {'binary StandardScaler + GradientBoosting':48s} folded: {len(xte)} held-out rows agree")
    print(f"all tree exports agree with their libraries ({time.time() - start:.1f} s)")


if __name__ == "__main__":
    main()
