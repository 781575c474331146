"""Is the answer about the question, and which of the question's talking points does it cover?

Relevance comes from a small learned model (training/train_relevance.py, weights/relevance.npz) that
gives the probability ("fit") that the answer was written for the question. Its features: the cosine
between the answer's static vector mapped into question space and the question's vector, the raw
cosine of the two, the share of the question's content words found in the answer (plain and weighted
by the words' idf over questions), and per competency topic whether the question probes it times how
strongly the answer talks about it (topics.py), with the strongest such cue inside and outside the
question's topics, and a learned probability per topic that the answer's words belong to a question
probing it (maximum and mean over the question's topics). The same model scores every other
question of the bundled bank, and the share that fits the answer better ("rank_share") is the
second half of the value. Each question's log-odds are first taken net of a question prior (the
model's mean log-odds over our own training answers, see :func:`question_prior`), so a broad question
does not out-fit the specific one an answer was written for. The bank's vectors, topics and priors
ship in the weights file under a hash of the bank and the embedder, so a cold process does not embed
the bank (recomputed when the bank changes).
Another question is only named ("reads like an answer to ...") on strong evidence: low fit, a wide
margin, and no competency shared with the question asked. Without an embedder only the shared words
count. Talking points with a STAR-like label ("Outcome", "Reflection") are judged from the STAR
labels and signals; other points by word overlap and similarity with the best sentence, whose span
is the evidence.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.concepts import concept_of, evidence
from starcoach.analysis.content import Lessons
from starcoach.analysis.embed import Embedder
from starcoach.analysis.questions import QuestionInfo, bank_questions
from starcoach.analysis.topics import TOPICS, answer_topics, question_topics
from starcoach.analysis.types import PointCoverage, Sentence

STOP = frozenset(
    [
        "a", "an", "the", "to", "of", "and", "or", "in", "on", "at", "for", "with", "by", "from", "as",
        "is", "was", "were", "be", "been", "being", "am", "are", "it", "its", "this", "that", "these",
        "those", "i", "we", "you", "he", "she", "they", "me", "us", "my", "our", "your", "his", "her",
        "their", "them", "what", "when", "where", "which", "who", "how", "why", "did", "do", "does",
        "done", "have", "has", "had", "can", "could", "would", "should", "will", "just", "so", "very",
        "really", "also", "about", "into", "out", "up", "down", "over", "than", "then", "there", "here",
        "some", "any", "all", "more", "most", "such", "one", "two", "not", "no", "yes", "tell", "time",
        "describe", "example", "give", "situation",
    ]
)
_STAR_POINTS = {
    "situation": "situation", "context": "situation", "background": "situation", "before": "situation",
    "starting point": "situation", "what happened": "situation",
    "task": "task", "goal": "task", "role": "task",
    "action": "action", "actions": "action", "approach": "action", "execution": "action",
    "result": "result", "outcome": "result", "impact": "result", "results": "result", "after": "result",
    "aftermath": "result", "resolution": "result",
}
POINT_COVERED_AT = 0.35
SEM_SUPPORT = 0.15  # shared words count only when the sentence is at least this similar in meaning
SEM_WITHOUT_EMBEDDER = 0.15
_AGENT = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we're|we've|our|us|you|your|you're)\b|\d", re.I)
# Saying "this reads like an answer to another question" accuses the user: only with strong evidence.
CLAIM_BELOW_FIT = 0.15  # the pair model gives the asked question under this probability
CLAIM_MARGIN = 2.5  # and the other question at least this many log-odds more


@dataclass(frozen=True, slots=True)
class Relevance:
    value: float  # 0..1
    semantic: float | None  # centred cosine with the question, None when no embedder
    lexical: float  # share of the question's content words found in the answer
    closer_questions: int  # bank questions the answer is closer to than to its own
    nearest_other: str | None  # text of the closest other bank question, when closer
    rank_share: float = 0.0  # share of (different) bank questions the answer fits better
    fit: float = 0.5  # probability from the pair model that the answer was written for this question


@lru_cache(maxsize=16384)  # the same few thousand words recur in every answer
def stem(word: str) -> str:
    for suf in ("ingly", "ing", "edly", "ed", "ies", "es", "s", "ly", "ment", "ion"):
        if word.endswith(suf) and len(word) > len(suf) + 3:
            return word[: -len(suf)]
    return word


@lru_cache(maxsize=2048)  # questions and talking points recur from answer to answer
def content_words(text: str) -> frozenset[str]:
    words = set(re.findall(r"[a-z][a-z'-]+", text.lower())) - STOP  # each distinct word stemmed once
    return frozenset(stem(w) for w in words if len(w) > 2)


def question_text(q: QuestionInfo) -> str:
    return " ".join([q.text, *(f"{p.label} {p.text}" for p in q.points)])


@dataclass(frozen=True, eq=False)
class RelevanceMap:
    """The learned question<->answer relevance model (training/train_relevance.py).

    Centring means and a ridge map from answer vectors into question space, then a logistic model
    over pair features (see :func:`pair_features`), fitted with each answer's own question as the
    positive and other questions' texts as negatives. ``logits`` gives log-odds that the answer was
    written for each question. ``bank`` holds the built-in bank's question vectors and topics as
    computed at training time, used when their key still matches the bank and the embedder."""

    answer_mean: NDArray[np.float64]
    question_mean: NDArray[np.float64]
    matrix: NDArray[np.float64]
    pair_w: NDArray[np.float64] | None = None  # (N_FEATURES,) or None for an older file
    pair_b: float = 0.0
    idf: dict[str, float] = field(default_factory=dict)  # question content word -> inverse doc. frequency
    idf_unknown: float = 1.0
    bank_key: str = ""
    bank_arrays: dict[str, NDArray[np.float64]] = field(default_factory=dict)  # vecs, raw, topics
    topic_vocab: dict[str, int] = field(default_factory=dict)  # answer word -> row of topic_w
    topic_w: NDArray[np.float64] | None = None  # (words, len(TOPICS)) learned word -> topic log-odds
    topic_b: NDArray[np.float64] | None = None  # (len(TOPICS),)
    prior: ReferenceAnswers | None = None  # how well a question fits answers in general (see question_prior)

    def answer(self, vec: NDArray[np.float64]) -> NDArray[np.float64]:
        return _unit(_unit(vec - self.answer_mean) @ self.matrix)

    def question(self, vecs: NDArray[np.float64]) -> NDArray[np.float64]:
        return _unit(vecs - self.question_mean)

    def weight(self, words: frozenset[str] | set[str]) -> float:
        return sum(self.idf.get(w, self.idf_unknown) for w in words)

    def learned_topics(self, answer_words: frozenset[str]) -> NDArray[np.float64]:
        """Per topic, the learned probability that a question probing it was asked, from the answer's
        content words (zeros without that part of the model)."""
        if self.topic_w is None or self.topic_b is None:
            return np.zeros(len(TOPICS))
        vocab = self.topic_vocab
        rows = [i for w in answer_words if (i := vocab.get(w)) is not None]
        z = self.topic_w[rows].sum(axis=0) + self.topic_b
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))))


@dataclass(frozen=True, eq=False)
class ReferenceAnswers:
    """Our own training answers, summarised so that the pair model's mean log-odds over all of them
    can be computed for any question in a few array operations: the linear features from means, the
    topic maxima from the per-answer topic rows. ``alpha`` is how much of that prior is taken off a
    question's log-odds (chosen by cross-fitting in training/train_relevance.py), ``center`` the mean
    prior over the bank's questions, so that a typical question's log-odds do not move."""

    mapped_mean: NDArray[np.float64]  # mean mapped answer vector
    raw_mean: NDArray[np.float64]  # mean raw answer vector
    df: dict[str, float]  # content word -> share of the answers using it (words in two answers or more)
    topics: NDArray[np.float64]  # (answers, len(TOPICS)) cue scores
    learned: NDArray[np.float64]  # (answers, len(TOPICS)) learned topic probabilities
    alpha: float = 0.0
    center: float = 0.0
    topics_mean: NDArray[np.float64] = field(init=False)
    learned_mean: NDArray[np.float64] = field(init=False)
    order: NDArray[np.intp] = field(init=False)  # per answer, topics from the strongest cue down
    ranked: NDArray[np.float64] = field(init=False)  # the cue scores in that order
    _topic_rows: dict[bytes, NDArray[np.float64]] = field(init=False, default_factory=dict)
    topic_logits: dict[frozenset[str], float] = field(init=False, default_factory=dict)  # one pair model's

    def __post_init__(self) -> None:  # what every question's prior reads, computed once
        order = np.argsort(-self.topics, axis=1, kind="stable")
        for name, value in (("topics_mean", self.topics.mean(axis=0)), ("learned_mean", self.learned.mean(axis=0)),
                            ("order", order), ("ranked", np.take_along_axis(self.topics, order, axis=1))):
            object.__setattr__(self, name, value)

    def mean_features(self, cos: NDArray[np.float64], raw: NDArray[np.float64], q_words: Sequence[frozenset[str]],
                      idf: RelevanceMap, q_topics_t: NDArray[np.float64]) -> NDArray[np.float64]:
        """(questions, N_FEATURES): the mean pair-feature row over the reference answers, for questions
        given by their cosines with the mean answer vectors, content words and 0/1 topics (topic, question)."""
        lex = np.asarray([sum(self.df.get(w, 0.0) for w in ws) / len(ws) if ws else 0.5 for ws in q_words])
        tot = [idf.weight(ws) for ws in q_words]
        wlex = np.asarray([sum(idf.idf.get(w, idf.idf_unknown) * self.df.get(w, 0.0) for w in ws) / t if t > 0
                           else 0.5 for ws, t in zip(q_words, tot, strict=True)])
        topic_rows = np.asarray([self.topic_features(q_topics_t[:, j]) for j in range(q_topics_t.shape[1])])
        return np.column_stack([cos, raw, lex, wlex, topic_rows.reshape(len(lex), -1)])

    def topic_features(self, q_topics: NDArray[np.float64]) -> NDArray[np.float64]:
        """The topic part of one question's mean feature row (per-topic products, strongest cue inside /
        outside its topics, learned maximum / mean), remembered per topic set: questions share a few."""
        key = q_topics.tobytes()
        hit = self._topic_rows.get(key)
        if hit is not None:
            return hit
        # topics are 0/1 and cue scores >= 0, so each maximum is the one over the question's own columns
        # (outside them: the answer's strongest cue among its first k + 1 that is not one of the k)
        cols = q_topics > 0
        k = int(cols.sum())
        inside = float(self.topics[:, cols].max(axis=1).mean()) if k else 0.0
        fitted_max = float(self.learned[:, cols].max(axis=1).mean()) if k else 0.0
        outside = 0.0
        if k < len(cols):
            first_out = np.argmin(cols[self.order[:, :k + 1]], axis=1)
            outside = float(self.ranked[np.arange(len(first_out)), first_out].mean())
        mean = float(self.learned_mean @ q_topics) / max(k, 1)
        row = np.concatenate([self.topics_mean * q_topics, [inside, outside, fitted_max, mean]])
        if len(self._topic_rows) > 4096:
            self._topic_rows.clear()
        self._topic_rows[key] = row
        return row


def question_prior(rmap: RelevanceMap, q_vecs: NDArray[np.float64], q_raw: NDArray[np.float64],
                   q_words: Sequence[frozenset[str]], q_topics_t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per question, the pair model's mean log-odds over our own answers: how much any answer seems to
    fit it. A broad question ("your proudest project") fits most stories; without this prior an answer
    moved to it would look more on topic than under the specific question it was written for. Zeros
    without that part of the model."""
    ref = rmap.prior
    if ref is None or rmap.pair_w is None or rmap.pair_w.shape[0] != N_FEATURES:
        return np.zeros(q_vecs.shape[0])
    x = ref.mean_features(q_vecs @ ref.mapped_mean, q_raw @ ref.raw_mean, q_words, rmap, q_topics_t)
    return np.asarray(x @ rmap.pair_w + rmap.pair_b)


