"""Signals and gates: each finding points at the exact words in the answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from starcoach.analysis import signals
from starcoach.analysis.quality import assess
from starcoach.analysis.types import Sentence

TEXT = (
    "So um, I was like totally lost at first. Honestly, the real problem was that my teammates were lazy. "
    "We cut p99 latency by 40% and saved $2M within three weeks. I think it kind of worked. "
    "I learned to ask for help earlier, and now I always write a design doc with the platform team."
)


def _texts(spans: list[signals.Span]) -> list[str]:
    for s in spans:
        assert TEXT[s.start:s.end] == s.text
    return [s.text for s in spans]


def test_numbers_money_percent_and_time() -> None:
    assert _texts(signals.numbers(TEXT)) == ["40%", "$2M", "three weeks"]


def test_fillers_hedges_blame_reflection() -> None:
    assert [t.lower() for t in _texts(signals.fillers(TEXT))] == ["um", "like"]
    assert _texts(signals.hedges(TEXT)) == ["I think", "kind of"]
    assert any("lazy" in t for t in _texts(signals.blame(TEXT)))
    assert "I learned" in _texts(signals.reflection(TEXT))


def test_like_as_a_verb_is_not_a_filler() -> None:
    assert signals.fillers("I would like to explain. It looks like a map.") == []


@pytest.mark.parametrize("text", [
    "The team disagreed with me, so I ran a benchmark.",
    "My manager asked for a plan and I wrote one.",
])
def test_neutral_mentions_of_others_are_not_blame(text: str) -> None:
    assert signals.blame(text) == []


def test_ownership_counts_only_action_sentences() -> None:
    text = "We had an outage. I rolled back and I paged the owner. We recovered."
    action = [Sentence("I rolled back and I paged the owner.", 18, 55, "action", 0.9)]
    own = signals.ownership(text, action)
    assert (own.i_count, own.we_count, own.i_share) == (2, 0, 1.0)
    all_we = signals.ownership(text.replace("I rolled back and I", "we rolled back and we"), action)
    assert all_we.i_count == 0 and all_we.we_count == 2


def test_scope_names_the_level_and_its_evidence() -> None:
    sc = signals.scope(TEXT)
    assert sc["level"] == "several teams" and sc["reading"]
    assert all(TEXT[e["start"]:e["end"]] == e["text"] for e in sc["evidence"])  # type: ignore[index,union-attr]
    assert signals.scope("I fixed the bug in my code.")["level"] == "own work"


def test_named_things_find_systems_and_acronyms() -> None:
    found = [s.text for s in signals.named_things("We moved the jobs to Airflow and Postgres 15 via the API.", [])]
    assert {"Airflow", "Postgres", "API"} <= set(found)


def test_quality_gates() -> None:
    q = "Tell me about a time you failed."
    assert assess(q + " " + q, q).copied
    stuffed = "Situation task action result. Teamwork, leadership, ownership, impact, communication. " * 2
    assert assess(stuffed, q).stuffed
    assert assess("I handled it.", q).too_short
    real = ("Last spring I shipped a change that broke the login page for an hour. I rolled it back, "
            "wrote the postmortem and added a test so that it could not happen again.")
    g = assess(real, q)
    assert not (g.copied or g.stuffed or g.gibberish or g.too_short)


@given(st.text(max_size=400))
def test_every_span_indexes_the_text(text: str) -> None:
    for fn in (signals.numbers, signals.fillers, signals.hedges, signals.blame, signals.vague,
               signals.reflection):
        for s in fn(text):
            assert text[s.start:s.end] == s.text


def test_word_salad_is_caught_by_word_order_not_vocabulary() -> None:
    import random

    real = ("Last spring our team was asked to move the billing reports to a new database before the end "
            "of the quarter. I was the only one who knew the old stored procedures, so I wrote down what each "
            "one did and I rebuilt them one by one with tests that compared the old and the new numbers. We "
            "finished two weeks early and the finance team closed the quarter without a single correction.")
    words = real.split()
    random.Random(3).shuffle(words)
    salad = " ".join(words)
    assert not assess(real, "").gibberish
    assert assess(salad, "").gibberish
    speech = "um so " + real.lower().replace(".", " like").replace(",", "")
    assert not assess(speech, "").gibberish


def _cues() -> list[signals.Cue]:
    from starcoach.analysis import content

    found = [v for m in (signals, content) for v in vars(m).values() if isinstance(v, signals.Cue)]
    return found + list(signals._SCOPE_RE.values())


# Every character class the cues use; an ASCII letter, digit or sign stands for itself
_CLASSES = (r"\w", r"\W", r"\d", r"\s", r"[\w]", r"[:,]", r"[\w']", r"[\w.]", r"[\d,]", r"[^.!?]",
            r"[$\u20ac\u00a3]", r"[ -]")


def test_cues_use_only_the_character_classes_checked_below() -> None:
    import re

    for cue in _cues():
        assert set(re.findall(r"\[[^\]]*\]|\\[a-zA-Z]", cue.source)) <= set(_CLASSES) | {r"\b"}, cue.source
        assert cue.source.isascii() and not re.search("[A-Z]", re.sub(r"\\.", "", cue.source)), cue.source


def test_lower_cased_text_matches_as_ignorecase_on_every_code_point() -> None:
    """What Cue relies on: for every character lower() maps to one character, each literal and class
    of the lower-cased pattern accepts the folded lower-case character exactly when the re.IGNORECASE
    one accepts the character itself, typographic apostrophes read as "'"."""
    import re

    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000 and len(chr(i).lower()) == 1)
    low = chars.lower().translate(signals._FOLD)
    assert len(low) == len(chars)
    atoms = [re.escape(chr(a)) for a in range(32, 127) if not chr(a).isupper()] + list(_CLASSES) + ["."]
    for atom in atoms:
        ci = [m.start() for m in re.finditer(atom, signals.plain(chars), re.I)]
        assert ci == [m.start() for m in re.finditer(atom, low)], atom


_TRICKY = "aeiklmosuwIKLMSW \u017f\u0131\u0130\u212a\u03a3'\u2019\u2018\u02bc-.,!?$%0123\n"


@given(st.text(alphabet=st.sampled_from(list(_TRICKY)) | st.characters(), max_size=120))
def test_cues_find_what_ignorecase_finds(text: str) -> None:
    """...on the text with its typographic apostrophes read as "'"; spans keep the original characters."""
    said = signals.plain(text)
    for cue in _cues():
        want = [signals.Span(text[m.start():m.end()], m.start(), m.end()) for m in cue.ci.finditer(said)]
        assert signals.find(cue, text) == want, cue.source
        first = cue.ci.search(said)
        assert cue.search(text) == (first.span() if first else None)
        assert cue.match(text) == bool(cue.ci.match(said)) and cue.count(text) == len(want)
        pieces, at = [], 0
        for sp in want:
            pieces += [text[at:sp.start], " "]
            at = sp.end
        assert cue.blank(text) == "".join(pieces) + text[at:]


def test_text_lower_lengthens_is_matched_with_ignorecase() -> None:
    text = "\u0130 think we shipped 40% faster, K\u0130ND OF."  # a dotted capital I lowers to two characters
    assert [s.text for s in signals.hedges(text)] == ["\u0130 think", "K\u0130ND OF"]
    assert [s.text for s in signals.numbers(text)] == ["40%"]


@given(st.text(alphabet=st.sampled_from(list("aZk9 .-/_'js py io\u00e9\u0130x2")) | st.characters(), max_size=80))
def test_named_things_match_the_plain_patterns(text: str) -> None:
    """The capitalised-word pattern written letter first, and the skipped search for versioned names
    when the text lacks what it needs, find what the plain patterns find."""
    import re

    caps = r"\b[A-Z][A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*\b"
    assert [m.span() for m in signals._CAPITALISED.finditer(text)] == [m.span() for m in re.finditer(caps, text)]
    if re.search(r"\b[a-z]+\d[\w.]*\b|\b\w+\.(?:js|py|io)\b", text):
        assert signals._LETTER_DIGIT.search(text) or any(x in text for x in (".js", ".py", ".io"))


def test_typographic_apostrophes_read_as_plain_ones() -> None:
    # Phones type "I’m", "wasn’t": the cues are written "i'm", "wasn't" (before: no match at all).
    text = "I\u2019m not sure it wasn\u2019t my fault."
    assert [h.text for h in signals.hedges(text)] == ["not sure"]
    assert [b.text for b in signals.blame("It wasn\u2019t my fault, they were lazy.")] != []
    assert signals.plain("I\u2019ve") == "I've" and len(signals.plain(text)) == len(text)
