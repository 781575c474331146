"""Signals found in an answer, each with the spans that show it.

Quantified outcomes (numbers, percentages, money, time, scale), ownership (I vs we inside the action
sentences: reported, never punished wholesale), fillers and hedges (rates per 100 words), blame or
negativity about other people, reflection, specificity (named systems and concrete nouns vs vague
words), the scope of the story (own work / team / several teams / organization) and the words that
show it. Everything is phrase- and pattern-based over the original text so that every finding has
offsets. Scoring and wording of feedback live elsewhere (scoring.py, feedback.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starcoach.analysis.types import Flag, Sentence, Span
from starcoach.rx import compile as rx_compile

WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-./+#]*")


# Typographic apostrophes (right and left single quotation marks, modifier letter apostrophe) read as
# "'": phones and word processors type "I\u2019ve", the cues are written "i've". Same length, so every
# offset stays an offset into the original text.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# The two letters lower() leaves as they are yet re.IGNORECASE matches to an ASCII letter (long s,
# dotless i): folded after lower() so that a lower-case pattern sees what re.IGNORECASE sees.
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def plain(text: str) -> str:
    """The text with typographic apostrophes written as "'" (same length, same offsets)."""
    return text.translate(APOSTROPHES)


_FOLDED: dict[str, str] = {}  # the last texts folded: every cue of an answer scans the same text


def _folded(text: str) -> str:
    low = _FOLDED.get(text)
    if low is None:
        if len(_FOLDED) >= 64:
            _FOLDED.clear()
        low = _FOLDED[text] = text.lower().translate(_FOLD)
    return low


class Cue:
    """A case-insensitive pattern, written in lower case and matched case-sensitively on the lower-cased
    text: two to four times faster than re.IGNORECASE, and the same matches. lower() maps each character
    to one character that the lower-case pattern accepts exactly when the re.IGNORECASE one accepts the
    original, once the two letters lower() leaves alone yet re.IGNORECASE equates with ASCII ones (long
    s, dotless i) are folded (tests/test_analysis_signals.py checks every code point). Text that lower()
    lengthens (a dotted capital I) is matched with the re.IGNORECASE pattern itself. Either way a
    typographic apostrophe reads as "'" (see :func:`plain`). The methods give positions in the text,
    never the lower-cased words."""

    __slots__ = ("_ci", "low", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.low = rx_compile(source)
        self._ci: re.Pattern[str] | None = None

    @property
    def ci(self) -> re.Pattern[str]:
        """The re.IGNORECASE pattern (compiled when first needed: only for text lower() lengthens)."""
        if self._ci is None:
            self._ci = rx_compile(self.source, re.I)
        return self._ci

    def _on(self, text: str) -> tuple[re.Pattern[str], str]:
        low = _folded(text)
        return (self.low, low) if len(low) == len(text) else (self.ci, plain(text))

    def spans(self, text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every match in text[lo:hi], as re.IGNORECASE finditer gives them."""
        rx, on = self._on(text)
        return [m.span() for m in rx.finditer(on, lo, len(text) if hi is None else hi)]

    def search(self, text: str) -> tuple[int, int] | None:
        rx, on = self._on(text)
        m = rx.search(on)
        return None if m is None else m.span()

    def match(self, text: str) -> bool:
        rx, on = self._on(text)
        return rx.match(on) is not None

    def count(self, text: str) -> int:
        rx, on = self._on(text)
        return sum(1 for _ in rx.finditer(on))

    def blank(self, text: str) -> str:
        """The text with every match replaced by one space (re.sub(" ", ...) for a cue that never
        matches the empty string)."""
        out: list[str] = []
        at = 0
        for a, b in self.spans(text):
            out += [text[at:a], " "]
            at = b
        out.append(text[at:])
        return "".join(out)


def _rx(words: Iterable[str]) -> Cue:
    alts = sorted(words, key=lambda w: (-len(w), w))
    return Cue(r"(?<![\w'])(?:" + "|".join(alts) + r")(?![\w'])")


