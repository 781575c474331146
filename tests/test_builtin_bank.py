"""Checks on the bundled question bank (``starcoach/bank/data/builtin.json``).

The bank ships as package data in exactly the shape of ``Bank.to_dict()``; these tests load it the way
the package does and check its size, its ids, its coverage of the competency taxonomy, and that every
question carries enough talking points, follow-ups and red flags to coach with.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

from starcoach.bank.model import Bank, Question, QuestionType
from starcoach.bank.taxonomy import COMPETENCIES, is_competency
from starcoach.ids import QuestionId

SEED_COUNT = 20
SEED_SOURCE = re.compile(r"seed:day41#(\d+)")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@cache
def _raw() -> dict[str, Any]:
    text = (files("starcoach.bank") / "data" / "builtin.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def _bank() -> Bank:
    return Bank.from_dict(_raw())


def test_bank_header() -> None:
    b = _bank()
    assert b.id == "builtin"
    assert b.title == "starcoach built-in bank"
    assert b.source == "starcoach"


def test_file_is_exactly_bank_to_dict() -> None:
    raw = _raw()
    assert Bank.from_dict(raw).to_dict() == raw


def test_round_trip() -> None:
    b = _bank()
    assert Bank.from_dict(b.to_dict()) == b
    for q in b.questions:
        assert Question.from_dict(q.to_dict()) == q


def test_size() -> None:
    assert len(_bank().questions) >= 120


def test_ids_unique_slugs() -> None:
    ids = [q.id for q in _bank().questions]
    dups = [i for i, n in Counter(ids).items() if n > 1]
    assert dups == []
    bad = [i for i in ids if not SLUG.fullmatch(i) or len(i) > 40]
    assert bad == []


def test_types_valid_and_mixed() -> None:
    types = Counter(q.type for q in _bank().questions)
    assert set(types) <= set(QuestionType)
    # The bundled bank is behavioral: knowledge questions come from imported technical days.
    assert set(types) == set(QuestionType) - {QuestionType.KNOWLEDGE}, "every behavioral type should appear"
    assert types[QuestionType.STORY] > len(_bank().questions) // 2


def test_competencies_valid() -> None:
    bad = {q.id: q.competencies for q in _bank().questions if not _competencies_ok(q)}
    assert bad == {}


def _competencies_ok(q: Question) -> bool:
    cs = q.competencies
    return 1 <= len(cs) <= 3 and len(set(cs)) == len(cs) and all(is_competency(c) for c in cs)


def test_every_competency_covered() -> None:
    counts = Counter(c for q in _bank().questions for c in q.competencies)
    thin = {c.id: counts[c.id] for c in COMPETENCIES if counts[c.id] < 4}
    assert thin == {}


def test_every_question_coachable() -> None:
    problems = {q.id: _coaching_problems(q) for q in _bank().questions}
    assert {k: v for k, v in problems.items() if v} == {}


def _coaching_problems(q: Question) -> list[str]:
    out: list[str] = []
    if not q.text.strip():
        out.append("empty text")
    if not 3 <= len(q.points) <= 5:
        out.append(f"{len(q.points)} points")
    if any(not p.label.strip() or not p.text.strip() for p in q.points):
        out.append("blank point label or text")
    if not 2 <= len(q.follow_ups) <= 4:
        out.append(f"{len(q.follow_ups)} follow-ups")
    if not 2 <= len(q.red_flags) <= 3:
        out.append(f"{len(q.red_flags)} red flags")
    if any(not s.strip() for s in (*q.follow_ups, *q.red_flags)):
        out.append("blank follow-up or red flag")
    return out


def test_seed_questions_each_present_once() -> None:
    numbers = [int(m.group(1)) for q in _bank().questions if (m := SEED_SOURCE.fullmatch(q.source))]
    assert sorted(numbers) == list(range(1, SEED_COUNT + 1))


def test_sources_and_bank_field() -> None:
    for q in _bank().questions:
        assert q.bank == "builtin"
        assert q.source == "starcoach" or SEED_SOURCE.fullmatch(q.source), q.id


def test_conflict_coworker_is_seed_one_story() -> None:
    by_id = {q.id: q for q in _bank().questions}
    q = by_id[QuestionId("conflict-coworker")]
    assert q.type is QuestionType.STORY
    assert q.source == "seed:day41#1"
    assert q.competencies[0] == "conflict"


def test_question_texts_distinct() -> None:
    texts = Counter(q.text.strip().lower() for q in _bank().questions)
    assert [t for t, n in texts.items() if n > 1] == []