def one_question_prior(rmap: RelevanceMap, q_vec: NDArray[np.float64], q_raw: NDArray[np.float64],
                       q_words: frozenset[str], q_topics: frozenset[str]) -> float:
    """:func:`question_prior` of a single question, term by term on floats (the asked question's, once per
    answer); its topic part is remembered per topic set. 0.0 without that part of the model."""
    ref, w = rmap.prior, rmap.pair_w
    if ref is None or w is None or w.shape[0] != N_FEATURES:
        return 0.0
    topic_z = ref.topic_logits.get(q_topics)
    if topic_z is None:
        if len(ref.topic_logits) > 4096:
            ref.topic_logits.clear()
        topic_z = ref.topic_logits[q_topics] = float(ref.topic_features(np.asarray(topic_vector(q_topics))) @ w[4:])
    z = w[0] * float(q_vec @ ref.mapped_mean) + w[1] * float(q_raw @ ref.raw_mean) + topic_z + rmap.pair_b
    if q_words:
        total = rmap.weight(q_words)
        z += w[2] * sum(ref.df.get(x, 0.0) for x in q_words) / len(q_words)
        z += w[3] * (sum(rmap.idf.get(x, rmap.idf_unknown) * ref.df.get(x, 0.0) for x in q_words) / total
                     if total > 0 else 0.5)
    else:
        z += 0.5 * (w[2] + w[3])
    return float(z)


