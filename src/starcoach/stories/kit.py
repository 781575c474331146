"""The interviewer kit: a printable page for a friend who plays the interviewer.

For each chosen question: the question, the story the user plans to tell (so the friend can notice
drifting numbers), probes to ask after the answer, and a 1-5 scorecard with anchors for each
competency the question tests. Rendered as Markdown or as a self-contained HTML page (every user
string escaped). Pure: the plan, stories and date are passed in.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starcoach.bank.model import Question
from starcoach.bank.taxonomy import competency, is_competency
from starcoach.stories.assign import LoopPlan
from starcoach.stories.checks import review_story
from starcoach.stories.fields import format_when
from starcoach.stories.fit import Fit
from starcoach.stories.model import MetricKind, Story

_MEASURED = (MetricKind.PERCENT, MetricKind.MONEY, MetricKind.RATIO, MetricKind.COUNT)
SCORECARDS_PER_QUESTION = 2

# competency -> (a probe to ask, what a 5 looks like)
PROBES: dict[str, tuple[str, str]] = {
    "conflict": (
        "What did the other side want, in their own words?",
        "understood the other side's goal and found common ground",
    ),
    "failure": (
        "What would you do differently if it happened again tomorrow?",
        "owns the mistake without excuses and changed something lasting",
    ),
    "leadership": (
        "Who asked you to do this? How did you get others to join?",
        "started it unasked and brought others along",
    ),
    "mentoring": (
        "How did you know it was working for them?",
        "adapted to the person and made them independent",
    ),
    "feedback": (
        "What exactly was said to you, and what did you change the next week?",
        "sought specifics, acted on them, and closed the loop",
    ),
    "ambiguity": (
        "Which assumptions did you make, and how did you check them?",
        "made assumptions explicit and reduced uncertainty quickly",
    ),
    "prioritization": (
        "What did you decide not to do, and who did you tell?",
        "ranked by impact, said no clearly, and told people early",
    ),
    "deadlines": (
        "When did you first know the date was at risk, and what did you do that day?",
        "raised risks early and cut scope rather than quality",
    ),
    "tradeoffs": (
        "Which option did you reject, and what did it cost you?",
        "weighed options with evidence and owned the cost of the choice",
    ),
    "disagree-manager": (
        "How did your manager react, and what did you do after the decision?",
        "disagreed with data and respect, then committed",
    ),
    "influence": (
        "Why did they listen to you, given you had no authority?",
        "moved people with evidence and by addressing their concerns",
    ),
    "communication": (
        "How did you know the audience understood?",
        "translated the work into the audience's terms and checked understanding",
    ),
    "learning": (
        "How did you learn it, step by step, and how long did it take?",
        "learned deliberately and applied it fast",
    ),
    "process": (
        "How did you measure that the new way was better?",
        "improved how the team works and measured the gain",
    ),
    "customer": (
        "Who was the customer, and how did you hear from them?",
        "started from real user needs and verified the outcome with users",
    ),
    "teamwork": (
        "What did the others do, and how did you support them?",
        "made the group succeed, not only their own part",
    ),
    "motivation": (
        "What would make you leave this role after a year?",
        "knows what they want and why this fits",
    ),
    "ownership": (
        "What happened after the project ended? Who looks after it now?",
        "saw it through beyond their own lane",
    ),
    "technical-depth": (
        "What was the root cause, and how did you find it?",
        "went deep, reasoned from evidence, explained it simply",
    ),
    "perseverance": (
        "When did you feel like giving up, and what kept you going?",
        "kept going through setbacks and adjusted the approach",
    ),
    "integrity": (
        "What did doing the right thing cost you or the team?",
        "did the right thing when it was costly and was open about it",
    ),
    "adaptability": (
        "What did you have to unlearn or drop when things changed?",
        "adjusted quickly and helped others through the change",
    ),
}

ANCHORS: tuple[tuple[int, str], ...] = (
    (1, "No real example: hypothetical, vague, or someone else's work."),
    (2, "An example, but unclear what they did themselves about {focus}; no clear result."),
    (3, "A real example of {focus} with clear personal actions; the result is stated but not measured."),
    (4, "Clear personal actions and a measured result; convincing on {focus}."),
    (5, "All of 4, and {strong}; reflects on what they would change."),
)


def anchors(cid: str) -> list[tuple[int, str]]:
    """The 1-5 anchors of one competency's scorecard."""
    focus = competency(cid).name.lower()
    strong = PROBES.get(cid, ("", "shows it beyond doubt"))[1]
    return [(n, text.format(focus=focus, strong=strong)) for n, text in ANCHORS]


@dataclass(frozen=True, slots=True)
class KitItem:
    """One question of the kit with its planned story, probes and scorecard competencies."""

    question_id: str | None
    question_text: str
    competencies: tuple[str, ...]
    probes: tuple[str, ...]
    story: Story | None = None
    fit: Fit | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "question_text": self.question_text,
            "competencies": list(self.competencies),
            "probes": list(self.probes),
            "story": self.story.to_dict() if self.story else None,
            "fit": self.fit.to_dict() if self.fit else None,
            "scorecard": {c: [{"score": n, "anchor": a} for n, a in anchors(c)] for c in self.competencies},
        }


@dataclass(frozen=True, slots=True)
class Kit:
    title: str
    date: str
    items: tuple[KitItem, ...]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "date": self.date,
            "items": [i.to_dict() for i in self.items],
            "warnings": list(self.warnings),
        }


