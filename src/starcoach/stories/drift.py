"""Retellings: did an answer use a stored story, and does it keep the story's numbers straight?

People drift when they retell a story: the 40% becomes 60%, the team of six becomes ten, 2021
becomes 2019. An interviewer who hears two versions stops trusting both. :class:`StoryMatcher`
finds which story an answer retells (TF-IDF over the user's stories), which parts of it the answer
covered, and :func:`contradictions` compares the numbers, team sizes and dates of the two.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starcoach.stories.fields import format_when
from starcoach.stories.metrics import extract_metrics, same_value
from starcoach.stories.model import STAR_PARTS, Metric, MetricKind, Story, StoryContent
from starcoach.stories.text import Idf, SparseVector, cosine, stem, terms

if TYPE_CHECKING:
    from starcoach.analysis.types import Analysis

RETELL_THRESHOLD = 0.3  # lexical similarity from which an answer counts as retelling a story
PART_HEARD = 0.3  # share of a part's distinctive words an answer must repeat to have told that part
CONTEXT_MATCH = 0.25  # overlap of the words around two numbers for them to measure the same thing
_ALONE_OK = (MetricKind.PERCENT, MetricKind.MONEY, MetricKind.PEOPLE, MetricKind.TEAMS, MetricKind.RATIO)


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A number in the answer that disagrees with the stored story."""

    kind: str
    story_text: str
    answer_text: str
    start: int  # offsets of answer_text in the answer
    end: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "story_text": self.story_text,
            "answer_text": self.answer_text,
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class StoryUse:
    """How an answer used one stored story."""

    story_id: str
    story_title: str
    used: bool
    similarity: float
    parts: dict[str, bool]
    metrics_said: tuple[str, ...] = ()
    metrics_missing: tuple[str, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "story_title": self.story_title,
            "used": self.used,
            "similarity": self.similarity,
            "parts": dict(self.parts),
            "metrics_said": list(self.metrics_said),
            "metrics_missing": list(self.metrics_missing),
            "contradictions": [c.to_dict() for c in self.contradictions],
            "notes": list(self.notes),
        }


def story_metrics(story: StoryContent) -> tuple[Metric, ...]:
    """The story's listed metrics and every number in its text (repeats only with different contexts)."""
    found: list[Metric] = list(story.metrics)
    for name in (*STAR_PARTS, "learned"):
        found.extend(extract_metrics(story.part(name)))
    unique: dict[tuple[str, str, float, str], Metric] = {}
    for m in found:  # one amount told in two places keeps both contexts: either may match a retelling
        unique.setdefault((m.kind.value, m.unit, round(m.value, 6), m.context), m)
    return tuple(unique.values())


def _context_overlap(a: Metric, b: Metric) -> tuple[float, list[str]]:
    wa = {stem(w): w for w in a.context.split()}
    wb = {stem(w) for w in b.context.split()}
    if not wa or not wb:
        return 0.0, []
    shared = [wa[s] for s in wa if s in wb]
    return len(shared) / min(len(wa), len(wb)), shared


def _years(story: StoryContent, metrics: Sequence[Metric]) -> set[int]:
    years = {int(m.value) for m in metrics if m.kind is MetricKind.YEAR}
    if story.started:
        first = int(story.started[:4])
        last = int((story.ended or story.started)[:4])
        years.update(range(first, last + 1))
    return years


def _year_flag(story: StoryContent, known: set[int], a: Metric) -> Contradiction | None:
    if not known or int(a.value) in known:
        return None
    when = format_when(story.started, story.ended) or ", ".join(str(y) for y in sorted(known))
    return Contradiction(
        a.kind.value, when, a.text, a.start, a.end, f"your story is dated {when}; today you said {a.text}"
    )


def _is_modifier(m: Metric) -> bool:
    """'six-month' in "the six-month review", '3-day' in "a 3-day outage": a number-unit compound
    that names a kind of thing rather than telling an amount ("in six weeks")."""
    return "-" in m.text.strip("-")


def _number_flag(a: Metric, mine: Sequence[Metric], alone: bool) -> Contradiction | None:
    # A compound modifier and a plain amount belong to different things ("six-month review" and
    # "done in six weeks"), so they are compared only with their own form.
    same_kind = [
        s for s in mine
        if s.kind is a.kind
        and (a.kind is not MetricKind.COUNT or s.unit == a.unit)
        and _is_modifier(s) == _is_modifier(a)
    ]
    if not same_kind or any(same_value(a, s) for s in same_kind):
        return None
    scored = sorted(
        ((*_context_overlap(a, s), i) for i, s in enumerate(same_kind)), key=lambda x: (-x[0], x[2])
    )
    overlap, shared, best = scored[0]
    if overlap < CONTEXT_MATCH and not (alone and len(same_kind) == 1 and a.kind in _ALONE_OK):
        return None
    s = same_kind[best]
    about = f" ({' '.join(shared)})" if shared else ""
    return Contradiction(
        a.kind.value, s.text, a.text, a.start, a.end, f"you said {s.text}{about} last time, {a.text} today"
    )


