"""Split an answer into sentences or clauses, keeping character offsets into the original text.

Handles three shapes of input: typed prose (split at sentence punctuation, minding abbreviations and
decimals), bullet lists (one bullet is at least one unit; the bullet marker is left out of the span),
and pasted speech transcripts (no punctuation, fillers, run-ons), which are cut into clauses before
discourse markers ("so", "and then", "in the end", a fresh "I"/"we" subject) so that each clause is
short enough to carry one STAR part. Pure text processing; it does not label anything.
"""

from __future__ import annotations

import itertools
import re

from starcoach.analysis.types import Span

_BULLET = re.compile(r"^[ \t]*(?:[-*+\u2022\u2023\u25aa\u2013]|\d{1,2}[.)])[ \t]+")
_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_TOKEN = re.compile(r"\S+")
_ABBREV = frozenset(
    [
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "approx", "no", "inc", "ltd", "co",
        "jr", "sr", "st", "u.s", "u.k", "a.m", "p.m", "fig", "est", "dept",
    ]
)
# Clause openers for transcripts: a break may go right before these tokens.
_OPENERS_1 = frozenset(
    [
        "so", "then", "but", "however", "eventually", "finally", "afterwards", "overall", "basically",
        "anyway", "also", "i", "we", "my", "our", "they", "he", "she", "it", "now", "later", "luckily",
        "unfortunately", "honestly", "ultimately", "thankfully", "first", "second", "third", "next",
        "lastly", "because", "okay", "ok", "yeah",
    ]
)
_OPENERS_2 = frozenset(
    {
        ("and", "so"), ("and", "then"), ("after", "that"), ("as", "a"), ("in", "the"), ("by", "the"),
        ("at", "the"), ("at", "that"), ("since", "then"), ("looking", "back"), ("what", "i"),
        ("the", "result"), ("the", "outcome"), ("and", "i"), ("and", "we"), ("and", "it"),
        ("and", "that"), ("and", "the"), ("and", "now"), ("that", "meant"), ("which", "meant"),
        ("um", "so"), ("uh", "so"), ("and", "um"), ("and", "uh"), ("my", "job"), ("my", "task"),
        ("the", "goal"), ("the", "problem"), ("the", "issue"), ("in", "hindsight"), ("this", "was"),
        ("a", "few"), ("two", "weeks"), ("within", "a"), ("over", "the"), ("for", "example"),
        ("one", "thing"), ("what", "we"), ("the", "team"), ("the", "project"), ("the", "next"),
        ("and", "he"), ("and", "she"), ("and", "they"), ("and", "my"), ("and", "our"), ("and", "after"),
        ("and", "by"), ("and", "in"), ("and", "eventually"), ("and", "finally"), ("and", "since"),
        ("which", "was"), ("which", "is"), ("which", "honestly"), ("but", "i"), ("but", "we"),
    }
)
# Words after which a subject pronoun continues the same clause ("what i did", "because we").
_BINDERS = frozenset(
    [
        "that", "when", "because", "if", "what", "how", "where", "why", "as", "than", "and", "but", "or",
        "to", "which", "who", "whom", "while", "until", "after", "before", "since", "about", "of", "for",
        "with", "by", "from", "so", "whether", "once", "though", "although", "like", "um", "uh", "said",
        "think", "thought", "knew", "know", "felt", "realized", "noticed", "told", "asked", "meant",
        "mean", "guess", "hope", "saw", "said", "on", "in", "at", "into", "onto", "over", "under",
        "through", "across", "without", "within", "per", "via", "against", "between", "among", "around",
        "during", "toward", "towards", "behind", "beyond", "up", "down", "off", "out", "is", "are", "were",
        "be", "been", "being", "get", "got", "had", "have", "has", "do", "did", "does", "can", "could",
        "would", "should", "will", "might", "must", "let", "make", "made",
    ]
)
MIN_CLAUSE_WORDS = 6
MAX_TYPED_WORDS = 40
SPEECH_MIN_WORDS = 25


def _norm_token(tok: str) -> str:
    return tok.strip(".,;:!?\"'()[]{}\u201c\u201d\u2018\u2019").lower()


