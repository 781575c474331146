"""Words, stems and TF-IDF vectors: the lexical half of story-question similarity.

Pure Python over plain dicts (sparse vectors). The stemmer is deliberately light (a handful of
English suffixes): it only has to make "deployed", "deploying" and "deployment" meet.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

SparseVector = dict[str, float]


def wordset(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text`` as a set (for word lists written as prose)."""
    return frozenset(text.split())


STOPWORDS = wordset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each even ever every few
    for from further get got had has have having he her here hers herself him himself his how i i'd
    i'm i've if in into is it it's its itself just let me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own per quite rather really same she should so
    some such than that the their theirs them themselves then there these they this those through to
    too under until up us very was we we'd we're we've were what when where which while who whom why
    will with would you your yours yourself yourselves tell describe give example time times walk
    share one ones someone something thing things way ways like kind sort lot lots made make making
    get got went go going want wanted need needed still within without across around much many
    """
)

_WORD = re.compile(r"[a-z][a-z0-9+#]*(?:['\u2019][a-z]+)?")
_SUFFIXES = (
    "ational",
    "ization",
    "isation",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "er",
    "s",
)


def stem(word: str) -> str:
    """A light stem: strips one common suffix when at least three letters remain."""
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if (
                suffix in ("ing", "ed", "er")
                and len(base) > 3
                and base[-1] == base[-2]
                and base[-1] not in "lsz"
            ):
                return base[:-1]  # "shipped" -> "ship", "planning" -> "plan"
            return base
    return w


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (apostrophes kept inside words)."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``: the units TF-IDF counts."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def surface_forms(text: str, into: dict[str, str]) -> None:
    """Record, for each stem in ``text``, the first word it came from (to show stems as words)."""
    for w in words(text):
        if w not in STOPWORDS and len(w) > 1:
            into.setdefault(stem(w), w)


class Idf:
    """Inverse document frequencies learned from a small corpus (stories and questions).

    A term never seen in the corpus gets the highest weight, as if it occurred in one document.
    """

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            df.update(set(doc))
        self.n_docs = max(n, 1)
        self._idf = {t: math.log((1 + self.n_docs) / (1 + c)) + 1.0 for t, c in df.items()}
        self._unseen = math.log((1 + self.n_docs) / 2) + 1.0

    def weight(self, term: str) -> float:
        return self._idf.get(term, self._unseen)

    def vector(self, weighted_docs: Iterable[tuple[Sequence[str], float]]) -> SparseVector:
        """An L2-normalised TF-IDF vector of several term lists, each with its own weight.

        Term frequency is dampened (1 + log tf) so that a long story does not win on repetition.
        """
        tf: dict[str, float] = {}
        for doc, w in weighted_docs:
            for term, count in Counter(doc).items():
                tf[term] = tf.get(term, 0.0) + w * (1.0 + math.log(count))
        vec = {t: f * self.weight(t) for t, f in tf.items()}
        return normalise(vec)


def normalise(vec: Mapping[str, float]) -> SparseVector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm > 0 else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def top_shared(a: Mapping[str, float], b: Mapping[str, float], k: int = 3) -> list[str]:
    """The ``k`` terms that contribute most to ``cosine(a, b)``."""
    shared = sorted(((a[t] * b[t], t) for t in a.keys() & b.keys()), key=lambda x: (-x[0], x[1]))
    return [t for _, t in shared[:k]]