@dataclass(frozen=True, slots=True)
class AnswerSide:
    """What the pair features need from the answer, computed once per answer."""

    mapped: NDArray[np.float64]  # answer vector mapped into question space
    raw: NDArray[np.float64]  # the embedder's own (unit) answer vector
    topics: NDArray[np.float64]  # cue score per topic
    learned: NDArray[np.float64]  # learned probability per topic (RelevanceMap.learned_topics)


def pair_features(cos: NDArray[np.float64], raw: NDArray[np.float64], lexical: NDArray[np.float64],
                  weighted: NDArray[np.float64], a_topics: NDArray[np.float64], learned: NDArray[np.float64],
                  q_topics: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rows of [mapped cosine, raw cosine, shared question words (share, idf-weighted share), answer cue
    score x question topic for each topic, strongest cue inside / outside the question's topics, and the
    learned topic probability's maximum / mean over the question's topics]."""
    prod = q_topics * a_topics[None, :]
    inside = prod.max(axis=1)
    outside = ((1.0 - q_topics) * a_topics[None, :]).max(axis=1)
    fitted = q_topics * learned[None, :]
    mean = fitted.sum(axis=1) / np.maximum(q_topics.sum(axis=1), 1.0)
    return np.column_stack([cos, raw, lexical, weighted, prod, inside, outside, fitted.max(axis=1), mean])


N_FEATURES = 4 + len(TOPICS) + 4


def pair_logits(w: NDArray[np.float64], b: float, cos: NDArray[np.float64], raw: NDArray[np.float64],
                lexical: NDArray[np.float64], weighted: NDArray[np.float64], a_topics: NDArray[np.float64],
                learned: NDArray[np.float64], q_topics_t: NDArray[np.float64]) -> NDArray[np.float64]:
    """``pair_features(..., q_topics_t.T) @ w + b`` without building the feature rows: the same sum,
    term by term, with the topics as (topic, question) so that every maximum runs along questions."""
    n = len(TOPICS)
    prod = a_topics[:, None] * q_topics_t
    fitted = learned[:, None] * q_topics_t
    z = w[0] * cos + w[1] * raw + w[2] * lexical + w[3] * weighted + (w[4:4 + n] * a_topics) @ q_topics_t + b
    # a * (1 - q) = a - a * q; the sums over topics as products with the (topic, question) matrix
    z += w[4 + n] * prod.max(axis=0) + w[5 + n] * (a_topics[:, None] - prod).max(axis=0)
    z += w[6 + n] * fitted.max(axis=0) + w[7 + n] * (learned @ q_topics_t) / np.maximum(q_topics_t.sum(axis=0), 1.0)
    return np.asarray(z)


@lru_cache(maxsize=1)
def load_map() -> RelevanceMap | None:
    """The bundled relevance model, or None when its file is missing or unreadable."""
    try:
        ref = resources.files("starcoach.analysis").joinpath("weights/relevance.npz")
        with ref.open("rb") as fh, np.load(fh) as data:
            return map_from_arrays({k: data[k] for k in data.files})
    except (OSError, KeyError, ValueError):
        return None


def map_from_arrays(data: dict[str, NDArray[np.generic]]) -> RelevanceMap:
    """A RelevanceMap from the arrays of a weights file (training/train_relevance.py writes them)."""
    has_pair = "pair_w" in data
    idf = dict(zip((str(w) for w in data["idf_words"]), (float(v) for v in data["idf_values"]), strict=True)
               ) if "idf_words" in data else {}
    bank = {k[5:]: np.asarray(v, dtype=np.float64) for k, v in data.items()
            if k.startswith("bank_") and k != "bank_key"}
    return RelevanceMap(
        answer_mean=np.asarray(data["answer_mean"], dtype=np.float64),
        question_mean=np.asarray(data["question_mean"], dtype=np.float64),
        matrix=np.asarray(data["map"], dtype=np.float64),
        pair_w=np.asarray(data["pair_w"], dtype=np.float64) if has_pair else None,
        pair_b=float(data["pair_b"]) if has_pair else 0.0,
        idf=idf, idf_unknown=float(data["idf_unknown"]) if "idf_unknown" in data else 1.0,
        bank_key=str(data["bank_key"]) if "bank_key" in data else "", bank_arrays=bank,
        topic_vocab={str(w): i for i, w in enumerate(data["topic_words"])} if "topic_words" in data else {},
        topic_w=np.asarray(data["topic_w"], dtype=np.float64) if "topic_w" in data else None,
        topic_b=np.asarray(data["topic_b"], dtype=np.float64) if "topic_b" in data else None,
        prior=_reference(data),
    )


def _reference(data: dict[str, NDArray[np.generic]]) -> ReferenceAnswers | None:
    if "ref_mapped_mean" not in data:
        return None
    return ReferenceAnswers(
        mapped_mean=np.asarray(data["ref_mapped_mean"], dtype=np.float64),
        raw_mean=np.asarray(data["ref_raw_mean"], dtype=np.float64),
        df=dict(zip((str(w) for w in data["ref_df_words" if "ref_df_words" in data else "topic_words"]),
                    (float(v) for v in data["ref_df_values"]), strict=True)),  # older files: two equal lists
        topics=np.asarray(data["ref_topics"], dtype=np.float64),
        learned=np.asarray(data["ref_learned"], dtype=np.float64),
        alpha=float(data["prior_alpha"]), center=float(data["prior_center"]),
    )


@dataclass(frozen=True, eq=False)
class BankVectors:
    """The bundled questions as the relevance model sees them, computed once per embedder."""

    ids: tuple[str, ...]
    position: dict[str, int]  # id -> row
    texts: tuple[str, ...]
    vecs: NDArray[np.float64]  # centred question vectors
    raw: NDArray[np.float64]  # the embedder's own question vectors
    vocab: dict[str, int]  # every content word of the bank's questions -> column
    incidence: NDArray[np.float64]  # (words, questions) 1 where the question uses the word
    idf: NDArray[np.float64]  # (words,) idf weight of each column
    sizes: NDArray[np.float64]  # content words per question
    weights: NDArray[np.float64]  # idf weight of each question's content words
    topics: NDArray[np.float64]  # (questions, len(TOPICS)) 0/1
    topics_t: NDArray[np.float64]  # the same as (len(TOPICS), questions), contiguous
    prior: NDArray[np.float64]  # (questions,) question_prior of each
    offset: NDArray[np.float64]  # (questions,) what is taken off their log-odds: alpha x (prior - centre)
    topic_sets: tuple[frozenset[str], ...]

    def overlap(self, answer_words: frozenset[str]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per question: share of its content words in the answer, plain and idf-weighted (0.5 when
        the question has none), as matrix products rather than one set intersection per question."""
        vocab = self.vocab
        cols = [i for w in answer_words if (i := vocab.get(w)) is not None]
        sub = self.incidence[cols]
        shared, shared_w = sub.sum(axis=0), self.idf[cols] @ sub
        lexical = np.where(self.sizes > 0, shared / np.maximum(self.sizes, 1.0), 0.5)
        weighted = np.where(self.weights > 0, shared_w / np.where(self.weights > 0, self.weights, 1.0), 0.5)
        return lexical, weighted


_BANK_CACHE: dict[tuple[int, int], tuple[Embedder, RelevanceMap, BankVectors]] = {}


def bank_key(embedder_name: str) -> str:
    """A hash of everything the bank's precomputed arrays depend on: texts, competencies, embedder."""
    h = hashlib.sha256(embedder_name.encode())
    for q in bank_questions():
        h.update(f"\x00{q.id}\x01{q.text}\x01{','.join(q.competencies)}".encode())
    return h.hexdigest()[:16]


def bank_arrays(embedder: Embedder, rmap: RelevanceMap) -> dict[str, NDArray[np.float64]]:
    """The bank's question vectors (centred and raw) and topic indicators, as stored in the weights."""
    qs = bank_questions()
    raw = np.asarray(embedder.embed([q.text for q in qs]), dtype=np.float64)
    topics = np.asarray([topic_vector(question_topics(q.text, q.competencies)) for q in qs], dtype=np.float64)
    vecs = rmap.question(raw)
    prior = question_prior(rmap, vecs, raw, [content_words(q.text) for q in qs], np.ascontiguousarray(topics.T))
    return {"vecs": vecs, "raw": raw, "topics": topics, "prior": prior}


def _bank_matrix(embedder: Embedder, rmap: RelevanceMap) -> BankVectors:
    """Ids, texts, vectors, words and topics of the bundled questions: read from the weights file when
    its key matches the bank and embedder, else computed; once per embedder and model."""
    key = (id(embedder), id(rmap))
    hit = _BANK_CACHE.get(key)
    if hit is not None and hit[0] is embedder and hit[1] is rmap:
        return hit[2]
    qs = bank_questions()
    stored = rmap.bank_arrays
    fresh = (rmap.bank_key == bank_key(embedder.name) and stored.get("vecs") is not None
             and stored["vecs"].shape == (len(qs), embedder.dim) and stored.get("prior") is not None)
    arrays = stored if fresh else bank_arrays(embedder, rmap)
    words_ = [content_words(q.text) for q in qs]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*words_)))}
    incidence = np.zeros((len(vocab), len(qs)))
    for col, ws in enumerate(words_):
        incidence[[vocab[w] for w in ws], col] = 1.0
    sets = tuple(frozenset(TOPICS[i] for i in np.flatnonzero(row)) for row in arrays["topics"])
    value = BankVectors(
        ids=tuple(str(q.id) for q in qs), position={str(q.id): i for i, q in reversed(list(enumerate(qs)))},
        texts=tuple(q.text for q in qs), vecs=arrays["vecs"],
        raw=arrays["raw"], vocab=vocab, incidence=incidence,
        idf=np.asarray([rmap.idf.get(w, rmap.idf_unknown) for w in vocab]),
        sizes=incidence.sum(axis=0), weights=np.asarray([rmap.weight(w) for w in words_]),
        topics=arrays["topics"], topics_t=np.ascontiguousarray(arrays["topics"].T), topic_sets=sets,
        prior=arrays["prior"],
        offset=(rmap.prior.alpha * (arrays["prior"] - rmap.prior.center) if rmap.prior is not None
                else np.zeros(len(qs))),
    )
    if len(_BANK_CACHE) > 4:
        _BANK_CACHE.clear()
    _BANK_CACHE[key] = (embedder, rmap, value)
    return value