_UNIT = (
    r"%|percent|pct|x|k|m|ms|s|h|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|"
    r"months?|years?|quarters?|sprints?|users?|customers?|clients?|people|engineers?|teams?|requests?|"
    r"tickets?|bugs?|incidents?|pages?|alerts?|services?|servers?|nodes?|gb|tb|mb|qps|rps|points?|"
    r"dollars?|million|billion|thousand|hundred|times|fold"
)
_NUMBER = Cue(
    r"(?<![\w.])(?:[$\u20ac\u00a3]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:" + _UNIT + r"))?(?![\w])"
    r"|(?<![\w])(?:half|double(?:d)?(?!-)|triple(?:d)?|tenfold|twice|zero|(?:two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|"
    r"hundreds of|thousands of|a dozen|dozens of)(?:[ -](?:one|two|three|four|five|six|seven|eight|"
    r"nine))?(?:\s(?:" + _UNIT + r"))?)(?![\w])",
)
_I = Cue(r"(?<![\w'])(?:i|me|my|myself|i'm|i've|i'd|i'll|mine)(?![\w'])")
_WE = Cue(r"(?<![\w'])(?:we|us|our|ourselves|we're|we've|we'd|we'll|ours)(?![\w'])")
NUMBER_RE, I_RE, WE_RE = _NUMBER.ci, _I.ci, _WE.ci  # as plain patterns for other modules (probe.py)
FILLER_RE = Cue(
    r"(?<![\w'])(?:um+|uh+|erm|hmm+|you know|i mean|basically|literally|so yeah|actually)(?![\w'])"
)
_LIKE_RE = Cue(r"(?<![\w'])like(?![\w'])")
_LIKE_BEFORE = frozenset(["was", "is", "were", "it's", "and", "um", "uh", "so", "just", "but", "or"])
_LIKE_AFTER = frozenset(
    ["to", "that", "this", "a", "an", "the", "it", "them", "him", "her", "me", "you", "us", "i", "we",
     "when", "how", "what"]
)
HEDGE_RE = _rx([
    "i think", "i guess", "i believe", "i feel like", "maybe", "probably", "perhaps", "kind of", "sort of",
    "somewhat", "might have", "not sure", "hopefully", "more or less", "i suppose", "possibly", "a bit",
])
_OTHERS = (
    r"(?:they|them|he|she|him|her|my (?:manager|boss|lead|team|teammates?|colleagues?|coworkers?|"
    r"peers?|director)|the (?:other|whole) (?:team|people|engineers?|devs?)|teammates|colleagues|"
    r"coworkers|co-workers|management|everyone else|nobody|people|the client|the pm|qa)"
)
_NEG = (
    r"(?:lazy|incompetent|stupid|useless|clueless|careless|sloppy|toxic|annoying|ridiculous|idiots?|"
    r"hopeless|terrible|awful|horrible|worthless|arrogant|selfish|dumb|never listen(?:ed|s)?|"
    r"didn'?t care|did not care|didn'?t listen|did not listen|wouldn'?t listen|refused to (?:help|listen)|"
    r"dropped the ball|messed (?:it|everything) up|screwed (?:it|everything|up)|couldn'?t be bothered|"
    r"never (?:helped|did anything|cared)|had no idea what (?:they|he|she) (?:was|were) doing)"
)
BLAME_RE = Cue(
    r"(?<![\w'])(?:(?:it|this|that) was (?:all )?(?:their|his|her) fault|(?:their|his|her) fault|"
    r"not my fault|wasn'?t my fault|blamed? (?:them|him|her|the)|the real problem was (?:that )?" + _OTHERS
    + r"(?:\b[^.!?]{0,40}?\b" + _NEG + r")?|" + _OTHERS + r"\b[^.!?]{0,40}?\b" + _NEG + r")(?![\w'])"
)
NEG_RE = re.compile(r"(?<![\w'])" + _NEG + r"(?![\w'])", re.I)
REFLECT_RE = _rx([
    "learned", "learnt", "i learned", "lesson", "lessons", "taught me", "in hindsight", "looking back",
    "next time", "would do differently", "would have", "i realized", "i realised", "realized that",
    "since then", "now i always", "i now", "from then on", "takeaway", "changed how i", "i'd do",
    "going forward", "i started", "i've started", "i still",
])
VAGUE_RE = _rx([
    "stuff", "things", "something", "some issues", "some problems", "various", "etc", "a lot", "somehow",
    "whatever", "kind of things", "many things", "everything", "handled it", "dealt with it",
    "worked on it", "some stuff", "and so on", "all that", "a bunch", "it worked out", "went well",
    "it was fine", "did my best", "some people", "certain things",
])
TECH_RE = _rx([
    "api", "apis", "sql", "postgres", "postgresql", "mysql", "kafka", "redis", "kubernetes", "k8s", "docker",
    "aws", "gcp", "azure", "s3", "lambda", "terraform", "python", "java", "golang", "rust", "react", "spark",
    "airflow", "jenkins", "github", "gitlab", "jira", "slack", "grafana", "datadog", "pagerduty", "ci",
    "cd", "ci/cd", "etl", "dashboard", "pipeline", "schema", "microservice", "microservices", "endpoint",
    "database", "cache", "queue", "latency", "throughput", "uptime", "sla", "slo", "regression", "a/b test",
    "benchmark", "prototype", "runbook", "postmortem", "post-mortem", "rollback", "migration", "deploy",
    "release", "model", "dataset", "feature flag", "load test", "unit tests", "code review", "pull request",
    "spreadsheet", "roadmap", "rfc", "design doc", "okr", "okrs", "kpi", "p99", "p95", "gpu", "llm",
])
SCOPE_LEVELS: tuple[str, ...] = ("own work", "team", "several teams", "organization")
SCOPE_READING = {"own work": "junior", "team": "senior", "several teams": "senior to staff",
                 "organization": "staff"}
