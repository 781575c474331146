"""Hostile story input: drafts stay private and are deleted, coverage CSV cannot run formulas, errors
quote a short excerpt, and pathological files parse in linear time (timings are in bench/)."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from starcoach.errors import InputError
from starcoach.stories.markdown import StoryFormatError, parse_stories
from tests.cli_helpers import one_error_line, sc
from tests.test_stories_service import ONE


def test_a_kept_draft_is_private_and_delete_all_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    broken = tmp_path / "broken.md"
    broken.write_text("## Secret plan\n- **Situation**: Zanzibar-quokka was failing\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"cp {broken}")
    one_error_line(sc("stories", "add", "--editor", home=home))
    (draft,) = (home / "drafts").iterdir()
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    deleted = sc("delete", "--all", "--yes", home=home)
    assert deleted.returncode == 0 and "nothing is left" in deleted.stdout, deleted.stderr
    assert not any((home / "drafts").iterdir())
    leftovers = [p for p in home.rglob("*") if p.is_file() and b"Zanzibar" in p.read_bytes()]
    assert leftovers == []


def test_coverage_csv_neutralizes_formula_cells(coach: Any, tmp_path: Path) -> None:
    bank = {"id": "evil", "title": "E", "questions": [{"id": "e1", "text": '=HYPERLINK("http://x","click")'}]}
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": "starcoach-bank", "version": 1, "banks": [bank]}), encoding="utf-8")
    coach.import_files([path])
    coach.add_stories(ONE)
    coach.write_coverage(tmp_path / "grid.csv", "csv", coach.story_coverage(["e1"]))
    cells = [c for row in csv.reader((tmp_path / "grid.csv").read_text(encoding="utf-8").splitlines()) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize(
    "story",
    [
        "## " + "T" * 100_000 + "\n- **Situation**: s\n",
        "## Title\n- **Situation**: s\n- **Action**: a\n- **Result**: r\n- **When**: " + "9" * 100_000 + "\n",
        "## Title\n- **Situation**: s\n- **Action**: a\n- **Result**: r\n- **Metrics**: " + "x" * 100_000 + "\n",
        "## Title\n- **Situation**: s\n- **Action**: a\n- **Result**: r\n- **Competencies**: " + "y" * 50_000 + "\n",
        "## Title\n- **Situation**: s\n- **Action**: a\n- **Result**: r\n- **Scope**: " + "z" * 50_000 + "\n",
    ],
)
def test_story_errors_quote_a_short_excerpt(story: str) -> None:
    with pytest.raises(InputError) as err:
        parse_stories(story, source="big.md")
    assert len(str(err.value)) < 1000


def test_a_huge_title_through_the_command_is_one_short_line(starcoach_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("## " + "T" * 100_000 + "\n- **Situation**: s\n", encoding="utf-8")
    assert len(one_error_line(sc("stories", "import", str(path), home=starcoach_home))) < 1000


@pytest.mark.parametrize(
    "text",
    ["<!--" * 80_000, "<!--" * 40_000 + "-->" + "## T\n", "<!-- a --> " * 20_000, "## T\n<!--\n" * 20_000],
)
def test_comment_heavy_files_parse_or_fail_cleanly(text: str) -> None:
    try:
        parse_stories(text, source="c.md")
    except StoryFormatError as err:
        assert len(str(err)) < 2000


def test_comments_are_still_removed_and_keep_line_numbers() -> None:
    text = "<!-- a\nb -->\n## T\n- **Situation**: s <!-- hidden -->\n- **Action**: a\n- **Result**: r\n"
    (story,) = parse_stories(text)
    assert "hidden" not in story.situation
    with pytest.raises(StoryFormatError, match=r"line 3"):
        parse_stories("<!-- a\nb -->\n## T\n- **Situation**: s\n")
