"""Practice use cases: choose questions, record and score answers, schedule reviews, run sessions.

Every answer is committed twice before the caller hears back (see ``store.attempts``): its text
first, then its analysis with the card's new schedule. The interfaces (CLI, web) only render what
these methods return: typed dataclasses with ``to_dict``. Reading the results back (review queue,
history, progress) is in ``service.history``; the user's data as a whole in ``service.practice_data``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from starcoach.bank.model import Question, QuestionFilter, QuestionType
from starcoach.errors import AnswerError, InputError, NotFoundError
from starcoach.ids import AttemptId, QuestionId
from starcoach.review import debrief as debrief_mod
from starcoach.review import selection
from starcoach.review.records import Attempt, AttemptKind, AttemptStatus, Session, check_answer
from starcoach.review.schedule import Rating, ReviewCard, end_of_day, rating_from_score, review
from starcoach.service.analysis import AnalysisService
from starcoach.service.history import HistoryService

if TYPE_CHECKING:
    from starcoach.analysis.speech import Timings
    from starcoach.analysis.types import Analysis
    from starcoach.bank.companies import Company, Principle
    from starcoach.store.attempts import CardReview

GENERIC_FOLLOW_UP = "What would you do differently if you faced the same situation again?"


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """A saved attempt with its analysis, the rating it earned and when its question comes back."""

    attempt: Attempt
    analysis: Analysis | None
    next_due: datetime | None = None
    follow_up: str | None = None  # the follow-up question to ask next (main answers only)
    note: str = ""  # why an answer was not scored, when it was not

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt.to_dict(),
            "analysis": self.analysis.to_dict() if self.analysis else None,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "follow_up": self.follow_up,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SessionSummary:
    session: Session
    attempts: tuple[Attempt, ...]
    debrief: debrief_mod.Debrief | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session.to_dict(),
            "attempts": [a.to_dict() for a in self.attempts],
            "debrief": self.debrief.to_dict() if self.debrief else None,
        }


class PoolOptions(TypedDict, total=False):
    """The user's filters on the questions a session draws from (every one optional)."""

    competencies: Sequence[str]  # competency ids; any of them
    qtype: str | None  # story, approach, self, closing or knowledge
    company: str | None  # a framework (amazon, ...): its competencies when none are given
    bank: str | None


def _company_competencies(name: str) -> set[str]:
    """The competencies a company profile (or a framework such as 'tih') maps to."""
    from starcoach.bank.companies import COMPANIES
    from starcoach.bank.taxonomy import FRAMEWORKS

    key = name.strip().lower()
    if key in COMPANIES:
        return set(COMPANIES[key].competencies)
    if key in FRAMEWORKS:
        return {c for cs in FRAMEWORKS[key].values() for c in cs}
    known = ", ".join(sorted({*COMPANIES, *FRAMEWORKS}))
    raise InputError(f"unknown company '{name}' (known: {known})")


def _new_id() -> str:
    # OS randomness, not self.rng: two processes seeded alike must still never collide.
    return secrets.token_hex(5)


def _analysis_of(attempt: Attempt) -> Analysis | None:
    from starcoach.analysis.types import Analysis

    return Analysis.from_dict(attempt.analysis) if attempt.analysis else None


