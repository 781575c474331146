"""The STAR labeler: a small linear-chain model over the sentences of one answer.

Emissions come from a multinomial logistic regression over the features of features.py (and, when an
embedder is available, the sentence embedding); a learned transition matrix (with start and end
probabilities) ties neighbouring sentences together. Decoding is Viterbi; each sentence's confidence is
its posterior marginal from forward-backward. Weights are plain numbers in ``weights/star_labeler.json``
written by ``training/train_star.py``; inference needs numpy only. Emissions are divided by the class
prior (a "hybrid" model) with exponent ``beta``, and transitions are scaled by ``alpha``; both are tuned
at training time on held-out folds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.features import DENSE_NAMES, answer_features
from starcoach.errors import ModelUnavailableError

LABELS: tuple[str, ...] = ("situation", "task", "action", "result", "other")
PRESENCE_PARTS: tuple[str, ...] = ("situation", "action", "result")
Matrix = NDArray[np.float64]
_PER_LABEL = 8


def presence_features(log_probs: Matrix, marg: Matrix, path: Sequence[int]) -> list[float]:
    """Answer-level summaries per label: max emission, max marginal, in the Viterbi path, last
    sentence's emission, expected count, mean of the two best emissions, share of sentences whose
    best emission is this label, share of the path; then log of the number of sentences."""
    probs = np.exp(log_probs)
    n = len(path)
    best = probs.argmax(axis=1)
    out: list[float] = []
    for k in range(len(LABELS)):
        top2 = np.sort(probs[:, k])[-2:]
        out += [float(probs[:, k].max()), float(marg[:, k].max()), float(k in path),
                float(probs[-1, k]), float(np.log1p(marg[:, k].sum())), float(top2.mean()),
                float((best == k).mean()), sum(1 for y in path if y == k) / n]
    out.append(float(np.log(n)))
    return out


def presence_columns(k: int) -> list[int]:
    """Which presence features the detector for label ``k`` reads."""
    return [*range(k * _PER_LABEL, (k + 1) * _PER_LABEL), len(LABELS) * _PER_LABEL]


@dataclass(frozen=True)
class ChainParams:
    """Sequence parameters: log start/transition/end probabilities, log class prior, alpha, beta."""

    log_start: Matrix
    log_trans: Matrix
    log_end: Matrix
    log_prior: Matrix
    alpha: float
    beta: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ChainParams:
        return cls(
            log_start=np.asarray(d["log_start"], dtype=np.float64),
            log_trans=np.asarray(d["log_trans"], dtype=np.float64),
            log_end=np.asarray(d["log_end"], dtype=np.float64),
            log_prior=np.asarray(d["log_prior"], dtype=np.float64),
            alpha=float(d["alpha"]),
            beta=float(d["beta"]),
        )


def _logsumexp(x: Matrix, axis: int) -> Matrix:
    m = np.max(x, axis=axis, keepdims=True)
    return np.asarray(np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis)))


def potentials(log_probs: Matrix, chain: ChainParams) -> tuple[Matrix, Matrix]:
    """Per-sentence unary scores and the scaled transition matrix."""
    unary = log_probs - chain.beta * chain.log_prior[None, :]
    unary[0] += chain.alpha * chain.log_start
    unary[-1] += chain.alpha * chain.log_end
    return unary, chain.alpha * chain.log_trans


def viterbi(log_probs: Matrix, chain: ChainParams) -> list[int]:
    """Most likely label sequence (indices into LABELS)."""
    unary, trans = potentials(log_probs, chain)
    n, k = unary.shape
    score = unary[0].copy()
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = np.argmax(cand, axis=0)
        score = cand[back[t], np.arange(k)] + unary[t]
    best = [int(np.argmax(score))]
    for t in range(n - 1, 0, -1):
        best.append(int(back[t, best[-1]]))
    return best[::-1]


def marginals(log_probs: Matrix, chain: ChainParams) -> Matrix:
    """Posterior probability of each label for each sentence (forward-backward)."""
    unary, trans = potentials(log_probs, chain)
    n, k = unary.shape
    fwd = np.zeros((n, k))
    bwd = np.zeros((n, k))
    fwd[0] = unary[0]
    for t in range(1, n):
        fwd[t] = unary[t] + _logsumexp(fwd[t - 1][:, None] + trans, axis=0)
    for t in range(n - 2, -1, -1):
        bwd[t] = _logsumexp(trans + (unary[t + 1] + bwd[t + 1])[None, :], axis=1)
    joint = fwd + bwd
    joint -= _logsumexp(joint, axis=1)[:, None]
    return np.asarray(np.exp(joint))


@dataclass(frozen=True)
class StarLabeler:
    """Emission weights plus chain parameters; ``label`` runs the whole model on one answer."""

    index: dict[str, int]
    w_lex: Matrix  # (vocab, labels)
    w_dense: Matrix  # (dense, labels)
    w_emb: Matrix | None  # (embedding dim, labels) or None for the lexical-only model
    bias: Matrix
    chain: ChainParams
    presence_w: dict[str, tuple[Matrix, float]]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StarLabeler:
        if tuple(d["dense_names"]) != DENSE_NAMES:
            raise ModelUnavailableError("STAR labeler weights do not match this version's features")
        w_emb = d.get("w_emb")
        return cls(
            index={k: i for i, k in enumerate(d["vocab"])},
            w_lex=np.asarray(d["w_lex"], dtype=np.float64).reshape(len(d["vocab"]), len(LABELS)),
            w_dense=np.asarray(d["w_dense"], dtype=np.float64),
            w_emb=np.asarray(w_emb, dtype=np.float64) if w_emb is not None else None,
            bias=np.asarray(d["bias"], dtype=np.float64),
            chain=ChainParams.from_dict(d["chain"]),
            presence_w={p: (np.asarray(v["w"], dtype=np.float64), float(v["b"]))
                        for p, v in d.get("presence", {}).items()},
        )

    def log_probs(self, sentences: Sequence[str], emb: Matrix | None = None) -> Matrix:
        """Log p(label | sentence) from the logistic regression, one row per sentence."""
        keys, dense = answer_features(sentences)
        logits = np.asarray(dense, dtype=np.float64) @ self.w_dense + self.bias
        for i, ks in enumerate(keys):
            idx = [self.index[k] for k in ks if k in self.index]
            if idx:
                logits[i] += self.w_lex[idx].sum(axis=0)
        if self.w_emb is not None and emb is not None:
            logits += emb @ self.w_emb
        return np.asarray(logits - _logsumexp(logits, axis=1)[:, None])

    def label(self, sentences: Sequence[str], emb: Matrix | None = None) -> list[tuple[str, float]]:
        """(label, confidence) for each sentence, decoded jointly over the answer."""
        return self.run(sentences, emb)[0]

    def run(
        self, sentences: Sequence[str], emb: Matrix | None = None
    ) -> tuple[list[tuple[str, float]], dict[str, float]]:
        """Labels with confidences, and for situation/action/result the probability that the answer
        contains that part at all (from the answer-level presence detector)."""
        if not sentences:
            return [], {p: 0.0 for p in PRESENCE_PARTS}
        lp = self.log_probs(sentences, emb)
        path = viterbi(lp, self.chain)
        marg = marginals(lp, self.chain)
        labels = [(LABELS[y], round(float(marg[i, y]), 3)) for i, y in enumerate(path)]
        feats = np.asarray(presence_features(lp, marg, path))
        presence: dict[str, float] = {}
        for part in PRESENCE_PARTS:
            k = LABELS.index(part)
            if part in self.presence_w:
                w, b = self.presence_w[part]
                z = float(feats[presence_columns(k)] @ w + b)
                presence[part] = round(1.0 / (1.0 + float(np.exp(-z))), 4)
            else:
                presence[part] = 1.0 if k in path else 0.0
        return labels, presence


@lru_cache(maxsize=4)
def load_labeler(variant: str = "lex") -> StarLabeler:
    """The bundled labeler ("lex": lexical cues only; "emb": also uses sentence embeddings)."""
    try:
        ref = resources.files("starcoach.analysis").joinpath("weights/star_labeler.json")
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelUnavailableError(f"STAR labeler weights are missing or unreadable: {err}") from err
    models = data["models"]
    if variant not in models:
        raise ModelUnavailableError(f"no STAR labeler variant '{variant}' in the bundled weights")
    return StarLabeler.from_dict(models[variant])