def _blocks(text: str) -> list[tuple[int, int]]:
    """Cut the text at blank lines and at lines that start a bullet; join soft-wrapped lines."""
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        bullet = _BULLET.match(line)
        if not stripped:
            if start is not None:
                blocks.append((start, pos))
                start = None
        else:
            line_start = pos + (bullet.end() if bullet else len(line) - len(line.lstrip()))
            if start is None:
                start = line_start
            elif bullet or _ends_sentence(text[start:pos]):
                blocks.append((start, pos))
                start = line_start
        pos += len(line)
    if start is not None:
        blocks.append((start, pos))
    return [_trim(text, a, b) for a, b in blocks if text[a:b].strip()]


def _ends_sentence(chunk: str) -> bool:
    s = chunk.rstrip()
    return bool(s) and (s[-1] in ".!?:\u2026" or len(s) < 40)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _is_abbrev(text: str, cut: int) -> bool:
    """True when the punctuation just before ``cut`` ends an abbreviation or an initial."""
    end = cut - 1 if text[cut - 1:cut] == "\n" else cut  # the run of non-space at the end (\S+$)
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    if start == end:
        return False
    word = text[start:end].rstrip(".!?\"')]\u201d\u2019").lower()
    return word in _ABBREV or (len(word) == 1 and word.isalpha() and word != "i")


def _sentences_in_block(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = a
    for m in _SENT_END.finditer(text, a, b):
        cut = m.end()
        if m.group(0)[0] == "." and _is_abbrev(text, m.start() + 1):
            continue
        if text[start:cut].strip():
            out.append(_trim(text, start, cut))
        start = cut
    if text[start:b].strip():
        out.append(_trim(text, start, b))
    return out


def _break_candidates(tokens: list[str]) -> list[bool]:
    cands = [False] * len(tokens)
    for i in range(1, len(tokens)):
        tok = _norm_token(tokens[i])
        prev_raw = tokens[i - 1]
        prev = _norm_token(prev_raw)
        nxt = _norm_token(tokens[i + 1]) if i + 1 < len(tokens) else ""
        if prev_raw.endswith((",", ";", ":")) and (tok in _OPENERS_1 or (tok, nxt) in _OPENERS_2):
            cands[i] = True
        elif prev in _BINDERS or prev in ("i", "we", "you", "the", "a", "an", "my", "our"):
            continue
        elif (tok, nxt) in _OPENERS_2 or tok in _OPENERS_1:
            cands[i] = True
    return cands


def _split_clauses(text: str, a: int, b: int, min_words: int, max_words: int) -> list[tuple[int, int]]:
    """Cut one long run of words into clauses at discourse markers (greedy, bounded lengths)."""
    if len(text[a:b].split()) <= max_words:  # str.split() cuts where \S+ tokens end: same count, faster
        return [(a, b)]
    matches = list(_TOKEN.finditer(text, a, b))
    cands = _break_candidates([m.group(0) for m in matches])
    cuts: list[int] = []
    last = 0
    for i in range(len(matches)):
        if cands[i] and i - last >= min_words and len(matches) - i >= min_words:
            cuts.append(i)
            last = i
    bounds = [0, *cuts, len(matches)]
    out = []
    for lo, hi in itertools.pairwise(bounds):
        out.append((matches[lo].start(), matches[hi - 1].end()))
    return out


def _is_speech(text: str, a: int, b: int) -> bool:
    words = len(text[a:b].split())  # the \S+ tokens
    return words >= SPEECH_MIN_WORDS and not re.search(r"[.!?]", text[a:b])


def split_sentences(text: str) -> list[Span]:
    """Return the answer's sentences/clauses in order; ``text[s.start:s.end] == s.text``."""
    spans: list[Span] = []
    for a, b in _blocks(text):
        if _is_speech(text, a, b):
            pieces = _split_clauses(text, a, b, MIN_CLAUSE_WORDS, 14)
        else:
            pieces = []
            for sa, sb in _sentences_in_block(text, a, b):
                pieces.extend(_split_clauses(text, sa, sb, 8, MAX_TYPED_WORDS))
        for pa, pb in pieces:
            pa, pb = _trim(text, pa, pb)
            if pb > pa:
                spans.append(Span(text[pa:pb], pa, pb))
    return spans
