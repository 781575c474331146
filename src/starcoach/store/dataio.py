"""The user's data as a whole: export everything, import it back, back it up, delete it.

- :func:`export_all` writes every row one owner has (every table with an ``owner`` column, read
  from the database itself, so tables added by any feature are included) and the shared question
  banks, in foreign-key order, with the schema revisions it was written at. The ``owner`` column
  itself is left out, so an export moves between owners and databases. The format is versioned
  (:data:`FORMAT`, :data:`VERSION`).
- :func:`import_all` restores such an export for one owner who has no data yet (and, unless
  ``merge_shared``, into a database without banks), row for row, in one transaction: all of it or
  nothing. Review-log numbers already taken by another owner are numbered anew.
- :func:`backup_to` copies the live database with SQLite's online backup API, checks the copy with
  ``PRAGMA integrity_check`` and renames it into place, so a backup is whole or absent.
- :func:`delete_all` removes the owner's rows and the banks; on SQLite with ``secure_delete`` on,
  then checkpoints the WAL (TRUNCATE) and VACUUMs, so no deleted text stays in the file or its WAL.

Backups (:func:`backup_to`) and the integrity check are SQLite's; a PostgreSQL database is backed up
with ``pg_dump``.

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

from sqlalchemy import ColumnElement, Connection, Engine, Integer, Table, func, insert, select, true

from starcoach.errors import ConflictError, InputError, SchemaTooNewError, StorageError
from starcoach.ids import LOCAL_OWNER
from starcoach.store.attempts import transaction
from starcoach.store.db import BUSY_TIMEOUT_MS
from starcoach.store.migrations import KNOWN_REVISIONS
from starcoach.store.owners import OWNER, SHARED_TABLES, reflect, table_names
from starcoach.store.rowcheck import check_rows

FORMAT = "starcoach-export"
VERSION = 1
SEQ = "seq"  # an order column (stories.seq): numbered on import in the order rows are given


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rows": self.rows}


def _virtual_tables(conn: Connection) -> dict[str, str]:
    if conn.dialect.name != "sqlite":
        return {}
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).all()
    return {str(r[0]): str(r[1]) for r in rows}


def data_tables(conn: Connection) -> list[Table]:
    """Every table of a user's data (per-user tables and the shared banks), parents before children.

    Tables without an ``owner`` that are not shared banks (team mode's accounts and cohorts) are server
    data, not a user's, and stay out.
    """
    virtual = _virtual_tables(conn)
    keep = [
        n for n in table_names(conn)
        if n not in virtual and not any(n.startswith(f"{v}_") for v in virtual)
    ]
    return [t for t in reflect(conn, keep) if OWNER in t.columns or t.name in SHARED_TABLES]


def _mine(table: Table, owner: str) -> ColumnElement[bool]:
    return table.c[OWNER] == owner if OWNER in table.columns else true()


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name != OWNER]


def _revisions(conn: Connection) -> list[str]:
    try:
        return sorted(str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))
    except Exception:  # an unmigrated database has no alembic_version table
        return []


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def export_all(engine: Engine, now: datetime, owner: str = LOCAL_OWNER) -> dict[str, Any]:
    """Everything ``owner`` has, and the banks, as one JSON-ready dict (see the module docstring)."""
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
            cols = _columns(table)
            pk = [c for c in table.primary_key.columns if c.name != OWNER] or list(table.columns)[:1]
            order = [table.c[SEQ], *pk] if SEQ in table.columns else pk
            rows = conn.execute(
                select(*(table.c[c] for c in cols)).where(_mine(table, owner)).order_by(*order)
            ).all()
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


def _count(conn: Connection, table: Table, owner: str) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(_mine(table, owner))).scalar() or 0)


def count_rows(engine: Engine, owner: str = LOCAL_OWNER) -> list[TableCount]:
    with transaction(engine) as conn:
        return [TableCount(t.name, _count(conn, t, owner)) for t in data_tables(conn)]


def _insert_table(conn: Connection, table: Table, payload: Any, owner: str, merge: bool) -> int:
    if not isinstance(payload, dict) or not isinstance(payload.get("columns"), list):
        raise InputError(f"export table '{table.name}' is malformed")
    cols = [str(c) for c in payload["columns"]]
    unknown = [c for c in cols if c not in table.columns or c == OWNER]
    if unknown:
        raise SchemaTooNewError(
            f"export table '{table.name}' has columns this starcoach does not know: {', '.join(unknown)}"
        )
    rows = payload.get("rows", [])
    if not isinstance(rows, list) or any(not isinstance(r, list) or len(r) != len(cols) for r in rows):
        raise InputError(f"export table '{table.name}' has malformed rows")
    if OWNER in table.columns:
        cols, rows = [*cols, OWNER], [[*r, owner] for r in rows]
    if SEQ in table.columns and SEQ not in cols:
        cols, rows = [*cols, SEQ], [[*r, n] for n, r in enumerate(rows, start=1)]
    checked = check_rows(table, cols, rows)
    if merge and OWNER not in table.columns:
        checked = _absent(conn, table, checked)
    checked = _renumber(conn, table, checked)
    if conn.dialect.name != "sqlite":
        checked = _parents_first(table, checked)
    if checked:
        conn.execute(insert(table), checked)
        _advance_sequence(conn, table)
    return len(rows)


def _absent(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shared rows whose key is not stored yet (``merge_shared``: stored banks win)."""
    pk = [c.name for c in table.primary_key.columns]
    have = {tuple(r) for r in conn.execute(select(*(table.c[c] for c in pk)))}
    return [r for r in rows if tuple(r.get(c) for c in pk) not in have]


def _serial(table: Table) -> str | None:
    """The name of the table's auto-numbered integer key, if it has one."""
    pk = list(table.primary_key.columns)
    if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
        return pk[0].name
    return None


def _renumber(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop given numbers of an auto-numbered key when any is taken (by another owner): numbered anew."""
    key = _serial(table)
    if key is None or not rows or OWNER not in table.columns:
        return rows
    given = [r[key] for r in rows if r.get(key) is not None]
    taken = given and conn.execute(select(table.c[key]).where(table.c[key].in_(given)).limit(1)).first()
    if not taken:
        return rows
    ordered = sorted(rows, key=lambda r: (r.get(key) is None, r.get(key) or 0))
    return [{c: v for c, v in r.items() if c != key} for r in ordered]


def _advance_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL: move the key's sequence past numbers inserted explicitly."""
    key = _serial(table)
    if key is None or conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key}'), "
        f"(SELECT COALESCE(MAX({key}), 0) + 1 FROM {table.name}), false)"
    )


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows pointing at rows of their own table (a follow-up at its answer) after those rows.

    SQLite defers the foreign-key checks to commit; PostgreSQL checks each row as it is inserted.
    """
    links = [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table.name == table.name
    ]
    if not links:
        return rows
    out: list[dict[str, Any]] = []
    placed: set[tuple[str, Any]] = set()
    waiting = list(rows)
    while waiting:
        ready = [r for r in waiting if all(r.get(c) is None or (t, r.get(c)) in placed for c, t in links)]
        if not ready:  # a cycle or a missing parent: insert as given and let the key check fail
            return out + waiting
        out += ready
        placed |= {(t, r.get(t)) for r in ready for _, t in links}
        ready_ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ready_ids]
    return out


def import_all(
    engine: Engine, data: Any, owner: str = LOCAL_OWNER, merge_shared: bool = False
) -> list[TableCount]:
    """Restore an export as ``owner``'s data, who must have none yet; all or nothing.

    The database must hold no banks either, unless ``merge_shared``: then banks already stored are
    kept and only the export's other banks are added (team mode, where banks are shared).
    """
    data = _check_export(data)
    counts: list[TableCount] = []
    with transaction(engine) as conn:
        if conn.dialect.name == "sqlite":
            # Rows may point at rows of their own table (a follow-up at its answer): check keys at commit.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        tables = data_tables(conn)
        by_name = {t.name: t for t in tables}
        unknown = [n for n in data["tables"] if n not in by_name]
        if unknown:
            raise SchemaTooNewError(f"export has tables this starcoach does not know: {', '.join(unknown)}")
        busy = [
            t.name for t in tables
            if (OWNER in t.columns or not merge_shared) and _count(conn, t, owner)
        ]
        if busy:
            raise ConflictError(
                f"import --all needs an empty database, but it holds {', '.join(busy)}; "
                "run 'starcoach delete --all' first (after 'starcoach backup')"
            )
        for table in tables:
            if table.name in data["tables"]:
                payload = data["tables"][table.name]
                counts.append(TableCount(table.name, _insert_table(conn, table, payload, owner, merge_shared)))
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


def delete_all(engine: Engine, owner: str = LOCAL_OWNER, include_shared: bool = True) -> list[TableCount]:
    """Delete every row of ``owner``'s data and (``include_shared``) the banks; on SQLite leave no trace
    in the file or WAL."""
    sqlite = engine.dialect.name == "sqlite"
    with transaction(engine) as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        tables = [t for t in data_tables(conn) if include_shared or OWNER in t.columns]
        counts = [TableCount(t.name, _count(conn, t, owner)) for t in tables]
        for table in reversed(tables):
            conn.execute(table.delete().where(_mine(table, owner)))
        for name in _virtual_tables(conn):
            conn.exec_driver_sql(f'DELETE FROM "{name}"')
    if sqlite:
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
