"""The Analysis contract: what `starcoach analyze --json` prints and every interface shares.

Plain frozen dataclasses with ``to_dict``/``from_dict``. The keys of :meth:`Analysis.to_dict` are the
contract of DESIGN.md (question, score, sentences, missing, dimensions, points, flags, words,
speaking_seconds, suggestions, follow_ups) plus a few extra keys (signals, scope, skipped, and ``speech``
for a spoken answer only: see ``analysis.speech``). Offsets
always index the original answer text. No logic lives here beyond (de)serialisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STAR_LABELS: tuple[str, ...] = ("situation", "task", "action", "result", "other")
DIMENSIONS: tuple[str, ...] = (
    "structure",
    "relevance",
    "specificity",
    "ownership",
    "impact",
    "reflection",
    "delivery",
)
# A knowledge answer (a technical question graded by its model answer's points) has its own dimensions.
KNOWLEDGE_DIMENSIONS: tuple[str, ...] = ("coverage", "correctness", "precision", "structure", "concision")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of characters in the answer: ``text == answer[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence or clause with its STAR label and the labeler's confidence (a posterior)."""

    text: str
    start: int
    end: int
    star: str = "other"
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "star": self.star,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sentence:
        return cls(
            text=str(d["text"]),
            start=int(d["start"]),
            end=int(d["end"]),
            star=str(d.get("star", "other")),
            confidence=float(d.get("confidence", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class Dimension:
    """One scored dimension: 1-5 and the reason in one sentence."""

    score: int
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "why": self.why}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Dimension:
        return cls(score=int(d["score"]), why=str(d.get("why", "")))


@dataclass(frozen=True, slots=True)
class PointCoverage:
    """Whether the answer covers one of the question's talking points, and where."""

    label: str
    text: str
    covered: bool
    evidence: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "text": self.text,
            "covered": self.covered,
            "evidence": list(self.evidence) if self.evidence is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PointCoverage:
        ev = d.get("evidence")
        return cls(
            label=str(d.get("label", "")),
            text=str(d["text"]),
            covered=bool(d["covered"]),
            evidence=(int(ev[0]), int(ev[1])) if ev else None,
        )


@dataclass(frozen=True, slots=True)
class Misconception:
    """A statement of the answer that contradicts a point of the model answer: both spans.

    ``start``/``end`` index the answer; ``point`` is the index of the contradicted point in
    ``Analysis.points`` and ``point_text`` its words. ``kind`` says how it contradicts it
    ('negation', 'swapped', 'opposite', 'complexity').
    """

    kind: str
    text: str
    start: int
    end: int
    point: int
    point_text: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "point": self.point, "point_text": self.point_text, "why": self.why}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Misconception:
        return cls(kind=str(d.get("kind", "")), text=str(d["text"]), start=int(d["start"]),
                   end=int(d["end"]), point=int(d.get("point", -1)), point_text=str(d.get("point_text", "")),
                   why=str(d.get("why", "")))


@dataclass(frozen=True, slots=True)
class Flag:
    """A span worth pointing at: a filler, a hedge, blame, a vague word, a number..."""

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flag:
        return cls(kind=str(d["kind"]), text=str(d["text"]), start=int(d["start"]), end=int(d["end"]))


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """The question an answer was analyzed against (a bank question or free text)."""

    id: str | None
    text: str
    type: str
    why: str = ""  # how the type was decided: the bank's stored type, or the classifier's cues

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "type": self.type, "why": self.why}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> QuestionRef:
        qid = d.get("id")
        return cls(id=str(qid) if qid is not None else None, text=str(d.get("text", "")),
                   type=str(d.get("type", "story")), why=str(d.get("why", "")))


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analyzer found in one answer. ``to_dict`` is the JSON contract."""

    question: QuestionRef
    score: int
    sentences: tuple[Sentence, ...]
    missing: tuple[str, ...]
    dimensions: dict[str, Dimension]
    points: tuple[PointCoverage, ...]
    flags: tuple[Flag, ...]
    words: int
    speaking_seconds: int
    suggestions: tuple[str, ...]
    follow_ups: tuple[str, ...]
    signals: dict[str, Any] = field(default_factory=dict)
    scope: dict[str, Any] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()  # knowledge answers only
    model_answer: str = ""  # knowledge answers: the model answer's bullets, as Markdown
    speech: dict[str, Any] | None = None  # spoken answers only (analysis.speech.with_speech)

    def to_dict(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.question.type == "knowledge":
            extra = {"misconceptions": [m.to_dict() for m in self.misconceptions],
                     "model_answer": self.model_answer}
        d: dict[str, Any] = {
            "question": self.question.to_dict(),
            "score": self.score,
            "sentences": [s.to_dict() for s in self.sentences],
            "missing": list(self.missing),
            "dimensions": {name: self.dimensions[name].to_dict()
                           for name in (KNOWLEDGE_DIMENSIONS if self.question.type == "knowledge" else DIMENSIONS)
                           if name in self.dimensions},
            "points": [p.to_dict() for p in self.points],
            "flags": [f.to_dict() for f in self.flags],
            "words": self.words,
            "speaking_seconds": self.speaking_seconds,
            "suggestions": list(self.suggestions),
            "follow_ups": list(self.follow_ups),
            "signals": self.signals,
            "scope": self.scope,
            "skipped": list(self.skipped),
            **extra,
        }
        if self.speech is not None:
            d["speech"] = self.speech
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Analysis:
        return cls(
            question=QuestionRef.from_dict(d["question"]),
            score=int(d["score"]),
            sentences=tuple(Sentence.from_dict(s) for s in d.get("sentences", ())),
            missing=tuple(str(m) for m in d.get("missing", ())),
            dimensions={str(k): Dimension.from_dict(v) for k, v in d.get("dimensions", {}).items()},
            points=tuple(PointCoverage.from_dict(p) for p in d.get("points", ())),
            flags=tuple(Flag.from_dict(f) for f in d.get("flags", ())),
            words=int(d.get("words", 0)),
            speaking_seconds=int(d.get("speaking_seconds", 0)),
            suggestions=tuple(str(s) for s in d.get("suggestions", ())),
            follow_ups=tuple(str(s) for s in d.get("follow_ups", ())),
            signals=dict(d.get("signals", {})),
            scope=dict(d.get("scope", {})),
            skipped=tuple(str(s) for s in d.get("skipped", ())),
            misconceptions=tuple(Misconception.from_dict(m) for m in d.get("misconceptions", ())),
            model_answer=str(d.get("model_answer", "")),
            speech=dict(d["speech"]) if d.get("speech") is not None else None,
        )
