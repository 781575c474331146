"""Hostile banks, ids and uploads: rich markup in user text, ids that would break URLs and headers,
lone surrogates, odd upload names. Each is one clear error or is shown and stored safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from starcoach.bank.model import Bank, Question
from starcoach.errors import ImportFormatError
from starcoach.ids import BankId, QuestionId
from tests.cli_helpers import one_error_line, sc
from tests.test_web_pages import post_form

MARKUP_TITLE = "Questions from [/r/cscareerquestions]"
MARKUP_TEXT = "Tell me about [bold]a time[/] you broke [/x] prod."


def _json_bank(bank_id: str, qid: str = "q1", text: str = MARKUP_TEXT, title: str = MARKUP_TITLE) -> str:
    bank = {"id": bank_id, "title": title, "questions": [{"id": qid, "text": text}]}
    return json.dumps({"format": "starcoach-bank", "version": 1, "banks": [bank]})


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_markup_in_bank_titles_ids_and_questions_is_shown_as_text(starcoach_home: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "b.json", _json_bank("rich[/x]bank", qid="[red]q"))
    imported = sc("import", str(path), home=starcoach_home)
    assert imported.returncode == 0, imported.stderr
    assert "not a safe id" in imported.stderr
    for args in (("banks",), ("questions", "list"), ("questions", "search", "broke"), ("--help",)):
        r = sc(*args, home=starcoach_home)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    assert "[/r/cscareerquestions]" in sc("banks", home=starcoach_home).stdout
    listed = sc("questions", "search", "broke", home=starcoach_home).stdout
    assert "[bold]a time[/]" in listed and "[/x]" in listed


@pytest.mark.parametrize("bad", ["../stories/abc", 'a"b', "a\r\nSet-Cookie: x=1", "a/b", "x" * 300, "", "-x"])
def test_unsafe_ids_in_json_and_csv_banks_are_re_ided_with_a_note(coach: Any, tmp_path: Path, bad: str) -> None:
    (report,) = coach.import_files([_write(tmp_path, "b.json", _json_bank(bad, qid=bad))]).banks
    stored = next(b for b in coach.banks() if b.id == report.bank_id)
    assert stored.id != bad and stored.questions[0].id != bad
    assert sum("not a safe id" in w for w in report.warnings) == 2
    csv_text = 'bank,id,text\r\n"' + bad.replace('"', '""') + '","' + bad.replace('"', '""') + '",Why us?\r\n'
    (csv_report,) = coach.import_files([_write(tmp_path, "b.csv", csv_text)]).banks
    assert csv_report.bank_id != bad
    assert not bad or "not a safe id" in " ".join(csv_report.warnings)  # an empty cell is derived, as ever


@pytest.mark.parametrize(("name", "text"), [
    ("s.json", _json_bank("ok", text="Why \ud800 us?").replace("\\ud800", "\\ud800")),
    ("s.csv", 'id,text,points\r\nq1,Why us?,"[{""text"": ""\\ud800""}]"\r\n'),
])
def test_a_lone_surrogate_is_one_clear_error(coach: Any, tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(ImportFormatError, match="lone surrogate"):
        coach.import_files([_write(tmp_path, name, text)])
    assert [b.id for b in coach.banks()] == ["builtin"]


def test_a_lone_surrogate_through_the_command(starcoach_home: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", _json_bank("ok", text="Why \ud800 us?"))
    assert "lone surrogate" in one_error_line(sc("import", str(path), home=starcoach_home))


# ---- web -----------------------------------------------------------------------------------------


def _store_hostile_bank(coach: Any, bank_id: str) -> None:
    """A bank as an older starcoach could have stored it, before ids were checked on import."""
    q = Question(id=QuestionId(f"{bank_id}/q"), text="Tell me about a hostile id.", bank=BankId(bank_id))
    coach.store.banks.save_all([Bank(id=BankId(bank_id), title="Old", questions=(q,))], coach.now())


def test_stored_ids_are_encoded_in_every_link(web: Any, coach: Any) -> None:
    (story,) = coach.add_stories(_story())
    _store_hostile_bank(coach, f"../stories/{story.story.id}")
    page = web.get("/questions").text
    assert f'action="/banks/..%2Fstories%2F{story.story.id}/delete"' in page
    assert f"/banks/../stories/{story.story.id}/delete" not in page
    assert f"/questions/..%2Fstories%2F{story.story.id}%2Fq" in page
    post_form(web, f"/banks/..%2Fstories%2F{story.story.id}/delete", {})
    assert coach.stories(), "the story is still there"


@pytest.mark.parametrize("bank_id", ['a"b', "a\r\nX-Evil: 1", "ü-bank"])
def test_download_names_cannot_split_the_header(api: Any, coach: Any, bank_id: str) -> None:
    _store_hostile_bank(coach, bank_id)
    r = api.get("/api/banks/export", params={"format": "json", "bank": bank_id})
    assert r.status_code == 200
    header = r.headers["content-disposition"]
    assert header.count('"') == 2 and "\r" not in header and "\n" not in header
    assert "X-Evil" not in r.headers
    assert "filename*=UTF-8''" in header


def _multipart(name: bytes, data: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body with the file name as raw bytes (clients would percent-encode a NUL)."""
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="' + name + b'"\r\n'
        b"Content-Type: text/markdown\r\n\r\n" + data + b"\r\n--XyZ--\r\n"
    )
    return body, {"content-type": "multipart/form-data; boundary=XyZ"}


@pytest.mark.parametrize("name", [b"a\x00b.md", b"x" * 300 + b".md", b"tab\tname.md"])
def test_odd_upload_names_are_a_400(api: Any, name: bytes) -> None:
    body, headers = _multipart(name, b"# T\n### 1. Why us?\n**Answer:**\n* x\n")
    r = api.post("/api/banks/import", content=body, headers=headers)
    assert r.status_code == 400, r.text
    assert len(r.text) < 500
    page = api.post("/banks/import", content=body, headers=headers)
    assert page.status_code == 400, page.text[:300]
    assert api.get("/api/banks").json()[1:] == []


def _story() -> str:
    from tests.test_stories_service import ONE

    return ONE
