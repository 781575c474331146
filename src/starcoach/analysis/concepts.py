"""Talking points judged by what the answer does, not by the words it shares with the point.

Many of the bank's 700-odd talking points ask for one of a few things an interviewer listens for:
owning a mistake, an outcome, a lasting change, a real failure, the present/past/future of a
"tell me about yourself", a concrete example, a way of communicating, a decision between options.
:func:`concept_of` reads the point's label and text and names that concept; :func:`evidence` finds
the sentence that does it, in the speaker's own words ("That was my mistake, not the team's" owns
a mistake without sharing a word with "Ownership: state plainly what your part in it was"). A bare
outcome ("it worked out") or a disguised strength ("I'm a perfectionist") is not evidence.
Points no concept fits are left to the similarity check in relevance.py. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from starcoach.analysis.content import Lessons, substantive
from starcoach.analysis.signals import plain
from starcoach.analysis.types import Sentence
from starcoach.rx import compile as rx_compile


def _rx(pattern: str) -> re.Pattern[str]:
    return rx_compile(pattern, re.I)


# Which concept a point asks for, from its label first, then its text.
_LABEL_CONCEPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("real-failure", _rx(r"^(?:real|actual|genuine) (?:failure|mistake|weakness)|^the (?:failure|mistake)$")),
    ("ownership", _rx(r"^(?:ownership|accountability|own (?:it|the mistake)|your part|responsibility)$")),
    ("change", _rx(r"lasting change|prevention|lessons?\b|learning|growth|takeaway|what changed|"
                   r"^change$|self-awareness|reflection|what you learned|habit|improvement plan")),
    ("outcome", _rx(r"^(?:outcome|result|results|impact|measurable result|measured result|the result|"
                    r"effect|payoff|aftermath|resolution|what happened next)$")),
    ("present", _rx(r"^(?:present|now|current role|today|where you are)$")),
    ("past", _rx(r"^(?:past|past highlights|background|journey|how you got here|experience|path)$")),
    ("future", _rx(r"^(?:future|next|what'?s next|why this role|link to this role|fit|direction|goals?)$")),
    ("example", _rx(r"^(?:example|evidence|an example|proof|a real example|story)$")),
    ("brevity", _rx(r"^(?:brevity|concise(?:ness)?|keep it short|length|timing)$")),
    ("communicate", _rx(r"communicat|keep (?:\w+ )?informed|updates?$|transparen|escalat|close the loop")),
    ("feedback", _rx(r"feedback|code review|critique")),
    ("prioritize", _rx(r"priorit|triage|what (?:comes )?first")),
    ("delegate", _rx(r"delegat|hand(?:ing)? off|share the load")),
    ("measure", _rx(r"measur|metrics?|track(?:ing)?$|kpi")),
    ("listen", _rx(r"listen|understand(?:ing)? (?:them|goals|the other|their)|perspective|empathy")),
)
_TEXT_CONCEPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ownership", _rx(r"\b(?:your part|own(?:ing)? the mistake|without (?:spreading the )?blam|take "
                      r"responsibility|accountab)")),
    ("real-failure", _rx(r"\bactual consequences\b|\bnot a disguised (?:success|strength)\b|\ba real "
                         r"(?:weakness|failure|mistake)\b")),
    ("change", _rx(r"\b(?:what you (?:changed|do differently|learned)|changed afterwards|outlived|"
                   r"since then|a new (?:habit|test|check|alert|step))\b")),
    ("outcome", _rx(r"\b(?:the (?:outcome|result|impact)|measurable|what happened in the end|how it ended)\b")),
    ("example", _rx(r"\b(?:give|back (?:it|this|the method) with|share) (?:a|one|an) (?:short |concrete |real )?"
                    r"(?:example|story)\b")),
)

_OWN = _rx(
    r"\b(?:(?:that|it|this) was (?:my|on me)|my (?:mistake|fault|error|bad|call|responsibility|oversight|"
    r"decision)|i (?:was|am|felt) (?:responsible|accountable)|i owned|i own(?:ed)? (?:it|the|that|my)|"
    r"i take (?:full )?responsibility|i took (?:full )?(?:responsibility|ownership|the blame)|i should have|"
    r"i (?:had )?(?:made|caused) (?:a|the|an|that) (?:mistake|error|wrong|bad|problem)|i messed up|"
    r"i (?:broke|caused|missed|forgot|skipped|underestimated|overlooked|misjudged|misread|ignored|"
    r"overpromised|over-promised|promised|assumed|rushed|shipped|pushed|deployed|approved|merged)\b)"
)
_CONSEQUENCE = _rx(
    r"\b(?:missed|broke|broken|outage|down(?:time)?|lost|late|delay(?:ed)?|failed|crash(?:ed)?|"
    r"could(?: not|n't)|wrong|bug|incident|rolled? back|revert(?:ed)?|complain(?:ed|ts)?|escalat|"
    r"cost|penalt|angry|upset|slipped|blocked|corrupt|leak|regress|data loss|customers? (?:saw|lost|hit))"
)
_WEAKNESS = _rx(
    r"\b(?:my (?:biggest |greatest |main |real )?weakness|i struggle\w*|struggled|not (?:great|good|strong) at|"
    r"hard for me|i tend to|i used to|i avoid\w*|uncomfortable|nervous|slow to|hesitat\w*|too quiet|"
    r"procrastinat\w*|overcommit\w*|i find it (?:hard|difficult))"
)
_HUMBLE_BRAG = _rx(
    r"\b(?:perfectionis\w*|work(?:ed)? too hard|care too much|cared too much|too detail[- ]oriented|"
    r"too dedicated|workaholic|too passionate|too committed|i don'?t have (?:a|any) weakness)"
)
_PRESENT = _rx(
    r"\b(?:i'?m (?:a|an|the|currently|now|working)|i am (?:a|an|the|currently|now|working)|currently|"
    r"right now|at the moment|these days|today i|i work (?:as|at|on|in)|my (?:current )?role|"
    r"my (?:current )?(?:company|job|team|employer) (?:is|focuses|works|builds)|i'?m (?:in charge|responsible)|"
    r"i am (?:in charge|responsible)|landed (?:a|an|my) (?:\w+ ){0,2}(?:role|job|position)|"
    r"(?:final|first|second|third|fourth|last)[- ]year student|i'?m (?:studying|pursuing)|i am (?:studying|pursuing))\b"
)
_PAST = _rx(
    r"\b(?:before that|previously|prior to|earlier in my career|i (?:started|studied|graduated|spent|"
    r"worked|joined|began|moved|switched|grew up|interned|completed|did my)|"
    r"i(?:'ve| have) (?:worked|built|led|shipped|spent|been|deployed|developed)|my background|\bin (?:19|20)\d\d\b|"
    r"(?:for|over) the (?:last|past) (?:\w+ )?(?:years?|months?)|years? (?:at|of|in))\b"
)
_FUTURE = _rx(
    r"\b(?:next,? i|i(?:'d| would) (?:like|love)|i want|i'?m looking|looking for|looking to|i hope|"
    r"hoping to|excited (?:about|to|by)|this role|this team|this position|your team|your company|"
    r"that'?s why|which is why|(?:my|the) goal|i(?:'m| am) eager|i aim|in (?:five|5|the next) years?|"
    r"interested (?:to|in) (?:work|join)\w*)\b"
)
_PAST_VERB = _rx(r"\b\w{3,}ed\b|\b(?:did|made|took|led|ran|wrote|built|found|saw|went|told|gave|got|sent|"
                 r"chose|began|met|spoke|knew|thought|brought|caught|kept|left|lost|paid|rode|sold|won)\b")

Evidence = Callable[[Sequence[Sentence], Lessons], tuple[int, int] | None]


def concept_of(label: str, text: str) -> str | None:
    """The concept a talking point asks for, or None when no concept fits it."""
    low = label.strip().lower()
    for name, rx in _LABEL_CONCEPTS:
        if rx.search(low):
            return name
    for name, rx in _TEXT_CONCEPTS:
        if rx.search(plain(text)):
            return name
    return None


def _first(sents: Sequence[Sentence], ok: Callable[[Sentence], bool]) -> tuple[int, int] | None:
    hit = next((s for s in sents if ok(s)), None)
    return (hit.start, hit.end) if hit is not None else None


def _ownership(sents: Sequence[Sentence], _l: Lessons) -> tuple[int, int] | None:
    return _first(sents, lambda s: bool(_OWN.search(plain(s.text))) and not _HUMBLE_BRAG.search(plain(s.text)))


def _real_failure(sents: Sequence[Sentence], _l: Lessons) -> tuple[int, int] | None:
    if any(_HUMBLE_BRAG.search(plain(s.text)) for s in sents):
        return None
    return _first(sents, lambda s: bool(_CONSEQUENCE.search(plain(s.text)) or _WEAKNESS.search(plain(s.text))))


def _change(sents: Sequence[Sentence], lessons: Lessons) -> tuple[int, int] | None:
    spans = [*lessons.changed, *lessons.stated]
    return (spans[0].start, spans[0].end) if spans else None


def _outcome(sents: Sequence[Sentence], _l: Lessons) -> tuple[int, int] | None:
    return _first(sents, lambda s: s.star == "result" and substantive(s.text))


def _example(sents: Sequence[Sentence], _l: Lessons) -> tuple[int, int] | None:
    past = [s for s in sents if _PAST_VERB.search(plain(s.text)) and s.star in ("situation", "action", "result")]
    return (past[0].start, past[-1].end) if len(past) >= 2 else None


_FIRST_PERSON = _rx(r"\b(?:i|i'm|i've|i'd|i'll|me|my|we|we're|we've|our|us)\b")


BRIEF_WORDS = (40, 330)  # about 15 s to just over two minutes aloud


def _brevity(sents: Sequence[Sentence], _l: Lessons) -> tuple[int, int] | None:
    n = sum(len(s.text.split()) for s in sents)
    return (sents[0].start, sents[-1].end) if sents and BRIEF_WORDS[0] <= n <= BRIEF_WORDS[1] else None


def _pattern(rx: re.Pattern[str]) -> Evidence:
    """Evidence is a sentence where the speaker (I/we) does the thing: "Prioritization is key" is a
    slogan, not a method."""
    def does(s: Sentence) -> bool:
        said = plain(s.text)
        return bool(rx.search(said) and _FIRST_PERSON.search(said))

    return lambda sents, _l: _first(sents, does)


_COMMUNICATE = _rx(
    r"\b(?:told|tell|inform\w*|updat\w*|flag\w*|escalat\w*|explain\w*|call(?:ed)?|e-?mail\w*|messag\w*|"
    r"wrote|write|post(?:ed)?|shar(?:e|ed|ing)|met with|meet with|sync\w*|status|rais(?:e|ed)|let (?:\w+ )?know|"
    r"heads-up|warn\w*|walk(?:ed)? (?:\w+ )?through|present\w*)\b"
)
_FEEDBACK = _rx(r"\b(?:feedback|review\w*|pull requests?|code reviews?|explain\w*|1:1s?|one-on-ones?|critiqu\w*|"
                r"suggest\w*|comment\w*|pointed out|praise\w*)\b")
_PRIORITIZE = _rx(r"\b(?:priorit\w*|first|most important|urgent\w*|must-haves?|cut scope|scope|defer\w*|"
                  r"impact|riskiest|triage\w*|order|deadline|matters most|nice-to-haves?)\b")
_DELEGATE = _rx(r"\b(?:delegat\w*|hand(?:ed)? (?:off|over)|assign\w*|ask(?:ed)? (?:\w+ )?(?:to help|for help|to take)|"
                r"split the work|pair(?:ed)? (?:with|up)|took over|handed)\b")
_MEASURE = _rx(r"\d|\b(?:measur\w*|metrics?|track\w*|dashboards?|kpis?|surveys?|numbers|data)\b")
_LISTEN = _rx(r"\b(?:listen\w*|asked|ask (?:them|him|her|what|why|how)|understand\w*|perspective|their side|"
              r"why (?:they|he|she)|one-on-one|1:1|hear\w*|concerns?|goals?|want(?:ed)? to)\b")

EVIDENCE: dict[str, Evidence] = {
    "ownership": _ownership,
    "real-failure": _real_failure,
    "change": _change,
    "outcome": _outcome,
    "example": _example,
    "present": _pattern(_PRESENT),
    "past": _pattern(_PAST),
    "future": _pattern(_FUTURE),
    "brevity": _brevity,
    "communicate": _pattern(_COMMUNICATE),
    "feedback": _pattern(_FEEDBACK),
    "prioritize": _pattern(_PRIORITIZE),
    "delegate": _pattern(_DELEGATE),
    "measure": _pattern(_MEASURE),
    "listen": _pattern(_LISTEN),
}


def evidence(concept: str, sentences: Sequence[Sentence], lessons: Lessons) -> tuple[int, int] | None:
    """The span of the answer that does what the concept asks, or None."""
    return EVIDENCE[concept](sentences, lessons)


def humble_brag(text: str) -> bool:
    """A weakness or failure that is a strength in disguise ("I'm a perfectionist")."""
    return bool(_HUMBLE_BRAG.search(plain(text)))