def topic_vector(topics: frozenset[str]) -> list[float]:
    return [1.0 if t in topics else 0.0 for t in TOPICS]


def _unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    if v.ndim == 1:  # one vector (every answer): a dot product, not the general norm's reductions
        n1 = math.sqrt(float(v @ v))
        return v / n1 if n1 > 0 else v
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.asarray(v / np.where(n > 0, n, 1.0))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def relevance(answer: str, q: QuestionInfo, embedder: Embedder | None) -> Relevance:
    """How much the answer is about the question (see module docstring)."""
    q_words = content_words(q.text)
    a_words = content_words(answer)
    lexical = len(q_words & a_words) / len(q_words) if q_words else 0.5
    rmap = load_map()
    if embedder is None or not q.text or rmap is None or rmap.matrix.shape[0] != embedder.dim:
        return Relevance(min(1.0, 0.4 + lexical), None, round(lexical, 4), 0, None)
    bank = _bank_matrix(embedder, rmap)
    vecs = embedder.embed([answer, q.text])
    cues = answer_topics(answer)
    side = AnswerSide(rmap.answer(vecs[0]), vecs[0], np.asarray([cues[t] for t in TOPICS]),
                      rmap.learned_topics(a_words))
    own_topics = question_topics(q.text, q.competencies)
    own = rmap.question(vecs[1:])[0]
    own_sim = float(own @ side.mapped)
    total = rmap.weight(q_words)
    own_weighted = rmap.weight(q_words & a_words) / total if total > 0 else 0.5
    bank_lex, bank_weighted = bank.overlap(a_words)
    z = _logits(rmap, side,  # row 0 the asked question, then the bank's, in one pass
                np.concatenate([[own_sim], bank.vecs @ side.mapped]),
                np.concatenate([[float(vecs[1] @ side.raw)], bank.raw @ side.raw]),
                np.concatenate([[lexical], bank_lex]), np.concatenate([[own_weighted], bank_weighted]),
                np.hstack([np.asarray(topic_vector(own_topics))[:, None], bank.topics_t]))
    ref = rmap.prior
    if ref is not None and ref.alpha:  # net of how well each question fits answers in general
        z[0] -= ref.alpha * (one_question_prior(rmap, own, vecs[1], q_words, own_topics) - ref.center)
        z[1:] -= bank.offset
    z_own, z_bank = float(z[0]), z[1:]
    others = bank.vecs @ own < 0.75
    if q.id is not None and (at := bank.position.get(str(q.id))) is not None:
        others[at] = False
    closer = np.flatnonzero(others & (z_bank > z_own)).tolist()
    rank_share = len(closer) / max(1, int(others.sum()))
    fit = _sigmoid(z_own)
    value = 0.1 + 0.65 * fit + 0.25 * (1.0 - rank_share) ** 2
    nearest = _nearest_other(closer, z_bank, z_own, fit, bank, own_topics)
    return Relevance(
        value=float(min(1.0, max(0.0, value))),
        semantic=round(own_sim, 4),
        lexical=round(lexical, 4),
        closer_questions=len(closer),
        nearest_other=nearest,
        rank_share=round(rank_share, 4),
        fit=round(fit, 4),
    )


