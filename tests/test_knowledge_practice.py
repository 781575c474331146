"""A technical day of the series as a user practises it: import, filters, practice, progress, Anki."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from starcoach.bank.anki import to_apkg
from starcoach.bank.markdown import parse_markdown
from tests.cli_helpers import one_error_line, sc
from tests.inproc_cli import fresh_coach, run  # noqa: F401 (fresh_coach is an autouse fixture)
from tests.test_analysis_knowledge import COMPLETE, DAY, WRONG


@pytest.fixture
def imported(tmp_path: Path) -> str:
    path = tmp_path / "day99.md"
    path.write_text(DAY, encoding="utf-8")
    out = run("import", str(path))
    assert out.exit_code == 0, out.output
    banks = json.loads(run("banks", "--json").stdout)
    return str(next(b["id"] for b in banks if b["id"] != "builtin"))


def test_knowledge_questions_are_listed_and_filtered_by_type(imported: str) -> None:
    listed = json.loads(run("questions", "list", "--type", "knowledge", "--json").stdout)
    assert len(listed) == 3 and all(q["type"] == "knowledge" for q in listed)
    assert all(q["bank"] == imported for q in listed)


def test_practising_a_knowledge_question_shows_points_misconception_and_model_answer(imported: str) -> None:
    out = run("practice", "--bank", imported, "--type", "knowledge", "-n", "3", "--no-follow-up",
              stdin=f"{WRONG}\n\n\n{COMPLETE}\n\n\n:skip\n")
    assert out.exit_code == 0, out.output
    text = out.stdout
    assert "Model answer" in text and "Missing: action" not in text
    history = json.loads(run("history", "--json", "--limit", "10").stdout)
    scored = [h for h in history if h["score"] is not None]
    assert scored and all(h["analysis"]["question"]["type"] == "knowledge" for h in scored)
    assert all(h["rating"] for h in scored)  # rated from the score, so FSRS schedules it
    review = run("review", "--json")
    assert review.exit_code == 0 and any(h["question_id"] in review.stdout for h in scored)
    progress = json.loads(run("progress", "--json").stdout)
    assert [t["name"] for t in progress["topics"]] == ["Day 99: Hypothesis Tests"]


def test_bad_import_type_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text(DAY, encoding="utf-8")
    line = one_error_line(sc("import", str(path), "--type", "quiz", home=tmp_path / "home"))
    assert "unknown question type 'quiz'" in line


def test_anki_back_renders_the_model_answer_bullets_markdown_and_math() -> None:
    bank = parse_markdown(DAY + "\n### 4. Sigmoid?\n**Answer:**\n*   $\\sigma(z) = \\frac{1}{1+e^{-z}}$, *smooth*.\n",
                          source="d.md").bank
    from datetime import UTC, datetime

    data = to_apkg([bank], now=datetime(2026, 1, 1, tzinfo=UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        db = zf.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    conn.deserialize(db)
    backs = [row[0].split("\x1f")[1] for row in conn.execute("select flds from notes")]
    conn.close()
    joined = "\n".join(backs)
    assert "<b>Type I</b>" in joined and "<code>curr.next</code>" in joined
    assert "<strong>not</strong>" in joined and "**" not in joined
    assert "\\(\\sigma(z) = \\frac{1}{1+e^{-z}}\\)" in joined and "<em>smooth</em>" in joined
    assert "\\(O(N)\\)" in joined
