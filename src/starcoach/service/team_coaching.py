"""Team mode, coaching: cohorts, what a coach may see of a candidate, comments, ratings, assignments,
and the cohort dashboard.

The rule of visibility is in one place, ``CoachingService.candidate``: an admin sees every account; a
coach sees the candidates of the cohorts they coach; anyone else gets "not found" (never "forbidden",
which would confirm that the account exists). Every coach or admin look at a candidate's data is
written to the audit log. A candidate's practice data is read through a Coach scoped to their id, so
the store's owner scoping, not this module, guarantees that nothing of another owner can come back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from starcoach.analysis.types import DIMENSIONS
from starcoach.errors import ForbiddenError, InputError, NotFoundError
from starcoach.review.records import AttemptKind, AttemptStatus
from starcoach.service.team import Principal, TeamService, check_name, require_admin
from starcoach.store.team import AnswerRow, Assignment, Cohort, Comment, User

if TYPE_CHECKING:
    from starcoach.review.records import Attempt
    from starcoach.stories.model import Story

MAX_COMMENT = 2000
STUCK_IDLE = timedelta(days=7)
STUCK_SCORE = 60.0
MAX_ASSIGNED = 50


class Answered(Protocol):
    """What the dashboard reads of an answer: a full Attempt or the store's lighter AnswerRow."""

    @property
    def question_id(self) -> str: ...
    @property
    def kind(self) -> AttemptKind: ...
    @property
    def status(self) -> AttemptStatus: ...
    @property
    def score(self) -> int | None: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def competencies(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One line of the cohort dashboard."""

    user: User
    attempts: int
    last_week: int
    last_at: datetime | None
    recent_mean: float | None
    change: float | None
    trend: tuple[float, ...]
    weakest: str | None
    assigned_done: int
    assigned_total: int
    stuck: str | None  # why the candidate looks stuck, or None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.user.id, "name": self.user.name, "attempts": self.attempts, "last_week": self.last_week,
                "last_at": self.last_at.isoformat() if self.last_at else None, "recent_mean": self.recent_mean,
                "change": self.change, "trend": list(self.trend), "weakest_competency": self.weakest,
                "assigned_done": self.assigned_done, "assigned_total": self.assigned_total, "stuck": self.stuck}


def stuck_reason(last_at: datetime | None, now: datetime, scored: int, recent: float | None,
                 change: float | None) -> str | None:
    """Why a candidate looks stuck: no practice for a week, or several answers low and not improving."""
    if last_at is None:
        return "has not practised yet"
    if now - last_at > STUCK_IDLE:
        return f"no practice for {(now - last_at).days} days"
    if scored >= 4 and recent is not None and recent < STUCK_SCORE and (change is None or change <= 0):
        return f"scores around {round(recent)} and not improving"
    return None


class CoachingService:
    """Coach and admin use cases over the team tables and per-candidate Coaches."""

    def __init__(self, team: TeamService) -> None:
        self.team = team
        self.repo = team.repo

    # cohorts ---------------------------------------------------------------------------------
    def create_cohort(self, who: Principal, name: str) -> Cohort:
        require_admin(who)
        cohort = Cohort(uuid.uuid4().hex[:12], check_name(name), self.team.clock().isoformat())
        self.repo.add_cohort(cohort)
        self.repo.audit(self.team.clock(), who.id, "admin.create_cohort", cohort.id, {"name": cohort.name})
        return cohort

    def add_member(self, who: Principal, cohort_id: str, email: str, role: str) -> None:
        require_admin(who)
        self.cohort(who, cohort_id)
        if role not in ("coach", "candidate"):
            raise InputError("A cohort member is a coach or a candidate.")
        user = self.repo.user_by_email(email.strip().lower())
        if user is None:
            raise NotFoundError(f"There is no account with the e-mail {email.strip()[:100]}.")
        self.repo.add_member(cohort_id, user.id, role, self.team.clock())
        self.repo.audit(self.team.clock(), who.id, "admin.add_member", user.id, {"cohort": cohort_id, "role": role})

    def cohorts(self, who: Principal) -> list[Cohort]:
        """The cohorts ``who`` runs: all for an admin, their own for a coach."""
        if who.role == "admin":
            return self.repo.cohorts()
        if who.role == "coach":
            return self.repo.cohorts(who.id, role="coach")
        raise ForbiddenError("Only coaches and admins see cohorts.")

    def cohort(self, who: Principal, cohort_id: str) -> Cohort:
        if who.role not in ("coach", "admin"):
            raise ForbiddenError("Only coaches and admins see cohorts.")
        cohort = self.repo.cohort(cohort_id)
        if cohort is None or (who.role != "admin" and self.repo.member_role(cohort_id, who.id) != "coach"):
            raise NotFoundError("There is no such cohort.")
        return cohort

    # seeing a candidate ----------------------------------------------------------------------
    def candidate(self, who: Principal, candidate_id: str, action: str) -> User:
        """The candidate's account, when ``who`` may see it; the look is audited."""
        if who.role not in ("coach", "admin"):
            raise ForbiddenError("Only coaches and admins see other candidates.")
        user = self.repo.user(candidate_id)
        if user is None or (who.role != "admin" and not self.repo.coaches_candidate(who.id, candidate_id)):
            raise NotFoundError("There is no such candidate in your cohorts.")
        self.repo.audit(self.team.clock(), who.id, action, candidate_id)
        return user

    def overview(self, who: Principal, candidate_id: str) -> dict[str, Any]:
        user = self.candidate(who, candidate_id, "coach.view_candidate")
        coach = self.team.coach_for(user.id)
        try:
            stories: list[Story] | None = coach.stories() if user.share_stories else None
            return {"user": user, "progress": coach.progress(), "attempts": coach.history(limit=50),
                    "stories": stories}
        finally:
            coach.close()

    def attempt(self, who: Principal, candidate_id: str, attempt_id: str) -> dict[str, Any]:
        user = self.candidate(who, candidate_id, "coach.view_attempt")
        return {"user": user, **self._attempt_notes(user.id, attempt_id)}

    def own_attempt_notes(self, who: Principal, attempt_id: str) -> dict[str, Any]:
        """A candidate's own attempt with what their coaches wrote about it."""
        return {"user": who.user, **self._attempt_notes(who.id, attempt_id)}

    def _attempt_notes(self, owner: str, attempt_id: str) -> dict[str, Any]:
        coach = self.team.coach_for(owner)
        try:
            attempt = coach.attempt(attempt_id)
        finally:
            coach.close()
        return {"attempt": attempt, "comments": self.repo.comments(owner, attempt.id),
                "ratings": self.repo.ratings(owner, attempt.id)}

    # writing about an attempt ----------------------------------------------------------------
    def comment(self, who: Principal, candidate_id: str, attempt_id: str, start: int, end: int, body: str) -> Comment:
        """A comment on the characters ``start:end`` of the answer (a sentence span of the analysis)."""
        found = self.attempt(who, candidate_id, attempt_id)
        attempt: Attempt = found["attempt"]
        text = body.strip()
        if not text or len(text) > MAX_COMMENT:
            raise InputError(f"A comment has 1 to {MAX_COMMENT} characters.")
        if not 0 <= start < end <= len(attempt.answer):
            raise InputError(f"The span {start}-{end} is not inside the answer (0-{len(attempt.answer)}).")
        comment = Comment(uuid.uuid4().hex, attempt.id, who.id, who.user.name, start, end, text,
                          self.team.clock().isoformat())
        self.repo.add_comment(comment, candidate_id)
        self.repo.audit(self.team.clock(), who.id, "coach.comment", candidate_id, {"attempt": attempt.id})
        return comment

    def rate(self, who: Principal, candidate_id: str, attempt_id: str, scores: dict[str, int]) -> None:
        """The coach's 1-5 rating on the analysis's seven dimensions (every one required)."""
        found = self.attempt(who, candidate_id, attempt_id)
        if set(scores) != set(DIMENSIONS):
            raise InputError(f"Rate every dimension: {', '.join(DIMENSIONS)}.")
        if any(not 1 <= v <= 5 for v in scores.values()):
            raise InputError("Each rating is 1 to 5.")
        ordered = {d: int(scores[d]) for d in DIMENSIONS}
        self.repo.set_rating(candidate_id, found["attempt"].id, who.id, ordered, self.team.clock())
        self.repo.audit(self.team.clock(), who.id, "coach.rate", candidate_id, {"attempt": found["attempt"].id})

    # assignments -----------------------------------------------------------------------------
    def assign(self, who: Principal, cohort_id: str, title: str, question_ids: list[str], due: datetime) -> Assignment:
        self.cohort(who, cohort_id)
        ids = list(dict.fromkeys(q.strip() for q in question_ids if q.strip()))
        if not ids or len(ids) > MAX_ASSIGNED:
            raise InputError(f"Assign 1 to {MAX_ASSIGNED} questions.")
        coach = self.team.coach_for(who.id)
        try:
            ids = [coach.question(q).id for q in ids]  # NotFoundError names an unknown id
        finally:
            coach.close()
        now = self.team.clock()
        a = Assignment(uuid.uuid4().hex[:12], cohort_id, check_name(title), tuple(ids), due.isoformat(),
                       now.isoformat())
        self.repo.add_assignment(a, who.id)
        self.repo.audit(now, who.id, "coach.assign", cohort_id, {"assignment": a.id, "questions": len(ids)})
        return a

    def my_assignments(self, who: Principal) -> list[tuple[Assignment, set[str]]]:
        """A candidate's assignments, each with the question ids already answered since it was set."""
        found = self.repo.assignments([c.id for c in self.repo.cohorts(who.id, role="candidate")])
        coach = self.team.coach_for(who.id)
        try:
            attempts = coach.history(limit=None, include_follow_ups=False)
        finally:
            coach.close()
        return [(a, _answered(a, attempts)) for a in found]

    # dashboard -------------------------------------------------------------------------------
    def dashboard(self, who: Principal, cohort_id: str) -> dict[str, Any]:
        cohort = self.cohort(who, cohort_id)
        self.repo.audit(self.team.clock(), who.id, "coach.view_dashboard", cohort_id)
        members = self.repo.members(cohort_id)
        tasks = self.repo.assignments([cohort_id])
        candidates = [m.user for m in members if m.role == "candidate"]
        answers = self.repo.answer_rows([u.id for u in candidates])
        rows = [self._row(u, answers[u.id], tasks) for u in candidates]
        return {"cohort": cohort, "rows": rows, "coaches": [m.user for m in members if m.role == "coach"],
                "assignments": tasks}

    def _row(self, user: User, attempts: list[AnswerRow], tasks: list[Assignment]) -> CandidateRow:
        now = self.team.clock()
        last = attempts[0].submitted_at if attempts else None
        scores = [a.score for a in reversed(attempts) if a.status is AttemptStatus.SCORED and a.score is not None]
        recent, change = score_trend(scores)
        done = sum(len(_answered(t, attempts)) for t in tasks)
        return CandidateRow(
            user, len(attempts), sum(1 for a in attempts if now - a.submitted_at <= timedelta(days=7)), last,
            recent, change, tuple(float(s) for s in scores[-10:]), weakest_competency(attempts), done,
            sum(len(t.question_ids) for t in tasks), stuck_reason(last, now, len(scores), recent, change))


def score_trend(scores: list[int], window: int = 5) -> tuple[float | None, float | None]:
    """Mean of the last ``window`` scores, and how far it moved from the first ``window`` (oldest first)."""
    if not scores:
        return None, None
    recent = sum(scores[-window:]) / len(scores[-window:])
    if len(scores) <= window:
        return round(recent, 1), None
    first = sum(scores[:window]) / window
    return round(recent, 1), round(recent - first, 1)


def weakest_competency(attempts: Sequence[Answered], least: int = 2) -> str | None:
    """The competency with the lowest mean score over at least ``least`` scored answers."""
    by: dict[str, list[int]] = {}
    for a in attempts:
        if a.status is AttemptStatus.SCORED and a.score is not None:
            for comp in a.competencies:
                by.setdefault(comp, []).append(a.score)
    means = {c: sum(v) / len(v) for c, v in by.items() if len(v) >= least}
    return min(sorted(means), key=lambda c: means[c]) if means else None


def _answered(task: Assignment, attempts: Sequence[Answered]) -> set[str]:
    since = datetime.fromisoformat(task.created_at)
    wanted = set(task.question_ids)
    return {a.question_id for a in attempts if a.question_id in wanted and a.submitted_at >= since
            and a.kind is not AttemptKind.FOLLOW_UP and a.status is not AttemptStatus.PENDING}
