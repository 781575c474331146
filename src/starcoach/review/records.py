"""Stored practice records: one attempt at a question, and the session it belongs to.

Plain frozen dataclasses with ``to_dict``/``from_dict``; the analysis is kept as the JSON dict of
the analysis contract (DESIGN.md), exactly as it was when the answer was scored, so later versions
of the analyzer never rewrite history. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from starcoach.errors import AnswerError
from starcoach.ids import AttemptId, QuestionId
from starcoach.review.schedule import Rating

MAX_ANSWER_CHARS = 20_000


def check_answer(text: str) -> str:
    """The answer as stored: refuses binary and oversized text (empty is allowed: it is a skip)."""
    if "\x00" in text:
        raise AnswerError("the answer contains binary data (NUL bytes); paste plain text")
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is {len(text)} characters; the limit is {MAX_ANSWER_CHARS}")
    return text.replace("\r\n", "\n")


class AttemptKind(StrEnum):
    ANSWER = "answer"  # the first answer to a question in a session: it moves the question's card
    RETRY = "retry"  # answering the same question again after feedback: scored, card untouched
    FOLLOW_UP = "follow_up"  # the answer to a follow-up question; ``question_text`` is the follow-up


class AttemptStatus(StrEnum):
    PENDING = "pending"  # the answer is saved, its analysis not yet (a crash in between keeps it)
    SCORED = "scored"
    SKIPPED = "skipped"  # empty answer or :skip; never scored


def _dt(value: Any) -> datetime:
    at = datetime.fromisoformat(str(value))
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def iso(at: datetime) -> str:
    """The stored form of a datetime: UTC, fixed width, so that strings sort like times."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer to one question, with everything needed to show it again."""

    id: AttemptId
    question_id: QuestionId
    question_text: str
    kind: AttemptKind
    status: AttemptStatus
    answer: str
    started_at: datetime
    submitted_at: datetime
    competencies: tuple[str, ...] = ()
    question_type: str = "story"
    session_id: str | None = None
    parent_id: AttemptId | None = None
    time_limit_seconds: int | None = None
    score: int | None = None
    rating: Rating | None = None
    rating_source: str | None = None  # 'score' or 'user'
    analysis: dict[str, Any] | None = None
    analysis_ms: float | None = None

    @property
    def answer_seconds(self) -> float:
        return max(0.0, (self.submitted_at - self.started_at).total_seconds())

    @property
    def over_time(self) -> bool:
        return self.time_limit_seconds is not None and self.answer_seconds > self.time_limit_seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question_id": self.question_id,
            "question_text": self.question_text,
            "kind": self.kind.value,
            "status": self.status.value,
            "answer": self.answer,
            "started_at": iso(self.started_at),
            "submitted_at": iso(self.submitted_at),
            "answer_seconds": round(self.answer_seconds, 3),
            "competencies": list(self.competencies),
            "question_type": self.question_type,
            "session_id": self.session_id,
            "parent_id": self.parent_id,
            "time_limit_seconds": self.time_limit_seconds,
            "score": self.score,
            "rating": self.rating.value if self.rating else None,
            "rating_source": self.rating_source,
            "analysis": self.analysis,
            "analysis_ms": self.analysis_ms,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attempt:
        return cls(
            id=AttemptId(str(d["id"])),
            question_id=QuestionId(str(d["question_id"])),
            question_text=str(d.get("question_text", "")),
            kind=AttemptKind(str(d.get("kind", "answer"))),
            status=AttemptStatus(str(d.get("status", "scored"))),
            answer=str(d.get("answer", "")),
            started_at=_dt(d["started_at"]),
            submitted_at=_dt(d["submitted_at"]),
            competencies=tuple(str(c) for c in d.get("competencies", ())),
            question_type=str(d.get("question_type", "story")),
            session_id=str(d["session_id"]) if d.get("session_id") else None,
            parent_id=AttemptId(str(d["parent_id"])) if d.get("parent_id") else None,
            time_limit_seconds=int(d["time_limit_seconds"])
            if d.get("time_limit_seconds") is not None
            else None,
            score=int(d["score"]) if d.get("score") is not None else None,
            rating=Rating.parse(str(d["rating"])) if d.get("rating") else None,
            rating_source=str(d["rating_source"]) if d.get("rating_source") else None,
            analysis=dict(d["analysis"]) if d.get("analysis") is not None else None,
            analysis_ms=float(d["analysis_ms"]) if d.get("analysis_ms") is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Session:
    """A practice run or a mock interview; ``debrief`` is the mock's debrief dict once finished."""

    id: str
    kind: str  # 'practice' or 'mock'
    started_at: datetime
    ended_at: datetime | None = None
    options: dict[str, Any] | None = None
    debrief: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at) if self.ended_at else None,
            "options": self.options or {},
            "debrief": self.debrief,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Session:
        return cls(
            id=str(d["id"]),
            kind=str(d.get("kind", "practice")),
            started_at=_dt(d["started_at"]),
            ended_at=_dt(d["ended_at"]) if d.get("ended_at") else None,
            options=dict(d.get("options") or {}),
            debrief=dict(d["debrief"]) if d.get("debrief") is not None else None,
        )
