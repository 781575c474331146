"""Compare STAR labeler families on the same leave-repository-out folds of real answers.

    python training/compare_labelers.py [--quick]

Training data per fold: our own answers (data/star) plus the public answers of the other folds'
repositories, each with its variants (result removed, action removed, speech transcript). Test data:
the fold's answers, typed and as speech transcripts. Prints sentence macro-F1 (situation, task,
action, result) per family; docs/labeler-comparison.md records a run.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import labeler_fit
from real_data import load_public_star, repo_folds
from star_data import LABELS, examples, labeled_sentences, load_answers, speechify

from starcoach.analysis import ngrams
from starcoach.analysis.labeler import ChainParams, viterbi
from starcoach.analysis.pipeline import _label

STAR4 = (0, 1, 2, 3)


def macro_f1(gold, pred):
    f1s = []
    for c in STAR4:
        tp = sum(1 for g, p in zip(gold, pred, strict=False) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=False) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=False) if g == c and p != c)
        pr, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return float(np.mean(f1s)), [round(f, 3) for f in f1s]


class Family:
    """One model family: n-gram keys (optionally with neighbours), position, optionally static
    embeddings, decoded per sentence or with the chain. Built from labeler_fit's own pieces."""

    def __init__(self, name, context=False, chain=False, emb=None, C=3.0, alpha=1.0):
        self.name, self.context, self.chain, self.emb, self.C, self.alpha = name, context, chain, emb, C, alpha

    def rows(self, exs):
        keys, pos, embs, y, bounds = [], [], [], [], []
        for _g, sents, gold in exs:
            lo = len(y)
            keys += ngrams.answer_keys(sents, self.context)
            pos += [ngrams.position_features(i, len(sents)) for i in range(len(sents))]
            if self.emb is not None:
                embs.append(self.emb(sents))
            y += [LABELS.index(g) for g in gold]
            bounds.append((lo, len(y)))
        return keys, np.asarray(pos), (np.vstack(embs) if embs else None), np.asarray(y), bounds

    def matrix(self, keys, pos, embs):
        X = labeler_fit.design(keys, pos, self.index, self.idf)
        return X if embs is None else sparse.hstack([X, sparse.csr_matrix(embs)]).tocsr()

    def fit(self, exs):
        keys, pos, embs, y, bounds = self.rows(exs)
        vocab, self.idf = labeler_fit.vocabulary(keys)
        self.index = {k: i for i, k in enumerate(vocab)}
        self.clf = LogisticRegression(C=self.C, max_iter=3000).fit(self.matrix(keys, pos, embs), y)
        self.chain_params = ChainParams(*labeler_fit.chain_counts(y, bounds), self.alpha)
        return self

    def predict(self, sents):
        keys, pos, embs, _y, _b = self.rows([(None, sents, ["other"] * len(sents))])
        lp = self.clf.predict_log_proba(self.matrix(keys, pos, embs))
        return viterbi(lp, self.chain_params) if self.chain else lp.argmax(1).tolist()


class Landed:
    name = "shipped model (in-sample on public answers: trained on them)"

    def fit(self, exs):
        return self

    def predict(self, sents):
        labels, _ = _label(list(sents))
        return [LABELS.index(lbl) for lbl, _c in labels]


def test_items(answers, rng):
    typed, speech = [], []
    for a in answers:
        typed.append(labeled_sentences(*a.compose()))
        sp = speechify(a, rng)
        speech.append(labeled_sentences(*sp.compose()))
    return typed, speech


def evaluate(families, quick=False):
    pub = load_public_star()
    ours = load_answers()
    folds = repo_folds([r for r, _ in pub])
    res = {f.name: {"typed": ([], []), "speech": ([], [])} for f in families}
    for fi, fold in enumerate(folds):
        train_pub = [a for r, a in pub if r not in fold]
        test = [a for r, a in pub if r in fold]
        train_exs = examples(ours + train_pub, augment=True)
        typed, speech = test_items(test, random.Random(7 + fi))
        for fam in families:
            fam.fit(train_exs)
            for kind, items in (("typed", typed), ("speech", speech)):
                g, p = res[fam.name][kind]
                for sents, gold in items:
                    pred = fam.predict(sents)
                    for gg, pp in zip(gold, pred, strict=False):
                        if gg in LABELS[:4]:
                            g.append(LABELS.index(gg))
                            p.append(pp)
        print(f"fold {fi + 1}/{len(folds)} done ({len(test)} test answers)", flush=True)
        if quick and fi == 1:
            break
    for fam in families:
        t = macro_f1(*res[fam.name]["typed"])
        s = macro_f1(*res[fam.name]["speech"])
        print(f"{fam.name:70s} typed {t[0]:.3f} {t[1]}  speech {s[0]:.3f}")


def main():
    from starcoach.analysis.embed import load_wordllama
    emb = load_wordllama()
    fams = [
        Landed(),
        Family("n-gram TF-IDF + position, logistic regression"),
        Family("n-gram + position + chain (Viterbi)", chain=True),
        Family("n-gram + neighbour words + position + chain (shipped)", context=True, chain=True),
        Family("n-gram + neighbours + static embeddings + chain", context=True, chain=True, emb=emb.embed),
    ]
    if "--only" in sys.argv:
        names = sys.argv[sys.argv.index("--only") + 1].split(",")
        fams = [fams[int(i)] for i in names]
    evaluate(fams, quick="--quick" in sys.argv)


if __name__ == "__main__":
    main()
