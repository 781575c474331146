"""Filtering and searching questions. Pure functions over sequences of questions, and the one way a
filter typed by a user (CLI options, web query parameters) becomes a checked ``QuestionFilter``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from starcoach.bank.model import Question, QuestionFilter, QuestionType
from starcoach.bank.taxonomy import competency, principle_competencies
from starcoach.errors import InputError

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    ("a", "an", "the", "of", "to", "you", "your", "for", "in", "on", "at", "with", "how", "do", "did", "what",
     "when", "time", "tell", "me", "about")
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def make_filter(
    qtype: str | None,
    competencies: Sequence[str] = (),
    principle: str | None = None,
    bank: str | None = None,
    text: str | None = None,
) -> QuestionFilter:
    """A QuestionFilter from values as the user typed them, each one checked (InputError names a bad one).

    ``competencies`` are competency ids; ``principle`` is FRAMEWORK:PRINCIPLE (amazon:ownership) and adds
    the competencies it maps to. Blank values do not filter."""
    comps = [competency(c).id for c in competencies]
    if principle:
        framework, sep, name = principle.partition(":")
        if not sep:
            raise InputError("a principle is written FRAMEWORK:PRINCIPLE, e.g. amazon:ownership")
        comps.extend(principle_competencies(framework, name))
    return QuestionFilter(
        type=QuestionType.parse(qtype) if qtype else None,
        competencies=tuple(dict.fromkeys(comps)),
        bank=bank or None,
        text=text.strip() if text and text.strip() else None,
    )


def matches(q: Question, flt: QuestionFilter) -> bool:
    """Whether ``q`` passes every set field of ``flt``."""
    if flt.type is not None and q.type != flt.type:
        return False
    if flt.competencies and not set(flt.competencies) & set(q.competencies):
        return False
    if flt.bank is not None and q.bank != flt.bank:
        return False
    return not flt.text or search_score(q, flt.text) > 0


def filter_questions(items: Iterable[Question], flt: QuestionFilter) -> list[Question]:
    return [q for q in items if matches(q, flt)]


def _haystack(q: Question) -> tuple[set[str], set[str]]:
    head = set(_words(q.text)) | set(_words(q.id)) | {w for c in q.competencies for w in _words(c)}
    body = {w for p in q.points for w in _words(p.label + " " + p.text)}
    return head, body


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def search_score(q: Question, query: str) -> float:
    """How well ``q`` matches the words of ``query`` (0 = not at all).

    Every content word of the query must appear (by stem) in the question, its id, competencies
    or talking points; words in the question text itself weigh more than words in its points.
    """
    terms = [_stem(w) for w in _words(query) if w not in _STOP] or [_stem(w) for w in _words(query)]
    if not terms:
        return 0.0
    head, body = _haystack(q)
    head_s, body_s = {_stem(w) for w in head}, {_stem(w) for w in body}
    total = 0.0
    for t in terms:
        if any(h.startswith(t) for h in head_s):
            total += 2.0
        elif any(b.startswith(t) for b in body_s):
            total += 1.0
        else:
            return 0.0
    return total


def search(items: Sequence[Question], query: str, limit: int | None = None) -> list[Question]:
    """Questions matching ``query``, best first (ties keep bank order)."""
    scored = [(search_score(q, query), i, q) for i, q in enumerate(items)]
    hits = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
    return [q for _, _, q in hits[:limit]]
