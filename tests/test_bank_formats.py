"""JSON, CSV and Anki files of question banks: export, import again, and reject what is broken."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import genanki
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.bank.anki import MODEL_ID, deck_id, to_apkg
from starcoach.bank.csvio import COLUMNS, dumps_csv, loads_csv, neutralize, restore
from starcoach.bank.jsonio import dumps_banks, loads_banks
from starcoach.bank.markdown import parse_markdown
from starcoach.bank.model import Bank, Point, Question, QuestionType
from starcoach.bank.taxonomy import COMPETENCIES
from starcoach.errors import ImportFormatError
from starcoach.ids import BankId, QuestionId

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def fixture_bank(name: str = "behavioral.md") -> Bank:
    return parse_markdown((FIXTURES / name).read_text(encoding="utf-8"), source=name).bank


def all_fixture_banks() -> list[Bank]:
    return [
        fixture_bank(n) for n in ("behavioral.md", "statistics.md", "coding.md", "messy.md", "design_h2.md")
    ]


# --- strategies: any bank the model can hold ----------------------------------------------------

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_some_text = _text.filter(lambda t: bool(t.strip()))
_slug = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
_competencies = st.lists(st.sampled_from([c.id for c in COMPETENCIES]), unique=True, max_size=3).map(tuple)


@st.composite
def any_bank(draw: st.DrawFn) -> Bank:
    bid = BankId(draw(_slug))
    ids = draw(st.lists(_slug, unique=True, max_size=5))
    questions = tuple(
        Question(
            id=QuestionId(qid),
            text=draw(_some_text),
            type=draw(st.sampled_from(QuestionType)),
            competencies=draw(_competencies),
            points=tuple(draw(st.lists(st.builds(Point, label=_text, text=_text), max_size=4))),
            follow_ups=tuple(draw(st.lists(_text, max_size=3))),
            red_flags=tuple(draw(st.lists(_text, max_size=2))),
            source=draw(_text),
            bank=bid,
            number=draw(st.one_of(st.none(), st.integers(-10, 10**6))),
        )
        for qid in ids
    )
    meta = tuple(draw(st.lists(st.tuples(_text, _text), max_size=3)))
    return Bank(bid, draw(_text), questions, meta, draw(_text), draw(_text))


def _banks() -> st.SearchStrategy[list[Bank]]:
    return st.lists(any_bank(), max_size=3, unique_by=lambda b: b.id)


# --- JSON ----------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(_banks())
def test_json_round_trip_keeps_every_field(banks: list[Bank]) -> None:
    text = dumps_banks(banks)
    assert loads_banks(text, source="b.json") == tuple(banks)
    assert dumps_banks(loads_banks(text, source="b.json")) == text


def test_json_round_trip_of_fixture_banks_and_envelope() -> None:
    banks = all_fixture_banks()
    text = dumps_banks(banks)
    doc = json.loads(text)
    assert doc["format"] == "starcoach-bank" and doc["version"] == 1 and len(doc["banks"]) == len(banks)
    assert loads_banks(text, source="all.json") == tuple(banks)


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(dumps_banks([fixture_bank()]))
    doc.update(changes)
    return doc


def _question_doc(**changes: Any) -> str:
    doc = _doc()
    doc["banks"][0]["questions"][1].update(changes)
    return json.dumps(doc)


def _drop_question_field(field: str) -> str:
    doc = _doc()
    del doc["banks"][0]["questions"][1][field]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"format": "starcoach-bank", "version": 1, "banks": [', "not valid JSON (line 1, column"),
        ("", "not valid JSON"),
        ("[1, 2]", 'expected a JSON object with "format"'),
        ('{"version": 1, "banks": []}', "field 'format' is missing"),
        ('{"format": "anki", "version": 1, "banks": []}', "field 'format' is 'anki'"),
        ('{"format": "starcoach-bank", "version": 2, "banks": []}', "unsupported version 2"),
        (
            '{"format": "starcoach-bank", "version": "1", "banks": []}',
            "field 'version' must be a whole number",
        ),
        (
            '{"format": "starcoach-bank", "version": true, "banks": []}',
            "field 'version' must be a whole number",
        ),
        ('{"format": "starcoach-bank", "version": 1}', "missing field 'banks'"),
        ('{"format": "starcoach-bank", "version": 1, "banks": {}}', "field 'banks' must be a list"),
        ('{"format": "starcoach-bank", "version": 1, "banks": [{}]}', "missing field 'banks[0].id'"),
        (_drop_question_field("text"), "missing field 'banks[0].questions[1].text'"),
        (_drop_question_field("id"), "missing field 'banks[0].questions[1].id'"),
        (_question_doc(text=7), "field 'banks[0].questions[1].text' must be a string"),
        (_question_doc(type="riddle"), "field 'banks[0].questions[1].type': unknown type 'riddle'"),
        (_question_doc(number="7"), "field 'banks[0].questions[1].number' must be a whole number"),
        (_question_doc(competencies=["charm"]), "unknown competency 'charm'"),
        (_question_doc(points=[{"label": "x"}]), "missing field 'banks[0].questions[1].points[0].text'"),
        (_question_doc(follow_ups="why?"), "field 'banks[0].questions[1].follow_ups' must be a list"),
        (_question_doc(id="psww-1"), "duplicate"),
        (json.dumps(_doc(banks=[_doc()["banks"][0]] * 2)), "duplicate bank id"),
    ],
)
def test_broken_json_names_the_file_and_the_field(text: str, problem: str) -> None:
    with pytest.raises(ImportFormatError) as err:
        loads_banks(text, source="exports/bank.json")
    assert str(err.value).startswith("exports/bank.json: ")
    assert problem in str(err.value)


def test_json_ignores_unknown_keys_from_newer_writers() -> None:
    doc = _doc(generator="starcoach 9")
    doc["banks"][0]["colour"] = "blue"
    assert loads_banks(json.dumps(doc), source="b.json") == (fixture_bank(),)


# --- CSV -----------------------------------------------------------------------------------------


def _csv_view(bank: Bank) -> tuple[str, tuple[Question, ...]]:
    """What CSV keeps of a bank: its id and its questions (titles and preambles are JSON's job)."""
    return bank.id, bank.questions


@settings(max_examples=150, deadline=None)
@given(_banks())
def test_csv_round_trip_keeps_every_question_field(banks: list[Bank]) -> None:
    text = dumps_csv(banks)
    back = loads_csv(text, source="b.csv")
    assert [_csv_view(b) for b in back] == [_csv_view(b) for b in banks if b.questions]


@settings(max_examples=150, deadline=None)
@given(_banks())
def test_exported_csv_cells_never_start_like_a_formula(banks: list[Bank]) -> None:
    rows = list(csv.reader(io.StringIO(dumps_csv(banks), newline="")))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted", "''", "plain", ""]
)
def test_neutralize_and_restore_are_inverse(cell: str) -> None:
    assert restore(neutralize(cell)) == cell


