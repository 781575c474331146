"""Train the STAR sentence labeler from data/star/*.jsonl and write its weights into the package.

    python training/train_star.py            # writes src/starcoach/analysis/weights/star_labeler.json

A multinomial logistic regression (scikit-learn, here only) over the features of
starcoach.analysis.features gives emissions; transition/start/end probabilities are counted from the
training sequences; ``alpha`` (transition weight), ``beta`` (prior division) and ``C`` are picked by
5-fold cross-validation grouped by answer. One answer in five (by id hash) is held out and never seen
here: training/eval_star.py reports on it. Two variants are written: "lex" (no embeddings) and "emb"
(adds the WordLlama sentence vector). Fixed seeds; the output is byte-identical for the same data.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from star_data import LABELS, ROOT, examples, is_heldout, load_answers

from starcoach.analysis.embed import load_wordllama
from starcoach.analysis.features import DENSE_NAMES, answer_features
from starcoach.analysis.labeler import (
    PRESENCE_PARTS,
    ChainParams,
    marginals,
    presence_columns,
    presence_features,
    viterbi,
)
from starcoach.analysis.quality import token_class, tokens
from starcoach.bank.builtin import builtin_bank

OUT = ROOT / "src" / "starcoach" / "analysis" / "weights" / "star_labeler.json"
CLASS_LM = OUT.parent / "class_bigrams.json"
EMB_SCALE = 3.0
MIN_COUNT = 2
MAX_VOCAB = 6000
C_GRID = (0.03, 0.1, 0.3) if "--full" in sys.argv else (0.1,)
ALPHA_GRID = (0.0, 0.3, 0.6, 1.0, 1.5)
BETA_GRID = (0.0, 0.5, 1.0)


def featurize(exs, emb_fn=None):
    keys, dense, embs, y, groups, seq_bounds = [], [], [], [], [], []
    for gid, sents, gold in exs:
        k, d = answer_features(sents)
        lo = len(y)
        keys.extend(k)
        dense.extend(d)
        if emb_fn is not None:
            embs.append(emb_fn(sents) * EMB_SCALE)
        y.extend(LABELS.index(g) for g in gold)
        groups.extend([gid] * len(sents))
        seq_bounds.append((lo, len(y)))
    return keys, np.asarray(dense), (np.vstack(embs) if embs else None), np.asarray(y), groups, seq_bounds


def build_vocab(keys):
    counts = Counter(k for ks in keys for k in ks)
    vocab = sorted((k for k, c in counts.items() if c >= MIN_COUNT), key=lambda k: (-counts[k], k))
    return sorted(vocab[:MAX_VOCAB])


def design(keys, dense, embs, index):
    rows, cols = [], []
    for i, ks in enumerate(keys):
        for k in ks:
            j = index.get(k)
            if j is not None:
                rows.append(i)
                cols.append(j)
    lex = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(index)))
    blocks = [lex, sparse.csr_matrix(dense)]
    if embs is not None:
        blocks.append(sparse.csr_matrix(embs))
    return sparse.hstack(blocks).tocsr()


def chain_counts(y, bounds):
    k = len(LABELS)
    start, end, trans, prior = np.ones(k), np.ones(k), np.ones((k, k)), np.ones(k)
    for lo, hi in bounds:
        seq = y[lo:hi]
        if len(seq) == 0:
            continue
        start[seq[0]] += 1
        end[seq[-1]] += 1
        for a, b in itertools.pairwise(seq):
            trans[a, b] += 1
        for s in seq:
            prior[s] += 1
    return (np.log(start / start.sum()), np.log(trans / trans.sum(axis=1, keepdims=True)),
            np.log(end / end.sum()), np.log(prior / prior.sum()))


def macro_f1(gold, pred, labels=(0, 1, 2, 3)):
    f1s = []
    for c in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        pr, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return float(np.mean(f1s))


def decode_all(logp, bounds, chain):
    pred = np.zeros(len(logp), dtype=int)
    for lo, hi in bounds:
        if hi > lo:
            pred[lo:hi] = viterbi(logp[lo:hi], chain)
    return pred


def fit(X, y, C):
    clf = LogisticRegression(C=C, max_iter=3000, tol=1e-4)
    clf.fit(X, y)
    return clf


def tune(X, y, groups, bounds):
    """Grouped 5-fold CV: best C on out-of-fold emissions, then alpha/beta for decoding."""
    counts = chain_counts(y, bounds)
    best = (-1.0, None, None)
    folds = list(GroupKFold(n_splits=5).split(X, y, groups))
    for C in C_GRID:
        logp = np.zeros((len(y), len(LABELS)))
        for tr, te in folds:
            clf = fit(X[tr], y[tr], C)
            logp[te] = clf.predict_log_proba(X[te])
        for alpha in ALPHA_GRID:
            for beta in BETA_GRID:
                chain = ChainParams(*counts, alpha=alpha, beta=beta)
                f1 = macro_f1(y, decode_all(logp, bounds, chain))
                if f1 > best[0]:
                    best = (f1, (C, alpha, beta), logp.copy())
                    print(f"  cv macro-F1 {f1:.3f}  C={C} alpha={alpha} beta={beta}")
    return best[1], best[2]


def fit_presence(oof_logp, y, bounds, chain):
    """Per part, a tiny logistic model "is this part in the answer at all?" over answer-level
    summaries of out-of-fold emissions and marginals (so the probabilities are honest)."""
    feats, gold = [], []
    for lo, hi in bounds:
        if hi <= lo:
            continue
        lp = oof_logp[lo:hi]
        feats.append(presence_features(lp, marginals(lp, chain), viterbi(lp, chain)))
        gold.append(set(y[lo:hi].tolist()))
    F = np.asarray(feats)
    out = {}
    for part in PRESENCE_PARTS:
        k = LABELS.index(part)
        t = np.asarray([k in g for g in gold], dtype=int)
        cols = presence_columns(k)
        clf = LogisticRegression(C=1.0, max_iter=2000).fit(F[:, cols], t)
        out[part] = {"w": np.round(clf.coef_[0], 5).tolist(), "b": round(float(clf.intercept_[0]), 5)}
        print(f"  presence {part}: train acc {clf.score(F[:, cols], t):.3f}, absent in {1 - t.mean():.2f}")
    return out


def train_variant(train_exs, emb_fn):
    keys, dense, embs, y, groups, bounds = featurize(train_exs, emb_fn)
    vocab = build_vocab(keys)
    index = {k: i for i, k in enumerate(vocab)}
    X = design(keys, dense, embs, index)
    (C, alpha, beta), oof = tune(X, y, groups, bounds)
    clf = fit(X, y, C)
    start, trans, end, prior = chain_counts(y, bounds)
    presence = fit_presence(oof, y, bounds, ChainParams(start, trans, end, prior, alpha=alpha, beta=beta))
    coef = clf.coef_.T  # (features, labels)
    nv, nd = len(vocab), len(DENSE_NAMES)
    r = lambda a: np.round(a, 5).tolist()  # noqa: E731
    model = {
        "dense_names": list(DENSE_NAMES),
        "vocab": vocab,
        "w_lex": r(coef[:nv].reshape(-1)),
        "w_dense": r(coef[nv:nv + nd]),
        "w_emb": r(coef[nv + nd:] * EMB_SCALE) if embs is not None else None,
        "bias": r(clf.intercept_),
        "chain": {"log_start": r(start), "log_trans": r(trans), "log_end": r(end),
                  "log_prior": r(prior), "alpha": alpha, "beta": beta},
        "presence": presence,
        "trained_on": {"answers": len({g for g in groups}), "sentences": len(y), "C": C},
    }
    return model


def write_class_lm(train) -> None:
    """Counts of token classes and adjacent class pairs in ordinary answers (word-salad gate)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    texts = [a.compose()[0] for a in train]
    texts += [q.text + " " + " ".join(p.text for p in q.points) for q in builtin_bank().questions]
    for t in texts:
        classes = [token_class(w) for w in tokens(t)]
        uni.update(classes)
        bi.update(f"{a} {b}" for a, b in itertools.pairwise(classes))
    data = {"unigrams": dict(sorted(uni.items())), "bigrams": dict(sorted(bi.items())),
            "total_uni": sum(uni.values()), "total_bi": sum(bi.values())}
    CLASS_LM.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {CLASS_LM.relative_to(ROOT)} ({len(bi)} class bigrams)")


def main() -> None:
    answers = load_answers()
    train = [a for a in answers if not is_heldout(a.id)]
    print(f"{len(answers)} answers, {len(train)} for training, {len(answers) - len(train)} held out")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_class_lm(train)
    if "--lm-only" in sys.argv:
        return
    train_exs = examples(train, augment=True)
    models = {}
    print("variant lex")
    models["lex"] = train_variant(train_exs, None)
    emb = load_wordllama()
    print("variant emb")
    models["emb"] = train_variant(train_exs, emb.embed)
    out = {"labels": list(LABELS), "embedder": emb.name, "models": models}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
