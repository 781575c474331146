"""Is the answer about the question, and which of the question's talking points does it cover?

Relevance mixes three things: semantic similarity between the answer and the question (text plus its
talking points) from the embedder, the same similarity for every other question of the bundled bank
(an answer that sits closer to many other questions than to its own is probably off topic), and plain
content-word overlap, which is all that is left when no embedder is installed. Talking points with a
STAR-like label ("Outcome", "Reflection") are judged from the STAR labels and signals; other points by
word overlap and similarity with the best sentence, whose span is the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.embed import Embedder
from starcoach.analysis.questions import QuestionInfo, bank_questions
from starcoach.analysis.types import PointCoverage, Sentence

STOP = frozenset(
    [
        "a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
        "is", "was", "were", "be", "been", "being", "am", "are", "it", "its", "this", "that", "these",
        "those", "i", "we", "you", "he", "she", "they", "me", "us", "my", "our", "your", "his", "her",
        "their", "them", "what", "when", "where", "which", "who", "how", "why", "did", "do", "does",
        "done", "have", "has", "had", "can", "could", "would", "should", "will", "just", "so", "very",
        "really", "also", "about", "into", "out", "up", "down", "over", "than", "then", "there", "here",
        "some", "any", "all", "more", "most", "such", "one", "two", "not", "no", "yes", "tell", "time",
        "describe", "example", "give", "situation",
    ]
)
_STAR_POINTS = {
    "situation": "situation", "context": "situation", "background": "situation", "before": "situation",
    "starting point": "situation", "what happened": "situation",
    "task": "task", "goal": "task", "role": "task",
    "action": "action", "actions": "action", "approach": "action", "execution": "action",
    "result": "result", "outcome": "result", "impact": "result", "results": "result", "after": "result",
    "aftermath": "result", "resolution": "result",
}
_REFLECT_POINTS = ("reflection", "learning", "lesson", "lessons", "growth", "takeaway", "self-awareness")
POINT_COVERED_AT = 0.35


@dataclass(frozen=True, slots=True)
class Relevance:
    value: float  # 0..1
    semantic: float | None  # centred cosine with the question, None when no embedder
    lexical: float  # share of the question's content words found in the answer
    closer_questions: int  # bank questions the answer is closer to than to its own
    nearest_other: str | None  # text of the closest other bank question, when closer
    rank_share: float = 0.0  # share of (different) bank questions the answer is closer to


def stem(word: str) -> str:
    for suf in ("ingly", "ing", "edly", "ed", "ies", "es", "s", "ly", "ment", "ion"):
        if word.endswith(suf) and len(word) > len(suf) + 3:
            return word[: -len(suf)]
    return word


def content_words(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOP and len(w) > 2}


def question_text(q: QuestionInfo) -> str:
    return " ".join([q.text, *(f"{p.label} {p.text}" for p in q.points)])


@dataclass(frozen=True, eq=False)
class RelevanceMap:
    """Centring means and the ridge map from answer vectors to question vectors (train_relevance.py)."""

    answer_mean: NDArray[np.float64]
    question_mean: NDArray[np.float64]
    matrix: NDArray[np.float64]

    def answer(self, vec: NDArray[np.float64]) -> NDArray[np.float64]:
        return _unit(_unit(vec - self.answer_mean) @ self.matrix)

    def question(self, vecs: NDArray[np.float64]) -> NDArray[np.float64]:
        return _unit(vecs - self.question_mean)


@lru_cache(maxsize=1)
def load_map() -> RelevanceMap | None:
    """The bundled relevance map, or None when its file is missing or does not fit the embedder."""
    try:
        ref = resources.files("starcoach.analysis").joinpath("weights/relevance.npz")
        with ref.open("rb") as fh, np.load(fh) as data:
            return RelevanceMap(
                answer_mean=np.asarray(data["answer_mean"], dtype=np.float64),
                question_mean=np.asarray(data["question_mean"], dtype=np.float64),
                matrix=np.asarray(data["map"], dtype=np.float64),
            )
    except (OSError, KeyError, ValueError):
        return None


BankVectors = tuple[tuple[str, ...], tuple[str, ...], NDArray[np.float64]]
_BANK_CACHE: dict[int, tuple[Embedder, BankVectors]] = {}


def _bank_matrix(embedder: Embedder, rmap: RelevanceMap) -> BankVectors:
    """Ids, texts and mapped vectors of the bundled questions, computed once per embedder."""
    hit = _BANK_CACHE.get(id(embedder))
    if hit is not None and hit[0] is embedder:
        return hit[1]
    qs = bank_questions()
    vecs = rmap.question(embedder.embed([q.text for q in qs]))
    value = (tuple(str(q.id) for q in qs), tuple(q.text for q in qs), vecs)
    if len(_BANK_CACHE) > 4:
        _BANK_CACHE.clear()
    _BANK_CACHE[id(embedder)] = (embedder, value)
    return value


def _unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.asarray(v / np.where(n > 0, n, 1.0))


def relevance(answer: str, q: QuestionInfo, embedder: Embedder | None) -> Relevance:
    """How much the answer is about the question (see module docstring)."""
    q_words = content_words(q.text)
    a_words = content_words(answer)
    lexical = len(q_words & a_words) / len(q_words) if q_words else 0.5
    rmap = load_map()
    if embedder is None or not q.text or rmap is None or rmap.matrix.shape[0] != embedder.dim:
        return Relevance(min(1.0, 0.4 + lexical), None, round(lexical, 4), 0, None)
    ids, texts, bank = _bank_matrix(embedder, rmap)
    a_vec = rmap.answer(embedder.embed([answer])[0])
    own = rmap.question(embedder.embed([q.text]))[0]
    sims = bank @ a_vec
    own_sim = float(own @ a_vec)
    near_own = bank @ own
    others = [i for i in range(len(ids)) if ids[i] != q.id and near_own[i] < 0.75]
    closer = [i for i in others if sims[i] > own_sim]
    rank_share = len(closer) / max(1, len(others))
    value = 0.8 * (1.0 - rank_share) ** 1.5 + 0.2 * min(1.0, 2.0 * lexical) + 0.1
    nearest = max(closer, key=lambda i: (float(sims[i]), -i)) if closer else None
    return Relevance(
        value=float(min(1.0, max(0.0, value))),
        semantic=round(own_sim, 4),
        lexical=round(lexical, 4),
        closer_questions=len(closer),
        nearest_other=texts[nearest] if nearest is not None else None,
        rank_share=round(rank_share, 4),
    )


def _point_kind(label: str) -> str | None:
    low = label.strip().lower()
    if low in _STAR_POINTS:
        return _STAR_POINTS[low]
    if any(low.startswith(r) for r in _REFLECT_POINTS):
        return "reflection"
    return None


def _span_of(sents: Sequence[Sentence]) -> tuple[int, int]:
    return (sents[0].start, sents[-1].end)


def cover_points(
    q: QuestionInfo,
    sentences: Sequence[Sentence],
    reflection_spans: Sequence[tuple[int, int]],
    embedder: Embedder | None,
) -> list[PointCoverage]:
    """For each labeled talking point: covered or not, with the evidence span."""
    out: list[PointCoverage] = []
    vecs = embedder.embed([s.text for s in sentences]) if embedder is not None and sentences else None
    for p in q.points:
        kind = _point_kind(p.label)
        if kind == "reflection":
            ev = reflection_spans[0] if reflection_spans else None
            out.append(PointCoverage(p.label, p.text, ev is not None, ev))
            continue
        if kind is not None:
            part = [s for s in sentences if s.star == kind]
            out.append(PointCoverage(p.label, p.text, bool(part), _span_of(part) if part else None))
            continue
        out.append(_similar_point(p.label, p.text, sentences, vecs, embedder))
    return out


def _similar_point(
    label: str, text: str, sentences: Sequence[Sentence], vecs: NDArray[np.float64] | None,
    embedder: Embedder | None,
) -> PointCoverage:
    p_words = content_words(f"{label} {text}")
    best, best_i = 0.0, -1
    p_vec = embedder.embed([f"{label}: {text}"])[0] if embedder is not None and vecs is not None else None
    for i, s in enumerate(sentences):
        overlap = len(p_words & content_words(s.text)) / max(1, min(len(p_words), 5))
        sem = float(vecs[i] @ p_vec) if vecs is not None and p_vec is not None else 0.15
        score = 0.5 * overlap + max(0.0, sem)
        if score > best:
            best, best_i = score, i
    covered = best >= POINT_COVERED_AT and best_i >= 0
    ev = (sentences[best_i].start, sentences[best_i].end) if covered else None
    return PointCoverage(label, text, covered, ev)
