"""What kind of answer a free-text question asks for: a story, a method, about yourself, closing, or a
technical subject (knowledge).

A multinomial logistic regression over hashed word n-grams (1-3, with sentence starts) and character
4-grams (which survive typos), trained by ``training/train_question_types.py`` on the phrasings in
``data/question_types/dev`` and checked on ``data/question_types/heldout`` (never trained on). The
weights are a small file in ``bank/data``. Every decision is explained by the features of the text
that pushed the winning type furthest ahead of the runner-up ("'tell me about a' +2.1").
Deterministic (CRC32 hashing, fixed weights), pure Python + numpy, tens of microseconds a question.
It does not look at the bank: :mod:`starcoach.analysis.questions` prefers a bundled question's stored
type when the text matches one.
"""

from __future__ import annotations

import io
import itertools
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from starcoach.bank.model import QuestionType
from starcoach.errors import ModelUnavailableError

WEIGHTS_FILE = "question_types.npz"
DIM = 1 << 15  # hashed feature space
CLASSES: tuple[QuestionType, ...] = (
    QuestionType.STORY, QuestionType.APPROACH, QuestionType.SELF, QuestionType.CLOSING, QuestionType.KNOWLEDGE,
)

# Spoken and chat spellings, and contractions, rewritten so "whats" and "what's" read as "what is".
_WORD_FIXES = {
    "u": "you", "ur": "your", "r": "are", "whats": "what is", "thats": "that is", "youve": "you have",
    "youre": "you are", "youd": "you would", "didnt": "did not", "dont": "do not", "doesnt": "does not",
    "wasnt": "was not", "isnt": "is not", "cant": "can not", "wont": "will not", "ive": "i have",
    "im": "i am", "id": "i would", "qs": "questions", "q": "question",
}
_SUFFIXES = (("n't", " not"), ("'ve", " have"), ("'re", " are"), ("'d", " would"), ("'ll", " will"),
             ("'m", " am"))
_IS_HEADS = frozenset({"what", "that", "it", "who", "where", "how", "there", "here", "when", "why"})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"[.?!;:\n]+")


def _expand(token: str) -> list[str]:
    if token in _WORD_FIXES:
        return _WORD_FIXES[token].split()
    if token.endswith("'s") and token[:-2] in _IS_HEADS:
        return [token[:-2], "is"]
    for suffix, full in _SUFFIXES:
        if token.endswith(suffix):
            head = token[: -len(suffix)]
            head = {"wo": "will", "ca": "can"}.get(head, head)
            return [head, *full.split()]
    return [token.replace("'", "")]


def tokens(text: str) -> list[list[str]]:
    """Lower-cased words of each sentence, contractions and chat spellings expanded."""
    low = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for part in _SENTENCE.split(low):
        words = [w for t in _TOKEN.findall(part) for w in _expand(t)]
        if words:
            out.append(words)
    return out


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_IRREGULAR_PAST = _words(
    "led made had did took gave got went built wrote ran found saw felt chose brought thought taught caught "
    "sent spent kept left lost met paid said told understood won overcame dealt fought drove broke began "
    "became came knew grew threw been done seen gone given taken written driven chosen spoken heard held "
    "hit let set shut split sold stood struck swore tore undertook withdrew rebuilt rewrote oversaw")
# -ed words that describe a state rather than tell what happened ("are you interested").
_STATE_ED = _words(
    "interested excited motivated qualified suited experienced skilled prepared committed located based "
    "organized detailed oriented tired bored stressed satisfied concerned supposed needed related "
    "distributed unexpected automated advanced")
_ADVERBS = _words("ever have had once recently personally just really successfully actually also "
                     "previously single handedly last")
_SECOND = _words("you your yours yourself we our us")
# Verbs after "how do you": a preference or self-view, or a way of acting.
_PREFER_VERBS = _words("like prefer want see think define measure rate describe feel unwind relax recharge "
                          "spend enjoy view picture imagine hope")
