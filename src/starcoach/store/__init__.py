"""Persistence: one SQLite database (PostgreSQL later) behind the ``Store`` object.

``Store.open`` checks the file, migrates the schema (backing up first) and hands out one
repository per feature (``store.banks``, ...), all sharing one engine. SQLAlchemy stays inside
this package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from starcoach.errors import StorageError
from starcoach.store import db
from starcoach.store.attempts import AttemptRepo
from starcoach.store.banks import BankRepo
from starcoach.store.stories import StoryRepo


@dataclass
class Store:
    """An open database with one repository per feature."""

    path: Path
    engine: Engine
    banks: BankRepo
    attempts: AttemptRepo
    stories: StoryRepo

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
        engine = db.make_engine(path)
        return cls(path=path, engine=engine, banks=BankRepo(engine), attempts=AttemptRepo(engine),
                   stories=StoryRepo(engine))

    def close(self) -> None:
        self.engine.dispose()
