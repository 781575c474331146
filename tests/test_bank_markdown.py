"""Seed-format Markdown import and export: what a user gets when they bring their own study notes."""

from __future__ import annotations

import dataclasses
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from starcoach.bank.classify import classify, cue_ids
from starcoach.bank.markdown import (
    doc_types,
    make_question,
    parse_markdown,
    split_label,
    to_markdown,
)
from starcoach.bank.model import Bank, Point, QuestionType
from starcoach.bank.taxonomy import is_competency
from starcoach.errors import ImportFormatError
from starcoach.ids import BankId

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parents[2] / "shared" / "seeds" / "day41-behavioral-interviews.md"
FIXTURE_NAMES = ("behavioral.md", "statistics.md", "coding.md", "messy.md", "design_h2.md")

_WORD = re.compile(r"[A-Za-z0-9]+")
# Words that only mark structure (the answer/follow-up/red-flag lines) may leave the text.
_MARKER_WORDS = {"answer", "follow", "ups", "red", "flags"}


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


_LIST_NUMBER = re.compile(r"^[ \t>]*\d{1,9}[.)](?=[ \t]|$)", re.MULTILINE)


def source_words(text: str) -> Counter[str]:
    """Words of a document, less structure: marker words and ordered-list numbers (a point's
    position keeps its order)."""
    text = _LIST_NUMBER.sub("", text)
    return Counter(w.lower() for w in _WORD.findall(text) if w.lower() not in _MARKER_WORDS)


def bank_words(bank: Bank) -> Counter[str]:
    parts = [bank.title, bank.preamble, *(f"{k} {v}" for k, v in bank.meta)]
    for q in bank.questions:
        parts += [q.text, "" if q.number is None else str(q.number), *q.follow_ups, *q.red_flags]
        parts += [f"{p.label} {p.text}" for p in q.points]
    return Counter(w.lower() for w in _WORD.findall("\n".join(parts)))


def assert_round_trip(bank: Bank) -> str:
    """Export, import again: the same bank; and exporting that gives the same text."""
    text = to_markdown(bank)
    again = parse_markdown(text, source=bank.source, bank_id=bank.id).bank
    assert again == bank
    assert to_markdown(again) == text
    return text


# --- the seed document --------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="the seed document is not beside this checkout")
def test_seed_document_imports_all_twenty_questions_with_every_bullet() -> None:
    text = SEED.read_text(encoding="utf-8")
    parsed = parse_markdown(text, source=SEED.name)
    bank = parsed.bank
    assert len(bank.questions) == 20
    assert [q.number for q in bank.questions] == list(range(1, 21))
    bullets = [ln for ln in text.splitlines() if re.match(r"^\s*[*+-]\s+\S", ln)]
    assert sum(len(q.points) for q in bank.questions) == len(bullets)
    assert parsed.warnings == ()
    assert dict(bank.meta)["Topic"]
    first = bank.questions[0]
    assert first.type is QuestionType.STORY and "conflict" in first.competencies
    assert [p.label for p in first.points][:3] == ["Situation", "Action", "Result"]
    assert bank.questions[-1].type is QuestionType.CLOSING
    assert not (source_words(text) - bank_words(bank))
    assert assert_round_trip(bank) == text  # the seed is already in canonical form


# --- fixture documents ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_round_trips_and_keeps_every_word(name: str) -> None:
    text = load(name)
    bank = parse_markdown(text, source=name).bank
    assert_round_trip(bank)
    assert not (source_words(text) - bank_words(bank))
    ids = [q.id for q in bank.questions]
    assert len(set(ids)) == len(ids)
    assert all(is_competency(c) for q in bank.questions for c in q.competencies)
    assert all(q.source == name and q.bank == bank.id for q in bank.questions)


