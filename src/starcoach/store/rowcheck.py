"""Check every row of an ``export --all`` file before any of it is stored.

``import --all`` restores rows as they are, so a file edited by hand (or by an attacker) could put
text into the database that every later command trips over: ``meta_json`` that is not JSON, a
``submitted_at`` of "yesterday", a ``card_json`` that is a list. Each row is checked here in two
steps, before the transaction that inserts anything:

1. by column: the cell's type fits the column (text, whole number, number, or ``{"$base64": ...}``
   for bytes), text is real Unicode (no lone surrogate), ``*_json`` cells parse, ``*_at`` and
   ``due`` cells are ISO dates with a time zone, and ids that end up in URLs are safe ids;
2. by table: the row is read back through the same code the store reads it with (a Question, an
   Attempt, a Story, a review card), so what loads here loads later.

Tables this module does not know get step 1 only. It reads; it never writes.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Float, Integer, Table

from starcoach.bank.model import Question
from starcoach.bank.naming import is_safe_id
from starcoach.errors import InputError, StarcoachError

_SAFE_ID_COLUMNS = {  # ids that go into URL paths and file names
    "banks": ("id",), "questions": ("bank_id", "id"), "attempts": ("id",), "stories": ("id",),
    "story_versions": ("story_id",), "practice_sessions": ("id",),
}
_BAD_VALUE = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, StarcoachError)


def decode_cell(value: Any) -> Any:
    """A cell as stored: ``{"$base64": ...}`` becomes bytes; anything else is returned as it is."""
    if isinstance(value, dict) and set(value) == {"$base64"}:
        if not isinstance(value["$base64"], str):
            raise ValueError("'$base64' must hold a string")
        try:
            return base64.b64decode(value["$base64"], validate=True)
        except binascii.Error as exc:
            raise ValueError(f"bad base64 ({exc})") from None
    return value


def check_rows(table: Table, cols: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    """The rows as column -> value dicts ready to insert; InputError naming the first bad cell."""
    missing = [
        c.name for c in table.columns
        if c.name not in cols and not c.nullable and c.default is None and c.autoincrement is not True
    ]
    if missing and rows:
        raise InputError(f"export table '{table.name}' lacks the column(s) {', '.join(missing)}")
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(rows, start=1):
        where = f"export table '{table.name}' row {n}"
        try:
            row = {c: _cell(table, c, decode_cell(v)) for c, v in zip(cols, raw, strict=True)}
            _ROW_CHECKS.get(table.name, _no_check)(row)
        except _BAD_VALUE as exc:
            raise InputError(f"{where}: {_short(str(exc))}") from None
        out.append(row)
    return out


def _cell(table: Table, name: str, value: Any) -> Any:
    column = table.columns[name]
    if value is None:
        if not column.nullable and not column.primary_key:
            raise ValueError(f"column '{name}' may not be empty")
        return value
    kind = type(column.type)
    if issubclass(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif issubclass(kind, Float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str | bytes)
    if not ok:
        raise ValueError(f"column '{name}' holds a {type(value).__name__}, not a {column.type}")
    if isinstance(value, str):
        _text(name, value)
        _shaped(table.name, name, value)
    return value


def _text(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"column '{name}' holds a lone surrogate, which is not text") from None


def _shaped(table: str, name: str, value: str) -> None:
    if name.endswith("_json"):
        try:
            json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"column '{name}' is not JSON ({exc.msg})") from None
    if name.endswith("_at") or name == "due":
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError(f"column '{name}' has no time zone: {value!r}")
    if name in _SAFE_ID_COLUMNS.get(table, ()) and not is_safe_id(value):
        raise ValueError(f"column '{name}' is not a safe id: {value!r}")


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# ---- per table: read the row back the way the store will -----------------------------------------


def _no_check(row: dict[str, Any]) -> None:
    return None


def _dict(raw: str | None, name: str) -> dict[str, Any]:
    value = json.loads(raw) if raw else {}
    if not isinstance(value, dict):
        raise ValueError(f"column '{name}' must hold a JSON object")
    return value


def _bank(row: dict[str, Any]) -> None:
    meta = json.loads(row["meta_json"])
    if not isinstance(meta, list) or not all(isinstance(m, list) and len(m) == 2 for m in meta):
        raise ValueError("column 'meta_json' must be a list of [key, value] pairs")


def _question(row: dict[str, Any]) -> None:
    Question.from_dict(_dict(row["data_json"], "data_json"))


def _attempt(row: dict[str, Any]) -> None:
    from starcoach.store.attempts import _attempt as load

    _dict(row.get("question_json"), "question_json")
    _dict(row.get("analysis_json"), "analysis_json")
    load(SimpleNamespace(**{c: row.get(c) for c in _ATTEMPT_COLUMNS}))  # type: ignore[arg-type]


def _session(row: dict[str, Any]) -> None:
    from starcoach.store.attempts import _session as load

    _dict(row.get("options_json"), "options_json")
    _dict(row.get("debrief_json"), "debrief_json")
    load(SimpleNamespace(**{c: row.get(c) for c in _SESSION_COLUMNS}))  # type: ignore[arg-type]


def _card(row: dict[str, Any]) -> None:
    from starcoach.review.schedule import ReviewCard

    ReviewCard.from_dict(_dict(row["card_json"], "card_json"))


def _review_log(row: dict[str, Any]) -> None:
    from starcoach.review.schedule import ReviewCard, ReviewEntry

    if row.get("card_before_json"):
        ReviewCard.from_dict(_dict(row["card_before_json"], "card_before_json"))
    ReviewCard.from_dict(_dict(row["card_after_json"], "card_after_json"))
    ReviewEntry.from_dict(_dict(row["log_json"], "log_json"))


def _story(row: dict[str, Any]) -> None:
    from starcoach.stories.model import Story

    fields = {c: row.get(c) for c in ("id", "version", "created_at", "updated_at")}
    Story.from_dict({**_dict(row["data_json"], "data_json"), **fields, "history": []})


def _story_version(row: dict[str, Any]) -> None:
    from starcoach.stories.model import StoryVersion

    data = _dict(row["data_json"], "data_json")
    StoryVersion.from_dict({**data, "version": row.get("version"), "saved_at": row.get("saved_at")})


_ATTEMPT_COLUMNS = (
    "id", "question_id", "question_text", "question_json", "kind", "status", "answer", "started_at",
    "submitted_at", "session_id", "parent_id", "time_limit_seconds", "score", "rating", "rating_source",
    "analysis_json", "analysis_ms",
)
_SESSION_COLUMNS = ("id", "kind", "started_at", "ended_at", "options_json", "debrief_json")
_ROW_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "banks": _bank,
    "questions": _question,
    "attempts": _attempt,
    "practice_sessions": _session,
    "cards": _card,
    "review_logs": _review_log,
    "stories": _story,
    "story_versions": _story_version,
}
