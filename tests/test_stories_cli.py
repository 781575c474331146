"""``starcoach stories ...`` and ``starcoach kit`` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import one_error_line, sc

STORIES = Path(__file__).parent / "fixtures" / "stories" / "stories.md"
ONE = """## Speeding up the test suite
- **Competencies**: process
- **Situation**: Our CI took 40 minutes.
- **Action**: I profiled the suite and parallelised it.
- **Result**: CI dropped to 12 minutes.
"""


def test_import_list_coverage_suggest_and_kit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported = sc("stories", "import", str(STORIES), home=home)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.count("added ") == 12
    listed = sc("stories", "list", home=home)
    assert "S12 picking-a-forecasting-approach-with-unclear" in listed.stdout
    cov = sc(
        "stories", "coverage", "--csv", str(tmp_path / "g.csv"), "--html", str(tmp_path / "g.html"), home=home
    )
    assert cov.returncode == 0, cov.stderr
    assert "disagree-manager" in cov.stdout and "S5 strong" in cov.stdout
    assert (tmp_path / "g.csv").read_text(encoding="utf-8").startswith("competency,label,best_story")
    assert "<table>" in (tmp_path / "g.html").read_text(encoding="utf-8")
    sug = sc("stories", "suggest", "Tell me about a time you had to say no to your boss", "--json", home=home)
    assert (
        json.loads(sug.stdout)["fits"][0]["story_title"] == "Pushing back on launching a biased ranking model"
    )
    kit = sc("kit", "conflict-coworker", "failure", "-o", str(tmp_path / "kit.html"), home=home)
    assert kit.returncode == 0, kit.stderr
    assert "wrote a kit of 2 questions" in kit.stdout
    page = (tmp_path / "kit.html").read_text(encoding="utf-8")
    assert "Settling the API design dispute" in page and "Scorecard" in page


def test_add_from_stdin_then_edit_show_export_and_delete(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = sc("stories", "add", home=home, stdin=ONE)
    assert added.returncode == 0, added.stderr
    assert "added speeding-up-the-test-suite (version 1)" in added.stdout
    assert "Add the Task" in added.stdout
    (tmp_path / "v2.md").write_text(ONE.replace("12 minutes", "9 minutes"), encoding="utf-8")
    edited = sc("stories", "edit", "speeding-up-the-test-suite", "--file", str(tmp_path / "v2.md"), home=home)
    assert "updated speeding-up-the-test-suite (version 2)" in edited.stdout
    show = sc("stories", "show", "speeding", "--json", home=home)
    assert show.returncode == 0, show.stderr
    shown = json.loads(show.stdout)
    assert shown["story"]["version"] == 2 and "12 minutes" in shown["story"]["history"][0]["result"]
    old = sc("stories", "show", "speeding", "--markdown", "--version", "1", home=home)
    assert "- **Result**: CI dropped to 12 minutes." in old.stdout
    assert sc("stories", "export", "-o", str(tmp_path / "out.md"), home=home).returncode == 0
    assert "9 minutes" in (tmp_path / "out.md").read_text(encoding="utf-8")
    refused = sc("stories", "delete", "speeding", home=home, stdin="")
    assert "needs confirmation: add --yes" in one_error_line(refused)
    assert sc("stories", "delete", "speeding", "--yes", home=home).returncode == 0
    assert "No stories yet" in sc("stories", "list", home=home).stdout


def test_bad_input_gives_one_clear_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = tmp_path / "bad.md"
    bad.write_text(ONE + "- **Competencies**: wizardry\n", encoding="utf-8")
    line = one_error_line(sc("stories", "import", str(bad), home=home))
    assert "story 'Speeding up the test suite' (line 1): field Competencies is given twice" in line
    empty = tmp_path / "empty.md"
    empty.write_text("just some notes\n", encoding="utf-8")
    assert "no stories found" in one_error_line(sc("stories", "import", str(empty), home=home))
    big = tmp_path / "big.md"
    big.write_bytes(b"## Big\n" + b"x" * 10_000_000)
    assert "file is 10.0 MB; the limit is 1 MB" in one_error_line(
        sc("stories", "import", str(big), home=home)
    )
    assert "you have no stories yet" in one_error_line(sc("stories", "coverage", home=home))
    assert "no story 'nope'" in one_error_line(sc("stories", "show", "nope", home=home))


def test_the_editor_flow_saves_and_never_loses_a_broken_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    good = tmp_path / "good.md"
    good.write_text(ONE, encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"cp {good}")  # the "editor" writes the finished story into the temp file
    added = sc("stories", "add", "--editor", home=home)
    assert "added speeding-up-the-test-suite" in added.stdout, added.stderr
    broken = tmp_path / "broken.md"
    broken.write_text("## Half a story\n- **Situation**: I started typing\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"cp {broken}")
    line = one_error_line(sc("stories", "add", "--editor", home=home))
    assert "missing Action, Result" in line and "your text is kept in" in line
    (draft,) = (home / "drafts").iterdir()
    assert draft.read_text(encoding="utf-8") == broken.read_text(encoding="utf-8")
