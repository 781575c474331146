"""Progress from attempt records: trends, streaks, weakest competency, dimension and STAR part."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from starcoach.progress import AttemptPoint, compute, streaks, trend

NOW = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)


def point(
    day: int,
    score: int | None,
    comps: tuple[str, ...] = ("conflict",),
    qid: str = "q1",
    missing: tuple[str, ...] = (),
    dims: dict[str, int] | None = None,
    kind: str = "answer",
) -> AttemptPoint:
    return AttemptPoint(
        datetime(2026, 3, day, 9, 0, tzinfo=UTC),
        qid,
        comps,
        score,
        dims or {"structure": 3, "impact": 2},
        missing,
        kind,
    )


def test_streaks_count_consecutive_days() -> None:
    d = date(2026, 3, 8)
    days = [d - timedelta(days=i) for i in (0, 1, 2, 5, 6, 7, 8)]
    assert streaks(days, d) == (3, 4)
    assert streaks(days, d + timedelta(days=1)) == (3, 4)  # yesterday still counts
    assert streaks(days, d + timedelta(days=2)) == (0, 4)
    assert streaks([], d) == (0, 0)


@given(st.sets(st.integers(0, 60), max_size=30))
def test_streaks_are_never_longer_than_the_days(offsets: set[int]) -> None:
    today = date(2026, 3, 1)
    current, longest = streaks([today - timedelta(days=o) for o in offsets], today)
    assert 0 <= current <= longest <= len(offsets)


def test_trend_change_compares_the_first_and_last_answers() -> None:
    samples = [
        (datetime(2026, 3, d, tzinfo=UTC), float(v))
        for d, v in ((1, 30), (2, 40), (3, 50), (4, 60), (5, 70), (6, 80))
    ]
    t = trend("conflict", samples, UTC)
    assert t.change == 30.0 and t.count == 6 and len(t.points) == 6
    assert trend("x", samples[:1], UTC).change == 0.0


def test_days_follow_the_users_time_zone() -> None:
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    t = trend("x", [(late, 50.0)], timezone(timedelta(hours=2)))
    assert t.points[0][0] == date(2026, 3, 2)


def test_progress_finds_the_weak_spots_and_unpracticed_questions() -> None:
    points = [
        point(2, 40, ("conflict",), "c1", missing=("result",), dims={"structure": 2, "impact": 1}),
        point(3, 55, ("conflict",), "c1", missing=("result",), dims={"structure": 3, "impact": 2}),
        point(4, 85, ("failure",), "f1", dims={"structure": 5, "impact": 4}),
        point(5, None, ("failure",), "f2"),
        point(6, 70, ("failure",), "f1", missing=("task",), dims={"structure": 4, "impact": 3}),
        point(6, 60, ("failure",), "f1", kind="follow_up"),
    ]
    prog = compute(points, ["c1", "f1", "f2", "l1"], NOW, UTC)
    assert (prog.attempts, prog.scored, prog.skipped) == (6, 5, 1)
    assert prog.weakest_competency == "conflict"
    assert prog.weakest_dimension == "impact"
    assert prog.weakest_star == "result"
    assert prog.star_missing_rate["result"] == 0.5
    assert prog.never_practiced == ("l1",)  # f2 was skipped, but it was practiced
    assert prog.days_practiced == 4 and prog.longest_streak == 3 and prog.current_streak == 0
    conflict = next(t for t in prog.competencies if t.name == "conflict")
    assert conflict.change == 15.0
    d = prog.to_dict()
    assert d["competencies"][0]["points"][0][0] == "2026-03-02"


def test_no_attempts_gives_an_empty_report() -> None:
    prog = compute([], ["a", "b"], NOW, UTC)
    assert prog.overall is None and prog.weakest_competency is None and prog.never_practiced == ("a", "b")
    assert prog.weakest_star is None
