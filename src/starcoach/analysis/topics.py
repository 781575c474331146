"""What a question asks about, and how strongly an answer talks about it: competency cue lexicons.

Two sides of one table keyed by the competency taxonomy (starcoach.bank.taxonomy):

- question side: the competencies a question probes. A bank question brings its own; free text gets
  starcoach.bank.classify's guess plus the wider phrase cues below (classify stays conservative, so
  "Tell me about a bug you shipped" or "a time you messed up" would otherwise have no topic at all);
- answer side: words people use when they *tell* such a story ("we disagreed", "I rolled it back",
  "my mentee", "the deadline"), counted per competency and squashed to 0..1.

The relevance model (relevance.py) reads the match between the two as one of its features, so an
answer full of conflict words given to a mentoring question scores as off topic even when the static
embeddings are unsure. Pure functions over strings; no I/O, no learning here.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from starcoach.bank.classify import classify
from starcoach.rx import compile as rx_compile


def _rx(*patterns: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return rx_compile("|".join(f"(?:{p})" for p in patterns), flags)


def _low(*patterns: str) -> re.Pattern[str]:
    """Answer cues: all lower-case ASCII, matched case-sensitively on lower-cased text (several times
    faster than re.IGNORECASE, same matches once two letters are folded: see _FOLD)."""
    rx = _rx(*patterns, flags=0)
    starts = [_fixed_start(p) for p in patterns]
    _STARTS[rx.pattern] = None if "" in starts else tuple(sorted(set(starts)))
    return rx


# Every answer cue starts with \b and a word character, so a match can only begin where a word
# begins; for each cue pattern, the first (up to 3) fixed letters of its alternatives, with which that
# word must begin (None: an alternative has no fixed first letter, so the whole text is scanned).
_STARTS: dict[str, tuple[str, ...] | None] = {}
_FIXED = re.compile(r"\\b([a-z0-9]+)")


def _fixed_start(pattern: str) -> str:
    fixed = _FIXED.match(pattern)
    letters = fixed.group(1) if fixed else ""
    if pattern[2 + len(letters):][:1] in ("?", "*", "{"):  # the last letter is optional
        letters = letters[:-1]
    return letters[:3]


# Question phrasings classify() leaves without a competency; each adds the competencies it names.
_QUESTION_CUES: dict[str, re.Pattern[str]] = {
    "conflict": _rx(r"\bclash", r"\bfriction\b", r"\bdisagree", r"\bconflict", r"\bpushed? back\b",
                    r"\bstood your ground\b", r"\bdid not agree\b", r"\bdidn'?t agree\b"),
    "failure": _rx(r"\bmess(ed)? up\b", r"\berrors?\b", r"\bwent (badly|wrong)\b", r"\bfail",
                   r"\bmistake", r"\bnot go as planned\b", r"\bdidn'?t go as planned\b", r"\bmissed\b",
                   r"\blet .{0,20}down\b"),
    "mentoring": _rx(r"\bmentor", r"\bcoach", r"\bjunior\b", r"\bintern\b", r"\bdevelop(ed)? someone\b",
                     r"\bhelped a peer grow\b", r"\bget up to speed\b", r"\bonboard", r"\btrain(ed)?\b"),
    "feedback": _rx(r"\bfeedback\b", r"\bcritic"),
    "leadership": _rx(r"\blead\b", r"\bleader", r"\binitiative\b", r"\bstepped up\b", r"\btook the lead\b",
                      r"\bdrove\b", r"\bwithout being asked\b"),
    "ambiguity": _rx(r"\bambigu", r"\bunclear\b", r"\bclear (requirements|direction|guidance|goals?)\b",
                     r"\bwasn'?t clearly\b", r"\bfigure (things|it|out)", r"\blittle guidance\b",
                     r"\bno clear\b", r"\bnot clear\b", r"\bvague\b"),
    "prioritization": _rx(r"\bpriorit", r"\btoo much\b", r"\bmany (tasks|demands)\b", r"\bwhat not to do\b",
                          r"\bsay no\b", r"\bsaid no\b", r"\bplate\b", r"\bbacklog\b"),
    "deadlines": _rx(r"\bdeadlines?\b", r"\bpressure\b", r"\bshort timeline\b", r"\blittle time\b",
                     r"\bvery quickly\b", r"\bon time\b"),
    "tradeoffs": _rx(r"\btrade-?offs?\b", r"\bspeed (and|or|vs\.?|versus) quality\b", r"\bdecision\b",
                     r"\bbuild-?versus-?buy\b", r"\bversus\b"),
    "disagree-manager": _rx(r"\b(manager|boss|supervisor|leadership)\b"),
    "influence": _rx(r"\binfluenc", r"\bconvinc", r"\bpersuad", r"\badopt", r"\bwithout (being|formal)\b",
                     r"\bchange (a habit|how they work)\b", r"\bsupport an idea\b"),
    "communication": _rx(r"\bexplain", r"\bnon-?technical\b", r"\bwasn'?t technical\b", r"\bpresent",
                         r"\bcommunicat"),
    "learning": _rx(r"\blearn", r"\bramp(ed)? up\b", r"\bpick up\b", r"\bnew skill\b", r"\bunfamiliar\b",
                    r"\bcompetent\b", r"\bnew (tool|system|field|technology|codebase|language)\b"),
    "process": _rx(r"\bprocess", r"\bpractice\b", r"\broutine\b", r"\bbetter way\b", r"\bway your team\b",
                   r"\bhow work got done\b", r"\bculture\b", r"\bimprovement\b"),
    "customer": _rx(r"\bcustomers?\b", r"\bclients?\b", r"\busers?\b"),
    "teamwork": _rx(r"\bteammates?\b", r"\bcoworkers?\b", r"\bcolleagues?\b", r"\bgroup member\b",
                    r"\bpart of a team\b", r"\bteam (worked|to accomplish)\b", r"\bdoing (their|enough|his)\b",
                    r"\bpulling\b", r"\bshare\b", r"\bholding up\b", r"\bcontribut"),
    "ownership": _rx(r"\bproud", r"\bbeyond (your|the)? ?(job|role)\b", r"\bresponsib", r"\bownership\b",
                     r"\bnobody owned\b", r"\bmore than your role\b", r"\bpart of your role\b", r"\bon the hook\b"),
    "technical-depth": _rx(r"\bbugs?\b", r"\bincidents?\b", r"\boutages?\b", r"\bin production\b",
                           r"\bproduction (issue|problem|incident)\b", r"\btechnical (problem|decision)\b",
                           r"\bdebug", r"\bbroke\b", r"\b(hardest|toughest|challenging|demanding|complex|"
                           r"complicated|difficult) (\w+ )?project\b", r"\bmodel\b", r"\bintegration\b"),
    "perseverance": _rx(r"\bsetbacks?\b", r"\bobstacles?\b", r"\broadblocks?\b", r"\bgive up\b", r"\bpersist",
                        r"\bpersever", r"\bblockers?\b", r"\blong time\b", r"\bchalleng"),
    "integrity": _rx(r"\bethic", r"\bwrong\b", r"\bcorners?\b", r"\bright thing\b", r"\bwhat was right\b",
                     r"\bmisleading\b", r"\bprivacy\b"),
    "adaptability": _rx(r"\badapt", r"\bplans? (changed|got|were|completely)\b", r"\bchange course\b",
                        r"\bredirected\b", r"\bchang(ed|e) suddenly\b", r"\bthrown out\b", r"\bbig change\b",
                        r"\bmajor change\b", r"\bsudden"),
}

# Words that tell a story of each kind (matched on lower-cased answers, whole words or stems).
_ANSWER_CUES: dict[str, re.Pattern[str]] = {
    "conflict": _low(r"\bdisagree\w*", r"\bargu\w*", r"\bpush(ed)? ?back\b", r"\bconflict\w*", r"\btension\b",
                    r"\bclash\w*", r"\bfriction\b", r"\bcompromise\w*", r"\bobject(ed|ion)\b", r"\bheated\b",
                    r"\bcommon ground\b", r"\b(his|her|their) (concerns?|side|point of view)\b",
                    r"\bperspective\b", r"\bfrustrat\w*", r"\bconcerns\b", r"\bmediat\w*"),
    "failure": _low(r"\bmistakes?\b", r"\bfail\w*", r"\bbroke\b", r"\bbroken\b", r"\broll(ed)? ?back\b",
                   r"\brollback\b", r"\bmy fault\b", r"\bpost-?mortem\b", r"\bwent wrong\b", r"\bregret\w*",
                   r"\bshould have\b", r"\bapologi[sz]\w*", r"\bowned up\b", r"\bmissed\b", r"\bmy error\b",
                   r"\bi forgot\b", r"\boverlooked\b", r"\bmy bug\b", r"\bi misread\b", r"\bi underestimated\b"),
    "mentoring": _low(r"\bmentor\w*", r"\bmentee\b", r"\bjunior\b", r"\bintern\w*", r"\bnew hire\b",
                     r"\btaught\b", r"\bteach\w*", r"\bcoach\w*", r"\bonboard\w*", r"\bpair(ed|ing)\b",
                     r"\bconfidence\b", r"\bgrew\b", r"\bgrowth\b", r"\bwalked (him|her|them) through\b",
                     r"\bnew grad\w*", r"\bstudent\w*"),
    "feedback": _low(r"\bfeedback\b", r"\bcritici\w*", r"\bcritique\w*", r"\bperformance review\b",
                    r"\bone-on-one\b", r"\b1:1\b", r"\btold me (that )?i\b", r"\bblunt\w*"),
    "leadership": _low(r"\binitiative\b", r"\bnobody (had )?asked\b", r"\bvolunteer\w*", r"\btook the lead\b",
                      r"\bi led\b", r"\bstepped up\b", r"\bon my own\b", r"\bi proposed\b", r"\bi drove\b",
                      r"\bownership\b", r"\bkick-?off\b"),
    "ambiguity": _low(r"\bunclear\b", r"\bambigu\w*", r"\bvague\b", r"\bno spec\w*", r"\bundefined\b",
                     r"\bassumptions?\b", r"\bopen questions\b", r"\bclarif\w*", r"\bno one knew\b",
                     r"\bnobody knew\b", r"\bwithout (clear|a clear)\b"),
    "prioritization": _low(r"\bpriorit\w*", r"\bbacklog\b", r"\burgent\w*", r"\btriag\w*", r"\bdeprioriti\w*",
                          r"\bsaid no\b", r"\broadmap\b", r"\bimpact (and|vs\.?|versus) effort\b", r"\branked\b"),
    "deadlines": _low(r"\bdeadlines?\b", r"\blaunch date\b", r"\bdays? left\b", r"\bcrunch\b", r"\bovertime\b",
                     r"\bcut (the )?scope\b", r"\bon time\b", r"\bweekend\b", r"\btimeline\b", r"\bdue\b",
                     r"\bin time\b", r"\bpressure\b"),
    "tradeoffs": _low(r"\btrade-?offs?\b", r"\bversus\b", r"\bvs\.?\b", r"\boptions?\b", r"\bchose\b",
                     r"\bpros and cons\b", r"\bweigh\w*", r"\bdownside\b", r"\bcost of\b", r"\bsimpler\b"),
    "disagree-manager": _low(r"\bmy (manager|boss|supervisor|director|lead)\b", r"\bleadership\b"),
    "influence": _low(r"\bconvinc\w*", r"\bpersuad\w*", r"\bbuy-?in\b", r"\bskeptic\w*", r"\bchampion\w*",
                     r"\bproposal\b", r"\badopt\w*", r"\bwin (them|him|her) over\b", r"\bwon over\b",
                     r"\bpilot\b", r"\bsold\b", r"\bdemo\w*"),
    "communication": _low(r"\bnon-?technical\b", r"\bexplain\w*", r"\banalog\w*", r"\bstakeholders?\b",
                         r"\bexecutives?\b", r"\bplain (language|english|words)\b", r"\bdiagram\w*",
                         r"\bjargon\b", r"\bpresent\w*", r"\bslides?\b"),
    "learning": _low(r"\blearn\w*", r"\bcourses?\b", r"\btutorials?\b", r"\bramp(ed)? up\b", r"\bnew to\b",
                    r"\bpicked up\b", r"\bstudied\b", r"\bread up\b", r"\bdocumentation\b", r"\bbooks?\b"),
    "process": _low(r"\bprocess\w*", r"\bautomat\w*", r"\bchecklists?\b", r"\btemplates?\b", r"\bworkflow\w*",
                   r"\bmanual\w*", r"\bstreamlin\w*", r"\brunbooks?\b", r"\bci\b", r"\bscripts?\b"),
    "customer": _low(r"\bcustomers?\b", r"\bclients?\b", r"\busers?\b", r"\bsupport tickets?\b",
                    r"\bcomplain\w*", r"\bescalat\w*"),
    "teamwork": _low(r"\bteammates?\b", r"\btogether\b", r"\bcollaborat\w*", r"\bhelped (him|her|them)\b",
                    r"\bcoworkers?\b", r"\bcolleagues?\b", r"\bworkload\b", r"\bhis part\b", r"\bher part\b",
                    r"\btheir part\b"),
    "motivation": _low(r"\bpassion\w*", r"\bexcit\w*", r"\bmission\b", r"\blove\b", r"\bcareer\b",
                      r"\bmotivat\w*", r"\benjoy\w*"),
    "ownership": _low(r"\bowned\b", r"\bresponsib\w*", r"\baccountab\w*", r"\bend to end\b", r"\bproud\b",
                     r"\bnot my job\b", r"\bnobody owned\b"),
    "technical-depth": _low(r"\bbugs?\b", r"\bdebug\w*", r"\broot cause\b", r"\blatency\b", r"\bmemory\b",
                           r"\bprofil\w*", r"\blogs?\b", r"\bincidents?\b", r"\boutages?\b", r"\brace condition\b",
                           r"\bquer(y|ies)\b", r"\bdatabase\b", r"\bpipeline\b", r"\bcache\b", r"\bmodel\b",
                           r"\bproduction\b", r"\bpager\b", r"\bon-?call\b"),
    "perseverance": _low(r"\bkept (going|at it|trying|pushing)\b", r"\bpersist\w*", r"\bsetbacks?\b",
                        r"\bgave up\b", r"\bgive up\b", r"\bagain\b", r"\battempts?\b", r"\bblock(ed|ers?)\b",
                        r"\bobstacles?\b", r"\broadblocks?\b"),
    "integrity": _low(r"\bethic\w*", r"\bprivacy\b", r"\bhonest\w*", r"\bright thing\b", r"\brefused\b",
                     r"\bcompliance\b", r"\bsecurity\b", r"\bmislead\w*", r"\bcorners?\b", r"\bconsent\b",
                     r"\bwrong\b"),
    "adaptability": _low(r"\bpivot\w*", r"\breorg\w*", r"\bshifted\b", r"\badapt\w*", r"\bnew plan\b",
                        r"\bsudden\w*", r"\bchanged (direction|course|plans?)\b", r"\bscrapped\b",
                        r"\bredirect\w*"),
}

TOPICS: tuple[str, ...] = tuple(_ANSWER_CUES)


@lru_cache(maxsize=512)
def question_topics(text: str, known: tuple[str, ...] = ()) -> frozenset[str]:
    """Competencies the question probes: the bank's own list, classify's guess and the wider cues.
    A manager-disagreement topic needs a disagreement word too (a "manager" alone is not one)."""
    found = set(known) | set(classify(text).competencies)
    for topic, rx in _QUESTION_CUES.items():
        if rx.search(text):
            found.add(topic)
    if "disagree-manager" in found and not set(known) & {"disagree-manager"} and not _QUESTION_CUES[
            "conflict"].search(text) and not re.search(r"\b(challeng|push|stood|stand)", text, re.I):
        found.discard("disagree-manager")
    return frozenset(t for t in found if t in _ANSWER_CUES)


# The two letters that stay as they are under lower() yet match an ASCII letter case-insensitively (long s,
# dotless i) are folded first, so the case-sensitive answer cues count exactly what re.IGNORECASE would
# (tests/test_analysis_relevance.py checks it).
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i"})


def answer_topics(answer: str) -> dict[str, float]:
    """For each topic, how strongly the answer talks about it: 1 - exp(-hits / 2), in 0..1."""
    return dict(_answer_topics(answer))


@lru_cache(maxsize=8)  # one analysis asks twice (relevance, reflective-story check): scan once
def _answer_topics(answer: str) -> tuple[tuple[str, float], ...]:
    low = answer.lower().translate(_FOLD)
    words = _word_starts(low)
    return tuple((t, round(1.0 - math.exp(-_count(rx, low, words) / 2.0), 4)) for t, rx in _ANSWER_CUES.items())


_WORD_START = re.compile(r"\b\w")


def _word_starts(low: str) -> dict[str, list[int]]:
    """Where each word of ``low`` begins, by its first 1, 2 and 3 characters."""
    out: dict[str, list[int]] = {}
    for m in _WORD_START.finditer(low):
        at = m.start()
        for n in (1, 2, 3):
            out.setdefault(low[at:at + n], []).append(at)
    return out


def _count(rx: re.Pattern[str], low: str, words: dict[str, list[int]]) -> int:
    """``len(rx.findall(low))``, trying only where a word with one of the cue's first letters begins:
    findall takes the leftmost match, then looks again from its end; no match can start elsewhere."""
    starts = _STARTS[rx.pattern]
    if starts is None:
        return len(rx.findall(low))
    found, end = 0, 0
    for at in sorted({at for s in starts for at in words.get(s, ())}):
        if at >= end and (m := rx.match(low, at)) is not None:
            found, end = found + 1, m.end()
    return found


def topic_match(q_topics: frozenset[str], a_topics: dict[str, float]) -> tuple[float, float]:
    """(strongest cue score among the question's topics, strongest among all other topics)."""
    inside = max((a_topics[t] for t in q_topics), default=0.0)
    outside = max((v for t, v in a_topics.items() if t not in q_topics), default=0.0)
    return inside, outside
