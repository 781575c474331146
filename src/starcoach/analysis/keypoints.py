"""Key points of a knowledge question, read from its model answer's bullets, and the word matching
the knowledge grader uses.

Each bullet (labeled or plain) is one key point: its label, its Markdown text (formulas and code
kept), a plain-text form for matching, the content-word stems it is made of, and the claims it
denies. A claim written with an emphasised negation ("It is **not** the probability that Null is
true") is kept with the negation removed: an answer that states it is a misconception.

Pure functions over strings. This module does not decide coverage or scores (see
:mod:`starcoach.analysis.knowledge`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from starcoach.bank.model import Point


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` (for word lists written as one string)."""
    return frozenset(text.split())


STOP = wordset(
    """a an the and or but if then else of to in on at by for with from into onto over under about as is
    are was were be been being am do does did doing have has had having it its it's this that these those
    there here which who whom whose what when where why how than so such very can could would should
    will shall may might must just also both each any some more most other same own our we us
    you your yours i me my he she they them their his her one ones e.g eg i.e ie etc vs via like use
    used uses using get gets make makes thing things way ways something basically really means mean
    called call let lets per within between because while whereas instead rather"""
)
NEGATIONS = wordset(
    "not no never none nothing neither nor without cannot can't isn't aren't wasn't weren't doesn't "
    "don't didn't won't wouldn't shouldn't couldn't hasn't haven't hadn't nobody lacks lack"
)
# Paraphrase equivalents (after stemming): answers rarely reuse the model answer's exact words.
_SYNONYMS: dict[str, str] = {
    "wrong": "fals", "incorrect": "fals", "untru": "fals", "probabil": "probabl", "chanc": "probabl",
    "likelihood": "probabl", "big": "larg", "bigg": "larg", "huge": "larg", "tiny": "small",
    "little": "small", "quick": "fast", "slower": "slow", "ram": "memor", "mistak": "error",
    "grow": "increas", "rais": "increas", "rise": "increas", "boost": "increas", "reduc": "decreas",
    "shrink": "decreas", "calculat": "comput", "discard": "reject", "dictionar": "map", "dict": "map",
    "hashmap": "map", "averag": "mean", "duplicat": "copi", "forecast": "predict", "categor": "class",
    "observ": "data", "dataset": "data", "neuron": "unit", "gues": "estimat", "ever": "all",
    "multip": "multipl", "spread": "scatter", "sever": "multipl", "many": "multipl",
    "highest": "high", "lowest": "low", "lower": "low", "largest": "larg", "smallest": "small",
    "fastest": "fast", "slowest": "slow", "reduction": "decreas", "greedily": "greedy", "entire": "all",
}
_NUMERALS = {"1": "i", "one": "i", "first": "i", "2": "ii", "two": "ii", "second": "ii", "3": "iii",
             "three": "iii"}
_SUFFIXES = ("ational", "ization", "ations", "ation", "nesses", "ness", "ments", "ment", "ities", "ity",
             "ingly", "ings", "ing", "edly", "ies", "ied", "ives", "ive", "ers", "er", "ed", "es", "ly",
             "al", "s", "e", "y")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_EMPH_NEG = re.compile(r"(\*\*|__|\*|_)(not|never|no)\1", re.IGNORECASE)
_MATH = re.compile(r"\$\$?([^$]+)\$\$?")
_LATEX_CMD = re.compile(r"\\(?:frac|sqrt|text|mathrm|mathbb|mathcal|left|right|cdot|times|mid|sum|log)")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix stripper (enough to match 'rejecting' with 'reject', 'variances' with 'variance')."""
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4 and not (suf == "s" and w.endswith("ss")):
            w = w[: -len(suf)]
            break
    else:
        if len(w) == 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]  # 'adds' -> 'add', 'uses' stays a stop word
    return _SYNONYMS.get(w, w)


def plain(markdown: str) -> str:
    """Markdown -> readable text for matching: emphasis, code ticks and LaTeX commands removed."""
    text = _MATH.sub(lambda m: " " + _LATEX_CMD.sub(" ", m.group(1)) + " ", markdown)
    text = re.sub(r"```\w*", " ", text)
    text = re.sub(r"[*_`>|#]+", " ", text)
    text = text.replace("\\", " ").replace("->", " to ")
    return re.sub(r"\s+", " ", text).strip()


_NEG_PREFIX = re.compile(r"\b(non|un|in|im|bi|uni)-(?=[a-z])")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens ('_' and '.' inside identifiers split them; 'non-convex' stays one word)."""
    return _WORD.findall(_NEG_PREFIX.sub(r"\1", text.lower()).replace("_", " "))


BIG_O = re.compile(r"\bO\s*\(\s*([^()]*(?:\([^()]*\)[^()]*)*)\)")