_SCOPE_RE: dict[str, Cue] = {
    "organization": _rx([
        "company-wide", "companywide", "org-wide", "across the company", "across the org", "whole company",
        "entire company", "all of engineering", "every team", "executives", "leadership team", "vp", "cto",
        "ceo", "director", "directors", "organization", "organisation", "policy", "the whole org",
        "engineering-wide", "all teams", "hiring process", "standard for", "department",
    ]),
    "several teams": _rx([
        "teams", "cross-team", "cross-functional", "other team", "other teams", "partner team", "two teams",
        "three teams", "stakeholders", "product and", "design and", "sales", "legal", "finance",
        "support team",
        "platform team", "infra team", "data team", "security team", "the business",
    ]),
    "team": _rx([
        "my team", "our team", "the team", "teammates", "team's", "squad", "the engineers", "i led",
        "i mentored", "the group", "our sprint", "standup", "retro", "junior", "new hire", "intern",
    ]),
    "own work": _rx(["i wrote", "i fixed", "i built", "my code", "my task", "my ticket", "my project",
                     "i debugged", "i implemented", "i tested", "my part"]),
}


@dataclass(frozen=True, slots=True)
class Ownership:
    i_count: int
    we_count: int
    i_share: float  # I / (I + we) in the action sentences (0.5 when neither is used)
    spans_we: tuple[Span, ...]


def find(cue: Cue, text: str, lo: int = 0, hi: int | None = None) -> list[Span]:
    """All matches of ``cue`` in text[lo:hi] as spans of the whole text."""
    return [Span(text[a:b], a, b) for a, b in cue.spans(text, lo, hi)]


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def numbers(text: str) -> list[Span]:
    return find(_NUMBER, text)


def ownership(text: str, action_sents: Sequence[Sentence]) -> Ownership:
    """Count I-forms and we-forms in the action sentences (the whole answer if there are none)."""
    ranges = [(s.start, s.end) for s in action_sents] or [(0, len(text))]
    i_spans = [sp for a, b in ranges for sp in find(_I, text, a, b)]
    we_spans = [sp for a, b in ranges for sp in find(_WE, text, a, b)]
    total = len(i_spans) + len(we_spans)
    share = len(i_spans) / total if total else 0.5
    return Ownership(len(i_spans), len(we_spans), share, tuple(we_spans))


