"""Guess a question's type and competencies from its wording.

Used for questions that arrive from a file (Markdown, CSV without a type) and carry no metadata.
The type comes from a small trained classifier (:mod:`starcoach.bank.qtypes`; :func:`explain` gives
the cues behind it); competencies and the technical-document rules are phrase cues checked in a fixed
order, so every decision can be traced. A technical question ("What is the bias-variance trade-off?")
gets type APPROACH from :func:`question_type` and no behavioral competencies; within a technical
document it becomes KNOWLEDGE (see :func:`document_type`).
Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from starcoach.bank.model import QuestionType
from starcoach.bank.qtypes import TypeGuess, guess_type
from starcoach.bank.taxonomy import COMPETENCIES
from starcoach.rx import compile as rx_compile


@dataclass(frozen=True, slots=True)
class Classification:
    """What :func:`classify` inferred for one question text."""

    type: QuestionType
    competencies: tuple[str, ...]


def _rx(*patterns: str) -> re.Pattern[str]:
    return rx_compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# A behavioral question talks to the candidate; a technical one ("What is X?") does not.
_PERSONAL = _rx(
    r"\b(you|your|yourself|you've|you're|you'd)\b",
    r"\btell me\b",
    r"\bgive (me )?an example\b",
    r"^\s*(describe|share|walk me through) (a|an|one)\b",
)

_CLOSING = _rx(
    r"\bquestions? for (us|me|the team|the interviewer)\b",
    r"\bany questions\b",
    r"\banything (else )?you('d| would) like to ask\b",
)

_CUE_PATTERNS: dict[str, tuple[str, ...]] = {
    "conflict": (
        r"\bconflicts?\b",
        r"\bdisagree(d|ment|ments)?\b",
        r"\bpush(ed)? back\b",
        r"\bdifficult (coworker|colleague|teammate|person|people|stakeholder)s?\b",
        r"\bpulling (their|his|her) weight\b",
        r"\btension\b",
        r"\bargument\b",
    ),
    "failure": (r"\bfail(ed|ure|ures|ing)?\b", r"\bmistakes?\b", r"\bwent wrong\b", r"\bpost-?mortem\b"),
    "leadership": (r"\binitiative\b", r"\blead(ership)?\b", r"\bled\b", r"\bproactive(ly)?\b"),
    "mentoring": (
        r"\bmentor(ed|ing|s)?\b",
        r"\bcoach(ed|ing)?\b",
        r"\bjunior\b",
        r"\bonboard(ed|ing)?\b",
        r"\bhelp(ed)? a (struggling|new|junior)\b",
    ),
    "feedback": (r"\bfeedback\b", r"\bcritici(sm|sed|zed)\b", r"\bweakness(es)?\b"),
    "ambiguity": (
        r"\bambigu(ity|ous)\b",
        r"\bunclear\b",
        r"\buncertain(ty)?\b",
        r"\bincomplete information\b",
    ),
    "prioritization": (
        r"\bprioriti[sz]",
        r"\beverything is urgent\b",
        r"\bcompeting (priorities|demands)\b",
        r"\bwhat to work on (first|next)\b",
    ),
    "deadlines": (
        r"\bdeadlines?\b",
        r"\bunder pressure\b",
        r"\btime pressure\b",
        r"\btight (schedule|timeline)\b",
    ),
    "tradeoffs": (r"\btrade-?offs?\b", r"\b(difficult|tough|hard) decision\b", r"\bcompromise\b"),
    "disagree-manager": (
        r"\bdisagree(d)? with (your|a|my) (manager|boss|lead|supervisor)\b",
        r"\bpush(ed)? back on (your|a) (manager|boss|lead)\b",
    ),
    "influence": (r"\binfluence\b", r"\bpersuade", r"\bconvince", r"\bbuy-in\b", r"\bwithout authority\b"),
    "communication": (r"\bexplain", r"\bnon-technical\b", r"\bstakeholders?\b", r"\bcommunicat"),
    "learning": (
        r"\blearn",
        r"\bnew (technology|tool|domain|language)\b",
        r"\bup-to-date\b",
        r"\bup to date\b",
    ),
    "process": (r"\bprocess(es)?\b", r"\bautomat", r"\bworkflow\b"),
    "customer": (r"\bcustomers?\b", r"\bclients?\b", r"\busers?\b"),
    "teamwork": (
        r"\bteammates?\b",
        r"\bcoworkers?\b",
        r"\bcolleagues?\b",
        r"\bcollaborat",
        r"\bpulling (their|his|her) weight\b",
    ),
    "motivation": (
        r"\bwhy (do|would) you want\b",
        r"\bwork (here|for us)\b",
        r"\blooking for\b",
        r"\bmotivat",
        r"\bnext role\b",
        r"\bcareer goals?\b",
        r"\bsee yourself\b",
        r"\binterested in (this|the|our) (role|position|job|company|team)\b",
    ),
    "ownership": (
        r"\bownership\b",
        r"\baccountab",
        r"\babove and beyond\b",
        r"\boutside (your|the) (role|scope)\b",
    ),
    "technical-depth": (
        r"\bchallenging (project|problem|bug)\b",
        r"\b(hardest|toughest) (bug|problem|technical)\b",
        r"\btechnical challenge\b",
        r"\bdebug",
    ),
    "perseverance": (
        r"\bpersever",
        r"\bsetbacks?\b",
        r"\bobstacles?\b",
        r"\bchallenging project\b",
        r"\bgive up\b",
    ),
    "integrity": (r"\bethic", r"\bintegrity\b", r"\bthe right thing\b", r"\bhonest", r"\bcut corners\b"),
    "adaptability": (
        r"\bchang(e|ed|es|ing) (in )?(priorities|requirements|plans|direction)\b",
        r"\badapt",
        r"\bpivot",
        r"\breorg",
    ),
}

_CUES = {cid: _rx(*patterns) for cid, patterns in _CUE_PATTERNS.items()}
_ORDER = tuple(c.id for c in COMPETENCIES)


def question_type(text: str) -> QuestionType:
    """The kind of answer ``text`` asks for (see :class:`QuestionType`), decided by the trained
    classifier of :mod:`starcoach.bank.qtypes`. A technical question is reported as APPROACH here (a
    question without a model answer cannot be graded by its points); :func:`explain` tells it apart."""
    kind = guess_type(text).type
    return QuestionType.APPROACH if kind is QuestionType.KNOWLEDGE else kind


def explain(text: str) -> TypeGuess:
    """The classifier's type for ``text`` (knowledge included), its probability and deciding cues."""
    return guess_type(text.strip().split("\n", 1)[0])


