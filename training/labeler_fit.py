"""Fit the STAR labeler (training/train_labeler.py ships it; training/eval_analysis.py refits it per fold).

``fit_labeler(examples, groups)`` returns the arrays that ``StarLabeler.from_arrays`` reads:
TF-IDF vocabulary and idf, logistic-regression weights for keys and position, chain counts, and per
part a presence detector fitted on out-of-fold decodes with its threshold chosen so that complete
answers are rarely called incomplete.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from starcoach.analysis.labeler import (
    LABELS,
    PRESENCE_PARTS,
    StarLabeler,
    marginals,
    presence_features,
    viterbi,
)
from starcoach.analysis.ngrams import answer_keys, position_features

C = 3.0
ALPHA = 1.0
MIN_DF = 2
FALSE_MISSING = 0.02  # share of complete training answers (out of fold) a presence threshold may fail


def rows(exs):
    keys, pos, y, bounds = [], [], [], []
    for _g, sents, gold in exs:
        lo = len(y)
        keys += answer_keys(sents)
        pos += [position_features(i, len(sents)) for i in range(len(sents))]
        y += [LABELS.index(g) for g in gold]
        bounds.append((lo, len(y)))
    return keys, np.asarray(pos), np.asarray(y), bounds


def vocabulary(keys):
    df: dict[str, int] = {}
    for ks in keys:
        for k in ks:
            df[k] = df.get(k, 0) + 1
    vocab = sorted(k for k, c in df.items() if c >= MIN_DF)
    n = len(keys)
    return vocab, np.asarray([np.log((1 + n) / (1 + df[k])) + 1 for k in vocab])


def design(keys, pos, index, idf):
    r, c, v = [], [], []
    for i, ks in enumerate(keys):
        idx = [index[k] for k in ks if k in index]
        if idx:
            w = idf[idx]
            r += [i] * len(idx)
            c += idx
            v += (w / np.sqrt((w * w).sum())).tolist()
    lex = sparse.csr_matrix((v, (r, c)), shape=(len(keys), len(index)))
    return sparse.hstack([lex, sparse.csr_matrix(pos)]).tocsr()


def chain_counts(y, bounds):
    k = len(LABELS)
    start, end, trans = np.ones(k), np.ones(k), np.ones((k, k))
    for lo, hi in bounds:
        if hi > lo:
            start[y[lo]] += 1
            end[y[hi - 1]] += 1
            for a, b in zip(y[lo:hi - 1], y[lo + 1:hi], strict=True):
                trans[a, b] += 1
    return np.log(start / start.sum()), np.log(trans / trans.sum(1, keepdims=True)), np.log(end / end.sum())


def emission_arrays(exs):
    keys, pos, y, bounds = rows(exs)
    vocab, idf = vocabulary(keys)
    index = {k: i for i, k in enumerate(vocab)}
    clf = LogisticRegression(C=C, max_iter=3000).fit(design(keys, pos, index, idf), y)
    coef = clf.coef_.T
    start, trans, end = chain_counts(y, bounds)
    return {
        "vocab": np.asarray("\n".join(vocab)), "idf": idf.astype(np.float32),
        "w_keys": coef[:len(vocab)].astype(np.float32), "w_pos": coef[len(vocab):].astype(np.float32),
        "bias": clf.intercept_.astype(np.float32), "log_start": start, "log_trans": trans, "log_end": end,
        "alpha": np.asarray(ALPHA),
    }


def presence_rows(labeler, exs):
    feats = {p: [] for p in PRESENCE_PARTS}
    gold = {p: [] for p in PRESENCE_PARTS}
    for _g, sents, labels in exs:
        lp = labeler.log_probs(sents)
        path = viterbi(lp, labeler.chain)
        marg = marginals(lp, labeler.chain)
        for p in PRESENCE_PARTS:
            feats[p].append(presence_features(lp, marg, path, LABELS.index(p)))
            gold[p].append(int(p in labels))
    return feats, gold


def fit_presence(exs, groups, folds=5):
    """Out-of-fold decodes (grouped by author) -> a logistic model per part and its threshold."""
    feats = {p: [None] * len(exs) for p in PRESENCE_PARTS}
    gold = {p: [0] * len(exs) for p in PRESENCE_PARTS}
    for tr, te in GroupKFold(n_splits=folds).split(exs, groups=groups):
        lab = StarLabeler.from_arrays(emission_arrays([exs[i] for i in tr]))
        f, g = presence_rows(lab, [exs[i] for i in te])
        for p in PRESENCE_PARTS:
            for j, i in enumerate(te):
                feats[p][i], gold[p][i] = f[p][j], g[p][j]
    out = {}
    for p in PRESENCE_PARTS:
        X, t = np.asarray(feats[p]), np.asarray(gold[p])
        clf = LogisticRegression(C=1.0, max_iter=2000).fit(X, t)
        prob = clf.predict_proba(X)[:, 1]
        present = np.sort(prob[t == 1])
        threshold = float(present[int(FALSE_MISSING * len(present))]) if len(present) else 0.5
        threshold = min(0.95, max(0.05, threshold))
        recall = float((prob[t == 0] < threshold).mean()) if (t == 0).any() else 1.0
        print(f"  presence {p}: threshold {threshold:.3f}, out-of-fold absent caught {recall:.3f}", flush=True)
        out[f"presence_{p}"] = np.asarray([*clf.coef_[0], clf.intercept_[0], threshold])
    return out


def fit_labeler(exs, groups, presence=True):
    arrays = emission_arrays(exs)
    if presence:
        arrays.update(fit_presence(exs, groups))
    return arrays
