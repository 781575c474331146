"""The debrief of a mock interview, written the way an interviewer files one. Pure functions.

Per competency: a rating on a four-step scale with the user's own sentences quoted as evidence;
the strongest and the weakest moment of the interview; and an overall *inclined* / *not inclined*
with a confidence. Every judgment is derived from the analyses of the answers, so it can be traced
back to the words that caused it. No I/O, no clock.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starcoach.analysis.types import Analysis, Sentence
from starcoach.bank.model import Question

# Competency rating scale: (lowest average score, rating). A skipped answer counts as 0.
SCALE: tuple[tuple[int, str], ...] = ((80, "strong"), (65, "solid"), (45, "mixed"), (0, "weak"))
INCLINED_AT = 62  # the mean answer score at which an interviewer leans towards hiring
QUOTE_CHARS = 180


@dataclass(frozen=True, slots=True)
class MockAnswer:
    """One question of a mock interview with the analyses of its answers (None: skipped)."""

    question: Question
    analysis: Analysis | None
    follow_up: Analysis | None = None
    attempt_id: str | None = None


@dataclass(frozen=True, slots=True)
class CompetencyRating:
    competency: str
    rating: str
    score: int
    evidence: tuple[str, ...]
    gaps: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "competency": self.competency,
            "rating": self.rating,
            "score": self.score,
            "evidence": list(self.evidence),
            "gaps": list(self.gaps),
        }


@dataclass(frozen=True, slots=True)
class Moment:
    """A notable answer: which question, its score, a quote and what made it notable."""

    question_id: str
    question: str
    score: int
    quote: str
    why: str
    attempt_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "question": self.question,
            "score": self.score,
            "quote": self.quote,
            "why": self.why,
            "attempt_id": self.attempt_id,
        }


@dataclass(frozen=True, slots=True)
class Debrief:
    """The whole debrief. ``decision`` is 'inclined' or 'not inclined'; ``confidence`` is 0-1."""

    competencies: tuple[CompetencyRating, ...]
    strongest: Moment | None
    weakest: Moment | None
    decision: str
    confidence: float
    mean_score: int
    summary: str
    questions: int = 0
    answered: int = 0
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "competencies": [c.to_dict() for c in self.competencies],
            "strongest": self.strongest.to_dict() if self.strongest else None,
            "weakest": self.weakest.to_dict() if self.weakest else None,
            "decision": self.decision,
            "confidence": self.confidence,
            "mean_score": self.mean_score,
            "summary": self.summary,
            "questions": self.questions,
            "answered": self.answered,
            "notes": list(self.notes),
        }


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, in quotes."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def _best_sentence(analysis: Analysis, parts: Sequence[str]) -> Sentence | None:
    """The most confidently labeled sentence of the first STAR part in ``parts`` that has one."""
    for part in parts:
        found = [s for s in analysis.sentences if s.star == part]
        if found:
            return max(found, key=lambda s: (s.confidence, len(s.text)))
    return analysis.sentences[0] if analysis.sentences else None


def answer_score(item: MockAnswer) -> float:
    """The score of one question: its main answer's. A follow-up answer is judged on the probe it
    answers (analysis/probe.py), on another scale, so it is shown beside the answer, never averaged in."""
    return float(item.analysis.score if item.analysis is not None else 0)


def rating_for(score: float) -> str:
    for lowest, name in SCALE:
        if score >= lowest:
            return name
    return SCALE[-1][1]


def _evidence(items: Sequence[MockAnswer]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    evidence: list[str] = []
    gaps: list[str] = []
    for item in items:
        if item.analysis is None:
            gaps.append(f"no answer to “{item.question.text}”")
            continue
        best = _best_sentence(item.analysis, ("result", "action"))
        if best is not None:
            evidence.append(quote(best.text))
        gaps.extend(f"no {m} in the answer to “{item.question.text}”" for m in item.analysis.missing)
        if item.follow_up is not None:
            fu = _best_sentence(item.follow_up, ("result", "action", "other"))
            if fu is not None:
                evidence.append(quote(fu.text) + " (follow-up)")
    return tuple(evidence), tuple(gaps)


def rate_competencies(items: Sequence[MockAnswer]) -> tuple[CompetencyRating, ...]:
    """One rating per competency probed, weakest first."""
    by_comp: dict[str, list[MockAnswer]] = {}
    for item in items:
        for comp in item.question.competencies or ("general",):
            by_comp.setdefault(comp, []).append(item)
    out = []
    for comp, members in by_comp.items():
        score = statistics.fmean(answer_score(m) for m in members)
        evidence, gaps = _evidence(members)
        out.append(CompetencyRating(comp, rating_for(score), round(score), evidence, gaps))
    return tuple(sorted(out, key=lambda c: (c.score, c.competency)))


def _strongest(items: Sequence[MockAnswer]) -> Moment | None:
    scored = [i for i in items if i.analysis is not None]
    if not scored:
        return None
    best = max(scored, key=lambda i: (answer_score(i), -items.index(i)))
    assert best.analysis is not None
    sentence = _best_sentence(best.analysis, ("result", "action"))
    dims = best.analysis.dimensions
    top = max(dims, key=lambda d: dims[d].score) if dims else None
    why = f"{top}: {dims[top].why}" if top else "the highest score of the interview"
    return Moment(
        best.question.id,
        best.question.text,
        best.analysis.score,
        quote(sentence.text) if sentence else "",
        why,
        best.attempt_id,
    )


def _weakest(items: Sequence[MockAnswer]) -> Moment | None:
    if not items:
        return None
    worst = min(items, key=lambda i: (answer_score(i), items.index(i)))
    if worst.analysis is None:
        return Moment(worst.question.id, worst.question.text, 0, "", "no answer was given", worst.attempt_id)
    dims = worst.analysis.dimensions
    low = min(dims, key=lambda d: dims[d].score) if dims else None
    why = f"{low}: {dims[low].why}" if low else "the lowest score of the interview"
    if worst.analysis.suggestions:
        why += f" Next time: {worst.analysis.suggestions[0]}"
    sentence = _best_sentence(worst.analysis, ("action", "result", "situation"))
    return Moment(
        worst.question.id,
        worst.question.text,
        worst.analysis.score,
        quote(sentence.text) if sentence else "",
        why,
        worst.attempt_id,
    )


def confidence_of(scores: Sequence[float]) -> float:
    """How sure the decision is: far from the bar, consistent, and based on enough answers."""
    if not scores:
        return 0.0
    mean = statistics.fmean(scores)
    margin = min(1.0, abs(mean - INCLINED_AT) / 30)
    spread = statistics.pstdev(scores) if len(scores) > 1 else 15.0
    consistency = max(0.0, 1 - spread / 40)
    coverage = min(1.0, len(scores) / 4)
    raw = 0.5 + 0.45 * margin * (0.5 + 0.5 * consistency) * (0.4 + 0.6 * coverage)
    return round(min(0.95, raw), 2)


def debrief(items: Sequence[MockAnswer]) -> Debrief:
    """The interviewer-style debrief of a mock interview's answers."""
    scores = [answer_score(i) for i in items]
    mean = statistics.fmean(scores) if scores else 0.0
    comps = rate_competencies(items)
    weak = [c for c in comps if c.rating == "weak"]
    inclined = mean >= INCLINED_AT and len(weak) <= max(0, len(comps) // 4)
    decision = "inclined" if inclined else "not inclined"
    conf = confidence_of(scores)
    answered = sum(1 for i in items if i.analysis is not None)
    summary = (
        f"{decision.capitalize()} ({conf:.0%} confident): {answered} of {len(items)} questions answered, "
        f"mean score {mean:.0f}"
    )
    if weak:
        summary += f"; weak on {', '.join(c.competency for c in weak)}"
    notes = () if answered == len(items) else ("skipped questions count as a score of 0",)
    return Debrief(
        comps,
        _strongest(items),
        _weakest(items),
        decision,
        conf,
        round(mean),
        summary + ".",
        len(items),
        answered,
        notes,
    )
