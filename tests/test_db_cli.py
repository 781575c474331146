"""``starcoach db check`` / ``db upgrade`` through the real console script, with --database-url too."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from starcoach.store.migrations import HEADS
from tests.cli_helpers import one_error_line, sc


def test_check_then_upgrade_a_new_sqlite_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = sc("db", "check", home=home)
    assert first.returncode == 1 and "empty" in first.stdout and "db upgrade" in first.stderr
    assert not (home / "starcoach.db").exists()  # check creates nothing
    up = sc("db", "upgrade", home=home)
    assert up.returncode == 0 and "upgraded from none to" in up.stdout
    again = sc("db", "check", "--json", home=home)
    assert again.returncode == 0
    assert json.loads(again.stdout) | {"database": "x"} == {
        "database": "x", "revisions": sorted(HEADS), "expected": sorted(HEADS), "state": "current"
    }
    assert "already at" in sc("db", "upgrade", home=home).stdout


def test_check_refuses_a_newer_schema_with_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert sc("db", "upgrade", home=home).returncode == 0
    con = sqlite3.connect(home / "starcoach.db")
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    assert "newer starcoach" in one_error_line(sc("db", "check", home=home))
    assert "newer starcoach" in one_error_line(sc("db", "upgrade", home=home))


def test_database_url_option_picks_the_database(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "team.db"
    up = sc("--database-url", f"sqlite:///{target}", "db", "upgrade", home=tmp_path / "home")
    assert up.returncode == 0 and target.exists() and not (tmp_path / "home" / "starcoach.db").exists()
    assert "unsupported database URL" in one_error_line(
        sc("--database-url", "mysql://u@h/db", "db", "check", home=tmp_path / "home")
    )


def test_db_commands_on_postgresql(pg_empty_url: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert sc("--database-url", pg_empty_url, "db", "check", home=home).returncode == 1
    up = sc("--database-url", pg_empty_url, "db", "upgrade", home=home)
    assert up.returncode == 0 and "upgraded from none to" in up.stdout
    assert sc("--database-url", pg_empty_url, "db", "check", home=home).returncode == 0
    refused = sc("--database-url", "postgresql://who:pa55word@127.0.0.1:9/none", "db", "check", home=home)
    line = one_error_line(refused)
    assert "cannot open database" in line and "pa55word" not in line
