"""Opening the database: SQLite pragmas, file permissions, schema checks and migrations; PostgreSQL.

Every connection runs with WAL, foreign keys, a busy timeout and ``synchronous=FULL``, and every
transaction starts with ``BEGIN IMMEDIATE`` so that two starcoach processes writing at once wait
for each other instead of failing with "database is locked" half-way through.

Migrations are Alembic's, run in-process. Start-up stays cheap: the applied revisions are read
with the stdlib ``sqlite3`` and Alembic is imported only when an upgrade is due. A database whose
revisions this code does not know was written by a newer starcoach and is refused, never touched.

PostgreSQL (team mode, the ``team`` extra) runs the same migrations on one connection holding a
``pg_advisory_lock``, so app processes started together migrate once; see ``migrate_server``.
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
    refuse_unknown(str(path), applied)
    if applied == HEADS:
        return
    if applied:
        backup_file(path, backup_dir, f"before-migration-{stamp}")
    _run_alembic_upgrade(path)


def _run_alembic_upgrade(path: Path) -> None:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            _alembic_upgrade_on(conn)
    finally:
        engine.dispose()


def _alembic_upgrade_on(conn: Any) -> None:
    """``alembic upgrade heads`` on ``conn``, committed."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "heads")
    conn.commit()



# PostgreSQL (team mode) ----------------------------------------------------------------------------
# Several app processes may start at once against one server: the first takes this session-level
# advisory lock and migrates, the others wait on it and then find the schema current.
MIGRATION_LOCK_KEY = 0x73746172636F6163  # "starcoac" as a bigint: one lock id for every starcoach


def is_sqlite_url(url: str) -> bool:
    return url.strip().lower().startswith("sqlite")


def normalize_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` go through psycopg 3 (the ``team`` extra)."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(url: str) -> str:
    """The URL as it may be shown to a user: never with its password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def one_line(exc: BaseException) -> str:
    """A driver's (often multi-line) message as one line."""
    return " ".join(part.strip() for part in str(exc).splitlines() if part.strip()) or type(exc).__name__


def make_server_engine(url: str) -> Engine:
    """An engine for a database server URL (PostgreSQL), or StorageError for an unusable URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    unsupported = StorageError(f"{safe_url(url)}: unsupported database URL (use postgresql:// or sqlite:///)")
    try:
        if make_url(normalize_url(url)).get_backend_name() != "postgresql":
            raise unsupported
        return create_engine(normalize_url(url), pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except NoSuchModuleError:
        raise unsupported from None
    except ArgumentError:
        raise StorageError("unreadable database URL (expected postgresql://user@host:port/dbname)") from None
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"{safe_url(url)}: the database driver is missing ({exc.name}); install 'starcoach[team]'"
        ) from None


def server_revisions(conn: Any) -> set[str]:
    """Revisions recorded in a PostgreSQL database (empty when it has no schema yet)."""
    if conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar() is None:
        return set()
    return {str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}


def refuse_unknown(where: str, applied: set[str]) -> None:
    unknown = applied - KNOWN_REVISIONS
    if unknown:
        raise SchemaTooNewError(
            f"{where}: written by a newer starcoach (schema {', '.join(sorted(unknown))}); "
            "upgrade starcoach to open it"
        )


def migrate_server(engine: Engine) -> bool:
    """Bring a PostgreSQL database to the current schema under the advisory lock; True if it changed.

    No file backup here: a server database is backed up with pg_dump (docs/deploy.md).
    """
    where = safe_url(str(engine.url))
    with engine.connect() as conn:
        applied = server_revisions(conn)
        conn.commit()
        refuse_unknown(where, applied)
        if applied == HEADS:
            return False
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})")
        conn.commit()
        try:
            applied = server_revisions(conn)  # another process may have migrated while we waited
            refuse_unknown(where, applied)
            if applied == HEADS:
                conn.commit()
                return False
            _alembic_upgrade_on(conn)
            return True
        finally:
            conn.rollback()
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})")
            conn.commit()
