"""Suggestions that point at spans, and 1-3 follow-up questions aimed at the weakest part.

Suggestions quote the words they are about ("Your result ... has no number") so that a reader can find
them; they are ordered by how much fixing them would help (weakest dimension first) and capped at five.
Follow-ups are what an interviewer would ask next: missing result -> "What was the outcome?", all "we"
-> "What did you personally do?", no reflection -> "What would you do differently?", then the
question's own follow-ups. Wording only; no scoring here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starcoach.analysis.dimensions import Facts
from starcoach.analysis.scoring import Scored
from starcoach.analysis.types import Span

MAX_SUGGESTIONS = 5
MAX_FOLLOW_UPS = 3
# A bank follow-up is dropped when the answer already says what it asks for (an interviewer would not
# ask "Who did you talk to?" after hearing the name): what each kind of probe asks for, and the words
# that show it was said.
_PROBES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\b(measure|metric|quantif|how much|how many|numbers?)\b", re.I),
     re.compile(r"\d|\b(percent|doubled|halved|tripled)\b", re.I)),
    (re.compile(r"^who\b|\bwho (?:did|was|were)\b", re.I),
     re.compile(r"\b(manager|lead|director|teammate|colleague|coworker|engineer|pm|product manager|"
                r"designer|customer|client|stakeholder|mentor|cto|ceo|vp)s?\b", re.I)),
    (re.compile(r"\b(differently|learn|lesson|change)\w*", re.I),
     re.compile(r"\b(learn\w*|lesson|next time|now i|since then|i now|differently|in hindsight)\b", re.I)),
)


UNSURE_RESULT_BELOW = 0.6  # result evidence under which the ending is pointed out (0.5: missing)


def _quote(text: str, limit: int = 60) -> str:
    t = " ".join(text.split())
    return f'"{t}"' if len(t) <= limit else f'"{t[: limit - 3].rstrip()}..."'


def _gate_suggestions(gates: Sequence[str]) -> list[str]:
    text = {
        "too-short": "This is too short to show anything: tell one concrete story in 60-120 seconds "
                     "(what was going on, what you did, what happened).",
        "gibberish": "This does not read as sentences: answer in plain sentences about one real example.",
        "keyword-stuffing": "A list of interview buzzwords is not an answer: tell one real story with "
                            "what you did and what happened.",
        "copied-question": "You repeated the question back: answer it with one real example instead.",
        "off-topic": "This answer does not seem to be about the question asked: pick a story that shows it.",
    }
    return [text[g] for g in gates if g in text]


def _story_suggestions(f: Facts, result_text: str | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not f.has("result"):
        out.append(("impact", "Your answer never says what happened in the end: add one sentence with the "
                              "result, ideally a number."))
    elif f.result_evidence < UNSURE_RESULT_BELOW and f.sentences:
        out.append(("impact", f"Your ending ({_quote(f.sentences[-1].text)}) may be heard as one more step "
                              "rather than the outcome: open it with what changed (\"As a result, ...\") so "
                              "the interviewer cannot miss it."))
    elif not f.numbers_in_result and result_text:
        out.append(("impact", f"Your result ({_quote(result_text)}) has no number: how much faster, how "
                              "many users, how much time or money?"))
    if not f.has("action"):
        out.append(("structure", "Say what you did, step by step: the actions are the heart of the answer."))
    if not f.has("situation"):
        out.append(("structure", "Open with one or two sentences of context: where you were and what was "
                                 "at stake."))
    setup = f.share.get("situation", 0.0) + f.share.get("task", 0.0)
    if setup > 0.45:
        out.append(("structure", f"The setup takes {setup:.0%} of your answer: cut it to two sentences and "
                                 "spend the time on what you did."))
    return out


def suggestions(
    f: Facts, dims: dict[str, Scored], gates: Sequence[str], spans: dict[str, list[Span]],
    result_text: str | None,
) -> list[str]:
    """Up to five concrete suggestions, most useful first."""
    gate_text = _gate_suggestions(gates)
    if any(g not in ("too-short", "off-topic") for g in gates):
        return gate_text[:MAX_SUGGESTIONS]
    cands: list[tuple[str, str]] = []
    if f.qtype == "story":
        cands += _story_suggestions(f, result_text)
    cands += _signal_suggestions(f, spans)
    for p in f.points:
        if not p.covered and f.qtype in ("approach", "self"):
            cands.append(("structure", f'Cover the point "{p.label or p.text}": {p.text}'))
    order = sorted(dims, key=lambda k: (dims[k].value, k))
    rank = {k: i for i, k in enumerate(order)}
    cands.sort(key=lambda c: rank.get(c[0], len(rank)))
    seen: list[str] = list(gate_text) + _type_suggestions(f)
    for _, text in cands:
        if text not in seen:
            seen.append(text)
    return seen[:MAX_SUGGESTIONS]


def _type_suggestions(f: Facts) -> list[str]:
    """What a self or closing question needs first."""
    out = []
    if f.checks.get("cliche"):
        out.append("That weakness sounds like a disguised strength: name a real one and what you are "
                   "doing about it.")
    elif f.checks.get("names_weakness") and not f.checks.get("working_on_it"):
        out.append("Say what you are doing about the weakness, and what has changed since.")
    if f.checks.get("only_compensation"):
        out.append("Ask about the team and the work too, not only pay and perks.")
    elif f.qtype == "closing" and not f.checks.get("asks_questions"):
        out.append("Have two or three real questions ready about the team, the work and how success is "
                   "measured.")
    return out


def _signal_suggestions(f: Facts, spans: dict[str, list[Span]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    o = f.ownership
    if o.we_count >= 2 and o.i_share < 0.4:
        out.append(("ownership", f'Your actions say "we" {o.we_count} times and "I" {o.i_count} times: '
                                 "say which part was yours."))
    if spans.get("blame"):
        out.append(("ownership", f"Drop the blame ({_quote(spans['blame'][0].text)}): describe what you did "
                                 "about the situation instead."))
    if f.per100(f.fillers) >= 3 and spans.get("filler"):
        words = sorted({s.text.lower() for s in spans["filler"]})[:3]
        out.append(("delivery", f"Cut the fillers ({', '.join(repr(w) for w in words)}: "
                                f"{f.per100(f.fillers):.0f} per 100 words)."))
    if f.per100(f.hedges) >= 2 and spans.get("hedge"):
        hedge = _quote(spans["hedge"][0].text)
        out.append(("delivery", f"Fewer hedges ({hedge}): state what you did plainly."))
    if spans.get("vague"):
        words = sorted({s.text.lower() for s in spans["vague"]})[:3]
        listed = ", ".join(repr(w) for w in words)
        out.append(("specificity", f"Replace vague words ({listed}) with the actual "
                                   "system, tool or number."))
    if f.expects_reflection and not f.reflections:
        out.append(("reflection", "Close with what you learned and what you now do differently."))
    if f.seconds > 120:
        out.append(("delivery", f"At about {f.seconds:.0f} seconds this runs long: aim for 60-120 s "
                                "(150-300 words)."))
    elif f.seconds < 45 and f.qtype != "closing":
        what = _SHORT_GIVE.get(f.self_kind or f.qtype, "your approach and one concrete example")
        out.append(("delivery", f"At about {f.seconds:.0f} seconds this is short: give {what} in 60-120 s."))
    if f.relevance.nearest_other and f.relevance.rank_share >= 0.6:
        out.append(("relevance", f'This reads like an answer to "{f.relevance.nearest_other}": say how '
                                 "your story answers the question asked."))
    return out


# What a short answer should add, by question type (and, for questions about the candidate, by kind)
_SHORT_GIVE = {
    "story": "the situation, your actions and the result",
    "intro": "what you do now, what brought you here and why this role",
    "weakness": "the weakness, one time it cost you and what you now do about it",
    "strength": "the strength and one time it made a difference",
    "future": "where you want to grow, why, and how this role fits",
    "motivation": "what draws you to this team and role, and what you bring",
    "other": "your answer and one concrete example",
}


def _closing_probe(f: Facts) -> str:
    """The follow-up when nothing is missing, fitted to the kind of answer."""
    if f.qtype == "story" or (f.qtype == "approach" and f.narrative):
        return "What was the hardest part, and why?" if f.reflections else "What would you do differently next time?"
    if f.qtype == "approach":
        return "Can you tell me about one time you worked this way, and how it turned out?"
    if f.self_kind in _SELF_PROBES:
        return _SELF_PROBES[f.self_kind][f.has_example]
    if f.has_example:
        return "What was the hardest part of that, and why?"
    return "Can you give one specific example of that?"


# Per kind of question about the candidate: the probe without, and with, a concrete example in the answer
_SELF_PROBES = {
    "intro": ("Which project would you most like to tell us more about?",
              "What part of your background is most relevant here?"),
    "weakness": ("When did this weakness last cost you, and what did you do?",
                 "How do you know the changes are working?"),
    "strength": ("When did that strength make the biggest difference?", "What is the downside of that strength?"),
    "future": ("What are you doing now to get there?", "How does this role help you get there?"),
    "motivation": ("What do you know about the problems this team is facing?",
                   "What would you want to work on first here?"),
}


def follow_ups(f: Facts, question_follow_ups: Sequence[str], gates: Sequence[str]) -> list[str]:
    """1-3 questions an interviewer would ask next, aimed at the weakest part."""
    out: list[str] = []
    if gates:
        out.append("Can you walk me through one specific example, step by step?")
    if f.qtype == "story" and not f.has("result"):
        out.append("What was the outcome?")
    elif f.qtype == "story" and not f.numbers_in_result:
        out.append("How did you measure the result?")
    if f.ownership.we_count >= 2 and f.ownership.i_share < 0.4:
        out.append("What did you personally do?")
    if f.blame:
        out.append("What could you have done differently yourself?")
    if f.expects_reflection and not f.reflections:
        out.append("What would you do differently next time?")
    if f.qtype == "story" and not f.has("action"):
        out.append("What exactly did you do?")
    if "names_weakness" in f.checks and (f.checks["cliche"] or not f.checks["working_on_it"]):
        out.append("What are you doing about it, concretely, and what has changed so far?")
    if f.qtype == "closing" and not f.checks.get("about_work"):
        out.append("What would you most like to know about the work itself?")
    said = " ".join(sent.text for sent in f.sentences)
    for q in question_follow_ups:
        if len(out) >= MAX_FOLLOW_UPS:
            break
        if q not in out and not already_answered(q, said):
            out.append(q)
    if not out:
        out.append(_closing_probe(f))
    return out[:MAX_FOLLOW_UPS]


def already_answered(probe: str, answer: str) -> bool:
    """Does the answer already say what this follow-up asks for?"""
    return any(asks.search(probe) and shows.search(answer) for asks, shows in _PROBES)
