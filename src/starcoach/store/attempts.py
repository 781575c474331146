"""Stored practice: sessions, attempts, FSRS cards and their review logs.

An answer is written twice, each time in its own committed transaction: first as ``pending``
with its text (so a crash or a failing analyzer never loses what the user typed), then completed
with its analysis, score, rating, the card's new state and the review log, all in one transaction.
Database errors leave this module as ``StorageError`` with one readable line.

An ``AttemptRepo`` is bound to one owner: it writes that owner into every row and every query reads,
changes or deletes only that owner's rows, so an id of another owner's attempt names nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Executable, Row, Table, and_, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from starcoach.errors import NotFoundError, StorageError
from starcoach.ids import AttemptId, QuestionId
from starcoach.review.records import Attempt, AttemptKind, AttemptStatus, Session, iso
from starcoach.review.schedule import Rating, ReviewCard, ReviewEntry
from starcoach.store.practice_tables import attempts, cards, practice_sessions, review_logs


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One ``BEGIN IMMEDIATE`` transaction; database failures become one StorageError line."""
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        detail = " ".join(str(exc.orig if exc.orig is not None else exc).split())
        hint = (
            "; restore a backup (starcoach backup keeps them)"
            if "malformed" in detail or "not a database" in detail
            else ""
        )
        raise StorageError(f"{engine.url.database}: database error ({detail}){hint}") from None


@dataclass(frozen=True, slots=True)
class CardReview:
    """What completing a main answer does to its question's card."""

    before: ReviewCard | None
    after: ReviewCard
    entry: ReviewEntry
    source: str  # 'score' or 'user'


def _attempt(row: Row[Any]) -> Attempt:
    question = json.loads(row.question_json)
    return Attempt(
        id=AttemptId(row.id),
        question_id=QuestionId(row.question_id),
        question_text=row.question_text,
        kind=AttemptKind(row.kind),
        status=AttemptStatus(row.status),
        answer=row.answer,
        started_at=datetime.fromisoformat(row.started_at),
        submitted_at=datetime.fromisoformat(row.submitted_at),
        competencies=tuple(str(c) for c in question.get("competencies", ())),
        question_type=str(question.get("type", "story")),
        session_id=row.session_id,
        parent_id=AttemptId(row.parent_id) if row.parent_id else None,
        time_limit_seconds=row.time_limit_seconds,
        score=row.score,
        rating=Rating(row.rating) if row.rating else None,
        rating_source=row.rating_source,
        analysis=json.loads(row.analysis_json) if row.analysis_json else None,
        analysis_ms=row.analysis_ms,
    )


def _session(row: Row[Any]) -> Session:
    return Session(
        id=row.id,
        kind=row.kind,
        started_at=datetime.fromisoformat(row.started_at),
        ended_at=datetime.fromisoformat(row.ended_at) if row.ended_at else None,
        options=json.loads(row.options_json or "{}"),
        debrief=json.loads(row.debrief_json) if row.debrief_json else None,
    )


