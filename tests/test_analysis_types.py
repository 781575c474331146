"""The Analysis contract: to_dict has exactly the documented keys and round-trips through from_dict."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from starcoach.analysis.types import (
    DIMENSIONS,
    Analysis,
    Dimension,
    Flag,
    PointCoverage,
    QuestionRef,
    Sentence,
)

CONTRACT_KEYS = {
    "question", "score", "sentences", "missing", "dimensions", "points", "flags", "words",
    "speaking_seconds", "suggestions", "follow_ups",
}


def sample() -> Analysis:
    return Analysis(
        question=QuestionRef("conflict-coworker", "Tell me about a conflict.", "story"),
        score=72,
        sentences=(Sentence("We argued.", 0, 10, "situation", 0.91),),
        missing=("result",),
        dimensions={d: Dimension(3, f"{d} is fine") for d in DIMENSIONS},
        points=(PointCoverage("Outcome", "Say what was decided.", False, None),
                PointCoverage("Their side", "Show you listened.", True, (0, 10))),
        flags=(Flag("filler", "um", 3, 5),),
        words=2,
        speaking_seconds=1,
        suggestions=("Add the result.",),
        follow_ups=("What was the outcome?",),
        signals={"fillers_per_100": 0.0},
        scope={"level": "team"},
        skipped=("relevance-semantic",),
    )


def test_to_dict_has_every_contract_key_with_the_documented_shapes() -> None:
    d = sample().to_dict()
    assert set(d) >= CONTRACT_KEYS
    assert set(d["question"]) == {"id", "text", "type", "why"}
    assert set(d["sentences"][0]) == {"text", "start", "end", "star", "confidence"}
    assert list(d["dimensions"]) == list(DIMENSIONS)
    assert set(d["dimensions"]["structure"]) == {"score", "why"}
    assert set(d["points"][0]) == {"label", "text", "covered", "evidence"}
    assert d["points"][1]["evidence"] == [0, 10]
    assert set(d["flags"][0]) == {"kind", "text", "start", "end"}
    json.dumps(d)


def test_round_trip() -> None:
    a = sample()
    assert Analysis.from_dict(json.loads(json.dumps(a.to_dict()))) == a


@given(
    score=st.integers(0, 100),
    text=st.text(max_size=40),
    conf=st.floats(0, 1, allow_nan=False),
    star=st.sampled_from(["situation", "task", "action", "result", "other"]),
)
def test_sentence_round_trip(score: int, text: str, conf: float, star: str) -> None:
    s = Sentence(text, 0, len(text), star, conf)
    assert Sentence.from_dict(s.to_dict()) == s
    a = Analysis.from_dict({**sample().to_dict(), "score": score, "sentences": [s.to_dict()]})
    assert a.score == score and a.sentences == (s,)