@lru_cache(maxsize=2048)  # the analyzer asks twice per question (resolving it, then its topics)
def competencies(text: str) -> tuple[str, ...]:
    """Taxonomy ids the question probes, in taxonomy order; () for non-behavioral questions."""
    if not _PERSONAL.search(text) or _CLOSING.search(text):
        return ()
    return tuple(cid for cid in _ORDER if cid in _CUES and _CUES[cid].search(text))


def classify(text: str) -> Classification:
    """Type and competencies for one question text, from its first line (the question itself)."""
    head = text.strip().split("\n", 1)[0]
    return Classification(question_type(head), competencies(head))


# A technical question asks about a subject, not about the candidate: a definition, a comparison, a
# mechanism, a formula or code. "you" in "How do you handle NaN values?" is generic, so these cues win
# over the personal check, but only within a document that is technical as a whole (see below).
_TECHNICAL = _rx(
    r"^\W*(what|which) (is|are|was|does|do) (a|an|the)?\s*(?!your?\b)",
    r"^\W*(explain|define|describe|compare|contrast|derive|implement|compute|calculate|write|design)\b"
    r"(?! (a|an|one) (time|situation|occasion|project|experience|example|mistake|failure|challenge))",
    r"\bdifference between\b",
    r"\b(vs\.?|versus)\b",
    r"^\W*how (does|do|is|are|can|would) (?!you\b)(a|an|the|we|one)?\s*\w+.*\b(work|compute|implement|handle|"
    r"differ|calculate|choose|avoid|fix|detect|prevent|design|serve|scale|interpret)",
    r"^\W*why (is|are|does|do|would|should|can)\b(?!.*\b(you want|work here|leave)\b)",
    r"^\W*when (would|should|do) (you|we|one) (use|choose|prefer|pick)\b",
    r"\$[^$]+\$",  # a formula
    r"`[^`]+`",  # code
)
TECHNICAL_DOC_SHARE = 0.5  # a document is technical when at least half its questions read as technical