_METHOD_VERBS = _words("handle deal approach manage decide prioritize prioritise respond react ensure make "
                          "go balance resolve keep get build give communicate choose stay work help "
                          "plan run evaluate convince explain onboard mentor avoid")
# A person's life outside the job: hobbies and rest.
_OWN_LIFE = _words("fun hobby hobbies weekend weekends free outside book books read reading relax unwind "
                      "recharge passion passionate personally")
# What closing questions are about: the candidate's turn to ask or add.
_ASK = _words("ask asking questions question anything clarify add curious")
# What approach questions are about (people, pressure, work) versus what knowledge questions are about.
_PEOPLE = _words(
    "teammate teammates coworker coworkers colleague colleagues manager managers boss lead stakeholder "
    "stakeholders customer customers client clients team teams deadline deadlines conflict conflicts "
    "feedback criticism priorities prioritize prioritise stress pressure mistake mistakes failure "
    "disagree disagreement disagreements junior juniors mentor mentoring people someone peer peers "
    "engineer engineers report reports meeting meetings burnout motivated motivate trust scope")
_TECH = _words(
    "algorithm algorithms data dataset datasets feature features variable variables values model "
    "regression classification classifier gradient loss function functions network networks neural "
    "database databases index query sql cache hash tree trees array arrays list lists graph memory "
    "thread threads process latency throughput api protocol tcp http distribution probability "
    "statistical statistics test matrix vector vectors embedding embeddings learning rate "
    "hyperparameters clustering kernel layer layers transformer attention token tokens")


def _is_past(word: str) -> bool:
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed") and word not in _STATE_ED


def _past_you(words: list[str]) -> bool:
    """'you led', 'you have ever shipped', 'did you', 'were you': the question asks what happened."""
    for i, w in enumerate(words):
        if w in ("did", "were") and i + 1 < len(words) and words[i + 1] in ("you", "your"):
            return True
        if w == "you":
            j = i + 1
            while j < len(words) and words[j] in _ADVERBS:
                j += 1
            if j < len(words) and _is_past(words[j]):
                return True
    return False


def _abstract(sentences: list[list[str]]) -> list[str]:
    """Features that generalize over wording: tense of what the candidate is asked about, and whether
    the question addresses anyone at all."""
    feats = ["@past-you" for words in sentences if _past_you(words)]
    flat = [w for words in sentences for w in words]
    if not _SECOND.intersection(flat):
        feats.append("@impersonal")
    if {"was", "were", "did", "had"} & set(flat) and {"you", "your"} & set(flat):
        feats.append("@past-aux")
    feats += ["@people"] * min(2, sum(w in _PEOPLE for w in flat))
    feats += ["@tech"] * min(2, sum(w in _TECH for w in flat))
    feats += ["@ask"] * min(2, sum(w in _ASK for w in flat))
    feats += ["@own-life"] * min(2, sum(w in _OWN_LIFE for w in flat))
    feats += [f"@how-you-{kind}" for words in sentences for kind in _how_you(words)]
    return feats


def _how_you(words: list[str]) -> list[str]:
    """'how do you handle' asks for a method, 'how do you like' about the candidate: the verb's kind."""
    out = []
    for i in range(len(words) - 3):
        if words[i] == "how" and words[i + 1] in ("do", "would", "will", "should") and words[i + 2] == "you":
            verb = words[i + 3]
            out.append("pref" if verb in _PREFER_VERBS else "method" if verb in _METHOD_VERBS else "other")
    return out


def features(text: str) -> list[str]:
    """The named features of one question (duplicates kept: they count twice)."""
    sentences = tokens(text)
    feats: list[str] = _abstract(sentences)
    for words in sentences:
        padded = ["<s>", *words]
        feats += [f"'{w}'" for w in words]
        feats += [f"'{a} {b}'" for a, b in itertools.pairwise(padded)]
        feats += [f"'{a} {b} {c}'" for a, b, c in zip(padded, padded[1:], padded[2:], strict=False)]
        for w in words:
            padw = f"#{w}#"
            feats += [f"~{padw[i:i + 4]}" for i in range(max(1, len(padw) - 3))]
    return feats


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % DIM


