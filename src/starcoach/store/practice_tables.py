"""SQLAlchemy Core tables of practice: sessions, attempts, FSRS cards and review logs.

Created by migration ``0002_practice`` and given their ``owner`` by ``0004_owner``; these Table
objects describe the schema for queries, on the shared ``metadata``. Times are ISO-8601 strings in UTC of fixed width
(``records.iso``), so that ordering by the string orders by time.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from starcoach.store.tables import metadata, owner_column

practice_sessions = Table(
    "practice_sessions",
    metadata,
    Column("id", String, primary_key=True),
    owner_column(),
    Column("kind", String, nullable=False),
    Column("started_at", String, nullable=False),
    Column("ended_at", String, nullable=True),
    Column("options_json", Text, nullable=False, default="{}"),
    Column("debrief_json", Text, nullable=True),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", String, primary_key=True),
    owner_column(),
    Column("session_id", String, ForeignKey("practice_sessions.id", ondelete="SET NULL"), nullable=True),
    Column("parent_id", String, ForeignKey("attempts.id", ondelete="SET NULL"), nullable=True),
    Column("kind", String, nullable=False),
    Column("status", String, nullable=False),
    Column("question_id", String, nullable=False),
    Column("question_text", Text, nullable=False),
    Column("question_json", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("started_at", String, nullable=False),
    Column("submitted_at", String, nullable=False),
    Column("time_limit_seconds", Integer, nullable=True),
    Column("score", Integer, nullable=True),
    Column("rating", String, nullable=True),
    Column("rating_source", String, nullable=True),
    Column("analysis_json", Text, nullable=True),
    Column("analysis_ms", Float, nullable=True),
    Index("ix_attempts_question", "owner", "question_id", "submitted_at"),
    Index("ix_attempts_submitted", "owner", "submitted_at"),
)

cards = Table(
    "cards",
    metadata,
    owner_column(primary_key=True),
    Column("question_id", String, primary_key=True),
    Column("due", String, nullable=False),
    Column("card_json", Text, nullable=False),
    Column("updated_at", String, nullable=False),
)

review_logs = Table(
    "review_logs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    owner_column(),
    Column("question_id", String, nullable=False),
    Column("attempt_id", String, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("rating", String, nullable=False),
    Column("source", String, nullable=False),
    Column("reviewed_at", String, nullable=False),
    Column("card_before_json", Text, nullable=True),
    Column("card_after_json", Text, nullable=False),
    Column("log_json", Text, nullable=False),
)
