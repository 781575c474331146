"""The bank that ships inside the package (``data/builtin.json``), read once per process.

Reading bundled package data is the only I/O in the bank layer; it never touches the user's files.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from starcoach.bank.model import Bank, Question
from starcoach.ids import BankId

BUILTIN_ID = BankId("builtin")


@lru_cache(maxsize=1)
def builtin_bank() -> Bank:
    """The bundled bank of behavioral questions."""
    raw = (resources.files("starcoach.bank") / "data" / "builtin.json").read_text(encoding="utf-8")
    return Bank.from_dict(json.loads(raw))


def builtin_question(qid: str) -> Question | None:
    """The bundled question with id ``qid``, if there is one (no database needed)."""
    return _builtin_index().get(qid)


@lru_cache(maxsize=1)
def _builtin_index() -> dict[str, Question]:
    return {q.id: q for q in builtin_bank().questions}
