"""The STAR labeler: a linear-chain model over the sentences of one answer.

Emissions come from a multinomial logistic regression over TF-IDF weighted n-gram keys (ngrams.py:
words, bigrams, character n-grams, the neighbours' words) and the sentence's position; a learned
transition matrix (with start and end probabilities, scaled by ``alpha``) ties neighbouring sentences
together. Decoding is Viterbi; each sentence's confidence is its posterior marginal from
forward-backward. Whether a part is in the answer at all is decided by a small answer-level model per
part over the decoded path and marginals, calibrated on held-out repositories (so "missing" is said
only on evidence). Weights are arrays in ``weights/star_labeler.npz`` written by
``training/train_labeler.py``; inference needs numpy only.

This replaces a model over hand-made cue lists that fitted our own writing and broke on other
people's answers (docs/labeler-comparison.md has the measured comparison).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.ngrams import answer_keys, position_features
from starcoach.errors import ModelUnavailableError

LABELS: tuple[str, ...] = ("situation", "task", "action", "result", "other")
PRESENCE_PARTS: tuple[str, ...] = ("situation", "action", "result")
Matrix = NDArray[np.float64]
WEIGHTS_FILE = "weights/star_labeler.npz"


def presence_features(log_probs: Matrix, marg: Matrix, path: Sequence[int], k: int) -> list[float]:
    """Answer-level evidence that label ``k`` is in the answer: max emission, max marginal, on the
    Viterbi path, expected count (log), share of the path, the last sentence's marginal, and the log of
    the number of sentences."""
    probs = np.exp(log_probs)
    n = len(path)
    return [float(probs[:, k].max()), float(marg[:, k].max()), float(k in path),
            float(np.log1p(marg[:, k].sum())), sum(1 for y in path if y == k) / n,
            float(marg[-1, k]), float(np.log(n))]


@dataclass(frozen=True)
class ChainParams:
    """Sequence parameters: log start/transition/end probabilities and the transition weight."""

    log_start: Matrix
    log_trans: Matrix
    log_end: Matrix
    alpha: float


def _logsumexp(x: Matrix, axis: int) -> Matrix:
    m = np.max(x, axis=axis, keepdims=True)
    return np.asarray(np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis)))


def potentials(log_probs: Matrix, chain: ChainParams) -> tuple[Matrix, Matrix]:
    """Per-sentence unary scores and the scaled transition matrix."""
    unary = log_probs.copy()
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
    """Emission weights, chain parameters and presence detectors; ``run`` labels one answer."""

    index: dict[str, int]
    idf: Matrix  # (vocab,)
    w_keys: Matrix  # (vocab, labels)
    w_pos: Matrix  # (position features, labels)
    bias: Matrix
    chain: ChainParams
    presence_w: dict[str, tuple[Matrix, float, float]]  # part -> (weights, bias, threshold)

    @classmethod
    def from_arrays(cls, a: Mapping[str, NDArray[np.generic]]) -> StarLabeler:
        vocab = str(a["vocab"].item()).split("\n")
        presence = {}
        for part in PRESENCE_PARTS:
            if f"presence_{part}" in a:
                p = np.asarray(a[f"presence_{part}"], dtype=np.float64)
                presence[part] = (p[:-2], float(p[-2]), float(p[-1]))
        return cls(
            index={k: i for i, k in enumerate(vocab)},
            idf=np.asarray(a["idf"], dtype=np.float64),
            w_keys=np.asarray(a["w_keys"], dtype=np.float64),
            w_pos=np.asarray(a["w_pos"], dtype=np.float64),
            bias=np.asarray(a["bias"], dtype=np.float64),
            chain=ChainParams(np.asarray(a["log_start"], dtype=np.float64),
                              np.asarray(a["log_trans"], dtype=np.float64),
                              np.asarray(a["log_end"], dtype=np.float64), alpha=float(a["alpha"])),
            presence_w=presence,
        )

    def log_probs(self, sentences: Sequence[str]) -> Matrix:
        """Log p(label | sentence) from the logistic regression, one row per sentence."""
        n = len(sentences)
        pos = np.asarray([position_features(i, n) for i in range(n)], dtype=np.float64)
        logits = pos @ self.w_pos + self.bias
        for i, ks in enumerate(answer_keys(sentences)):
            idx = [self.index[k] for k in ks if k in self.index]
            if idx:
                w = self.idf[idx]
                logits[i] += (w / np.sqrt(float(w @ w))) @ self.w_keys[idx]
        return np.asarray(logits - _logsumexp(logits, axis=1)[:, None])

    def run(self, sentences: Sequence[str]) -> tuple[list[tuple[str, float]], dict[str, float]]:
        """(label, confidence) per sentence, decoded jointly, and for situation/action/result the
        probability that the answer contains that part at all, rescaled so that 0.5 is the
        calibrated threshold for calling it missing."""
        if not sentences:
            return [], {p: 0.0 for p in PRESENCE_PARTS}
        lp = self.log_probs(sentences)
        path = viterbi(lp, self.chain)
        marg = marginals(lp, self.chain)
        labels = [(LABELS[y], round(float(marg[i, y]), 3)) for i, y in enumerate(path)]
        return labels, {part: self._presence(part, lp, marg, path) for part in PRESENCE_PARTS}

    def _presence(self, part: str, lp: Matrix, marg: Matrix, path: Sequence[int]) -> float:
        k = LABELS.index(part)
        if part not in self.presence_w:
            return 1.0 if k in path else 0.0
        w, b, threshold = self.presence_w[part]
        z = float(np.asarray(presence_features(lp, marg, path, k)) @ w + b)
        prob = 1.0 / (1.0 + float(np.exp(-z)))
        # Map the calibrated threshold to 0.5 so callers need no per-part constants.
        scaled = prob / (2 * threshold) if prob < threshold else 0.5 + (prob - threshold) / (2 * (1 - threshold))
        return round(scaled, 4)


@lru_cache(maxsize=1)
def load_labeler() -> StarLabeler:
    """The bundled labeler."""
    try:
        raw = resources.files("starcoach.analysis").joinpath(WEIGHTS_FILE).read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            return StarLabeler.from_arrays(dict(arrays))
    except (OSError, ValueError, KeyError) as err:
        raise ModelUnavailableError(f"STAR labeler weights are missing or unreadable: {err}") from err
