"""Seven scored dimensions (1-5, each with a one-sentence `why`) and an overall 0-100.

Each dimension is first a continuous value in [0, 1]; the 1-5 score is ``1 + round(4 * value)`` and
the overall score is a weighted mean of the continuous values (so two answers that differ a little
still get different overall scores), minus penalties for blame, capped by the quality gates.
The anchors below are the written definition of each scale (docs/scoring.md repeats them):

structure    1: one blob with no recognisable situation, action or result.
             3: the main parts are there but one is thin or missing, or the setup swallows the answer.
             5: situation, action and result all present, in order, most words spent on action/result.
             (approach questions: the question's talking points; self/closing: their own checks.)
relevance    1: about another question, or no question asked of the answer at all.
             3: loosely related; the link to the question has to be guessed.
             5: plainly answers this question and touches its talking points.
specificity  1: vague words ("stuff", "things"), no names, numbers or systems.
             3: some concrete detail, still a few generic stretches.
             5: named systems, tools, people's roles and numbers throughout.
ownership    1: actions are all "we" (or blame others); the speaker's own part is invisible.
             3: a mix of "I" and "we" in the actions.
             5: the actions say clearly what "I" did, while crediting the team where due.
impact       1: no outcome at all.
             3: an outcome, but not measured ("it went well").
             5: a measured outcome (numbers, %, money, time) tied to the actions.
reflection   1: a failure or feedback question with nothing learned.
             3: a lesson mentioned in passing.
             5: a clear lesson and what changed afterwards (for questions that do not ask for one,
             its absence costs little).
delivery     1: heavy fillers/hedges, or far too short or long to say aloud (target 60-120 s).
             3: some fillers or hedges, or somewhat outside the target length.
             5: clean wording and 60-120 seconds at ~150 words per minute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from starcoach.analysis.types import Dimension

PRIOR_WEIGHTS: dict[str, float] = {
    "structure": 0.22,
    "relevance": 0.15,
    "specificity": 0.13,
    "ownership": 0.10,
    "impact": 0.18,
    "reflection": 0.07,
    "delivery": 0.15,
}


def _load_weights() -> dict[str, float]:
    """The weights calibrated on interviewers' ratings (training/calibrate_score.py), or the written
    prior when the file is missing or does not name every dimension."""
    try:
        raw = json.loads(resources.files("starcoach.analysis").joinpath("weights/score_weights.json")
                         .read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return dict(PRIOR_WEIGHTS)
    if not isinstance(raw, dict) or set(raw) != set(PRIOR_WEIGHTS):
        return dict(PRIOR_WEIGHTS)
    return {k: float(raw[k]) for k in PRIOR_WEIGHTS}


WEIGHTS: dict[str, float] = _load_weights()
GATE_CAPS: dict[str, int] = {
    "gibberish": 8,
    "keyword-stuffing": 8,
    "copied-question": 6,
}
BLAME_PENALTY = 8.0
FILLER_PENALTY = 0.4  # points per filler per 100 words, on top of the delivery dimension
FILLER_PENALTY_MAX = 12.0
OFF_TOPIC_PENALTY = 30.0
VAGUE_PENALTY = 25.0
RESULT_PENALTY = 12.0  # a story whose ending reads more like an action than an outcome
RESULT_SURE_AT = 0.9  # result evidence from which an ending costs nothing (0.5: called missing)
RELEVANCE_CAP_BELOW = 0.375  # relevance 1-2 of 5: however good the story, it answers something else
RELEVANCE_CAP_BASE = 10.0
# Relevance also counts after the caps: under the brevity cap the weighted mean is squashed to a tenth, so an
# answer moved to a question it does not fit kept its score. Measured with the question prior in relevance.py
# (public LORO moved ranked lower / ratings LORO Spearman, word count 0.657): 0 points 0.816 / 0.676,
# 5 points 0.831 / 0.674, 10 points 0.855 / 0.666. 5 keeps the ratings margin over word count.
RELEVANCE_PENALTY = 5.0  # points per unit of relevance below RELEVANCE_FULL_AT (at most 4.5)
RELEVANCE_FULL_AT = 0.9  # relevance 5 of 5 costs nothing


@dataclass(frozen=True, slots=True)
class Penalties:
    """What is subtracted from the weighted mean, and what caps it."""

    content_words: int  # words without fillers
    full_at: int  # words from which brevity no longer caps the score
    blame: int
    fillers_per_100: float
    off_topic: float  # 0..1, how strongly the answer looks like it belongs to another question
    vague: float = 0.0  # 0..1, how much of the answer is empty phrasing with nothing concrete beside it
    relevance: float = 1.0  # the relevance dimension's value: an answer to another question is capped
    misses_points: bool = False  # the question has talking points and the answer covers none of them
    unsure_result: float = 0.0  # 0..1, result_doubt() of a story's ending
TARGET_SECONDS = (60, 120)
WPM = 150


@dataclass(frozen=True, slots=True)
class Scored:
    """A dimension's continuous value and its explanation."""

    value: float
    why: str

    def dimension(self) -> Dimension:
        v = min(1.0, max(0.0, self.value))
        return Dimension(score=1 + round(4 * v), why=self.why)


def clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def result_doubt(evidence: float) -> float:
    """0..1: how far a story's result evidence falls short of ``RESULT_SURE_AT``. Complete answers
    mostly sit above it; answers that stop at their actions mostly far below."""
    return round(clamp((RESULT_SURE_AT - evidence) / RESULT_SURE_AT), 4)


def length_penalty(seconds: float) -> float:
    """0 inside the 60-120 s target, growing outside it (short answers cost more)."""
    lo, hi = TARGET_SECONDS
    if seconds < lo:
        return min(0.7, (lo - seconds) / lo * 0.7)
    if seconds > hi:
        return min(0.4, (seconds - hi) / hi * 0.3)
    return 0.0


def overall(values: dict[str, float], penalties: Penalties, gates: tuple[str, ...],
            weights: dict[str, float] | None = None) -> int:
    """Weighted mean of the dimension values as 0-100, squashed above the brevity and gate caps,
    then minus the penalties (relevance under 0.9, blame, fillers, off-topic, vagueness)."""
    w = WEIGHTS if weights is None else weights
    total = sum(w[k] * clamp(values[k]) for k in w) / sum(w.values())
    score = soft_cap(100.0 * total, brevity_cap(penalties.content_words, penalties.full_at))
    for gate in gates:
        score = soft_cap(score, float(GATE_CAPS[gate]))
    if penalties.relevance < RELEVANCE_CAP_BELOW and penalties.misses_points:
        score = soft_cap(score, RELEVANCE_CAP_BASE + 100.0 * penalties.relevance)
    score -= RELEVANCE_PENALTY * max(0.0, RELEVANCE_FULL_AT - clamp(penalties.relevance))
    score -= BLAME_PENALTY * min(2, penalties.blame)
    score -= min(FILLER_PENALTY_MAX, FILLER_PENALTY * penalties.fillers_per_100)
    score -= OFF_TOPIC_PENALTY * penalties.off_topic
    score -= VAGUE_PENALTY * penalties.vague
    score -= RESULT_PENALTY * penalties.unsure_result
    return round(max(0.0, score))


FULL_AT = {"story": 80, "approach": 80, "self": 50, "closing": 15}
MIN_WORDS = {"story": 25, "approach": 20, "self": 15, "closing": 5}


def brevity_cap(content_words: int, full_at: int = 80) -> float:
    """Below ``full_at`` words (80 for a story, about 30 s aloud) an answer cannot show much: the cap
    grows linearly from 10 to 90 with length."""
    return 100.0 if content_words >= full_at else 10.0 + 80.0 * content_words / full_at


def soft_cap(score: float, cap: float) -> float:
    """Squash what lies above ``cap`` to a tenth, so capped answers keep their order (a better
    capped answer still outscores a worse one) but stay near the cap."""
    return score if score <= cap else cap + 0.1 * (score - cap)
