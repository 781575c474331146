"""Fit the question-type classifier and write it into the package.

    python training/train_question_types.py        # writes src/starcoach/bank/data/question_types.npz

Multinomial logistic regression (scikit-learn, lbfgs, L2) over the hashed features of
starcoach.bank.qtypes, fitted on data/question_types/dev only; the held-out split is never read here
(training/eval_question_types.py reports on it). Deterministic: sorted inputs, lbfgs, no sampling.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qtype_data import load_split

from starcoach.bank.qtypes import CLASSES, DIM, WEIGHTS_FILE, TypeModel, bucket, features

OUT = Path(__file__).resolve().parent.parent / "src" / "starcoach" / "bank" / "data" / WEIGHTS_FILE
C = 3.0  # inverse L2 strength; 1, 3 and 10 score within 0.01 of each other by 5-fold CV on dev (--cv)


def matrix(texts: list[str]) -> csr_matrix:
    rows, cols = [], []
    for i, text in enumerate(texts):
        for f in features(text):
            rows.append(i)
            cols.append(bucket(f))
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, cols)), shape=(len(texts), DIM))


def fit(texts: list[str], labels: list[str], c: float = C) -> TypeModel:
    y = np.array([[k.value for k in CLASSES].index(lbl) for lbl in labels])
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(matrix(texts), y)
    return TypeModel(clf.coef_.T.astype(np.float32).copy(), clf.intercept_.astype(np.float32))


def cross_validate(pairs: list[tuple[str, str]], c: float, folds: int = 5) -> float:
    """Mean per-type accuracy (worst type) over folds of the dev split, for choosing C."""
    worst = []
    for k in range(folds):
        train = [p for i, p in enumerate(pairs) if i % folds != k]
        test = [p for i, p in enumerate(pairs) if i % folds == k]
        model = fit([t for t, _ in train], [lbl for _, lbl in train], c)
        per = {}
        for cls in CLASSES:
            items = [t for t, lbl in test if lbl == cls.value]
            per[cls.value] = sum(model.guess(t).type is cls for t in items) / max(1, len(items))
        worst.append(min(per.values()))
    return float(np.mean(worst))


def main(argv: list[str]) -> None:
    pairs = load_split("dev")
    if "--cv" in argv:
        for c in (1.0, 3.0, 10.0, 30.0, 100.0):
            print(f"C={c:g}: worst-type accuracy over 5 folds of dev {cross_validate(pairs, c):.3f}")
        return
    model = fit([t for t, _ in pairs], [lbl for _, lbl in pairs])
    buf = io.BytesIO()
    np.savez_compressed(buf, **model.to_arrays())
    OUT.write_bytes(buf.getvalue())
    print(f"trained on {len(pairs)} dev questions; wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1:])