def _upsert(conn: Connection, table: Table, key: dict[str, Any], values: dict[str, Any]) -> Executable:
    """INSERT ... ON CONFLICT (key) DO UPDATE: one statement, so two writers of one row cannot collide."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(**key, **values).on_conflict_do_update(index_elements=list(key), set_=values)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).values(**key, **values).on_conflict_do_update(index_elements=list(key), set_=values)


class AttemptRepo:
    """Practice records in the database."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self._engine = engine
        self.owner = owner

    def _session_is(self, session_id: str) -> ColumnElement[bool]:
        return and_(practice_sessions.c.owner == self.owner, practice_sessions.c.id == session_id)

    def _attempt_is(self, attempt_id: str) -> ColumnElement[bool]:
        return and_(attempts.c.owner == self.owner, attempts.c.id == attempt_id)

    # sessions -----------------------------------------------------------------------------------
    def add_session(self, session: Session) -> None:
        with transaction(self._engine) as conn:
            conn.execute(
                insert(practice_sessions).values(
                    id=session.id,
                    owner=self.owner,
                    kind=session.kind,
                    started_at=iso(session.started_at),
                    options_json=json.dumps(session.options or {}, ensure_ascii=False),
                )
            )

    def end_session(self, session_id: str, ended_at: datetime, debrief: dict[str, Any] | None) -> None:
        with transaction(self._engine) as conn:
            conn.execute(
                update(practice_sessions)
                .where(self._session_is(session_id))
                .values(
                    ended_at=iso(ended_at),
                    debrief_json=json.dumps(debrief, ensure_ascii=False) if debrief is not None else None,
                )
            )

    def session(self, session_id: str) -> Session:
        with transaction(self._engine) as conn:
            row = conn.execute(select(practice_sessions).where(self._session_is(session_id))).first()
        if row is None:
            raise NotFoundError(f"no practice session '{session_id}'")
        return _session(row)

    def sessions(self, kind: str | None = None, limit: int = 50) -> list[Session]:
        stmt = (
            select(practice_sessions)
            .where(practice_sessions.c.owner == self.owner)
            .order_by(practice_sessions.c.started_at.desc())
            .limit(limit)
        )
        if kind is not None:
            stmt = stmt.where(practice_sessions.c.kind == kind)
        with transaction(self._engine) as conn:
            return [_session(r) for r in conn.execute(stmt)]

    # attempts -----------------------------------------------------------------------------------
    def add_pending(self, attempt: Attempt, question: dict[str, Any]) -> None:
        """Commit the answer text before anything else happens to it."""
        with transaction(self._engine) as conn:
            self._check_links(conn, attempt)
            conn.execute(
                insert(attempts).values(
                    id=attempt.id,
                    owner=self.owner,
                    session_id=attempt.session_id,
                    parent_id=attempt.parent_id,
                    kind=attempt.kind.value,
                    status=attempt.status.value,
                    question_id=attempt.question_id,
                    question_text=attempt.question_text,
                    question_json=json.dumps(question, ensure_ascii=False),
                    answer=attempt.answer,
                    started_at=iso(attempt.started_at),
                    submitted_at=iso(attempt.submitted_at),
                    time_limit_seconds=attempt.time_limit_seconds,
                )
            )

    def complete(self, attempt: Attempt, review: CardReview | None) -> None:
        """Store the analysis and, for a main answer, the card's review, all in one transaction."""
        with transaction(self._engine) as conn:
            conn.execute(
                update(attempts)
                .where(self._attempt_is(attempt.id))
                .values(
                    status=attempt.status.value,
                    score=attempt.score,
                    rating=attempt.rating.value if attempt.rating else None,
                    rating_source=attempt.rating_source,
                    analysis_json=json.dumps(attempt.analysis, ensure_ascii=False)
                    if attempt.analysis
                    else None,
                    analysis_ms=attempt.analysis_ms,
                )
            )
            if review is not None:
                self._write_review(conn, attempt.id, review)

    def _check_links(self, conn: Connection, attempt: Attempt) -> None:
        """An attempt may only point at a session and a parent answer of its own owner."""
        if attempt.session_id is not None and conn.execute(
            select(practice_sessions.c.id).where(self._session_is(attempt.session_id))
        ).first() is None:
            raise NotFoundError(f"no practice session '{attempt.session_id}'")
        if attempt.parent_id is not None and conn.execute(
            select(attempts.c.id).where(self._attempt_is(attempt.parent_id))
        ).first() is None:
            raise NotFoundError(f"no attempt '{attempt.parent_id}'")

    def _write_review(self, conn: Connection, attempt_id: str, review: CardReview) -> None:
        after = review.after
        card_json = json.dumps(after.to_dict())
        now = iso(review.entry.reviewed_at)
        values = {"due": iso(after.due), "card_json": card_json, "updated_at": now}
        conn.execute(_upsert(conn, cards, {"owner": self.owner, "question_id": after.question_id}, values))
        conn.execute(
            insert(review_logs).values(
                owner=self.owner,
                question_id=after.question_id,
                attempt_id=attempt_id,
                rating=review.entry.rating.value,
                source=review.source,
                reviewed_at=now,
                card_before_json=json.dumps(review.before.to_dict()) if review.before else None,
                card_after_json=card_json,
                log_json=json.dumps(review.entry.to_dict()),
            )
        )

    def rerate(self, attempt_id: str, review: CardReview) -> None:
        """Replace the review an attempt made with ``review`` (the user overrode the rating)."""
        with transaction(self._engine) as conn:
            if conn.execute(select(attempts.c.id).where(self._attempt_is(attempt_id))).first() is None:
                raise NotFoundError(f"no attempt '{attempt_id}'")
            conn.execute(
                delete(review_logs).where(review_logs.c.owner == self.owner, review_logs.c.attempt_id == attempt_id)
            )
            self._write_review(conn, attempt_id, review)
            conn.execute(
                update(attempts)
                .where(self._attempt_is(attempt_id))
                .values(rating=review.entry.rating.value, rating_source=review.source)
            )

    def last_review(self, question_id: str) -> tuple[str | None, ReviewCard | None]:
        """(attempt id, card before) of the latest review of a question."""
        stmt = (
            select(review_logs.c.attempt_id, review_logs.c.card_before_json)
            .where(review_logs.c.owner == self.owner, review_logs.c.question_id == question_id)
            .order_by(review_logs.c.id.desc())
            .limit(1)
        )
        with transaction(self._engine) as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None, None
        before = ReviewCard.from_dict(json.loads(row[1])) if row[1] else None
        return row[0], before

    def get(self, attempt_id: str) -> Attempt:
        """The attempt with this id or unique id prefix."""
        ref = attempt_id.strip().lower()
        if not ref:
            raise NotFoundError("no attempt id given")
        with transaction(self._engine) as conn:
            rows = conn.execute(
                select(attempts)
                .where(attempts.c.owner == self.owner, attempts.c.id.startswith(ref, autoescape=True))
                .limit(2)
            ).all()
        if not rows:
            raise NotFoundError(f"no attempt '{attempt_id}' (see 'starcoach history')")
        if len(rows) > 1:
            raise NotFoundError(f"attempt id '{attempt_id}' is ambiguous; give more characters")
        return _attempt(rows[0])

    def find(
        self,
        question_id: str | None = None,
        kinds: Sequence[AttemptKind] = (),
        session_id: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[Attempt]:
        order = attempts.c.submitted_at.desc() if newest_first else attempts.c.submitted_at
        stmt = select(attempts).where(attempts.c.owner == self.owner).order_by(order, attempts.c.id)
        if question_id is not None:
            stmt = stmt.where(attempts.c.question_id == question_id)
        if kinds:
            stmt = stmt.where(attempts.c.kind.in_([k.value for k in kinds]))
        if session_id is not None:
            stmt = stmt.where(attempts.c.session_id == session_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with transaction(self._engine) as conn:
            return [_attempt(r) for r in conn.execute(stmt)]

    def pending(self) -> list[Attempt]:
        with transaction(self._engine) as conn:
            rows = conn.execute(
                select(attempts)
                .where(attempts.c.owner == self.owner, attempts.c.status == AttemptStatus.PENDING.value)
                .order_by(attempts.c.submitted_at)
            ).all()
        return [_attempt(r) for r in rows]

    def question_snapshot(self, attempt_id: str) -> dict[str, Any]:
        with transaction(self._engine) as conn:
            raw = conn.execute(select(attempts.c.question_json).where(self._attempt_is(attempt_id))).scalar()
        if raw is None:
            raise NotFoundError(f"no attempt '{attempt_id}'")
        data: dict[str, Any] = json.loads(raw)
        return data

    # cards --------------------------------------------------------------------------------------
    def card(self, question_id: str) -> ReviewCard | None:
        with transaction(self._engine) as conn:
            raw = conn.execute(
                select(cards.c.card_json).where(cards.c.owner == self.owner, cards.c.question_id == question_id)
            ).scalar()
        return ReviewCard.from_dict(json.loads(raw)) if raw else None

    def cards(self) -> list[ReviewCard]:
        with transaction(self._engine) as conn:
            rows = conn.execute(
                select(cards.c.card_json)
                .where(cards.c.owner == self.owner)
                .order_by(cards.c.due, cards.c.question_id)
            ).all()
        return [ReviewCard.from_dict(json.loads(r[0])) for r in rows]

    def review_log(self, question_id: str | None = None) -> list[ReviewEntry]:
        stmt = select(review_logs.c.log_json).where(review_logs.c.owner == self.owner).order_by(review_logs.c.id)
        if question_id is not None:
            stmt = stmt.where(review_logs.c.question_id == question_id)
        with transaction(self._engine) as conn:
            return [ReviewEntry.from_dict(json.loads(r[0])) for r in conn.execute(stmt)]
