"""The user's data as a whole: export everything, import it back, back it up, delete it.

- :func:`export_all` writes every row of every table of the database (read from the database
  itself, so tables added by any feature are included) in foreign-key order, with the schema
  revisions it was written at. The format is versioned (:data:`FORMAT`, :data:`VERSION`).
- :func:`import_all` restores such an export into an *empty* database, row for row, in one
  transaction: all of it or nothing.
- :func:`backup_to` copies the live database with SQLite's online backup API, checks the copy with
  ``PRAGMA integrity_check`` and renames it into place, so a backup is whole or absent.
- :func:`delete_all` removes every row with ``secure_delete`` on, then checkpoints the WAL
  (TRUNCATE) and VACUUMs, so no deleted text stays in the database file or its WAL.

Full-text (virtual) tables and their shadow tables are not exported: virtual tables with external
content are rebuilt after an import from the tables they index.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, func, insert, select

from starcoach.errors import ConflictError, InputError, SchemaTooNewError, StorageError
from starcoach.store.attempts import transaction
from starcoach.store.db import BUSY_TIMEOUT_MS
from starcoach.store.migrations import KNOWN_REVISIONS
from starcoach.store.rowcheck import check_rows

FORMAT = "starcoach-export"
VERSION = 1
SKIP_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rows": self.rows}


def _virtual_tables(conn: Connection) -> dict[str, str]:
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).all()
    return {str(r[0]): str(r[1]) for r in rows}


def data_tables(conn: Connection) -> list[Table]:
    """Every ordinary table holding user data, parents before children (foreign-key order)."""
    virtual = _virtual_tables(conn)
    names = [
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).all()
    ]
    keep = [
        n
        for n in names
        if n not in SKIP_TABLES and n not in virtual and not any(n.startswith(f"{v}_") for v in virtual)
    ]
    meta = MetaData()
    meta.reflect(bind=conn, only=keep)
    return list(meta.sorted_tables)


def _revisions(conn: Connection) -> list[str]:
    try:
        return sorted(str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    except Exception:  # an unmigrated database has no alembic_version table
        return []


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def export_all(engine: Engine, now: datetime) -> dict[str, Any]:
    """Everything in the database as one JSON-ready dict (see the module docstring)."""
    with transaction(engine) as conn:
        tables = data_tables(conn)
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": now.isoformat(),
            "schema": _revisions(conn),
            "tables": {},
        }
        for table in tables:
            cols = [c.name for c in table.columns]
            pk = [c for c in table.primary_key.columns] or list(table.columns)[:1]
            rows = conn.execute(select(table).order_by(*pk)).all()
            out["tables"][table.name] = {"columns": cols, "rows": [[_encode(v) for v in row] for row in rows]}
    return out


def _check_export(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f'not a starcoach export (expected "format": "{FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise SchemaTooNewError(
            f"export format version {version!r} is newer than this starcoach reads ({VERSION})"
        )
    schema = data.get("schema", [])
    if not isinstance(schema, list) or not all(isinstance(r, str) for r in schema):
        raise InputError('export field "schema" must be a list of revision names')
    unknown = set(schema) - KNOWN_REVISIONS
    if unknown:
        raise SchemaTooNewError(f"export written by a newer starcoach (schema {', '.join(sorted(unknown))})")
    if not isinstance(data.get("tables"), dict):
        raise InputError('export has no "tables" object')
    return data


def count_rows(engine: Engine) -> list[TableCount]:
    with transaction(engine) as conn:
        return [
            TableCount(t.name, int(conn.execute(select(func.count()).select_from(t)).scalar() or 0))
            for t in data_tables(conn)
        ]


def _insert_table(conn: Connection, table: Table, payload: Any) -> int:
    if not isinstance(payload, dict) or not isinstance(payload.get("columns"), list):
        raise InputError(f"export table '{table.name}' is malformed")
    cols = [str(c) for c in payload["columns"]]
    unknown = [c for c in cols if c not in table.columns]
    if unknown:
        raise SchemaTooNewError(
            f"export table '{table.name}' has columns this starcoach does not know: {', '.join(unknown)}"
        )
    rows = payload.get("rows", [])
    if not isinstance(rows, list) or any(not isinstance(r, list) or len(r) != len(cols) for r in rows):
        raise InputError(f"export table '{table.name}' has malformed rows")
    checked = check_rows(table, cols, rows)
    if checked:
        conn.execute(insert(table), checked)
    return len(rows)


def import_all(engine: Engine, data: Any) -> list[TableCount]:
    """Restore an export into this database, which must hold no user data; all or nothing."""
    data = _check_export(data)
    counts: list[TableCount] = []
    with transaction(engine) as conn:
        # Rows may point at rows of their own table (a follow-up at its answer): check keys at commit.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        tables = data_tables(conn)
        by_name = {t.name: t for t in tables}
        unknown = [n for n in data["tables"] if n not in by_name]
        if unknown:
            raise SchemaTooNewError(f"export has tables this starcoach does not know: {', '.join(unknown)}")
        busy = [t.name for t in tables if conn.execute(select(func.count()).select_from(t)).scalar()]
        if busy:
            raise ConflictError(
                f"import --all needs an empty database, but it holds {', '.join(busy)}; "
                "run 'starcoach delete --all' first (after 'starcoach backup')"
            )
        for table in tables:
            if table.name in data["tables"]:
                counts.append(TableCount(table.name, _insert_table(conn, table, data["tables"][table.name])))
        _rebuild_virtual(conn)
    return counts


def _rebuild_virtual(conn: Connection) -> None:
    for name, sql in _virtual_tables(conn).items():
        if "content=" in sql.replace(" ", "").lower():
            conn.exec_driver_sql(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')


@contextmanager
def _raw(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        yield con
    finally:
        con.close()


def backup_to(path: Path, target: Path) -> Path:
    """Copy the database at ``path`` to ``target`` (backup API, integrity-checked, atomic, 0600)."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = parent / f".{target.name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
    except OSError as exc:
        raise InputError(f"{target}: cannot write backup ({exc.strerror})") from None
    try:
        with _raw(path) as src, _raw(tmp) as dst:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()
            dst.execute("PRAGMA journal_mode = DELETE")
        if not ok or ok[0] != "ok":
            raise StorageError(f"{path}: backup failed its integrity check ({ok[0] if ok else 'no answer'})")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: backup failed ({exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def integrity_check(path: Path) -> str:
    """``PRAGMA integrity_check`` of the database at ``path`` ('ok' when sound)."""
    try:
        with _raw(path) as con:
            rows = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows)


def delete_all(engine: Engine) -> list[TableCount]:
    """Delete every row of user data and leave no trace of it in the file or the WAL."""
    with transaction(engine) as conn:
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
        tables = data_tables(conn)
        counts = [
            TableCount(t.name, int(conn.execute(select(func.count()).select_from(t)).scalar() or 0))
            for t in tables
        ]
        for table in reversed(tables):
            conn.execute(table.delete())
        for name in _virtual_tables(conn):
            conn.exec_driver_sql(f'DELETE FROM "{name}"')
    _scrub(engine)
    return counts


def _scrub(engine: Engine) -> None:
    """Checkpoint the WAL into the file, VACUUM the free pages away, and truncate the WAL to zero."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA secure_delete = ON")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("VACUUM")
        busy = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy and busy[0]:
        raise StorageError("another starcoach process holds the database open; close it and run delete again")
    engine.dispose()


def prune_backups(backup_dir: Path, prefix: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups whose names start with ``prefix``."""
    found = sorted(backup_dir.glob(f"{prefix}*.db"))
    gone = found[: max(0, len(found) - keep)]
    for old in gone:
        old.unlink(missing_ok=True)
    return gone


def remove_backups(backup_dir: Path) -> int:
    """Delete every backup file (used by delete --all); returns how many were removed."""
    if not backup_dir.is_dir():
        return 0
    removed = 0
    for item in backup_dir.iterdir():
        if item.is_file() and (item.suffix in (".db", ".tmp") or item.name.endswith(".db.tmp")):
            item.unlink()
            removed += 1
    return removed
