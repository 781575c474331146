"""topics._count tries each answer cue only where a word with its first letters begins: it must count
exactly what ``len(rx.findall(low))`` counts, for every cue and any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.analysis import topics

# Words that start, end or nearly make up the cues, glued with spaces, punctuation and odd letters.
_PIECES = ["disagree", "push back", "pushback", "his concerns", "her side", "their point of view", "1:1",
           "one-on-one", "feedback", "vs.", "vs", "customers", "quer", "queries", "my manager", "i led",
           "on-call", "oncall", "rolled back", "roll back", "trade-off", "tradeoffs", "ci", "due", "in time",
           "post-mortem", "new grad", "won over", "deadline", "again", "wrong", "my bug", "x", "é", "_",
           "\u017f", "\u0131", "mis", "mistake", "over", "overlooked", "pro", "process", "proud"]
_GLUE = st.sampled_from([" ", "", ", ", ".", "-", "\n", "'", "_", "é"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(_PIECES), _GLUE), max_size=30))
    return "".join(p + g for p, g in parts).lower().translate(topics._FOLD)


@settings(max_examples=500, deadline=None)
@given(_texts())
def test_cue_count_equals_findall(low: str) -> None:
    words = topics._word_starts(low)
    for rx in topics._ANSWER_CUES.values():
        assert topics._count(rx, low, words) == len(rx.findall(low))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_cue_count_equals_findall_on_any_text(text: str) -> None:
    low = text.lower().translate(topics._FOLD)
    words = topics._word_starts(low)
    for rx in topics._ANSWER_CUES.values():
        assert topics._count(rx, low, words) == len(rx.findall(low))


def test_every_cue_alternative_starts_with_a_word_boundary() -> None:
    """The premise of _count: each alternative begins with \\b then a word character."""
    for rx in topics._ANSWER_CUES.values():
        for alt in re.split(r"\)\|\(\?:", rx.pattern[3:-1]):
            assert alt.startswith(r"\b") and (alt[2].isalnum() or alt[2] == "(")
