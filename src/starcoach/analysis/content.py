"""What an answer says, judged by content rather than by the presence of a phrase.

Three readings the dimensions and talking points share:

- **Lessons** (:func:`lessons`): a *stated lesson* has content ("I learned that estimates need the
  data team's queue first"), a *generic lesson* has none ("I learned a lot", "a great learning
  experience"), and a *changed behaviour* says what the speaker does differently since ("Since then I
  run every migration against a snapshot"). An answer that only says it learned a lot has reflected on
  nothing.
- **Outcomes** (:func:`substantive`): a result sentence counts as an outcome when it says what changed
  (a number, or a concrete outcome verb with an object), not when it only says "it worked out".
- **Vagueness** (:func:`vagueness`): the share of the answer spent on empty phrases, set against the
  concrete detail (numbers, names) it gives.

Everything is pattern-based over sentences, so each finding has a span to show. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from starcoach.analysis.signals import Cue
from starcoach.analysis.types import Sentence, Span

CONTENT_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_FUNCTION_WORDS = (
    "the and for with that this was were are have has had from into about what when then than they them "
    "their there our ours your you she her his him its it's i'm i've we're we've been being also just "
    "very really much many more most some any all lot lots thing things stuff great good bad big able "
    "would could should will can did does done made make get got how why who which where while because so"
)
_FUNCTION = frozenset(_FUNCTION_WORDS.split(" "))

_GENERIC_LESSON = Cue(
    r"\b(?:learn(?:ed|t) (?:a lot|so much|many things|a great deal|(?:a )?(?:valuable|important|big|good) "
    r"lessons?|from (?:it|this|that|the experience))|(?:a |it was a )?(?:great|good|valuable|huge) "
    r"learning (?:experience|opportunity)|(?:it|this|that) (?:was|is) a (?:good|great|valuable|big) lesson"
    r"|taught me a lot|grew a lot|made me (?:stronger|better)|(?:an? )?opportunity (?:to|for) (?:learn|grow)"
    r"(?:ing|th)?)\b"
)
_LESSON_LEAD = Cue(
    r"\b(?:i (?:learn(?:ed|t)|realized|realised|understood|saw|discovered) (?:that|to|how|why|the)|"
    r"(?:the |my |one |a |key |biggest )?(?:lesson|takeaway)s?(?: (?:was|is|i (?:took|learned)))?[:,]?|"
    r"(?:it|this|that|the experience) taught me|in hindsight|looking back|next time,? i|"
    r"i would (?:have|now)|i(?:'d| would) do (?:it )?differently|what i(?:'d| would) change|"
    r"if i (?:were to |had to |could )?(?:face|faced|do|did|handle|handled|redo) (?:it|this|that) again|"
    r"in the future,? i(?:'ll| will| would)|now,? i(?:'ll| will) (?:be|try|make|always|ask|check))\b"
)
_CHANGE_LEAD = Cue(
    r"\b(?:since then|ever since|from then on|from that (?:day|point|moment) on|these days|nowadays|"
    r"going forward|to this day|now i|i now|i(?:'ve| have) (?:since|started|begun|made it)|"
    r"(?:afterwards|after that|after the incident|from then),? (?:i|we) (?:always|now|started|added|set up|wrote|"
    r"built|introduced|created|made|put|changed|automated)|i changed (?:how|the way)|"
    r"i no longer|i(?:'ve| have) (?:kept|stuck with|continued))\b"
)
_ACTION_VERB = Cue(
    r"\b(?:add|added|adding|ask|asked|block|blocked|book|check|checked|estimate|estimating|write|wrote|"
    r"writing|run|ran|running|review|reviewed|reviewing|test|tested|testing|schedule|scheduled|set|"
    r"document|documented|share|shared|pair|paired|automate|automated|measure|measured|plan|planned|"
    r"keep|kept|use|used|using|send|sent|double-check|verify|verified|break|split|prototype|raise|"
    r"flag|flagged|talk|talked|call|called|meet|met|build|built|create|created|track|tracked|"
    r"delegate|delegated|practice|practise|practiced|present|presented|timebox|time-box|open|include|"
    r"start|started|do|make|made|require|required|insist|pause|stop|stopped|wait|involve|involved|"
    r"read|prepare|prepared|buffer|budget|alert|monitor|monitored|validate|validated|confirm)\b"
)
ACTION_VERB = _ACTION_VERB.ci  # a plain pattern for other modules (probe.py)
_OUTCOME_VERB = Cue(
    r"\b(?:reduc|cut|increas|improv|drop|fell|fall|grew|grow|doubl|halv|sav|ship|launch|releas|deliver|"
    r"fix|resolv|solv|clos|finish|complet|pass|won|win|adopt|promot|hire|hit|met|meet|beat|exceed|"
    r"recover|restor|prevent|avoid|eliminat|remov|stabili|migrat|went live|go live|on time|ahead of|"
    r"before the deadline|zero|no (?:more |further )?(?:incidents?|outages?|downtime|complaints|bugs|"
    r"errors|regressions)|signed|renewed|retain|kept|accept|approv|merg|us(?:e|ed|ing) (?:it|them)|"
    r"now (?:use|run|rely)|became|stopped|ended up|turned out|got (?:promoted|the offer|approved)|"
    r"resulted in|led to|appreciat|prais|award|well-received|positive feedback)"
)
_EMPTY_OUTCOME = Cue(
    r"^\W*(?:(?:and |so |but )?(?:in the end,? |eventually,? |finally,? |overall,? )?(?:it|things|everything|"
    r"all|this|that) (?:worked out|went (?:well|fine|ok(?:ay)?|great|smoothly)|was (?:fine|good|great|ok(?:ay)?"
    r"|a success|successful)|turned out (?:well|fine|ok(?:ay)?|great)|got (?:better|resolved|solved|done|"
    r"fixed))(?: in the end| eventually| fine| well| for everyone)?(?:,? and everyone was happy)?|everyone "
    r"was (?:happy|satisfied|pleased))\W*$"
)
_NUMBER = Cue(r"\d|\b(?:half|double|doubled|tripled|twice|zero|none|no longer)\b")
VAGUE_PHRASES = Cue(
    r"\b(?:stuff|things|something|some issues|some problems|various|etc|a lot|somehow|whatever|many things|"
    r"everything|handled (?:it|them)|dealt with (?:it|them)|worked on (?:it|them|things)|some stuff|"
    r"and so on|all that|a bunch|it worked out|went well|it was fine|did my best|some people|certain "
    r"things|kind of|sort of|and stuff|or something|a couple of things|lots of|a few things|"
    # self-descriptions anyone could claim: they tell an interviewer nothing until an example backs them
    r"passion(?:ate)?|hard-?working|team player|detail-oriented|fast learner|quick learner|self-motivated|"
    r"highly motivated|results-driven|go-getter|dynamic|innovative|dedicated|proactive attitude|"
    r"strong work ethic|think outside the box|people person|excellent communication skills)\b"
)


def content_words(text: str) -> list[str]:
    return [w for w in CONTENT_WORD.findall(text.lower()) if w not in _FUNCTION]


@dataclass(frozen=True, slots=True)
class Lessons:
    """Where the answer reflects, and whether the reflection has content."""

    generic: tuple[Span, ...]  # "I learned a lot": a lesson with nothing in it
    stated: tuple[Span, ...]  # a lesson with content
    changed: tuple[Span, ...]  # a behaviour the speaker changed since

    @property
    def any(self) -> bool:
        return bool(self.generic or self.stated or self.changed)

    @property
    def concrete(self) -> bool:
        return bool(self.stated or self.changed)

    def first(self) -> tuple[int, int] | None:
        spans = sorted([*self.changed, *self.stated, *self.generic], key=lambda s: s.start)
        return (spans[0].start, spans[0].end) if spans else None


def _sentence_span(s: Sentence) -> Span:
    return Span(s.text, s.start, s.end)


def _stated(s: Sentence) -> bool:
    m = _LESSON_LEAD.search(s.text)
    if m is None:
        return False
    rest = _GENERIC_LESSON.blank(s.text[m[1]:])
    return len(content_words(rest)) >= 3


# a habit, whatever the verb: "since then, always ensures ...", "I never merge without ..."
_HABIT = Cue(r"\b(?:always|never|make sure|makes sure|ensure|ensures|regularly|routinely|every time)\b")


def _changed(s: Sentence) -> bool:
    m = _CHANGE_LEAD.search(s.text)
    if m is None:
        return False
    rest = s.text[m[0]:]
    does = _ACTION_VERB.search(rest) is not None or _HABIT.search(rest) is not None
    return does and len(content_words(rest)) >= 3


def lessons(sentences: Sequence[Sentence]) -> Lessons:
    """Classify each sentence's reflection (see module docstring)."""
    generic: list[Span] = []
    stated: list[Span] = []
    changed: list[Span] = []
    for s in sentences:
        if _changed(s):
            changed.append(_sentence_span(s))
        elif _stated(s):
            stated.append(_sentence_span(s))
        elif _GENERIC_LESSON.search(s.text) is not None or _LESSON_LEAD.search(s.text) is not None:
            generic.append(_sentence_span(s))
    return Lessons(tuple(generic), tuple(stated), tuple(changed))