def _logits(rmap: RelevanceMap, a: AnswerSide, cos: NDArray[np.float64], raw: NDArray[np.float64],
            lexical: NDArray[np.float64], weighted: NDArray[np.float64],
            q_topics_t: NDArray[np.float64]) -> NDArray[np.float64]:
    """The pair model's log-odds that the answer was written for each question (one row each), from the
    mapped and raw cosines, shared-word shares (plain, idf-weighted) and topic indicators (one column
    per question; a crude cosine rule for a model file of another feature set)."""
    if rmap.pair_w is None or rmap.pair_w.shape[0] != N_FEATURES:
        return np.asarray(8.0 * cos - 2.0)
    return pair_logits(rmap.pair_w, rmap.pair_b, cos, raw, lexical, weighted, a.topics, a.learned, q_topics_t)


def _nearest_other(closer: list[int], z_bank: NDArray[np.float64], z_own: float, fit: float,
                   bank: BankVectors, own_topics: frozenset[str]) -> str | None:
    """The other bank question the answer fits, named only on strong evidence: the answer fits its own
    question poorly, the other one by a wide margin, and the two questions share no competency."""
    if not closer or fit >= CLAIM_BELOW_FIT:
        return None
    best = max(closer, key=lambda i: (float(z_bank[i]), -i))
    if float(z_bank[best]) - z_own < CLAIM_MARGIN or bank.topic_sets[best] & own_topics:
        return None
    return bank.texts[best]


