"""Fit, coverage, loop assignment, drift and kits on the pure story core (no database)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.bank.builtin import builtin_bank
from starcoach.bank.model import Question, QuestionType
from starcoach.ids import QuestionId, StoryId, slugify
from starcoach.stories.assign import min_cost_assignment, plan_loop
from starcoach.stories.checks import compose_answer, review_story
from starcoach.stories.coverage import build_coverage, to_csv, to_html
from starcoach.stories.drift import StoryMatcher, contradictions
from starcoach.stories.fit import FitLevel, FitModel, free_question
from starcoach.stories.kit import build_kit, kit_html, kit_markdown
from starcoach.stories.markdown import parse_stories
from starcoach.stories.model import Story, StoryContent

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def load_stories() -> list[Story]:
    contents = parse_stories((FIXTURES / "stories.md").read_text(encoding="utf-8"))
    return [Story.new(StoryId(slugify(c.title, max_len=50)), c, NOW) for c in contents]


def intended() -> list[tuple[str, str]]:
    data = json.loads((FIXTURES / "questions.json").read_text(encoding="utf-8"))
    return [(q["text"], q["story"]) for q in data["questions"]]


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    return load_stories()


@pytest.fixture(scope="module")
def model(stories: list[Story]) -> FitModel:
    return FitModel(stories, builtin_bank().questions)  # words only: deterministic and model-free


def by_title(stories: list[Story], start: str) -> Story:
    return next(s for s in stories if s.title.startswith(start))


def test_the_benchmark_questions_are_not_in_the_bundled_bank() -> None:
    bank = {q.text.lower() for q in builtin_bank().questions}
    assert not [t for t, _ in intended() if t.lower() in bank]


def test_the_intended_story_ranks_first_for_most_unseen_questions(
    model: FitModel, stories: list[Story]
) -> None:
    ids = {slugify(s.title): s.id for s in stories}
    hits = [model.rank(model.question(text))[0].story_id == ids[sid] for text, sid in intended()]
    assert sum(hits) / len(hits) >= 0.75


def test_fit_levels_come_with_their_reason(model: FitModel, stories: list[Story]) -> None:
    q = model.question("Tell me about a time you disagreed with your manager.")
    assert q.competencies == ("conflict", "disagree-manager")
    best, *rest = model.rank(q)
    assert best.story_title.startswith("Pushing back")
    assert best.level is FitLevel.STRONG
    assert "tagged disagree-manager like the question" in best.reason
    assert rest[-1].level is FitLevel.GAP
    assert "the question wants conflict, disagree-manager" in rest[-1].reason


def test_a_typed_question_without_cue_words_gets_competencies_from_the_profiles() -> None:
    q = free_question("Give me an example of when you had to admit you were wrong.")
    assert q.type is QuestionType.STORY and q.id == ""
    model = FitModel(load_stories())
    assert "failure" in model.question(q.text).competencies


def test_the_embedding_term_is_used_when_an_embedder_is_given(stories: list[Story]) -> None:
    class Constant:
        name, dim = "constant", 2

        def embed(self, texts: object) -> object:
            import numpy as np

            return np.tile(np.array([1.0, 0.0]), (len(list(texts)), 1))  # type: ignore[call-overload]

    fits = FitModel(stories[:2], embedder=Constant()).fits(free_question("Tell me about a conflict."))
    assert all(f.semantic == 1.0 for f in fits)
    assert FitModel(stories[:2]).fits(free_question("Tell me about a conflict."))[0].semantic is None


def test_coverage_marks_competencies_without_a_strong_story_as_gaps(stories: list[Story]) -> None:
    few = [by_title(stories, "Settling the API"), by_title(stories, "The outage")]
    cov = build_coverage(FitModel(few, builtin_bank().questions), builtin_bank().questions)
    assert "conflict" not in cov.gaps and "failure" not in cov.gaps
    assert {"mentoring", "deadlines", "ambiguity"} <= set(cov.gaps)
    row = next(r for r in cov.competencies if r.key == "conflict")
    assert row.best is not None and row.best.story_title.startswith("Settling")
    assert len(row.fits) == 2


def test_coverage_exports_csv_and_escaped_html(stories: list[Story]) -> None:
    evil = Story.new(
        StoryId("x"), StoryContent("<script>alert(1)</script> & co", "s", action="I did", result="r"), NOW
    )
    q = Question(QuestionId("q1"), "Tell me about <b>bold</b> work", competencies=("leadership",))
    cov = build_coverage(FitModel([*stories[:2], evil]), questions=[q])
    rows = list(csv.reader(io.StringIO(to_csv(cov))))
    assert rows[0][:5] == ["competency", "label", "best_story", "best_level", "gap"]
    assert rows[0][5:] == [s.id for s in cov.stories]
    assert len(rows) == 1 + len(cov.competencies)
    q_rows = list(csv.reader(io.StringIO(to_csv(cov, "questions"))))
    assert q_rows[1][:2] == ["q1", "Tell me about <b>bold</b> work"]
    page = to_html(cov)
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_a_story_that_is_best_for_everything_is_flagged(stories: list[Story]) -> None:
    everything = StoryContent(
        "The everything story",
        "A launch failed, my teammate and I had a conflict over it, and the goal was unclear.",
        action="I took the initiative and led the fix, mentored a junior engineer and asked for feedback.",
        result="We learned from the failure and the junior grew; the ambiguity cleared.",
        competencies=("conflict", "failure", "leadership", "mentoring", "feedback", "ambiguity"),
    )
    cov = build_coverage(FitModel([Story.new(StoryId("all"), everything, NOW), stories[0]]))
    assert any("'The everything story' is your best story for" in w for w in cov.warnings)


def brute_force(cost: list[list[float]]) -> float:
    n, m = len(cost), len(cost[0])
    return min(sum(cost[i][p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.integers(n, 6).flatmap(
            lambda m: st.lists(st.lists(st.integers(-20, 20), min_size=m, max_size=m), min_size=n, max_size=n)
        )
    )
)
def test_the_assignment_is_optimal_and_uses_each_column_once(cost: list[list[int]]) -> None:
    fcost = [[float(x) for x in row] for row in cost]
    cols = min_cost_assignment(fcost)
    assert len(set(cols)) == len(cols) == len(cost)
    assert sum(fcost[i][c] for i, c in enumerate(cols)) == brute_force(fcost)


def test_assignment_refuses_more_rows_than_columns() -> None:
    with pytest.raises(ValueError, match="no more rows than columns"):
        min_cost_assignment([[1.0], [2.0]])
    assert min_cost_assignment([]) == []


def test_a_loop_spreads_stories_instead_of_repeating_the_best_one(model: FitModel) -> None:
    texts = [
        "Tell me about a conflict with a coworker.",
        "Describe a heated technical argument.",
        "Tell me about a time two teams disagreed.",
        "Why do you want to work here?",
    ]
    qs = [model.question(t) for t in texts]
    plan = plan_loop([model.fits(q) for q in qs], [q.type is not QuestionType.SELF for q in qs])
    chosen = [p.fit.story_id for p in plan.picks if p.fit]
    assert len(chosen) == 3 and len(set(chosen)) == 3
    assert plan.picks[3].fit is None
    assert plan.warnings and "is the best fit for 3 of 3 questions" in plan.warnings[0]
    assert plan.total <= plan.greedy_total


def test_more_questions_than_stories_reuse_stories_evenly(stories: list[Story]) -> None:
    two = FitModel(stories[:2])
    qs = [two.question(f"Tell me about a hard problem number {i}.") for i in range(5)]
    plan = plan_loop([two.fits(q) for q in qs])
    counts = sorted(sum(1 for p in plan.picks if p.fit and p.fit.story_id == s.id) for s in stories[:2])
    assert counts == [2, 3]


RETELLING = (
    "In 2021 I worked on our payments fraud model. It blocked too many good card payments and merchants "
    "kept calling support. I went through blocked payments by hand and saw that travellers caused most "
    "false alarms, so I added travel features and retrained the model. False positives went down 60%, "
    "and support tickets fell by a third."
)


def test_a_retelling_is_recognised_and_its_changed_number_flagged(stories: list[Story]) -> None:
    matcher = StoryMatcher(stories)
    found = matcher.find(RETELLING)
    assert found is not None and found[0].title.startswith("Cutting false alarms")
    use = matcher.check(found[0], RETELLING)
    assert use.used and use.parts["situation"] and use.parts["action"]
    (flag,) = use.contradictions
    assert flag.message == "you said 45% (false positives) last time, 60% today"
    assert RETELLING[flag.start : flag.end] == "60%"
    assert any("Check your numbers" in n for n in use.notes)


def test_team_sizes_and_dates_drift_too(stories: list[Story]) -> None:
    story = by_title(stories, "Shipping the search")
    flags = contradictions(
        story.content, "Back in 2019 I led a team of 7 engineers and we shipped in 6 weeks."
    )
    messages = [f.message for f in flags]
    assert messages == [
        "your story is dated 2021-10 to 2021-11; today you said 2019",
        "you said 4 engineers (team) last time, 7 engineers today",
    ]
    assert contradictions(story.content, "In 2021 my team of 4 engineers shipped in six weeks.") == ()


def test_an_unrelated_answer_retells_no_story(stories: list[Story]) -> None:
    matcher = StoryMatcher(stories)
    assert matcher.find("I once had a noisy neighbour and we talked it over.") is None
    use = matcher.check(stories[0], "I once had a noisy neighbour and we talked it over.")
    assert not use.used and use.contradictions == ()
    assert "You did not tell" in use.notes[0]


def test_a_story_is_reviewed_on_its_fields() -> None:
    weak = StoryContent("Weak", "We had a flaky build.", action="We fixed it together.", result="It works.")
    review = review_story(weak)
    assert not review.ok and not review.quantified and not review.own_action
    assert [p.present for p in review.parts] == [True, False, True, True]
    text = " ".join(review.suggestions)
    for expected in (
        "Add the Task",
        "The Result has no number",
        "'we' once and 'I' 0 times",
        "Tag the competencies",
    ):
        assert expected in text
    strong = load_stories()[0].content
    assert review_story(strong).ok
    assert compose_answer(strong).startswith(strong.situation)


def test_the_kit_has_questions_stories_probes_and_escaped_scorecards(
    model: FitModel, stories: list[Story]
) -> None:
    qs = [
        model.question("Tell me about a time you failed <badly>."),
        model.question("Why do you want this job?"),
    ]
    plan = plan_loop([model.fits(q) for q in qs], [q.type is QuestionType.STORY for q in qs])
    kit = build_kit(qs, plan, {s.id: s for s in stories}, NOW, title="Kit for <Sam>")
    first = kit.items[0]
    assert first.story is not None and first.story.title.startswith("The outage")
    assert any("What would you do differently" in p for p in first.probes)
    assert kit.items[1].story is None
    md = kit_markdown(kit)
    assert "## 1. Tell me about a time you failed <badly>." in md
    assert "| 5 | All of 4, and owns the mistake without excuses" in md
    page = kit_html(kit)
    assert "<badly>" not in page and "&lt;badly&gt;" in page and "Kit for &lt;Sam&gt;" in page
    assert kit.to_dict()["items"][0]["scorecard"]["failure"][0]["score"] == 1
