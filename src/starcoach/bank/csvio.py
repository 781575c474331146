"""Question banks as CSV, for spreadsheets: one row per question.

Columns: ``bank, id, number, text, type, competencies, points, follow_ups, red_flags, source``.
Competencies are joined by ``;``. ``points``, ``follow_ups`` and ``red_flags`` are written as JSON
lists (so labels, colons and line breaks survive); on import a cell that is not JSON is also read
the way a person would type it: one item per line, and for points ``Label: text`` per line.

Spreadsheets run a cell that starts with ``= + - @`` (or a tab or CR) as a formula, so export puts
a ``'`` in front of such cells, and of cells that already start with ``'``; import removes that one
``'`` again, so the round trip is lossless. Bank titles, meta and preambles are not part of this
format (use JSON for those). Pure functions over strings; no file I/O.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from starcoach.bank.classify import classify
from starcoach.bank.model import Bank, Point, Question, QuestionType
from starcoach.bank.naming import question_id
from starcoach.bank.taxonomy import is_competency
from starcoach.errors import ImportFormatError, InputError
from starcoach.ids import BankId, QuestionId, slugify

COLUMNS = (
    "bank",
    "id",
    "number",
    "text",
    "type",
    "competencies",
    "points",
    "follow_ups",
    "red_flags",
    "source",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LABEL_LINE = re.compile(r"^([^:\n]{1,60}):\s+(.*)$")


def neutralize(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet (reversed by :func:`restore`)."""
    if cell.startswith(_FORMULA_START) or cell.startswith("'"):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralize`. A lone leading quote a person typed (``'Twas``) is kept."""
    if cell.startswith("'") and cell[1:].startswith((*_FORMULA_START, "'")):
        return cell[1:]
    return cell


def _row(q: Question) -> list[str]:
    return [
        q.bank,
        q.id,
        "" if q.number is None else str(q.number),
        q.text,
        q.type.value,
        ";".join(q.competencies),
        json.dumps([p.to_dict() for p in q.points], ensure_ascii=False),
        json.dumps(list(q.follow_ups), ensure_ascii=False),
        json.dumps(list(q.red_flags), ensure_ascii=False),
        q.source,
    ]


def dumps_csv(banks: Iterable[Bank]) -> str:
    """All questions of ``banks`` as CSV text with a header row (``\\r\\n`` line ends, as RFC 4180)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for bank in banks:
        for q in bank.questions:
            writer.writerow([neutralize(c) for c in _row(q)])
    return out.getvalue()


def loads_csv(text: str, *, source: str) -> tuple[Bank, ...]:
    """Banks (one per distinct ``bank`` cell, in order of first appearance) from CSV text.

    Only ``text`` is a required column; a missing id is derived from the text, a missing type or
    competencies column is inferred by :mod:`starcoach.bank.classify`.
    """
    rows = _read_rows(text.removeprefix("\ufeff"), source)
    if not rows:
        raise ImportFormatError(source, f"empty file (expected a header row: {','.join(COLUMNS)})")
    header = [h.strip().lower() for h in rows[0]]
    if "text" not in header:
        raise ImportFormatError(source, f"no 'text' column in the header (expected: {','.join(COLUMNS)})")
    default_bank = BankId(slugify(PurePath(source).stem, 48))
    grouped: dict[str, list[Question]] = {}
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise ImportFormatError(source, f"row {n}: expected {len(header)} cells, found {len(cells)}")
        record = dict(zip(header, (restore(c) for c in cells), strict=True))
        q = _question(
            record, n, len(grouped.get(record.get("bank") or default_bank, [])) + 1, default_bank, source
        )
        grouped.setdefault(q.bank, []).append(q)
    banks = tuple(Bank(BankId(bid), "", tuple(qs), source=source) for bid, qs in grouped.items())
    for b in banks:
        _no_duplicate_ids(b, source)
    return banks


def _read_rows(text: str, source: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as err:
        raise ImportFormatError(source, f"not valid CSV near line {reader.line_num}: {err}") from None


def _question(record: dict[str, str], row: int, index: int, default_bank: BankId, source: str) -> Question:
    bank = BankId(record.get("bank") or default_bank)
    text = record["text"]
    if not text.strip():
        raise ImportFormatError(source, f"row {row}: the 'text' cell is empty")
    number = _number(record.get("number", ""), row, source)
    kind = _type(record.get("type", ""), row, source)
    comps = _competencies(record["competencies"], row, source) if "competencies" in record else None
    if kind is None or comps is None:  # only hand-made sheets leave these out
        guess = classify(text)
        kind, comps = kind or guess.type, guess.competencies if comps is None else comps
    return Question(
        id=QuestionId(record.get("id") or question_id(bank, index, number)),
        text=text,
        type=kind,
        competencies=comps,
        points=_points(record.get("points", ""), row, source),
        follow_ups=tuple(_list_cell(record.get("follow_ups", ""), "follow_ups", row, source)),
        red_flags=tuple(_list_cell(record.get("red_flags", ""), "red_flags", row, source)),
        source=record.get("source", source),
        bank=bank,
        number=number,
    )


def _number(cell: str, row: int, source: str) -> int | None:
    if not cell.strip():
        return None
    try:
        return int(cell.strip())
    except ValueError:
        raise ImportFormatError(
            source, f"row {row}, column 'number': {cell!r} is not a whole number"
        ) from None


def _type(cell: str, row: int, source: str) -> QuestionType | None:
    if not cell.strip():
        return None
    try:
        return QuestionType.parse(cell)
    except InputError as err:
        raise ImportFormatError(source, f"row {row}, column 'type': {err}") from None


def _competencies(cell: str, row: int, source: str) -> tuple[str, ...]:
    ids = tuple(c.strip() for c in cell.split(";") if c.strip())
    for cid in ids:
        if not is_competency(cid):
            raise ImportFormatError(source, f"row {row}, column 'competencies': unknown competency {cid!r}")
    return ids


def _json_list(cell: str, column: str, row: int, source: str) -> list[Any]:
    try:
        value = json.loads(cell)
    except json.JSONDecodeError as err:
        raise ImportFormatError(source, f"row {row}, column '{column}': not valid JSON ({err.msg})") from None
    if not isinstance(value, list):
        raise ImportFormatError(source, f"row {row}, column '{column}': expected a JSON list")
    return value


def _list_cell(cell: str, column: str, row: int, source: str) -> list[str]:
    if not cell.lstrip().startswith("["):
        return [ln.strip() for ln in cell.split("\n") if ln.strip()]
    items = _json_list(cell, column, row, source)
    if not all(isinstance(i, str) for i in items):
        raise ImportFormatError(source, f"row {row}, column '{column}': expected a JSON list of strings")
    return items


def _points(cell: str, row: int, source: str) -> tuple[Point, ...]:
    if not cell.lstrip().startswith("["):
        return tuple(_typed_point(ln.strip()) for ln in cell.split("\n") if ln.strip())
    out: list[Point] = []
    for item in _json_list(cell, "points", row, source):
        if not (isinstance(item, dict) and isinstance(item.get("text"), str)):
            raise ImportFormatError(source, f"row {row}, column 'points': each point needs a 'text' string")
        if not isinstance(item.get("label", ""), str):
            raise ImportFormatError(source, f"row {row}, column 'points': a point's 'label' must be a string")
        out.append(Point.from_dict(item))
    return tuple(out)


def _typed_point(line: str) -> Point:
    """``'Situation: text'`` as a person types it in a cell; a line without a short label is plain."""
    m = _LABEL_LINE.match(line)
    return Point(m.group(1).strip(), m.group(2)) if m else Point("", line)


def _no_duplicate_ids(bank: Bank, source: str) -> None:
    seen: set[str] = set()
    for q in bank.questions:
        if q.id in seen:
            raise ImportFormatError(source, f"duplicate question id '{q.id}' in bank '{bank.id}'")
        seen.add(q.id)
