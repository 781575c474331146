"""Infer the competencies of an untagged story or of a question typed in everyday words.

People rarely tag their stories, and they ask "Tell me about a time you changed someone's mind"
rather than "...a time you showed influence". Two sets of phrase cues, written here, close that gap:

* question cues: how interviewers phrase what they probe (added to ``bank.classify``'s cues, which
  name a competency only when its own word appears);
* story cues: what people write when they tell a story of that kind ("she was running the tills on
  her own" for mentoring, "I was not her manager" for influence).

A story's competencies are the ones whose cues it hits most, weighed by how specific each cue is;
the result is marked as inferred wherever it is shown, and tagging the story (``stories edit``, the
web form's Competencies field) replaces it. It deliberately does not learn from the user's data:
the same text always gets the same competencies. Pure functions over strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from starcoach.bank.classify import classify
from starcoach.bank.taxonomy import COMPETENCIES


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_P = r"(?:him|her|them|someone|somebody|people|others|a colleague|a coworker|my \w+)"

# How questions name what they probe, beyond the competency's own word (see bank.classify).
QUESTION_CUES: dict[str, tuple[str, ...]] = {
    "influence": (
        rf"\bchang(e|ed|ing) {_P}'?s? (mind|minds|opinion|view)",
        r"\bchange (someone|somebody)'s (mind|opinion)\b",
        r"\bwin (someone|people|others|them) over\b",
        r"\bget (people|others|them|someone) on board\b",
        r"\bsell (an|your) idea\b",
    ),
    "mentoring": (
        r"\bhelp(ed|ing)? (a |an |your )?(teammate|colleague|coworker|team ?member|someone|report|peer)s? "
        r"(grow|improve|develop|learn|succeed|get better)",
        r"\b(develop|grow)(ed|ing)? (someone|people|others|a teammate|your team)\b",
        r"\btaught (someone|a colleague|a teammate)\b",
        r"\bnew (hire|joiner|team ?member)\b",
    ),
    "failure": (
        r"\blet (your|the|a) (team|manager|customer|client)s? down\b",
        r"\bdid not go (as planned|well)\b",
        r"\bdidn't go (as planned|well)\b",
        r"\bregret\b",
        r"\bdropped the ball\b",
    ),
    "conflict": (
        r"\b(did not|didn't|couldn't|could not) get along\b",
        r"\bclash(ed)?\b",
        r"\bdifficult (person|colleague|coworker|teammate)\b",
        r"\bsee eye to eye\b",
    ),
    "customer": (r"\b(angry|upset|unhappy|difficult|demanding|angriest) (client|customer|user)s?\b",),
    "ambiguity": (
        r"\b(little|no|without) (direction|guidance|instructions|information|spec|requirements)\b",
        r"\bnot (sure|clear) what\b",
        r"\bvague\b",
    ),
    "prioritization": (
        r"\b(everything|several things|too many things|many things)( is| was| were)? (due|urgent)\b",
        r"\bwhat to do first\b",
        r"\bjuggl",
        r"\bat (the same time|once)\b",
    ),
    "feedback": (r"\bcriticis|\bcriticiz", r"\bhard to hear\b", r"\bnegative (comments?|review)\b"),
    "disagree-manager": (
        r"\b(your|a) (boss|manager|supervisor|lead) (was|is) wrong\b",
        r"\bsaid no to (your|a) (boss|manager)\b",
        r"\bchallenged (your|a) (boss|manager|supervisor)\b",
    ),
    "learning": (
        r"\bnew skill\b",
        r"\bpick(ed|ing)? up (a |an )?(new|unfamiliar)\b",
        r"\bup to speed\b",
        r"\bnever (used|done) before\b",
    ),
    "integrity": (
        r"\b(not|wasn't|was not|isn't) (right|ethical)\b",
        r"\bfelt (was )?wrong\b",
        r"\bsomething (you felt was )?(wrong|unethical)\b",
    ),
    "technical-depth": (
        r"\btechnical(ly)? (complex|hard|difficult|challenging)\b",
        r"\b(most )?complex (project|system|problem)\b",
        r"\bhardest (bug|problem)\b",
    ),
    "deadlines": (r"\btime pressure\b", r"\b(tight|short) (deadline|timeline|time)\b"),
}

# What people write in a story of each kind. Weights: 2 for a telling phrase, 1 for a common word.
STORY_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "influence": (
        (r"\bconvinc|\bpersuad|\bbuy-in\b|\bwon (them|him|her) over\b", 2),
        (r"\b(changed|change) (his|her|their|my manager's|the team's) mind\b", 2),
        (r"\b(i was |i am |i'm )?not (his|her|their) (manager|boss)\b|\bno authority\b|\bwithout authority\b", 2),
        (r"\bon board\b|\bproposed\b|\bmade the case\b|\bpitch(ed)?\b|\bagreed to (try|test|adopt)\b", 1),
        (r"\b(cancelled|dropped|reversed|abandoned) (the|her|his|their) (plan|change|decision|idea)\b", 2),
        (r"\badopt(ed|ion)?\b|\bchampion", 1),
    ),
    "mentoring": (
        (r"\bmentor|\bcoach(ed|ing)?\b|\bonboarding buddy\b", 2),
        (r"\bshadow(ed|ing)?\b|\bnew (hire|joiner|graduate|starter)s?\b|\bjunior\b|\bintern\b", 2),
        (r"\bher first\b|\bhis first\b|\btheir first\b|\bfirst job\b", 1),
        (r"\b(taught|teach|trained|training|train) (her|him|them)\b|\btalked (her|him|them) through\b", 2),
        (r"\b(she|he|they) (was|were) (running|leading|handling|doing) .{0,40}\b(alone|on (her|his|their) own)\b", 2),
        (r"\b(her|his|their) confidence\b|\bgrow(th)?\b|\bpromoted\b", 1),
    ),
    "failure": (
        (r"\bmistake|\bmy fault\b|\bi failed\b|\bfailure\b|\bi was wrong\b|\bi messed up\b", 2),
        (r"\badmit(ted)?\b|\bblam(e|ing)\b|\bpostmortem\b|\bpost-mortem\b", 1),
        (r"\bbehind\b|\bunderestimat|\bdidn't tell\b|\bdid not tell\b|\btoo late\b|\bgrade dropped\b", 1),
        (r"\bsince then i\b|\bnow i always\b|\bi learned\b|\blesson\b", 1),
    ),
    "conflict": (
        (r"\bclash(ed|ing)?\b|\bconflict\b|\bdisagree(d|ment)?\b|\bargu(e|ed|ing|ment)\b", 2),
        (r"\btension\b|\bfriction\b|\btak(e|ing) sides\b|\bpersonal\b|\bheated\b", 1),
        (r"\blistened to (why|her|his|their)\b|\bcommon ground\b|\bcompromise\b|\bwithout blaming\b", 1),
    ),
    "customer": (
        (r"\bcustomers?\b|\bclients?\b|\bpatients?\b|\bguests?\b|\bshoppers?\b|\bbuyers?\b", 1),
        (r"\bfurious\b|\bangry\b|\bupset\b|\bcomplain|\bescalat|\bcancel(l)?ing the contract\b", 2),
        (r"\brenew(ed|al)?\b|\breference customer\b|\bsatisfaction\b|\bnps\b", 1),
    ),
    "ambiguity": (
        (r"\bno (definition|spec|specification|requirements|direction|guidance|brief)\b", 2),
        (r"\bunclear\b|\bvague\b|\bambigu|\bundefined\b|\bnobody (knew|could tell)\b", 2),
        (r"\bfigure out\b|\bwhat (they|each of them|he|she) (meant|expected|wanted)\b|\bguessing\b", 1),
        (r"\bassumption|\bproposal with\b|\binterviewed\b|\bearly feedback\b|\brough version\b", 1),
    ),
    "prioritization": (
        (r"\bpriorit|\bat once\b|\bcompeting\b|\bcould not do all\b|\bcouldn't do all\b", 2),
        (r"\bcut (it |the \w+ |scope )?down\b|\bcut scope\b|\bdeprioriti|\bmove(d)? the \w+ by\b", 1),
        (r"\bwhat it would cost\b|\bthe order\b|\bslipped\b|\bif it slipped\b|\btoo many\b", 1),
    ),
    "deadlines": (
        (r"\bdeadline|\bdue date\b|\bfixed (for|date)\b|\bon time\b|\bcrunch\b", 2),
        (r"\bin (two|three|four|five|six|\d+) (days|weeks)\b|\bworked nights\b|\blate nights\b", 1),
    ),
    "feedback": (
        (r"\bfeedback\b|\bcriticis|\bcriticiz|\bcritique\b|\bdefensive\b", 2),
        (r"\b(report|review) said\b|\bhard to (read|hear)\b|\bobservation\b|\bsat in on\b", 2),
        (r"\bappraisal\b|\bperformance review\b|\bconstructive\b", 1),
    ),
    "disagree-manager": (
        (r"\bmy (manager|boss|supervisor|director|lead) (had )?(already )?"
         r"(committed|promised|wanted|decided|insisted)", 2),
        (r"\bpush(ed)? back\b|\bdisagreed with (my|the) (manager|boss)\b|\bconvinced (it|this) was impossible\b", 2),
        (r"\bone-on-one\b|\b1:1\b|\btwo options\b|\bsupport whichever\b|\bdisagree and commit\b", 1),
        (r"\b(manager|boss|supervisor|vp|director)\b", 1),
    ),
    "learning": (
        (r"\blearn(ed|t|ing)?\b|\bnever used\b|\bbootcamp\b|\btutorial\b|\bcourse\b|\btour\b", 1),
        (r"\bnew (language|stack|tool|framework|domain)\b|\bup to speed\b|\btaught myself\b|\bunfamiliar\b", 2),
        (r"\bin (go|rust|python|java|kotlin|scala|typescript|swift)\b|\bdocumentation\b|\breadme\b", 1),
    ),
    "integrity": (
        (r"\bethic|\bnot right\b|\bwrong thing\b|\bnot comfortable\b|\buncomfortable\b|\brefus", 2),
        (r"\bpolicy\b|\baudit(or)?s?\b|\bhonest|\bcompliance\b|\bbackdat|\bfraud\b|\bcover(ed)? up\b", 1),
    ),
    "technical-depth": (
        (r"\bmigrat|\barchitect|\blatency\b|\bdebug|\broot cause\b|\bbottleneck\b|\bthroughput\b", 1),
        (r"\bkubernetes\b|\bk8s\b|\bhelm\b|\bterraform\b|\bdatabase\b|\bquer(y|ies)\b|\bcach(e|ing)\b", 1),
        (r"\bdeploy|\binfra(structure)?\b|\bservices\b|\bperformance\b|\bscal(e|ing|ability)\b", 1),
    ),
    "ownership": (
        (r"\bi owned\b|\bend to end\b|\btook ownership\b|\bnobody owned\b|\bbeyond my role\b", 2),
        (r"\bresponsib|\bon my own initiative\b", 1),
    ),
    "leadership": (
        (r"\binitiative\b|\bvolunteer|\bi led\b|\bi organi[sz]ed\b|\brallied\b|\bkicked off\b", 1),
    ),
    "process": (
        (r"\bprocess\b|\bautomat|\bworkflow\b|\bchecklist\b|\btemplate\b|\bstandardi|\brunbook\b", 1),
    ),
    "communication": (
        (r"\bexplain|\bpresent(ed|ation)\b|\bnon-technical\b|\bplain english\b|\bsummary\b", 1),
        (r"\bstakeholders?\b|\baudience\b|\bslides?\b", 1),
    ),
    "perseverance": (
        (r"\bkept going\b|\bdidn't give up\b|\bdid not give up\b|\bsetback|\bpersist|\bobstacle", 2),
    ),
    "adaptability": (
        (r"\bpivot|\breorg|\bnew direction\b|\bsuddenly\b|\badapt|\bplans changed\b", 1),
    ),
    "teamwork": ((r"\btogether\b|\bcollaborat|\bhelped each other\b|\bpair(ed|ing)? with\b", 1),),
}

_QUESTION = {cid: _rx(*ps) for cid, ps in QUESTION_CUES.items()}
_STORY = {cid: tuple((_rx(p), w) for p, w in cues) for cid, cues in STORY_CUES.items()}
_ORDER = {c.id: i for i, c in enumerate(COMPETENCIES)}
STORY_MIN = 3  # a competency needs this much cue weight to be inferred for a story
STORY_SHARE = 0.6  # ... and at least this share of the best competency's weight
STORY_MAX = 2


@dataclass(frozen=True, slots=True)
class Inferred:
    """Competencies inferred for a text, best first, with the cue weight behind each."""

    competencies: tuple[str, ...]
    weights: tuple[int, ...] = ()


def question_competencies(text: str) -> tuple[str, ...]:
    """What a question probes: its everyday-phrase cues, else ``bank.classify``'s word cues.

    A phrase names the point of the question ("helped a teammate grow" is mentoring); the words
    around it ("teammate") would only dilute it, so they count only when no phrase matched.
    """
    head = text.strip().split("\n", 1)[0]
    phrased = [cid for cid, rx in sorted(_QUESTION.items(), key=lambda kv: _ORDER[kv[0]]) if rx.search(head)]
    return tuple(phrased) or classify(head).competencies


def story_weights(text: str) -> dict[str, int]:
    """Cue weight of every competency in ``text`` (each cue counts once, however often it occurs)."""
    return {cid: sum(w for rx, w in cues if rx.search(text)) for cid, cues in _STORY.items()}


def story_competencies(parts: Sequence[str]) -> Inferred:
    """The competencies a story seems to show, from its title and STAR parts (up to STORY_MAX)."""
    weights = story_weights("\n".join(p for p in parts if p))
    order = sorted(weights, key=lambda c: (-weights[c], _ORDER[c]))
    best = weights[order[0]] if order else 0
    chosen = [c for c in order if weights[c] >= max(STORY_MIN, STORY_SHARE * best)][:STORY_MAX]
    return Inferred(tuple(chosen), tuple(weights[c] for c in chosen))
