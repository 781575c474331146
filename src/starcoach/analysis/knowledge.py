"""Grading an answer to a knowledge question (a technical question of the series) by its model answer.

``grade(answer, question)`` returns the same :class:`~starcoach.analysis.types.Analysis` as the
behavioral analyzer, filled the way a teacher marks a technical answer:

- ``points``: which key points (the model answer's bullets) the answer covers, with the evidence span.
  A point counts when a sentence (or two neighbouring ones) shares enough of its distinctive words,
  or says the same thing in other words (static embeddings, when installed); a bare keyword does not.
- ``misconceptions``: statements that contradict a point: a claim the model answer denies, a term
  swapped with its sibling ("type I is failing to reject a false null"), an opposite word ("known"
  for "unknown"), a different complexity. Each costs more than a missing point.
- ``dimensions``: coverage, correctness, precision (the terms of the field), structure, concision.
- ``follow_ups`` probe the first wrong or missed point.

There are no STAR, ownership or story-length rules here: ``missing`` is always empty and every
sentence is labeled ``other``. Pure and deterministic; the embedder is optional.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from starcoach.analysis import knowledge_rules as rules
from starcoach.analysis.embed import Embedder
from starcoach.analysis.keypoints import KeyPoint, key_points, plain, terms
from starcoach.analysis.segment import split_sentences
from starcoach.analysis.types import (
    Analysis,
    Flag,
    Misconception,
    PointCoverage,
    QuestionRef,
    Sentence,
    Span,
)
from starcoach.bank.model import Question

WPM = 130  # speaking pace used for ``speaking_seconds``
COVER_AT = 0.42  # a window covers a point from this match score (chosen on data/knowledge, see README)
SEM_FLOOR, SEM_SPAN = 0.40, 0.45  # cosine below the floor adds nothing; floor + span adds the full share
LEX_SHARE = 0.7  # weight of the word match in the match score (the rest: embedding similarity)
MISCONCEPTION_COST = 1.5  # a wrong statement costs this many missing points (and at least MIN_COST)
MIN_COST = 18.0
PAIR_COST = 0.05


@dataclass(frozen=True, slots=True)
class Window:
    """One or two neighbouring sentences (or one clause): the unit a point is matched against."""

    start: int
    end: int
    text: str
    terms: frozenset[str]
    words: int
    elsewhere: frozenset[int] = frozenset()  # points it cannot be evidence for (it names a sibling instead)


@dataclass(frozen=True, slots=True)
class Match:
    """The best window for one key point."""

    score: float
    window: Window | None


def _windows(text: str, spans: Sequence[Span], kps: Sequence[KeyPoint]) -> list[Window]:
    labeled = rules.named_points(kps)

    def make(a: int, b: int) -> Window:
        chunk = text[a:b]
        ct = terms(chunk)
        named = {kp.index for kp in rules.names_in(chunk, ct, labeled)}
        other = frozenset(kp.index for kp, _ in labeled if kp.index not in named) if named else frozenset()
        return Window(a, b, chunk, ct, len(chunk.split()), other)

    out = [make(s.start, s.end) for s in spans]
    out += [make(x.start, y.end) for x, y in pairwise(spans)]
    return out


ASIDE_WEIGHT = 0.3  # a word that only appears in a parenthesised example or aside


def _weights(kps: Sequence[KeyPoint]) -> dict[str, float]:
    """Words shared by many points of the question say less about any one of them; words of asides
    ("(Convicting an innocent person)") less than the claim itself."""
    df: dict[str, int] = {}
    for kp in kps:
        for t in kp.terms:
            df[t] = df.get(t, 0) + 1
    aside = {t for kp in kps for t in kp.aside} - {t for kp in kps for t in kp.terms - kp.aside}
    return {t: (ASIDE_WEIGHT if t in aside else 1.0) / n**0.5 for t, n in df.items()}


def lexical(kp_terms: frozenset[str], window_terms: frozenset[str], w: dict[str, float]) -> tuple[float, int]:
    """Weighted share of the point's words the window uses, and how many it uses."""
    hits = [t for t in kp_terms if rules.has_term(t, window_terms)]
    total = sum(w.get(t, 1.0) for t in kp_terms)
    return (sum(w.get(t, 1.0) for t in hits) / total if total else 0.0), len(hits)


def _match(kp: KeyPoint, windows: Sequence[Window], sims: list[float] | None, w: dict[str, float],
           pairs_from: int) -> Match:
    best = Match(0.0, None)
    for i, win in enumerate(windows):
        if kp.index in win.elsewhere:
            continue  # it names a sibling point and not this one: 'type I is ...' is no evidence for type II
        lex, hits = lexical(kp.terms, win.terms, w)
        sem = max(0.0, min(1.0, ((sims[i] if sims else 0.0) - SEM_FLOOR) / SEM_SPAN))
        score = LEX_SHARE * lex + (1 - LEX_SHARE) * sem if sims else lex
        if hits < min(2, len(kp.terms)) or win.words < 4:
            score = min(score, COVER_AT - 0.01)  # a bare keyword is not an explanation
        if i >= pairs_from:
            score -= PAIR_COST  # two sentences must do clearly better than one to be the evidence
        if score > best.score + 1e-9:
            best = Match(score, win)
    return best


