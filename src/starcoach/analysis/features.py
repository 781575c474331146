"""Turn the sentences of one answer into features for the STAR labeler.

Two kinds of features: sparse lexical ones (unigrams, bigrams and the sentence opener, looked up in a
vocabulary learned at training time) and a short dense vector of cues that generalise beyond the
vocabulary: position in the answer, a leading "Result:" label, pronouns (I / we / they), tense and
obligation ("had to", "my job was"), numbers, outcome and reflection cues, length. The same code runs at
training time (training/train_star.py) and at inference, so the two cannot drift apart.
Pure functions over strings; no model weights and no I/O here.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?|[$%]")
NUMERIC = re.compile(r"^\d+(?:st|nd|rd|th|k|m|x|ms|s|h)?$")
LABEL_PREFIX = re.compile(
    r"^\W*(situation|context|background|setting|task|goal|objective|challenge|problem|"
    r"actions?|approach|what i did|steps?|results?|outcome|impact|learnings?|lessons?|key|takeaway)"
    r"\W{0,3}[:\-\u2013]",
    re.I,
)
_LETTER_LABEL = re.compile(r"^\W*([STAR])\W{0,2}:\s")
_LETTERS = {"S": "situation", "T": "task", "A": "action", "R": "result"}
_PREFIX_GROUP = {
    "situation": 0, "context": 0, "background": 0, "setting": 0,
    "task": 1, "goal": 1, "objective": 1, "challenge": 1, "problem": 1,
    "action": 2, "actions": 2, "approach": 2, "what i did": 2, "step": 2, "steps": 2,
    "result": 3, "results": 3, "outcome": 3, "impact": 3,
    "learning": 4, "learnings": 4, "lesson": 4, "lessons": 4, "key": 4, "takeaway": 4,
}
NUMBER_WORDS = frozenset(
    [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
        "hundreds", "thousand", "thousands", "million", "millions", "billion", "half", "double", "doubled",
        "tripled", "dozen", "percent",
    ]
)
FILLERS = frozenset(
    ["um", "uh", "erm", "er", "hmm", "like", "basically", "actually", "literally", "yeah", "okay", "ok"]
)
_IRREGULAR_PAST = frozenset(
    [
        "was", "were", "had", "did", "made", "took", "went", "got", "saw", "found", "gave", "told",
        "thought", "knew", "felt", "became", "began", "brought", "built", "bought", "caught", "chose",
        "came", "drew", "drove", "fell", "fought", "forgot", "grew", "heard", "held", "hid", "hit", "kept",
        "led", "left", "lost", "meant", "met", "paid", "put", "ran", "read", "rose", "said", "sent", "set",
        "shut", "sat", "slept", "spent", "spoke", "stood", "stuck", "taught", "understood", "won", "wrote",
        "overcame", "rebuilt", "rewrote", "shipped",
    ]
)
_I = frozenset({"i", "me", "my", "myself", "i'm", "i've", "i'd", "mine"})
_WE = frozenset({"we", "us", "our", "ourselves", "we're", "we've", "we'd", "ours"})
_THEY = frozenset({"they", "them", "their", "he", "she", "him", "her", "his"})
_PRESENT = frozenset({"is", "are", "now", "today", "still", "currently", "since", "always", "am"})
_MODAL = re.compile(
    r"\b(had to|needed to|need to|have to|was asked to|were asked to|my (?:job|role|task|goal|"
    r"responsibility)|the (?:goal|task|ask|challenge|objective) was|responsible for|in charge of|"
    r"supposed to|wanted to|trying to|tasked with|owner of|assigned)\b"
)
_OUTCOME = re.compile(
    r"\b(as a result|in the end|ended up|end result|result was|outcome|eventually|by the end|"
    r"within \w+ (?:days|weeks|months)|went from|dropped|down from|up from|cut|reduced|increased|"
    r"improved|saved|grew|shipped|launched|delivered|on time|promoted|adopted|praised|thanked|"
    r"never again|since then|no longer|from then on|afterwards)\b"
)
_REFLECT = re.compile(
    r"\b(learned|learnt|lesson|taught me|in hindsight|looking back|next time|would have|"
    r"would do|realized|realised|takeaway|i now|now i|since then)\b"
)
_CONTEXT = re.compile(
    r"\b(at my (?:last|previous|current)|when i was|i was working|i worked|our team|we were|"
    r"there was|last (?:year|spring|summer|fall|winter|quarter)|a few (?:years|months) ago|"
    r"back when|at the time|company|startup)\b"
)
_ACTION_OPEN = re.compile(r"^\W*(?:so |then |first,? |next,? |after that,? )?(?:i|we)\b")
_OWN_NAMES: tuple[str, ...] = (
    "bias_pos", "rel_pos", "rel_pos_sq", "is_first", "is_last", "is_only", "log_n",
    "pre_situation", "pre_task", "pre_action", "pre_result", "pre_learning",
    "i_rate", "we_rate", "they_rate", "has_i", "has_we", "has_they",
    "past_rate", "present_rate", "modal", "outcome", "reflect", "context", "action_open",
    "has_digit", "has_pct", "has_money", "num_words", "log_len", "filler_rate", "question_mark",
)


# Context: the cue vector of the previous and next sentence (zeros at the edges), minus the
# position block, so a sentence is also judged by its neighbours ("a result follows an action").
_CONTEXT_FROM = 7
DENSE_NAMES: tuple[str, ...] = (
    *_OWN_NAMES,
    *(f"prev_{n}" for n in _OWN_NAMES[_CONTEXT_FROM:]),
    *(f"next_{n}" for n in _OWN_NAMES[_CONTEXT_FROM:]),
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers kept as written)."""
    return WORD.findall(text.lower())


