"""A user importing and exporting banks from the terminal, including every kind of bad file."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.cli_helpers import one_error_line, sc

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "day41-behavioral-interviews.md"

DOC = """# Week 3: Working With People

> **Topic**: Collaboration
> **Focus**: Six questions with sample answers

### 1. Tell me about a time you disagreed with a teammate about a design.
**Answer:**
*   **Situation**: Two of us wanted different queue libraries for the ingest service.
*   **Action**: I wrote a one-page comparison and we ran both against `replay-traffic`.
    *   Measured p99 and memory.
*   **Result**: We picked the faster one; p99 dropped 35%.

### 2. How do you keep a project on track when requirements keep changing?
**Answer:**
*   **Scope**: Agree on a small first milestone.
*   Weekly demo to the stakeholders.

### 3. What motivates you at work?
**Answer:**
*   Shipping things people use, with formulas like $E = mc^2$ and tables:

| metric | value |
|---|---|
| users | 10k |
"""


def write(tmp: Path, name: str, content: str | bytes) -> Path:
    p = tmp / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def banks_json(home: Path) -> list[dict[str, object]]:
    r = sc("banks", "--json", home=home)
    assert r.returncode == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_import_then_reimport_updates_instead_of_duplicating(tmp_path: Path, starcoach_home: Path) -> None:
    doc = write(tmp_path, "week3.md", DOC)
    r = sc("import", str(doc), home=starcoach_home)
    assert r.returncode == 0, r.stderr
    assert "imported bank" in r.stdout and "3 questions" in r.stdout
    r = sc("import", str(doc), home=starcoach_home)
    assert "updated bank" in r.stdout
    banks = banks_json(starcoach_home)
    assert [b["questions"] for b in banks if b["id"] != "builtin"] == [3]


@pytest.mark.parametrize("fmt,suffix", [("md", "md"), ("json", "json"), ("csv", "csv")])
def test_export_and_import_back_unchanged(tmp_path: Path, starcoach_home: Path, fmt: str, suffix: str) -> None:
    sc("import", str(write(tmp_path, "week3.md", DOC)), home=starcoach_home)
    bank_id = next(str(b["id"]) for b in banks_json(starcoach_home) if b["id"] != "builtin")
    before = sc("questions", "list", "--bank", bank_id, "--json", home=starcoach_home).stdout
    out = tmp_path / f"export.{suffix}"
    r = sc("export", "--format", fmt, "-o", str(out), "--bank", bank_id, home=starcoach_home)
    assert r.returncode == 0, r.stderr
    other_home = tmp_path / "other-home"
    r = sc("import", str(out), home=other_home)
    assert r.returncode == 0, r.stderr
    after = json.loads(sc("questions", "list", "--bank", bank_id, "--json", home=other_home).stdout)
    expected = json.loads(before)
    if fmt == "md":  # Markdown has no field for provenance: the source becomes the exported file's name
        for q in expected:
            q["source"] = out.name
    assert after == expected


def test_export_all_to_json_includes_builtin_and_is_reimportable(tmp_path: Path, starcoach_home: Path) -> None:
    out = tmp_path / "all.json"
    assert sc("export", "--format", "json", "-o", str(out), home=starcoach_home).returncode == 0
    doc = json.loads(out.read_text())
    assert doc["format"] == "starcoach-bank" and len(doc["banks"][0]["questions"]) >= 120
    r = sc("import", str(out), home=starcoach_home)
    assert r.returncode == 0 and "bundled bank is not imported again" in r.stderr


def test_anki_export_is_a_deck_package(tmp_path: Path, starcoach_home: Path) -> None:
    out = tmp_path / "deck.apkg"
    r = sc("export", "--format", "anki", "-o", str(out), "--bank", "builtin", home=starcoach_home)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        assert any(n.startswith("collection.anki2") for n in z.namelist())


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed document is not beside the repo")
def test_the_seed_document_imports_with_every_bullet_as_a_point(tmp_path: Path, starcoach_home: Path) -> None:
    r = sc("import", str(SEED), home=starcoach_home)
    assert r.returncode == 0, r.stderr
    bank_id = next(str(b["id"]) for b in banks_json(starcoach_home) if b["id"] != "builtin")
    qs = json.loads(sc("questions", "list", "--bank", bank_id, "--json", home=starcoach_home).stdout)
    assert len(qs) == 20
    bullets = [ln for ln in SEED.read_text().splitlines() if re.match(r"^\s*[*-]\s+", ln)]
    assert sum(len(q["points"]) for q in qs) == len(bullets)
    assert qs[0]["points"][0]["label"] == "Situation"


BAD_FILES: list[tuple[str, str | bytes, str]] = [
    ("empty.md", "", "file is empty"),
    ("blank.md", "   \n\n", "file is empty"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("latin1.md", "# Caf\xe9\n### 1. Q?\n".encode("latin-1"), "not UTF-8"),
    ("noq.md", "# Just a title\n\nSome prose without questions.\n", "no questions"),
    ("broken.json", '{"format": "starcoach-bank", "version": 1, "banks": [', "JSON"),
    ("wrong.json", '{"hello": 1}', "format"),
    ("bad.csv", 'bank,id,text\n"unterminated', ""),
    ("notes.txt", "### 1. Q?\n**Answer:**\n* a\n", "unknown file type"),
]


@pytest.mark.parametrize("name,content,needle", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_get_one_line_and_change_nothing(
    tmp_path: Path, starcoach_home: Path, name: str, content: str | bytes, needle: str
) -> None:
    sc("import", str(write(tmp_path, "good.md", DOC)), home=starcoach_home)
    before = banks_json(starcoach_home)
    bad = write(tmp_path, name, content)
    line = one_error_line(sc("import", str(bad), home=starcoach_home))
    assert name in line
    assert needle.lower() in line.lower()
    assert banks_json(starcoach_home) == before


def test_missing_file_directory_and_huge_file(tmp_path: Path, starcoach_home: Path) -> None:
    assert "no such file" in one_error_line(sc("import", str(tmp_path / "ghost.md"), home=starcoach_home))
    (tmp_path / "adir.md").mkdir()
    assert "is a directory" in one_error_line(sc("import", str(tmp_path / "adir.md"), home=starcoach_home))
    huge = tmp_path / "huge.md"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert "limit is" in one_error_line(sc("import", str(huge), home=starcoach_home))


def test_import_is_all_or_nothing_across_files(tmp_path: Path, starcoach_home: Path) -> None:
    good = write(tmp_path, "good.md", DOC)
    bad = write(tmp_path, "bad.md", "# nothing here\n")
    one_error_line(sc("import", str(good), str(bad), home=starcoach_home))
    assert [b["id"] for b in banks_json(starcoach_home)] == ["builtin"]


def test_export_errors(tmp_path: Path, starcoach_home: Path) -> None:
    assert "unknown export format" in one_error_line(
        sc("export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), home=starcoach_home)
    )
    assert "does not exist" in one_error_line(
        sc("export", "-o", str(tmp_path / "nodir" / "x.json"), home=starcoach_home)
    )
    sc("import", str(write(tmp_path, "good.md", DOC)), home=starcoach_home)
    assert "one bank per file" in one_error_line(
        sc("export", "--format", "md", "-o", str(tmp_path / "x.md"), home=starcoach_home)
    )