# One's own mistake, not a system's failure: "the nightly job kept failing" is an engineering story that
# asks for no lesson; "I missed an edge case", "it was my mistake" is a mistake story that does. One
# first-person admission is enough; the weaker words need a second cue.
_OWN_MISTAKE = Cue(
    r"\b(?:my (?:own )?(?:fault|mistake|error|bug|oversight)|i (?:failed|messed up|forgot|misread|overlooked|"
    r"underestimated|missed|dropped the ball|caused|made (?:a|an|the) (?:\w+ )?(?:mistake|error|bad call|wrong call))|"
    r"i broke (?:the |our )?(?:build|production|prod|site|release|deploy\w*)|i should have|owned up|"
    r"blame (?:myself|me)|i apologi(?:s|z)ed)\b")
_MISTAKE_WORDS = Cue(
    r"\b(?:mistakes?|setbacks?|went wrong|regret\w*|should have|apologi(?:s|z)\w*|fell short|lessons? learned)\b")


def admits_mistake(text: str) -> bool:
    """Does the speaker tell a slip of their own (one admission, or two weaker mistake words)?"""
    return _OWN_MISTAKE.search(text) is not None or _MISTAKE_WORDS.count(text) >= 2


def substantive(sentence: str) -> bool:
    """Does this (result) sentence say what changed, rather than only that things went well?"""
    if _EMPTY_OUTCOME.match(sentence):
        return False
    words = content_words(VAGUE_PHRASES.blank(sentence))
    if _NUMBER.search(sentence) is not None and len(words) >= 2:
        return True
    return _OUTCOME_VERB.search(sentence) is not None and len(words) >= 3