def norm_word(w: str) -> str:
    return "<num>" if NUMERIC.match(w) else w


def lexical_keys(text: str) -> list[str]:
    """Sparse feature keys of one sentence: unigrams, bigrams and the two-word opener."""
    toks = [norm_word(w) for w in words(text) if w not in FILLERS]
    keys = {f"u:{t}" for t in toks}
    keys.update(f"b:{a}_{b}" for a, b in itertools.pairwise(toks))
    if toks:
        keys.add(f"o:{toks[0]}")
        keys.add(f"o:{'_'.join(toks[:2])}")
    return sorted(keys)


def _rate(ws: Sequence[str], vocab: frozenset[str]) -> float:
    return sum(1 for w in ws if w in vocab) / max(1, len(ws))


def is_past(w: str) -> bool:
    return w in _IRREGULAR_PAST or (len(w) > 4 and w.endswith("ed"))


def explicit_part(text: str) -> str | None:
    """The STAR part a sentence is explicitly labeled with ("Result: ..."), if any."""
    letter = _LETTER_LABEL.match(text)
    if letter:
        return _LETTERS[letter.group(1)]
    bare = re.sub(r"[\W_]+", " ", text).strip().lower()
    m = LABEL_PREFIX.match(text)
    if bare in _PREFIX_GROUP:
        label = bare
    elif m:
        label = m.group(1).lower()
    else:
        return None
    group = _PREFIX_GROUP.get(label, 4)
    if group < 4:
        return ("situation", "task", "action", "result")[group]
    return "result" if label.startswith(("learning", "lesson")) else None


def _prefix_feats(text: str) -> list[float]:
    out = [0.0] * 5
    m = LABEL_PREFIX.match(text)
    if m:
        out[_PREFIX_GROUP.get(m.group(1).lower(), 4)] = 1.0
    return out


def dense_features(text: str, index: int, count: int) -> list[float]:
    """The dense cue vector of sentence ``index`` out of ``count`` (order of DENSE_NAMES)."""
    low = text.lower()
    ws = words(text)
    rel = index / (count - 1) if count > 1 else 0.0
    i_r, we_r, th_r = _rate(ws, _I), _rate(ws, _WE), _rate(ws, _THEY)
    feats = [
        1.0, rel, rel * rel, float(index == 0), float(index == count - 1), float(count == 1),
        math.log(count), *_prefix_feats(text),
        i_r * 5, we_r * 5, th_r * 5, float(i_r > 0), float(we_r > 0), float(th_r > 0),
        sum(1 for w in ws if is_past(w)) / max(1, len(ws)) * 5, _rate(ws, _PRESENT) * 5,
        float(bool(_MODAL.search(low))), float(bool(_OUTCOME.search(low))),
        float(bool(_REFLECT.search(low))), float(bool(_CONTEXT.search(low))),
        float(bool(_ACTION_OPEN.match(low))),
        float(any(c.isdigit() for c in text)), float("%" in text or "percent" in ws),
        float("$" in text or any(w in ("dollars", "k", "million") for w in ws)),
        float(any(w in NUMBER_WORDS for w in ws)), math.log1p(len(ws)) / 3,
        _rate(ws, FILLERS) * 5, float(text.rstrip().endswith("?")),
    ]
    return feats


def answer_features(sentences: Sequence[str]) -> tuple[list[list[str]], list[list[float]]]:
    """Lexical keys and dense vectors (own cues, then the previous and next sentence's) for every
    sentence of one answer, in order."""
    n = len(sentences)
    own = [dense_features(s, i, n) for i, s in enumerate(sentences)]
    blank = [0.0] * (len(_OWN_NAMES) - _CONTEXT_FROM)
    dense = []
    for i, feats in enumerate(own):
        prev = own[i - 1][_CONTEXT_FROM:] if i > 0 else blank
        nxt = own[i + 1][_CONTEXT_FROM:] if i + 1 < n else blank
        dense.append([*feats, *prev, *nxt])
    return [lexical_keys(s) for s in sentences], dense
