"""Stored question banks: save (insert or replace), list, load, delete.

A bank is saved whole in one transaction, so a re-import of the same file replaces its questions
instead of adding duplicates, and a failed import leaves the previous version in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from starcoach.bank.model import Bank, Question
from starcoach.ids import BankId
from starcoach.store.attempts import transaction
from starcoach.store.tables import banks, questions


class BankRepo:
    """Question banks in the database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save_all(self, items: Iterable[Bank], now: datetime) -> None:
        """Insert or replace every bank in one transaction (all or nothing)."""
        with transaction(self._engine) as conn:
            for bank in items:
                conn.execute(delete(banks).where(banks.c.id == bank.id))
                conn.execute(
                    insert(banks).values(
                        id=bank.id,
                        title=bank.title,
                        meta_json=json.dumps([list(m) for m in bank.meta]),
                        preamble=bank.preamble,
                        source=bank.source,
                        imported_at=now.isoformat(),
                    )
                )
                rows = [
                    {
                        "bank_id": bank.id,
                        "id": q.id,
                        "position": i,
                        "text": q.text,
                        "data_json": json.dumps(q.to_dict(), ensure_ascii=False),
                    }
                    for i, q in enumerate(bank.questions)
                ]
                if rows:
                    conn.execute(insert(questions), rows)

    def ids(self) -> list[BankId]:
        with transaction(self._engine) as conn:
            return [BankId(r[0]) for r in conn.execute(select(banks.c.id).order_by(banks.c.id))]

    def load_all(self) -> list[Bank]:
        """Every stored bank with its questions, in id order."""
        with transaction(self._engine) as conn:
            bank_rows = conn.execute(select(banks).order_by(banks.c.id)).mappings().all()
            q_rows = conn.execute(
                select(questions.c.bank_id, questions.c.data_json).order_by(
                    questions.c.bank_id, questions.c.position
                )
            ).all()
        by_bank: dict[str, list[Question]] = {}
        for bank_id, data in q_rows:
            by_bank.setdefault(bank_id, []).append(Question.from_dict(json.loads(data)))
        return [
            Bank(
                id=BankId(r["id"]),
                title=r["title"],
                meta=tuple((str(k), str(v)) for k, v in json.loads(r["meta_json"])),
                preamble=r["preamble"],
                source=r["source"],
                questions=tuple(by_bank.get(r["id"], ())),
            )
            for r in bank_rows
        ]

    def delete(self, bank_id: BankId) -> bool:
        with transaction(self._engine) as conn:
            return conn.execute(delete(banks).where(banks.c.id == bank_id)).rowcount > 0