def contradictions(story: StoryContent, answer: str) -> tuple[Contradiction, ...]:
    """Numbers, team sizes and dates in ``answer`` that disagree with ``story``."""
    mine = story_metrics(story)
    said = extract_metrics(answer)
    known_years = _years(story, mine)
    per_kind: dict[MetricKind, int] = {}
    for a in said:
        per_kind[a.kind] = per_kind.get(a.kind, 0) + 1
    found: list[Contradiction] = []
    for a in said:
        if a.kind is MetricKind.NUMBER:
            continue
        flag = (
            _year_flag(story, known_years, a)
            if a.kind is MetricKind.YEAR
            else _number_flag(a, mine, per_kind[a.kind] == 1)
        )
        if flag is not None:
            found.append(flag)
    return tuple(found)


def _story_docs(story: StoryContent) -> list[tuple[list[str], float]]:
    return [(terms(story.title), 1.0), *((terms(story.part(p)), 1.0) for p in STAR_PARTS)]


class StoryMatcher:
    """Finds which of the user's stories an answer retells, and how faithfully."""

    def __init__(self, stories: Sequence[Story]) -> None:
        self.stories = tuple(stories)
        self._idf = Idf([t for s in self.stories for t, _ in _story_docs(s.content)])
        self._vectors: list[SparseVector] = [self._idf.vector(_story_docs(s.content)) for s in self.stories]

    def similarity(self, index: int, answer: str) -> float:
        return round(cosine(self._vectors[index], self._idf.vector([(terms(answer), 1.0)])), 4)

    def find(self, answer: str) -> tuple[Story, float] | None:
        """The story ``answer`` retells, with its similarity; None when it retells none of them."""
        scored = [(self.similarity(i, answer), -i) for i in range(len(self.stories))]
        if not scored:
            return None
        sim, neg = max(scored)
        return (self.stories[-neg], sim) if sim >= RETELL_THRESHOLD else None

    def parts_heard(self, story: StoryContent, answer: str) -> dict[str, bool]:
        """For each STAR part of the story: did the answer repeat enough of its distinctive words?"""
        said = set(terms(answer))
        heard: dict[str, bool] = {}
        for part in STAR_PARTS:
            words = {t for t in terms(story.part(part)) if self._idf.weight(t) > 1.5}
            if words:
                heard[part] = len(words & said) / len(words) >= PART_HEARD
        return heard

    def check(self, story: Story, answer: str, analysis: Analysis | None = None) -> StoryUse:
        """How ``answer`` used ``story`` (which should be one of this matcher's stories)."""
        index = next((i for i, s in enumerate(self.stories) if s.id == story.id), None)
        sim = (
            self.similarity(index, answer)
            if index is not None
            else round(
                cosine(
                    self._idf.vector(_story_docs(story.content)), self._idf.vector([(terms(answer), 1.0)])
                ),
                4,
            )
        )
        parts = self.parts_heard(story.content, answer)
        used = sim >= RETELL_THRESHOLD or sum(parts.values()) >= 2
        said_metrics = extract_metrics(answer)
        listed = story.content.metrics or extract_metrics(story.content.result)
        said = tuple(m.item or m.text for m in listed if any(same_value(m, a) for a in said_metrics))
        missing = tuple(dict.fromkeys(m.item or m.text for m in listed if (m.item or m.text) not in said))
        flags = contradictions(story.content, answer) if used else ()
        notes = _notes(story, used, parts, missing, flags, analysis)
        return StoryUse(
            story.id, story.title, used, sim, parts, tuple(dict.fromkeys(said)), missing, flags, notes
        )


def _notes(
    story: Story,
    used: bool,
    parts: dict[str, bool],
    missing: Sequence[str],
    flags: Sequence[Contradiction],
    analysis: Analysis | None,
) -> tuple[str, ...]:
    if not used:
        return (f"You did not tell '{story.title}', the story that fits this question best.",)
    out = [f"You told '{story.title}'."]
    left_out = [p for p, ok in parts.items() if not ok]
    if left_out:
        out.append(f"Parts of the story you left out: {', '.join(left_out)}.")
    if analysis is not None and "result" in analysis.missing and story.content.result:
        out.append(f"Your answer had no result; the story's is: {story.content.result.splitlines()[0]}")
    if missing:
        out.append(f"Numbers from your story you did not say: {'; '.join(missing)}.")
    out.extend(f"Check your numbers: {f.message}." for f in flags)
    return tuple(out)
