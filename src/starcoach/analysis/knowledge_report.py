"""Dimensions, overall score, suggestions and follow-ups of a graded knowledge answer.

The score ranks what a teacher ranks: an answer that covers every point above one that covers a
few, above one about something else; a confidently wrong statement costs more than leaving a point
out. The dimensions explain it: coverage, correctness, precision (the field's terms), structure
(a direct answer first), concision (no padding). Pure functions; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starcoach.analysis.keypoints import GENERIC_LABEL, STOP, KeyPoint, plain, terms
from starcoach.analysis.knowledge import COVER_AT, MIN_COST, MISCONCEPTION_COST, Graded, gist
from starcoach.analysis.knowledge_rules import has_term
from starcoach.analysis.types import Dimension, Span
from starcoach.bank.model import Question

BASE, COVER_SHARE, REL_SHARE = 8.0, 72.0, 12.0  # score = BASE + COVER_SHARE*coverage + REL_SHARE*relevance
FLOOR = 2.0  # even a wrong answer was an attempt: never exactly zero
DIM_SHARE = 2.0  # each quality dimension moves the score by this much per step from 3
_CODE_OR_MATH = re.compile(r"`([^`]+)`|\$([^$]+)\$|\*\*([^*]+)\*\*")


def shorten(text: str, most: int = 80) -> str:
    """``text`` cut at a word boundary, with an ellipsis when it was longer."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def score(g: Graded, dims: dict[str, Dimension]) -> int:
    """0..100 from coverage, closeness to the model answer, misconceptions and the quality dimensions."""
    total_w = sum(kp.weight for kp in g.kps) or 1.0
    value = BASE + COVER_SHARE * g.coverage() + REL_SHARE * g.relevance
    for m in g.wrong:
        share = g.kps[m.point].weight / total_w if 0 <= m.point < len(g.kps) else 1.0
        value -= max(MIN_COST, MISCONCEPTION_COST * COVER_SHARE * share)
    value += DIM_SHARE * sum(dims[d].score - 3 for d in ("precision", "structure", "concision"))
    return round(max(FLOOR, min(100.0, value)))


def dimensions(text: str, question: Question, g: Graded, spans: Sequence[Span], words: int) -> dict[str, Dimension]:
    return {
        "coverage": _coverage(g),
        "correctness": _correctness(g),
        "precision": _precision(text, question),
        "structure": _structure(g, spans),
        "concision": _concision(g, words, spans),
    }


def _coverage(g: Graded) -> Dimension:
    n, got = len(g.kps), sum(g.covered)
    if not n:
        return Dimension(3, "The question has no model answer to compare with.")
    missed = [gist(kp) for kp, c in zip(g.kps, g.covered, strict=True) if not c]
    why = f"Covers {got} of the {n} key points"
    why += f"; missing: {'; '.join(missed[:3])}." if missed else "."
    return Dimension(1 + round(4 * g.coverage()), why)


def _correctness(g: Graded) -> Dimension:
    if g.wrong:
        first = g.wrong[0]
        why = f"'{shorten(first.text)}' contradicts the model answer ({first.why})."
        return Dimension(2 if len(g.wrong) == 1 else 1, why)
    if not any(g.covered):
        return Dimension(3, "Nothing contradicts the model answer, but nothing checkable from it is said either.")
    return Dimension(5, "Nothing said contradicts the model answer.")


def key_terms(question: Question) -> list[str]:
    """The field's terms the model answer uses: labels, inline code, formulas, bold words."""
    found: list[str] = []
    for p in question.points:
        if p.label and not GENERIC_LABEL.match(plain(p.label)):
            found.append(plain(p.label))
        found += [plain(next(x for x in m.groups() if x)) for m in _CODE_OR_MATH.finditer(p.text)]
    seen: dict[str, None] = {}
    for t in found:
        if terms(t) and len(t) <= 40 and t.lower() not in seen:
            seen[t.lower()] = None
    return list(seen)


