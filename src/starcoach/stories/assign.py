"""Pick a varied set of stories for a mock interview loop: an assignment, not a greedy pick.

Interviewers in one loop compare notes, so telling the same story twice costs more than telling a
slightly weaker one. :func:`min_cost_assignment` is the Hungarian algorithm (shortest augmenting
paths with potentials, O(rows^2 * cols)), exact for any rectangular cost matrix with rows <= cols.
:func:`plan_loop` builds the matrix from fit scores: each story may be used once, or, when there are
more questions than stories, again at a rising price. Pure functions.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starcoach.stories.fit import Fit

REUSE_PENALTY = 0.35  # score given up for each extra telling of one story in a loop


def min_cost_assignment(cost: Sequence[Sequence[float]]) -> list[int]:
    """For each row, the column assigned to it, minimising the total cost (rows <= cols, each column once)."""
    n = len(cost)
    if n == 0:
        return []
    m = len(cost[0])
    if any(len(row) != m for row in cost) or n > m:
        raise ValueError("cost must be a rectangular matrix with no more rows than columns")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match = [0] * (m + 1)  # match[j] = row (1-based) assigned to column j; 0 = free
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv, used, way = [math.inf] * (m + 1), [False] * (m + 1), [0] * (m + 1)
        while match[j0] != 0:
            used[j0] = True
            i0, delta, j1 = match[j0], math.inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if match[j]:
            result[match[j] - 1] = j - 1
    return result


@dataclass(frozen=True, slots=True)
class LoopPick:
    """The story chosen for one question of a loop, and the one a greedy pick would have taken."""

    question_id: str | None
    question_text: str
    fit: Fit | None  # None when the question wants no story or there are no stories
    greedy: Fit | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "question_text": self.question_text,
            "fit": self.fit.to_dict() if self.fit else None,
            "greedy": self.greedy.to_dict() if self.greedy else None,
        }


@dataclass(frozen=True, slots=True)
class LoopPlan:
    """A story per question, chosen together; ``warnings`` name over-used stories."""

    picks: tuple[LoopPick, ...]
    warnings: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return round(sum(p.fit.score for p in self.picks if p.fit), 4)

    @property
    def greedy_total(self) -> float:
        return round(sum(p.greedy.score for p in self.picks if p.greedy), 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "picks": [p.to_dict() for p in self.picks],
            "warnings": list(self.warnings),
            "total": self.total,
            "greedy_total": self.greedy_total,
        }


def overuse(greedy: Sequence[Fit | None]) -> tuple[str, ...]:
    """Warn when one story is the best fit for too many questions of a loop."""
    asked = [f for f in greedy if f is not None]
    counts = Counter(f.story_id for f in asked)
    limit = max(2, math.ceil(len(asked) / 3))
    titles = {f.story_id: f.story_title for f in asked}
    return tuple(
        f"'{titles[sid]}' is the best fit for {n} of {len(asked)} questions; interviewers compare notes, "
        "so the plan spreads your stories"
        for sid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= limit
    )


def plan_loop(
    rows: Sequence[Sequence[Fit]],
    wanted: Sequence[bool] | None = None,
    texts: Sequence[tuple[str | None, str]] | None = None,
) -> LoopPlan:
    """Assign stories to the questions of a loop.

    ``rows[i]`` holds every story's fit for question ``i`` (same story order in each row);
    ``wanted[i]`` is False for questions that want no story (they get no pick).
    """
    wanted = list(wanted) if wanted is not None else [True] * len(rows)
    asked = [i for i, row in enumerate(rows) if wanted[i] and row]
    greedy: list[Fit | None] = [
        max(row, key=lambda f: (f.score, f.story_title)) if wanted[i] and row else None
        for i, row in enumerate(rows)
    ]
    chosen: dict[int, Fit] = {}
    if asked:
        n_stories = len(rows[asked[0]])
        copies = max(1, math.ceil(len(asked) / n_stories))
        cost = [
            [-rows[i][s].score + REUSE_PENALTY * c for c in range(copies) for s in range(n_stories)]
            for i in asked
        ]
        for i, col in zip(asked, min_cost_assignment(cost), strict=True):
            chosen[i] = rows[i][col % n_stories]
    picks = []
    for i, row in enumerate(rows):
        qid, qtext = (
            texts[i] if texts else ((row[0].question_id, row[0].question_text) if row else (None, ""))
        )
        picks.append(LoopPick(qid, qtext, chosen.get(i), greedy[i]))
    return LoopPlan(tuple(picks), overuse(greedy))
