"""Company profiles: the principles or values a company says it hires for, mapped onto our competencies.

A profile steers ``practice --company X`` towards questions that probe its principles, names the
principle a question probes, and lets ``stories coverage --company X`` map each principle onto the
user's stories. Amazon's sixteen Leadership Principles reuse the crosswalk of ``bank.taxonomy``; the
other companies' values are summarised here in our own words from what each company publishes about
its culture, and the wording companies use changes: check their careers pages before an interview.
Pure data and lookups: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starcoach.bank.taxonomy import AMAZON_LP, is_competency
from starcoach.errors import InputError


@dataclass(frozen=True, slots=True)
class Principle:
    """One principle or value: its name, what it asks of a candidate (our words), its competencies."""

    id: str
    name: str
    summary: str
    competencies: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "summary": self.summary, "competencies": list(self.competencies)}


@dataclass(frozen=True, slots=True)
class Company:
    """A company's profile: what it calls its principles, and the principles themselves."""

    id: str
    name: str
    kind: str  # "leadership principle", "value", ...
    principles: tuple[Principle, ...]

    @property
    def competencies(self) -> tuple[str, ...]:
        """Every competency any principle maps to, in first-seen order."""
        return tuple(dict.fromkeys(c for p in self.principles for c in p.competencies))

    def principle(self, pid: str) -> Principle:
        for p in self.principles:
            if p.id == pid:
                return p
        raise InputError(f"{self.name} has no {self.kind} '{pid}'")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "principles": [p.to_dict() for p in self.principles],
        }


_AMAZON_TEXT: dict[str, tuple[str, str]] = {
    "customer-obsession": (
        "Customer Obsession",
        "Start from the customer and work backwards; earn and keep their trust.",
    ),
    "ownership": ("Ownership", "Act for the long term and for the whole company, never 'not my job'."),
    "invent-and-simplify": ("Invent and Simplify", "Look for new, simpler ways, wherever the idea comes from."),
    "are-right-a-lot": ("Are Right, A Lot", "Good judgment: seek other views and test your own beliefs."),
    "learn-and-be-curious": ("Learn and Be Curious", "Keep learning and exploring new possibilities."),
    "hire-and-develop-the-best": (
        "Hire and Develop the Best",
        "Raise the bar with every hire and help people grow, through coaching.",
    ),
    "insist-on-the-highest-standards": (
        "Insist on the Highest Standards",
        "Keep raising the bar so defects do not travel downstream.",
    ),
    "think-big": ("Think Big", "Set a bold direction that inspires results and persuades others."),
    "bias-for-action": ("Bias for Action", "Speed matters: many decisions are reversible, take calculated risks."),
    "frugality": ("Frugality", "Do more with less; constraints breed resourcefulness."),
    "earn-trust": ("Earn Trust", "Listen, speak candidly, admit your own mistakes and treat others with respect."),
    "dive-deep": ("Dive Deep", "Stay connected to the details, audit often, question metrics that disagree."),
    "have-backbone-disagree-and-commit": (
        "Have Backbone; Disagree and Commit",
        "Challenge decisions you disagree with respectfully, then commit fully once decided.",
    ),
    "deliver-results": (
        "Deliver Results",
        "Focus on the inputs that matter and deliver them on time despite setbacks.",
    ),
    "strive-to-be-earths-best-employer": (
        "Strive to be Earth's Best Employer",
        "Make the work environment safer, fairer and more empathetic, and help people grow.",
    ),
    "success-and-scale-bring-broad-responsibility": (
        "Success and Scale Bring Broad Responsibility",
        "Think about the wider effects of your work and do the right thing.",
    ),
}


def _amazon() -> Company:
    principles = tuple(
        Principle(pid, *_AMAZON_TEXT[pid], competencies=comps) for pid, comps in AMAZON_LP.items()
    )
    return Company("amazon", "Amazon", "leadership principle", principles)


def _p(pid: str, name: str, summary: str, *competencies: str) -> Principle:
    return Principle(pid, name, summary, competencies)


