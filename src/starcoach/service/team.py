"""Team mode, accounts: passwords, sessions, invitations, resets, throttling, export and deletion.

``TeamService`` holds the rules; ``store.team.TeamRepo`` holds the rows. Everything lives in the
database (sessions, CSRF tokens, throttle counts), never in process memory, so any worker can answer
any request. Secrets (session ids, link tokens) are random, shown once, and stored only as SHA-256.
Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile). Coaching rules (who
may see whose attempts) are in ``service.team_coaching``; this module deliberately knows no HTTP.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from starcoach.errors import AuthError, ConflictError, ForbiddenError, InputError, NotFoundError, ThrottledError
from starcoach.store.team import TeamRepo, User

if TYPE_CHECKING:
    from starcoach.service import Coach
    from starcoach.store import Store

ROLES = ("candidate", "coach", "admin")
SESSION_IDLE = timedelta(hours=12)
SESSION_TOUCH = timedelta(minutes=5)  # a session's expiry moves on at most this often (one write, not one per request)
INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=24)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 30
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{1,63}$")
HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (RFC 9106 second recommended option)
_DUMMY_HASH = HASHER.hash("not a password of anyone")


def digest(secret: str) -> str:
    """How a session id or link token is stored: its SHA-256, so a database leak gives no live secrets."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def normal_email(email: str) -> str:
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise InputError("Enter a valid e-mail address.")
    return value


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"The password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"The password may have at most {MAX_PASSWORD} characters.")
    return password


