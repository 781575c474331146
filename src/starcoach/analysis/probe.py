"""A follow-up answer, judged on whether it answers the follow-up question (the probe).

"What was the outcome?" answered with "We shipped two days early and p99 fell to 240 ms" is a good
answer, though it has no situation or action: a follow-up answer is not a STAR story and is never
held to STAR. :func:`analyze_follow_up` reads what the probe asks for (an outcome, a measurement, a
person, a reason, a lesson, a method, alternatives, a time) and checks that the answer gives it, with
the sentence that does as evidence. The result is an :class:`Analysis` of question type ``follow-up``
with the usual seven dimensions, each meaning what it can for a two-sentence reply, ``missing``
always empty, and a score led by "does it answer the probe". Pure and deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from starcoach.analysis import content, signals
from starcoach.analysis.scoring import Scored, clamp
from starcoach.analysis.segment import split_sentences
from starcoach.analysis.types import Analysis, Flag, QuestionRef, Sentence

FOLLOW_UP_TYPE = "follow-up"
FULL_AT_WORDS = 25  # a follow-up answer of two or three sentences can say everything


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


# What the probe asks for, in order of precedence.
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("lesson", _rx(r"\b(?:differently|learn\w*|lesson|again|next time|change\w* (?:since|after)|"
                   r"happened again|regret)\b")),
    ("measure", _rx(r"\b(?:measur\w*|metric\w*|how (?:much|many|big|fast|long)|quantif\w*|numbers?|how did you know|"
                    r"how do you know|evidence|data)\b")),
    ("outcome", _rx(r"\b(?:outcome|result\w*|impact|what happened|how did it (?:end|go|turn out)|end up|effect)\b")),
    ("who", _rx(r"^\s*(?:who|whom)\b|\bwho (?:did|was|were|else)\b|\bwhich (?:person|people|team|stakeholder)")),
    ("alternatives", _rx(r"\b(?:alternatives?|other options?|what else|instead|consider\w*|trade-?offs?)\b")),
    ("reason", _rx(r"^\s*why\b|\bwhy (?:did|do|was|were|not)\b|\breason\b|\bwhat made you\b")),
    ("when", _rx(r"^\s*when\b|\bhow (?:soon|quickly)\b|\btimeline\b")),
    ("method", _rx(r"^\s*how\b|\bwhat did you (?:do|try|say)\b|\bwhat (?:steps|was your (?:part|role))\b|\bwalk me\b")),
)
_PERSON = _rx(
    r"\b(?:manager|lead|tech lead|pm|product manager|director|vp|cto|ceo|teammates?|colleagues?|coworkers?|"
    r"engineers?|designer|customer|client|stakeholders?|mentor|team|owner|on-call|sre|qa|analyst|"
    r"(?:my|our|the) [a-z]+ (?:team|lead|manager))\b"
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")
_REASON = _rx(r"\b(?:because|since|so that|the reason|in order to|to (?:avoid|keep|make|reduce|get|protect|"
              r"save|stop|prevent)|as (?:it|we|the)|otherwise|given that|due to)\b")
_OPTIONS = _rx(r"\b(?:option|alternative|instead|considered|compared|versus|vs\.?|either|rather than|"
               r"another (?:way|approach)|trade-?off|could have|looked at)\b")
_TIME = _rx(r"\b(?:\d+\s*(?:minutes?|hours?|days?|weeks?|months?)|same day|next (?:day|week|morning)|"
            r"within|before|after|by (?:monday|tuesday|wednesday|thursday|friday|the end)|immediately|"
            r"first thing|that (?:afternoon|evening|night|morning))\b")
_DODGE = _rx(r"^\W*(?:i don'?t (?:know|remember|recall)|not sure|no idea|nothing|n/?a|pass|skip)\W*$")

Finder = Callable[[Sequence[Sentence], str], tuple[int, int] | None]


def asks_for(probe: str) -> str:
    """What the follow-up question asks for (``general`` when no kind fits)."""
    return next((kind for kind, rx in _ASKS if rx.search(probe)), "general")


def _first(sents: Sequence[Sentence], ok: Callable[[str], bool]) -> tuple[int, int] | None:
    hit = next((s for s in sents if ok(s.text)), None)
    return (hit.start, hit.end) if hit is not None else None


def _lesson(sents: Sequence[Sentence], _p: str) -> tuple[int, int] | None:
    found = content.lessons(sents)
    if found.concrete:
        return found.first()
    return _first(sents, lambda t: bool(re.search(r"\bi(?:'d| would) (?!not\b)\w+", signals.plain(t), re.I))
                  and len(content.content_words(t)) >= 3)


def _content_overlap(sents: Sequence[Sentence], probe: str) -> tuple[int, int] | None:
    want = set(content.content_words(probe))
    return _first(sents, lambda t: len(content.content_words(t)) >= 3
                  and (not want or bool(want & set(content.content_words(t))) or len(t.split()) >= 8))


FINDERS: dict[str, Finder] = {
    "lesson": _lesson,
    "measure": lambda s, _p: _first(s, lambda t: bool(signals.NUMBER_RE.search(t))),
    "outcome": lambda s, _p: _first(s, content.substantive),
    "who": lambda s, _p: _first(s, lambda t: bool(_PERSON.search(t) or _NAME.search(t))),
    "alternatives": lambda s, _p: _first(s, lambda t: bool(_OPTIONS.search(t))),
    "reason": lambda s, _p: _first(s, lambda t: bool(_REASON.search(t))),
    "when": lambda s, _p: _first(s, lambda t: bool(_TIME.search(t))),
    "method": lambda s, _p: _first(s, lambda t: bool(content.ACTION_VERB.search(t)) and len(t.split()) >= 5),
    "general": _content_overlap,
}
_NEEDS = {
    "lesson": "a lesson and what you now do differently", "measure": "a number or how it was measured",
    "outcome": "what changed in the end", "who": "the person or role", "alternatives": "the options you weighed",
    "reason": "the reason", "when": "when it happened", "method": "what you did, step by step",
    "general": "a direct, concrete answer",
}


def analyze_follow_up(answer: str, probe: str, *, parent_question: str = "") -> Analysis:
    """Judge ``answer`` as a reply to the follow-up question ``probe`` (see module docstring)."""
    from starcoach.analysis.pipeline import validate

    text = validate(answer)
    spans = split_sentences(text)
    sents = tuple(Sentence(s.text, s.start, s.end, "other", 0.0) for s in spans)
    kind = asks_for(probe)
    dodged = bool(_DODGE.match(text))
    ev = None if dodged else FINDERS[kind](sents, probe)
    words = signals.word_count(text)
    dims = _dimensions(text, sents, kind, ev, words)
    score = _score(dims, words, ev is not None)
    found = {"filler": signals.fillers(text), "hedge": signals.hedges(text), "vague": signals.vague(text)}
    flags = [Flag(k, sp.text, sp.start, sp.end) for k, spans in found.items() for sp in spans]
    flags.sort(key=lambda fl: (fl.start, fl.end, fl.kind))
    return Analysis(
        question=QuestionRef(None, probe, FOLLOW_UP_TYPE),
        score=score, sentences=sents, missing=(),
        dimensions={k: d.dimension() for k, d in dims.items()},
        points=(), flags=tuple(flags), words=words, speaking_seconds=round(words / 150 * 60),
        suggestions=() if ev is not None else (f"Answer the question asked: give {_NEEDS[kind]}.",),
        follow_ups=(),
        signals={"follow_up": {"asks_for": kind, "answered": ev is not None,
                               "evidence": list(ev) if ev else None, "of": parent_question}},
    )


def _dimensions(text: str, sents: Sequence[Sentence], kind: str, ev: tuple[int, int] | None,
                words: int) -> dict[str, Scored]:
    answered = ev is not None
    named = len(signals.named_things(text, sents))
    nums = len(signals.numbers(text))
    vague = len(signals.vague(text))
    first = bool(sents) and ev is not None and ev[0] == sents[0].start
    i_n = len(signals.I_RE.findall(text))
    we_n = len(signals.WE_RE.findall(text))
    fillers = 100.0 * len(signals.fillers(text)) / max(1, words)
    need = _NEEDS[kind]
    return {
        "structure": Scored(0.9 if first else 0.6 if answered else 0.2,
                            "Leads with the answer." if first else
                            "The answer comes, but not first." if answered else f"Never gives {need}."),
        "relevance": Scored(1.0 if answered else 0.15,
                            f"Gives {need}, as asked." if answered
                            else f"The probe asked for {need}; it is not there."),
        "specificity": Scored(clamp(0.3 + 0.15 * min(3, named) + 0.15 * min(2, nums) - 0.15 * vague),
                              f"{named} named things and {nums} numbers; {vague} vague words."),
        "ownership": Scored(0.5 if i_n + we_n == 0 else clamp(0.2 + 0.8 * i_n / (i_n + we_n)),
                            f'Says "I" {i_n} times and "we" {we_n} times.'),
        "impact": Scored(0.9 if nums else 0.5, "Backed by a number." if nums else "No number; not always needed here."),
        "reflection": Scored(0.9 if kind == "lesson" and answered else 0.6,
                             "Names the lesson." if kind == "lesson" and answered else "Not what this probe asks."),
        "delivery": Scored(clamp(1.0 - fillers * 0.06 - (0.3 if words > 180 else 0.0)),
                           f"{words} words; {fillers:.1f} fillers per 100 words."),
    }


def _score(dims: dict[str, Scored], words: int, answered: bool) -> int:
    """Answering the probe is most of the score; detail and clean delivery make up the rest."""
    v = 0.55 * dims["relevance"].value + 0.15 * dims["structure"].value + 0.2 * dims["specificity"].value
    v += 0.1 * dims["delivery"].value
    score = 100.0 * v
    if words < FULL_AT_WORDS:
        score = min(score, 40.0 + 60.0 * words / FULL_AT_WORDS) if answered else min(score, 25.0)
    return round(max(0.0, min(100.0, score)))