COMPANIES: dict[str, Company] = {
    c.id: c
    for c in (
        _amazon(),
        Company("google", "Google", "value", (
            _p("focus-on-the-user", "Focus on the user", "Decisions start from what users need.", "customer"),
            _p("comfort-with-ambiguity", "Comfort with ambiguity",
               "Make progress when the problem or the path is unclear.", "ambiguity", "adaptability"),
            _p("bias-to-action", "Bias to action", "Take initiative instead of waiting to be told.",
               "leadership", "ownership"),
            _p("collaboration", "Collaborative nature", "Work well with others and help the team win.",
               "teamwork", "conflict"),
            _p("emergent-leadership", "Emergent leadership",
               "Step up to lead when needed and step back when others should.", "leadership", "influence"),
            _p("intellectual-humility", "Intellectual humility",
               "Admit what you don't know, learn from mistakes and feedback.", "failure", "feedback", "learning"),
            _p("do-the-right-thing", "Doing the right thing", "Act ethically, even when it costs something.",
               "integrity"),
        )),
        Company("meta", "Meta", "value", (
            _p("move-fast", "Move fast", "Ship and learn quickly; speed over polish where it is safe.",
               "deadlines", "prioritization", "ambiguity"),
            _p("focus-on-long-term-impact", "Focus on long-term impact",
               "Pick the problems that matter most over time, not the easy wins.", "prioritization", "tradeoffs"),
            _p("build-awesome-things", "Build awesome things", "Hold the bar high for what you build.",
               "technical-depth", "customer"),
            _p("live-in-the-future", "Live in the future", "Build for where things are going; keep learning.",
               "learning", "adaptability"),
            _p("be-direct-and-respect-your-colleagues", "Be direct and respect your colleagues",
               "Say hard things clearly and kindly; hear them too.", "feedback", "conflict", "communication"),
            _p("meta-metamates-me", "Meta, Metamates, Me",
               "Put the company and your colleagues before yourself; own outcomes.", "ownership", "teamwork"),
        )),
        Company("microsoft", "Microsoft", "value", (
            _p("growth-mindset", "Growth mindset",
               "Learn from failure and feedback rather than trying to look right.", "learning", "failure", "feedback"),
            _p("customer-obsessed", "Customer obsessed", "Understand customers' needs deeply and act on them.",
               "customer"),
            _p("one-microsoft", "One Microsoft", "Work across team boundaries towards shared goals.",
               "teamwork", "influence"),
            _p("diverse-and-inclusive", "Diverse and inclusive",
               "Seek out other views and make everyone able to contribute.", "teamwork", "mentoring"),
            _p("respect", "Respect", "Treat people's views with respect, including in disagreement.",
               "conflict", "communication"),
            _p("integrity", "Integrity", "Be honest and ethical in what you do.", "integrity"),
            _p("accountability", "Accountability", "Own your commitments and their results.", "ownership"),
        )),
        Company("apple", "Apple", "value", (
            _p("accessibility", "Accessibility", "Build for everyone who will use it.", "customer"),
            _p("privacy", "Privacy", "Protect users' data and trust, even at a cost.", "integrity", "customer"),
            _p("inclusion-and-diversity", "Inclusion and diversity",
               "Make teams where different people do their best work.", "teamwork", "mentoring"),
            _p("education", "Education", "Help people learn and grow.", "learning", "mentoring", "communication"),
            _p("environment", "Environment", "Leave things better than you found them; improve how work is done.",
               "process", "ownership"),
            _p("supplier-responsibility", "Supplier responsibility",
               "Hold partners and yourself to high standards of conduct.", "integrity", "ownership"),
        )),
        Company("netflix", "Netflix", "value", (
            _p("judgment", "Judgment", "Make wise decisions in ambiguous situations; think long term.",
               "tradeoffs", "ambiguity", "prioritization"),
            _p("candor", "Candor", "Give and ask for honest feedback, directly and with care.",
               "feedback", "communication"),
            _p("courage", "Courage", "Say what you think, question actions that seem wrong, take smart risks.",
               "disagree-manager", "conflict", "integrity"),
            _p("curiosity", "Curiosity", "Learn fast and eagerly, from inside and outside your field.", "learning"),
            _p("selflessness", "Selflessness", "Help colleagues and put the team's success before your own.",
               "teamwork", "mentoring"),
            _p("innovation", "Innovation", "Find new ideas and simplify.", "process", "technical-depth"),
            _p("impact", "Impact", "Deliver a lot of great work that matters, despite setbacks.",
               "ownership", "perseverance", "deadlines"),
            _p("freedom-and-responsibility", "Freedom and responsibility",
               "Act like an owner with context, not control.", "ownership", "ambiguity"),
        )),
        Company("stripe", "Stripe", "operating principle", (
            _p("users-first", "Users first", "Start from users' real problems.", "customer"),
            _p("move-with-urgency-and-focus", "Move with urgency and focus",
               "Work on what matters most and move quickly.", "deadlines", "prioritization"),
            _p("be-meticulous-in-your-craft", "Be meticulous in your craft",
               "Care about details and quality of the work.", "technical-depth", "process"),
            _p("seek-feedback", "Seek feedback", "Ask for criticism and act on it.", "feedback", "learning"),
            _p("trust-and-amplify", "Trust and amplify", "Trust colleagues and make them more effective.",
               "teamwork", "mentoring", "influence"),
            _p("think-rigorously", "Think rigorously", "Reason carefully from data; change your mind when wrong.",
               "tradeoffs", "technical-depth"),
        )),
    )
}


def company(name: str) -> Company:
    """The profile of ``name`` (case-insensitive); InputError naming the known companies otherwise."""
    found = COMPANIES.get(name.strip().lower())
    if found is None:
        raise InputError(f"unknown company '{name}' (known: {', '.join(sorted(COMPANIES))})")
    return found


def probed_principle(profile: Company, competencies: Sequence[str]) -> Principle | None:
    """The principle a question with these competencies most probes (None when none overlaps).

    The question's first competency is its main one and counts double; a principle with fewer
    competencies is the more specific match on a tie; then the company's own order decides.
    """
    weights = {c: (2.0 if i == 0 else 1.0) for i, c in enumerate(competencies) if is_competency(c)}
    best: tuple[float, float, int] | None = None
    chosen: Principle | None = None
    for order, p in enumerate(profile.principles):
        shared = sum(weights.get(c, 0.0) for c in p.competencies)
        if shared <= 0:
            continue
        key = (shared, -len(p.competencies), -order)
        if best is None or key > best:
            best, chosen = key, p
    return chosen
