"""What the analyzer needs to know about the question an answer responds to.

Accepts a bank :class:`~starcoach.bank.model.Question`, free text, or nothing. Free text that matches
a bundled question (by id or by wording) borrows that question's talking points and follow-ups; text
close to a bundled question (nearly the same words) takes its stored type; otherwise the type and
competencies are guessed from the wording (starcoach.bank.classify). ``QuestionInfo.why`` says which,
in one line (the classifier's deciding cues for a guess).
Also holds the type-specific checks for self and closing questions. Pure; reads only package data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from starcoach.bank.builtin import builtin_bank
from starcoach.bank.classify import competencies, explain
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
    why: str = ""  # how the type was decided, in one line

    @property
    def expects_reflection(self) -> bool:
        if self.type in (QuestionType.SELF.value, QuestionType.CLOSING.value):
            return False
        low = self.text.lower()
        asked = bool(re.search(r"\b(fail|mistake|wrong|learn|regret|differently)", low))
        # a story about critical feedback owes a lesson; "How do you give and receive feedback?" a method
        asked = asked or (self.type == QuestionType.STORY.value and bool(re.search(r"\b(feedback|criticism)", low)))
        # A method question ("How do you help a junior grow?") asks for a lesson only in its words.
        by_topic = self.type == QuestionType.STORY.value and bool(REFLECTION_COMPETENCIES & set(self.competencies))
        return asked or by_topic

    @property
    def is_weakness(self) -> bool:
        return self.type == QuestionType.SELF.value and "weakness" in self.text.lower()

    @property
    def self_kind(self) -> str:
        """What a question about the candidate asks for: "intro" (tell me about yourself), "weakness",
        "strength", "future" (five years from now), "motivation" (why us, why this role) or "other"; "" for
        other question types."""
        if self.type != QuestionType.SELF.value:
            return ""
        low = self.text.lower()
        for kind, pattern in _SELF_KINDS:
            if pattern.search(low):
                return kind
        return "other"


_SELF_KINDS = (
    ("weakness", re.compile(r"\bweak(?:ness|nesses|est)\b|\bimprove (?:on|about yourself)")),
    ("strength", re.compile(r"\bstrength|\bstrongest\b|\bgood at\b")),
    ("future", re.compile(r"\bsee yourself\b|\b(?:five|5|ten|10) years\b|\bcareer (?:goals?|plans?)\b|"
                          r"\blong[- ]term goals?\b")),
    ("intro", re.compile(r"\byourself\b|\byour (?:background|story|resume|résumé|cv|journey)\b")),
    ("motivation", re.compile(r"\bwhy\b.*\b(?:us|here|this|join|apply|applied|company|role|position|job|"
                              r"team|work (?:at|for|with))\b|^\W*why [\w&.-]+\W*$|\binterest(?:s|ed)? you\b|"
                              r"\battract")),
)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@lru_cache(maxsize=1)
def _bank_index() -> dict[str, Question]:
    index: dict[str, Question] = {}
    for q in builtin_bank().questions:
        index.setdefault(str(q.id), q)
        index.setdefault(_norm(q.text), q)
    return index


NEAR_MATCH = 0.8  # word-set Jaccard at which free text counts as a rewording of a bundled question


_ARTICLES = frozenset({"a", "an", "the", "that", "this"})


def _word_set(text: str) -> frozenset[str]:
    return frozenset(_norm(text).split()) - _ARTICLES


@lru_cache(maxsize=1)
def _bank_words() -> tuple[tuple[frozenset[str], Question], ...]:
    return tuple((_word_set(q.text), q) for q in builtin_bank().questions)


@lru_cache(maxsize=1)
def _bank_sizes() -> dict[int, tuple[int, ...]]:
    """Positions in _bank_words() of the bundled questions with each word-set size."""
    sizes: dict[int, list[int]] = {}
    for at, (words, _) in enumerate(_bank_words()):
        sizes.setdefault(len(words), []).append(at)
    return {n: tuple(ats) for n, ats in sizes.items()}


def _near_sizes(words: frozenset[str]) -> list[tuple[frozenset[str], Question]]:
    """The bundled questions, in bank order, whose size lets them reach NEAR_MATCH at all: the Jaccard
    score is at most min(n, m) / max(n, m) (rounding keeps the order), so the rest cannot match."""
    n, bank = len(words), _bank_words()
    ats = [at for m, group in _bank_sizes().items()
           if max(n, m) and min(n, m) / max(n, m) >= NEAR_MATCH for at in group]
    return [bank[at] for at in sorted(ats)]


def near_bank_question(text: str) -> Question | None:
    """The bundled question ``text`` rewords (same words but a few), if any; ties go to bank order."""
    words = _word_set(text)
    best, best_score = None, NEAR_MATCH
    for bank_words, q in _near_sizes(words):
        score = len(words & bank_words) / max(1, len(words | bank_words))
        if score >= best_score and (best is None or score > best_score):
            best, best_score = q, score
    return best


def bank_questions() -> tuple[Question, ...]:
    """The bundled questions (used to ask "is this answer closer to another question?")."""
    return builtin_bank().questions


def from_question(q: Question, why: str = "") -> QuestionInfo:
    return QuestionInfo(
        id=str(q.id), text=q.text, type=q.type.value, competencies=q.competencies,
        points=q.points, follow_ups=q.follow_ups, why=why or f"bank question {q.id}: stored type",
    )


def resolve(question: Question | str | None) -> QuestionInfo:
    """Turn whatever the caller passed into a QuestionInfo."""
    if question is None:
        return QuestionInfo(id=None, text="", type=QuestionType.STORY.value, why="no question: read as a story")
    if isinstance(question, Question):
        return from_question(question)
    return _resolve_text(question)


@lru_cache(maxsize=512)  # a batch asks the same few questions again and again; QuestionInfo is frozen
def _resolve_text(question: str) -> QuestionInfo:
    text = question.strip()
    if not text:
        return QuestionInfo(id=None, text="", type=QuestionType.STORY.value, why="no question: read as a story")
    hit = _bank_index().get(text) or _bank_index().get(_norm(text))
    if hit is not None:
        return from_question(hit, f"matches bank question {hit.id}: stored type")
    comps = competencies(text.split("\n", 1)[0])
    near = near_bank_question(text)
    if near is not None:
        return QuestionInfo(id=None, text=text, type=near.type.value, competencies=comps,
                            why=f"close to bank question {near.id}: its stored type")
    guess = explain(text)
    if guess.type is QuestionType.KNOWLEDGE:  # no model answer to grade by: read as a method question
        return QuestionInfo(id=None, text=text, type=QuestionType.APPROACH.value, competencies=comps,
                            why=f"{guess.why}; no model answer, so judged as an approach question")
    return QuestionInfo(id=None, text=text, type=guess.type.value, competencies=comps, why=guess.why)


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