def _precision(text: str, question: Question) -> Dimension:
    wanted = key_terms(question)
    if not wanted:
        return Dimension(3, "The model answer names no special terms.")
    mine = terms(text)
    used = [t for t in wanted if all(has_term(x, mine) for x in terms(t))]
    share = len(used) / len(wanted)
    missed = [t for t in wanted if t not in used][:3]
    why = f"Uses {len(used)} of the {len(wanted)} terms of the model answer"
    why += f"; not: {', '.join(missed)}." if missed else "."
    return Dimension(1 + round(4 * share), why)


def _structure(g: Graded, spans: Sequence[Span]) -> Dimension:
    first = [m.window for m in g.matches if m.window is not None and m.score >= COVER_AT]
    lead = spans[0].end if spans else 0
    longest = max((len(s.text.split()) for s in spans), default=0)
    if longest > 70:
        return Dimension(2, f"One sentence runs to {longest} words: split it into one idea per sentence.")
    if any(w.start < lead for w in first):
        return Dimension(5, "Opens with a direct answer, then adds detail.")
    if first:
        return Dimension(3, "The first sentence does not answer the question yet; lead with the definition.")
    return Dimension(2, "No sentence states a point of the model answer.")


def _concision(g: Graded, words: int, spans: Sequence[Span]) -> Dimension:
    model_words = sum(len(kp.plain.split()) for kp in g.kps)
    target = max(40, 2 * model_words)
    if words < 8:
        return Dimension(2, f"{words} words are too few to explain anything.")
    if words > 3 * target:
        return Dimension(2, f"{words} words for a model answer of {model_words}: cut to the points.")
    evidence = [m.window for m in g.matches if m.window is not None and m.score >= COVER_AT]
    idle = [s for s in spans if not any(w.start <= s.start < w.end for w in evidence)]
    if len(spans) >= 3 and len(idle) / len(spans) > 0.6:
        return Dimension(3, f"{len(idle)} of {len(spans)} sentences make no point of the model answer.")
    if words > 1.5 * target:
        return Dimension(4, f"{words} words: a little long for {len(g.kps)} points.")
    return Dimension(5, f"{words} words: to the point.")


def _missed(g: Graded) -> list[KeyPoint]:
    """Points neither covered nor contradicted (a contradicted point is reported as wrong, not missing)."""
    wrong = {m.point for m in g.wrong}
    return [kp for kp, c in zip(g.kps, g.covered, strict=True) if not c and kp.index not in wrong]


def suggestions(g: Graded) -> list[str]:
    out = [f"Correct this: '{shorten(m.text)}': {m.why}. The model answer: {plain(m.point_text)}" for m in g.wrong[:2]]
    missed = _missed(g)
    out += [f"Add the point about {gist(kp)}." for kp in missed[:3]]
    if not out:
        out.append("Every key point is there: say it again in half the words, as you would under time pressure.")
    return out


def _topic(kp_text: str, most: int = 4) -> str:
    ws = [w for w in re.findall(r"[A-Za-z][\w'-]*", plain(kp_text)) if w.lower() not in STOP]
    return " ".join(ws[:most])


def follow_ups(g: Graded, own: Sequence[str]) -> list[str]:
    """Probe the first wrong point, then the first missed ones, then the question's own follow-ups."""
    out: list[str] = []
    for m in g.wrong[:1]:
        about = plain(g.kps[m.point].label) or _topic(g.kps[m.point].text)
        out.append(f"You said \"{shorten(m.text)}\". Is that right? Go over '{about}' again: what exactly does it say?")
    missed = _missed(g)
    for kp in missed[:2]:
        if kp.label:
            out.append(f"You did not say anything about {plain(kp.label)}: what is it, and why does it matter here?")
        else:
            out.append(f"You did not cover '{_topic(kp.text)} ...': can you explain that part?")
    out += [f for f in own if f not in out]
    return out[:3] if out else ["Can you give a concrete example of this?"]

