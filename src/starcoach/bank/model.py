"""The question model: what a bank holds, and how it is written to and read from plain dicts.

Pure data; no I/O. Every type round-trips through ``to_dict``/``from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from starcoach.errors import InputError
from starcoach.ids import BankId, QuestionId


class QuestionType(StrEnum):
    """What kind of answer a question wants."""

    STORY = "story"  # a STAR story: "Tell me about a time..."
    APPROACH = "approach"  # a method: "How do you handle tight deadlines?"
    SELF = "self"  # strengths, weaknesses, motivation, "why here"
    CLOSING = "closing"  # "Do you have any questions for us?"
    KNOWLEDGE = "knowledge"  # a technical question graded by its model answer's points: "What is a p-value?"

    @classmethod
    def parse(cls, value: str) -> QuestionType:
        try:
            return cls(value.strip().lower())
        except ValueError:
            known = ", ".join(t.value for t in cls)
            raise InputError(f"unknown question type '{value}' (known: {known})") from None


@dataclass(frozen=True, slots=True)
class Point:
    """One labeled talking point (a seed bullet). ``label`` is '' for an unlabeled bullet.

    ``text`` keeps the bullet's Markdown as written (inline code, emphasis, nested lines).
    """

    label: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Point:
        return cls(label=str(d.get("label", "")), text=str(d["text"]))


@dataclass(frozen=True, slots=True)
class Question:
    """A behavioral interview question with what a good answer covers."""

    id: QuestionId
    text: str
    type: QuestionType = QuestionType.STORY
    competencies: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    follow_ups: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    source: str = ""
    bank: BankId = "builtin"  # type: ignore[assignment]  # a NewType of str; no call in a default
    number: int | None = None  # position in its source document ("### 7."), when it had one

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "type": self.type.value,
            "competencies": list(self.competencies),
            "points": [p.to_dict() for p in self.points],
            "follow_ups": list(self.follow_ups),
            "red_flags": list(self.red_flags),
            "source": self.source,
            "bank": self.bank,
            "number": self.number,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Question:
        return cls(
            id=QuestionId(str(d["id"])),
            text=str(d["text"]),
            type=QuestionType.parse(str(d.get("type", "story"))),
            competencies=tuple(str(c) for c in d.get("competencies", ())),
            points=tuple(Point.from_dict(p) for p in d.get("points", ())),
            follow_ups=tuple(str(f) for f in d.get("follow_ups", ())),
            red_flags=tuple(str(r) for r in d.get("red_flags", ())),
            source=str(d.get("source", "")),
            bank=BankId(str(d.get("bank", "builtin"))),
            number=int(d["number"]) if d.get("number") is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Bank:
    """A named set of questions: the bundled one, or one imported from a document.

    ``title`` and ``meta`` keep a document's header (``# Title``, ``> **Topic**: ...``) so that
    export writes it back unchanged. ``preamble`` keeps any other text before the first question.
    """

    id: BankId
    title: str
    questions: tuple[Question, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    preamble: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "meta": [list(m) for m in self.meta],
            "preamble": self.preamble,
            "source": self.source,
            "questions": [q.to_dict() for q in self.questions],
        }

    def retyped(self, qtype: QuestionType) -> Bank:
        """The same bank with every question of type ``qtype`` (``import --type knowledge``)."""
        return replace(self, questions=tuple(replace(q, type=qtype) for q in self.questions))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Bank:
        bid = BankId(str(d["id"]))
        return cls(
            id=bid,
            title=str(d.get("title", "")),
            meta=tuple((str(k), str(v)) for k, v in d.get("meta", ())),
            preamble=str(d.get("preamble", "")),
            source=str(d.get("source", "")),
            questions=tuple(Question.from_dict({**q, "bank": bid}) for q in d.get("questions", ())),
        )


@dataclass(frozen=True, slots=True)
class QuestionFilter:
    """What ``questions list/search`` narrows by. Empty fields do not filter."""

    type: QuestionType | None = None
    competencies: tuple[str, ...] = field(default=())  # any of these
    bank: str | None = None
    text: str | None = None  # case-insensitive words, all must appear in text, points or id
