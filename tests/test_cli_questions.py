"""A user browsing the bank from the terminal: list, filter, search, show, crosswalks, errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import one_error_line, sc


def test_plain_starcoach_shows_the_bank_and_a_question(starcoach_home: Path) -> None:
    r = sc(home=starcoach_home)
    assert r.returncode == 0, r.stderr
    assert "questions in" in r.stdout and "Today's question" in r.stdout


def test_list_json_has_the_whole_bundled_bank(starcoach_home: Path) -> None:
    r = sc("questions", "list", "--json", home=starcoach_home)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) >= 120
    assert {"id", "text", "type", "competencies", "points", "follow_ups", "red_flags"} <= set(items[0])


def test_filters_by_type_and_competency(starcoach_home: Path) -> None:
    r = sc("questions", "list", "--type", "story", "--competency", "conflict", "--json", home=starcoach_home)
    items = json.loads(r.stdout)
    assert items
    assert all(q["type"] == "story" and "conflict" in q["competencies"] for q in items)


def test_amazon_principle_crosswalk(starcoach_home: Path) -> None:
    r = sc("questions", "list", "--principle", "amazon:ownership", "--json", home=starcoach_home)
    items = json.loads(r.stdout)
    assert items
    assert all({"ownership", "leadership"} & set(q["competencies"]) for q in items)
    r2 = sc("questions", "list", "--principle", "amazon:dive deep", "--json", home=starcoach_home)
    assert all("technical-depth" in q["competencies"] for q in json.loads(r2.stdout))


def test_search_ranks_matching_questions(starcoach_home: Path) -> None:
    r = sc("questions", "search", "conflict", "coworker", "--json", home=starcoach_home)
    items = json.loads(r.stdout)
    assert items[0]["id"] == "conflict-coworker"


def test_show_prints_points_follow_ups_and_red_flags(starcoach_home: Path) -> None:
    r = sc("questions", "show", "conflict-coworker", home=starcoach_home)
    assert r.returncode == 0, r.stderr
    assert "What a strong answer covers" in r.stdout and "Follow-ups" in r.stdout and "Red flags" in r.stdout


def test_unknown_things_get_one_clear_line(starcoach_home: Path) -> None:
    shown = sc("questions", "show", "nope-nope", home=starcoach_home)
    assert "no question with id 'nope-nope'" in one_error_line(shown)
    assert "unknown competency 'bravery'" in one_error_line(
        sc("questions", "list", "--competency", "bravery", home=starcoach_home)
    )
    assert "unknown question type" in one_error_line(sc("questions", "list", "--type", "essay", home=starcoach_home))
    assert "unknown amazon principle" in one_error_line(
        sc("questions", "list", "--principle", "amazon:speed", home=starcoach_home)
    )
    assert "no bank 'ghost'" in one_error_line(sc("questions", "list", "--bank", "ghost", home=starcoach_home))


def test_corrupt_database_is_reported_not_overwritten(starcoach_home: Path) -> None:
    starcoach_home.mkdir(parents=True)
    db = starcoach_home / "starcoach.db"
    db.write_bytes(b"garbage" * 100)
    line = one_error_line(sc("banks", home=starcoach_home))
    assert "not a SQLite database" in line
    assert db.read_bytes() == b"garbage" * 100
