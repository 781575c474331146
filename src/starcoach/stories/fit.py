"""How well a story answers a question: a fit level (strong / workable / stretch / gap) with its reason.

The score mixes three explainable terms:

* competencies: the share of the question's competencies the story is tagged with (a related
  competency, one that a framework principle maps together with it, counts 0.4); an untagged story
  uses the competencies ``stories.infer`` reads in its text, at half credit, and says so;
* words: TF-IDF cosine between the story and the question with its talking points and the
  descriptions of its competencies (IDF learned from the user's stories and the bank);
* meaning: cosine of static sentence embeddings (``starcoach.analysis.embed``), when available.

A story the analyzer scores under QUALITY_STRONG when told (its score is passed in) is never
called a strong fit. Without an embedder the words term stands in for meaning, so the ranking
still works offline with no model. Everything is computed once per story and once per question,
so a 50 x 150 coverage matrix takes a fraction of a second. Pure: the embedder is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import combinations
from typing import TYPE_CHECKING, Any

from starcoach.bank.classify import question_type
from starcoach.bank.model import Question, QuestionType
from starcoach.bank.taxonomy import FRAMEWORKS, competency, is_competency
from starcoach.ids import QuestionId
from starcoach.stories.infer import question_competencies, story_competencies
from starcoach.stories.model import Story
from starcoach.stories.profiles import Profiles
from starcoach.stories.text import Idf, SparseVector, cosine, surface_forms, terms, top_shared

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from starcoach.analysis.embed import Embedder

# Calibrated on tests/fixtures/stories (see bench/bench_stories.py).
LEX_FULL = 0.30  # a TF-IDF cosine at or above this counts as fully similar wording
SEM_FLOOR, SEM_FULL = 0.15, 0.55  # embedding cosines mapped linearly onto 0..1
COMPETENCY_WEIGHT = 0.5
SEMANTIC_WEIGHT = 0.2  # share of meaning (vs words) in similarity; static embeddings are a weak signal
RELATED_CREDIT = 0.4
# An untagged story's inferred competencies count 0.4 of tagged ones: the cues guess right on the
# stories they were written from, less often on others. bench/bench_story_match.py (intended story
# first, words only; own / held-out own / public): credit 1.0 -> 11, -, 61; 0.5 -> 12, 7, 65;
# 0.4 -> 12, 7, 66; 0.2 -> 9, 7, 67. Less credit generalises a little better but leaves a clearly
# fitting untagged story looking like a gap.
INFERRED_CREDIT = 0.4
# A story the analyzer scores below this when told as an answer is at best a workable fit: the
# match may be right, but the story is not ready to be called strong. Stories missing their action
# or result score about 30-35; a terse but complete three-line story about 42.
QUALITY_STRONG = 40


class FitLevel(StrEnum):
    """How well one story answers one question (or competency)."""

    STRONG = "strong"
    WORKABLE = "workable"
    STRETCH = "stretch"
    GAP = "gap"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def symbol(self) -> str:
        return _SYMBOL[self]

    @classmethod
    def of(cls, score: float) -> FitLevel:
        for level in (cls.STRONG, cls.WORKABLE, cls.STRETCH):
            if score >= THRESHOLDS[level]:
                return level
        return cls.GAP


_RANK = {FitLevel.STRONG: 3, FitLevel.WORKABLE: 2, FitLevel.STRETCH: 1, FitLevel.GAP: 0}
_SYMBOL = {FitLevel.STRONG: "●", FitLevel.WORKABLE: "◐", FitLevel.STRETCH: "○", FitLevel.GAP: "·"}
THRESHOLDS = {FitLevel.STRONG: 0.55, FitLevel.WORKABLE: 0.38, FitLevel.STRETCH: 0.22}


def _related_pairs() -> frozenset[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for framework in FRAMEWORKS.values():
        for comps in framework.values():
            pairs.update(frozenset(p) for p in combinations(comps, 2))
    return frozenset(pairs)


RELATED = _related_pairs()


@dataclass(frozen=True, slots=True)
class Fit:
    """One story against one question: level, score (0-1), the terms behind it and why, in words."""

    story_id: str
    story_title: str
    question_id: str | None
    question_text: str
    level: FitLevel
    score: float
    competency: float | None  # None when the question names no competency
    lexical: float
    semantic: float | None  # None without an embedder
    shared: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    reason: str = ""
    inferred: tuple[str, ...] = ()  # the story's competencies, inferred because it is untagged

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "story_title": self.story_title,
            "question_id": self.question_id,
            "question_text": self.question_text,
            "level": self.level.value,
            "score": self.score,
            "competency": self.competency,
            "lexical": self.lexical,
            "semantic": self.semantic,
            "shared": list(self.shared),
            "related": list(self.related),
            "words": list(self.words),
            "reason": self.reason,
            "inferred": list(self.inferred),
        }


def free_question(text: str, profiles: Profiles | None = None) -> Question:
    """A question typed by the user (not in any bank), with its type and competencies guessed.

    The phrase and word cues of ``stories.infer`` come first; when they find no competency, the
    closest competency profiles (``stories.profiles``) stand in. ``source`` is "typed": every
    competency of such a question is inferred.
    """
    head = text.strip().split("\n", 1)[0]
    comps = question_competencies(text)
    if not comps and profiles is not None:
        comps = tuple(g.competency for g in profiles.guess(text))
    return Question(QuestionId(""), text.strip(), type=question_type(head), competencies=comps, source="typed")


def wants_story(q: Question) -> bool:
    """Whether a question calls for a STAR story (self and closing questions do not)."""
    return q.type in (QuestionType.STORY, QuestionType.APPROACH)


def competency_match(
    story_comps: Sequence[str], question_comps: Sequence[str]
) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """(score 0-1, shared ids, related ids of the question) for two competency lists."""
    if not question_comps:
        return 0.0, (), ()
    mine = set(story_comps)
    shared = tuple(c for c in question_comps if c in mine)
    related = tuple(
        c for c in question_comps if c not in mine and any(frozenset((c, s)) in RELATED for s in mine)
    )
    return min(1.0, (len(shared) + RELATED_CREDIT * len(related)) / len(question_comps)), shared, related


def inferred_competencies(story: Story) -> tuple[str, ...]:
    """The competencies of an untagged story, inferred from its text; () for a tagged story."""
    c = story.content
    if c.competencies:
        return ()
    return story_competencies((c.title, c.situation, c.task, c.action, c.result, c.learned)).competencies


def story_text(story: Story) -> str:
    c = story.content
    return "\n".join(p for p in (c.title, c.situation, c.task, c.action, c.result) if p)


def _story_docs(story: Story) -> list[tuple[list[str], float]]:
    c = story.content
    return [
        (terms(c.title), 2.0),
        (terms(c.situation), 1.0),
        (terms(c.task), 1.0),
        (terms(c.action), 1.0),
        (terms(c.result), 1.0),
        (terms(c.learned), 0.5),
        (terms(" ".join(c.tags)), 1.0),
    ]


def _question_docs(q: Question) -> list[tuple[list[str], float]]:
    descriptions = " ".join(
        f"{competency(c).name} {competency(c).description}" for c in q.competencies if is_competency(c)
    )
    points = " ".join(f"{p.label} {p.text}" for p in q.points)
    return [(terms(q.text), 1.0), (terms(points), 0.4), (terms(descriptions), 0.4)]


@dataclass(frozen=True, slots=True)
class _Profile:
    vector: SparseVector
    embedding: NDArray[np.float64] | None


def _scale(x: float, lo: float, hi: float) -> float:
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


class FitModel:
    """Scores stories against questions. Build once per set of stories; ask about many questions.

    ``corpus`` (usually the whole question bank) only teaches the IDF which words are common in
    interview questions; ``embedder`` adds the meaning term when given.
    """

    def __init__(
        self,
        stories: Sequence[Story],
        corpus: Sequence[Question] = (),
        embedder: Embedder | None = None,
        quality: Mapping[str, int] | None = None,
    ) -> None:
        self.stories = tuple(stories)
        self._quality = dict(quality or {})  # story id -> the analyzer's score of the story told
        self._embedder = embedder
        docs = [_story_docs(s) for s in self.stories]
        self._idf = Idf([t for parts in docs for t, _ in parts if t] + [terms(q.text) for q in corpus])
        self._vectors = [self._idf.vector(parts) for parts in docs]
        self._surface: dict[str, str] = {}
        for s in self.stories:
            surface_forms(story_text(s), self._surface)
        self._parts: list[NDArray[np.float64]] = []
        if embedder is not None and self.stories:
            for s in self.stories:
                c = s.content
                texts = [story_text(s), *(p for p in (c.title, c.situation, c.task, c.action, c.result) if p)]
                self._parts.append(embedder.embed(texts))
        self._inferred = [inferred_competencies(s) for s in self.stories]
        self._profiles: dict[tuple[str, str], _Profile] = {}
        self._corpus = tuple(corpus)
        self._competency_profiles: Profiles | None = None

    def question(self, text: str) -> Question:
        """A typed question with its competencies guessed from the bank (see :func:`free_question`)."""
        if self._competency_profiles is None:
            self._competency_profiles = Profiles(self._corpus)
        return free_question(text, self._competency_profiles)

    @property
    def semantic(self) -> bool:
        """Whether the meaning term is in use."""
        return self._embedder is not None

    def profile(self, q: Question) -> _Profile:
        key = (q.id, q.text)
        hit = self._profiles.get(key)
        if hit is None:
            emb = self._embedder.embed([q.text])[0] if self._embedder is not None else None
            hit = _Profile(self._idf.vector(_question_docs(q)), emb)
            self._profiles[key] = hit
        return hit

    def _semantic(self, index: int, prof: _Profile) -> float | None:
        if prof.embedding is None or not self._parts:
            return None
        sims = self._parts[index] @ prof.embedding
        whole, best_part = float(sims[0]), float(sims[1:].max()) if len(sims) > 1 else float(sims[0])
        return round(0.5 * whole + 0.5 * best_part, 4)

    def fit_at(self, index: int, q: Question) -> Fit:
        """The fit of the story at ``index`` (in ``self.stories``) for ``q``."""
        story, prof = self.stories[index], self.profile(q)
        comp, shared, related = competency_match(self.competencies_at(index), q.competencies)
        if self._inferred[index]:
            comp *= INFERRED_CREDIT
        lex = cosine(self._vectors[index], prof.vector)
        sem = self._semantic(index, prof)
        lex_s = _scale(lex, 0.0, LEX_FULL)
        sim = (
            lex_s
            if sem is None
            else (1 - SEMANTIC_WEIGHT) * lex_s + SEMANTIC_WEIGHT * _scale(sem, SEM_FLOOR, SEM_FULL)
        )
        score = COMPETENCY_WEIGHT * comp + (1 - COMPETENCY_WEIGHT) * sim if q.competencies else sim
        level = self._capped(story.id, FitLevel.of(score))
        words = tuple(self._surface.get(t, t) for t in top_shared(self._vectors[index], prof.vector))
        fit = Fit(
            story.id,
            story.title,
            q.id or None,
            q.text,
            level,
            round(score, 4),
            round(comp, 4) if q.competencies else None,
            round(lex, 4),
            sem,
            shared,
            related,
            words,
            inferred=self._inferred[index],
        )
        return _with_quality(_with_reason(fit, self.competencies_at(index), q, sim), self._quality.get(story.id))

    def _capped(self, story_id: str, level: FitLevel) -> FitLevel:
        told = self._quality.get(story_id)
        weak = told is not None and told < QUALITY_STRONG
        return FitLevel.WORKABLE if weak and level is FitLevel.STRONG else level

    def competencies_at(self, index: int) -> tuple[str, ...]:
        """The story's tagged competencies, or the inferred ones when it has no tags."""
        return self.stories[index].content.competencies or self._inferred[index]

    def fits(self, q: Question) -> list[Fit]:
        """The fit of every story for ``q``, in story order."""
        return [self.fit_at(i, q) for i in range(len(self.stories))]

    def rank(self, q: Question) -> list[Fit]:
        """Every story's fit for ``q``, best first (ties by title)."""
        return sorted(self.fits(q), key=lambda f: (-f.score, f.story_title.lower()))


