"""Spaced repetition of questions: a thin, pure wrapper around the ``fsrs`` package (FSRS v6).

Each question the user has answered is one card. The rating of a review comes from the answer's
score (:func:`rating_from_score`) unless the user overrides it, so weak answers come back soon and
strong ones drift away. Cards are plain dataclasses that round-trip through ``to_dict``.

Choices, and why:

- Day-scale steps. FSRS's default minute-scale steps suit flash cards drilled in one sitting; an
  interview answer is practiced once a day at most, so a new card goes straight to day-scale
  intervals (again/hard: 1 day, good: 2 days, easy: about 8 days, growing from there), and a
  lapse (again) on a well-known question brings it back the next day (one relearning step of a day).
- Fuzz comes from the ``rng`` argument, never from ``fsrs``'s own use of the global ``random``
  (fsrs's fuzzing is always off here). Without an ``rng`` there is no fuzz: tests stay exact.
- Time is always an argument (``now``), an aware datetime, stored in UTC.

This module does no I/O and reads no clock.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from starcoach.errors import InputError
from starcoach.ids import QuestionId

if TYPE_CHECKING:
    import fsrs

FUZZ_MIN_DAYS = 3  # intervals shorter than this are never fuzzed
FUZZ_FRACTION = 0.05  # up to +-5% of the interval, at least one day


class Rating(StrEnum):
    """How well a question was answered, in FSRS's four grades."""

    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"

    @property
    def grade(self) -> int:
        """FSRS's number for this rating (1-4)."""
        return _GRADES.index(self) + 1

    @classmethod
    def parse(cls, value: str) -> Rating:
        """A rating from 'again', 'hard', 'good', 'easy', their first letter, or 1-4."""
        key = value.strip().lower()
        for r in cls:
            if key in (r.value, r.value[0], str(r.grade)):
                return r
        raise InputError(f"unknown rating '{value}' (use again, hard, good or easy)")


_GRADES: tuple[Rating, ...] = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)

# Score bands (0-100) -> rating. An answer scoring under 40 is forgotten for scheduling purposes.
SCORE_BANDS: tuple[tuple[int, Rating], ...] = ((40, Rating.AGAIN), (60, Rating.HARD), (80, Rating.GOOD))


def rating_from_score(score: int) -> Rating:
    """The rating an answer's 0-100 score earns: <40 again, <60 hard, <80 good, else easy."""
    for upper, rating in SCORE_BANDS:
        if score < upper:
            return rating
    return Rating.EASY


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("scheduling needs aware datetimes (UTC)")
    return at.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """The scheduling state of one question. ``state`` is FSRS's: learning, review or relearning."""

    question_id: QuestionId
    card_id: int
    due: datetime
    state: int = 2
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    last_rating: Rating | None = None

    def interval_days(self) -> float | None:
        """Days between the last review and the due date (None before the first review)."""
        if self.last_review is None:
            return None
        return (self.due - self.last_review).total_seconds() / 86400

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "card_id": self.card_id,
            "due": self.due.isoformat(),
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "last_rating": self.last_rating.value if self.last_rating else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReviewCard:
        last = d.get("last_review")
        rating = d.get("last_rating")
        return cls(
            question_id=QuestionId(str(d["question_id"])),
            card_id=int(d["card_id"]),
            due=_utc(datetime.fromisoformat(str(d["due"]))),
            state=int(d.get("state", 2)),
            step=int(d["step"]) if d.get("step") is not None else None,
            stability=float(d["stability"]) if d.get("stability") is not None else None,
            difficulty=float(d["difficulty"]) if d.get("difficulty") is not None else None,
            last_review=_utc(datetime.fromisoformat(str(last))) if last else None,
            reps=int(d.get("reps", 0)),
            lapses=int(d.get("lapses", 0)),
            last_rating=Rating.parse(str(rating)) if rating else None,
        )


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """What one review did to a card (the review log)."""

    question_id: QuestionId
    rating: Rating
    reviewed_at: datetime
    due_before: datetime | None
    due_after: datetime
    stability_after: float | None
    difficulty_after: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "rating": self.rating.value,
            "reviewed_at": self.reviewed_at.isoformat(),
            "due_before": self.due_before.isoformat() if self.due_before else None,
            "due_after": self.due_after.isoformat(),
            "stability_after": self.stability_after,
            "difficulty_after": self.difficulty_after,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReviewEntry:
        before = d.get("due_before")
        return cls(
            question_id=QuestionId(str(d["question_id"])),
            rating=Rating.parse(str(d["rating"])),
            reviewed_at=_utc(datetime.fromisoformat(str(d["reviewed_at"]))),
            due_before=_utc(datetime.fromisoformat(str(before))) if before else None,
            due_after=_utc(datetime.fromisoformat(str(d["due_after"]))),
            stability_after=float(d["stability_after"]) if d.get("stability_after") is not None else None,
            difficulty_after=float(d["difficulty_after"]) if d.get("difficulty_after") is not None else None,
        )


