"""What a story needs to be strong, checked every time it is saved.

A story has explicit fields, so the checks read them directly: a STAR part is missing when its field
is empty, the result is quantified when it holds a number, and the action is the user's own when it
says "I" at least as often as "we". When the answer analyzer has run on the composed story
(:func:`compose_answer`), its weaker dimensions add advice. Pure: the analysis is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starcoach.stories.metrics import extract_metrics
from starcoach.stories.model import STAR_PARTS, MetricKind, StoryContent

if TYPE_CHECKING:
    from starcoach.analysis.types import Analysis
    from starcoach.stories.profiles import Profiles

_I = re.compile(r"\b(?:i|me|my|myself|mine|i'm|i've|i'd|i'll)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|us|our|ours|ourselves|we're|we've|we'd|we'll)\b", re.IGNORECASE)
_WORD = re.compile(r"\b\w+\b")
SITUATION_MAX_WORDS = 90
ACTION_MIN_WORDS = 20
_ANALYZER_DIMENSIONS = ("specificity", "reflection", "delivery")  # the rest are checked on the fields
_MISSING_ADVICE = {
    "situation": "Add the Situation: where you were and what was going on, in two or three sentences.",
    "task": "Add the Task: what you were asked to do or set out to do, and why it was hard.",
    "action": "Add the Action: the steps you took yourself.",
    "result": "Add the Result: what changed because of what you did, ideally with a number.",
}


@dataclass(frozen=True, slots=True)
class PartCheck:
    """One STAR part: is it there, how long is it, and a note when something is off."""

    part: str
    present: bool
    words: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "present": self.present, "words": self.words, "note": self.note}


@dataclass(frozen=True, slots=True)
class StoryReview:
    """The checks of one story and what to strengthen, most important first."""

    title: str
    parts: tuple[PartCheck, ...]
    quantified: bool
    result_numbers: tuple[str, ...]
    i_count: int
    we_count: int
    suggestions: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    analyzer_score: int | None = None
    dimensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    story_id: str | None = None

    @property
    def own_action(self) -> bool:
        return self.i_count >= 1 and self.i_count >= self.we_count

    @property
    def complete(self) -> bool:
        return all(p.present for p in self.parts)

    @property
    def ok(self) -> bool:
        """Every STAR part present, a quantified result and an action of one's own."""
        return self.complete and self.quantified and self.own_action

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "title": self.title,
            "ok": self.ok,
            "complete": self.complete,
            "parts": [p.to_dict() for p in self.parts],
            "quantified": self.quantified,
            "result_numbers": list(self.result_numbers),
            "own_action": self.own_action,
            "i_count": self.i_count,
            "we_count": self.we_count,
            "suggestions": list(self.suggestions),
            "strengths": list(self.strengths),
            "analyzer_score": self.analyzer_score,
            "dimensions": dict(self.dimensions),
        }


def compose_answer(story: StoryContent) -> str:
    """The story told as one spoken answer: its parts as paragraphs, in STAR order."""
    return "\n\n".join(
        p for p in (story.situation, story.task, story.action, story.result, story.learned) if p
    )


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _part(story: StoryContent, name: str) -> PartCheck:
    text = story.part(name)
    n = _words(text)
    note = ""
    if not text.strip():
        note = _MISSING_ADVICE[name]
    elif name == "situation" and n > SITUATION_MAX_WORDS:
        note = (f"The Situation runs {n} words; keep the context to two or three sentences "
                "and spend the time on the Action.")
    elif name == "action" and n < ACTION_MIN_WORDS:
        note = f"The Action has only {n} words; it is the heart of the story: name each step you took."
    return PartCheck(name, bool(text.strip()), n, note)


def _field_advice(
    story: StoryContent, quantified: bool, i_count: int, we_count: int, profiles: Profiles | None
) -> list[str]:
    out: list[str] = []
    if story.result.strip() and not quantified:
        out.append("The Result has no number: say how much changed (%, time saved, money, users, incidents).")
    if story.action.strip() and (i_count == 0 or we_count > i_count):
        said = f"'we' {_times(we_count)} and 'I' {_times(i_count)}"
        out.append(f"The Action says {said}: say what you did yourself.")
    if not story.competencies:
        guessed = [g.competency for g in profiles.guess(compose_answer(story), k=3)] if profiles else []
        hint = f" (it reads like: {', '.join(guessed)})" if guessed else ""
        out.append(f"Tag the competencies this story shows{hint}, so starcoach can match it to questions.")
    if story.started is None:
        out.append("Add When (e.g. 2023-04): telling the same dates every time keeps the story credible.")
    if not story.learned.strip():
        out.append("Add what you Learned: interviewers often ask what you would do differently.")
    return out


def _analyzer_advice(analysis: Analysis) -> tuple[list[str], dict[str, dict[str, Any]]]:
    dims = {name: d.to_dict() for name, d in analysis.dimensions.items()}
    advice = [
        f"{name.capitalize()}: {d.why}"
        for name, d in analysis.dimensions.items()
        if name in _ANALYZER_DIMENSIONS and d.score <= 2 and d.why
    ]
    return advice, dims


def review_story(
    story: StoryContent,
    analysis: Analysis | None = None,
    profiles: Profiles | None = None,
    story_id: str | None = None,
) -> StoryReview:
    """Check ``story``; ``analysis`` is the analyzer's verdict on :func:`compose_answer` (optional)."""
    parts = tuple(_part(story, p) for p in STAR_PARTS)
    numbers = tuple(m.text for m in extract_metrics(story.result) if m.kind is not MetricKind.YEAR)
    quantified = bool(numbers)
    i_count, we_count = len(_I.findall(story.action)), len(_WE.findall(story.action))
    suggestions = [p.note for p in parts if p.note]
    suggestions += _field_advice(story, quantified, i_count, we_count, profiles)
    dims: dict[str, dict[str, Any]] = {}
    if analysis is not None:
        advice, dims = _analyzer_advice(analysis)
        suggestions += advice
    strengths = []
    if all(p.present for p in parts):
        strengths.append("Every STAR part is there.")
    if quantified:
        strengths.append(f"The result is measured ({', '.join(numbers[:3])}).")
    if story.action.strip() and i_count >= 1 and i_count >= we_count:
        strengths.append(f"The action is yours ('I' {_times(i_count)}, 'we' {_times(we_count)}).")
    return StoryReview(
        story.title,
        parts,
        quantified,
        numbers,
        i_count,
        we_count,
        tuple(suggestions),
        tuple(strengths),
        analysis.score if analysis is not None else None,
        dims,
        story_id,
    )
