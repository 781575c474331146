"""Sparse n-gram features of a sentence for the STAR labeler, shared by training and inference.

A sentence becomes a bag of keys: lower-cased word unigrams and bigrams (numbers folded to one token,
fillers dropped), character 3- to 5-grams inside word boundaries (so "migrated", "migrating" and
"migration" share evidence, and typos or transcripts without punctuation still match), and the
two-word opener. Unlike the hand-made cue lists of features.py, nothing here encodes our own writing
style: the weights for every key are learned from answers by many authors. Position in the answer is a
short dense vector. Pure functions over strings; no weights and no I/O here.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?|[$%]")
_NUMERIC = re.compile(r"^\d[\d,.]*(?:st|nd|rd|th|k|m|x|ms|s|h)?$")
_FILLERS = frozenset(["um", "uh", "erm", "er", "hmm", "like", "basically", "literally", "yeah", "okay", "ok"])
CHAR_SIZES = (3, 4, 5)
POSITION_NAMES: tuple[str, ...] = (
    "bias", "rel_pos", "rel_pos_sq", "is_first", "is_last", "is_only", "log_n", "second", "second_last",
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, numbers folded to ``0``, fillers left out."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in _FILLERS:
            continue
        out.append("0" if _NUMERIC.match(w) else w.replace("\u2019", "'"))
    return out


def token_keys(token: str) -> list[str]:
    """The keys one token brings whatever its neighbours: its word key and its character n-grams."""
    keys = [f"w:{token}"]
    padded = f" {token} "
    for n in CHAR_SIZES:
        keys += [f"c:{padded[i:i + n]}" for i in range(max(1, len(padded) - n + 1))]
    return keys


def pair_keys(toks: Sequence[str]) -> list[str]:
    """The keys that depend on more than one token: word bigrams and the one- and two-word opener."""
    keys = [f"b:{a}_{b}" for a, b in itertools.pairwise(toks)]
    if toks:
        keys += [f"o:{toks[0]}", f"o2:{'_'.join(toks[:2])}"]
    return keys


def sentence_keys(text: str) -> list[str]:
    """The sorted, distinct feature keys of one sentence."""
    toks = tokens(text)
    keys = set(pair_keys(toks))
    for t in toks:
        keys.update(token_keys(t))
    return sorted(keys)


def position_features(index: int, count: int) -> list[float]:
    """Where the sentence sits in the answer (order of POSITION_NAMES)."""
    rel = index / (count - 1) if count > 1 else 0.0
    return [
        1.0, rel, rel * rel, float(index == 0), float(index == count - 1), float(count == 1),
        math.log(count), float(index == 1), float(count > 2 and index == count - 2),
    ]


def neighbour_keys(keys: Sequence[list[str]], index: int) -> list[str]:
    """Word unigrams of the previous and next sentence, prefixed, so a sentence is read in context."""
    out: list[str] = []
    if index > 0:
        out += [f"p{k}" for k in keys[index - 1] if k.startswith("w:")]
    if index + 1 < len(keys):
        out += [f"n{k}" for k in keys[index + 1] if k.startswith("w:")]
    return out


def answer_keys(sentences: Sequence[str], context: bool = True) -> list[list[str]]:
    """Feature keys for every sentence of one answer, with neighbour keys when ``context``."""
    own = [sentence_keys(s) for s in sentences]
    if not context:
        return own
    return [sorted({*ks, *neighbour_keys(own, i)}) for i, ks in enumerate(own)]
