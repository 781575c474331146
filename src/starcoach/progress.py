"""Progress over time, computed from attempt records: trends, streaks and weak spots. Pure.

The service turns stored attempts into :class:`AttemptPoint` values and calls :func:`compute`;
this module does no I/O, reads no clock (``now`` and the user's time zone are arguments) and knows
nothing about storage or rendering.

Definitions, so that every number can be explained:

- a *trend* is the mean score per day; its *change* is the mean of the last three scored answers
  minus the mean of the first three (0 with fewer than two answers);
- a *streak* is a run of consecutive local days with at least one answer given (skips do not count);
  the current streak is still alive if the last such day is today or yesterday;
- the *weakest* competency and dimension have the lowest mean over the last :data:`RECENT` answers;
- the weakest STAR part is the one most often missing from scored answers to story questions.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result")
RECENT = 10
ENDS = 3  # answers averaged at each end of a trend


@dataclass(frozen=True, slots=True)
class AttemptPoint:
    """What progress needs to know about one attempt. ``score`` is None for a skipped answer."""

    at: datetime
    question_id: str
    competencies: tuple[str, ...]
    score: int | None
    dimensions: Mapping[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    kind: str = "answer"
    question_type: str = "story"
    topics: tuple[str, ...] = ()  # knowledge questions: the day they come from ('Day 7: Statistics ...')


@dataclass(frozen=True, slots=True)
class Trend:
    """One series (a competency, a dimension, or everything) over days."""

    name: str
    points: tuple[tuple[date, float], ...]  # (local day, mean that day)
    count: int
    mean: float
    change: float
    recent_mean: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": [[d.isoformat(), round(v, 2)] for d, v in self.points],
            "count": self.count,
            "mean": round(self.mean, 2),
            "change": round(self.change, 2),
            "recent_mean": round(self.recent_mean, 2),
        }


@dataclass(frozen=True, slots=True)
class Progress:
    """Everything ``starcoach progress`` shows."""

    attempts: int
    scored: int
    skipped: int
    days_practiced: int
    current_streak: int
    longest_streak: int
    overall: Trend | None
    competencies: tuple[Trend, ...]
    dimensions: tuple[Trend, ...]
    weakest_competency: str | None
    weakest_dimension: str | None
    weakest_star: str | None
    star_missing_rate: dict[str, float]
    never_practiced: tuple[str, ...]
    topics: tuple[Trend, ...] = ()  # knowledge questions, per day of the series

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "scored": self.scored,
            "skipped": self.skipped,
            "days_practiced": self.days_practiced,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "overall": self.overall.to_dict() if self.overall else None,
            "competencies": [t.to_dict() for t in self.competencies],
            "dimensions": [t.to_dict() for t in self.dimensions],
            "weakest_competency": self.weakest_competency,
            "weakest_dimension": self.weakest_dimension,
            "weakest_star": self.weakest_star,
            "star_missing_rate": {k: round(v, 3) for k, v in self.star_missing_rate.items()},
            "never_practiced": list(self.never_practiced),
            "topics": [t.to_dict() for t in self.topics],
            "weakest_topic": _weakest(self.topics),
        }


def trend(name: str, samples: Sequence[tuple[datetime, float]], tz: tzinfo) -> Trend:
    """The daily-mean trend of ``samples`` (time, value), oldest first."""
    ordered = sorted(samples, key=lambda s: s[0])
    by_day: dict[date, list[float]] = {}
    for at, value in ordered:
        by_day.setdefault(at.astimezone(tz).date(), []).append(value)
    values = [v for _, v in ordered]
    change = 0.0
    if len(values) >= 2:
        k = min(ENDS, len(values) // 2)
        change = statistics.fmean(values[-k:]) - statistics.fmean(values[:k])
    return Trend(
        name=name,
        points=tuple((d, statistics.fmean(v)) for d, v in sorted(by_day.items())),
        count=len(values),
        mean=statistics.fmean(values) if values else 0.0,
        change=change,
        recent_mean=statistics.fmean(values[-RECENT:]) if values else 0.0,
    )


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days in ``days``; current counts from today or yesterday."""
    ordered = sorted(set(days))
    longest = run = 0
    prev: date | None = None
    for d in ordered:
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        longest = max(longest, run)
        prev = d
    if prev is None or (today - prev).days > 1:
        return 0, longest
    return run, longest


def _weakest(trends: Sequence[Trend]) -> str | None:
    candidates = [t for t in trends if t.count]
    return min(candidates, key=lambda t: (t.recent_mean, t.name)).name if candidates else None


def star_missing_rates(points: Sequence[AttemptPoint]) -> dict[str, float]:
    """For each STAR part, the share of scored story answers that miss it."""
    story = [
        p for p in points if p.score is not None and p.question_type == "story" and p.kind != "follow_up"
    ]
    if not story:
        return {}
    return {part: sum(part in p.missing for p in story) / len(story) for part in STAR_PARTS}


def _weakest_star(rates: Mapping[str, float]) -> str | None:
    if not rates or max(rates.values()) == 0:
        return None
    order = {part: i for i, part in enumerate(reversed(STAR_PARTS))}  # ties: result before action...
    return min(rates, key=lambda part: (-rates[part], order[part]))


def compute(
    points: Sequence[AttemptPoint], all_question_ids: Sequence[str], now: datetime, tz: tzinfo
) -> Progress:
    """Progress from every attempt (any order); ``all_question_ids`` lists the bank in display order."""
    scored = [p for p in points if p.score is not None]
    comp_samples: dict[str, list[tuple[datetime, float]]] = {}
    dim_samples: dict[str, list[tuple[datetime, float]]] = {}
    topic_samples: dict[str, list[tuple[datetime, float]]] = {}
    for p in scored:
        assert p.score is not None
        for c in p.competencies:
            comp_samples.setdefault(c, []).append((p.at, float(p.score)))
        for t in p.topics:
            topic_samples.setdefault(t, []).append((p.at, float(p.score)))
        for d, v in p.dimensions.items():
            dim_samples.setdefault(d, []).append((p.at, float(v)))
    comps = tuple(trend(c, s, tz) for c, s in sorted(comp_samples.items()))
    dims = tuple(trend(d, s, tz) for d, s in dim_samples.items())
    days = {p.at.astimezone(tz).date() for p in scored}
    current, longest = streaks(days, now.astimezone(tz).date())
    rates = star_missing_rates(points)
    practiced = {p.question_id for p in points if p.kind != "follow_up"}
    return Progress(
        attempts=len(points),
        scored=len(scored),
        skipped=len(points) - len(scored),
        days_practiced=len(days),
        current_streak=current,
        longest_streak=longest,
        overall=trend("overall", [(p.at, float(p.score)) for p in scored if p.score is not None], tz)
        if scored
        else None,
        competencies=comps,
        dimensions=dims,
        weakest_competency=_weakest(comps),
        weakest_dimension=_weakest(dims),
        weakest_star=_weakest_star(rates),
        star_missing_rate=rates,
        never_practiced=tuple(q for q in dict.fromkeys(all_question_ids) if q not in practiced),
        topics=tuple(trend(t, s, tz) for t, s in sorted(topic_samples.items())),
    )
