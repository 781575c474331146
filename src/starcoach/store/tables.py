"""SQLAlchemy Core tables of the question-bank part of the schema.

The schema itself is created and changed only by Alembic migrations (``migrations/versions``);
these Table objects describe it for queries. Other features keep their tables in their own
modules on the same ``metadata``. Banks and questions are shared by every owner; per-user tables
carry an ``owner`` column (see ``owner_column``).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text

from starcoach.ids import LOCAL_OWNER

metadata = MetaData()


def owner_column(primary_key: bool = False) -> Column[str]:
    """The ``owner`` column every per-user table carries (migration ``0004_owner``)."""
    return Column("owner", Text, primary_key=primary_key, nullable=False, server_default=LOCAL_OWNER)


banks = Table(
    "banks",
    metadata,
    Column("id", String, primary_key=True),
    Column("title", Text, nullable=False),
    Column("meta_json", Text, nullable=False, default="[]"),
    Column("preamble", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("imported_at", String, nullable=False),
)

questions = Table(
    "questions",
    metadata,
    Column("bank_id", String, ForeignKey("banks.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("data_json", Text, nullable=False),
)
