"""The mock-interview debrief: ratings per competency with quoted evidence, moments, decision."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from starcoach.analysis.types import Analysis, Dimension, QuestionRef, Sentence
from starcoach.bank.model import Question
from starcoach.ids import QuestionId
from starcoach.review.debrief import Debrief, MockAnswer, confidence_of, debrief, quote, rating_for


def analysis(
    score: int, result: str = "", action: str = "I wrote the migration plan.", missing: tuple[str, ...] = ()
) -> Analysis:
    sentences = [Sentence(action, 0, len(action), "action", 0.9)]
    if result:
        sentences.append(Sentence(result, len(action) + 1, len(action) + 1 + len(result), "result", 0.8))
    dims = {
        "structure": Dimension(4 if score > 60 else 2, "structure reason"),
        "impact": Dimension(5 if result else 1, "impact reason"),
    }
    return Analysis(
        QuestionRef("q", "Q?", "story"),
        score,
        tuple(sentences),
        missing,
        dims,
        (),
        (),
        40,
        20,
        ("Add a result with a number.",),
        ("What would you change?",),
    )


def question(qid: str, comp: str) -> Question:
    return Question(QuestionId(qid), f"Tell me about {qid}.", competencies=(comp,))


def strong_interview() -> list[MockAnswer]:
    return [
        MockAnswer(question("conflict", "conflict"), analysis(85, "Churn fell by 12% in a quarter.")),
        MockAnswer(
            question("failure", "failure"),
            analysis(78, "We shipped two days early."),
            analysis(70, "I would test earlier."),
        ),
        MockAnswer(question("lead", "leadership"), analysis(81, "Three teams adopted the tool.")),
    ]


def test_a_strong_interview_is_inclined_with_evidence_in_the_users_words() -> None:
    brief = debrief(strong_interview())
    assert brief.decision == "inclined" and 0.5 < brief.confidence <= 0.95
    by = {c.competency: c for c in brief.competencies}
    assert by["conflict"].rating == "strong"
    assert by["conflict"].evidence == ("“Churn fell by 12% in a quarter.”",)
    assert any("(follow-up)" in e for e in by["failure"].evidence)
    assert brief.strongest is not None and brief.strongest.question_id == "conflict"
    assert "Churn fell" in brief.strongest.quote
    assert brief.weakest is not None and brief.weakest.question_id == "failure"


def test_a_weak_interview_is_not_inclined_and_names_the_gaps() -> None:
    items = [
        MockAnswer(question("conflict", "conflict"), analysis(30, missing=("result",))),
        MockAnswer(question("failure", "failure"), None),
        MockAnswer(question("lead", "leadership"), analysis(55)),
    ]
    brief = debrief(items)
    assert brief.decision == "not inclined"
    assert brief.answered == 2 and brief.questions == 3
    weakest = brief.competencies[0]
    assert weakest.competency == "failure" and weakest.rating == "weak"
    assert any("no answer" in g for g in weakest.gaps)
    conflict = next(c for c in brief.competencies if c.competency == "conflict")
    assert any("no result" in g for g in conflict.gaps)
    assert brief.weakest is not None and brief.weakest.why == "no answer was given"
    assert "skipped" in brief.notes[0]


def test_debrief_round_trips_to_a_plain_dict() -> None:
    d = debrief(strong_interview()).to_dict()
    assert set(d) >= {"competencies", "strongest", "weakest", "decision", "confidence", "summary"}
    assert isinstance(d["competencies"][0]["evidence"], list)


def test_an_empty_interview_has_no_moments() -> None:
    brief = debrief([])
    assert isinstance(brief, Debrief) and brief.strongest is None and brief.weakest is None
    assert brief.decision == "not inclined" and brief.confidence == 0.0


def test_rating_scale_and_quotes() -> None:
    assert [rating_for(s) for s in (90, 70, 50, 10)] == ["strong", "solid", "mixed", "weak"]
    long = "word " * 100
    assert len(quote(long)) <= 183 and quote(long).endswith("…”")


@given(st.lists(st.integers(0, 100), min_size=1, max_size=8))
def test_confidence_is_bounded_and_grows_with_distance_from_the_bar(scores: list[int]) -> None:
    c = confidence_of([float(s) for s in scores])
    assert 0.5 <= c <= 0.95
    assert confidence_of([95.0] * 4) >= confidence_of([70.0] * 4)
