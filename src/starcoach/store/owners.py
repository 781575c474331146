"""Which tables hold per-user data, and removing all of one owner's rows.

A table is per-user exactly when it has an ``owner`` column (migration ``0004_owner`` and any later
feature's tables). The list is read from the database itself, so tables a later feature adds are
covered without registering them here. Shared tables (question banks) have no ``owner``.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, MetaData, Table, inspect

from starcoach.store.attempts import transaction

OWNER = "owner"
SHARED_TABLES = frozenset({"banks", "questions"})
SKIP_TABLES = frozenset({"alembic_version"})


def table_names(conn: Connection) -> list[str]:
    """Ordinary tables of the database (no SQLite internals, no Alembic bookkeeping)."""
    return [n for n in inspect(conn).get_table_names() if n not in SKIP_TABLES and not n.startswith("sqlite_")]


def reflect(conn: Connection, names: list[str]) -> list[Table]:
    """The named tables, parents before children (foreign-key order)."""
    meta = MetaData()
    meta.reflect(bind=conn, only=names)
    return list(meta.sorted_tables)


def owned_tables(conn: Connection) -> list[Table]:
    """Every per-user table, parents before children."""
    return [t for t in reflect(conn, table_names(conn)) if OWNER in t.columns]


def delete_owner_rows(engine: Engine, owner: str) -> dict[str, int]:
    """Delete every row of ``owner`` in one transaction (children first); rows deleted per table."""
    counts: dict[str, int] = {}
    with transaction(engine) as conn:
        for table in reversed(owned_tables(conn)):
            counts[table.name] = conn.execute(table.delete().where(table.c[OWNER] == owner)).rowcount
    return counts
