"""Team-mode rows: accounts, sessions, one-time links, cohorts, coaching notes, audit and throttle.

One ``TeamRepo`` over the store's engine; every method is one transaction, so a worker never sees
another's half-written change. The repository knows no rules (who may see what, how long a session
lives): ``service/team*.py`` decides and passes times in. Secrets arrive here already hashed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update

from starcoach.errors import ConflictError, NotFoundError
from starcoach.review.records import AttemptKind, AttemptStatus, iso
from starcoach.store.attempts import transaction
from starcoach.store.practice_tables import attempts
from starcoach.store.team_tables import (
    assignments,
    audit_log,
    auth_sessions,
    cohorts,
    comments,
    invitations,
    login_failures,
    members,
    password_resets,
    ratings,
    users,
)


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    name: str
    role: str
    password_hash: str
    share_stories: bool
    created_at: str

    def public(self) -> dict[str, Any]:
        """What the user's own export and the API show (never the hash)."""
        return {"id": self.id, "email": self.email, "name": self.name, "role": self.role,
                "share_stories": self.share_stories, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class SessionRow:
    user: User
    csrf: str
    seen_at: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class Link:
    """A one-time link's row (invitation or reset) once it has been taken."""

    role: str
    cohort_id: str | None
    user_id: str | None
    created_by: str


@dataclass(frozen=True, slots=True)
class Cohort:
    id: str
    name: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    role: str
    joined_at: str


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    attempt_id: str
    author_id: str
    author_name: str
    start: int
    end: int
    body: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "attempt_id": self.attempt_id, "author": self.author_name, "start": self.start,
                "end": self.end, "body": self.body, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    cohort_id: str
    title: str
    question_ids: tuple[str, ...]
    due_at: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "cohort_id": self.cohort_id, "title": self.title,
                "question_ids": list(self.question_ids), "due_at": self.due_at, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """What the cohort dashboard needs of one answer (no answer text, no analysis)."""

    owner: str
    question_id: str
    kind: AttemptKind
    status: AttemptStatus
    score: int | None
    submitted_at: datetime
    competencies: tuple[str, ...]


def _user(row: Any) -> User:
    return User(row.id, row.email, row.name, row.role, row.password_hash, bool(row.share_stories), row.created_at)


def _user_values(user: User, now: datetime) -> dict[str, Any]:
    return {**user.public(), "password_hash": user.password_hash, "share_stories": int(user.share_stories),
            "password_changed_at": iso(now)}


class TeamRepo:
    """Team-mode rows in the shared database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # users -----------------------------------------------------------------------------------
    def add_user(self, user: User, now: datetime) -> None:
        with transaction(self._engine) as conn:
            if conn.execute(select(users.c.id).where(users.c.email == user.email)).first() is not None:
                raise ConflictError(f"an account with the e-mail {user.email} already exists")
            conn.execute(insert(users).values(**_user_values(user, now)))

    def user(self, user_id: str) -> User | None:
        with transaction(self._engine) as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row is not None else None

    def user_by_email(self, email: str) -> User | None:
        with transaction(self._engine) as conn:
            row = conn.execute(select(users).where(users.c.email == email)).first()
        return _user(row) if row is not None else None

    def all_users(self) -> list[User]:
        with transaction(self._engine) as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.email))]

    def count_role(self, role: str) -> int:
        with transaction(self._engine) as conn:
            return int(conn.execute(select(func.count()).select_from(users).where(users.c.role == role)).scalar_one())

    def update_user(self, user_id: str, **values: Any) -> None:
        with transaction(self._engine) as conn:
            if conn.execute(update(users).where(users.c.id == user_id).values(**values)).rowcount != 1:
                raise NotFoundError("no such account")

    def set_password(self, user_id: str, password_hash: str, now: datetime, keep_session: str | None) -> None:
        """New hash, and every session of the user ends but ``keep_session`` (the one that changed it)."""
        with transaction(self._engine) as conn:
            conn.execute(update(users).where(users.c.id == user_id)
                         .values(password_hash=password_hash, password_changed_at=iso(now)))
            gone = auth_sessions.c.user_id == user_id
            if keep_session is not None:
                gone = and_(gone, auth_sessions.c.id_hash != keep_session)
            conn.execute(delete(auth_sessions).where(gone))

    def delete_user(self, user_id: str) -> None:
        """The account row; sessions, links, memberships, comments and ratings go with it (ON DELETE CASCADE)."""
        with transaction(self._engine) as conn:
            conn.execute(delete(comments).where(or_(comments.c.author_id == user_id,
                                                    comments.c.candidate_id == user_id)))
            conn.execute(delete(ratings).where(or_(ratings.c.coach_id == user_id, ratings.c.candidate_id == user_id)))
            conn.execute(delete(auth_sessions).where(auth_sessions.c.user_id == user_id))
            conn.execute(delete(password_resets).where(password_resets.c.user_id == user_id))
            conn.execute(delete(invitations).where(invitations.c.created_by == user_id))
            conn.execute(delete(members).where(members.c.user_id == user_id))
            conn.execute(delete(users).where(users.c.id == user_id))

    # sessions --------------------------------------------------------------------------------
    def add_session(self, id_hash: str, user_id: str, csrf: str, now: datetime, expires: datetime,
                    replaces: str | None = None) -> None:
        """A new session; ``replaces`` (the id the browser came with) ends in the same transaction."""
        with transaction(self._engine) as conn:
            if replaces is not None:
                conn.execute(delete(auth_sessions).where(auth_sessions.c.id_hash == replaces))
            conn.execute(insert(auth_sessions).values(id_hash=id_hash, user_id=user_id, csrf=csrf,
                                                      created_at=iso(now), seen_at=iso(now), expires_at=iso(expires)))

    def session(self, id_hash: str, now: datetime) -> SessionRow | None:
        """The live session with this id and its user; None when unknown or expired."""
        q = (select(auth_sessions.c.csrf, auth_sessions.c.seen_at, auth_sessions.c.expires_at, users)
             .join(users, users.c.id == auth_sessions.c.user_id)
             .where(auth_sessions.c.id_hash == id_hash, auth_sessions.c.expires_at > iso(now)))
        with transaction(self._engine) as conn:
            row = conn.execute(q).first()
        return SessionRow(_user(row), row.csrf, row.seen_at, row.expires_at) if row is not None else None

    def touch_session(self, id_hash: str, now: datetime, expires: datetime) -> None:
        with transaction(self._engine) as conn:
            conn.execute(update(auth_sessions).where(auth_sessions.c.id_hash == id_hash)
                         .values(seen_at=iso(now), expires_at=iso(expires)))

    def delete_session(self, id_hash: str) -> None:
        with transaction(self._engine) as conn:
            conn.execute(delete(auth_sessions).where(auth_sessions.c.id_hash == id_hash))

    def prune(self, now: datetime, failures_before: datetime) -> None:
        """Drop expired sessions and old throttle rows."""
        with transaction(self._engine) as conn:
            conn.execute(delete(auth_sessions).where(auth_sessions.c.expires_at <= iso(now)))
            conn.execute(delete(login_failures).where(login_failures.c.at < iso(failures_before)))

    # one-time links --------------------------------------------------------------------------
    def add_invitation(self, token_hash: str, role: str, cohort_id: str | None, by: str, now: datetime,
                       expires: datetime) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(invitations).values(token_hash=token_hash, role=role, cohort_id=cohort_id,
                                                    created_by=by, created_at=iso(now), expires_at=iso(expires)))

    def invitation(self, token_hash: str, now: datetime) -> Link | None:
        """An unused, unexpired invitation (without taking it)."""
        with transaction(self._engine) as conn:
            row = conn.execute(select(invitations).where(*self._live(invitations, token_hash, now))).first()
        return Link(row.role, row.cohort_id, None, row.created_by) if row is not None else None

    def accept_invitation(self, token_hash: str, user: User, now: datetime) -> Link:
        """Take the invitation and create its account (and membership) in one transaction."""
        with transaction(self._engine) as conn:
            row = conn.execute(select(invitations).where(*self._live(invitations, token_hash, now))).first()
            taken = conn.execute(update(invitations).where(*self._live(invitations, token_hash, now))
                                 .values(used_at=iso(now))).rowcount
            if row is None or taken != 1:
                raise NotFoundError("This invitation link is unknown, used or expired; ask for a new one.")
            if conn.execute(select(users.c.id).where(users.c.email == user.email)).first() is not None:
                raise ConflictError(f"an account with the e-mail {user.email} already exists; sign in instead")
            conn.execute(insert(users).values(**_user_values(user, now)))
            if row.cohort_id is not None:
                conn.execute(insert(members).values(cohort_id=row.cohort_id, user_id=user.id,
                                                    role="coach" if user.role == "coach" else "candidate",
                                                    joined_at=iso(now)))
        return Link(row.role, row.cohort_id, user.id, row.created_by)

    def add_reset(self, token_hash: str, user_id: str, by: str, now: datetime, expires: datetime) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(password_resets).values(token_hash=token_hash, user_id=user_id, created_by=by,
                                                        created_at=iso(now), expires_at=iso(expires)))

    def reset_user(self, token_hash: str, now: datetime) -> User | None:
        """The user an unused, unexpired reset link is for (without taking it)."""
        q = (select(users).join(password_resets, password_resets.c.user_id == users.c.id)
             .where(*self._live(password_resets, token_hash, now)))
        with transaction(self._engine) as conn:
            row = conn.execute(q).first()
        return _user(row) if row is not None else None

    def use_reset(self, token_hash: str, password_hash: str, now: datetime) -> str:
        """Take the reset link, set the password, end every session of the user; returns the user id."""
        with transaction(self._engine) as conn:
            row = conn.execute(select(password_resets.c.user_id)
                               .where(*self._live(password_resets, token_hash, now))).first()
            taken = conn.execute(update(password_resets).where(*self._live(password_resets, token_hash, now))
                                 .values(used_at=iso(now))).rowcount
            if row is None or taken != 1:
                raise NotFoundError("This reset link is unknown, used or expired; ask an admin for a new one.")
            conn.execute(update(users).where(users.c.id == row.user_id)
                         .values(password_hash=password_hash, password_changed_at=iso(now)))
            conn.execute(delete(auth_sessions).where(auth_sessions.c.user_id == row.user_id))
        return str(row.user_id)

    @staticmethod
    def _live(table: Any, token_hash: str, now: datetime) -> tuple[Any, ...]:
        return (table.c.token_hash == token_hash, table.c.used_at.is_(None), table.c.expires_at > iso(now))

    # cohorts ---------------------------------------------------------------------------------
    def add_cohort(self, cohort: Cohort) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(cohorts).values(id=cohort.id, name=cohort.name, created_at=cohort.created_at))

    def cohort(self, cohort_id: str) -> Cohort | None:
        with transaction(self._engine) as conn:
            row = conn.execute(select(cohorts).where(cohorts.c.id == cohort_id)).first()
        return Cohort(row.id, row.name, row.created_at) if row is not None else None

    def cohorts(self, user_id: str | None = None, role: str | None = None) -> list[Cohort]:
        """All cohorts, or those ``user_id`` belongs to (as ``role`` when given)."""
        q = select(cohorts).order_by(cohorts.c.name, cohorts.c.id)
        if user_id is not None:
            q = q.join(members, members.c.cohort_id == cohorts.c.id).where(members.c.user_id == user_id)
            if role is not None:
                q = q.where(members.c.role == role)
        with transaction(self._engine) as conn:
            return [Cohort(r.id, r.name, r.created_at) for r in conn.execute(q)]

    def add_member(self, cohort_id: str, user_id: str, role: str, now: datetime) -> None:
        with transaction(self._engine) as conn:
            known = select(members.c.role).where(members.c.cohort_id == cohort_id, members.c.user_id == user_id)
            if conn.execute(known).first() is not None:
                raise ConflictError("that account is already in this cohort")
            conn.execute(insert(members).values(cohort_id=cohort_id, user_id=user_id, role=role, joined_at=iso(now)))

    def members(self, cohort_id: str) -> list[Member]:
        q = (select(users, members.c.role.label("member_role"), members.c.joined_at)
             .join(members, members.c.user_id == users.c.id)
             .where(members.c.cohort_id == cohort_id).order_by(users.c.name, users.c.id))
        with transaction(self._engine) as conn:
            return [Member(_user(r), r.member_role, r.joined_at) for r in conn.execute(q)]

    def coaches_candidate(self, coach_id: str, candidate_id: str) -> bool:
        """Whether ``coach_id`` coaches a cohort that ``candidate_id`` is a candidate of."""
        mine = select(members.c.cohort_id).where(members.c.user_id == coach_id, members.c.role == "coach")
        q = select(members.c.user_id).where(members.c.user_id == candidate_id, members.c.role == "candidate",
                                            members.c.cohort_id.in_(mine))
        with transaction(self._engine) as conn:
            return conn.execute(q.limit(1)).first() is not None

    def member_role(self, cohort_id: str, user_id: str) -> str | None:
        with transaction(self._engine) as conn:
            row = conn.execute(select(members.c.role).where(members.c.cohort_id == cohort_id,
                                                            members.c.user_id == user_id)).first()
        return str(row.role) if row is not None else None

    # coaching --------------------------------------------------------------------------------
    def add_comment(self, comment: Comment, candidate_id: str) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(comments).values(
                id=comment.id, candidate_id=candidate_id, attempt_id=comment.attempt_id, author_id=comment.author_id,
                start=comment.start, end=comment.end, body=comment.body, created_at=comment.created_at))

    def comments(self, candidate_id: str, attempt_id: str | None = None) -> list[Comment]:
        q = (select(comments, users.c.name.label("author_name")).join(users, users.c.id == comments.c.author_id)
             .where(comments.c.candidate_id == candidate_id).order_by(comments.c.start, comments.c.created_at))
        if attempt_id is not None:
            q = q.where(comments.c.attempt_id == attempt_id)
        with transaction(self._engine) as conn:
            return [Comment(r.id, r.attempt_id, r.author_id, r.author_name, r.start, r.end, r.body, r.created_at)
                    for r in conn.execute(q)]

    def set_rating(self, candidate_id: str, attempt_id: str, coach_id: str, scores: dict[str, int],
                   now: datetime) -> None:
        key = (ratings.c.candidate_id == candidate_id, ratings.c.attempt_id == attempt_id,
               ratings.c.coach_id == coach_id)
        with transaction(self._engine) as conn:
            conn.execute(delete(ratings).where(*key))
            conn.execute(insert(ratings).values(candidate_id=candidate_id, attempt_id=attempt_id, coach_id=coach_id,
                                                scores_json=json.dumps(scores), updated_at=iso(now)))

    def ratings(self, candidate_id: str, attempt_id: str | None = None) -> list[dict[str, Any]]:
        q = (select(ratings, users.c.name.label("coach_name")).join(users, users.c.id == ratings.c.coach_id)
             .where(ratings.c.candidate_id == candidate_id).order_by(ratings.c.updated_at))
        if attempt_id is not None:
            q = q.where(ratings.c.attempt_id == attempt_id)
        with transaction(self._engine) as conn:
            return [{"attempt_id": r.attempt_id, "coach": r.coach_name, "coach_id": r.coach_id,
                     "scores": json.loads(r.scores_json), "updated_at": r.updated_at} for r in conn.execute(q)]

    def add_assignment(self, a: Assignment, by: str) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(assignments).values(
                id=a.id, cohort_id=a.cohort_id, title=a.title, question_ids_json=json.dumps(list(a.question_ids)),
                due_at=a.due_at, created_by=by, created_at=a.created_at))

    def assignments(self, cohort_ids: list[str]) -> list[Assignment]:
        if not cohort_ids:
            return []
        q = select(assignments).where(assignments.c.cohort_id.in_(cohort_ids)).order_by(assignments.c.due_at)
        with transaction(self._engine) as conn:
            return [Assignment(r.id, r.cohort_id, r.title, tuple(json.loads(r.question_ids_json)), r.due_at,
                               r.created_at) for r in conn.execute(q)]

    def answer_rows(self, owners: list[str]) -> dict[str, list[AnswerRow]]:
        """Every main answer (not follow-ups) of ``owners``, newest first, in one query for the dashboard."""
        found: dict[str, list[AnswerRow]] = {o: [] for o in owners}
        if not owners:
            return found
        q = (select(attempts.c.owner, attempts.c.question_id, attempts.c.kind, attempts.c.status, attempts.c.score,
                    attempts.c.submitted_at, attempts.c.question_json)
             .where(attempts.c.owner.in_(owners), attempts.c.kind != AttemptKind.FOLLOW_UP.value)
             .order_by(attempts.c.submitted_at.desc(), attempts.c.id))
        competencies: dict[str, tuple[str, ...]] = {}  # one parse per question, not per answer
        with transaction(self._engine) as conn:
            for r in conn.execute(q):
                key = r.question_id
                if key not in competencies:
                    competencies[key] = tuple(str(c) for c in json.loads(r.question_json).get("competencies", ()))
                found[r.owner].append(AnswerRow(r.owner, r.question_id, AttemptKind(r.kind), AttemptStatus(r.status),
                                                r.score, datetime.fromisoformat(r.submitted_at), competencies[key]))
        return found

    # audit and throttle ----------------------------------------------------------------------
    def audit(self, now: datetime, actor: str | None, action: str, target: str | None,
              detail: dict[str, Any] | None = None) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(audit_log).values(at=iso(now), actor_id=actor, action=action, target_id=target,
                                                  detail_json=json.dumps(detail or {}, sort_keys=True)))

    def audit_entries(self, limit: int = 200, actor: str | None = None) -> list[dict[str, Any]]:
        q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if actor is not None:
            q = q.where(or_(audit_log.c.actor_id == actor, audit_log.c.target_id == actor))
        with transaction(self._engine) as conn:
            return [{"at": r.at, "actor": r.actor_id, "action": r.action, "target": r.target_id,
                     "detail": json.loads(r.detail_json)} for r in conn.execute(q)]

    def add_failure(self, keys: list[str], now: datetime) -> None:
        with transaction(self._engine) as conn:
            conn.execute(insert(login_failures), [{"key": k, "at": iso(now)} for k in keys])

    def failures_since(self, key: str, since: datetime) -> int:
        q = select(func.count()).select_from(login_failures).where(login_failures.c.key == key,
                                                                   login_failures.c.at >= iso(since))
        with transaction(self._engine) as conn:
            return int(conn.execute(q).scalar_one())

    def clear_failures(self, key: str) -> None:
        with transaction(self._engine) as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == key))

    def ping(self) -> set[str]:
        """The applied schema revisions (raises StorageError when the database does not answer)."""
        from sqlalchemy import text

        with transaction(self._engine) as conn:
            return {str(r[0]) for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
