"""'Your answer, restructured': the user's own sentences regrouped as S/T/A/R, setup trimmed, prompts for gaps."""

from __future__ import annotations

from starcoach.analysis.outline import PROMPTS, Outline, outline
from starcoach.analysis.pipeline import analyze
from starcoach.analysis.types import DIMENSIONS, Analysis, Dimension, QuestionRef, Sentence


def _analysis(labeled: list[tuple[str, str]], missing: tuple[str, ...] = (), qtype: str = "story") -> Analysis:
    sentences, pos = [], 0
    for text, star in labeled:
        sentences.append(Sentence(text, pos, pos + len(text), star, 0.9))
        pos += len(text) + 1
    return Analysis(
        question=QuestionRef("q", "Tell me about a time you fixed something.", qtype),
        score=50,
        sentences=tuple(sentences),
        missing=missing,
        dimensions={d: Dimension(3, "") for d in DIMENSIONS},
        points=(),
        flags=(),
        words=0,
        speaking_seconds=0,
        suggestions=(),
        follow_ups=(),
    )


def test_sentences_are_regrouped_in_star_order_in_the_users_own_words() -> None:
    a = _analysis([
        ("I rewrote the retry logic myself.", "action"),
        ("Our nightly export kept failing.", "situation"),
        ("Failures dropped to zero within a week.", "result"),
        ("I had to make it reliable before the audit.", "task"),
        ("Honestly it was a fun one.", "other"),
    ])
    out = outline(a)
    assert out is not None
    assert [p.part for p in out.parts] == ["situation", "task", "action", "result"]
    assert [p.sentences for p in out.parts] == [
        ("Our nightly export kept failing.",),
        ("I had to make it reliable before the audit.",),
        ("I rewrote the retry logic myself.",),
        ("Failures dropped to zero within a week.",),
    ]
    assert out.left_out == 1 and out.missing == ()
    said = {s.text for s in a.sentences}
    assert all(s in said for p in out.parts for s in p.sentences)  # no invented words


def test_a_long_setup_is_cut_to_its_first_sentences_with_a_note() -> None:
    setup = [
        ("We were a team of five building the billing service for a fast growing retail startup.", "situation"),
        ("The company had just raised money and the board wanted monthly invoices for every customer.", "situation"),
        ("Our old system was written years ago by a contractor who had since left the company.", "situation"),
        ("Nobody fully understood how the tax rules were applied in it.", "situation"),
    ]
    out = outline(_analysis([*setup, ("I traced every tax rule into tests.", "action")]))
    assert out is not None
    situation = out.parts[0]
    assert situation.sentences == (setup[0][0],)
    assert "Setup trimmed: 3 more sentences" in situation.note


def test_a_missing_part_gets_a_prompt_and_no_made_up_text() -> None:
    out = outline(_analysis([("The deploy kept breaking.", "situation"), ("I added a canary stage.", "action")],
                            missing=("result",)))
    assert out is not None
    result = out.parts[3]
    assert result.missing and result.sentences == () and result.prompt == PROMPTS["result"]
    assert out.parts[1].prompt == PROMPTS["task"]  # no task sentence at all
    text = out.text()
    assert "Result:\n  [" + PROMPTS["result"] + "]" in text
    assert Outline.from_dict(out.to_dict()) == out


def test_answers_that_want_no_story_get_no_outline() -> None:
    assert outline(_analysis([("I like Python.", "other")], qtype="self")) is None


def test_a_real_analysis_restructures_its_own_answer() -> None:
    answer = (
        "I mentored a junior engineer on my team last year. She was new to our payments service and "
        "nervous about code reviews. I set up weekly pairing sessions and walked her through our deploy "
        "process. I also gave her small, well-scoped tickets first. Within three months she was shipping "
        "features on her own and her review comments dropped by half."
    )
    a = analyze(answer, "Tell me about a time you helped a teammate grow.")
    out = outline(a)
    assert out is not None
    for part in out.parts:
        for s, (start, end) in zip(part.sentences, part.spans, strict=True):
            assert " ".join(answer[start:end].split()) == s
    assert any(p.sentences for p in out.parts if p.part == "action")