def test_behavioral_fixture_keeps_header_labels_and_nested_bullets() -> None:
    parsed = parse_markdown(load("behavioral.md"), source="behavioral.md")
    bank = parsed.bank
    assert bank.id == "practice-set-working-with-people"
    assert bank.title == "Practice Set: Working With People"
    assert [k for k, _ in bank.meta] == ["Topic", "Focus", "Level"]
    assert bank.preamble.startswith("These sample answers are deliberately short.")
    assert parsed.warnings == ()
    action = bank.questions[0].points[2]
    assert action.label == "Action"
    assert action.text.split("\n")[1:] == [
        "*   Shared my own notes from my first month.",
        "*   Asked them to run the next design review.",
    ]
    assert bank.questions[1].points[2] == Point("", "Revisit the list every Monday morning.")
    assert bank.questions[2].points[3] == Point("Key", "Say no to the solution, yes to the need.")  # **Key:**
    missed = bank.questions[4]
    assert missed.follow_ups == (
        "What would you do differently next time?",
        "Who did you tell first, and why?",
    )
    assert missed.red_flags == ("Blaming the vendor without owning the plan.",)
    assert [q.type for q in bank.questions] == [
        QuestionType.STORY,
        QuestionType.APPROACH,
        QuestionType.STORY,
        QuestionType.SELF,
        QuestionType.STORY,
        QuestionType.SELF,
        QuestionType.CLOSING,
    ]


def test_statistics_fixture_keeps_math_tables_and_numbered_lists() -> None:
    bank = parse_markdown(load("statistics.md"), source="statistics.md").bank
    pvalue, tradeoff, ttest, reg, ci = bank.questions
    assert pvalue.points[1] == Point("Not", r"It is *not* $P(H_0 \mid \text{data})$.")  # **Answer**: variant
    decomposition = tradeoff.points[0]
    assert decomposition.label == "Decomposition"
    assert decomposition.text.startswith("$$\n\\mathbb{E}") and decomposition.text.endswith("\n$$")
    table = tradeoff.points[-1]
    assert table.label == "" and table.text.splitlines()[1] == "|-------|------|----------|"
    assert ttest.points[0].text == r"The population standard deviation $\sigma$ is unknown."
    assert (
        len(reg.points) == 2 and reg.points[0].text.count("\n") == 1 and reg.points[1].text.startswith("> ")
    )
    assert ci.points[1] == Point("Table", "| Lift | 95% CI |\n|------|--------|\n| 2.1% | [0.4%, 3.8%] |")
    assert all(q.type is QuestionType.KNOWLEDGE for q in bank.questions[:4])
    assert tradeoff.competencies == ()  # a technical question probes no behavioral competency


def test_coding_fixture_keeps_code_verbatim_and_problem_statement_in_question() -> None:
    bank = parse_markdown(load("coding.md"), source="coding.md").bank
    reverse, two_sum, brackets, testing = bank.questions
    assert reverse.text.startswith("Reverse a singly linked list.\n\nGiven the head of a list")
    code = reverse.points[1]
    assert code.label == "Code"
    assert code.text.splitlines()[0] == "```python"
    assert "        head.next, prev, head = prev, head, head.next" in code.text.splitlines()
    assert two_sum.points[0] == Point("", "Keep a dictionary from value to index while scanning.")
    assert two_sum.points[1].text.startswith("```python\ndef two_sum(nums, target):\n    seen = {}")
    assert [p.label for p in brackets.points] == ["Idea", "Trap"]  # bullets indented as code, read as bullets
    assert testing.text == "How do you test a function like `two_sum`?"
    assert testing.points[2].text == "`pytest -q` in CI on every push."


