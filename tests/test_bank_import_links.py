"""Importing a document whose questions the bank already holds links them instead of copying them,
and imported questions get short, typeable ids that keep ``questions list`` readable at 80 columns."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from starcoach.bank.builtin import builtin_bank
from starcoach.bank.dedupe import question_key
from starcoach.bank.markdown import parse_markdown
from starcoach.bank.naming import bank_prefix, is_safe_id

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "day41-behavioral-interviews.md"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the shared seed document is not beside the repo")

OWN = """# Day 7: Working With People

### 1. What is your greatest strength/weakness?
**Answer:**
* **Key**: be honest

### 2. Tell me about a time you failed a launch and what you changed afterwards.
**Answer:**
* **Situation**: the launch slipped

### 3. Describe a time you took initiative (Leadership).
**Answer:**
* **Action**: I started it
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@needs_seed
def test_importing_the_seed_guide_does_not_duplicate_the_builtin_questions(coach: Any) -> None:
    before = len(coach.all_questions())
    report = coach.import_files([SEED])
    (bank,) = report.banks
    assert len(bank.linked) == 20
    assert bank.linked[0].target == "conflict-coworker" and bank.linked[0].number == 1
    assert len(coach.all_questions()) == before
    coach.import_files([SEED])  # again: still no copies
    ids = [q.id for q in coach.all_questions()]
    assert len(ids) == len(set(ids)) == before
    assert len(coach.questions(_bank_filter(bank.bank_id))) == 20


def _bank_filter(bank_id: str) -> Any:
    from starcoach.bank.query import make_filter

    return make_filter(None, [], None, bank_id, "")


def test_near_same_wording_links_and_a_different_question_does_not(coach: Any, tmp_path: Path) -> None:
    (bank,) = coach.import_files([_write(tmp_path, "own.md", OWN)]).banks
    assert {(link.number, link.target) for link in bank.linked} == {(1, "strength-weakness"), (3, "took-initiative")}
    texts = [q.text for q in coach.all_questions()]
    assert sum("failed a launch" in t for t in texts) == 1
    assert "d7-2" in {q.id for q in coach.all_questions()}


def test_question_key_ignores_wording_noise_only() -> None:
    assert question_key("What is your greatest strength/weakness?") == question_key(
        "What is your greatest strength or weakness?"
    )
    assert question_key("Tell me about a time you failed.") != question_key("Tell me about a time you failed a launch.")
    keys = [question_key(q.text) for q in builtin_bank().questions]
    assert len(keys) == len(set(keys)), "two bundled questions would link to each other"


@needs_seed
def test_anki_deck_of_every_bank_has_each_question_once(coach: Any, tmp_path: Path) -> None:
    import sqlite3

    coach.import_files([SEED])
    out = tmp_path / "all.apkg"
    coach.export("anki", out)
    with zipfile.ZipFile(out) as z:
        (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
    guids = [r[0] for r in sqlite3.connect(tmp_path / "c.db").execute("select guid from notes")]
    assert len(guids) == len(set(guids))


@pytest.mark.parametrize(
    ("title", "prefix"),
    [
        ("Day 41: Behavioral Interviews - Interview Questions", "d41"),
        ("Day 7 stats", "d7"),
        ("System Design Questions", "sdq"),
        ("Week 2", "w2"),
        ("questions", "question"),
    ],
)
def test_imported_ids_are_short_and_typeable(title: str, prefix: str) -> None:
    doc = f"# {title}\n### 4. Tell me about a time you failed.\n**Answer:**\n* x\n### Why us?\n**Answer:**\n* y\n"
    bank = parse_markdown(doc, source="x.md").bank
    assert bank_prefix(bank.id) == prefix
    assert [q.id for q in bank.questions] == [f"{prefix}-4", f"{prefix}-2"]
    assert all(is_safe_id(q.id) and len(q.id) <= 12 for q in bank.questions)


def test_questions_list_keeps_the_text_readable_at_80_columns_when_piped(
    starcoach_home: Path, tmp_path: Path
) -> None:
    long_title = "Day 41: Behavioral Interviews - Interview Questions For Senior Machine Learning Engineers"
    doc = f"# {long_title}\n### 4. Tell me about a time you had to convince a skeptical director.\n**Answer:**\n* x\n"
    script = Path(sys.executable).parent / "starcoach"
    env = {**os.environ, "STARCOACH_HOME": str(starcoach_home), "COLUMNS": "80"}
    subprocess.run([str(script), "import", str(_write(tmp_path, "d.md", doc))], env=env, check=True,
                   capture_output=True)
    result = subprocess.run([str(script), "questions", "list"], env=env, capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    row = next(ln for ln in lines if "d41-4" in ln)
    assert "Tell me about a time you had to" in row
    assert "Tell me about a time you had a conflict" in result.stdout


@needs_seed
def test_the_import_message_says_what_was_linked(starcoach_home: Path) -> None:
    from tests.cli_helpers import sc

    result = sc("import", str(SEED), home=starcoach_home)
    assert result.returncode == 0, result.stderr
    assert "20 already in the bank, linked instead of copied: #1 -> conflict-coworker" in result.stdout


@needs_seed
def test_the_web_import_says_what_was_linked(api: Any, web: Any) -> None:
    from tests.test_web_pages import post_form

    data = SEED.read_bytes()
    report = api.post("/api/banks/import", files={"file": (SEED.name, data, "text/markdown")}).json()
    assert report["banks"][0]["linked"][0] == {"imported_id": "d41-1", "number": 1, "target": "conflict-coworker"}
    page = post_form(web, "/banks/import", {}, files={"file": (SEED.name, data, "text/markdown")})
    assert "20 of them were already in the bank" in page.text
