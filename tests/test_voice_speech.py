"""The speech report from word timings (pure: no audio, no model)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from starcoach.analysis.pipeline import analyze
from starcoach.analysis.speech import Timings, Word, silent_runs, transcript, with_speech
from starcoach.analysis.types import Analysis

SAID = [
    ("At my last job,", 0.0, 1.0), (" um,", 1.1, 1.3), (" deploys kept failing on Fridays.", 1.4, 3.0),
    (" I was asked to fix it.", 5.5, 7.0),
    (" I wrote a script and found a flaky cache.", 7.2, 10.0),
    (" Failed deploys dropped by eighty percent.", 10.3, 12.5),
]


def timings(silences: tuple[tuple[float, float], ...] = ()) -> Timings:
    return Timings(tuple(Word(t, s, e) for t, s, e in SAID), 13.0, silences)


def spoken() -> Analysis:
    t = timings(((3.05, 5.45),))
    return with_speech(analyze(transcript(t)[0], "Tell me about a time you fixed a flaky system."), t)


def test_transcript_offsets_point_at_each_word() -> None:
    text, offsets = transcript(timings())
    assert text.startswith("At my last job, um, deploys")
    assert [text[a:b] for a, b in offsets][:2] == ["At my last job,", "um,"]


def test_silent_runs_find_stretches_of_two_seconds() -> None:
    levels = [-20.0] * 50 + [-90.0] * 120 + [-20.0] * 10 + [-90.0] * 40  # 20 ms frames
    assert silent_runs(levels, 0.02, -60) == [(1.0, 3.4)]


def test_a_spoken_answer_reports_time_pace_pauses_and_parts() -> None:
    a = spoken()
    s = a.speech
    assert s is not None
    assert s["speaking_seconds"] == 12.5 and a.speaking_seconds == 12
    assert s["length"] == "short"
    assert [(p["start"], p["end"]) for p in s["pauses"]] == [(3.05, 5.45)]  # the signal's edges win
    assert s["fillers"]["count"] == 1 and s["fillers"]["per_minute"] > 0
    shares = [p["share"] for p in s["parts"].values()]
    assert abs(sum(shares) - 1) < 0.01
    assert s["pace"] and s["pace"][0]["start"] == 0
    assert any("aim for 60-120 s" in n for n in s["notes"])


def test_a_word_gap_counts_as_a_pause_when_the_signal_showed_none() -> None:
    t = timings()
    s = with_speech(analyze(transcript(t)[0]), t).speech
    assert s is not None
    assert [(p["start"], p["end"]) for p in s["pauses"]] == [(3.0, 5.5)]


def test_the_scores_are_those_of_the_same_text_typed() -> None:
    a = spoken()
    typed = analyze(transcript(timings())[0], "Tell me about a time you fixed a flaky system.")
    assert (a.score, a.sentences, a.dimensions) == (typed.score, typed.sentences, typed.dimensions)
    assert "speech" not in typed.to_dict()


def test_spoken_analysis_round_trips_through_json() -> None:
    a = spoken()
    back = Analysis.from_dict(json.loads(json.dumps(a.to_dict())))
    assert back == a
    assert Timings.from_dict(a.speech["timings"]) == timings(((3.05, 5.45),))  # type: ignore[index]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8).filter(str.strip), st.floats(0, 5)), max_size=30))
def test_transcript_offsets_hold_for_any_words(items: list[tuple[str, float]]) -> None:
    t = 0.0
    ws = []
    for text, gap in items:
        ws.append(Word(" " + text.strip(), t + gap, t + gap + 0.3))
        t += gap + 0.3
    text, offsets = transcript(Timings(tuple(ws), t))
    assert [text[a:b] for a, b in offsets] == [w.text.strip() for w in ws]
