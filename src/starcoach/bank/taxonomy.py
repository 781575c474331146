"""The competency taxonomy and its crosswalks to common interview frameworks.

One taxonomy, used by questions, stories and progress alike. Crosswalks map outside frameworks
(Amazon's Leadership Principles, the Tech Interview Handbook's focus areas) onto it, so that
"questions for Amazon's Ownership principle" becomes a filter on our own competencies.
Pure data and lookups: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.errors import InputError


@dataclass(frozen=True, slots=True)
class Competency:
    """One competency an interviewer probes for."""

    id: str
    name: str
    description: str


COMPETENCIES: tuple[Competency, ...] = (
    Competency("conflict", "Conflict resolution", "Working through disagreement with peers or teams."),
    Competency("failure", "Failure and learning", "Owning a mistake or failure and what changed after it."),
    Competency("leadership", "Leadership and initiative", "Starting and driving work nobody assigned."),
    Competency("mentoring", "Mentoring and growing others", "Helping someone else get better."),
    Competency("feedback", "Giving and receiving feedback", "Hearing criticism well and giving it kindly."),
    Competency("ambiguity", "Handling ambiguity", "Making progress when the goal or path is unclear."),
    Competency("prioritization", "Prioritization", "Choosing what matters most when everything is urgent."),
    Competency("deadlines", "Deadlines and pressure", "Delivering under tight time or heavy load."),
    Competency("tradeoffs", "Trade-offs and judgment", "Weighing options and living with a decision."),
    Competency("disagree-manager", "Disagreeing with a manager", "Pushing back upward with data and respect."),
    Competency("influence", "Influence without authority", "Moving people you do not manage."),
    Competency("communication", "Communicating to non-experts", "Explaining technical work to any audience."),
    Competency("learning", "Learning fast", "Picking up a new domain or tool quickly."),
    Competency("process", "Process improvement", "Making how the team works faster or safer."),
    Competency("customer", "Customer focus", "Starting from what users and customers need."),
    Competency("teamwork", "Teamwork and collaboration", "Making a group succeed together."),
    Competency("motivation", "Motivation and fit", "Why this role, this team, this company."),
    Competency("ownership", "Ownership and accountability", "Seeing work through, beyond one's own lane."),
    Competency("technical-depth", "Technical problem solving", "Going deep to solve a hard technical problem."),
    Competency("perseverance", "Perseverance", "Pushing through blockers and setbacks."),
    Competency("integrity", "Integrity and ethics", "Doing the right thing when it costs something."),
    Competency("adaptability", "Adaptability to change", "Adjusting well when plans, teams or goals shift."),
)

_BY_ID = {c.id: c for c in COMPETENCIES}

# Amazon's Leadership Principles -> our competencies.
AMAZON_LP: dict[str, tuple[str, ...]] = {
    "customer-obsession": ("customer",),
    "ownership": ("ownership", "leadership"),
    "invent-and-simplify": ("process", "technical-depth"),
    "are-right-a-lot": ("tradeoffs", "ambiguity"),
    "learn-and-be-curious": ("learning",),
    "hire-and-develop-the-best": ("mentoring", "feedback"),
    "insist-on-the-highest-standards": ("process", "ownership"),
    "think-big": ("leadership", "influence"),
    "bias-for-action": ("deadlines", "ambiguity", "leadership"),
    "frugality": ("tradeoffs", "prioritization"),
    "earn-trust": ("feedback", "failure", "communication", "integrity"),
    "dive-deep": ("technical-depth",),
    "have-backbone-disagree-and-commit": ("disagree-manager", "conflict"),
    "deliver-results": ("deadlines", "perseverance", "prioritization"),
    "strive-to-be-earths-best-employer": ("mentoring", "teamwork"),
    "success-and-scale-bring-broad-responsibility": ("integrity", "customer"),
}

# The Tech Interview Handbook's behavioral focus areas -> our competencies.
TECH_INTERVIEW_HANDBOOK: dict[str, tuple[str, ...]] = {
    "motivation": ("motivation",),
    "proactive": ("leadership", "ownership", "process"),
    "unstructured-environment": ("ambiguity", "prioritization"),
    "perseverance": ("perseverance", "deadlines", "technical-depth"),
    "conflict-resolution": ("conflict", "disagree-manager"),
    "empathy": ("teamwork", "mentoring", "customer"),
    "growth": ("failure", "feedback", "learning"),
    "communication": ("communication", "influence"),
}

FRAMEWORKS: dict[str, dict[str, tuple[str, ...]]] = {
    "amazon": AMAZON_LP,
    "tih": TECH_INTERVIEW_HANDBOOK,
}


def competency(cid: str) -> Competency:
    """The competency with id ``cid``; InputError naming the known ids otherwise."""
    try:
        return _BY_ID[cid]
    except KeyError:
        known = ", ".join(sorted(_BY_ID))
        raise InputError(f"unknown competency '{cid}' (known: {known})") from None


def is_competency(cid: str) -> bool:
    return cid in _BY_ID


def principle_competencies(framework: str, principle: str) -> tuple[str, ...]:
    """Competencies a framework principle maps to, e.g. ('amazon', 'ownership').

    ``principle`` may be given loosely ("Ownership", "Dive Deep"); it is slugified.
    """
    fw = FRAMEWORKS.get(framework.lower())
    if fw is None:
        raise InputError(f"unknown framework '{framework}' (known: {', '.join(sorted(FRAMEWORKS))})")
    key = "-".join(principle.lower().replace(",", " ").replace("'", "").split())
    if key in fw:
        return fw[key]
    matches = [k for k in fw if k.startswith(key)]
    if len(matches) == 1:
        return fw[matches[0]]
    raise InputError(f"unknown {framework} principle '{principle}' (known: {', '.join(sorted(fw))})")


def principles_for(cid: str) -> dict[str, list[str]]:
    """For one competency, the principles of each framework that map onto it."""
    return {name: [p for p, cs in fw.items() if cid in cs] for name, fw in FRAMEWORKS.items()}
