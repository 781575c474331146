"""Gates for answers that are not real answers: too short, word salad, keyword stuffing, a copied question.

Each gate caps the overall score so that such answers land in the bottom fifth however long they are.
Word salad is caught by word order, not vocabulary: every token is reduced to its class (a function
word stays itself, a number becomes ``<n>``, any other word ``<w>``) and the answer's average pointwise
mutual information of adjacent classes is computed from counts taken from ordinary answers
(``weights/class_bigrams.json``, built by training/train_star.py). Real sentences score well above
zero in any domain ("the <w> of", "i was <w>"); shuffled words score below zero ("the the", "to we").
Keyword stuffing is a high share of interview buzzwords; a copied question is an answer whose words
mostly come from the question.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from starcoach.analysis import ngrams
from starcoach.analysis.features import FILLERS

MIN_WORDS = 25
SALAD_BELOW = -0.05  # mean class PMI under which a long answer may be word salad (real answers: > -0.04)
SALAD_FUNCTION_BELOW = 0.1  # ... and the PMI around its function words too (terse notes stay above)
# With a word-pair vocabulary (the labeler's bigrams): how much better the answer's own order reads than
# its words shuffled, at the level of token classes and of known word pairs. Real answers by unseen
# authors: sum >= 0.26 (1st percentile ~0.35); word salad ~0 (95th percentile ~0.2).
SALAD_ORDER_GAP_BELOW = 0.2
SALAD_GAP_FUNCTION_BELOW = 0.15
SHUFFLES = 3
SALAD_SURE_FROM = 60  # words from which the order tests alone decide
PairShare = Callable[[Sequence[str]], float]  # share of adjacent word pairs that are known bigrams
_FUNCTION_TEXT = """a an the this that these those my our your his her their its i we you he she they it me us him
    them to of in on at for with by from into about over after before during since until than as and or
    but so because if when while then though although is was were are be been being am have has had do
    did does will would can could should may might must not no just also very really only even still
    all some any more most much many few each every other what which who whom whose how why where there
    here up out down off again once too"""
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
BUZZWORDS = frozenset(
    [
        "situation", "task", "action", "actions", "result", "results", "star", "teamwork", "leadership",
        "ownership", "impact", "impactful", "communication", "stakeholders", "stakeholder", "metrics",
        "data-driven", "driven", "collaboration", "collaborative", "learned", "learning", "growth",
        "synergy", "synergies", "proactive", "passionate", "innovation", "innovative", "agile", "scalable",
        "customer-obsessed", "obsession", "excellence", "empathy", "integrity", "accountability",
        "deliver", "delivered", "value", "strategic", "strategy", "alignment", "aligned", "mindset",
        "teamplayer", "team", "player", "problem-solving", "solving", "initiative", "motivated",
        "detail-oriented", "hardworking", "efficiency", "efficient", "optimize", "optimization",
        "resilience", "adaptability", "creativity", "dedication", "commitment", "quality", "success",
        "successful", "key",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


@dataclass(frozen=True, slots=True)
class Quality:
    words: int
    sequence_pmi: float  # mean PMI of adjacent token classes: word order looks like English above 0
    buzz_rate: float  # share of words that are interview buzzwords
    copy_share: float  # share of the answer's words that appear in the question
    too_short: bool
    gibberish: bool
    stuffed: bool
    copied: bool

    @property
    def gates(self) -> tuple[str, ...]:
        names = ("gibberish", "keyword-stuffing", "copied-question")
        flags = (self.gibberish, self.stuffed, self.copied)
        return tuple(n for n, f in zip(names, flags, strict=True) if f)


@dataclass(frozen=True)
class ClassModel:
    """Counts of token classes and of adjacent class pairs in ordinary answers."""

    unigrams: dict[str, int]
    bigrams: dict[str, int]
    total_uni: int
    total_bi: int
    _cache: dict[tuple[str, str], float] = field(default_factory=dict, compare=False, repr=False)

    def pmi(self, a: str, b: str) -> float:
        """Smoothed PMI of class ``b`` following class ``a``, clipped to [-2, 2]; remembered per pair
        (there are only a few hundred classes, and an answer asks for every adjacent pair)."""
        key = (a, b)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._pmi(a, b)
        return hit

    def pmi_sum(self, pairs: Iterable[tuple[str, str]]) -> float:
        """``sum(self.pmi(a, b) for a, b in pairs)``, the same sum in the same order, without a call
        per pair for the ones already remembered."""
        get = self._cache.get
        values = []
        for key in pairs:
            hit = get(key)
            values.append(self.pmi(*key) if hit is None else hit)
        return sum(values)

    def _pmi(self, a: str, b: str) -> float:
        joint = (self.bigrams.get(f"{a} {b}", 0) + 0.5) / self.total_bi
        pa = (self.unigrams.get(a, 0) + 1) / self.total_uni
        pb = (self.unigrams.get(b, 0) + 1) / self.total_uni
        return max(-2.0, min(2.0, math.log(joint / (pa * pb))))


@lru_cache(maxsize=1)
def class_model() -> ClassModel | None:
    """The bundled class-bigram counts, or None when the file is missing (the gate is then off)."""
    try:
        ref = resources.files("starcoach.analysis").joinpath("weights/class_bigrams.json")
        d = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ClassModel(d["unigrams"], d["bigrams"], int(d["total_uni"]), int(d["total_bi"]))


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in FILLERS]


def token_class(word: str) -> str:
    if word in FUNCTION_WORDS:
        return word
    return "<n>" if word[0].isdigit() else "<w>"


def token_classes(toks: Sequence[str]) -> list[str]:
    """token_class of each token (inlined: it runs on every word of every answer)."""
    return [w if w in FUNCTION_WORDS else "<n>" if w[0].isdigit() else "<w>" for w in toks]


def function_pmi(toks: list[str]) -> float:
    """Mean PMI of the adjacent pairs that hold a function word. Terse notes ("Ran contract tests
    against sandbox.") have few function words but put each one where English does; word salad puts
    them anywhere. About 0.44 for real answers (1st percentile 0.14), under 0.1 for salad."""
    model = class_model()
    if model is None or len(toks) < 2:
        return 1.0
    classes = token_classes(toks)
    pairs = [(a, b) for a, b in itertools.pairwise(classes) if a in FUNCTION_WORDS or b in FUNCTION_WORDS]
    return model.pmi_sum(pairs) / len(pairs) if pairs else 1.0


def sequence_pmi(toks: list[str]) -> float:
    """Mean PMI of adjacent token classes (about 0.3 for real answers, below 0 for word salad)."""
    model = class_model()
    if model is None or len(toks) < 2:
        return 1.0
    pairs = list(itertools.pairwise(token_classes(toks)))
    return model.pmi_sum(pairs) / len(pairs)


def class_order_gap(toks: list[str], order: float | None = None) -> float:
    """Mean class PMI of the answer's order minus its expectation over every order of the same tokens
    (computed exactly from the class counts): about 0 for shuffled words whatever their vocabulary."""
    model = class_model()
    n = len(toks)
    if model is None or n < 2:
        return 1.0
    counts = Counter(token_class(w) for w in toks)
    expected = sum(na * (nb - (a == b)) * model.pmi(a, b)
                   for a, na in counts.items() for b, nb in counts.items()) / (n * (n - 1))
    return (sequence_pmi(toks) if order is None else order) - expected


def word_order_gap(answer: str, known_share: PairShare) -> float:
    """Share of adjacent word pairs that are known bigrams, minus the same share after shuffling the
    words (a fixed seed per length, so the result is repeatable)."""
    toks = ngrams.tokens(answer)
    rng = random.Random(len(toks))
    shuffled = []
    for _ in range(SHUFFLES):
        t = toks[:]
        rng.shuffle(t)
        shuffled.append(known_share(t))
    return known_share(toks) - sum(shuffled) / SHUFFLES


def is_salad(answer: str, toks: list[str], known_share: PairShare | None, order: float | None = None) -> bool:
    """Word salad: long enough, function words out of place, and (with a pair vocabulary) an order no
    better than shuffled; without one, a low class PMI."""
    if len(toks) < MIN_WORDS:
        return False
    fpmi = function_pmi(toks)
    order = sequence_pmi(toks) if order is None else order  # the caller may have it already
    class_rule = order < SALAD_BELOW and fpmi < SALAD_FUNCTION_BELOW
    if known_share is None:
        return class_rule
    if fpmi >= SALAD_GAP_FUNCTION_BELOW or (len(toks) < SALAD_SURE_FROM and not class_rule):
        return False  # short notes without full stops look shuffled too: below 60 words both tests must agree
    gap = class_order_gap(toks, order)
    # the word-pair gap of shuffled text stays above -0.2, so a class gap of 0.4 or more is no salad
    return gap < SALAD_ORDER_GAP_BELOW + 0.2 and gap + word_order_gap(answer, known_share) < SALAD_ORDER_GAP_BELOW


_STAR_HEADING = re.compile(r"(?im)^[\W_]*(?:situation|task|actions?|results?|context|outcome)\W{0,4}[:\-]")


def assess(answer: str, question: str, min_words: int = MIN_WORDS,
           known_share: PairShare | None = None) -> Quality:
    """The gates for one answer; ``known_share`` (the labeler's bigram vocabulary) sharpens the word-salad
    test."""
    toks = tokens(answer)
    n = len(toks)
    order = sequence_pmi(toks)
    body = tokens(_STAR_HEADING.sub(" ", answer))  # "Result:" headings are structure, not buzzwords
    buzz = sum(1 for w in body if w.strip("-") in BUZZWORDS) / max(1, len(body))
    q_toks = set(tokens(question))
    copy = sum(1 for w in toks if w in q_toks) / max(1, n) if q_toks else 0.0
    return Quality(
        words=n,
        sequence_pmi=round(order, 4),
        buzz_rate=round(buzz, 4),
        copy_share=round(copy, 4),
        too_short=n < min_words,
        gibberish=is_salad(answer, toks, known_share, order),
        stuffed=buzz >= 0.3 or (buzz >= 0.18 and order < 0.1),
        copied=copy >= 0.7,
    )
