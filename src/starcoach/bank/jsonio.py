"""Question banks as JSON: the full-fidelity exchange format.

A file is ``{"format": "starcoach-bank", "version": 1, "banks": [Bank.to_dict(), ...]}``. Every
field of every Bank and Question is kept, so export -> import gives equal banks. Reading checks the
envelope and each field's type before building anything, and a problem is reported as one
ImportFormatError that names the file and the field (``banks[0].questions[3].text``).
Unknown extra keys are ignored, so a newer writer that only adds fields stays readable.
Pure functions over strings; no file I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starcoach.bank.model import Bank, QuestionType
from starcoach.bank.taxonomy import is_competency
from starcoach.errors import ImportFormatError

FORMAT = "starcoach-bank"
VERSION = 1

_BANK_STR = ("title", "preamble", "source")
_QUESTION_STR = ("type", "source")
_QUESTION_LISTS = ("competencies", "follow_ups", "red_flags")


def dumps_banks(banks: Iterable[Bank]) -> str:
    """The banks as a versioned JSON document (UTF-8 text, stable key order, trailing newline)."""
    doc = {"format": FORMAT, "version": VERSION, "banks": [b.to_dict() for b in banks]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def loads_banks(text: str, *, source: str) -> tuple[Bank, ...]:
    """Banks from a JSON document written by :func:`dumps_banks` (any version this code knows)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ImportFormatError(
            source, f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise ImportFormatError(source, "not valid JSON (nested too deeply)") from None
    raw_banks = _envelope(doc, source)
    banks = tuple(_bank(b, f"banks[{i}]", source) for i, b in enumerate(raw_banks))
    _no_duplicates([b.id for b in banks], "bank id", source)
    return banks


def _envelope(doc: Any, source: str) -> list[Any]:
    if not isinstance(doc, dict):
        raise ImportFormatError(source, f'expected a JSON object with "format": "{FORMAT}"')
    fmt = doc.get("format")
    if fmt != FORMAT:
        shown = "missing" if fmt is None else repr(fmt)
        raise ImportFormatError(
            source, f"not a starcoach bank file (field 'format' is {shown}, expected '{FORMAT}')"
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFormatError(source, f"field 'version' must be a whole number, got {version!r}")
    if version > VERSION or version < 1:
        raise ImportFormatError(
            source,
            f"unsupported version {version} (this starcoach reads version {VERSION}; upgrade to read it)",
        )
    if "banks" not in doc:
        raise ImportFormatError(source, "missing field 'banks'")
    banks: list[Any] = _typed(doc["banks"], list, "banks", source)
    return banks


def _typed(value: Any, kind: type, path: str, source: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = {dict: "an object", list: "a list", str: "a string", int: "a whole number"}
        raise ImportFormatError(source, f"field '{path}' must be {names.get(kind, kind.__name__)}")
    return value


def _required(d: dict[str, Any], key: str, path: str, source: str) -> Any:
    if key not in d:
        raise ImportFormatError(source, f"missing field '{path}.{key}'")
    return d[key]


def _str_list(value: Any, path: str, source: str) -> list[str]:
    items = _typed(value, list, path, source)
    for i, item in enumerate(items):
        _typed(item, str, f"{path}[{i}]", source)
    return list(items)


def _bank(raw: Any, path: str, source: str) -> Bank:
    d = _typed(raw, dict, path, source)
    _typed(_required(d, "id", path, source), str, f"{path}.id", source)
    for key in _BANK_STR:
        if key in d:
            _typed(d[key], str, f"{path}.{key}", source)
    for i, pair in enumerate(_typed(d.get("meta", []), list, f"{path}.meta", source)):
        if len(_str_list(pair, f"{path}.meta[{i}]", source)) != 2:
            raise ImportFormatError(source, f"field '{path}.meta[{i}]' must be a [key, value] pair")
    questions = _typed(d.get("questions", []), list, f"{path}.questions", source)
    for i, q in enumerate(questions):
        _check_question(q, f"{path}.questions[{i}]", source)
    bank = Bank.from_dict(d)
    _no_duplicates([q.id for q in bank.questions], f"question id in {path}", source)
    return bank


def _check_question(raw: Any, path: str, source: str) -> None:
    d = _typed(raw, dict, path, source)
    for key in ("id", "text"):
        _typed(_required(d, key, path, source), str, f"{path}.{key}", source)
    for key in _QUESTION_STR:
        if key in d:
            _typed(d[key], str, f"{path}.{key}", source)
    for key in _QUESTION_LISTS:
        if key in d:
            _str_list(d[key], f"{path}.{key}", source)
    if d.get("number") is not None:
        _typed(d["number"], int, f"{path}.number", source)
    if "type" in d and d["type"] not in {t.value for t in QuestionType}:
        known = ", ".join(t.value for t in QuestionType)
        raise ImportFormatError(source, f"field '{path}.type': unknown type {d['type']!r} (known: {known})")
    for c in d.get("competencies", []):
        if not is_competency(c):
            raise ImportFormatError(source, f"field '{path}.competencies': unknown competency {c!r}")
    for i, p in enumerate(_typed(d.get("points", []), list, f"{path}.points", source)):
        point = _typed(p, dict, f"{path}.points[{i}]", source)
        _typed(
            _required(point, "text", f"{path}.points[{i}]", source), str, f"{path}.points[{i}].text", source
        )
        _typed(point.get("label", ""), str, f"{path}.points[{i}].label", source)


def _no_duplicates(ids: list[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ImportFormatError(source, f"duplicate {what} '{i}'")
        seen.add(i)
