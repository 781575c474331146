"""Persistence: one SQLite file (default) or a PostgreSQL database behind the ``Store`` object.

``Store.open`` checks the SQLite file, migrates the schema (backing up first) and hands out one
repository per feature (``store.banks``, ...), all sharing one engine. ``Store.open_url`` does the
same for a database URL (``postgresql://...`` in team mode, or ``sqlite:///path``). SQLAlchemy
stays inside this package.

Per-user data carries its owner: a store is scoped to one owner (``LOCAL_OWNER`` for the single
local user) and every query of its per-user repositories (attempts, stories) is limited to it.
``store.scoped(owner)`` gives the same engine seen as another owner (cheap: no new engine), and
``delete_owner_data`` removes everything one owner has. Question banks are shared by all owners.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from starcoach.errors import InputError, StorageError
from starcoach.ids import LOCAL_OWNER
from starcoach.store import db
from starcoach.store.attempts import AttemptRepo
from starcoach.store.banks import BankRepo
from starcoach.store.migrations import HEADS, KNOWN_REVISIONS
from starcoach.store.owners import delete_owner_rows
from starcoach.store.stories import StoryRepo


@dataclass(frozen=True)
class Store:
    """An open database with one repository per feature, scoped to ``owner``."""

    path: Path | None  # the SQLite file; None on a database server
    engine: Engine
    banks: BankRepo
    attempts: AttemptRepo
    stories: StoryRepo
    owner: str = LOCAL_OWNER

    @classmethod
    def open(cls, path: Path, backup_dir: Path, stamp: str) -> Store:
        """Open (creating if needed) the database at ``path``; ``stamp`` names migration backups."""
        db.ensure_dir(path.parent)
        db.check_file(path)
        try:
            with db.schema_lock(path):
                if not path.exists():
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
                db.migrate(path, backup_dir, stamp)
        except OperationalError as exc:
            raise StorageError(f"{path}: cannot open database ({exc.orig})") from None
        except OSError as exc:
            raise StorageError(f"{path}: cannot create database ({exc.strerror})") from None
        return cls._over(db.make_engine(path), path)

    @classmethod
    def open_url(cls, url: str) -> Store:
        """Open the database at ``url``: ``postgresql://user@host:port/db`` or ``sqlite:///path``.

        A SQLite URL opens like ``Store.open`` (migration backups beside the file, in ``backups/``).
        A PostgreSQL database is migrated under an advisory lock (see ``db.migrate_server``).
        """
        if db.is_sqlite_url(url):
            path = _sqlite_path(url)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            return cls.open(path, path.parent / "backups", stamp)
        engine = db.make_server_engine(url)
        try:
            db.migrate_server(engine)
        except DBAPIError as exc:
            engine.dispose()
            raise StorageError(f"{db.safe_url(url)}: cannot open database ({db.one_line(exc.orig or exc)})") from None
        except BaseException:
            engine.dispose()
            raise
        return cls._over(engine, None)

    @classmethod
    def _over(cls, engine: Engine, path: Path | None) -> Store:
        return cls(path=path, engine=engine, banks=BankRepo(engine), attempts=AttemptRepo(engine, LOCAL_OWNER),
                   stories=StoryRepo(engine, LOCAL_OWNER))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def scoped(self, owner: str) -> Store:
        """This store (same engine, nothing opened) with its per-user repositories bound to ``owner``."""
        owner = check_owner(owner)
        return replace(self, owner=owner, attempts=AttemptRepo(self.engine, owner),
                       stories=StoryRepo(self.engine, owner))

    def delete_owner_data(self, owner: str) -> dict[str, int]:
        """Delete every row ``owner`` has, in one transaction; rows deleted per table."""
        return delete_owner_rows(self.engine, check_owner(owner))

    def close(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a database is and which schema revisions it holds, against the ones this code has."""

    where: str  # the SQLite path or the server URL without its password
    applied: frozenset[str]
    heads: frozenset[str]

    @property
    def state(self) -> str:
        """'current', 'empty' (no schema yet), 'behind' (an upgrade is due) or 'newer' (refused)."""
        if self.applied - KNOWN_REVISIONS:
            return "newer"
        if not self.applied:
            return "empty"
        return "current" if self.applied == self.heads else "behind"

    def to_dict(self) -> dict[str, object]:
        return {"database": self.where, "revisions": sorted(self.applied), "expected": sorted(self.heads),
                "state": self.state}


def schema_status(url: str | None, path: Path) -> SchemaStatus:
    """The schema of the database at ``url`` (else the SQLite file ``path``), read without changing it."""
    if url and not db.is_sqlite_url(url):
        engine = db.make_server_engine(url)
        try:
            with engine.connect() as conn:
                applied = db.server_revisions(conn)
        except DBAPIError as exc:
            raise StorageError(f"{db.safe_url(url)}: cannot open database ({db.one_line(exc.orig or exc)})") from None
        finally:
            engine.dispose()
        return SchemaStatus(db.safe_url(url), frozenset(applied), HEADS)
    file = _sqlite_path(url) if url else path
    db.check_file(file)
    return SchemaStatus(str(file), frozenset(db.applied_revisions(file)), HEADS)


def check_owner(owner: str) -> str:
    if not isinstance(owner, str) or not owner.strip() or owner != owner.strip() or len(owner) > 200:
        raise InputError(f"not a valid data owner: {owner!r}")
    return owner


def _sqlite_path(url: str) -> Path:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        database = make_url(url).database
    except ArgumentError:
        database = None
    if not database or database == ":memory:":
        raise StorageError(f"{url}: a SQLite URL must name a file (sqlite:///path/to/starcoach.db)")
    return Path(database).expanduser()


__all__ = ["LOCAL_OWNER", "SchemaStatus", "Store", "check_owner", "schema_status"]
