#!/usr/bin/env python3
"""Golden AUROC / average-precision / max-F1 values from scikit-learn for ad3d's metric tests.

Writes Tests/AD3DKitTests/Resources/evaluation/sklearn_metrics.json: a list of cases, each with
the scores, the 0/1 labels and scikit-learn's `roc_auc_score`, `average_precision_score` and the
maximum F1 over `precision_recall_curve`. The cases are tie-heavy on purpose (scores drawn from a
few discrete values), which is where implementations usually disagree.

    pip install scikit-learn numpy
    python3 Scripts/metric_references.py
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

OUTPUT = (pathlib.Path(__file__).resolve().parent.parent
          / "Tests/AD3DKitTests/Resources/evaluation/sklearn_metrics.json")


def cases():
    yield "hand_ties", [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.1, 0.8], [0, 0, 1, 1, 1, 0, 0, 1]
    yield "all_tied", [0.5] * 6, [0, 1, 0, 1, 1, 0]
    yield "perfect", [0.9, 0.8, 0.7, 0.2, 0.1], [1, 1, 1, 0, 0]
    yield "reversed", [0.9, 0.8, 0.7, 0.2, 0.1], [0, 0, 0, 1, 1]
    yield "signed_zero", [-0.0, 0.0, 1.0, -1.0, 0.0], [1, 0, 1, 0, 0]
    rng = np.random.default_rng(20240607)
    for n, levels, rate in [(40, 3, 0.3), (120, 5, 0.1), (300, 8, 0.5), (500, 20, 0.02)]:
        labels = (rng.random(n) < rate).astype(int)
        labels[0], labels[1] = 0, 1  # both classes present
        # Discrete levels shifted up a little for positives, so the ranking is informative
        # but heavily tied.
        scores = rng.integers(0, levels, n) + labels * rng.integers(0, 2, n)
        yield f"random_n{n}_levels{levels}", [float(s) / 4 for s in scores], labels.tolist()


def max_f1(labels, scores):
    precision, recall, _ = precision_recall_curve(labels, scores)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0)
    return float(f1.max())


def main():
    out = []
    for name, scores, labels in cases():
        out.append({
            "name": name,
            "scores": scores,
            "labels": labels,
            "auroc": float(roc_auc_score(labels, scores)),
            "average_precision": float(average_precision_score(labels, scores)),
            "max_f1": max_f1(labels, scores),
        })
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({"sklearn_version": sklearn.__version__, "cases": out}, indent=1) + "\n")
    for case in out:
        print(f'{case["name"]:24s} auroc={case["auroc"]!r} ap={case["average_precision"]!r} '
              f'max_f1={case["max_f1"]!r}')
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
