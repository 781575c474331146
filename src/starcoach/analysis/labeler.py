"""The STAR labeler: a linear-chain model over the sentences of one answer.

Emissions come from a multinomial logistic regression over TF-IDF weighted n-gram keys (ngrams.py:
words, bigrams, character n-grams, the neighbours' words) and the sentence's position; a learned
transition matrix (with start and end probabilities, scaled by ``alpha``) ties neighbouring sentences
together. Decoding is Viterbi; each sentence's confidence is its posterior marginal from
forward-backward. Whether a part is in the answer at all is decided by a small answer-level model per
part over the decoded path and marginals, calibrated on held-out repositories (so "missing" is said
only on evidence). Weights are arrays in ``weights/star_labeler.npz`` written by
``training/train_labeler.py`` through :func:`save_arrays`; inference needs numpy only.

Speed: the file is a compressed npz (2 MB; decompressing costs about 12 ms, in the preload thread)
whose vocabulary is a sorted fixed-width UTF-8 array, so loading builds no dictionary; keys are
found by binary search. A
token's own keys (word, character n-grams, as a neighbour) are looked up once per process and cached,
so an answer costs one search for its unseen tokens and one for its bigrams and openers. Each
sentence's indices come out in key order, exactly as the keys sort, so the sums (and the output) are
the same as summing over the sorted keys.

This replaces a model over hand-made cue lists that fitted our own writing and broke on other
people's answers (docs/labeler-comparison.md has the measured comparison).
"""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.ngrams import pair_keys, position_features, token_keys, tokens
from starcoach.errors import ModelUnavailableError

LABELS: tuple[str, ...] = ("situation", "task", "action", "result", "other")
PRESENCE_PARTS: tuple[str, ...] = ("situation", "action", "result")
Matrix = NDArray[np.float64]
WEIGHTS_FILE = "weights/star_labeler.npz"
TOKEN_CACHE_MAX = 200_000  # distinct tokens remembered per process (a few tens of MB at most)
Vocab = NDArray[np.bytes_]
Indices = NDArray[np.int64]
# A token's vocabulary indices: its own keys (found ones only), "pw:token" and "nw:token" (-1: absent)
TokenEntry = tuple[tuple[int, ...], int, int]


def vocab_array(vocab: object) -> Vocab:
    """The vocabulary as a fixed-width array of UTF-8 keys, from either the training form (one string,
    keys joined by newlines) or the stored form (already such an array)."""
    arr = np.asarray(vocab)
    if arr.ndim == 0:
        return np.asarray([k.encode() for k in str(arr.item()).split("\n")], dtype=np.bytes_)
    return np.asarray(arr, dtype=np.bytes_)


def save_arrays(target: str | io.BytesIO, arrays: Mapping[str, NDArray[np.generic]]) -> None:
    """Write labeler arrays in the shipped format: compressed npz (2 MB instead of 5; loading it costs
    about 12 ms more, in the background preload thread), vocabulary as a sorted array."""
    out = dict(arrays)
    vocab = vocab_array(out["vocab"])
    if len(vocab) > 1 and not bool(np.all(vocab[:-1] < vocab[1:])):
        raise ValueError("the labeler vocabulary must be sorted and free of duplicates")
    out["vocab"] = vocab
    np.savez_compressed(target, **out)  # type: ignore[arg-type]


