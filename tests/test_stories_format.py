"""The story model, its fields and the Markdown story format: parsing, rendering, round trips, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.bank.taxonomy import COMPETENCIES
from starcoach.errors import InputError
from starcoach.ids import StoryId, slugify
from starcoach.stories.fields import parse_competencies, parse_metrics, parse_when
from starcoach.stories.markdown import (
    StoryFormatError,
    clean_field,
    parse_stories,
    render_stories,
    render_story,
    template,
)
from starcoach.stories.metrics import extract_metrics, is_quantified
from starcoach.stories.model import MetricKind, Scope, Story, StoryContent, StoryVersion

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

MINIMAL = """## Fixing the build
- **Situation**: The build was red.
- **Action**: I bisected it.
- **Result**: Green again in 2 hours.
"""


def test_the_fixture_file_parses_into_twelve_complete_stories() -> None:
    stories = parse_stories((FIXTURES / "stories.md").read_text(encoding="utf-8"))
    assert len(stories) == 12
    first = stories[0]
    assert first.title == "Cutting false alarms in the payments fraud model"
    assert first.competencies == ("technical-depth", "customer", "perseverance")
    assert first.scope is Scope.TEAM
    assert (first.started, first.ended) == ("2021-02", "2021-07")
    assert first.action.startswith("- I sampled 2,000 blocked payments")
    assert [m.item for m in first.metrics][:1] == ["false positives -45%"]
    assert all(s.situation and s.action and s.result for s in stories)


def test_rendered_stories_read_back_equal() -> None:
    stories = parse_stories((FIXTURES / "stories.md").read_text(encoding="utf-8"))
    assert parse_stories(render_stories(stories)) == stories


def test_fields_may_be_paragraphs_and_labels_may_put_the_colon_inside() -> None:
    text = "## Plain\n\n**Situation:** one\n**Action**: two\n\n**Outcome**: three\n**Key**: four\n"
    (story,) = parse_stories(text)
    assert (story.situation, story.action, story.result, story.learned) == ("one", "two", "three", "four")


def test_labels_inside_code_blocks_and_nested_bullets_stay_in_their_field() -> None:
    text = (
        "## Nested\n- **Situation**: s\n- **Action**:\n  - first I did this\n  - **Step two**: then that\n"
        "  ```\n  **Result**: not a field\n  ```\n- **Result**: r\n"
    )
    (story,) = parse_stories(text)
    assert "**Step two**: then that" in story.action
    assert "**Result**: not a field" in story.action
    assert story.result == "r"


def test_a_label_starts_a_field_at_the_bullet_level_and_not_when_indented_under_one() -> None:
    lazy = "## Lazy\n- **Situation**: s\n**Action**: a\n- **Result**: r\n"
    (story,) = parse_stories(lazy)
    assert (story.situation, story.action, story.result) == ("s", "a", "r")
    nested = "## Nested\n- **Situation**: s\n- **Action**: a\n  **Result**: not a field\n\n  **Task**: nor this\n"
    with pytest.raises(StoryFormatError) as info:
        parse_stories(nested, "mine.md")
    assert "missing Result" in str(info.value)
    assert "the **Result** on line 4 is indented under the field above" in str(info.value)
    (story,) = parse_stories(nested + "- **Result**: r\n")
    assert story.action == "a\n**Result**: not a field\n\n**Task**: nor this"
    assert story.task == ""


def test_html_comments_are_ignored() -> None:
    (story,) = parse_stories("<!-- note -->\n" + MINIMAL.replace("The build", "<!-- x -->The build"))
    assert story.situation == "The build was red."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Only a title\n\nSome prose.\n", "no stories found"),
        ("## T\n- **Situation**: s\n- **Action**: a\n", "story 'T' (line 1): missing Result"),
        (MINIMAL + "\n" + MINIMAL, "duplicate title (same as the story on line 1)"),
        (
            MINIMAL.replace("- **Action**", "- **Competencies**: leadershp\n- **Action**"),
            "field Competencies (line 3): unknown competency 'leadershp' (did you mean 'leadership'?",
        ),
        (
            MINIMAL.replace("**Result**", "**Resutl**"),
            "unknown field 'Resutl' on line 4; did you mean 'Result'?",
        ),
        (MINIMAL + "- **When**: 2023-13\n", "field When (line 5): '2023-13' has no month 13"),
        (MINIMAL + "- **Scope**: galaxy\n", "field Scope (line 5): unknown scope 'galaxy'"),
        (MINIMAL + "- **Metrics**: much faster\n", "field Metrics (line 5): 'much faster' has no number"),
        (MINIMAL + "- **Action**: again\n", "field Action is given twice (lines 3 and 5)"),
        ("## T\nJust prose here.\n- **Situation**: s\n", "text on line 2 belongs to no field"),
    ],
)
def test_bad_story_files_name_the_story_and_the_field(text: str, expected: str) -> None:
    with pytest.raises(StoryFormatError) as info:
        parse_stories(text, "mine.md")
    message = str(info.value)
    assert message.startswith("mine.md: ")
    assert expected in message
    assert message.endswith("(nothing was saved)")
    assert "\n" not in message


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = MINIMAL.replace("## Fixing", "## A").replace("2 hours", "") + "\n## B\n- **Situation**: only\n"
    with pytest.raises(StoryFormatError) as info:
        parse_stories(text)
    assert len(info.value.problems) == 1
    assert "story 'B' (line 6): missing Action, Result" in info.value.problems[0]


def test_an_oversized_field_is_refused() -> None:
    with pytest.raises(StoryFormatError, match="field Action is 20001 characters"):
        parse_stories(MINIMAL.replace("I bisected it.", "x" * 20_001))


def test_the_template_alone_is_not_a_story() -> None:
    with pytest.raises(StoryFormatError, match="missing Situation, Action, Result"):
        parse_stories(template())


def test_competency_names_ids_and_framework_principles_are_accepted() -> None:
    assert parse_competencies("Conflict resolution, ownership; amazon:dive-deep") == (
        "conflict",
        "ownership",
        "technical-depth",
    )
    with pytest.raises(InputError, match="unknown competency 'wizardry'"):
        parse_competencies("wizardry")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", ("2023", None)),
        ("2023-4", ("2023-04", None)),
        ("2023-04 to 2023-09", ("2023-04", "2023-09")),
        ("Mar 2022 - June 2022", ("2022-03", "2022-06")),
        ("2021-2022", ("2021", "2022")),
        ("2024-02-29", ("2024-02-29", None)),
        ("", (None, None)),
    ],
)
def test_dates(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_when(text) == expected


@pytest.mark.parametrize("text", ["last spring", "2023-05 to 2022-01", "2020 to 2021 to 2022", "Smarch 2020"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_when(text)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("latency dropped 40%", MetricKind.PERCENT, 40.0),
        ("saved $1.2M a year", MetricKind.MONEY, 1_200_000.0),
        ("a team of six", MetricKind.PEOPLE, 6.0),
        ("a 6-person team", MetricKind.PEOPLE, 6.0),
        ("three senior engineers", MetricKind.PEOPLE, 3.0),
        ("across 3 research teams", MetricKind.TEAMS, 3.0),
        ("it took 3 days", MetricKind.DURATION, 3 * 86400.0),
        ("2.5x faster", MetricKind.RATIO, 2.5),
        ("back in 2019", MetricKind.YEAR, 2019.0),
        ("served 2,000 customers", MetricKind.COUNT, 2000.0),
    ],
)
def test_metrics_have_a_kind_and_a_normalised_value(text: str, kind: MetricKind, value: float) -> None:
    (m,) = extract_metrics(text)
    assert (m.kind, m.value) == (kind, value)
    assert text[m.start : m.end] == m.text


def test_a_bare_number_takes_the_unit_of_the_range_it_starts() -> None:
    first, second = extract_metrics("median page time 55 -> 18 minutes")
    assert (first.kind, first.value, second.value) == (MetricKind.DURATION, 55 * 60.0, 18 * 60.0)


def test_number_words_need_a_unit_and_years_do_not_quantify() -> None:
    assert extract_metrics("one of them said no") == ()
    assert not is_quantified("It shipped in 2021 and everyone was happy.")
    assert is_quantified("Errors fell by a third, from 30 to 20 a day.")


def test_listed_metrics_keep_the_entry_they_came_from() -> None:
    metrics = parse_metrics("deploys: 3 days -> 10 minutes\n- $120k/year saved")
    assert [m.item for m in metrics] == ["deploys: 3 days -> 10 minutes"] * 2 + ["$120k/year saved"]


def test_revising_keeps_every_earlier_version() -> None:
    v1 = StoryContent("T", "s", action="a", result="r")
    story = Story.new(StoryId("t"), v1, T0)
    assert story.revise(v1, T0 + timedelta(days=1)) is story
    v2 = StoryContent("T", "s", action="a2", result="r")
    later = story.revise(v2, T0 + timedelta(days=2)).revise(
        StoryContent("T2", "s", action="a3", result="r"), T0
    )
    assert later.version == 3
    assert [v.version for v in later.history] == [1, 2]
    assert later.at_version(2) == v2
    assert later.at_version(1) == v1
    with pytest.raises(InputError, match="no version 7 \\(versions: 1, 2, 3\\)"):
        later.at_version(7)


def test_scopes_parse_from_everyday_words() -> None:
    assert Scope.parse("Several teams") is Scope.TEAMS
    assert Scope.parse("own work") is Scope.OWN
    assert Scope.parse("Company-wide") is Scope.ORG


_words = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=30).map(lambda s: " ".join(s.split()))
_text = _words.filter(bool)
_content = st.builds(
    StoryContent,
    title=_text.map(lambda s: s.title()),
    situation=_text,
    task=st.one_of(st.just(""), _text),
    action=st.lists(_text, min_size=1, max_size=3).map(lambda xs: "\n".join(f"- {x}" for x in xs)),
    result=_text,
    learned=st.one_of(st.just(""), _text),
    metrics=st.lists(st.integers(1, 999), max_size=3).map(
        lambda ns: parse_metrics("; ".join(f"{n}% faster" for n in ns))
    ),
    competencies=st.lists(st.sampled_from([c.id for c in COMPETENCIES]), max_size=3, unique=True).map(tuple),
    tags=st.lists(_text, max_size=3, unique=True).map(tuple),
    role=st.one_of(st.just(""), _text),
    scope=st.one_of(st.none(), st.sampled_from(list(Scope))),
    started=st.one_of(st.none(), st.sampled_from(["2020", "2021-03", "2022-11-05"])),
)


@settings(max_examples=60, deadline=None)
@given(_content)
def test_any_story_survives_markdown_and_dict_round_trips(content: StoryContent) -> None:
    assert parse_stories(render_story(content)) == (content,)
    assert StoryContent.from_dict(content.to_dict()) == content
    story = Story.new(StoryId("x"), content, T0).revise(
        StoryContent("Other", "s", action="a", result="r"), T0
    )
    assert Story.from_dict(story.to_dict()) == story
    assert StoryVersion.from_dict(story.history[0].to_dict()) == story.history[0]


def test_the_example_in_the_format_doc_is_a_valid_story() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "stories-format.md").read_text(encoding="utf-8")
    example = doc.split("```markdown", 1)[1].split("```", 1)[0]
    (story,) = parse_stories(example)
    assert story.competencies == ("leadership", "ownership", "technical-depth")
    assert story.scope is Scope.TEAMS


# Lines chosen to look like structure: fields, stories, headings, setext underlines, fences, comments.
_TRICKY_LINES = (
    "**Result**: looks like a field",
    "- **Task**: a bullet that looks like a field",
    "**Action:** the colon inside",
    "\t**Learned**: after a tab",
    "1. **Result**: numbered",
    "> **Situation**: quoted",
    "## Another story?",
    "# A new title?",
    "===",
    "---",
    "```",
    "    indented code",
    "<!-- a comment? -->",
    "<\\!-- written escaped",
    "<!--",
    "-->",
    "",
    "  ",
    "\r",
    "\r\n",
    "\u2028",
)
_any_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), st.sampled_from(_TRICKY_LINES)),
    max_size=6,
).map("\n".join)
_required_text = _any_text.filter(lambda t: clean_field(t).strip())
_title = (
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda t: t and slugify(t) != "zz-after-it")  # not the title of the story after it
)
_FREE_TEXT = ("situation", "task", "action", "result", "learned", "role")


@settings(max_examples=300, deadline=None)
@given(
    title=_title,
    situation=_required_text,
    task=_any_text,
    action=_required_text,
    result=_required_text,
    learned=_any_text,
    role=_any_text,
)
def test_any_field_text_survives_render_then_parse(
    title: str, situation: str, task: str, action: str, result: str, learned: str, role: str
) -> None:
    """Whatever a field holds comes back from its file, short of white space at line ends and around it."""
    typed = {"situation": situation, "task": task, "action": action, "result": result, "learned": learned, "role": role}
    content = StoryContent(title, **typed)
    after = StoryContent("Zz after it", "s", action="a", result="r")
    first, second = parse_stories(render_stories([content, after]))
    assert first == StoryContent(title, **{k: clean_field(v) for k, v in typed.items()})
    assert second == after
    for name in _FREE_TEXT:
        assert "".join(getattr(first, name).split()) == "".join(typed[name].split())
    assert parse_stories(render_story(first)) == (first,)