def _is_filler_like(text: str, start: int, end: int) -> bool:
    """'like' as a filler ("he was like failing", "like, we"), not as a verb or comparison."""
    before = text[max(0, start - 12):start]
    after = text[end:end + 12]
    if before.rstrip().endswith(",") or after.startswith(","):
        return True
    prev = re.findall(r"[\w']+", before.lower())
    nxt = re.findall(r"[\w']+", after.lower())
    if not prev or prev[-1] not in _LIKE_BEFORE:
        return False
    return not nxt or nxt[0] not in _LIKE_AFTER


def fillers(text: str) -> list[Span]:
    spans = find(FILLER_RE, text)
    spans += [sp for sp in find(_LIKE_RE, text) if _is_filler_like(text, sp.start, sp.end)]
    return sorted(spans, key=lambda sp: sp.start)


# "this kind of project", "what sort of tests": a kind of thing, not a hedge
_KIND_OF_AFTER = frozenset(["this", "that", "these", "those", "what", "which", "the", "a", "an", "any", "some",
                            "every", "each", "same", "one", "another", "other", "no", "all", "its", "their",
                            "our", "my", "your", "his", "her", "different", "similar", "right", "wrong", "new",
                            "certain", "particular", "specific", "whatever"])


def hedges(text: str) -> list[Span]:
    return [sp for sp in find(HEDGE_RE, text) if not _names_a_kind(text, sp)]


def _names_a_kind(text: str, sp: Span) -> bool:
    if sp.text.lower() not in ("kind of", "sort of"):
        return False
    prev = re.findall(r"[\w']+", text[max(0, sp.start - 16):sp.start].lower())
    return bool(prev) and prev[-1] in _KIND_OF_AFTER


def blame(text: str) -> list[Span]:
    return find(BLAME_RE, text)


def reflection(text: str) -> list[Span]:
    return find(REFLECT_RE, text)


def vague(text: str) -> list[Span]:
    return find(VAGUE_RE, text)


# A capitalised word (\b[A-Z]...: no word character before it), written with the letter first so that
# the search skips to capitals instead of trying every position
_CAPITALISED = re.compile(r"[A-Z](?<!\w[A-Z])[A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*\b")
_VERSIONED = re.compile(r"\b[a-z]+\d[\w.]*\b|\b\w+\.(?:js|py|io)\b")  # v2, s3, node.js
_LETTER_DIGIT = re.compile(r"[a-z]\d")  # what the first alternative needs; the second needs .js, .py or .io


def named_things(text: str, sentences: Sequence[Sentence]) -> list[Span]:
    """Named systems and concrete technical nouns: capitalised words not opening a sentence, acronyms,
    tokens with digits or dots (v2, S3, node.js) and a lexicon of common engineering nouns."""
    starts = {s.start for s in sentences}
    out: dict[int, Span] = {}
    for m in _CAPITALISED.finditer(text):
        tok = m.group(0)
        if m.start() in starts or tok in ("I", "I'm") or len(tok) < 2:
            continue
        prev = text[max(0, m.start() - 2):m.start()]
        if prev.strip() in (".", "!", "?", ":", "-", "*"):
            continue
        out[m.start()] = Span(tok, m.start(), m.end())
    if _LETTER_DIGIT.search(text) or ".js" in text or ".py" in text or ".io" in text:  # else it cannot match
        for m in _VERSIONED.finditer(text):
            out.setdefault(m.start(), Span(m.group(0), m.start(), m.end()))
    for sp in find(TECH_RE, text):
        out.setdefault(sp.start, sp)
    return [out[k] for k in sorted(out)]


def scope(text: str) -> dict[str, object]:
    """Highest scope the story shows, with the words that show it, and a level reading."""
    evidence: dict[str, list[Span]] = {lvl: find(rx, text) for lvl, rx in _SCOPE_RE.items()}
    level = "own work"
    for lvl in SCOPE_LEVELS:
        if evidence.get(lvl):
            level = lvl
    return {
        "level": level,
        "reading": SCOPE_READING[level],
        "evidence": [{"text": sp.text, "start": sp.start, "end": sp.end}
                     for sp in evidence.get(level, [])[:5]],
    }


def flags_from(kind: str, spans: Iterable[Span]) -> list[Flag]:
    return [Flag(kind, sp.text, sp.start, sp.end) for sp in spans]