def presence_features(log_probs: Matrix, marg: Matrix, path: Sequence[int], k: int,
                      probs: Matrix | None = None) -> list[float]:
    """Answer-level evidence that label ``k`` is in the answer: max emission, max marginal, on the
    Viterbi path, expected count (log), share of the path, the last sentence's marginal, and the log of
    the number of sentences. ``probs`` is ``exp(log_probs)`` when the caller has it already."""
    if probs is None:
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

    vocab: Vocab  # (vocab,) sorted UTF-8 keys
    idf: Matrix  # (vocab,)
    w_keys: Matrix  # (vocab, labels)
    w_pos: Matrix  # (position features, labels)
    bias: Matrix
    chain: ChainParams
    presence_w: dict[str, tuple[Matrix, float, float]]  # part -> (weights, bias, threshold)
    _tokens: dict[str, TokenEntry] = field(default_factory=dict, compare=False, repr=False)
    _pairs: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # bigram/opener -> index

    @classmethod
    def from_arrays(cls, a: Mapping[str, NDArray[np.generic]]) -> StarLabeler:
        vocab = vocab_array(a["vocab"])
        idf = np.asarray(a["idf"], dtype=np.float64)
        w_keys = np.asarray(a["w_keys"], dtype=np.float64)
        if len(vocab) > 1 and not bool(np.all(vocab[:-1] < vocab[1:])):
            order = np.argsort(vocab, kind="stable")
            vocab, idf, w_keys = vocab[order], idf[order], w_keys[order]
        presence = {}
        for part in PRESENCE_PARTS:
            if f"presence_{part}" in a:
                p = np.asarray(a[f"presence_{part}"], dtype=np.float64)
                presence[part] = (p[:-2], float(p[-2]), float(p[-1]))
        return cls(
            vocab=vocab,
            idf=idf,
            w_keys=w_keys,
            w_pos=np.asarray(a["w_pos"], dtype=np.float64),
            bias=np.asarray(a["bias"], dtype=np.float64),
            chain=ChainParams(np.asarray(a["log_start"], dtype=np.float64),
                              np.asarray(a["log_trans"], dtype=np.float64),
                              np.asarray(a["log_end"], dtype=np.float64), alpha=float(a["alpha"])),
            presence_w=presence,
        )

    def lookup(self, keys: Sequence[str]) -> Indices:
        """Vocabulary index of each key, -1 for keys the model has no weight for."""
        out = np.full(len(keys), -1, dtype=np.int64)
        width = self.vocab.dtype.itemsize
        enc = [k.encode() for k in keys]
        fits = [i for i, e in enumerate(enc) if len(e) <= width]  # a longer key cannot be in it
        if not fits or not len(self.vocab):
            return out
        q = np.asarray([enc[i] for i in fits], dtype=self.vocab.dtype)
        pos = np.searchsorted(self.vocab, q)
        clipped = np.minimum(pos, len(self.vocab) - 1)
        hit = (pos < len(self.vocab)) & (self.vocab[clipped] == q)
        out[np.asarray(fits, dtype=np.int64)[hit]] = pos[hit]
        return out

    def known_pair_share(self, toks: Sequence[str]) -> float:
        """Share of adjacent token pairs that are bigrams of the vocabulary (1.0 for fewer than two
        tokens): real word order finds many, shuffled words few."""
        keys = [f"b:{a}_{b}" for a, b in itertools.pairwise(toks)]
        return float(np.mean(self.lookup(keys) >= 0)) if keys else 1.0

    def _token_entries(self, toks: Iterable[str]) -> dict[str, TokenEntry]:
        """Each token's key indices: from the per-process cache, or looked up (in one search for
        all the new tokens) and remembered. Returns its own dict, so a concurrent caller clearing
        the cache cannot take an entry away mid-answer."""
        cache = self._tokens
        if len(cache) > TOKEN_CACHE_MAX:
            cache.clear()
        out: dict[str, TokenEntry] = {}
        new: list[str] = []
        for t in set(toks):
            hit = cache.get(t)
            if hit is None:
                new.append(t)
            else:
                out[t] = hit
        new.sort()  # one search in key order, whatever order the set gave
        per = [[*token_keys(t), f"pw:{t}", f"nw:{t}"] for t in new]
        found = self.lookup([k for ks in per for k in ks]).tolist()
        at = 0
        for t, ks in zip(new, per, strict=True):
            idx = found[at:at + len(ks)]
            at += len(ks)
            out[t] = cache[t] = (tuple(i for i in idx[:-2] if i >= 0), idx[-2], idx[-1])
        return out

    def _pair_indices(self, pairs: list[list[str]]) -> list[list[int]]:
        """Vocabulary index (-1: absent) of each sentence's bigram and opener keys: from the
        per-process cache, or looked up in one search for the keys not seen yet and remembered."""
        cache = self._pairs
        if len(cache) > TOKEN_CACHE_MAX:
            cache.clear()
        known: dict[str, int] = {}  # this answer's own view: a concurrent clear cannot take keys away
        new: list[str] = []
        for k in {k for ks in pairs for k in ks}:
            hit = cache.get(k)
            if hit is None:
                new.append(k)
            else:
                known[k] = hit
        if new:
            new.sort()
            for k, i in zip(new, self.lookup(new).tolist(), strict=True):
                known[k] = cache[k] = i
        return [[known[k] for k in ks] for ks in pairs]

    def key_indices(self, sentences: Sequence[str]) -> list[list[int]]:
        """Sorted vocabulary indices of each sentence's keys, neighbours' words included: the same
        set as looking up ``ngrams.answer_keys(sentences)``, in the same (key) order."""
        toks = [tokens(s) for s in sentences]
        entry = self._token_entries(t for ts in toks for t in ts)
        pairs = self._pair_indices([pair_keys(ts) for ts in toks])
        out: list[list[int]] = []
        last = len(toks) - 1
        for i, ts in enumerate(toks):
            idx = set(pairs[i])
            idx.update(*[entry[t][0] for t in ts])
            if i > 0:
                idx.update([entry[t][1] for t in toks[i - 1]])
            if i < last:
                idx.update([entry[t][2] for t in toks[i + 1]])
            idx.discard(-1)
            out.append(sorted(idx))
        return out

    def log_probs(self, sentences: Sequence[str]) -> Matrix:
        """Log p(label | sentence) from the logistic regression, one row per sentence."""
        n = len(sentences)
        pos = np.asarray([position_features(i, n) for i in range(n)], dtype=np.float64)
        logits = pos @ self.w_pos + self.bias
        for i, idx in enumerate(self.key_indices(sentences)):
            if idx:
                at = np.asarray(idx, dtype=np.intp)  # one conversion for both lookups below
                w = self.idf[at]
                logits[i] += (w / np.sqrt(float(w @ w))) @ self.w_keys[at]
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
        probs = np.exp(lp)
        return labels, {part: self._presence(part, lp, marg, path, probs) for part in PRESENCE_PARTS}

    def _presence(self, part: str, lp: Matrix, marg: Matrix, path: Sequence[int], probs: Matrix) -> float:
        k = LABELS.index(part)
        if part not in self.presence_w:
            return 1.0 if k in path else 0.0
        w, b, threshold = self.presence_w[part]
        z = float(np.asarray(presence_features(lp, marg, path, k, probs)) @ w + b)
        prob = 1.0 / (1.0 + float(np.exp(-z)))
        # Map the calibrated threshold to 0.5 so callers need no per-part constants.
        scaled = prob / (2 * threshold) if prob < threshold else 0.5 + (prob - threshold) / (2 * (1 - threshold))
        return round(scaled, 4)


_LOAD_LOCK = threading.Lock()  # analysis/preload.py may be loading it in another thread


def load_labeler() -> StarLabeler:
    """The bundled labeler, loaded once per process."""
    with _LOAD_LOCK:
        return _load_labeler()


@lru_cache(maxsize=1)
def _load_labeler() -> StarLabeler:
    try:
        with resources.as_file(resources.files("starcoach.analysis").joinpath(WEIGHTS_FILE)) as path, \
                np.load(path, allow_pickle=False) as arrays:
            return StarLabeler.from_arrays(dict(arrays))
    except (OSError, ValueError, KeyError) as err:
        raise ModelUnavailableError(f"STAR labeler weights are missing or unreadable: {err}") from err
