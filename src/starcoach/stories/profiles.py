"""Competency profiles: the words and questions that stand for each competency.

A question typed by the user carries no competency tags, and a story may carry none either; both
are matched against these profiles to guess which competencies they are about. A profile is the
competency's name and description, a short list of words people use for it (written here), and the
text of every bank question tagged with it, so the guesses get better as the bank grows.
Matching is lexical (TF-IDF): on the benchmark in bench/bench_stories.py, adding the static sentence
embeddings made the guesses worse, so they are left out. Pure: the bank questions are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starcoach.bank.model import Question
from starcoach.bank.taxonomy import COMPETENCIES
from starcoach.stories.text import Idf, SparseVector, cosine, terms

# Everyday words for each competency, beyond its name and description.
WORDS: dict[str, str] = {
    "conflict": "conflict disagreement dispute argument clash tension friction opposing sides heated debate "
    "incompatible compromise resolve mediate",
    "failure": "failure mistake error wrong outage incident blame postmortem regret broke fault admit "
    "lesson caused",
    "leadership": "initiative started proactive led lead drove volunteered nobody asked unassigned rallied",
    "mentoring": "mentor coach taught helped grow junior new hire graduate onboarding buddy develop "
    "struggling colleague pair",
    "feedback": "feedback criticism critique review hard to hear told me improve behaviour harsh",
    "ambiguity": "ambiguity unclear vague unknown requirements undefined uncertain assumptions no spec "
    "success looked like",
    "prioritization": "prioritize priorities urgent important impact effort ranked cut scope backlog "
    "too many things",
    "deadlines": "deadline date on time pressure aggressive timeline schedule late launch fixed date rush",
    "tradeoffs": "trade-off decision chose option judgment cost benefit balance sacrifice",
    "disagree-manager": "manager boss lead director pushed back objected said no disagreed senior leader",
    "influence": "persuade convince buy-in influence champion adopt another team without authority "
    "stakeholders agree",
    "communication": "explain non-technical audience business stakeholders simplify presentation analogy "
    "translate understandable",
    "learning": "learn new technology unfamiliar up to speed quickly taught myself course tutorial study",
    "process": "process improve automate workflow efficiency release documentation tooling standard",
    "customer": "customer user client merchant complaint experience needs support",
    "teamwork": "team collaborate together colleagues teammates cross-team partner group",
    "motivation": "motivation why company role career goals passion interest",
    "ownership": "ownership accountable responsible owned end to end beyond my role took over",
    "technical-depth": "debugging hard problem technical root cause performance model algorithm system "
    "investigated",
    "perseverance": "persevere setback obstacle blocked gave up persistent hard kept going months",
    "integrity": "ethics right thing honest fairness bias integrity transparent admit",
    "adaptability": "change adapt pivot reorg shift plans changed left suddenly new direction",
}


@dataclass(frozen=True, slots=True)
class CompetencyGuess:
    """A competency a text seems to be about, with the similarity behind the guess."""

    competency: str
    score: float


class Profiles:
    """Lexical profiles of every competency."""

    def __init__(self, bank: Sequence[Question] = ()) -> None:
        texts = {c.id: f"{c.name}. {c.description} {WORDS.get(c.id, '')}" for c in COMPETENCIES}
        examples: dict[str, list[str]] = {c.id: [] for c in COMPETENCIES}
        for q in bank:
            for cid in q.competencies:
                examples.setdefault(cid, []).append(q.text)
        self.ids = tuple(c.id for c in COMPETENCIES)
        docs = {cid: terms(texts[cid] + " " + " ".join(examples.get(cid, []))) for cid in self.ids}
        self._idf = Idf(list(docs.values()))
        self._vectors: dict[str, SparseVector] = {
            cid: self._idf.vector([(docs[cid], 1.0)]) for cid in self.ids
        }

    def guess(self, text: str, k: int = 2, floor: float = 0.12) -> tuple[CompetencyGuess, ...]:
        """Up to ``k`` competencies ``text`` is most about, best first; none below ``floor``."""
        vec = self._idf.vector([(terms(text), 1.0)])
        scores = [cosine(vec, self._vectors[cid]) for cid in self.ids]
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        best = [
            CompetencyGuess(self.ids[i], round(float(scores[i]), 4)) for i in order[:k] if scores[i] >= floor
        ]
        if len(best) > 1 and best[1].score < 0.6 * best[0].score:
            best = best[:1]
        return tuple(best)