def test_a_quote_a_person_typed_is_kept() -> None:
    assert restore("'Twas the night") == "'Twas the night"


def test_csv_round_trip_of_fixture_banks() -> None:
    banks = all_fixture_banks()
    back = loads_csv(dumps_csv(banks), source="all.csv")
    assert [_csv_view(b) for b in back] == [_csv_view(b) for b in banks]
    assert all(b.source == "all.csv" for b in back)


def test_hand_typed_csv_with_only_a_text_column_and_plain_points() -> None:
    text = (
        "text,points,follow_ups\r\n"
        '"Tell me about a time you failed.",'
        '"Situation: a launch slipped\nAction: I split the scope\nplain line",'
        '"What changed after?"\r\n'
        "How do you handle tight deadlines?,,\r\n"
    )
    (bank,) = loads_csv(text, source="mine/Week 2.csv")
    assert bank.id == "week-2"
    failed, deadlines = bank.questions
    assert failed.points == (
        Point("Situation", "a launch slipped"),
        Point("Action", "I split the scope"),
        Point("", "plain line"),
    )
    assert failed.follow_ups == ("What changed after?",)
    assert failed.type is QuestionType.STORY and failed.competencies == ("failure",)  # inferred
    assert deadlines.id == "w2-2"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty file (expected a header row"),
        ("bank,id,question\r\nb,q1,What?\r\n", "no 'text' column"),
        ('text,points\r\n"unterminated,x\r\n', "not valid CSV"),
        ('text,points\r\nabc"x,y\r\n"a"b,c\r\n', "not valid CSV"),
        ("text,points\r\nOnly one cell\r\n", "row 2: expected 2 cells, found 1"),
        ('text,points\r\nWhy?,[{"label": 1\r\n', "row 2, column 'points': not valid JSON"),
        ('text,points\r\nWhy?,"[{""label"": ""x""}]"\r\n', "row 2, column 'points': each point needs"),
        ("text,number\r\nWhy?,seven\r\n", "row 2, column 'number': 'seven' is not a whole number"),
        ("text,type\r\nWhy?,riddle\r\n", "row 2, column 'type': unknown question type 'riddle'"),
        ("text,competencies\r\nWhy?,charm\r\n", "row 2, column 'competencies': unknown competency 'charm'"),
        ("text,follow_ups\r\nWhy?,[1]\r\n", "expected a JSON list of strings"),
        ("text,id\r\nWhy?,q\r\nHow?,q\r\n", "duplicate question id 'q'"),
        ("text,id\r\n ,q\r\n", "row 2: the 'text' cell is empty"),
    ],
)
def test_broken_csv_names_the_file_and_the_row(text: str, problem: str) -> None:
    with pytest.raises(ImportFormatError) as err:
        loads_csv(text, source="sheet.csv")
    assert str(err.value).startswith("sheet.csv: ")
    assert problem in str(err.value)