_CHANGE_VERB = Cue(
    r"\b(?:reduc\w*|cut|increas\w*|improv\w*|dropp?\w*|fell|grew|grown|doubl\w*|halv\w*|sav(?:ed|ing)|"
    r"went (?:from|down|up)|down (?:from|to)|up (?:from|to)|rose|raised|lowered|boost\w*|shrank|sped up)\b"
)


# "Finally, he took my advice.", "In the end, the team adopted SSR.": the closing word says this is how
# it ended, and someone other than the speaker does it (the speaker's own "In the end, I ..." is a step)
_CLOSING_OUTCOME = Cue(r"^\W*(?:finally|in the end|eventually|ultimately|as a result|consequently)\b,?\s+(?!i\b|i')")


def closing_outcome(sentence: str) -> bool:
    """Does the story's last sentence open with "finally" or "in the end" and tell what others did or
    what happened (not one more step of the speaker's)?"""
    return _CLOSING_OUTCOME.search(sentence) is not None and not _EMPTY_OUTCOME.match(sentence)


def measured_change(sentence: str) -> bool:
    """A sentence that states a quantified change ("p99 fell from 2 s to 240 ms", "cut costs by 40%")."""
    return bool(re.search(r"\d", sentence)) and _CHANGE_VERB.search(sentence) is not None


@dataclass(frozen=True, slots=True)
class Vagueness:
    """How much of the answer is empty phrasing, against the concrete detail it gives."""

    phrases: int
    per_100: float
    concrete: int  # numbers and named things

    @property
    def value(self) -> float:
        """0 (concrete) .. 1 (nothing but empty phrases)."""
        empty = min(1.0, self.per_100 / 6.0)
        return round(empty * (1.0 if self.concrete == 0 else 0.5 if self.concrete < 3 else 0.2), 4)


def vagueness(text: str, words: int, concrete: int) -> Vagueness:
    n = VAGUE_PHRASES.count(text)
    return Vagueness(n, round(100.0 * n / max(1, words), 3), concrete)
