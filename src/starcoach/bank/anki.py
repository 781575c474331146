r"""Question banks as an Anki deck package (``.apkg``), written with genanki.

Ids are stable so that importing a newer export into Anki updates the user's notes instead of
adding duplicates: the note type has one fixed id, each bank's deck id is a hash of the bank id, and
each note's GUID comes from the question id. Front: the question. Back: the talking points, then
follow-ups and red flags; all text is HTML-escaped. Tags carry the question type and competencies.
The model answer of a knowledge question (a technical day of the series) is rendered from its Markdown
(bold, code, lists, tables; raw HTML still escaped) with formulas turned into Anki's MathJax
delimiters ``\(...\)`` and ``\[...\]``, so the back reads like the document.

The package is built in memory and returned as bytes; the same banks and the same ``now`` give
the same bytes (``now`` stamps the notes, so Anki can tell a newer export from an older one).
This module only writes Anki files; reading them back is Anki's job.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Sequence
from datetime import datetime

import genanki

from starcoach.bank.mdhtml import markdown_html
from starcoach.bank.model import Bank, Point, Question, QuestionType

# Fixed forever: Anki identifies the note type by this id. Changing it orphans users' notes.
MODEL_ID = 1_571_203_764
_FIELDS = ("Question", "Points", "FollowUps", "RedFlags", "Id")
_BACK = (
    "{{FrontSide}}<hr id=answer>{{Points}}"
    "{{#FollowUps}}<h4>Follow-ups</h4>{{FollowUps}}{{/FollowUps}}"
    "{{#RedFlags}}<h4>Red flags</h4>{{RedFlags}}{{/RedFlags}}"
)
_CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } li { margin: 0.3em 0; }"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        "starcoach question",
        fields=[{"name": f} for f in _FIELDS],
        templates=[{"name": "Question -> talking points", "qfmt": "{{Question}}", "afmt": _BACK}],
        css=_CSS,
    )


def deck_id(bank_id: str) -> int:
    """A stable deck id for a bank, in the range genanki recommends (2**30 .. 2**31)."""
    digest = hashlib.sha256(f"starcoach-deck:{bank_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _point_html(p: Point, render: bool = False) -> str:
    label = f"<b>{_html(p.label)}</b>: " if p.label else ""
    return f"<li>{label}{markdown_html(p.text) if render else _html(p.text)}</li>"


def _list_html(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_html(t)}</li>" for t in items) + "</ul>" if items else ""


def _note(q: Question, model: genanki.Model) -> genanki.Note:
    render = q.type is QuestionType.KNOWLEDGE
    points = "<ul>" + "".join(_point_html(p, render) for p in q.points) + "</ul>" if q.points else ""
    fields = [_html(q.text), points, _list_html(q.follow_ups), _list_html(q.red_flags), _html(q.id)]
    tags = ["starcoach", f"type::{q.type.value}", *q.competencies]
    return genanki.Note(model=model, fields=fields, tags=tags, guid=genanki.guid_for(q.id))


def _deck(bank: Bank, model: genanki.Model) -> genanki.Deck:
    name = bank.title or bank.id
    deck = genanki.Deck(
        deck_id(bank.id), name, description=_html(f"Imported from {bank.source}" if bank.source else "")
    )
    for q in bank.questions:
        deck.add_note(_note(q, model))
    return deck


def to_apkg(banks: Sequence[Bank], *, now: datetime) -> bytes:
    """An ``.apkg`` holding one deck per bank. Deterministic for the same banks and ``now``."""
    model = _model()
    package = genanki.Package([_deck(b, model) for b in banks])
    timestamp = now.timestamp()
    conn = sqlite3.connect(":memory:")
    try:
        package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        conn.commit()
        db = conn.serialize()
    finally:
        conn.close()
    return _zip({"collection.anki2": db, "media": json.dumps({}).encode()})


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip with fixed member dates, so equal content gives equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