def _similarities(emb: Embedder | None, kps: Sequence[KeyPoint], windows: Sequence[Window]) -> list[list[float]] | None:
    if emb is None or not windows:
        return None
    a = emb.embed([kp.plain for kp in kps])
    b = emb.embed([w.text for w in windows])
    sims: list[list[float]] = np.asarray(a @ b.T, dtype=np.float64).round(6).tolist()
    return sims


@dataclass(frozen=True, slots=True)
class Graded:
    """What grading found, before it is turned into an Analysis."""

    kps: tuple[KeyPoint, ...]
    matches: tuple[Match, ...]
    covered: tuple[bool, ...]
    wrong: tuple[Misconception, ...]
    relevance: float  # 0..1, how close the whole answer is to the whole model answer

    def coverage(self) -> float:
        total = sum(kp.weight for kp in self.kps)
        return sum(kp.weight for kp, c in zip(self.kps, self.covered, strict=True) if c) / total if total else 0.0


def assess(text: str, question: Question, emb: Embedder | None) -> tuple[Graded, list[Span]]:
    """Match the answer against the key points and look for contradictions."""
    kps = key_points(question.points)
    spans = split_sentences(text)
    windows = _windows(text, spans, kps)
    sims = _similarities(emb, kps, windows)
    w = _weights(kps)
    wrong = tuple(rules.misconceptions(text, spans, kps, w, terms(plain(question.text))))
    # A wrong statement is no evidence for any point, however many of its words it shares.
    usable = [i for i, win in enumerate(windows) if not any(win.start < m.end and m.start < win.end for m in wrong)]
    windows = [windows[i] for i in usable]
    sims = [[row[i] for i in usable] for row in sims] if sims else None
    pairs_from = sum(1 for i in usable if i < len(spans))
    matches = tuple(_match(kp, windows, sims[i] if sims else None, w, pairs_from) for i, kp in enumerate(kps))
    contradicted = {m.point for m in wrong}
    covered = tuple(m.score >= COVER_AT and kp.index not in contradicted for kp, m in zip(kps, matches, strict=True))
    return Graded(kps, matches, covered, wrong, _relevance(text, kps, emb)), spans


def _relevance(text: str, kps: Sequence[KeyPoint], emb: Embedder | None) -> float:
    model = " ".join(kp.plain for kp in kps)
    if not model:
        return 0.0
    mine, theirs = terms(text), terms(model)
    lex = len([t for t in theirs if rules.has_term(t, mine)]) / max(1, len(theirs))
    if emb is None:
        return lex
    cos = float(np.asarray(emb.embed([text, model]), dtype=np.float64).prod(axis=0).sum())
    return 0.5 * lex + 0.5 * max(0.0, min(1.0, (cos - 0.3) / 0.5))


def grade(answer: str, question: Question, embedder: Embedder | None) -> Analysis:
    """Grade ``answer`` (already validated) against the knowledge question's model answer."""
    from starcoach.analysis import knowledge_report as report

    g, spans = assess(answer, question, embedder)
    words = len(answer.split())
    dims = report.dimensions(answer, question, g, spans, words)
    return Analysis(
        question=QuestionRef(question.id, question.text, "knowledge"),
        score=report.score(g, dims),
        sentences=tuple(Sentence(s.text, s.start, s.end, "other", 0.0) for s in spans),
        missing=(),
        dimensions=dims,
        points=tuple(_coverage(kp, m, c) for kp, m, c in zip(g.kps, g.matches, g.covered, strict=True)),
        flags=tuple(Flag("misconception", m.text, m.start, m.end) for m in g.wrong),
        words=words,
        speaking_seconds=round(words / WPM * 60),
        suggestions=tuple(report.suggestions(g)),
        follow_ups=tuple(report.follow_ups(g, question.follow_ups)),
        signals={"coverage": round(g.coverage(), 3), "relevance": round(g.relevance, 3),
                 "match": [round(m.score, 3) for m in g.matches]},
        skipped=() if embedder is not None else ("points-semantic",),
        misconceptions=g.wrong,
        model_answer=model_answer(question),
    )


def _coverage(kp: KeyPoint, m: Match, covered: bool) -> PointCoverage:
    evidence = (m.window.start, m.window.end) if covered and m.window else None
    return PointCoverage(label=kp.label, text=kp.text, covered=covered, evidence=evidence)


def model_answer(question: Question) -> str:
    """The model answer's bullets as Markdown (labels bold), for display after submitting."""
    lines = []
    for p in question.points:
        body = p.text.replace("\n", "\n    ")
        lines.append(f"* **{p.label}**: {body}" if p.label else f"* {body}")
    return "\n".join(lines)


def gist(kp: KeyPoint, most: int = 6) -> str:
    """A short name for a point: its label, else its first words."""
    if kp.label:
        return plain(kp.label)
    ws = re.findall(r"[\w'$().=/+-]+", plain(kp.text))
    return " ".join(ws[:most]) + (" ..." if len(ws) > most else "")
