"""What the analyzer needs to know about the question an answer responds to.

Accepts a bank :class:`~starcoach.bank.model.Question`, free text, or nothing. Free text that matches
a bundled question (by id or by wording) borrows that question's talking points and follow-ups;
otherwise its type and competencies are guessed from its wording (starcoach.bank.classify).
Also holds the type-specific checks for self and closing questions. Pure; reads only package data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from starcoach.bank.builtin import builtin_bank
from starcoach.bank.classify import classify
from starcoach.bank.model import Point, Question, QuestionType

REFLECTION_COMPETENCIES = frozenset({"failure", "feedback", "learning", "conflict", "disagree-manager"})


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """The question as the analyzer sees it."""

    id: str | None
    text: str
    type: str
    competencies: tuple[str, ...] = ()
    points: tuple[Point, ...] = ()
    follow_ups: tuple[str, ...] = ()

    @property
    def expects_reflection(self) -> bool:
        if self.type in (QuestionType.SELF.value, QuestionType.CLOSING.value):
            return False
        low = self.text.lower()
        asked = bool(re.search(r"\b(fail|mistake|wrong|feedback|criticism|learn|regret|differently)", low))
        # A method question ("How do you help a junior grow?") asks for a lesson only in its words.
        by_topic = self.type == QuestionType.STORY.value and bool(REFLECTION_COMPETENCIES & set(self.competencies))
        return asked or by_topic

    @property
    def is_weakness(self) -> bool:
        return self.type == QuestionType.SELF.value and "weakness" in self.text.lower()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@lru_cache(maxsize=1)
def _bank_index() -> dict[str, Question]:
    index: dict[str, Question] = {}
    for q in builtin_bank().questions:
        index.setdefault(str(q.id), q)
        index.setdefault(_norm(q.text), q)
    return index


def bank_questions() -> tuple[Question, ...]:
    """The bundled questions (used to ask "is this answer closer to another question?")."""
    return builtin_bank().questions


def from_question(q: Question) -> QuestionInfo:
    return QuestionInfo(
        id=str(q.id), text=q.text, type=q.type.value, competencies=q.competencies,
        points=q.points, follow_ups=q.follow_ups,
    )


def resolve(question: Question | str | None) -> QuestionInfo:
    """Turn whatever the caller passed into a QuestionInfo."""
    if question is None:
        return QuestionInfo(id=None, text="", type=QuestionType.STORY.value)
    if isinstance(question, Question):
        return from_question(question)
    text = question.strip()
    hit = _bank_index().get(text) or _bank_index().get(_norm(text))
    if hit is not None:
        return from_question(hit)
    guess = classify(text) if text else None
    return QuestionInfo(
        id=None, text=text,
        type=guess.type.value if guess else QuestionType.STORY.value,
        competencies=guess.competencies if guess else (),
    )


_CLICHE_WEAKNESS = re.compile(
    r"\b(perfectionis\w*|work too hard|care too much|too detail[- ]oriented|too dedicated|"
    r"workaholic|too passionate|i don'?t have (?:a|any) weakness)", re.I)
_REAL_WEAKNESS = re.compile(
    r"\b(weakness|struggle|struggled|not (?:great|good) at|hard for me|tend to|used to|"
    r"avoid|uncomfortable|nervous|slow to|too quiet|too long|delegat\w*|public speaking|"
    r"say(?:ing)? no|procrastinat\w*|overcommit\w*)", re.I)
_WORKING_ON = re.compile(
    r"\b(working on|i'?m learning|learning to|i now|now i|i started|i've started|to fix (?:this|that)|"
    r"to improve|i set|i use|i ask|i practice|practicing|i block|time-?box\w*|i schedule|coach|mentor|"
    r"course|feedback|check-?ins?)\b", re.I)
_COMP_QUESTION = re.compile(
    r"\b(salary|pay|compensation|bonus|vacation|pto|time off|benefits|perks|equity|stock options|"
    r"remote days|raise)\b", re.I)
_WORK_QUESTION = re.compile(
    r"\b(team|work|project|roadmap|challenge|success|onboarding|first (?:90|ninety) days|"
    r"stack|process|culture|growth|learn|measure|goal|priorit\w*|customers?|users?|manager|mentor\w*|"
    r"code review|on-?call|deploy\w*|decisions?)\b", re.I)


def weakness_check(answer: str) -> dict[str, bool]:
    """Does a weakness answer name a real weakness, avoid cliches, and say what is being done?"""
    return {
        "names_weakness": bool(_REAL_WEAKNESS.search(answer)),
        "cliche": bool(_CLICHE_WEAKNESS.search(answer)),
        "working_on_it": bool(_WORKING_ON.search(answer)),
    }


_ASKS = re.compile(
    r"\b(i'?d (?:like|love) to (?:know|ask|hear)|i'?m curious|could you (?:tell|walk)|"
    r"what (?:does|do|is|are)|how (?:does|do|is))", re.I)


def closing_check(answer: str) -> dict[str, bool]:
    """Does a closing answer ask about the team and the work (not only pay and perks)?"""
    asks = "?" in answer or bool(_ASKS.search(answer))
    return {
        "asks_questions": asks,
        "about_work": bool(_WORK_QUESTION.search(answer)),
        "only_compensation": bool(_COMP_QUESTION.search(answer)) and not _WORK_QUESTION.search(answer),
    }