# --- Anki ----------------------------------------------------------------------------------------


def _tricky_bank() -> Bank:
    bank = fixture_bank()
    first = bank.questions[0]
    tricky = Question(
        id=QuestionId(f"{bank.id}-99-html"),
        text="Why <b>bold</b> & brave?",
        type=QuestionType.SELF,
        points=(Point("A<b>", "x < y && y > z\nsecond line"),),
        follow_ups=("<script>alert(1)</script>",),
        red_flags=('Says "we" & never "I"',),
        bank=bank.id,
    )
    return Bank(bank.id, bank.title, (first, tricky), bank.meta, bank.preamble, bank.source)


def _query_package(data: bytes, sql: str) -> list[Any]:
    """Rows of ``sql`` run on the package's SQLite collection, read straight from the zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert set(zf.namelist()) == {"collection.anki2", "media"}
        db = zf.read("collection.anki2")
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(db)
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _notes_in_package(data: bytes) -> list[tuple[str, list[str], str]]:
    """(guid, fields, tags) of every note in the package."""
    rows = _query_package(data, "SELECT guid, flds, tags, mid FROM notes ORDER BY id")
    assert {r[3] for r in rows} == {MODEL_ID}
    return [(r[0], r[1].split("\x1f"), r[2].strip()) for r in rows]


def test_apkg_is_deterministic_and_keyed_by_question_ids() -> None:
    bank = fixture_bank()
    data = to_apkg([bank], now=NOW)
    assert to_apkg([bank], now=NOW) == data
    notes = _notes_in_package(data)
    assert [guid for guid, _, _ in notes] == [genanki.guid_for(q.id) for q in bank.questions]
    later = _notes_in_package(to_apkg([bank], now=datetime(2025, 6, 1, tzinfo=UTC)))
    assert [n[0] for n in later] == [n[0] for n in notes]
    assert deck_id(bank.id) == deck_id(bank.id) and (1 << 30) <= deck_id(bank.id) < (1 << 31)
    (decks,) = _query_package(data, "SELECT decks FROM col")[0]
    assert json.loads(decks)[str(deck_id(bank.id))]["name"] == bank.title
    assert deck_id("a") != deck_id("b")


def test_apkg_fields_are_html_escaped() -> None:
    (_, (_, fields, tags)) = _notes_in_package(to_apkg([_tricky_bank()], now=NOW))
    question, points, follow_ups, red_flags, qid = fields
    assert question == "Why &lt;b&gt;bold&lt;/b&gt; &amp; brave?"
    assert points == "<ul><li><b>A&lt;b&gt;</b>: x &lt; y &amp;&amp; y &gt; z<br>second line</li></ul>"
    assert "<script>" not in follow_ups and "&lt;script&gt;" in follow_ups
    assert red_flags == "<ul><li>Says &quot;we&quot; &amp; never &quot;I&quot;</li></ul>"
    assert qid.endswith("-99-html")
    assert "type::self" in tags.split()


def test_anki_imports_the_package_and_reimport_updates_instead_of_duplicating(tmp_path: Path) -> None:
    collection_mod = pytest.importorskip("anki.collection")
    bank = fixture_bank()
    first = tmp_path / "first.apkg"
    first.write_bytes(to_apkg([bank], now=NOW))
    col = collection_mod.Collection(str(tmp_path / "collection.anki2"))
    try:
        _import(col, collection_mod, first)
        assert col.note_count() == len(bank.questions)
        assert col.decks.by_name(bank.title) is not None  # Anki matches decks by name on import
        note = col.get_note(col.find_notes(f'"Id:{bank.questions[0].id}"')[0])
        assert note["Question"] == bank.questions[0].text
        assert "<b>Situation</b>: A new hire kept missing sprint goals" in note["Points"]

        edited = replace(bank.questions[1], points=(Point("New", "edited point"),))
        changed = Bank(
            bank.id, bank.title, (bank.questions[0], edited, *bank.questions[2:]), source=bank.source
        )
        second = tmp_path / "second.apkg"
        second.write_bytes(to_apkg([changed], now=datetime(2025, 4, 1, tzinfo=UTC)))
        _import(col, collection_mod, second)
        assert col.note_count() == len(bank.questions)
        again = col.get_note(col.find_notes(f'"Id:{edited.id}"')[0])
        assert "edited point" in again["Points"]
    finally:
        col.close()


def _import(col: Any, mod: Any, path: Path) -> None:
    request = mod.ImportAnkiPackageRequest(package_path=str(path), options=mod.ImportAnkiPackageOptions())
    col.import_anki_package(request)


def test_one_deck_per_bank() -> None:
    banks = all_fixture_banks()[:2]
    data = to_apkg(banks, now=NOW)
    assert len(_notes_in_package(data)) == sum(len(b.questions) for b in banks)