@dataclass(frozen=True, slots=True)
class TypeGuess:
    """The type of one question, with its probability and the cues that decided it."""

    type: QuestionType
    confidence: float
    cues: tuple[str, ...]  # the text's features that favoured ``type`` most, strongest first

    @property
    def why(self) -> str:
        """One line: '<type> (0.97): 'tell me about a', 'you failed''."""
        return f"{self.type.value} ({self.confidence:.2f}): " + ", ".join(self.cues)


@dataclass(frozen=True, slots=True)
class TypeModel:
    """Weights of the question-type classifier (rows: features, columns: :data:`CLASSES`)."""

    weights: np.ndarray  # (DIM, n_classes) float32
    bias: np.ndarray  # (n_classes,)

    def guess(self, text: str) -> TypeGuess:
        feats = features(text)
        if not feats:
            return TypeGuess(QuestionType.STORY, 0.0, ("no words",))
        rows = np.fromiter((bucket(f) for f in feats), dtype=np.int64, count=len(feats))
        contrib = self.weights[rows]  # (n_feats, n_classes)
        logits = contrib.sum(axis=0) + self.bias
        order = np.argsort(-logits, kind="stable")
        best, second = int(order[0]), int(order[1])
        probs = np.exp(logits - logits[best])
        return TypeGuess(CLASSES[best], float(1.0 / probs.sum()), _cues(feats, contrib[:, best] - contrib[:, second]))

    def to_arrays(self) -> dict[str, np.ndarray]:
        used = np.flatnonzero(np.any(self.weights != 0, axis=1)).astype(np.int32)
        return {"rows": used, "weights": self.weights[used].astype(np.float16), "bias": self.bias,
                "classes": np.array([c.value for c in CLASSES])}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> TypeModel:
        if tuple(str(c) for c in arrays["classes"]) != tuple(c.value for c in CLASSES):
            raise ValueError("question-type weights were trained for other classes")
        weights = np.zeros((DIM, len(CLASSES)), dtype=np.float32)
        weights[arrays["rows"]] = arrays["weights"].astype(np.float32)
        return cls(weights, arrays["bias"].astype(np.float32))


_READABLE = {
    "@past-you": "asks what you did (past tense)", "@past-aux": "past tense", "@impersonal": "does not address you",
    "@people": "people/pressure words", "@tech": "technical words", "@ask": "words about asking",
    "@own-life": "life outside work", "@how-you-method": "'how do/would you' + a way of acting",
    "@how-you-pref": "'how do/would you' + a preference", "@how-you-other": "'how do/would you' + another verb",
}


def _cues(feats: list[str], margin: np.ndarray, top: int = 3) -> tuple[str, ...]:
    """The distinct word features with the largest margin for the winner (char grams only if no word)."""
    best: dict[str, float] = {}
    for f, m in zip(feats, margin.tolist(), strict=True):
        best[f] = best.get(f, 0.0) + m
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    favour = [(f, m) for f, m in ranked if m > 0]
    # Only the `top` shown are formatted (a char gram "~..." is never a _READABLE key).
    picked = [fm for fm in favour if not fm[0].startswith("~")][:top] or favour[:top]
    return tuple(f"{_READABLE.get(f, f)} {m:+.1f}" for f, m in picked) or ("prior",)


@lru_cache(maxsize=1)
def load_model() -> TypeModel:
    """The bundled classifier."""
    try:
        raw = (resources.files("starcoach.bank") / "data" / WEIGHTS_FILE).read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            return TypeModel.from_arrays(dict(arrays))
    except (OSError, ValueError, KeyError) as err:
        raise ModelUnavailableError(f"question-type weights are missing or unreadable: {err}") from err


@lru_cache(maxsize=8192)
def guess_type(text: str) -> TypeGuess:
    """The type ``text`` asks for, with the cues that decided it (see :class:`TypeGuess`). Remembered per
    text: importing a bank asks about each question three times (type, topic checks, document summary)."""
    return load_model().guess(text)
