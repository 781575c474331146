"""The SQLite store: pragmas, permissions, migrations, refusing foreign or newer databases."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from starcoach.bank.model import Bank, Point, Question
from starcoach.errors import SchemaTooNewError, StorageError
from starcoach.ids import BankId, QuestionId
from starcoach.store import Store
from starcoach.store.migrations import HEADS, KNOWN_REVISIONS

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def open_store(home: Path) -> Store:
    return Store.open(home / "starcoach.db", home / "backups", "t")


def sample_bank(n: int = 3, bank_id: str = "mine") -> Bank:
    qs = tuple(
        Question(QuestionId(f"{bank_id}-{i}"), f"Question {i}?", points=(Point("Key", f"point {i}"),),
                 bank=BankId(bank_id), number=i)
        for i in range(1, n + 1)
    )
    return Bank(BankId(bank_id), "My bank", qs, meta=(("Topic", "Tests"),), preamble="intro")


def test_known_revisions_match_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    import starcoach.store.migrations as mig

    script = ScriptDirectory(str(Path(mig.__file__).parent))
    assert set(script.get_heads()) == HEADS
    assert {r.revision for r in script.walk_revisions()} == KNOWN_REVISIONS
    for r in script.walk_revisions():
        assert Path(r.path).name.startswith(f"{r.revision}_")


def test_new_database_uses_wal_foreign_keys_and_private_permissions(tmp_path: Path) -> None:
    store = open_store(tmp_path / "h")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.close()
    db = tmp_path / "h" / "starcoach.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "h").stat().st_mode) == 0o700


def test_banks_round_trip_and_reimport_replaces(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.banks.save_all([sample_bank(3)], NOW)
    store.banks.save_all([sample_bank(2)], NOW)
    loaded = store.banks.load_all()
    assert loaded == [sample_bank(2)]
    store.close()
    again = open_store(tmp_path)
    assert again.banks.load_all() == [sample_bank(2)]
    again.close()


def test_failed_save_leaves_previous_version(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.banks.save_all([sample_bank(2)], NOW)
    dup = sample_bank(2)
    broken = Bank(dup.id, dup.title, dup.questions + dup.questions[:1])  # duplicate primary key
    with pytest.raises(Exception, match="UNIQUE"):
        store.banks.save_all([sample_bank(1, "other"), broken], NOW)
    assert store.banks.load_all() == [sample_bank(2)]
    store.close()


def test_database_from_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.close()
    db = tmp_path / "starcoach.db"
    con = sqlite3.connect(db)
    con.execute("INSERT INTO alembic_version (version_num) VALUES ('9999')")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer starcoach"):
        open_store(tmp_path)
    assert db.read_bytes() == before


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "starcoach.db").write_text("this is not a database")
    with pytest.raises(StorageError, match="not a SQLite database"):
        open_store(tmp_path)


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Creating and migrating is serialized by a lock file, so no opener sees "database is locked"."""
    import subprocess
    import sys

    code = "import sys; from starcoach.service import open_coach; print(len(open_coach(sys.argv[1]).banks()))"
    for round_ in range(5):
        home = tmp_path / f"h{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(home)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outs]
        assert [out.strip() for out, _ in outs] == ["1", "1", "1", "1"]