def test_messy_fixture_reads_every_variant_and_warns_by_line() -> None:
    parsed = parse_markdown(load("messy.md"), source="messy.md")
    bank = parsed.bank
    assert bank.title == "Mixed Bag: ML Interviews" and bank.id == "mixed-bag-ml-interviews"
    assert bank.meta == (("Topic", "Odds and ends"),)
    assert "Notes copied from an old study doc." in bank.preamble
    assert "> Some of these came from a study group." in bank.preamble
    overfit, imbalance, incident, curse, precision, metric = bank.questions
    assert len(overfit.points) == 2
    assert [p.label for p in imbalance.points[:3]] == ["Resample", "Reweight", "Metric"]  # no Answer line
    assert imbalance.points[3].text.startswith("Text between questions")
    assert imbalance.points[4].text == "## Bonus round"
    assert incident.points[0].text.splitlines()[1:] == [
        "*   p99 went from 120 ms to 900 ms.",
        "    *   Only in one region.",
    ]
    assert curse.points == ()
    assert [p.label for p in precision.points[:2]] == ["Precision", "Recall"]
    assert precision.points[2].text == "[wiki]: https://example.org/precision-recall"
    assert metric.number is None and metric.id == "mbmi-6"
    assert curse.id != precision.id
    assert parsed.warnings == (
        "line 24: heading 'Bonus round' inside question 2 was kept as one of its points",
        "line 36: question 4 has no answer",
        "line 39: question number 4 is used more than once",
    )


def test_numbered_h2_questions_with_h3_subsections() -> None:
    bank = parse_markdown(load("design_h2.md"), source="design_h2.md").bank
    feed, spam = bank.questions
    assert feed.number == 1 and spam.number == 2
    assert "### Requirements" in feed.text
    assert [p.label for p in feed.points[:2]] == ["Candidates", "Ranking"]
    assert feed.points[2].text == "### Trade-offs"
    exported = assert_round_trip(bank)
    assert "\n## 1. Design a news feed ranking system.\n" in exported


# --- smaller behaviors --------------------------------------------------------------------------


def test_crlf_bom_and_tabs_read_like_plain_lf() -> None:
    text = load("behavioral.md")
    plain = parse_markdown(text, source="a.md").bank
    windows = parse_markdown("\ufeff" + text.replace("\n", "\r\n"), source="a.md").bank
    assert windows == plain
    tabbed = parse_markdown("# T\n### 1. Q?\n**Answer:**\n*\tfirst\n\t*\tnested\n", source="t.md").bank
    assert tabbed.questions[0].points == (Point("", "first\n*\tnested"),)


def test_bank_id_comes_from_argument_then_title_then_file_stem() -> None:
    doc = "# My Own Set!\n\n### 1. Why here?\n**Answer:**\n* Because.\n"
    assert parse_markdown(doc, source="x/y.md").bank.id == "my-own-set"
    assert parse_markdown(doc, source="x/y.md", bank_id="mine").bank.id == "mine"
    untitled = parse_markdown(doc.split("\n", 2)[2], source="notes/Day 7 Stats.md")
    assert untitled.bank.id == "day-7-stats"
    assert untitled.warnings[0].startswith("line 1: no '# Title' heading")


def test_question_ids_are_stable_short_and_unique() -> None:
    doc = "# B\n### 3. Tell me about a time you failed.\n* a\n### 3. Tell me about a time you failed.\n* b\n"
    first = parse_markdown(doc, source="b.md").bank
    assert [q.id for q in first.questions] == [
        "b-3",
        "b-3-2",
    ]
    assert parse_markdown(doc, source="b.md").bank == first


def test_question_number_variants() -> None:
    doc = "# B\n### Q4: Why us?\n* a\n### 5) How do you learn?\n* b\n### No number here\n* c\n"
    numbers = [q.number for q in parse_markdown(doc, source="b.md").bank.questions]
    assert numbers == [4, 5, None]


def test_answer_text_on_the_marker_line_and_lazy_lines_become_points() -> None:
    doc = "# B\n### 1. What is a p-value?\n**Answer:** The chance of data this extreme\nunder the null.\n"
    (q,) = parse_markdown(doc, source="b.md").bank.questions
    assert q.points == (Point("", "The chance of data this extreme\nunder the null."),)


def test_split_label_accepts_both_colon_placements() -> None:
    assert split_label("**Situation**: text") == ("Situation", "text")
    assert split_label("**Situation:** text") == ("Situation", "text")
    assert split_label("**Impact vs Effort**.") == ("", "**Impact vs Effort**.")
    assert split_label("plain: text") == ("", "plain: text")


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        ("", "empty document"),
        ("  \n\n\t\n", "empty document"),
        ("# Notes\n\nJust prose, no questions.\n\n## A section\n", "no questions found"),
        ("* one\n* two\n", "no questions found"),
    ],
)
def test_documents_without_questions_are_rejected_naming_the_file(doc: str, problem: str) -> None:
    with pytest.raises(ImportFormatError) as err:
        parse_markdown(doc, source="notes/empty.md")
    assert str(err.value).startswith("notes/empty.md: ")
    assert problem in str(err.value)
    assert err.value.path == "notes/empty.md"