class PracticeService(HistoryService, AnalysisService):
    """Practice sessions, answers, ratings and spaced repetition of the Coach."""

    # choosing questions ---------------------------------------------------------------------
    def practice_pool(self, **options: Unpack[PoolOptions]) -> list[Question]:
        """The questions a session may draw from, after the user's filters."""
        from starcoach.bank.taxonomy import competency

        comps = [competency(c).id for c in options.get("competencies", ())]
        company, qtype = options.get("company"), options.get("qtype")
        if company and not comps:
            comps = sorted(_company_competencies(company))
        flt = QuestionFilter(QuestionType.parse(qtype) if qtype else None, tuple(comps), options.get("bank"), None)
        pool = self.questions(flt)
        if not pool:
            raise NotFoundError("no question matches these filters (see 'starcoach questions list')")
        return pool

    def question_stats(self) -> dict[str, selection.QuestionStats]:
        """Scores of the main answers to each question, oldest first."""
        scores: dict[str, list[int]] = {}
        last: dict[str, datetime] = {}
        for a in self.store.attempts.find(kinds=(AttemptKind.ANSWER,), newest_first=False):
            if a.score is not None:
                scores.setdefault(a.question_id, []).append(a.score)
                last[a.question_id] = a.submitted_at
        return {q: selection.QuestionStats(QuestionId(q), tuple(s), last.get(q)) for q, s in scores.items()}

    def choose_practice(self, count: int = 5, **options: Unpack[PoolOptions]) -> list[selection.Pick]:
        """Questions for a practice session: due first, then weakest competencies, then new ones."""
        if count < 1:
            raise InputError("--count must be at least 1")
        pool = self.practice_pool(**options)
        cards: dict[str, ReviewCard] = {c.question_id: c for c in self.store.attempts.cards()}
        horizon = end_of_day(self.now(), self.local_tz())
        company = options.get("company")
        wanted = count * 4 if company else count  # room to spread the picks over the principles
        picks = selection.choose_questions(pool, cards, self.question_stats(), horizon, wanted, self.rng)
        return self.choose_for_company(picks, company, count) if company else picks

    def company_profile(self, name: str) -> Company:
        """A company's profile (principles or values mapped to competencies); InputError if unknown."""
        from starcoach.bank.companies import company

        return company(name)

    def company_principle(self, name: str, question: Question) -> Principle | None:
        """The principle of company ``name`` that ``question`` probes (None if it probes none)."""
        from starcoach.bank.companies import probed_principle

        return probed_principle(self.company_profile(name), question.competencies)

    def choose_for_company(self, picks: list[selection.Pick], name: str, count: int) -> list[selection.Pick]:
        """``count`` of ``picks`` spread over the company's principles: due ones first, then one
        question per principle in the order chosen, then the rest."""
        from starcoach.bank.companies import COMPANIES, probed_principle

        profile = COMPANIES.get(name.strip().lower())
        if profile is None:  # a framework such as 'tih': no principles to spread over
            return picks[:count]
        chosen = [p for p in picks if p.reason == "due"][:count]
        seen = {pr.id for p in chosen if (pr := probed_principle(profile, p.question.competencies))}
        for p in picks:
            pr = probed_principle(profile, p.question.competencies)
            if len(chosen) < count and p not in chosen and pr is not None and pr.id not in seen:
                chosen.append(p)
                seen.add(pr.id)
        chosen += [p for p in picks if p not in chosen][: count - len(chosen)]
        return chosen

    def choose_questions(self, refs: Sequence[str]) -> list[selection.Pick]:
        """The questions the user named by id, in the order given, each once."""
        picks: list[selection.Pick] = []
        for ref in refs:
            q = self.question(ref.strip())
            if all(p.question.id != q.id for p in picks):
                picks.append(selection.Pick(q, "chosen", "you chose it"))
        if not picks:
            raise InputError("name at least one question id (see 'starcoach questions list')")
        return picks

    def choose_mock(self, count: int = 4, **options: Unpack[PoolOptions]) -> list[selection.Pick]:
        """Questions for a mock interview, each probing a different competency."""
        if count < 1:
            raise InputError("--mock needs at least 1 question")
        return selection.choose_mock(self.practice_pool(**options), count, self.rng)

    # sessions and answers --------------------------------------------------------------------
    def start_session(self, kind: str = "practice", options: dict[str, Any] | None = None) -> Session:
        """Open a practice session (``kind`` 'practice' or 'mock') and store it."""
        session = Session(id=_new_id(), kind=kind, started_at=self.now(), options=options or {})
        self.store.attempts.add_session(session)
        return session

    def submit_answer(
        self,
        question: Question | str,
        answer: str,
        *,
        started_at: datetime,
        submitted_at: datetime | None = None,
        session_id: str | None = None,
        time_limit_seconds: int | None = None,
        retry_of: str | None = None,
        speech: Timings | None = None,
    ) -> AttemptResult:
        """Save, analyze and schedule one answer to a bank question; an empty answer is a skip.

        A first answer moves the question's FSRS card (rating from the score); a retry
        (``retry_of``: the first attempt's id) is scored and kept but leaves the schedule alone.
        ``speech``: the word timings of a spoken answer (see ``coach.voice``), added to its analysis.
        """
        q = self.question(question) if isinstance(question, str) else question
        kind = AttemptKind.RETRY if retry_of else AttemptKind.ANSWER
        attempt = self._save_pending(
            q.to_dict(),
            q.id,
            q.text,
            answer,
            kind,
            started_at,
            submitted_at,
            session_id,
            retry_of,
            time_limit_seconds,
        )
        return self._score(attempt, q, speech)

    def submit_follow_up(
        self,
        parent_id: str,
        follow_up: str,
        answer: str,
        *,
        started_at: datetime,
        submitted_at: datetime | None = None,
    ) -> AttemptResult:
        """Save and analyze the answer to a follow-up of attempt ``parent_id`` (no scheduling)."""
        parent = self.store.attempts.get(parent_id)
        snapshot = {
            **self.store.attempts.question_snapshot(parent.id),
            "text": follow_up,
            "follow_up_of": parent.question_text,
        }
        attempt = self._save_pending(
            snapshot,
            parent.question_id,
            follow_up,
            answer,
            AttemptKind.FOLLOW_UP,
            started_at,
            submitted_at,
            parent.session_id,
            parent.id,
            None,
        )
        return self._score(attempt, follow_up, parent_question=parent.question_text)

    def _save_pending(
        self,
        snapshot: dict[str, Any],
        qid: str,
        qtext: str,
        answer: str,
        kind: AttemptKind,
        started_at: datetime,
        submitted_at: datetime | None,
        session_id: str | None,
        parent_id: str | None,
        limit: int | None,
    ) -> Attempt:
        text = check_answer(answer)
        status = AttemptStatus.PENDING if text.strip() else AttemptStatus.SKIPPED
        attempt = Attempt(
            id=AttemptId(_new_id()),
            question_id=QuestionId(qid),
            question_text=qtext,
            kind=kind,
            status=status,
            answer=text,
            started_at=started_at,
            submitted_at=submitted_at or self.now(),
            competencies=tuple(snapshot.get("competencies", ())),
            question_type=str(snapshot.get("type", "story")),
            session_id=session_id,
            parent_id=AttemptId(parent_id) if parent_id else None,
            time_limit_seconds=limit,
        )
        self.store.attempts.add_pending(attempt, snapshot)
        return attempt

    def _score(self, attempt: Attempt, question: Question | str, speech: Timings | None = None, *,
               parent_question: str = "") -> AttemptResult:
        """Analyze a pending attempt, then commit analysis, rating and card together."""
        from dataclasses import replace

        if attempt.status is AttemptStatus.SKIPPED:
            return AttemptResult(attempt, None, note="no answer: recorded as skipped, not scored")
        t0 = time.perf_counter()
        try:
            if attempt.kind is AttemptKind.FOLLOW_UP:
                analysis = self.analyze_follow_up(attempt.answer, str(question), parent_question)
            else:
                analysis = self.analyze_question(attempt.answer, question)
        except AnswerError as exc:
            skipped = replace(attempt, status=AttemptStatus.SKIPPED)
            self.store.attempts.complete(skipped, None)
            return AttemptResult(skipped, None, note=f"not scored: {exc}")
        if speech is not None:
            from starcoach.analysis.speech import with_speech

            analysis = with_speech(analysis, speech)
        ms = (time.perf_counter() - t0) * 1000
        rating = rating_from_score(analysis.score) if attempt.kind is AttemptKind.ANSWER else None
        done = replace(
            attempt,
            status=AttemptStatus.SCORED,
            score=analysis.score,
            rating=rating,
            rating_source="score" if rating else None,
            analysis=analysis.to_dict(),
            analysis_ms=ms,
        )
        card_review = self._card_review(done, rating, "score") if rating else None
        self.store.attempts.complete(done, card_review)
        follow_up = None
        if attempt.kind is not AttemptKind.FOLLOW_UP:
            follow_up = self.follow_up_for(analysis, question)
        return AttemptResult(done, analysis, card_review.after.due if card_review else None, follow_up)

    @staticmethod
    def analyze_follow_up(answer: str, probe: str, parent_question: str = "") -> Analysis:
        """A follow-up answer is judged on whether it answers the probe, never as a STAR story."""
        from starcoach.analysis.probe import analyze_follow_up

        return analyze_follow_up(answer, probe, parent_question=parent_question)

    def analyze_question(self, answer: str, question: Question | str) -> Analysis:
        from starcoach.analysis.pipeline import analyze

        return analyze(answer, question)

    @staticmethod
    def follow_up_for(analysis: Analysis | None, question: Question | str) -> str:
        """The one follow-up to ask: the analysis's first, else the question's, else a generic one."""
        if analysis is not None and analysis.follow_ups:
            return analysis.follow_ups[0]
        if isinstance(question, Question) and question.follow_ups:
            return question.follow_ups[0]
        return GENERIC_FOLLOW_UP

    def follow_up_after(self, attempt: Attempt) -> str:
        """The follow-up to ask after a stored answer (see ``follow_up_for``); its question is looked up
        in the bank, or taken as the text it had when the bank no longer holds it."""
        try:
            question: Question | str = self.question(attempt.question_id)
        except NotFoundError:
            question = attempt.question_text
        return self.follow_up_for(_analysis_of(attempt), question)

    def _card_review(
        self,
        attempt: Attempt,
        rating: Rating,
        source: str,
        before: ReviewCard | None = None,
        use_stored: bool = True,
    ) -> CardReview:
        from starcoach.store.attempts import CardReview  # the store (and SQLAlchemy) load on first use

        card = self.store.attempts.card(attempt.question_id) if use_stored else before
        after, entry = review(card, attempt.question_id, rating, attempt.submitted_at, self.rng)
        return CardReview(card, after, entry, source)

    def rate(self, attempt_id: str, rating: str | Rating) -> AttemptResult:
        """Override the rating a main answer earned; the card is rescheduled from its prior state."""
        chosen = rating if isinstance(rating, Rating) else Rating.parse(rating)
        attempt = self.store.attempts.get(attempt_id)
        if attempt.kind is not AttemptKind.ANSWER or attempt.status is not AttemptStatus.SCORED:
            raise InputError("only a scored first answer to a question has a rating to change")
        last_attempt, before = self.store.attempts.last_review(attempt.question_id)
        if last_attempt != attempt.id:
            raise InputError("this question has been reviewed again since; rate the latest attempt")
        card_review = self._card_review(attempt, chosen, "user", before, use_stored=False)
        self.store.attempts.rerate(attempt.id, card_review)
        updated = self.store.attempts.get(attempt.id)
        return AttemptResult(updated, _analysis_of(updated), card_review.after.due)

    def recover_pending(self) -> list[AttemptResult]:
        """Score answers saved as pending by a process that died before analyzing them."""
        from starcoach.bank.model import Question as Q

        results = []
        for attempt in self.store.attempts.pending():
            snap = self.store.attempts.question_snapshot(attempt.id)
            question: Question | str = (
                attempt.question_text if attempt.kind is AttemptKind.FOLLOW_UP else Q.from_dict(snap)
            )
            results.append(self._score(attempt, question))
        return results

    def finish_session(self, session_id: str) -> SessionSummary:
        """Close a session; a mock interview gets its debrief, stored with the session."""
        session = self.store.attempts.session(session_id)
        found = tuple(self.store.attempts.find(session_id=session_id, newest_first=False))
        brief = self._debrief(found) if session.kind == "mock" else None
        self.store.attempts.end_session(session_id, self.now(), brief.to_dict() if brief else None)
        return SessionSummary(self.store.attempts.session(session_id), found, brief)

    def session_summary(self, session_id: str) -> SessionSummary:
        session = self.store.attempts.session(session_id)
        found = tuple(self.store.attempts.find(session_id=session_id, newest_first=False))
        return SessionSummary(session, found, self._debrief(found) if session.kind == "mock" else None)

    def _debrief(self, found: Sequence[Attempt]) -> debrief_mod.Debrief:
        from starcoach.bank.model import Question as Q

        items = []
        for a in found:
            if a.kind is not AttemptKind.ANSWER:
                continue
            follow = next(
                (f for f in found if f.kind is AttemptKind.FOLLOW_UP and f.parent_id == a.id and f.analysis),
                None,
            )
            question = Q.from_dict(self.store.attempts.question_snapshot(a.id))
            items.append(
                debrief_mod.MockAnswer(
                    question, _analysis_of(a), _analysis_of(follow) if follow else None, a.id
                )
            )
        return debrief_mod.debrief(items)
