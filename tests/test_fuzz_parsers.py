"""Fuzz every parser of user files in process: a few thousand generated inputs each, built from the
pieces of its own grammar plus odd characters. Each input either parses or raises the one clear
error that parser promises (a StarcoachError subclass); anything else is a bug.

Runs are derandomized (the same inputs every time) and bounded by ``max_examples``; how long the
worst inputs take is measured in ``bench/bench_worst_parse.py``, never asserted here.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from starcoach.errors import StarcoachError

CASES = 3000  # per parser; the same cases every run (seeded), so a failure names its case number
ODD = ["\x00", "\r", "\r\n", "\t", "\u2028", "\ufeff", "\ud800", "\u202e", "é", "💥", "[/]", "[bold]", "\\", "`", '"']
_ALPHABET = "ab 1.-:*#\n\t<>!`|$[]/\\\"'é\u00a0\u2014\u0301"


def _free(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12)))


def _docs(pieces: list[str], seed: int, max_parts: int = 60, cases: int = CASES) -> Iterator[tuple[int, str]]:
    """``cases`` texts glued from grammar pieces, odd characters and random characters."""
    rng = random.Random(seed)
    pool = pieces + ODD
    for n in range(cases):
        parts = [rng.choice(pool) if rng.random() < 0.8 else _free(rng) for _ in range(rng.randint(0, max_parts))]
        yield n, "".join(parts)


def _value(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON value, nested a few levels at most."""
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, -1, 2**70, 1.5])
    if kind in (2, 3, 4):
        return rng.choice(["", "q1", "../x", 'a"b', "story", "conflict", "\ud800", _free(rng)])
    if kind in (5, 6):
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["id", "text", "type", "points", "label", "number", "x"]): _value(rng, depth + 1)
            for _ in range(rng.randint(0, 3))}


def _only_clean_errors(parse: Callable[[str], Any], text: str, case: int) -> None:
    try:
        parse(text)
    except StarcoachError as exc:
        message = str(exc)
        assert message and len(message) < 2000, (case, message[:200])
    except Exception as exc:
        raise AssertionError(f"case {case}: {type(exc).__name__}: {exc} on {text[:300]!r}") from exc


BANK_MD = [
    "# Day 7: Stats\n", "> **Topic**: x\n", "### 1. Tell me about a time?\n", "## 2. Why?\n", "### ",
    "**Answer:**\n", "**Answer:** inline\n", "*   **Situation**: s\n", "* plain\n", "    * nested\n", "- ",
    "1. ", "```\ncode\n```\n", "$$\nx\n$$\n", "| a | b |\n|---|---|\n", "---\n", "**Follow-ups:**\n",
    "**Red flags:**\n", "<!-- c -->", "\n", "\n\n", "> quote\n", "###", "1)", "Q3:", "**", "__Answer__:\n",
]


def test_fuzz_bank_markdown() -> None:
    from starcoach.bank.markdown import parse_markdown, to_markdown

    def parse(t: str) -> None:
        to_markdown(parse_markdown(t, source="fuzz.md").bank)  # whatever parses can be written back

    for n, text in _docs(BANK_MD, seed=1):
        _only_clean_errors(parse, text, n)


def _bank_doc(rng: random.Random) -> Any:
    if rng.random() < 0.2:
        return _value(rng)
    questions = [
        {"id": _value(rng) if rng.random() < 0.3 else f"q{i}", "text": _value(rng) if rng.random() < 0.3 else "Why?",
         **({"type": _value(rng)} if rng.random() < 0.3 else {}),
         **({"points": _value(rng)} if rng.random() < 0.3 else {}),
         **({"number": _value(rng)} if rng.random() < 0.2 else {}),
         **({"competencies": _value(rng)} if rng.random() < 0.2 else {})}
        for i in range(rng.randint(0, 3))
    ]
    bank = {"id": _value(rng) if rng.random() < 0.3 else "b1", "questions": questions}
    if rng.random() < 0.3:
        bank["meta"] = _value(rng)
    version = rng.choice([1, 1, 1, 0, 2, "1", None])
    return {"format": rng.choice(["starcoach-bank"] * 4 + ["x"]), "version": version, "banks": [bank]}


def test_fuzz_bank_json() -> None:
    from starcoach.bank.jsonio import loads_banks

    rng = random.Random(2)
    for n in range(CASES):
        text = json.dumps(_bank_doc(rng))
        if rng.random() < 0.1:
            text = text[: rng.randrange(len(text) + 1)]  # cut short
        _only_clean_errors(lambda t: loads_banks(t, source="fuzz.json"), text, n)


