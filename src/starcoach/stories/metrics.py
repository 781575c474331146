"""Find the numbers in a text and say what each one measures.

"FP down 60%", "saved $1.2M a year", "a team of six", "from 3 days to 10 minutes", "in 2021":
each becomes a :class:`Metric` with a kind (percent, money, duration, people, ...), a normalised value
(durations in seconds, money in plain units) and the words around it. Used to tell whether a result
is quantified, to read a story's **Metrics** field, and to compare a retelling with the stored story.
Rules over regular expressions only; it does not try to understand arithmetic or ranges.
"""

from __future__ import annotations

import re

from starcoach.stories.model import Metric, MetricKind
from starcoach.stories.text import STOPWORDS, stem, wordset

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_NUMBER = re.compile(
    r"(?<![\w.$€£])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mag>\s?(?:million|billion|thousand|bn|[kKMB])(?![a-zA-Z]))?"
    r"|\b(?P<word>" + "|".join(_WORD_NUMBERS) + r")\b",
    re.IGNORECASE,
)
_MAGNITUDE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_DURATIONS: dict[str, float] = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "day": 86400,
    "days": 86400,
    "week": 604800,
    "weeks": 604800,
    "wk": 604800,
    "wks": 604800,
    "month": 2629800,
    "months": 2629800,
    "quarter": 7889400,
    "quarters": 7889400,
    "year": 31557600,
    "years": 31557600,
    "yr": 31557600,
    "yrs": 31557600,
}
_PEOPLE = wordset(
    "people person persons engineer engineers developer developers dev devs scientist scientists analyst "
    "analysts designer designers member members teammate teammates report reports intern interns hire "
    "hires folks employee employees staff contractor contractors researcher researchers manager managers "
    "pms junior juniors senior seniors colleague colleagues volunteer volunteers student students "
    "headcount sres"
)
_TEAMS = wordset("team teams squad squads org orgs organisations organizations department departments groups")
_CURRENCY_WORDS = {
    "dollars": "$",
    "usd": "$",
    "eur": "€",
    "euros": "€",
    "euro": "€",
    "pounds": "£",
    "gbp": "£",
}
_SKIPPABLE = wordset(
    "new more fewer extra additional major minor big small large critical senior junior other different "
    "separate active open production internal external full-time part-time remote key high low"
)
_COMPARATIVE = re.compile(r"(?:faster|slower|more|less|fewer|higher|lower|bigger|smaller|cheaper|quicker)\b")
_FOLLOW = re.compile(r"\s*(?:-\s*)?(?P<w1>%|[a-z][a-z'-]*)(?:\s+(?P<w2>[a-z][a-z'-]*))?", re.IGNORECASE)
_GROUP_OF = re.compile(r"\b(?:team|squad|group|crew) of\s*$", re.IGNORECASE)
_CONTEXT_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+#-]*")
_CLAUSE_BREAK = re.compile(r"[.;,!?()\n]|\s(?:and|while|but|whereas)\s")
_RANGE_JOIN = re.compile(r"^\s*(?:->|\u2192|to|-|\u2013)\s*$")


def _number_value(m: re.Match[str]) -> float:
    if m.group("word"):
        return float(_WORD_NUMBERS[m.group("word").lower()])
    value = float(m.group("num").replace(",", ""))
    mag = (m.group("mag") or "").strip()
    if mag == "m" and not m.group("cur"):
        return value  # "10m" without a currency reads as minutes; _classify converts it
    return value * _MAGNITUDE.get(mag.lower(), 1.0)


def _unit_after(text: str, pos: int) -> tuple[str, str, int]:
    """(unit word, second word, end offset) of what follows a number at ``pos``."""
    m = _FOLLOW.match(text, pos)
    if m is None:
        return "", "", pos
    return m.group("w1").lower(), (m.group("w2") or "").lower(), m.end("w1")


def _classify(text: str, m: re.Match[str]) -> tuple[MetricKind, str, float, int]:
    """Kind, unit, value and end offset of the number matched by ``m``."""
    value = _number_value(m)
    raw_mag = (m.group("mag") or "").strip()
    if raw_mag == "m" and not m.group("cur"):
        return MetricKind.DURATION, "s", value * 60, m.end()
    if m.group("cur"):
        return MetricKind.MONEY, m.group("cur"), value, m.end()
    w1, w2, end = _unit_after(text, m.end())
    if w1 == "%" or w1 in ("percent", "pct") or (w1 == "per" and w2 == "cent"):
        return MetricKind.PERCENT, "%", value, end
    if w1 in ("x", "×", "fold") or (w1 == "times" and _COMPARATIVE.match(w2)):
        return MetricKind.RATIO, "x", value, end
    if w1 in _CURRENCY_WORDS:
        return MetricKind.MONEY, _CURRENCY_WORDS[w1], value, end
    if w1 in _DURATIONS and not (w1 == "s" and m.group("word")):
        return MetricKind.DURATION, "s", value * _DURATIONS[w1], end
    # "3 senior engineers", "3 research teams": the noun after one qualifying word
    if w1 not in _PEOPLE and w1 not in _TEAMS and (w2 in _PEOPLE or w2 in _TEAMS):
        return _by_noun(text, m, value, w2, _unit_after(text, end)[2])
    noun, noun_end = (w2, _unit_after(text, end)[2]) if w1 in _SKIPPABLE and w2 else (w1, end)
    return _by_noun(text, m, value, noun, noun_end)