def is_technical(text: str) -> bool:
    """Does the question (its first line) ask about a subject rather than about the candidate?

    Story, self and closing questions never are ("Describe a time...", "Why do you want to work here?").
    """
    head = text.strip().split("\n", 1)[0]
    guess = explain(head)
    if _clearly_behavioral(head):
        return False
    if guess.type is QuestionType.STORY and _TECHNICAL.search(head) is None:
        return False
    return _TECHNICAL.search(head) is not None or not _PERSONAL.search(head)


# The unmistakable story request, which no technical wording overrides.
_A_TIME = _rx(r"\b(a|one) time\b", r"\btell me about\b", r"\bhave you ever\b",
             r"\bgive (me )?an example (of a time |of when |when )?(you|where you)\b")


# Self questions by phrase, for documents only: inside a technical document a question keeps a self
# type only on these cues (the classifier reads "Why are Transformers better than RNNs?" as "Why us?").
_SELF = _rx(
    r"\bstrengths?\b",
    r"\bweakness(es)?\b",
    r"\bwhy (do|would) you want\b",
    r"\bwhy (this|our) (company|team|role)\b",
    r"\bwhy (here|us)\b",
    r"\bwork (here|for us|at)\b",
    r"\blooking for\b",
    r"\bwhere do you see yourself\b",
    r"\btell me about yourself\b",
    r"\bwhy should we hire\b",
    r"\bwhat motivates\b",
    r"\bcareer goals?\b",
    r"\bwhy (are|did) you leav",
    r"\bproudest\b",
    r"\bwhy (are|were) you interested\b",
    r"\binterested in (this|the|our) (role|position|job|company|team)\b",
)


def _clearly_behavioral(head: str) -> bool:
    """A story request no technical wording overrides, or a self/closing question by its phrase cues."""
    return bool(_A_TIME.search(head) or _CLOSING.search(head)
                or (_PERSONAL.search(head) and _SELF.search(head)))


_BEHAVIORAL_TITLE = _rx(r"\bbehaviou?ral\b", r"\bsoft skills?\b", r"\bleadership principles?\b")


def technical_document(title: str, questions: list[str]) -> bool:
    """Is a whole document technical (a day of the series on statistics, ML, system design, coding)?

    Decided by its questions' wording, unless its title or topic says it is behavioral.
    """
    if not questions or _BEHAVIORAL_TITLE.search(title):
        return False
    return sum(is_technical(q) for q in questions) >= TECHNICAL_DOC_SHARE * len(questions)


def document_type(text: str, technical_doc: bool) -> QuestionType:
    """The type of one question of a document: in a technical document every question that is not
    clearly behavioral (story, self, closing) is a knowledge question; elsewhere only technical wording
    that does not address the candidate makes one."""
    head = text.strip().split("\n", 1)[0]
    guess = explain(head)
    kind = QuestionType.APPROACH if guess.type is QuestionType.KNOWLEDGE else guess.type
    if _clearly_behavioral(head):
        return kind
    if technical_doc or (is_technical(head) and not _PERSONAL.search(head)):
        return QuestionType.KNOWLEDGE
    return kind


def cue_ids() -> tuple[str, ...]:
    """Competency ids that have cues (for tests: each must exist in the taxonomy)."""
    return tuple(_CUES)