def card_id_for(question_id: str) -> int:
    """A stable positive integer id for FSRS (which wants ints) derived from the question id."""
    return int.from_bytes(hashlib.sha256(question_id.encode("utf-8")).digest()[:6], "big")


@lru_cache(maxsize=1)
def _scheduler() -> fsrs.Scheduler:
    import fsrs

    return fsrs.Scheduler(learning_steps=(), relearning_steps=(timedelta(days=1),), enable_fuzzing=False)


def _to_fsrs(card: ReviewCard) -> fsrs.Card:
    import fsrs

    return fsrs.Card(
        card_id=card.card_id,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def new_card(question_id: QuestionId, now: datetime) -> ReviewCard:
    """A card never reviewed, due ``now``."""
    return ReviewCard(question_id=question_id, card_id=card_id_for(question_id), due=_utc(now), state=1)


def _fuzz(due: datetime, now: datetime, rng: random.Random | None) -> datetime:
    days = (due - now).total_seconds() / 86400
    if rng is None or days < FUZZ_MIN_DAYS:
        return due
    spread = max(1, round(days * FUZZ_FRACTION))
    return due + timedelta(days=rng.randint(-spread, spread))


def review(
    card: ReviewCard | None,
    question_id: QuestionId,
    rating: Rating,
    now: datetime,
    rng: random.Random | None = None,
) -> tuple[ReviewCard, ReviewEntry]:
    """Review ``card`` (a new one when None) with ``rating`` at ``now``; returns the new card and log.

    ``card`` itself is not changed. With ``rng``, intervals of three days or more get a little fuzz
    so that questions first practiced together do not keep coming back together.
    """
    import fsrs

    now = _utc(now)
    base = card if card is not None else new_card(question_id, now)
    updated, _log = _scheduler().review_card(_to_fsrs(base), fsrs.Rating(rating.grade), now)
    due = _fuzz(_utc(updated.due), now, rng)
    lapse = card is not None and card.reps > 0 and rating is Rating.AGAIN
    after = replace(
        base,
        due=due,
        state=int(updated.state),
        step=updated.step,
        stability=updated.stability,
        difficulty=updated.difficulty,
        last_review=now,
        reps=base.reps + 1,
        lapses=base.lapses + (1 if lapse else 0),
        last_rating=rating,
    )
    entry = ReviewEntry(
        question_id=question_id,
        rating=rating,
        reviewed_at=now,
        due_before=card.due if card is not None else None,
        due_after=due,
        stability_after=updated.stability,
        difficulty_after=updated.difficulty,
    )
    return after, entry


def retrievability(card: ReviewCard, now: datetime) -> float:
    """FSRS's estimate (0-1) that the answer is still fresh at ``now``."""
    return float(_scheduler().get_card_retrievability(_to_fsrs(card), _utc(now)))


def end_of_day(now: datetime, tz: tzinfo) -> datetime:
    """The first instant of the day after ``now``'s day in ``tz``, in UTC.

    A card is *due today* when it is due before this: practicing at 8:00 a question last answered
    at 9:00 yesterday with a one-day interval should not have to wait an hour.
    """
    local = now.astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(UTC)


def is_due(card: ReviewCard, horizon: datetime) -> bool:
    """Whether ``card`` is due at or before ``horizon`` (see :func:`end_of_day`)."""
    return card.due < _utc(horizon)