# --- classification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "competencies"),
    [
        ("Tell me about a time you had a conflict with a teammate.", "story", ("conflict", "teamwork")),
        ("Describe a time you disagreed with your manager.", "story", ("conflict", "disagree-manager")),
        ("Give me an example of a mistake you made.", "story", ("failure",)),
        ("How do you handle tight deadlines?", "approach", ("deadlines",)),
        ("How do you deal with ambiguity?", "approach", ("ambiguity",)),
        ("What is your greatest weakness?", "self", ("feedback",)),
        ("Why do you want to work here?", "self", ("motivation",)),
        ("What are you looking for in your next role?", "self", ("motivation",)),
        ("Do you have any questions for us?", "closing", ()),
        ("What is the bias-variance trade-off?", "approach", ()),
        ("Explain gradient descent.", "approach", ()),
    ],
)
def test_classify_by_wording(text: str, kind: str, competencies: tuple[str, ...]) -> None:
    result = classify(text)
    assert result.type.value == kind
    assert result.competencies == competencies


def test_every_cue_names_a_real_competency() -> None:
    assert cue_ids() and all(is_competency(c) for c in cue_ids())


# --- properties ---------------------------------------------------------------------------------

ALPHABET = string.ascii_letters + string.digits + " *_`#>|-+=.:;!?()[]{}<>&$%@'\"/\\~^"
_LETTERS = st.sampled_from(string.ascii_letters)
_word = st.text(st.sampled_from(string.ascii_letters + string.digits), min_size=1, max_size=8)
_odd_word = st.text(st.sampled_from(ALPHABET.replace(" ", "")), min_size=1, max_size=6)
_any_word = st.one_of(_word, _word, _odd_word)


@st.composite
def safe_line(draw: st.DrawFn) -> str:
    """A line that is a paragraph wherever it stands: it starts with a letter."""
    return " ".join([draw(_LETTERS) + draw(_word), *draw(st.lists(_any_word, max_size=6))])


def _canonical(text: str) -> bool:
    lines = text.split("\n")
    return bool(text) and text == text.strip(" \t\n") and bool(lines[0].strip()) and "\r" not in text


_code = st.builds(
    lambda lang, body: f"```{lang}\n" + "\n".join(body) + "\n```",
    st.sampled_from(["", "python", "sql"]),
    st.lists(st.text(ALPHABET, max_size=20).map(str.rstrip), max_size=4),
)
_table = st.builds(
    lambda a, b: f"| {a} | {b} |\n|---|---|\n| {b} | {a} |",
    _word,
    _word,
)
_nested = st.builds(
    lambda a, bs: a + "".join(f"\n*   {b}" for b in bs), safe_line(), st.lists(safe_line(), max_size=3)
)
_multi = st.builds(
    lambda first, rest: "\n".join([first, *rest]),
    st.text(ALPHABET, min_size=1, max_size=30),
    st.lists(st.text(ALPHABET, max_size=30), max_size=4),
)
_math = st.builds(lambda a: f"$$\n{a}^2 + \\sum_i x_i\n$$", _word)
point_text = st.one_of(safe_line(), safe_line(), _multi, _code, _table, _nested, _math).filter(_canonical)
label = (
    st.text(st.sampled_from(ALPHABET.replace("*", "")), min_size=1, max_size=15).map(str.strip).filter(bool)
)


@st.composite
def point(draw: st.DrawFn) -> Point:
    text = draw(point_text)
    if draw(st.booleans()):
        return Point(draw(label), draw(st.one_of(st.just(""), point_text)))
    assume(split_label(text)[0] == "")
    return Point("", text)