def _point_kind(label: str) -> str | None:
    low = label.strip().lower()
    return _STAR_POINTS.get(low)


def _span_of(sents: Sequence[Sentence]) -> tuple[int, int]:
    return (sents[0].start, sents[-1].end)


def cover_points(
    q: QuestionInfo,
    sentences: Sequence[Sentence],
    lessons: Lessons,
    embedder: Embedder | None,
) -> list[PointCoverage]:
    """For each labeled talking point: covered or not, with the evidence span. A point that asks for
    one of the concepts in concepts.py is judged by what the answer does; a STAR-like point ("Context")
    by the STAR labels; any other by similarity with the best sentence."""
    out: list[PointCoverage] = []
    vecs: NDArray[np.float64] | None = None  # embedded when a point first needs them (few points do)
    echo = content_words(q.text)
    for p in q.points:
        concept = concept_of(p.label, p.text)
        if concept is not None:
            ev = evidence(concept, sentences, lessons)
            out.append(PointCoverage(p.label, p.text, ev is not None, ev))
            continue
        kind = _point_kind(p.label)
        if kind is not None:
            part = [s for s in sentences if s.star == kind]
            out.append(PointCoverage(p.label, p.text, bool(part), _span_of(part) if part else None))
            continue
        if vecs is None and embedder is not None and sentences:
            vecs = embedder.embed([s.text for s in sentences])
        out.append(_similar_point(p.label, p.text, sentences, vecs, embedder, echo))
    return out