CSV_PIECES = [
    "bank,id,number,text,type,competencies,points,follow_ups,red_flags,source\r\n", "text,points\r\n", ",", '"',
    '""', "\r\n", "\n", "=cmd", "'=x", "story", "riddle", "conflict;ownership", '[{"text": "x"}]', "[1]", "[",
    "Situation: s\n", "12", "x", "Tell me about a time?",
]


def test_fuzz_bank_csv() -> None:
    from starcoach.bank.csvio import loads_csv

    for n, text in _docs(CSV_PIECES, seed=3):
        _only_clean_errors(lambda t: loads_csv(t, source="fuzz.csv"), text, n)


STORY_MD = [
    "## Title\n", "## ", "# My stories\n", "- **Situation**: s\n", "- **Action**: a\n", "- **Result**: r\n",
    "**Task**: t\n", "- **When**: 2023-04 to 2023-09\n", "- **When**: Apr 2023\n", "- **Metrics**: 40% faster\n",
    "- **Competencies**: conflict, ownership\n", "- **Scope**: team\n", "- **Tags**: a, b\n", "- **Bogus**: x\n",
    "    - nested **Result**: r\n", "<!--", "-->", "<\\!--", "\n", "\n\n", "* ", "1. ", "```\n", "> q\n",
]


def test_fuzz_story_markdown() -> None:
    from starcoach.stories.markdown import parse_stories, render_stories

    def parse(t: str) -> None:
        render_stories(parse_stories(t, source="fuzz.md"))

    for n, text in _docs(STORY_MD, seed=4):
        _only_clean_errors(parse, text, n)


FIELD_PIECES = ["2023", "-04", "-31", "-13", " to ", " - ", "..", "Apr ", "Sept ", "2021-2022", "40%", " faster",
                "$1.2M", "team of ", "six", "3 days", "10m", ";", "\n", ",", "x", "amazon:", "ownership", "dive deep",
                "-", "\u2013"]


@pytest.mark.parametrize("field", ["when", "metrics", "competencies", "numbers", "scope"])
def test_fuzz_story_fields(field: str) -> None:
    from starcoach.stories.fields import parse_competencies, parse_metrics, parse_when
    from starcoach.stories.metrics import extract_metrics
    from starcoach.stories.model import Scope

    parsers: dict[str, Callable[[str], Any]] = {
        "when": parse_when, "metrics": parse_metrics, "competencies": parse_competencies,
        "numbers": extract_metrics, "scope": Scope.parse,
    }
    for n, text in _docs(FIELD_PIECES, seed=5, max_parts=12):
        _only_clean_errors(parsers[field], text, n)


PROTOCOL = [":quit", ":q", ":skip", ":retry", ":rate hard", ":rate", ":", "", " ", "answer words", "\r"]


def test_fuzz_practice_protocol() -> None:
    from starcoach.cli.practice_input import read_reply

    rng = random.Random(6)
    for _ in range(CASES):
        lines = [rng.choice(PROTOCOL) if rng.random() < 0.8 else _free(rng) for _ in range(rng.randint(0, 30))]
        source = iter(lines)
        for _ in range(len(lines) + 1):
            reply = read_reply(lambda src=source: next(src, None))
            assert reply.action in ("answer", "skip", "retry", "quit", "eof")
            if reply.action == "eof":
                break


Q_COLUMNS = ["bank_id", "id", "position", "text", "data_json"]


def test_fuzz_export_rows() -> None:
    from starcoach.store.rowcheck import check_rows
    from starcoach.store.tables import banks, questions

    rng = random.Random(7)
    extras = [{"$base64": "AAA"}, {"$base64": "AAAA"}, "2026-01-01T00:00:00+00:00", "[]", '[["k", "v"]]', "not json {"]
    for n in range(CASES):
        cells = [rng.choice(extras) if rng.random() < 0.5 else _value(rng) for _ in range(3)]
        _only_clean_errors(lambda _, c=cells: check_rows(banks, ["id", "meta_json", "imported_at"], [c]), "", n)
        row = [rng.choice(["b1", _value(rng)]), rng.choice(["q1", _value(rng)]), rng.choice([0, _value(rng)]),
               rng.choice(["t", _value(rng)]), rng.choice(['{"id": "q1", "text": "t"}', json.dumps(_value(rng))])]
        _only_clean_errors(lambda _, r=row: check_rows(questions, Q_COLUMNS, [r]), "", n)