def check_name(name: str) -> str:
    value = " ".join(name.split())
    if not value or len(value) > 100:
        raise InputError("Enter a name of 1 to 100 characters.")
    return value


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user of one request and their session."""

    user: User
    session_hash: str
    csrf: str

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def role(self) -> str:
        return self.user.role


class TeamService:
    """Accounts and sessions over one shared store; one instance per process is enough."""

    def __init__(self, store: Store, clock: Callable[[], datetime], coach_for: Callable[[str], Coach]) -> None:
        self.store = store
        self.repo = TeamRepo(store.engine)
        self.clock = clock
        self.coach_for = coach_for  # a Coach scoped to one owner (a user id)

    # accounts --------------------------------------------------------------------------------
    def _new_user(self, email: str, name: str, password: str, role: str) -> User:
        if role not in ROLES:
            raise InputError(f"Unknown role '{role}': choose one of {', '.join(ROLES)}.")
        return User(uuid.uuid4().hex, normal_email(email), check_name(name), role,
                    HASHER.hash(check_password(password)), False, self.clock().isoformat())

    def create_admin(self, email: str, name: str, password: str) -> User:
        user = self._new_user(email, name, password, "admin")
        self.repo.add_user(user, self.clock())
        self.repo.audit(self.clock(), None, "admin.create_admin", user.id, {"via": "cli"})
        return user

    def user(self, user_id: str) -> User:
        found = self.repo.user(user_id)
        if found is None:
            raise NotFoundError("There is no such account.")
        return found

    # sign-in ---------------------------------------------------------------------------------
    def login(self, email: str, password: str, address: str, old_session: str | None) -> tuple[str, Principal]:
        """A new session for the right e-mail and password; the browser's old session id ends (no fixation)."""
        now = self.clock()
        account_key, address_key = f"account:{email.strip().lower()}", f"address:{address}"
        since = now - THROTTLE_WINDOW
        if (self.repo.failures_since(account_key, since) >= MAX_ACCOUNT_FAILURES
                or self.repo.failures_since(address_key, since) >= MAX_ADDRESS_FAILURES):
            raise ThrottledError("Too many failed sign-ins; wait 15 minutes and try again.")
        user = self.repo.user_by_email(email.strip().lower())
        ok = _verify(user.password_hash if user else _DUMMY_HASH, password)  # same work for unknown e-mails
        if user is None or not ok:
            self.repo.add_failure([account_key, address_key], now)
            self.repo.audit(now, user.id if user else None, "auth.login_failed", None, {"address": address})
            raise AuthError("Wrong e-mail or password.")
        self.repo.clear_failures(account_key)
        if HASHER.check_needs_rehash(user.password_hash):
            self.repo.update_user(user.id, password_hash=HASHER.hash(password))
        token, csrf = new_secret(), new_secret()
        self.repo.add_session(digest(token), user.id, csrf, now, now + SESSION_IDLE,
                              replaces=digest(old_session) if old_session else None)
        self.repo.prune(now, now - THROTTLE_WINDOW)
        return token, Principal(user, digest(token), csrf)

    def principal(self, token: str | None) -> Principal | None:
        """Who holds the session id ``token`` (None: no, unknown or expired session)."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        row = self.repo.session(digest(token), now)
        if row is None:
            return None
        if datetime.fromisoformat(row.seen_at) < now - SESSION_TOUCH:
            self.repo.touch_session(digest(token), now, now + SESSION_IDLE)
        return Principal(row.user, digest(token), row.csrf)

    def logout(self, who: Principal) -> None:
        self.repo.delete_session(who.session_hash)

    def change_password(self, who: Principal, old: str, new: str) -> None:
        """Needs the current password; every other session of the user ends."""
        if not _verify(who.user.password_hash, old):
            raise InputError("The current password is wrong.")
        self.repo.set_password(who.id, HASHER.hash(check_password(new)), self.clock(), keep_session=who.session_hash)
        self.repo.audit(self.clock(), who.id, "account.password_changed", who.id)

    # one-time links --------------------------------------------------------------------------
    def invite(self, who: Principal, role: str, cohort_id: str | None) -> str:
        """A one-time invitation token. Admins invite any role; coaches invite candidates to their cohorts."""
        if role not in ROLES:
            raise InputError(f"Unknown role '{role}': choose one of {', '.join(ROLES)}.")
        if cohort_id is not None and self.repo.cohort(cohort_id) is None:
            raise NotFoundError("There is no such cohort.")
        if who.role != "admin":
            if who.role != "coach" or role != "candidate" or cohort_id is None:
                raise ForbiddenError("Coaches invite candidates into their own cohorts; admins invite anyone.")
            if self.repo.member_role(cohort_id, who.id) != "coach":
                raise NotFoundError("There is no such cohort.")
        token, now = new_secret(), self.clock()
        self.repo.add_invitation(digest(token), role, cohort_id, who.id, now, now + INVITE_TTL)
        self.repo.audit(now, who.id, "invite.create", cohort_id, {"role": role})
        return token

    def invitation(self, token: str) -> dict[str, Any]:
        link = self.repo.invitation(digest(token), self.clock())
        if link is None:
            raise NotFoundError("This invitation link is unknown, used or expired; ask for a new one.")
        cohort = self.repo.cohort(link.cohort_id) if link.cohort_id else None
        return {"role": link.role, "cohort": cohort.name if cohort else None}

    def accept(self, token: str, email: str, name: str, password: str) -> User:
        user = self._new_user(email, name, password, "candidate")
        link = self.repo.invitation(digest(token), self.clock())
        if link is None:
            raise NotFoundError("This invitation link is unknown, used or expired; ask for a new one.")
        user = User(user.id, user.email, user.name, link.role, user.password_hash, False, user.created_at)
        self.repo.accept_invitation(digest(token), user, self.clock())
        self.repo.audit(self.clock(), user.id, "invite.accept", link.cohort_id, {"role": link.role})
        return user

    def issue_reset(self, who: Principal, user_id: str) -> str:
        require_admin(who)
        target = self.user(user_id)
        token, now = new_secret(), self.clock()
        self.repo.add_reset(digest(token), target.id, who.id, now, now + RESET_TTL)
        self.repo.audit(now, who.id, "admin.issue_reset", target.id)
        return token

    def reset_target(self, token: str) -> User:
        user = self.repo.reset_user(digest(token), self.clock())
        if user is None:
            raise NotFoundError("This reset link is unknown, used or expired; ask an admin for a new one.")
        return user

    def use_reset(self, token: str, password: str) -> None:
        user_id = self.repo.use_reset(digest(token), HASHER.hash(check_password(password)), self.clock())
        self.repo.audit(self.clock(), user_id, "account.password_reset", user_id)

    # admin -----------------------------------------------------------------------------------
    def set_role(self, who: Principal, user_id: str, role: str) -> None:
        require_admin(who)
        if role not in ROLES:
            raise InputError(f"Unknown role '{role}': choose one of {', '.join(ROLES)}.")
        target = self.user(user_id)
        if target.role == "admin" and role != "admin" and self.repo.count_role("admin") <= 1:
            raise ConflictError("This is the last admin; make another admin first.")
        self.repo.update_user(target.id, role=role)
        self.repo.audit(self.clock(), who.id, "admin.set_role", target.id, {"role": role})

    def users(self, who: Principal) -> list[User]:
        require_admin(who)
        return self.repo.all_users()

    # own data --------------------------------------------------------------------------------
    def set_sharing(self, who: Principal, share: bool) -> None:
        self.repo.update_user(who.id, share_stories=int(share))

    def export(self, who: Principal) -> dict[str, Any]:
        """Everything stored about the user: account, practice, stories, coaching notes, memberships."""
        coach = self.coach_for(who.id)
        try:
            attempts = [a.to_dict() for a in coach.history(limit=None)]
            stories = [s.to_dict() for s in coach.stories()]
        finally:
            coach.close()
        return {
            "format": "starcoach-team-account/1",
            "exported_at": self.clock().isoformat(),
            "account": who.user.public(),
            "cohorts": [{"id": c.id, "name": c.name} for c in self.repo.cohorts(who.id)],
            "attempts": attempts,
            "stories": stories,
            "comments": [c.to_dict() for c in self.repo.comments(who.id)],
            "ratings": self.repo.ratings(who.id),
            "audit": self.repo.audit_entries(limit=1000, actor=who.id),
        }

    def delete_account(self, who: Principal, password: str) -> None:
        """The account and all its data, after the password is confirmed; the last admin cannot leave."""
        if not _verify(who.user.password_hash, password):
            raise InputError("The password is wrong; nothing was deleted.")
        if who.role == "admin" and self.repo.count_role("admin") <= 1:
            raise ConflictError("You are the last admin; make another admin before deleting your account.")
        self.store.delete_owner_data(who.id)
        self.repo.delete_user(who.id)
        self.repo.audit(self.clock(), None, "account.deleted", who.id)

    def ready(self) -> bool:
        """Whether the database answers and carries this code's schema."""
        from starcoach.store.migrations import HEADS

        return self.repo.ping() >= HEADS


def require_admin(who: Principal) -> None:
    if who.role != "admin":
        raise ForbiddenError("Only an admin can do this.")


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
