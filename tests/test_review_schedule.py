"""FSRS scheduling of questions: ratings from scores, due dates, fuzz, round trips."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from starcoach.errors import InputError
from starcoach.ids import QuestionId
from starcoach.review.schedule import (
    Rating,
    ReviewCard,
    ReviewEntry,
    end_of_day,
    is_due,
    rating_from_score,
    retrievability,
    review,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Q = QuestionId("conflict-coworker")


def test_rating_bands_follow_the_score() -> None:
    assert [rating_from_score(s) for s in (0, 39, 40, 59, 60, 79, 80, 100)] == [
        Rating.AGAIN,
        Rating.AGAIN,
        Rating.HARD,
        Rating.HARD,
        Rating.GOOD,
        Rating.GOOD,
        Rating.EASY,
        Rating.EASY,
    ]


@given(st.integers(0, 100), st.integers(0, 100))
def test_a_better_score_never_earns_a_worse_rating(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert rating_from_score(low).grade <= rating_from_score(high).grade


@pytest.mark.parametrize("text", ["again", "A", "1", " Hard ", "g", "4"])
def test_ratings_parse_loosely(text: str) -> None:
    assert Rating.parse(text) in Rating


def test_unknown_rating_is_an_input_error() -> None:
    with pytest.raises(InputError, match="again, hard, good or easy"):
        Rating.parse("great")


def test_weak_answers_come_back_sooner_than_strong_ones() -> None:
    due = {r: review(None, Q, r, NOW)[0].due for r in Rating}
    assert due[Rating.AGAIN] <= due[Rating.HARD] <= due[Rating.GOOD] < due[Rating.EASY]
    assert due[Rating.AGAIN] - NOW == timedelta(days=1)
    assert due[Rating.EASY] - NOW >= timedelta(days=5)


def test_good_answers_drift_away_and_a_lapse_brings_the_question_back() -> None:
    card, at, gaps = None, NOW, []
    for _ in range(4):
        card, _log = review(card, Q, Rating.GOOD, at)
        gaps.append(card.due - at)
        at = card.due
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]
    assert card is not None
    lapsed, log = review(card, Q, Rating.AGAIN, at)
    assert lapsed.due - at == timedelta(days=1)
    assert lapsed.lapses == 1 and lapsed.reps == 5
    assert log.due_before == card.due and log.rating is Rating.AGAIN


def test_review_returns_a_new_card_and_leaves_the_old_one_alone() -> None:
    first, _ = review(None, Q, Rating.GOOD, NOW)
    again, _ = review(first, Q, Rating.EASY, first.due)
    assert first.reps == 1 and again.reps == 2
    assert first.last_rating is Rating.GOOD and again.last_rating is Rating.EASY


def test_fuzz_comes_only_from_the_rng_and_stays_close() -> None:
    card = None
    at = NOW
    for _ in range(3):
        card, _ = review(card, Q, Rating.EASY, at)
        at = card.due
    exact, _ = review(card, Q, Rating.EASY, at)
    again, _ = review(card, Q, Rating.EASY, at)
    assert exact == again  # no rng: no fuzz, same result every time
    fuzzed = {review(card, Q, Rating.EASY, at, random.Random(seed))[0].due for seed in range(30)}
    interval = (exact.due - at).days
    spread = max(1, round(interval * 0.05))
    assert len(fuzzed) > 1
    assert all(abs((d - exact.due).days) <= spread for d in fuzzed)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        review(None, Q, Rating.GOOD, datetime(2026, 3, 2, 9))


def test_other_time_zones_are_stored_as_utc() -> None:
    tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    card, log = review(None, Q, Rating.GOOD, tokyo)
    assert card.due.tzinfo == UTC and log.reviewed_at == NOW


@given(st.sampled_from(list(Rating)), st.integers(0, 3), st.integers(0, 10_000))
def test_card_and_log_round_trip_through_dicts(rating: Rating, reviews: int, minutes: int) -> None:
    card = None
    at = NOW + timedelta(minutes=minutes)
    log = None
    for _ in range(reviews + 1):
        card, log = review(card, Q, rating, at)
        at = card.due
    assert card is not None and log is not None
    assert ReviewCard.from_dict(card.to_dict()) == card
    assert ReviewEntry.from_dict(log.to_dict()) == log


def test_due_means_by_the_end_of_the_users_day() -> None:
    card, _ = review(None, Q, Rating.AGAIN, NOW)  # due tomorrow 09:00 UTC
    next_morning = NOW + timedelta(days=1, hours=-2)  # 07:00 the next day
    assert not is_due(card, NOW + timedelta(hours=1))
    assert is_due(card, end_of_day(next_morning, UTC))
    assert end_of_day(next_morning, UTC) == datetime(2026, 3, 4, tzinfo=UTC)
    minus5 = timezone(timedelta(hours=-5))
    assert end_of_day(datetime(2026, 3, 3, 2, 0, tzinfo=UTC), minus5) == datetime(
        2026, 3, 3, 5, 0, tzinfo=UTC
    )


def test_retrievability_falls_as_time_passes() -> None:
    card, _ = review(None, Q, Rating.GOOD, NOW)
    assert retrievability(card, NOW + timedelta(days=1)) > retrievability(card, NOW + timedelta(days=30))
