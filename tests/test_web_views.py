"""Pure helpers of the web app, checked as properties: highlighting never loses or invents a character,
charts escape their labels and stay well-formed SVG, the Host check only lets loopback in, and the
story form's Markdown reads back to the fields the user typed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from starcoach.web.security import LOOPBACK_HOSTS, Guard, cookie_name, split_host
from starcoach.web.story_views import form_markdown
from starcoach.web.views import bar_chart, evidence_text, highlight, line_chart, star_counts

LABELS = ("situation", "task", "action", "result", "other")
spans = st.lists(st.tuples(st.integers(-5, 300), st.integers(-5, 300)), max_size=12)


@given(text=st.text(max_size=200), sentence_spans=spans, flag_spans=spans, labels=st.lists(st.sampled_from(LABELS)))
def test_highlight_spells_out_exactly_the_answer(
    text: str, sentence_spans: list[tuple[int, int]], flag_spans: list[tuple[int, int]], labels: list[str]
) -> None:
    sentences = [
        {"start": a, "end": b, "star": labels[i % len(labels)] if labels else "other", "confidence": 0.5}
        for i, (a, b) in enumerate(sentence_spans)
    ]
    flags = [{"start": a, "end": b, "kind": "filler"} for a, b in flag_spans]
    segments = highlight(text, sentences, flags)
    assert "".join(p.text for s in segments for p in s.parts) == text
    assert all(p.text for s in segments for p in s.parts)
    assert all(s.star in (*LABELS, None) for s in segments)


def test_highlight_marks_sentences_and_flags_where_the_offsets_say() -> None:
    text = "We had an outage. I kind of fixed it."
    segments = highlight(
        text,
        [{"start": 0, "end": 17, "star": "situation"}, {"start": 18, "end": 37, "star": "action"}],
        [{"start": 20, "end": 27, "kind": "hedge"}],
    )
    assert [s.star for s in segments] == ["situation", None, "action"]
    assert [(p.text, p.flag) for p in segments[2].parts] == [("I ", None), ("kind of", "hedge"), (" fixed it.", None)]
    assert star_counts([{"star": "action"}, {"star": "weird"}]) == {
        "situation": 0,
        "task": 0,
        "action": 1,
        "result": 0,
        "other": 1,
    }


def test_evidence_is_shortened_and_tolerates_bad_offsets() -> None:
    assert evidence_text("abc  def", [0, 8]) == "abc def"
    assert evidence_text("abc", None) == "" and evidence_text("abc", [5, 1]) == ""
    assert evidence_text("word " * 100, [0, 500], limit=20).endswith("…")


@given(labels=st.lists(st.text(max_size=30), max_size=12), values=st.lists(st.floats(-10, 200), max_size=12))
def test_charts_are_well_formed_svg_with_escaped_labels(labels: list[str], values: list[float]) -> None:
    clean = ["".join(ch for ch in label if ch.isprintable()) for label in labels]
    series = list(zip(clean, values, strict=False))
    for svg in (line_chart(series, title="<t>"), bar_chart(series, title="<t>", x_max=100)):
        root = ET.fromstring(str(svg))
        assert root.tag.endswith("svg")
        assert "<script" not in str(svg)


def test_a_chart_with_no_data_says_so() -> None:
    assert "no data yet" in line_chart([], title="trend")


@given(st.from_regex(r"[a-z0-9.-]{1,30}", fullmatch=True), st.integers(0, 65535))
def test_only_loopback_hosts_pass(name: str, port: int) -> None:
    guard = Guard.make("x" * 32)
    assert guard.host_allowed(f"{name}:{port}") == (name in LOOPBACK_HOSTS)
    assert all(guard.host_allowed(f"{h}:{port}") for h in ("localhost", "127.0.0.1", "[::1]"))
    assert not guard.host_allowed(None) and not guard.host_allowed("")


def test_host_header_parts() -> None:
    assert split_host("[::1]:8765") == ("[::1]", "8765")
    assert split_host("LocalHost") == ("localhost", "")
    assert cookie_name("127.0.0.1:8765") == "starcoach_session_8765"
    assert cookie_name(None) == "starcoach_session"


TRICKY = (
    "- **Task**: a label inside a field",
    "first line\n**Result**: a later line that looks like a field",
    "first line\n\n- **Result**: after a blank line\n**Task:** colon inside",
    "## Looks like another story",
    "1. first step\n2. second step",
    "- a bullet\n  - a nested one",
    "> a quote",
    "```\ncode **Action**: x\n```",
    "<b>html</b> & <script>x</script>",
    "# a heading",
    "a line\n===\nan underline",
    "line one\n\n\nline two",
    "a <!-- not a comment --> here",
)
field_text = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")), min_size=1, max_size=80
    ).filter(lambda t: t.strip()),
    st.sampled_from(TRICKY),
)


@given(situation=field_text, action=field_text, result=field_text, extra=st.sampled_from(["", "\n", "\n\n"]))
def test_the_story_form_reads_back_as_typed(situation: str, action: str, result: str, extra: str) -> None:
    """What the user types in a field is what the story service stores (outer blanks aside)."""
    from starcoach.stories.markdown import parse_stories

    fields = {"title": "A story", "situation": situation, "action": action + extra + action, "result": result}
    (story,) = parse_stories(form_markdown(fields), "form")
    assert story.situation == typed(situation)
    assert story.action == typed(action + extra + action)
    assert story.result == typed(result)


def test_a_field_line_that_looks_like_another_field_stays_in_its_field() -> None:
    from starcoach.stories.markdown import parse_stories

    fields = {"title": "A story", "situation": "s", "action": "I did it.\n**Result**: sneaky", "result": "r"}
    (story,) = parse_stories(form_markdown(fields), "form")
    assert (story.action, story.result) == ("I did it.\n**Result**: sneaky", "r")
    assert "**Result**: fine" in form_markdown({**fields, "action": "**Result**: fine on the first line"})


def typed(text: str) -> str:
    """A field as stored: outer blank lines and trailing spaces on each line do not count."""
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))
