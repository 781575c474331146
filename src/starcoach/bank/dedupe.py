"""Recognise imported questions that the bank already holds, so an import links instead of copying.

Two questions are the same when their wording reduces to the same key: lower case, without
parentheticals ("(Leadership)"), punctuation and function words ("a", "you", "or", "tell me
about"). So "What is your greatest strength/weakness?" is the bundled "What is your greatest
strength or weakness?", while "Tell me about a time you failed a launch" stays a question of its
own. A dict lookup per question keeps this linear in the size of the import.

A linked question keeps its place (and points) in its imported bank but takes the id of the question
it duplicates; the bank service lists each id once. Pure functions; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from starcoach.bank.model import Bank, Question
from starcoach.ids import QuestionId

_PAREN = re.compile(r"\([^()]{0,80}\)")
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = """
a an the of to and or but you your yours i me my we our about time times when did do does how what
tell describe give example with for in on at by is are was were be been that this it have had has
who whom which can could would please
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Link:
    """An imported question recognised as ``target``, a question already in the bank."""

    imported_id: str
    number: int | None
    target: str


def question_key(text: str) -> tuple[str, ...]:
    """The content words of a question's first line, in order: equal keys mean the same question."""
    head = text.split("\n", 1)[0].lower()
    return tuple(w for w in _WORD.findall(_PAREN.sub(" ", head)) if w not in _STOP)


def index(questions: Iterable[Question]) -> dict[tuple[str, ...], str]:
    """Key -> id of the first question with that key (an empty key matches nothing)."""
    out: dict[tuple[str, ...], str] = {}
    for q in questions:
        key = question_key(q.text)
        if key:
            out.setdefault(key, q.id)
    return out


def link_known(bank: Bank, known: dict[tuple[str, ...], str]) -> tuple[Bank, tuple[Link, ...]]:
    """``bank`` with each question the bank already holds re-identified as that question."""
    links: list[Link] = []
    questions: list[Question] = []
    used: set[str] = set()
    for q in bank.questions:
        target = known.get(question_key(q.text))
        if target is None or target in used:
            questions.append(q)
            continue
        used.add(target)
        links.append(Link(q.id, q.number, target))
        questions.append(replace(q, id=QuestionId(target)))
    if not links:
        return bank, ()
    return replace(bank, questions=tuple(questions)), tuple(links)