def _with_quality(fit: Fit, told: int | None) -> Fit:
    """Say so when the story itself is weak (it cannot be a strong fit, see QUALITY_STRONG)."""
    if told is None or told >= QUALITY_STRONG:
        return fit
    note = f"the story itself scores {told}/100 when told: strengthen it before relying on it"
    return replace(fit, reason=f"{fit.reason}; {note}" if fit.reason else note)


def _with_reason(fit: Fit, comps: Sequence[str], q: Question, sim: float) -> Fit:
    """``fit`` with a one-line explanation of its level."""
    parts: list[str] = []
    tagged = "reads like (inferred)" if fit.inferred else "tagged"
    if fit.shared:
        parts.append(f"{tagged} {', '.join(fit.shared)} like the question")
    for c in fit.related:
        via = [m for m in comps if frozenset((c, m)) in RELATED]
        parts.append(f"{tagged} {', '.join(via)}, related to {c}")
    if q.competencies and not fit.shared and not fit.related:
        tags = ", ".join(comps) or "nothing"
        verb = "reads like (inferred)" if fit.inferred else "is tagged"
        parts.append(f"the question wants {', '.join(q.competencies)}; the story {verb} {tags}")
    words = ", ".join(fit.words)
    if sim >= 0.6:
        parts.append(f"very similar wording ({words})" if words else "very similar meaning")
    elif sim >= 0.25:
        parts.append(f"some shared ground ({words})" if words else "somewhat similar meaning")
    else:
        parts.append(f"little in common with the question{f' beyond {words}' if words else ''}")
    return replace(fit, reason="; ".join(parts))