def _by_noun(
    text: str, m: re.Match[str], value: float, noun: str, end: int
) -> tuple[MetricKind, str, float, int]:
    if noun in _PEOPLE or noun.endswith("-person"):
        return MetricKind.PEOPLE, "people", value, end
    if noun in _TEAMS:
        return MetricKind.TEAMS, "teams", value, end
    if _GROUP_OF.search(text[max(0, m.start() - 20) : m.start()]):
        return MetricKind.PEOPLE, "people", value, m.end()
    if noun and len(noun) >= 3 and noun not in STOPWORDS and noun.isalpha():
        return MetricKind.COUNT, stem(noun), value, end
    if (
        m.group("num")
        and not m.group("mag")
        and "," not in m.group("num")
        and "." not in m.group("num")
        and 1990 <= value <= 2039
    ):
        return MetricKind.YEAR, "year", value, m.end()
    return MetricKind.NUMBER, "", value, m.end()


_CONTEXT_CHARS = 240  # how far a clause is read on each side of a number (plenty for 4 words)


def _context(text: str, start: int, end: int, width: int = 4) -> str:
    """Content words of the clause around ``text[start:end]``: up to ``width`` on each side.

    Only a window of ``_CONTEXT_CHARS`` on each side is read, so a text of n numbers costs O(n),
    not O(n²) ("1-1-1-..." of 120 KB took 8 minutes when each number scanned the whole text).
    """
    left = text[max(0, start - _CONTEXT_CHARS) : start]
    cut = max((b.end() for b in _CLAUSE_BREAK.finditer(left)), default=0)
    right = text[end : end + _CONTEXT_CHARS]
    stop = _CLAUSE_BREAK.search(right)
    right = right[: stop.start()] if stop else right
    before = _content_words(left[cut:])[-width:]
    after = _content_words(right)[:width]
    return " ".join(before + after)


def _content_words(text: str) -> list[str]:
    found = (w.lower().strip("-'") for w in _CONTEXT_WORD.findall(text))
    return [w for w in found if w and w not in STOPWORDS and w not in _DURATIONS]


def _join_ranges(text: str, found: list[Metric], raw: list[float]) -> list[Metric]:
    """'55 -> 18 minutes', 'from 3 to 5 engineers': a bare number takes the unit of the next one."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.kind is MetricKind.NUMBER
            and b.kind is not MetricKind.NUMBER
            and raw[i + 1]
            and _RANGE_JOIN.match(text[a.end : b.start])
        ):
            out[i] = Metric(a.text, a.value * b.value / raw[i + 1], b.kind, b.unit, a.context, a.start, a.end)
    return out


def extract_metrics(text: str) -> tuple[Metric, ...]:
    """Every number in ``text`` with what it measures, in order of appearance.

    Number words ("six", "a dozen") count only when a unit follows them, so "one of them" is not a
    metric; a bare four-digit number between 1990 and 2039 is read as a year.
    """
    found: list[Metric] = []
    raw: list[float] = []
    for m in _NUMBER.finditer(text):
        kind, unit, value, end = _classify(text, m)
        if (
            m.group("word")
            and kind in (MetricKind.NUMBER, MetricKind.COUNT, MetricKind.YEAR)
            and not _GROUP_OF.search(text[max(0, m.start() - 20) : m.start()])
        ):
            continue
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        found.append(
            Metric(
                text=text[start:end],
                value=value,
                kind=kind,
                unit=unit,
                context=_context(text, start, end),
                start=start,
                end=end,
            )
        )
        raw.append(_number_value(m))
    return tuple(_join_ranges(text, found, raw))


def is_quantified(text: str) -> bool:
    """Whether ``text`` holds at least one number that measures something (not only a year)."""
    return any(m.kind not in (MetricKind.YEAR,) for m in extract_metrics(text))


def same_value(a: Metric, b: Metric) -> bool:
    """Whether two metrics of one kind state the same amount (within rounding)."""
    if a.kind != b.kind:
        return False
    if a.kind in (MetricKind.PERCENT, MetricKind.YEAR, MetricKind.PEOPLE, MetricKind.TEAMS):
        return abs(a.value - b.value) < 0.5 + 0.02 * max(abs(a.value), abs(b.value))
    hi = max(abs(a.value), abs(b.value))
    return hi == 0 or abs(a.value - b.value) / hi <= 0.1
