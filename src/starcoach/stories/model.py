"""The story model: a STAR story, its numbers, its scope and its version history.

``StoryContent`` is what the user writes (the Markdown fields); ``Story`` adds identity and history:
editing a story makes a new version and keeps every earlier one. Pure data with
``to_dict``/``from_dict``; validation of user input happens in the parser (``stories.markdown``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from starcoach.errors import InputError
from starcoach.ids import StoryId

STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result")


class Scope(StrEnum):
    """How far the user's part in a story reached."""

    OWN = "own"  # their own work
    TEAM = "team"  # their team
    TEAMS = "teams"  # several teams
    ORG = "org"  # the organisation

    @property
    def label(self) -> str:
        return _SCOPE_LABELS[self]

    @classmethod
    def parse(cls, value: str) -> Scope:
        key = " ".join(value.strip().lower().replace("-", " ").split())
        for scope, words in _SCOPE_WORDS.items():
            if key in words:
                return scope
        known = ", ".join(f"'{s.value}' ({s.label})" for s in cls)
        shown = " ".join(value.split())
        shown = f"{shown[:40]}..." if len(shown) > 40 else shown
        raise InputError(f"unknown scope '{shown}' (known: {known})")


_SCOPE_LABELS = {Scope.OWN: "own work", Scope.TEAM: "team", Scope.TEAMS: "several teams", Scope.ORG: "org"}
_SCOPE_WORDS: dict[Scope, frozenset[str]] = {
    Scope.OWN: frozenset({"own", "own work", "me", "individual", "self", "mine", "solo", "personal"}),
    Scope.TEAM: frozenset({"team", "my team", "one team", "the team"}),
    Scope.TEAMS: frozenset(
        {"teams", "several teams", "multiple teams", "cross team", "many teams", "org unit"}
    ),
    Scope.ORG: frozenset({"org", "organisation", "organization", "company", "company wide", "whole company"}),
}


class MetricKind(StrEnum):
    """What a number measures; only numbers of one kind are ever compared."""

    PERCENT = "percent"
    MONEY = "money"
    DURATION = "duration"  # value in seconds
    PEOPLE = "people"  # head counts: "team of 6", "three engineers"
    TEAMS = "teams"
    RATIO = "ratio"  # "3x faster"
    YEAR = "year"  # a calendar year: "in 2021"
    COUNT = "count"  # a number of things: unit is the noun ("tickets", "services")
    NUMBER = "number"  # a bare number with no unit


@dataclass(frozen=True, slots=True)
class Metric:
    """One number with its unit, as found in a text.

    ``value`` is normalised (seconds for durations, plain units for money: "$1.2M" -> 1_200_000) so
    that "3 days" and "72 hours" compare equal. ``context`` holds the content words around the number
    (what it measures); ``start``/``end`` index the text it was found in. ``item`` is the whole
    **Metrics** entry a listed metric came from ("deploys: 3 days -> 10 minutes" gives two metrics).
    """

    text: str
    value: float
    kind: MetricKind
    unit: str = ""
    context: str = ""
    start: int = 0
    end: int = 0
    item: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "kind": self.kind.value,
            "unit": self.unit,
            "context": self.context,
            "start": self.start,
            "end": self.end,
            "item": self.item,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Metric:
        return cls(
            text=str(d["text"]),
            value=float(d["value"]),
            kind=MetricKind(str(d["kind"])),
            unit=str(d.get("unit", "")),
            context=str(d.get("context", "")),
            start=int(d.get("start", 0)),
            end=int(d.get("end", 0)),
            item=str(d.get("item", "")),
        )


@dataclass(frozen=True, slots=True)
class StoryContent:
    """The fields a user writes for one story.

    ``metrics`` are the numbers the user listed under **Metrics** (each item as written, with the
    numbers found in it); ``started``/``ended`` are ISO dates of any precision ("2023", "2023-04",
    "2023-04-17"). ``learned`` is the optional reflection ("what I would do differently").
    """

    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    learned: str = ""
    metrics: tuple[Metric, ...] = ()
    competencies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    role: str = ""
    scope: Scope | None = None
    started: str | None = None
    ended: str | None = None

    def part(self, name: str) -> str:
        """The text of one STAR part (or 'learned') by name."""
        if name not in (*STAR_PARTS, "learned"):
            raise KeyError(name)
        value: str = getattr(self, name)
        return value

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
            "learned": self.learned,
            "metrics": [m.to_dict() for m in self.metrics],
            "competencies": list(self.competencies),
            "tags": list(self.tags),
            "role": self.role,
            "scope": self.scope.value if self.scope is not None else None,
            "started": self.started,
            "ended": self.ended,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StoryContent:
        scope = d.get("scope")
        return cls(
            title=str(d["title"]),
            situation=str(d.get("situation", "")),
            task=str(d.get("task", "")),
            action=str(d.get("action", "")),
            result=str(d.get("result", "")),
            learned=str(d.get("learned", "")),
            metrics=tuple(Metric.from_dict(m) for m in d.get("metrics", ())),
            competencies=tuple(str(c) for c in d.get("competencies", ())),
            tags=tuple(str(t) for t in d.get("tags", ())),
            role=str(d.get("role", "")),
            scope=Scope(str(scope)) if scope else None,
            started=str(d["started"]) if d.get("started") else None,
            ended=str(d["ended"]) if d.get("ended") else None,
        )


@dataclass(frozen=True, slots=True)
class StoryVersion:
    """An earlier version of a story, kept when the story was edited."""

    version: int
    saved_at: datetime
    content: StoryContent

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "saved_at": self.saved_at.isoformat(), **self.content.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StoryVersion:
        return cls(int(d["version"]), datetime.fromisoformat(str(d["saved_at"])), StoryContent.from_dict(d))


@dataclass(frozen=True, slots=True)
class Story:
    """A stored story: its current content, its version number and every earlier version."""

    id: StoryId
    content: StoryContent
    created_at: datetime
    updated_at: datetime
    version: int = 1
    history: tuple[StoryVersion, ...] = ()

    @classmethod
    def new(cls, sid: StoryId, content: StoryContent, now: datetime) -> Story:
        return cls(id=sid, content=content, created_at=now, updated_at=now)

    @property
    def title(self) -> str:
        return self.content.title

    def revise(self, content: StoryContent, now: datetime) -> Story:
        """A new version with ``content``; the current one moves into the history.

        An edit that changes nothing returns the story unchanged (no empty versions).
        """
        if content == self.content:
            return self
        old = StoryVersion(self.version, self.updated_at, self.content)
        return replace(
            self, content=content, updated_at=now, version=self.version + 1, history=(*self.history, old)
        )

    def at_version(self, version: int) -> StoryContent:
        """The content as it was at ``version`` (the current one included)."""
        if version == self.version:
            return self.content
        for old in self.history:
            if old.version == version:
                return old.content
        known = ", ".join(str(v) for v in (*(old.version for old in self.history), self.version))
        raise InputError(f"story '{self.id}' has no version {version} (versions: {known})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            **self.content.to_dict(),
            "history": [v.to_dict() for v in self.history],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Story:
        return cls(
            id=StoryId(str(d["id"])),
            content=StoryContent.from_dict(d),
            created_at=datetime.fromisoformat(str(d["created_at"])),
            updated_at=datetime.fromisoformat(str(d["updated_at"])),
            version=int(d.get("version", 1)),
            history=tuple(StoryVersion.from_dict(v) for v in d.get("history", ())),
        )
