"""Knowledge questions: typed on import, key points from the model answer, graded by those points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from starcoach.analysis.keypoints import key_points, label_pattern, stem, terms
from starcoach.analysis.pipeline import analyze
from starcoach.analysis.types import Analysis
from starcoach.bank.classify import document_type, is_technical, technical_document
from starcoach.bank.markdown import parse_markdown, to_markdown
from starcoach.bank.model import Point, Question, QuestionType
from starcoach.errors import ImportFormatError
from starcoach.ids import QuestionId

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parents[2] / "shared" / "seeds" / "day41-behavioral-interviews.md"

# A small technical day in our own words.
DAY = """# Day 99: Hypothesis Tests - Interview Questions

> **Topic**: Inference

### 1. Explain Type I and Type II errors.
**Answer:**
*   **Type I**: Rejecting the null hypothesis although it holds (a false alarm).
*   **Type II**: Keeping the null hypothesis although it is wrong (a missed effect).

### 2. What does a p-value tell you?
**Answer:**
*   The chance of data at least this extreme if the null hypothesis were true.
*   It is **not** the probability that the null hypothesis is true.

### 3. Reverse a linked list.
**Answer:**
*   Walk the list with three pointers: prev, curr and next.
*   Point `curr.next` back at prev, then advance all three.
*   Time: $O(N)$. Space: $O(1)$.
"""


def day() -> list[Question]:
    return list(parse_markdown(DAY, source="day99.md").bank.questions)


def grade(text: str, q: Question, emb: object = None) -> Analysis:
    return analyze(text, q, embedder=None) if emb is None else analyze(text, q)


# --- typing on import ----------------------------------------------------------------------------


def test_a_technical_day_imports_as_knowledge_and_the_behavioral_day_does_not() -> None:
    assert {q.type for q in day()} == {QuestionType.KNOWLEDGE}
    if SEED.exists():
        seed = parse_markdown(SEED.read_text(encoding="utf-8"), source=SEED.name).bank
        assert QuestionType.KNOWLEDGE not in {q.type for q in seed.questions}


def test_question_wording_decides_outside_a_technical_document() -> None:
    assert is_technical("What is the difference between L1 and L2 regularization?")
    assert is_technical("Explain gradient descent.")
    assert not is_technical("Tell me about a time you failed.")
    assert document_type("Explain gradient descent.", technical_doc=False) is QuestionType.KNOWLEDGE
    assert document_type("How do you handle tight deadlines?", technical_doc=False) is QuestionType.APPROACH
    assert document_type("Why do you want to work here?", technical_doc=True) is QuestionType.SELF
    assert not technical_document("Behavioral Interviews", ["Explain your role.", "What is X?"])


def test_the_header_can_force_a_type_and_export_keeps_it() -> None:
    text = DAY.replace("> **Topic**: Inference", "> **Topic**: Inference\n> **Type**: approach")
    bank = parse_markdown(text, source="d.md").bank
    assert {q.type for q in bank.questions} == {QuestionType.APPROACH}
    assert parse_markdown(to_markdown(bank), source="d.md").bank == bank
    with pytest.raises(ImportFormatError, match="Type"):
        parse_markdown(text.replace("**Type**: approach", "**Type**: quiz"), source="d.md")


def test_import_type_option_retypes_every_question(coach: object, tmp_path: Path) -> None:
    path = tmp_path / "beh.md"
    path.write_text("# Soft skills\n\n### 1. Tell me about a time you rescued a sinking sourdough starter.\n"
                    "**Answer:**\n*   A story.\n")
    coach.import_files([path], None, "knowledge")  # type: ignore[attr-defined]
    (q,) = [q for q in coach.all_questions() if q.bank != "builtin"]  # type: ignore[attr-defined]
    assert q.type is QuestionType.KNOWLEDGE


# --- key points ------------------------------------------------------------------------------------


def test_key_points_keep_label_text_code_and_denied_claims() -> None:
    pval = day()[1]
    kps = key_points(pval.points)
    assert len(kps) == 2 and kps[1].denied == (frozenset({"probabl", "null", "hypothesi", "true"}),)
    code = key_points(day()[2].points)[1]
    assert code.text == "Point `curr.next` back at prev, then advance all three." and code.name == ""
    (lead,) = key_points((Point("", "`np.dot`: a dot product."),))
    assert lead.name == "`np.dot`"
    assert label_pattern("Type I ($\\alpha$)") is not None
    assert label_pattern("Type I ($\\alpha$)").search("a type 1 error")  # type: ignore[union-attr]
    assert not label_pattern("Type I").search("a type II error")  # type: ignore[union-attr]


def test_stems_and_terms_match_paraphrases() -> None:
    assert stem("rejecting") == stem("reject") and stem("chance") == stem("probability")
    assert "nonconvex" in terms("the cost is non-convex")


# --- grading ---------------------------------------------------------------------------------------

COMPLETE = ("A type I error means rejecting the null hypothesis even though it holds, a false alarm; "
            "a type II error means keeping the null hypothesis although it is wrong, so a real effect is missed.")
PARTIAL = ("A type I error means rejecting the null hypothesis even though it actually holds, which is a "
           "false alarm that makes us claim an effect that is not there at all in reality.")
WRONG = ("A type I error means keeping the null hypothesis although it is wrong, a missed effect; a type II "
         "error means rejecting the null hypothesis even though it holds, which raises a false alarm.")
OFF = ("Gradient boosting adds shallow trees one after another, each fitted to the residual errors of the "
       "ensemble so far, with a learning rate that shrinks every step to avoid overfitting.")


@pytest.mark.parametrize("emb", [None, "auto"])
def test_scores_rank_complete_over_partial_over_off_topic_and_correct_over_wrong(emb: object) -> None:
    q = day()[0]
    s = {k: grade(t, q, emb).score for k, t in
         {"complete": COMPLETE, "partial": PARTIAL, "wrong": WRONG, "off": OFF}.items()}
    assert s["complete"] > s["partial"] > s["off"]
    assert s["complete"] > s["wrong"]


def test_points_are_covered_with_evidence_and_a_bare_keyword_is_not_enough() -> None:
    q = day()[0]
    a = grade(COMPLETE, q)
    assert [p.covered for p in a.points] == [True, True]
    start, end = a.points[0].evidence  # type: ignore[misc]
    assert "rejecting the null" in COMPLETE[start:end]
    assert not any(p.covered for p in grade("Type I. Type II.", q).points)


def test_a_swapped_definition_is_a_misconception_with_both_spans() -> None:
    q = day()[0]
    a = grade(WRONG, q)
    assert a.misconceptions, a.to_dict()
    m = a.misconceptions[0]
    assert WRONG[m.start:m.end] == m.text and m.point_text in {p.text for p in q.points}
    assert any(f.kind == "misconception" for f in a.flags)
    assert a.dimensions["correctness"].score <= 2
    assert not grade(COMPLETE, q).misconceptions


def test_a_denied_claim_is_caught_and_its_denial_is_not() -> None:
    q = day()[1]
    wrong = "The p-value is the probability that the null hypothesis is true, so 0.03 means it is almost surely false."
    right = ("It is the chance of data at least this extreme if the null hypothesis were true. "
             "It is not the probability that the null hypothesis is true.")
    assert grade(wrong, q).misconceptions[0].kind == "negation"
    assert not grade(right, q).misconceptions
    assert grade(right, q).score > grade(wrong, q).score


def test_a_wrong_complexity_is_caught() -> None:
    q = day()[2]
    a = grade("Use three pointers prev, curr and next, point curr.next back at prev and advance; "
              "it takes O(N^2) time.", q)
    assert [m.kind for m in a.misconceptions] == ["complexity"]


def test_knowledge_answers_have_no_star_rules_and_their_own_dimensions() -> None:
    a = grade(PARTIAL, day()[0])
    assert a.missing == () and {s.star for s in a.sentences} == {"other"}
    assert set(a.dimensions) == {"coverage", "correctness", "precision", "structure", "concision"}
    assert all(d.why for d in a.dimensions.values())
    assert any("Type II" in f for f in a.follow_ups)
    assert "**Type I**" in a.model_answer


def test_the_json_contract_round_trips_with_the_new_fields() -> None:
    a = grade(WRONG, day()[0])
    d = a.to_dict()
    assert d["question"]["type"] == "knowledge" and d["misconceptions"] and d["model_answer"]
    assert Analysis.from_dict(json.loads(json.dumps(d))) == a
    behavioral = analyze("I led the migration and we shipped it on time.", None, embedder=None).to_dict()
    assert "misconceptions" not in behavioral  # the behavioral contract is unchanged


def test_grading_is_deterministic_and_handles_a_question_without_points() -> None:
    q = day()[0]
    assert grade(WRONG, q, "auto").to_dict() == grade(WRONG, q, "auto").to_dict()
    bare = Question(QuestionId("bare"), "What is entropy?", type=QuestionType.KNOWLEDGE)
    a = grade("Entropy measures the uncertainty of a distribution.", bare)
    assert a.points == () and 0 <= a.score <= 100


def test_a_paraphrase_covers_a_point() -> None:
    point = Point("", "Gradient descent moves the weights against the gradient of the loss.")
    q = Question(QuestionId("q"), "Explain gradient descent.", type=QuestionType.KNOWLEDGE, points=(point,))
    assert grade("Each step shifts the weights opposite to the loss gradient, downhill.", q).points[0].covered
