"""Ids of imported banks and questions: short, typeable, and safe in a URL, a header and a terminal.

An imported question gets ``{prefix}-{number}``: ``d41-4`` for question 4 of a "Day 41" document,
else a prefix of the bank's initials (``sd-3`` for "System Design"). The id stays the same while the
question keeps its number, so re-importing a document keeps its history attached.

Ids written in a JSON or CSV file are kept when they are safe (letters, digits, ``.``, ``_``,
``-``; at most 64 characters; starting with a letter or digit), otherwise replaced by a safe one
with a note, so no stored id can break a URL path, a ``Content-Disposition`` header or rich markup.
Pure functions; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from starcoach.bank.model import Bank, Question
from starcoach.ids import BankId, QuestionId, slugify

MAX_ID = 64
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DAY = re.compile(r"(?:^|-)day-?(\d{1,4})(?=-|$)")
_MAX_INITIALS = 4


def is_safe_id(value: str) -> bool:
    """True when ``value`` can go into a URL path, a header and a terminal as it is."""
    return _SAFE.fullmatch(value) is not None


def bank_prefix(bank_id: str) -> str:
    """A short prefix for the questions of a bank: ``d41`` for a "Day 41" bank, else initials."""
    day = _DAY.search(bank_id)
    if day:
        return f"d{int(day.group(1))}"
    words = [w for w in slugify(bank_id, MAX_ID).split("-") if w]
    if len(words) == 1:
        return words[0][:8]
    return "".join(w if w.isdigit() else w[0] for w in words[:_MAX_INITIALS])


def question_id(bank_id: str, index: int, number: int | None) -> QuestionId:
    """``{prefix}-{number}`` (the 1-based ``index`` in the document when it has no number)."""
    return QuestionId(f"{bank_prefix(bank_id)}-{number if number is not None else index}")


def unique_ids(questions: Iterable[Question], taken: Iterable[str] = ()) -> list[Question]:
    """``questions`` with repeated ids made unique (``x``, ``x-2``, ``x-3``...), in linear time.

    ``taken`` are ids already used elsewhere (other banks). A counter per base id remembers how far
    it got, so 30,000 copies of one id cost 30,000 steps, not 30,000² / 2.
    """
    seen: set[str] = set(taken)
    next_n: dict[str, int] = {}
    out: list[Question] = []
    for q in questions:
        qid, n = q.id, next_n.get(q.id, 2)
        while qid in seen:
            qid, n = QuestionId(f"{q.id}-{n}"), n + 1
        next_n[q.id] = n
        seen.add(qid)
        out.append(q if qid == q.id else replace(q, id=qid))
    return out


def safe_bank(bank: Bank) -> tuple[Bank, list[str]]:
    """``bank`` with every unsafe bank or question id replaced, and a note for each replacement."""
    notes: list[str] = []
    bid = bank.id
    if not is_safe_id(bid):
        bid = BankId(slugify(bid, 48))
        notes.append(f"bank id {_shown(bank.id)} is not a safe id: stored as '{bid}'")
    questions: list[Question] = []
    for i, q in enumerate(bank.questions, start=1):
        qid = q.id
        if not is_safe_id(qid):
            qid = question_id(bid, i, q.number)
            notes.append(f"question id {_shown(q.id)} is not a safe id: stored as '{qid}'")
        questions.append(replace(q, id=qid, bank=bid))
    fixed = unique_ids(questions)
    if bid == bank.id and not notes:
        return bank, notes
    return replace(bank, id=bid, questions=tuple(fixed)), notes


def _shown(value: str, limit: int = 40) -> str:
    """A short, printable excerpt of an id for a message."""
    cut = value[:limit] + ("..." if len(value) > limit else "")
    return ascii(cut)
