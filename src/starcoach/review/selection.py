"""Which questions to practice next, and which to ask in a mock interview. Pure functions.

A practice session takes, in this order:

1. **due** questions: cards due by the horizon (end of the user's day), the worst last answer first,
   then the longest overdue;
2. questions of the **weakest competencies**: competencies whose practiced answers score lowest on
   average (below :data:`WEAK_BELOW`), weakest first and taking turns between them; within one,
   a question never practiced first, else the one answered worst;
3. **new** questions never practiced, taking turns between competencies, in an order drawn from
   ``rng``;
4. anything else, the soonest due first, so that a request for more questions is always met.

This module does no I/O and reads no clock; ``horizon`` and ``rng`` are arguments.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starcoach.bank.model import Question, QuestionType
from starcoach.ids import QuestionId
from starcoach.review.schedule import ReviewCard, is_due

WEAK_BELOW = 70  # a competency averaging under this score is "weak"


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """What the history says about one question: its scored main answers, oldest first."""

    question_id: QuestionId
    scores: tuple[int, ...]
    last_at: datetime | None = None

    @property
    def last_score(self) -> int | None:
        return self.scores[-1] if self.scores else None

    @property
    def mean(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


@dataclass(frozen=True, slots=True)
class Pick:
    """One chosen question and why it was chosen (``reason``: due, weak, new or more)."""

    question: Question
    reason: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question.to_dict(), "reason": self.reason, "detail": self.detail}


def competency_means(questions: Iterable[Question], stats: Mapping[str, QuestionStats]) -> dict[str, float]:
    """Average last score per competency over the questions practiced so far."""
    sums: dict[str, list[int]] = {}
    for q in questions:
        st = stats.get(q.id)
        if st is None or st.last_score is None:
            continue
        for c in q.competencies:
            sums.setdefault(c, []).append(st.last_score)
    return {c: sum(v) / len(v) for c, v in sums.items()}


def _due_picks(
    questions: Sequence[Question],
    cards: Mapping[str, ReviewCard],
    stats: Mapping[str, QuestionStats],
    horizon: datetime,
) -> list[Pick]:
    due = [q for q in questions if q.id in cards and is_due(cards[q.id], horizon)]

    def key(q: Question) -> tuple[int, datetime]:
        last = stats[q.id].last_score if q.id in stats else None
        return (last if last is not None else 101, cards[q.id].due)

    picks = []
    for q in sorted(due, key=key):
        last = stats[q.id].last_score if q.id in stats else None
        when = cards[q.id].due.strftime("%b %d")
        detail = f"due {when}" + (f", last score {last}" if last is not None else "")
        picks.append(Pick(q, "due", detail))
    return picks


def _round_robin(groups: Sequence[tuple[str, list[Question]]]) -> list[tuple[str, Question]]:
    """Take one question from each group in turn until all are empty."""
    queues = [(name, list(items)) for name, items in groups]
    out: list[tuple[str, Question]] = []
    while any(items for _, items in queues):
        for name, items in queues:
            if items:
                out.append((name, items.pop(0)))
    return out


def _weak_picks(
    questions: Sequence[Question], stats: Mapping[str, QuestionStats], rng: random.Random
) -> list[Pick]:
    means = competency_means(questions, stats)
    weak = sorted((m, c) for c, m in means.items() if m < WEAK_BELOW)
    groups: list[tuple[str, list[Question]]] = []
    for _, comp in weak:
        members = [q for q in questions if comp in q.competencies]
        fresh = [q for q in members if q.id not in stats]
        rng.shuffle(fresh)
        seen = sorted((q for q in members if q.id in stats), key=lambda q: stats[q.id].last_score or 0)
        groups.append((comp, fresh + seen))
    return [
        Pick(q, "weak", f"weak competency: {comp} (average {means[comp]:.0f})")
        for comp, q in _round_robin(groups)
    ]


def _new_picks(
    questions: Sequence[Question], stats: Mapping[str, QuestionStats], rng: random.Random
) -> list[Pick]:
    fresh = [q for q in questions if q.id not in stats]
    rng.shuffle(fresh)
    by_comp: dict[str, list[Question]] = {}
    for q in fresh:
        by_comp.setdefault(q.competencies[0] if q.competencies else "", []).append(q)
    order = sorted(by_comp)
    rng.shuffle(order)
    return [Pick(q, "new", "never practiced") for _, q in _round_robin([(c, by_comp[c]) for c in order])]


def _rest_picks(questions: Sequence[Question], cards: Mapping[str, ReviewCard]) -> list[Pick]:
    rest = sorted((q for q in questions if q.id in cards), key=lambda q: cards[q.id].due)
    return [Pick(q, "more", f"next due {cards[q.id].due.strftime('%b %d')}") for q in rest]


def choose_questions(
    questions: Sequence[Question],
    cards: Mapping[str, ReviewCard],
    stats: Mapping[str, QuestionStats],
    horizon: datetime,
    count: int,
    rng: random.Random,
) -> list[Pick]:
    """Up to ``count`` distinct questions from ``questions``, chosen in the order of the docstring."""
    chosen: list[Pick] = []
    seen: set[str] = set()
    for picks in (
        _due_picks(questions, cards, stats, horizon),
        _weak_picks(questions, stats, rng),
        _new_picks(questions, stats, rng),
        _rest_picks(questions, cards),
    ):
        for p in picks:
            if len(chosen) >= count:
                return chosen
            if p.question.id not in seen:
                seen.add(p.question.id)
                chosen.append(p)
    return chosen


def choose_mock(questions: Sequence[Question], count: int, rng: random.Random) -> list[Pick]:
    """``count`` questions for a mock interview, each probing a different competency when possible.

    Story questions come first (an interviewer wants stories); competencies are drawn at random,
    and only when every competency has had a question does one come round again.
    """
    pool = [q for q in questions if q.competencies and q.type is QuestionType.STORY]
    pool = pool or [q for q in questions if q.type is not QuestionType.CLOSING] or list(questions)
    shuffled = list(pool)
    rng.shuffle(shuffled)
    chosen: list[Pick] = []
    used_q: set[str] = set()
    used_c: set[str] = set()
    while len(chosen) < count and len(used_q) < len(shuffled):
        fresh = [q for q in shuffled if q.id not in used_q and not set(q.competencies) & used_c]
        if not fresh:
            used_c.clear()
            continue
        q = fresh[0]
        used_q.add(q.id)
        used_c.update(q.competencies)
        chosen.append(Pick(q, "mock", f"probes {', '.join(q.competencies) or 'general fit'}"))
    return chosen
