"""Opening the SQLite database: pragmas, file permissions, schema checks and migrations.

Every connection runs with WAL, foreign keys, a busy timeout and ``synchronous=FULL``, and every
transaction starts with ``BEGIN IMMEDIATE`` so that two starcoach processes writing at once wait
for each other instead of failing with "database is locked" half-way through.

Migrations are Alembic's, run in-process. Start-up stays cheap: the applied revisions are read
with the stdlib ``sqlite3`` and Alembic is imported only when an upgrade is due. A database whose
revisions this code does not know was written by a newer starcoach and is refused, never touched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from starcoach.errors import SchemaTooNewError, StorageError
from starcoach.store.migrations import HEADS, KNOWN_REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _on_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """An engine for the SQLite file at ``path`` with starcoach's pragmas."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def check_file(path: Path) -> None:
    """Refuse a path that exists but is not a SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, not a starcoach database")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StorageError(f"{path}: cannot read database ({exc.strerror})") from None
    if head and head != SQLITE_MAGIC:
        raise StorageError(f"{path}: not a SQLite database (corrupt or foreign file); move it away or restore a backup")


def applied_revisions(path: Path) -> set[str]:
    """Revisions recorded in the database, read without importing Alembic."""
    if not path.exists() or path.stat().st_size == 0:
        return set()
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return set()
        raise StorageError(f"{path}: cannot read database ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: database is corrupt ({exc}); restore a backup") from None
    return {str(r[0]) for r in rows}


def ensure_dir(home: Path) -> None:
    """Create the data dir, readable by the user only."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StorageError(f"{home}: cannot create data directory ({exc.strerror})") from None
    if not os.access(home, os.W_OK | os.X_OK):
        raise StorageError(f"{home}: data directory is not writable")


@contextmanager
def schema_lock(path: Path) -> Iterator[None]:
    """Hold an advisory lock beside the database while it is created and migrated.

    Two starcoach processes started at once on a new database would otherwise both switch it to WAL
    and run the migrations, and one of them can get "database is locked" where SQLite's busy handler
    does not apply (changing the journal mode). Where ``fcntl`` is missing (Windows) nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def backup_file(path: Path, backup_dir: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup API to ``backup_dir``; returns the copy's path."""
    backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = backup_dir / f"{path.stem}-{label}.db"
    tmp = target.with_suffix(".tmp")
    src = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()
        finally:
            dst.close()
    finally:
        src.close()
    if not ok or ok[0] != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"{path}: backup failed its integrity check")
    os.replace(tmp, target)
    return target


def migrate(path: Path, backup_dir: Path, stamp: str) -> None:
    """Bring the database at ``path`` to the current schema, backing it up first if it has data."""
    applied = applied_revisions(path)
    unknown = applied - KNOWN_REVISIONS
    if unknown:
        raise SchemaTooNewError(
            f"{path}: written by a newer starcoach (schema {', '.join(sorted(unknown))}); "
            "upgrade starcoach to open it"
        )
    if applied == HEADS:
        return
    if applied:
        backup_file(path, backup_dir, f"before-migration-{stamp}")
    _run_alembic_upgrade(path)


def _run_alembic_upgrade(path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
            conn.commit()
    finally:
        engine.dispose()

