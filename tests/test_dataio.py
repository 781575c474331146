"""The user's data as a whole: export --all / import --all, backups, delete --all, file permissions."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from starcoach.errors import ConflictError, InputError, SchemaTooNewError, StorageError
from starcoach.service import open_coach
from starcoach.store import dataio
from tests.conftest import PINNED_NOW
from tests.pg_support import store_rows
from tests.practice_helpers import FOLLOW, STRONG, WEAK

SECRET = "Zanzibar-quokka-7731 was the codename of the failed launch."


def fill(coach: Any) -> None:
    first = coach.submit_answer("conflict-coworker", f"{STRONG} {SECRET}", started_at=PINNED_NOW)
    coach.submit_follow_up(first.attempt.id, first.follow_up, FOLLOW, started_at=PINNED_NOW)
    coach.submit_answer("tight-deadlines", WEAK, started_at=PINNED_NOW)
    coach.rate(first.attempt.id, "hard")
    session = coach.start_session("mock")
    coach.submit_answer("conflict-coworker", STRONG, started_at=PINNED_NOW, session_id=session.id)
    coach.finish_session(session.id)


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    names = [
        r[0]
        for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    rows = {
        n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
        for n in names
        if n != "alembic_version"
    }
    con.close()
    return rows


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_export_then_import_restores_every_row(coach: Any, tmp_path: Path) -> None:
    fill(coach)
    out = tmp_path / "all.json"
    counts = {t.table: t.rows for t in coach.export_all(out)}
    assert counts["attempts"] == 4 and counts["review_logs"] == 3 and counts["cards"] == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(out.read_text())
    assert data["format"] == "starcoach-export" and data["version"] == 1 and "0004" in data["schema"]
    before = table_rows(coach.store.path)
    other = open_coach(tmp_path / "other", clock=coach.clock)
    restored = {t.table: t.rows for t in other.import_all(out)}
    assert restored == counts
    assert table_rows(other.store.path) == before
    assert [a.to_dict() for a in other.history(limit=None)] == [
        a.to_dict() for a in coach.history(limit=None)
    ]
    assert other.due().to_dict() == coach.due().to_dict()
    assert list((tmp_path / "other" / "backups").glob("starcoach-before-import-*.db"))
    other.close()


def test_import_refuses_a_database_with_data_and_changes_nothing(coach: Any, tmp_path: Path) -> None:
    fill(coach)
    out = tmp_path / "all.json"
    coach.export_all(out)
    before = store_rows(coach.store)
    with pytest.raises(ConflictError, match="empty database"):
        coach.import_all(out)
    assert store_rows(coach.store) == before


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda d: d.update(format="other"), InputError, "not a starcoach export"),
        (lambda d: d.update(version=99), SchemaTooNewError, "newer"),
        (lambda d: d.update(schema=["0001", "9999"]), SchemaTooNewError, "newer starcoach"),
        (
            lambda d: d["tables"].update(martians={"columns": ["id"], "rows": []}),
            SchemaTooNewError,
            "martians",
        ),
        (lambda d: d["tables"]["attempts"]["rows"].append([1]), InputError, "malformed rows"),
    ],
)
def test_bad_exports_are_refused_whole(
    coach: Any, tmp_path: Path, change: Any, error: type, message: str
) -> None:
    fill(coach)
    out = tmp_path / "all.json"
    coach.export_all(out)
    data = json.loads(out.read_text())
    change(data)
    out.write_text(json.dumps(data))
    target = open_coach(tmp_path / "t", clock=coach.clock)
    with pytest.raises(error, match=message):
        target.import_all(out)
    assert sum(t.rows for t in target.data_counts()) == 0
    target.close()


def test_not_json_is_one_clear_error(coach: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(InputError, match="not JSON"):
        coach.import_all(bad)


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_backup_is_a_verified_private_copy(coach: Any, tmp_path: Path) -> None:
    fill(coach)
    path = coach.backup()
    assert path.parent == coach.settings.backup_dir and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dataio.integrity_check(path) == "ok"
    assert table_rows(path) == table_rows(coach.store.path)
    chosen = coach.backup(tmp_path / "mine.db")
    assert chosen.exists() and not list(tmp_path.glob(".mine.db.tmp"))


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_backup_to_an_unwritable_place_is_one_clear_error(coach: Any, tmp_path: Path) -> None:
    fill(coach)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):
        pytest.skip("running as a user who can write anywhere")
    with pytest.raises(InputError, match="cannot write backup"):
        coach.backup(locked / "b.db")


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_automatic_backups_are_pruned(coach: Any) -> None:
    fill(coach)
    clock_at = PINNED_NOW
    for i in range(dataio_keep() + 3):
        coach.clock = lambda i=i: clock_at.replace(second=i)
        coach.backup(label="before-import")
    assert len(list(coach.settings.backup_dir.glob("starcoach-before-import-*.db"))) == dataio_keep()


def dataio_keep() -> int:
    from starcoach.service.practice_data import AUTO_BACKUPS_KEPT

    return AUTO_BACKUPS_KEPT


def raw_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob("starcoach.db*"))


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_delete_all_leaves_no_trace_in_the_database_or_wal(coach: Any, starcoach_home: Path) -> None:
    fill(coach)
    coach.backup()
    assert SECRET.encode() in raw_bytes(starcoach_home)
    counts = coach.delete_all()
    assert sum(t.rows for t in counts) > 0
    assert sum(t.rows for t in coach.data_counts()) == 0
    blob = raw_bytes(starcoach_home)
    assert SECRET.encode() not in blob and b"Zanzibar" not in blob
    assert not list(coach.settings.backup_dir.glob("*.db"))
    wal = starcoach_home / "starcoach.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert dataio.integrity_check(coach.store.path) == "ok"
    again = coach.submit_answer("conflict-coworker", STRONG, started_at=PINNED_NOW)  # still usable
    assert coach.attempt(again.attempt.id).score == again.attempt.score


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_delete_all_can_keep_backups(coach: Any) -> None:
    fill(coach)
    path = coach.backup()
    coach.delete_all(keep_backups=True)
    assert path.exists()


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_data_files_are_readable_by_the_user_only(coach: Any, starcoach_home: Path, tmp_path: Path) -> None:
    fill(coach)
    coach.backup()
    coach.export_all(tmp_path / "e.json")
    for p in [*starcoach_home.glob("starcoach.db*"), *coach.settings.backup_dir.iterdir()]:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p
    assert stat.S_IMODE(coach.settings.backup_dir.stat().st_mode) == 0o700


def test_a_corrupt_database_is_one_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "h"
    c = open_coach(home)
    c.submit_answer("conflict-coworker", STRONG, started_at=PINNED_NOW)
    c.close()
    db = home / "starcoach.db"
    data = bytearray(db.read_bytes())
    data[100 : 4096 * 2] = b"\xff" * (4096 * 2 - 100)
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    broken = open_coach(home)
    with pytest.raises(StorageError, match=r"corrupt|malformed|database"):
        broken.history()
    broken.close()
    assert db.read_bytes() == before


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_a_database_from_a_newer_starcoach_is_still_refused(coach: Any, starcoach_home: Path) -> None:
    fill(coach)
    coach.close()
    db = starcoach_home / "starcoach.db"
    con = sqlite3.connect(db)
    con.execute("INSERT INTO alembic_version (version_num) VALUES ('9999')")
    con.commit()
    con.close()
    before = db.read_bytes()
    newer = open_coach(starcoach_home)
    with pytest.raises(SchemaTooNewError, match="newer starcoach"):
        newer.history()
    newer.close()
    assert db.read_bytes() == before


@pytest.mark.sqlite_only  # the SQLite file itself: backups, WAL, permissions
def test_a_bank_import_over_existing_banks_is_backed_up_first(coach: Any, tmp_path: Path) -> None:
    md = tmp_path / "mine.md"
    md.write_text(
        "# Mine\n\n### 1. Tell me about a time you led a launch.\n\n**Answer:**\n\n- **Key**: own it\n"
    )
    coach.import_files([md])
    assert not list(coach.settings.backup_dir.glob("starcoach-before-import-*.db"))  # nothing to protect yet
    coach.import_files([md])
    backups = list(coach.settings.backup_dir.glob("starcoach-before-import-*.db"))
    assert len(backups) == 1 and dataio.integrity_check(backups[0]) == "ok"