@st.composite
def question_text(draw: st.DrawFn, number: int | None) -> str:
    head = draw(safe_line()).rstrip()
    assume(not re.search(r"(^|\s)#+$", head))
    assume(not re.match(r"^(?:q(?:uestion)?\s*)?\d", head, re.IGNORECASE))
    assume(not re.match(r"^(answer|follow|red)", head, re.IGNORECASE))
    extra = draw(st.lists(safe_line(), max_size=2))
    extra = [ln for ln in extra if not re.match(r"^(answer|follow|red)", ln, re.IGNORECASE)]
    return head + ("\n\n" + "\n\n".join(e.rstrip() for e in extra) if extra else "")


@st.composite
def markdown_bank(draw: st.DrawFn) -> Bank:
    bid = BankId("gen")
    meta = draw(st.lists(st.tuples(_word, st.text(ALPHABET, max_size=20).map(str.strip)), max_size=3))
    preamble = "\n\n".join(ln.rstrip() for ln in draw(st.lists(safe_line(), max_size=2)))
    questions = []
    for i in range(1, draw(st.integers(1, 4)) + 1):
        number = draw(st.one_of(st.none(), st.integers(0, 999)))
        questions.append(
            make_question(
                bid,
                i,
                number,
                draw(question_text(number)),
                tuple(draw(st.lists(point(), max_size=4))),
                follow_ups=tuple(draw(st.lists(point_text, max_size=2))),
                red_flags=tuple(draw(st.lists(point_text, max_size=2))),
                source="gen.md",
            )
        )
    ids = [q.id for q in questions]
    assume(len(set(ids)) == len(ids))
    title = draw(st.one_of(st.just(""), safe_line().map(str.rstrip)))
    assume(not re.search(r"(^|\s)#+$", title))
    assume(all(k.lower() not in ("type", "question type") for k, _ in meta))
    # The document decides its questions' types (a technical document makes knowledge questions).
    types = doc_types(title, meta, [q.text for q in questions], "gen.md")
    questions = [dataclasses.replace(q, type=t) for q, t in zip(questions, types, strict=True)]
    return Bank(bid, title, tuple(questions), tuple(meta), preamble, "gen.md")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(markdown_bank())
def test_generated_banks_survive_export_and_import(bank: Bank) -> None:
    assert_round_trip(bank)


_PIECES = [
    "# Title here",
    "## Section",
    "## 2. Numbered section question?",
    "### 1. Tell me about a time you failed?",
    "### Unnumbered question",
    "#### Step",
    "**Answer:**",
    "**Answer**: inline answer",
    "Answer: plain marker",
    "**Follow-ups:**",
    "**Red flags:**",
    "*   **Label**: labeled bullet",
    "*   plain bullet",
    "-   dash bullet",
    "    *   nested bullet",
    "        deeper indented",
    "1. ordered",
    "2) ordered",
    "> **Topic**: meta",
    "> plain quote",
    "---",
    "***",
    "```",
    "```python",
    "x = 1",
    "| a | b |",
    "|---|---|",
    "$$",
    "<!-- comment -->",
    "<div>",
    "[ref]: http://example.org",
    "",
    "",
    "",
    "plain paragraph text",
    "\ttabbed text",
    "Setext",
    "===",
    "*",
    "**Key:** value",
]


_HEADINGS = ["### 1. Tell me about a time you failed?", "### Unnumbered question", "## 2. Numbered section?"]
_doc_lines = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(ALPHABET, max_size=25)), max_size=12)
_section = st.builds(lambda head, body: [head, *body], st.sampled_from(_HEADINGS), _doc_lines)
_document = st.builds(
    lambda head, sections: head + [line for sec in sections for line in sec],
    _doc_lines,
    st.lists(_section, max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(_document)
def test_any_document_either_fails_cleanly_or_round_trips_without_losing_words(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        bank = parse_markdown(text, source="fuzz.md").bank
    except ImportFormatError as err:
        assert str(err).startswith("fuzz.md: ")
        event("no questions")
        return
    event("parsed")
    assert_round_trip(bank)
    assert not (source_words(text) - bank_words(bank))
