"""Practice through the Coach: answers saved and scored, cards scheduled, history, progress, a week of use."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from starcoach.errors import AnswerError, InputError, NotFoundError
from starcoach.review.records import AttemptKind, AttemptStatus
from starcoach.review.schedule import Rating, rating_from_score
from starcoach.service import Coach, open_coach
from tests.conftest import PINNED_NOW
from tests.practice_helpers import FOLLOW, STRONG, WEAK, MovableClock

QID = "conflict-coworker"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(PINNED_NOW)


@pytest.fixture
def moving(starcoach_home: Path, clock: MovableClock) -> Iterator[Coach]:
    c = open_coach(starcoach_home, clock=clock, rng=random.Random(7))
    yield c
    c.close()


def test_an_answer_is_saved_scored_and_scheduled(coach: Any) -> None:
    result = coach.submit_answer(
        QID, STRONG, started_at=PINNED_NOW - timedelta(seconds=95), time_limit_seconds=120
    )
    a = result.attempt
    assert a.status is AttemptStatus.SCORED and a.score == result.analysis.score
    assert a.rating is rating_from_score(a.score) and a.rating_source == "score"
    assert a.answer_seconds == 95 and not a.over_time
    assert result.next_due is not None and result.next_due > PINNED_NOW
    assert result.follow_up
    stored = coach.attempt(a.id)
    assert stored == a
    assert stored.analysis["score"] == a.score and stored.analysis["sentences"]
    card = coach.store.attempts.card(QID)
    assert card is not None and card.due == result.next_due
    assert [e.rating for e in coach.store.attempts.review_log(QID)] == [a.rating]


def test_next_due_says_when_a_question_comes_back(coach: Any) -> None:
    assert coach.next_due(QID) is None
    result = coach.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    assert coach.next_due(QID) == result.next_due
    listed = {d.question_id: d.due for d in (*coach.due().due, *coach.due().upcoming)}
    assert listed[QID] == coach.next_due(QID)
    assert coach.next_due("never-answered") is None


def test_the_follow_up_after_a_stored_answer_is_the_one_asked_when_it_was_scored(coach: Any) -> None:
    result = coach.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    assert coach.follow_up_after(coach.attempt(result.attempt.id)) == result.follow_up
    skipped = coach.submit_answer(QID, "", started_at=PINNED_NOW)
    assert coach.follow_up_after(skipped.attempt) == coach.question(QID).follow_ups[0]


def test_an_empty_answer_is_recorded_as_skipped_and_not_scored(coach: Any) -> None:
    result = coach.submit_answer(QID, "   \n ", started_at=PINNED_NOW)
    assert result.attempt.status is AttemptStatus.SKIPPED and result.analysis is None
    assert result.attempt.score is None and "skipped" in result.note
    assert coach.store.attempts.card(QID) is None
    assert coach.history()[0].id == result.attempt.id


def test_binary_or_huge_answers_are_refused_before_anything_is_stored(coach: Any) -> None:
    with pytest.raises(AnswerError, match="binary"):
        coach.submit_answer(QID, "a\x00b", started_at=PINNED_NOW)
    with pytest.raises(AnswerError, match="limit"):
        coach.submit_answer(QID, "word " * 5000, started_at=PINNED_NOW)
    assert coach.history() == []


def test_the_user_can_override_the_rating(coach: Any) -> None:
    first = coach.submit_answer(QID, WEAK, started_at=PINNED_NOW)
    assert first.attempt.rating is Rating.AGAIN
    easy = coach.rate(first.attempt.id, "easy")
    assert easy.attempt.rating is Rating.EASY and easy.attempt.rating_source == "user"
    assert easy.next_due is not None and easy.next_due - PINNED_NOW > timedelta(days=3)
    again = coach.rate(first.attempt.id[:6], Rating.AGAIN)  # rerated from the card as it was before
    assert again.next_due == first.next_due
    assert len(coach.store.attempts.review_log(QID)) == 1


def test_a_retry_is_scored_but_does_not_move_the_card(coach: Any) -> None:
    first = coach.submit_answer(QID, WEAK, started_at=PINNED_NOW)
    retry = coach.submit_answer(QID, STRONG, started_at=PINNED_NOW, retry_of=first.attempt.id)
    assert retry.attempt.kind is AttemptKind.RETRY and retry.attempt.rating is None
    assert retry.attempt.score is not None and retry.attempt.score > first.attempt.score
    assert coach.store.attempts.card(QID).due == first.next_due
    with pytest.raises(InputError, match="first answer"):
        coach.rate(retry.attempt.id, "good")


def test_a_follow_up_answer_is_analyzed_against_the_follow_up(coach: Any) -> None:
    main = coach.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    fu = coach.submit_follow_up(main.attempt.id, main.follow_up, FOLLOW, started_at=PINNED_NOW)
    assert fu.attempt.kind is AttemptKind.FOLLOW_UP and fu.attempt.parent_id == main.attempt.id
    assert fu.attempt.question_text == main.follow_up and fu.analysis is not None
    assert fu.analysis.question.text == main.follow_up
    assert fu.attempt.rating is None and fu.follow_up is None
    assert len(coach.store.attempts.review_log(QID)) == 1
    # judged on the probe it answers, never as a STAR story
    assert fu.analysis.question.type == "follow-up" and fu.analysis.missing == ()
    assert "follow_up" in fu.analysis.signals


def test_a_follow_up_answer_stays_out_of_the_debrief_mean() -> None:
    from starcoach.analysis.probe import analyze_follow_up
    from starcoach.analysis.types import Analysis
    from starcoach.bank.builtin import builtin_bank
    from starcoach.review.debrief import MockAnswer, answer_score

    q = builtin_bank().questions[0]
    main = Analysis.from_dict({"question": {"id": str(q.id), "text": q.text, "type": "story"}, "score": 70})
    weak_reply = analyze_follow_up("Not sure.", "What was the outcome?")
    assert answer_score(MockAnswer(q, main, weak_reply)) == 70.0


def test_an_answer_whose_analysis_never_finished_is_recovered(coach: Any) -> None:
    def boom(answer: str, question: Any) -> Any:
        raise RuntimeError("analyzer crashed")

    coach.analyze_question = boom
    with pytest.raises(RuntimeError):
        coach.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    pending = coach.history()
    assert len(pending) == 1 and pending[0].status is AttemptStatus.PENDING and pending[0].answer == STRONG
    del coach.analyze_question
    recovered = coach.recover_pending()
    assert [r.attempt.status for r in recovered] == [AttemptStatus.SCORED]
    assert coach.store.attempts.card(QID) is not None


def test_history_and_compare(coach: Any, clock: MovableClock) -> None:
    first = coach.submit_answer(QID, WEAK, started_at=PINNED_NOW)
    coach.clock = clock
    clock.advance(days=1)
    second = coach.submit_answer(QID, STRONG, started_at=clock.at)
    assert [a.id for a in coach.history(QID)] == [second.attempt.id, first.attempt.id]
    cmp = coach.compare(second.attempt.id, first.attempt.id)
    assert cmp.first.id == first.attempt.id and cmp.score_change == second.attempt.score - first.attempt.score
    assert set(cmp.dimensions) >= {"structure", "impact"}
    assert coach.compare(QID).second.id == second.attempt.id
    other = coach.submit_answer("tight-deadlines", STRONG, started_at=clock.at)
    with pytest.raises(InputError, match="different questions"):
        coach.compare(first.attempt.id, other.attempt.id)
    with pytest.raises(NotFoundError):
        coach.attempt("zzzz")


def test_mock_interview_ends_with_a_debrief(coach: Any) -> None:
    picks = coach.choose_mock(3)
    assert len({p.question.competencies[0] for p in picks}) == 3
    session = coach.start_session("mock")
    for i, pick in enumerate(picks):
        res = coach.submit_answer(
            pick.question, STRONG if i else "", started_at=PINNED_NOW, session_id=session.id
        )
        if res.analysis:
            coach.submit_follow_up(res.attempt.id, res.follow_up, FOLLOW, started_at=PINNED_NOW)
    summary = coach.finish_session(session.id)
    brief = summary.debrief
    assert brief is not None and brief.questions == 3 and brief.answered == 2
    assert brief.weakest is not None and brief.weakest.question_id == picks[0].question.id
    assert brief.decision in ("inclined", "not inclined")
    assert coach.store.attempts.session(session.id).debrief == brief.to_dict()
    assert summary.session.ended_at is not None and len(summary.attempts) == 5


def test_filters_pick_from_the_right_questions(coach: Any) -> None:
    picks = coach.choose_practice(4, competencies=["conflict"])
    assert all("conflict" in p.question.competencies for p in picks)
    amazon = coach.choose_practice(3, company="amazon", qtype="story")
    assert all(p.question.type.value == "story" for p in amazon)
    with pytest.raises(InputError, match="unknown company"):
        coach.choose_practice(3, company="acme")
    with pytest.raises(InputError, match="unknown competency"):
        coach.choose_practice(3, competencies=["nope"])


def answer_day(c: Coach, quality: dict[str, str], n: int = 4) -> list[str]:
    """One day of practice: answer the chosen questions, well or badly as ``quality`` says."""
    picked = []
    for pick in c.choose_practice(n, qtype="story"):
        qid = pick.question.id
        text = quality.setdefault(qid, WEAK if len(quality) % 2 == 0 else STRONG)
        res = c.submit_answer(
            pick.question, text, started_at=c.now() - timedelta(seconds=90), time_limit_seconds=120
        )
        if res.analysis is not None:
            c.submit_follow_up(res.attempt.id, res.follow_up or "", FOLLOW, started_at=c.now())
        picked.append(qid)
    return picked


def test_a_week_of_daily_practice(moving: Coach, clock: MovableClock, tmp_path: Path) -> None:
    """The issue's 'done when': worst answers return first, everything is in history, the plot draws."""
    quality: dict[str, str] = {}
    answered = 0
    for day in range(7):
        picked = answer_day(moving, quality)
        answered += len(picked)
        clock.advance(days=1)
        last = {
            a.question_id: a
            for a in moving.history(include_follow_ups=False, limit=None)
            if a.kind is AttemptKind.ANSWER and a.score is not None
        }
        picks = moving.choose_practice(4, qtype="story")
        due_ids = {d.question_id for d in moving.due().due}
        due_picks = [p for p in picks if p.reason == "due"]
        assert [p.question.id for p in due_picks] == [p.question.id for p in picks[: len(due_picks)]]
        assert {p.question.id for p in due_picks} <= due_ids
        assert len(due_picks) == min(4, len(due_ids)), f"day {day}: every due question is asked first"
        scores = [last[p.question.id].score for p in due_picks]
        assert scores == sorted(scores), "the worst answered question comes back first"
        if due_ids:
            worst_due = min(last[q].score for q in due_ids)
            assert last[picks[0].question.id].score == worst_due
        weak_yesterday = {
            p
            for p in picked
            if last[p].rating is Rating.AGAIN
            and last[p].submitted_at.date() == (clock.at - timedelta(days=1)).date()
        }
        assert weak_yesterday <= due_ids, "an answer rated 'again' is due the next day"
    cards = {c.question_id: c for c in moving.store.attempts.cards()}
    last = {
        a.question_id: a
        for a in reversed(moving.history(include_follow_ups=False, limit=None))
        if a.kind is AttemptKind.ANSWER
    }
    strong = [cards[q].due for q, a in last.items() if a.rating in (Rating.GOOD, Rating.EASY)]
    weak = [cards[q].due for q, a in last.items() if a.rating is Rating.AGAIN]
    assert strong and weak and min(strong) > max(weak) - timedelta(days=1), "strong answers drift away"
    history = moving.history(limit=None)
    assert len([a for a in history if a.kind is AttemptKind.ANSWER]) == answered == 28
    assert all(a.status is AttemptStatus.SCORED and a.analysis for a in history)
    prog = moving.progress()
    assert prog.current_streak == 7 and prog.days_practiced == 7
    assert prog.overall is not None and len(prog.overall.points) == 7
    plot = moving.plot_progress(tmp_path / "trend.svg")
    assert plot.read_text().lstrip().startswith("<?xml") and "overall" in plot.read_text()
    png = moving.plot_progress(tmp_path / "trend.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.sqlite_only  # reads the SQLite file directly
def test_attempts_survive_reopening_and_are_in_the_database_file(coach: Any, starcoach_home: Path) -> None:
    result = coach.submit_answer(QID, STRONG, started_at=PINNED_NOW)
    coach.close()
    con = sqlite3.connect(starcoach_home / "starcoach.db")
    row = con.execute(
        "SELECT answer, score, analysis_json FROM attempts WHERE id = ?", (result.attempt.id,)
    ).fetchone()
    con.close()
    assert row[0] == STRONG and row[1] == result.attempt.score and '"sentences"' in row[2]


def test_plot_needs_data_and_a_known_suffix(coach: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"png or \.svg"):
        coach.plot_progress(tmp_path / "x.gif")
    with pytest.raises(InputError, match="nothing to plot"):
        coach.plot_progress(tmp_path / "x.png")
