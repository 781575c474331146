"""Looking back over practice: the review queue, stored attempts, comparisons and progress.

A mixin of the Coach under ``PracticeService`` (which records the attempts these methods read). It
only reads: every write of an attempt or a review is in ``service.practice``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from starcoach import progress as progress_mod
from starcoach.errors import InputError, NotFoundError
from starcoach.review.records import Attempt, AttemptKind, AttemptStatus
from starcoach.review.schedule import ReviewCard, end_of_day, is_due
from starcoach.service.practice_data import PracticeDataService, plot_progress


@dataclass(frozen=True, slots=True)
class DueItem:
    question_id: str
    question: str
    due: datetime
    last_rating: str | None
    reps: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "question": self.question,
            "due": self.due.isoformat(),
            "last_rating": self.last_rating,
            "reps": self.reps,
        }


@dataclass(frozen=True, slots=True)
class DueReport:
    """What ``starcoach review`` shows: due now (by the end of the user's day) and the next ones."""

    now: datetime
    due: tuple[DueItem, ...]
    upcoming: tuple[DueItem, ...]
    cards: int
    never_practiced: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "due": [d.to_dict() for d in self.due],
            "upcoming": [d.to_dict() for d in self.upcoming],
            "cards": self.cards,
            "never_practiced": self.never_practiced,
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two attempts at one question side by side (``first`` is the older)."""

    first: Attempt
    second: Attempt
    score_change: int | None
    dimensions: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first.to_dict(),
            "second": self.second.to_dict(),
            "score_change": self.score_change,
            "dimensions": {k: list(v) for k, v in self.dimensions.items()},
        }


class HistoryService(PracticeDataService):
    """The review queue, history, comparisons and progress of the Coach."""

    def local_tz(self) -> tzinfo:
        """The user's time zone (the system's), used for "today" and day streaks."""
        tz = self.now().astimezone().tzinfo
        assert tz is not None
        return tz

    def due(self, upcoming: int = 10) -> DueReport:
        """Questions due by the end of today, and the next ``upcoming`` ones after that."""
        now = self.now()
        horizon = end_of_day(now, self.local_tz())
        texts = {q.id: q.text for q in self.all_questions()}
        cards = self.store.attempts.cards()

        def item(c: ReviewCard) -> DueItem:
            return DueItem(
                c.question_id,
                texts.get(c.question_id, c.question_id),
                c.due,
                c.last_rating.value if c.last_rating else None,
                c.reps,
            )

        due = tuple(item(c) for c in cards if is_due(c, horizon))
        later = tuple(item(c) for c in cards if not is_due(c, horizon))[:upcoming]
        practiced = {c.question_id for c in cards}
        return DueReport(now, due, later, len(cards), sum(1 for q in texts if q not in practiced))

    def next_due(self, question_id: str) -> datetime | None:
        """When the question comes back for review; None when it has never been answered."""
        card = self.store.attempts.card(question_id)
        return card.due if card is not None else None

    def history(
        self, question_id: str | None = None, limit: int | None = 50, include_follow_ups: bool = True
    ) -> list[Attempt]:
        """Stored attempts, newest first."""
        kinds = () if include_follow_ups else (AttemptKind.ANSWER, AttemptKind.RETRY)
        return self.store.attempts.find(question_id=question_id, kinds=kinds, limit=limit)

    def attempt(self, attempt_id: str) -> Attempt:
        """One attempt by id or unique id prefix."""
        return self.store.attempts.get(attempt_id)

    def compare(self, first: str, second: str | None = None) -> Comparison:
        """Two attempts at the same question; with one argument that is a question id, its first
        and latest scored answers."""
        if second is None:
            scored = [
                a
                for a in self.store.attempts.find(question_id=first, newest_first=False)
                if a.kind is not AttemptKind.FOLLOW_UP and a.status is AttemptStatus.SCORED
            ]
            if len(scored) < 2:
                raise NotFoundError(f"question '{first}' has fewer than two scored answers to compare")
            a, b = scored[0], scored[-1]
        else:
            a, b = sorted((self.attempt(first), self.attempt(second)), key=lambda x: x.submitted_at)
        if a.question_id != b.question_id:
            raise InputError(
                f"attempts {a.id} and {b.id} answer different questions; compare attempts at one question"
            )
        dims_a, dims_b = _dimension_scores(a), _dimension_scores(b)
        names = list(dict.fromkeys([*dims_a, *dims_b]))
        change = b.score - a.score if a.score is not None and b.score is not None else None
        return Comparison(a, b, change, {n: (dims_a.get(n), dims_b.get(n)) for n in names})

    def progress(self) -> progress_mod.Progress:
        """Trends, streaks and weak spots over every attempt."""
        topic_of = {q.id: topic for b in self.banks() if (topic := bank_topic(b.title))
                    for q in b.questions if q.type.value == "knowledge"}
        points = [
            _point(a, topic_of.get(a.question_id))
            for a in self.store.attempts.find(newest_first=False)
            if a.status is not AttemptStatus.PENDING
        ]
        ids = [q.id for q in self.all_questions()]
        return progress_mod.compute(points, ids, self.now(), self.local_tz())

    def plot_progress(self, path: Path) -> Path:
        """Draw the score trends to ``path`` (.png or .svg); needs the ``plot`` extra (matplotlib)."""
        return plot_progress(self.progress(), path)


def _dimension_scores(a: Attempt) -> dict[str, int]:
    """The 1-5 score of each analysis dimension of an attempt (none when it was not scored)."""
    return {str(k): int(v["score"]) for k, v in (a.analysis or {}).get("dimensions", {}).items()}


_TITLE_TAIL = re.compile(r"\s*[-:|]\s*(interview questions|questions)\s*$", re.IGNORECASE)


def bank_topic(title: str) -> str:
    """A day's title as a progress topic: 'Day 7: Statistics & Hypothesis Testing - Interview
    Questions' -> 'Day 7: Statistics & Hypothesis Testing'."""
    return _TITLE_TAIL.sub("", title).strip()


def _point(a: Attempt, topic: str | None = None) -> progress_mod.AttemptPoint:
    analysis = a.analysis or {}
    return progress_mod.AttemptPoint(
        at=a.submitted_at,
        question_id=a.question_id,
        competencies=a.competencies,
        score=a.score if a.status is AttemptStatus.SCORED else None,
        dimensions=_dimension_scores(a),
        missing=tuple(str(m) for m in analysis.get("missing", ())),
        kind=a.kind.value,
        question_type=a.question_type,
        topics=(topic,) if topic else (),
    )
