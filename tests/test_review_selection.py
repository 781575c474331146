"""Choosing what to practice: due first (worst first), then weakest competencies, then new ones."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from starcoach.bank.model import Question, QuestionType
from starcoach.ids import QuestionId
from starcoach.review.schedule import Rating, ReviewCard, review
from starcoach.review.selection import QuestionStats, choose_mock, choose_questions, competency_means

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HORIZON = datetime(2026, 3, 3, tzinfo=UTC)


def q(qid: str, *comps: str, qtype: QuestionType = QuestionType.STORY) -> Question:
    return Question(QuestionId(qid), f"Tell me about {qid}.", type=qtype, competencies=comps)


BANK = [
    q("c1", "conflict"),
    q("c2", "conflict"),
    q("c3", "conflict"),
    q("f1", "failure"),
    q("f2", "failure"),
    q("l1", "leadership"),
    q("l2", "leadership"),
    q("m1", "mentoring"),
]


def card(qid: str, due: datetime) -> ReviewCard:
    made, _ = review(None, QuestionId(qid), Rating.HARD, due - timedelta(days=1))
    return made


def stats(**scores: int) -> dict[str, QuestionStats]:
    return {k: QuestionStats(QuestionId(k), (v,)) for k, v in scores.items()}


def test_due_questions_come_first_worst_answer_first() -> None:
    cards = {
        "f1": card("f1", NOW - timedelta(days=2)),
        "c1": card("c1", NOW),
        "l1": card("l1", NOW + timedelta(days=3)),
    }
    picks = choose_questions(BANK, cards, stats(f1=55, c1=20, l1=30), HORIZON, 2, random.Random(1))
    assert [(p.question.id, p.reason) for p in picks] == [("c1", "due"), ("f1", "due")]
    assert "last score 20" in picks[0].detail


def test_then_the_weakest_competencies_taking_turns() -> None:
    cards = {k: card(k, NOW + timedelta(days=5)) for k in ("c1", "f1", "l1")}
    picks = choose_questions(BANK, cards, stats(c1=30, f1=50, l1=90), HORIZON, 4, random.Random(2))
    reasons = [(p.question.competencies[0], p.reason) for p in picks]
    assert reasons[:2] == [("conflict", "weak"), ("failure", "weak")]
    assert picks[0].question.id in {"c2", "c3"}  # a fresh question of the weak competency first
    assert all(p.question.id != "l1" for p in picks[:3])


def test_new_questions_then_anything_else_to_meet_the_count() -> None:
    picks = choose_questions(BANK, {}, {}, HORIZON, 20, random.Random(3))
    assert len(picks) == len(BANK) and {p.reason for p in picks} == {"new"}
    first_four = {p.question.competencies[0] for p in picks[:4]}
    assert len(first_four) == 4  # new questions take turns between competencies


def test_count_and_distinctness() -> None:
    cards = {x.id: card(x.id, NOW - timedelta(days=1)) for x in BANK}
    picks = choose_questions(BANK, cards, stats(**{x.id: 50 for x in BANK}), HORIZON, 3, random.Random(4))
    assert len(picks) == 3 and len({p.question.id for p in picks}) == 3


@given(st.integers(1, 12), st.integers(0, 10_000))
def test_selection_is_deterministic_for_a_seed_and_never_repeats(count: int, seed: int) -> None:
    a = choose_questions(BANK, {}, stats(c1=10), HORIZON, count, random.Random(seed))
    b = choose_questions(BANK, {}, stats(c1=10), HORIZON, count, random.Random(seed))
    assert a == b
    assert len({p.question.id for p in a}) == len(a) == min(count, len(BANK))


def test_competency_means_use_the_last_score() -> None:
    st_ = {"c1": QuestionStats(QuestionId("c1"), (90, 40)), "c2": QuestionStats(QuestionId("c2"), (60,))}
    assert competency_means(BANK, st_) == {"conflict": 50.0}


def test_mock_covers_different_competencies_with_story_questions() -> None:
    bank = [*BANK, q("why-us", "motivation", qtype=QuestionType.SELF)]
    picks = choose_mock(bank, 4, random.Random(5))
    comps = [p.question.competencies[0] for p in picks]
    assert len(set(comps)) == 4
    assert all(p.question.type is QuestionType.STORY for p in picks)


def test_mock_repeats_competencies_only_when_it_must() -> None:
    picks = choose_mock(BANK, 6, random.Random(6))
    comps = [p.question.competencies[0] for p in picks]
    assert len(picks) == 6 and len(set(comps[:4])) == 4
