"""analyze(): what a user sees for good, weak, degraded and adversarial answers, and for bad input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.analysis.pipeline import analyze
from starcoach.analysis.types import DIMENSIONS
from starcoach.bank.builtin import builtin_bank
from starcoach.errors import AnswerError

QUESTION = "Tell me about a time you improved a process."
GOOD = (
    "At my last company every release of our billing service took three days, because QA signed off "
    "by hand and the deploy script broke about once a month. As the engineer who owned the release "
    "process, I had to make it faster without making it riskier. I mapped every manual step with the "
    "QA lead and found that two thirds of the time went into re-running the same smoke tests. I wrote "
    "a GitHub Actions pipeline that ran those tests on every merge, and I added a canary stage in "
    "Kubernetes with automatic rollback when the error rate went above one percent. I also wrote a "
    "one-page runbook and walked the team through it. As a result, releases now take 40 minutes instead "
    "of three days, we went from one release a week to four, and we had zero rollbacks in the next "
    "quarter. I learned to measure where the time goes before automating anything."
)


def test_a_good_answer_scores_well_with_every_part_labeled() -> None:
    a = analyze(GOOD, QUESTION)
    assert a.score >= 60
    assert a.missing == ()
    stars = [s.star for s in a.sentences]
    assert stars[0] == "situation" and "action" in stars and stars[-2] == "result"
    assert set(a.dimensions) == set(DIMENSIONS)
    assert all(1 <= d.score <= 5 and d.why for d in a.dimensions.values())
    for s in a.sentences:
        assert GOOD[s.start:s.end] == s.text
        assert 0.0 <= s.confidence <= 1.0
    assert a.speaking_seconds == round(a.words / 150 * 60)


def test_output_is_byte_identical_twice() -> None:
    one = json.dumps(analyze(GOOD, QUESTION).to_dict(), sort_keys=True)
    two = json.dumps(analyze(GOOD, QUESTION).to_dict(), sort_keys=True)
    assert one == two


def test_bank_question_by_object_brings_its_points_and_follow_ups() -> None:
    q = next(q for q in builtin_bank().questions if q.id == "improved-process")
    a = analyze(GOOD, q)
    assert a.question.id == "improved-process"
    assert len(a.points) == len(q.points)
    assert any(p.covered for p in a.points)
    for p in a.points:
        if p.covered and p.evidence is not None:
            assert 0 <= p.evidence[0] < p.evidence[1] <= len(GOOD)
    assert 1 <= len(a.follow_ups) <= 3


def test_removing_the_result_is_reported_and_costs_score() -> None:
    cut = GOOD[: GOOD.index("As a result")].strip()
    a = analyze(cut, QUESTION)
    assert "result" in a.missing
    assert a.score < analyze(GOOD, QUESTION).score
    assert "What was the outcome?" in a.follow_ups


def test_blurred_numbers_blame_and_fillers_each_cost_score() -> None:
    base = analyze(GOOD, QUESTION).score
    blurred = GOOD.replace("40 minutes", "less time").replace("three days", "a while").replace(
        "one release a week to four", "fewer releases to more").replace("zero rollbacks", "few rollbacks")
    blame = GOOD.replace("I also wrote", "Honestly the QA team was lazy and never listened to anyone. I also wrote")
    fillers = " ".join(w + (" um, like," if i % 6 == 5 else "") for i, w in enumerate(GOOD.split()))
    for worse in (blurred, blame, fillers):
        assert analyze(worse, QUESTION).score < base


def test_we_instead_of_i_lowers_ownership() -> None:
    we = GOOD.replace("I mapped", "We mapped").replace("I wrote", "we wrote").replace(
        "I added", "we added").replace("I also wrote", "We also wrote")
    assert analyze(we, QUESTION).dimensions["ownership"].score < analyze(GOOD, QUESTION).dimensions["ownership"].score


@pytest.mark.parametrize(
    "junk",
    [
        "I handled it well and it worked out fine.",
        "Situation task action result. Teamwork, leadership, ownership, impact, communication, stakeholders, "
        "metrics, data-driven, collaboration, results, learned, growth. " * 2,
        QUESTION + " " + QUESTION,
        "pipeline the merge QA rollback I every three walked two canary of time the found runbook a with "
        "percent tests wrote on by minutes the stage smoke added and days one I quarter went into error "
        "same the Kubernetes billing re-running hand instead we releases rate week process lead four team",
    ],
)
def test_non_answers_land_at_the_bottom(junk: str) -> None:
    assert analyze(junk, QUESTION).score <= 15


def test_length_alone_does_not_buy_score() -> None:
    padded = GOOD + " " + " ".join(["We also had many meetings about various things."] * 40)
    assert analyze(padded, QUESTION).score < analyze(GOOD, QUESTION).score


def test_works_without_an_embedder_and_says_what_was_skipped() -> None:
    a = analyze(GOOD, QUESTION, embedder=None)
    assert "relevance-semantic" in a.skipped
    assert a.score > 40 and a.missing == ()


def test_question_is_optional() -> None:
    a = analyze(GOOD)
    assert a.question.text == "" and a.question.id is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [("", "empty"), ("   \n\t ", "empty"), ("abc\x00\x01\x02def" * 10, "binary"),
     ("word " * 250_000, "limit"), ("1234 5678 !!!", "no words")],
)
def test_bad_input_raises_one_clear_line(bad: str, words: str) -> None:
    with pytest.raises(AnswerError) as info:
        analyze(bad, QUESTION)
    msg = str(info.value)
    assert words in msg and "\n" not in msg


def test_approach_question_is_judged_on_talking_points() -> None:
    q = next(q for q in builtin_bank().questions if q.type.value == "approach" and q.points)
    a = analyze("First I sort the work by impact and effort and cut scope to the must-haves. Then I tell "
                "the people who depend on me about the risks early, and I ask for help or split the work "
                "when one person cannot finish it alone.", q)
    assert a.question.type == "approach"
    assert a.missing == ()
    assert len(a.points) == len(q.points)


def test_closing_question_only_about_salary_is_called_out() -> None:
    a = analyze("What is the salary range and how many vacation days do I get? Is there a bonus?",
                "Do you have any questions for us?")
    assert a.question.type == "closing"
    assert any("pay" in s for s in a.suggestions)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_any_text_gives_a_valid_analysis_or_one_clear_error(text: str) -> None:
    try:
        a = analyze(text, QUESTION)
    except AnswerError as err:
        assert "\n" not in str(err)
        return
    assert 0 <= a.score <= 100
    assert all(1 <= d.score <= 5 for d in a.dimensions.values())
    for s in a.sentences:
        assert text[s.start:s.end] == s.text
    for f in a.flags:
        assert text[f.start:f.end] == f.text
    json.dumps(a.to_dict())


def test_a_real_weakness_with_a_plan_beats_a_cliche() -> None:
    q = "What is your greatest weakness?"
    cliche = analyze("My biggest weakness is perfectionism. I work too hard and care too much about quality, "
                     "so sometimes I stay late to polish things that are already good enough.", q)
    real = analyze("I find it hard to say no, so I used to take on more than I could finish well. Last year I "
                   "started keeping a visible list of what I have committed to, and I now check it with my "
                   "manager before I accept anything new. I still slip sometimes, but I have not missed a "
                   "commitment in the last two quarters.", q)
    assert real.score > cliche.score
    assert "disguised strength" in cliche.suggestions[0]
    assert not any("disguised" in s for s in real.suggestions)


def test_labels_the_user_wrote_are_kept_and_are_not_buzzwords() -> None:
    text = ("* **Situation**: Model deployment took 3 days because every step was manual.\n"
            "* **Action**: I automated it with a CI/CD pipeline in GitHub Actions and wrote a runbook.\n"
            "* **Result**: Deployment now takes 10 minutes and nobody has done a manual release since.")
    a = analyze(text, QUESTION)
    assert [s.star for s in a.sentences] == ["situation", "action", "result"]
    assert not any(f.kind == "keyword-stuffing" for f in a.flags)
    assert a.missing == ()


def test_follow_ups_do_not_ask_for_what_the_answer_already_says() -> None:
    from starcoach.analysis.feedback import already_answered

    answer = ("I asked our product manager, Dana, to sit with me for an hour. I learned to bring the data "
              "first. Latency dropped 40 percent.")
    assert already_answered("Who did you ask for help?", answer)
    assert already_answered("How did you measure the result?", answer)
    assert already_answered("What would you do differently next time?", answer)
    assert not already_answered("Who did you ask for help?", "I fixed it alone over the weekend.")
    a = analyze(answer + " It took two weeks to roll out to every region.", "Tell me about a time you asked for help")
    assert "How did you measure the result?" not in a.follow_ups
    assert "What would you do differently next time?" not in a.follow_ups
