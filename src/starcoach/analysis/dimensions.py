"""Compute the seven dimensions from the facts the pipeline gathered.

Each function maps :class:`Facts` to a :class:`~starcoach.analysis.scoring.Scored` value in [0, 1]
with a one-sentence reason. The anchors (what a 1, 3 and 5 look like) are written in scoring.py and
docs/scoring.md. Question-aware: story questions are judged on STAR; approach questions on their
talking points; self and closing questions on their own checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from starcoach.analysis.content import Lessons, Vagueness
from starcoach.analysis.quality import Quality
from starcoach.analysis.relevance import Relevance
from starcoach.analysis.scoring import Scored, clamp, length_penalty
from starcoach.analysis.signals import Ownership
from starcoach.analysis.types import PointCoverage, Sentence


@dataclass(frozen=True)
class Facts:
    """Everything the scorer needs, gathered once by the pipeline."""

    qtype: str
    expects_reflection: bool
    sentences: tuple[Sentence, ...]
    words: int
    seconds: float
    share: dict[str, float]  # share of words per STAR part
    numbers: int
    numbers_in_result: int
    ownership: Ownership
    fillers: int
    hedges: int
    blame: int
    reflections: int
    named: int
    vague: int
    relevance: Relevance
    points: tuple[PointCoverage, ...]
    quality: Quality
    checks: dict[str, bool] = field(default_factory=dict)
    narrative: bool = True  # the answer tells a past story (so STAR outcomes apply whatever the question)
    lessons: Lessons = field(default_factory=lambda: Lessons((), (), ()))
    vagueness: Vagueness = field(default_factory=lambda: Vagueness(0, 0.0, 0))
    outcome: bool = True  # a result sentence says what changed (not only "it worked out")
    humble_brag: bool = False  # a weakness or failure that is a strength in disguise
    # the story shows its result without a sentence labeled so: it closes on a measured change, or
    # (after a mistake) on what the speaker does differently since
    result_shown: bool = False
    result_evidence: float = 1.0  # the presence detector's 0..1 (0.5: the threshold for "missing")
    self_kind: str = ""  # for a question about the candidate: intro, weakness, strength, future, motivation, other

    def has(self, part: str) -> bool:
        return any(s.star == part for s in self.sentences)

    def per100(self, count: int) -> float:
        return 100.0 * count / max(1, self.words)

    @property
    def has_example(self) -> bool:
        """Something that happened, told with at least one concrete detail (number, named thing or a
        stated outcome)."""
        return (self.has("action") or self.has("result")) and (self.numbers + self.named > 0 or self.outcome)

    @property
    def point_share(self) -> float | None:
        return sum(p.covered for p in self.points) / len(self.points) if self.points else None


def structure(f: Facts) -> Scored:
    if f.qtype == "approach":
        return _structure_approach(f)
    if f.qtype == "self":
        return _structure_self(f)
    if f.qtype == "closing":
        return _structure_closing(f)
    return _structure_story(f)


def _structure_story(f: Facts) -> Scored:
    parts = {p: f.has(p) for p in ("situation", "task", "action", "result")}
    parts["result"] = parts["result"] or f.result_shown
    v = 0.25 * parts["situation"] + 0.1 * (parts["task"] or parts["situation"])
    v += 0.35 * parts["action"] + 0.3 * parts["result"]
    setup = f.share.get("situation", 0.0) + f.share.get("task", 0.0)
    v -= max(0.0, setup - 0.45) * 1.2
    missing = [p for p in ("situation", "action", "result") if not parts[p]]
    if not f.narrative:
        # A story question asks for one specific time; "I usually..." in the present tense is a method.
        return Scored(clamp(min(v, 0.45)), "This asks for one specific time; the answer describes how you "
                      "usually work. Tell one real episode, in the past tense.")
    if missing:
        why = f"No clear {' or '.join(missing)}: a story needs situation, action and result."
    elif setup > 0.45:
        why = f"All STAR parts are there, but the setup takes {setup:.0%} of the answer."
    else:
        why = f"Situation, action and result are all there; the setup takes {setup:.0%} of the answer."
    return Scored(clamp(v), why)


def _structure_approach(f: Facts) -> Scored:
    example = f.has("action") and f.has("result")
    ps = f.point_share
    if ps is None:
        v = 0.35 + 0.35 * f.has("action") + 0.3 * example
        why = "A method question: say how you work, then back it with one short example."
    else:
        v = 0.25 + 0.55 * ps + 0.2 * example
        why = f"Covers {sum(p.covered for p in f.points)} of {len(f.points)} talking points" + (
            ", with a concrete example." if example else "; no concrete example backs the method."
        )
    return Scored(clamp(v), why)


def _structure_self(f: Facts) -> Scored:
    c = f.checks
    if "names_weakness" in c:
        real = c["names_weakness"] and not f.humble_brag
        v = 0.15 + 0.3 * real + 0.35 * c["working_on_it"] - 0.25 * c["cliche"]
        v += 0.2 * (f.has("action") or f.has("result"))
        if c["cliche"]:
            why = "The weakness sounds like a disguised strength; name a real one."
        elif not c["working_on_it"]:
            why = "Names a weakness but not what you are doing about it."
        else:
            why = "Names a real weakness and what you are doing about it."
        return Scored(clamp(v), why)
    ps = f.point_share if f.point_share is not None else 0.5
    example = f.has_example
    v = 0.3 + 0.4 * ps + 0.3 * example
    why = "Backed by a concrete example." if example else "Claims without a concrete example to back them."
    return Scored(clamp(v), why)


WEAKNESS_NAMED_RELEVANCE = 0.65  # relevance 4 of 5


def _structure_closing(f: Facts) -> Scored:
    c = f.checks
    v = 0.2 + 0.35 * c.get("asks_questions", False) + 0.35 * c.get("about_work", False)
    v -= 0.3 * c.get("only_compensation", False)
    if c.get("only_compensation"):
        why = "Only asks about pay and perks; ask about the team and the work too."
    elif not c.get("asks_questions"):
        why = "No actual question for the interviewer."
    else:
        why = "Asks real questions about the team and the work."
    return Scored(clamp(v), why)


def relevance(f: Facts) -> Scored:
    r = f.relevance
    v = r.value
    if f.checks.get("names_weakness") and not f.checks.get("cliche"):
        v = max(v, WEAKNESS_NAMED_RELEVANCE)  # a named real weakness answers its question, in any words
    if f.point_share is not None:
        w = 0.25 if f.qtype == "story" else 0.5  # method and self answers are about their points
        v = (1 - w) * v + w * min(f.point_share, v + 0.2)  # points drag an answer down more than up
    if r.nearest_other and r.rank_share >= 0.5:
        why = f'Reads closer to another question ("{r.nearest_other}") than to this one.'
    elif v >= 0.625:  # scores 4-5
        why = "Stays on the question that was asked."
    elif v >= 0.375:  # score 3
        tie = "say outright how the story answers it" if f.qtype == "story" else "tie what you say to it outright"
        why = f"On the question, but {tie} (echo the question's words)."
    else:
        why = "Only loosely tied to the question; say how the story answers it."
    return Scored(clamp(v), why)


def specificity(f: Facts) -> Scored:
    vague = f.per100(f.vague)
    # every number adds a little, less the more there are (no cliff where extra detail stops counting)
    v = 0.25 + min(0.4, f.per100(f.named) * 0.06) + 0.2 * (1 - math.exp(-f.per100(f.numbers)))
    v += 0.15 * (1 - 0.3 ** f.numbers) - min(0.4, vague * 0.12) - 0.3 * f.vagueness.value
    why = (f"{_count(f.named, 'named system or concrete noun', 'named systems or concrete nouns')} and "
           f"{_count(f.numbers, 'number')}; {_count(f.vague, 'vague word')}.")
    return Scored(clamp(v), why)


def _count(n: int, one: str, many: str | None = None) -> str:
    """'1 number', '3 numbers'."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def ownership(f: Facts) -> Scored:
    o = f.ownership
    if f.qtype in ("self", "closing") or (f.qtype == "approach" and not f.narrative):
        return _ownership_outside_story(f)
    if o.i_count + o.we_count == 0:
        v, why = 0.5, "The actions never say who did them."
    else:
        v = 0.1 + 0.9 * o.i_share
        why = f'Actions say "I" {o.i_count} times and "we" {o.we_count} times.'
    if f.blame:
        v -= 0.25 * min(2, f.blame)
        why += " It also blames others."
    return Scored(clamp(v), why)


