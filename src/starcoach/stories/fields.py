"""Reading and writing the small structured fields of a story: lists, competencies, dates, metrics.

Each reader takes the text of one field as the user wrote it and returns a clean value or raises
``InputError`` with a message that the Markdown parser prefixes with the story and field names.
"""

from __future__ import annotations

import difflib
import re

from starcoach.bank.taxonomy import COMPETENCIES, FRAMEWORKS, principle_competencies
from starcoach.errors import InputError
from starcoach.ids import slugify
from starcoach.stories.metrics import extract_metrics
from starcoach.stories.model import Metric

_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
_LIST_SPLIT = re.compile(r"[,;\n]")
_ITEM_SPLIT = re.compile(r"[;\n]")

_BY_KEY: dict[str, str] = {}
for _c in COMPETENCIES:
    _BY_KEY[_c.id] = _c.id
    _BY_KEY[slugify(_c.name)] = _c.id
    _BY_KEY[_c.name.lower()] = _c.id

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{4})$")
_RANGE = re.compile(r"\s+(?:to|until|through|-|\u2013|\u2014|\.\.)\s+|\s*(?:\u2013|\u2014|\.\.)\s*")
_YEAR_RANGE = re.compile(r"^(\d{4})-(\d{4})$")


def quoted(text: str, limit: int = 40) -> str:
    """A short excerpt of user text for an error message: ``'first forty characters...'``.

    Messages quote what they could not read, but never a whole field: a 100 KB title must not give a
    100 KB error.
    """
    flat = " ".join(text.split())
    return f"'{flat[:limit]}...'" if len(flat) > limit else f"'{flat}'"


def split_list(text: str) -> tuple[str, ...]:
    """Items of a comma-, semicolon- or line-separated list (bullets allowed), empty ones dropped."""
    items = (_BULLET.sub("", part).strip() for part in _LIST_SPLIT.split(text))
    return tuple(dict.fromkeys(i for i in items if i))


def resolve_competency(name: str) -> tuple[str, ...]:
    """Competency ids for one name: an id, a name, or a framework principle ('amazon:dive-deep')."""
    key = " ".join(name.strip().lower().split())
    if key in _BY_KEY:
        return (_BY_KEY[key],)
    if slugify(key) in _BY_KEY:
        return (_BY_KEY[slugify(key)],)
    framework, sep, principle = key.partition(":")
    if sep and framework.strip() in FRAMEWORKS:
        return principle_competencies(framework.strip(), principle.strip())
    close = difflib.get_close_matches(slugify(key), sorted({c.id for c in COMPETENCIES}), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise InputError(
        f"unknown competency {quoted(name)} ({hint}see 'starcoach questions list --help' "
        "or docs/stories-format.md for the list)"
    )


def parse_competencies(text: str) -> tuple[str, ...]:
    """Competency ids named in a field, in order, without duplicates."""
    ids: list[str] = []
    for item in split_list(text):
        ids.extend(resolve_competency(item))
    return tuple(dict.fromkeys(ids))


def _one_date(text: str) -> str:
    raw = text.strip().lower().rstrip(".")
    m = _ISO.match(raw)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and not 1 <= int(month) <= 12:
            raise InputError(f"{quoted(text)} has no month {int(month)}")
        if day and not 1 <= int(day) <= 31:
            raise InputError(f"{quoted(text)} has no day {int(day)}")
        parts = [year] + ([f"{int(month):02d}"] if month else []) + ([f"{int(day):02d}"] if day else [])
        return "-".join(parts)
    m = _MONTH_YEAR.match(raw)
    if m and m.group(1)[:3] in _MONTHS:
        return f"{m.group(2)}-{_MONTHS[m.group(1)[:3]]:02d}"
    raise InputError(f"cannot read {quoted(text)} as a date (write 2023, 2023-04 or 'Apr 2023')")


def parse_when(text: str) -> tuple[str | None, str | None]:
    """``(started, ended)`` from '2023-04', '2023-04 to 2023-09', 'Mar 2022 - Jun 2022' or '2021-2022'."""
    raw = text.strip()
    if not raw:
        return None, None
    years = _YEAR_RANGE.match(raw)
    parts = [years.group(1), years.group(2)] if years else [p for p in _RANGE.split(raw) if p.strip()]
    if not 1 <= len(parts) <= 2:  # '..' or '–' alone splits into nothing
        raise InputError(f"cannot read {quoted(raw)} as a date or a range of two dates")
    started = _one_date(parts[0])
    ended = _one_date(parts[1]) if len(parts) == 2 else None
    if ended is not None and ended < started:
        raise InputError(f"{quoted(raw)} ends before it starts")
    return started, ended


def format_when(started: str | None, ended: str | None) -> str:
    if started is None:
        return ""
    return f"{started} to {ended}" if ended and ended != started else started


def parse_metrics(text: str) -> tuple[Metric, ...]:
    """The numbers of a **Metrics** field: one entry per line or ';' (repeats dropped), each with a number."""
    found: list[Metric] = []
    seen: set[str] = set()
    for raw in _ITEM_SPLIT.split(text):
        item = _BULLET.sub("", raw).strip()
        if not item or item in seen:
            continue
        seen.add(item)
        numbers = extract_metrics(item)
        if not numbers:
            raise InputError(
                f"{quoted(item)} has no number (write it like '40% faster p99 latency' or 'team of 6')"
            )
        found.extend(
            Metric(m.text, m.value, m.kind, m.unit, m.context, m.start, m.end, item) for m in numbers
        )
    return tuple(found)


def format_metrics(metrics: tuple[Metric, ...]) -> str:
    """The **Metrics** entries as written, one per line."""
    items = dict.fromkeys(m.item or m.text for m in metrics)
    return "; ".join(items)
