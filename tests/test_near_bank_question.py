"""near_bank_question skips bundled questions whose size cannot reach NEAR_MATCH: it must pick exactly
what a scan of every bundled question picks (same question, ties to bank order)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.analysis.questions import NEAR_MATCH, _bank_words, _word_set, bank_questions, near_bank_question
from starcoach.bank.model import Question

_BANK_TEXTS = [q.text for q in bank_questions()]
_VOCAB = sorted({w for t in _BANK_TEXTS for w in t.split()} | {"the", "a", "zebra", "quickly"})


def _scan_all(text: str) -> Question | None:
    words = _word_set(text)
    best, best_score = None, NEAR_MATCH
    for bank_words, q in _bank_words():
        score = len(words & bank_words) / max(1, len(words | bank_words))
        if score >= best_score and (best is None or score > best_score):
            best, best_score = q, score
    return best


@st.composite
def _rewordings(draw: st.DrawFn) -> str:
    words = draw(st.sampled_from(_BANK_TEXTS)).split()
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["drop", "add", "swap"]))
        at = draw(st.integers(0, len(words)))
        if op == "add":
            words.insert(at, draw(st.sampled_from(_VOCAB)))
        elif words:
            at = min(at, len(words) - 1)
            if op == "drop":
                words.pop(at)
            else:
                words[at] = draw(st.sampled_from(_VOCAB))
    return " ".join(words)


@settings(max_examples=400, deadline=None)
@given(_rewordings())
def test_near_bank_question_matches_full_scan_on_rewordings(text: str) -> None:
    assert near_bank_question(text) is _scan_all(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_near_bank_question_matches_full_scan_on_any_text(text: str) -> None:
    assert near_bank_question(text) is _scan_all(text)


def test_every_bundled_question_finds_itself_or_an_equal_earlier_one() -> None:
    for text in _BANK_TEXTS:
        assert near_bank_question(text) is _scan_all(text) is not None