def _ownership_outside_story(f: Facts) -> Scored:
    """No story, so no "who did what"; still, an answer about yourself that says "we" where it means
    "I" hides the speaker a little."""
    o = f.ownership
    v = 0.6 if o.i_count + o.we_count == 0 else 0.45 + 0.2 * o.i_share
    why = "Who did what matters in stories; this answer tells none."
    if o.we_count > o.i_count:
        why = 'It says "we" more often than "I": say what you yourself do and want.'
    if f.blame:
        v, why = v - 0.25, why + " It blames others."
    return Scored(clamp(v), why)


def impact(f: Facts) -> Scored:
    has_r = (f.has("result") and f.outcome) or f.result_shown  # a closing change; after a mistake, the change since
    if f.qtype in ("self", "closing") or (f.qtype != "story" and not f.narrative):
        v = 0.5 + 0.25 * has_r + 0.25 * (f.numbers > 0)
        return Scored(clamp(v), "Outcomes matter less here; a result or a number still helps.")
    n_r = f.numbers_in_result
    v = 0.3 * has_r + 0.55 * (1 - 0.55 ** n_r) + 0.1 * (1 - 0.5 ** (f.numbers - n_r))
    v += 0.1 * (has_r and f.share.get("result", 0.0) >= 0.1)
    if f.has("result") and not f.outcome:
        v += 0.1
        ending = next(s.text for s in f.sentences if s.star == "result")
        why = f"The result ({_quoted(ending)}) does not say what changed: name the change, ideally with a number."
    elif not has_r:
        why = "No outcome: the answer never says what happened in the end."
    elif f.numbers_in_result:
        why = "The result is measured with a number."
    else:
        why = "There is a result, but it is not measured."
    return Scored(clamp(v), why)


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 3].rstrip()}..."'