def norm_o(expr: str) -> str:
    """A big-O body in one spelling: 'N \\cdot K \\log K', 'n·k log k' and 'N*K*log(K)' -> 'nklogk'."""
    e = re.sub(r"\\?(cdot|times)|[·*^\\\s{}()]", "", expr.lower())
    return e


def terms(text: str) -> frozenset[str]:
    """Content-word stems of a plain text, and each big-O it states ('o:n2' for O(N^2))."""
    words = {stem(t) for t in tokens(text) if t not in STOP and t not in NEGATIONS and (len(t) > 1 or t.isdigit())}
    return frozenset(words | {"o:" + norm_o(m) for m in BIG_O.findall(text)})


def negated(text: str) -> bool:
    """Does a clause deny what it says (an odd number of negations)?"""
    return sum(1 for t in tokens(text) if t in NEGATIONS or t.endswith("n't")) % 2 == 1


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One point of the model answer, ready for matching."""

    index: int
    label: str
    text: str  # the bullet's Markdown as written
    plain: str  # label and text as plain words
    terms: frozenset[str]  # content stems of label and text
    label_terms: frozenset[str]
    denied: tuple[frozenset[str], ...]  # claims the point marks as false (stems, negation removed)
    weight: float
    aside: frozenset[str] = frozenset()  # words only in parentheses: examples and asides count less
    name: str = ""  # what the point is about: its label, or the code it starts with ('`np.dot`: ...')


_PARENS = re.compile(r"\([^()]*\)")
GENERIC_LABEL = re.compile(
    r"^(interpretation|example|examples|steps?|difference|key|note|analogy|intuition|why|how|what|when|"
    r"pros?|cons?|use cases?|usage|result|summary|definition|idea|goal|solution|approach|fix|problem|"
    r"advantages?|disadvantages?|trade-?offs?|time|space|complexity|code|formula|answer|impact|"
    r"necessary|limitations?|rules?)\b", re.IGNORECASE)
_LIGHT_LABELS = re.compile(r"^(example|e\.g\.|analogy|note|tip|intuition|fun fact)", re.IGNORECASE)


def _denied_claims(text: str) -> tuple[frozenset[str], ...]:
    """Sentences with an emphasised negation, as the claims they deny."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if _EMPH_NEG.search(sentence):
            claim = terms(plain(_EMPH_NEG.sub(" ", sentence)))
            if len(claim) >= 2:
                out.append(claim)
    return tuple(out)


def key_points(points: tuple[Point, ...]) -> tuple[KeyPoint, ...]:
    """The key points of a model answer, one per bullet (empty bullets are skipped)."""
    out: list[KeyPoint] = []
    for p in points:
        label = plain(p.label)
        body = plain(p.text)
        if not (label or body):
            continue
        light = bool(_LIGHT_LABELS.match(label) or _LIGHT_LABELS.match(body))
        every = terms(f"{label} {body}")
        core = terms(plain(_PARENS.sub(" ", f"{p.label} {p.text}")))
        out.append(KeyPoint(
            index=len(out), label=p.label, text=p.text, plain=f"{label}: {body}" if label else body,
            terms=terms(f"{label} {body}"), label_terms=terms(label), denied=_denied_claims(p.text),
            weight=0.5 if light else 1.0, aside=every - core, name=_name(p),
        ))
    return tuple(out)


_LEADING_CODE = re.compile(r"^`([^`\n]+)`")


def _name(p: Point) -> str:
    if p.label:
        return p.label
    m = _LEADING_CODE.match(p.text)
    return f"`{m.group(1)}`" if m else ""


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern that finds a point's name in an answer: a label's words, or a code name as written
    (a code name that is an ordinary word, like `is`, only at the start of a clause or in quotes)."""
    if not name.startswith("`"):
        return label_pattern(name)
    code = name.strip("`")
    lit = re.escape(code)
    if all(t in STOP for t in tokens(code)) and tokens(code):
        return re.compile(rf"^\W*{lit}\b|[`'\"]{lit}[`'\"]", re.IGNORECASE)
    return re.compile(rf"(?<![\w.]){lit}(?![\w])")


def label_pattern(label: str) -> re.Pattern[str] | None:
    """A pattern that finds a label's words in an answer ('Type I ($\\alpha$)' -> 'type i' / 'type 1').

    Parenthesised parts and formulas are left out; None for labels with no words.
    """
    words = tokens(re.sub(r"\([^)]*\)|\$[^$]*\$", " ", label))
    if not words:
        return None
    alts = []
    for w in words:
        same = [k for k, v in _NUMERALS.items() if v == w] + [w]
        alts.append("(?:" + "|".join(re.escape(x) for x in sorted(set(same))) + ")")
    return re.compile(r"\b" + r"[\s_-]*".join(alts) + r"\b", re.IGNORECASE)