def _similar_point(
    label: str, text: str, sentences: Sequence[Sentence], vecs: NDArray[np.float64] | None,
    embedder: Embedder | None, echo: frozenset[str],
) -> PointCoverage:
    """Covered when a sentence means the point: shared words help only beside some similarity of
    meaning, and words the question itself uses do not count (echoing the question covers nothing)."""
    p_words = content_words(f"{label} {text}") - echo
    best, best_i = 0.0, -1
    p_vec = embedder.embed([f"{label}: {text}"])[0] if embedder is not None and vecs is not None else None
    for i, s in enumerate(sentences):
        if not _AGENT.search(s.text):
            continue  # "Quality should be protected" is a slogan: nobody does anything in it
        overlap = len(p_words & content_words(s.text)) / max(1, min(len(p_words), 5))
        sem = float(vecs[i] @ p_vec) if vecs is not None and p_vec is not None else SEM_WITHOUT_EMBEDDER
        score = (0.5 * overlap if sem >= SEM_SUPPORT else 0.0) + max(0.0, sem)
        if score > best:
            best, best_i = score, i
    covered = best >= POINT_COVERED_AT and best_i >= 0
    ev = (sentences[best_i].start, sentences[best_i].end) if covered else None
    return PointCoverage(label, text, covered, ev)