def reflection(f: Facts) -> Scored:
    """Judged by content: a lesson that says something, and a behaviour changed since. "I learned a
    lot" alone says neither."""
    les = f.lessons
    stated, changed, generic = bool(les.stated), bool(les.changed), bool(les.generic)
    if f.expects_reflection:
        v = 0.1 + 0.35 * stated + 0.6 * changed + 0.15 * (generic and not les.concrete)
    else:
        v = 0.6 + 0.2 * stated + 0.4 * changed
    return Scored(clamp(v), _reflection_why(f.expects_reflection, stated, changed, generic))


def _reflection_why(expected: bool, stated: bool, changed: bool, generic: bool) -> str:
    if changed and stated:
        return "States the lesson and what you now do differently."
    if changed:
        return "Shows what you now do differently; name the lesson behind it in one sentence."
    if stated:
        return "States a lesson, but not what you do differently since."
    if generic:
        return ('"Learned a lot" says nothing: name the lesson and the habit you changed.' if expected
                else "Mentions learning without saying what; not essential for this question.")
    return ("This question expects a lesson learned; there is none." if expected
            else "No lesson mentioned (not essential for this question).")


def delivery(f: Facts) -> Scored:
    fr, hr = f.per100(f.fillers), f.per100(f.hedges)
    v = 1.0 - min(0.6, fr * 0.06) - min(0.3, hr * 0.06) - length_penalty(f.seconds)
    why = (f"About {f.seconds:.0f} s aloud (target 60-120 s); {fr:.1f} fillers and {hr:.1f} hedges "
           "per 100 words.")
    return Scored(clamp(v), why)


def all_dimensions(f: Facts) -> dict[str, Scored]:
    return {
        "structure": structure(f),
        "relevance": relevance(f),
        "specificity": specificity(f),
        "ownership": ownership(f),
        "impact": impact(f),
        "reflection": reflection(f),
        "delivery": delivery(f),
    }