def story_probes(story: Story) -> list[str]:
    """Follow-ups that test whether a story holds up: own part, numbers, hindsight."""
    c = story.content
    review = review_story(c)
    out = []
    if not review.own_action or (c.scope is not None and c.scope.value != "own"):
        out.append("What exactly did you do yourself, as opposed to the team?")
    measured = [m for m in c.metrics if m.kind in _MEASURED]
    for m in list(dict.fromkeys(m.item or m.text for m in measured))[:2]:
        out.append(f"How did you measure '{m}'? What was it before?")
    out.append(
        "Where have you used that lesson since?" if c.learned else "What would you do differently next time?"
    )
    return out


def build_kit(
    questions: Sequence[Question],
    plan: LoopPlan,
    stories: Mapping[str, Story],
    now: datetime,
    title: str = "Mock interview kit",
) -> Kit:
    """A kit for ``questions`` with the stories ``plan`` chose for them (same order)."""
    items = []
    for q, pick in zip(questions, plan.picks, strict=True):
        story = stories.get(pick.fit.story_id) if pick.fit is not None else None
        comps = tuple(c for c in q.competencies if is_competency(c))[:SCORECARDS_PER_QUESTION] or (
            story.content.competencies[:1] if story else ()
        )
        probes = [*q.follow_ups[:2], *(PROBES[c][0] for c in comps[:2] if c in PROBES)]
        if story is not None:
            probes += story_probes(story)
        items.append(KitItem(q.id or None, q.text, comps, tuple(dict.fromkeys(probes)), story, pick.fit))
    return Kit(title, now.date().isoformat(), tuple(items), plan.warnings)


def _story_lines(story: Story) -> list[str]:
    c = story.content
    when = format_when(c.started, c.ended)
    meta = ", ".join(x for x in (c.role, c.scope.label if c.scope else "", when) if x)
    lines = [f"**Planned story:** {c.title}" + (f" ({meta})" if meta else "")]
    lines += [
        f"- {label}: {' '.join(text.split())}"
        for label, text in (("Situation", c.situation), ("Result", c.result))
        if text
    ]
    if c.metrics:
        lines.append(
            f"- Numbers to listen for: {'; '.join(dict.fromkeys(m.item or m.text for m in c.metrics))}"
        )
    return lines


def kit_markdown(kit: Kit) -> str:
    """The kit as Markdown, ready to print or paste."""
    out = [
        f"# {kit.title}",
        "",
        f"_{kit.date}. For the friend playing the interviewer: ask each question, "
        "let the answer run two to three minutes, then use the probes. Score each competency 1-5._",
        "",
    ]
    out += [f"> Note: {w}" for w in kit.warnings]
    for n, item in enumerate(kit.items, start=1):
        out += ["", f"## {n}. {item.question_text}", ""]
        if item.competencies:
            out += [f"Tests: {', '.join(competency(c).name for c in item.competencies)}", ""]
        out += (
            _story_lines(item.story) if item.story else ["**Planned story:** none (answer from experience)"]
        )
        out += ["", "**Probes**", *(f"- {p}" for p in item.probes), ""]
        for cid in item.competencies:
            out += [
                f"**Scorecard: {competency(cid).name}** (circle one)",
                "",
                "| score | anchor |",
                "|---|---|",
            ]
            out += [f"| {s} | {a} |" for s, a in anchors(cid)]
            out.append("")
        out += ["Notes: ____________________________________________", ""]
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body{font-family:Georgia,serif;max-width:46em;margin:2em auto;color:#111;line-height:1.4}
section{page-break-inside:avoid;border-top:2px solid #333;margin-top:1.5em;padding-top:.5em}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border:1px solid #999;padding:3px 6px;
vertical-align:top;font-size:13px}td.n{width:3em;text-align:center}.story{background:#f4f4f4;padding:.5em}
.warn{color:#b71c1c}.notes{height:5em;border:1px dashed #999}
@media print{body{margin:0}}
"""


def _html_story(story: Story) -> str:
    e = html.escape
    c = story.content
    rows = [f"<p><strong>Planned story:</strong> {e(c.title)}</p>"]
    rows += [
        f"<p><em>{label}:</em> {e(' '.join(text.split()))}</p>"
        for label, text in (("Situation", c.situation), ("Result", c.result))
        if text
    ]
    if c.metrics:
        nums = "; ".join(dict.fromkeys(m.item or m.text for m in c.metrics))
        rows.append(f"<p><em>Numbers to listen for:</em> {e(nums)}</p>")
    return "<div class='story'>" + "".join(rows) + "</div>"


def _html_item(n: int, item: KitItem) -> list[str]:
    e = html.escape
    out = ["<section>", f"<h2>{n}. {e(item.question_text)}</h2>"]
    if item.competencies:
        out.append(f"<p>Tests: {e(', '.join(competency(c).name for c in item.competencies))}</p>")
    out.append(_html_story(item.story) if item.story else "<p>No planned story.</p>")
    out.append("<h3>Probes</h3><ul>" + "".join(f"<li>{e(p)}</li>" for p in item.probes) + "</ul>")
    for cid in item.competencies:
        out.append(f"<h3>Scorecard: {e(competency(cid).name)}</h3><table>")
        out += [f"<tr><td class='n'>&#9744; {s}</td><td>{e(a)}</td></tr>" for s, a in anchors(cid)]
        out.append("</table>")
    out += ["<p>Notes:</p><div class='notes'></div>", "</section>"]
    return out


def kit_html(kit: Kit) -> str:
    """The kit as one self-contained, printable HTML page."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(kit.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(kit.title)}</h1>",
        f"<p><em>{e(kit.date)}. For the friend playing the interviewer: ask each question, let the answer "
        "run two to three minutes, then use the probes. Tick one score per competency.</em></p>",
    ]
    out += [f"<p class='warn'>{e(w)}</p>" for w in kit.warnings]
    for n, item in enumerate(kit.items, start=1):
        out += _html_item(n, item)
    out.append("</body></html>")
    return "\n".join(out) + "\n"
