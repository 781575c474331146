"""SQLAlchemy Core tables of team mode (created by migration ``0005_team``).

Accounts, their server-side sessions, one-time links (invitations, password resets), cohorts and who
belongs to them, what coaches write about attempts (comments at a sentence span, ratings on the seven
dimensions), assigned question sets, the audit log and the login throttle. Everything a web worker
needs to answer a request is here, so that any worker can answer any request.

Per-candidate practice data (attempts, stories, cards) stays in its own tables, scoped by owner; these
tables refer to it by id (``attempt_id``) without a foreign key, since an attempt's row belongs to the
practice feature. Secrets (session ids, link tokens) are stored only as SHA-256 digests.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from starcoach.store.tables import metadata

users = Table(
    "team_users",
    metadata,
    Column("id", String, primary_key=True),
    Column("email", String, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("role", String, nullable=False),  # candidate | coach | admin
    Column("password_hash", Text, nullable=False),
    Column("share_stories", Integer, nullable=False, default=0),
    Column("created_at", String, nullable=False),
    Column("password_changed_at", String, nullable=False),
)

auth_sessions = Table(
    "team_sessions",
    metadata,
    Column("id_hash", String, primary_key=True),
    Column("user_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("seen_at", String, nullable=False),
    Column("expires_at", String, nullable=False),
)

invitations = Table(
    "team_invitations",
    metadata,
    Column("token_hash", String, primary_key=True),
    Column("role", String, nullable=False),
    Column("cohort_id", String, ForeignKey("team_cohorts.id", ondelete="CASCADE"), nullable=True),
    Column("created_by", String, ForeignKey("team_users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", String, nullable=False),
    Column("expires_at", String, nullable=False),
    Column("used_at", String, nullable=True),
)

password_resets = Table(
    "team_password_resets",
    metadata,
    Column("token_hash", String, primary_key=True),
    Column("user_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_by", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("expires_at", String, nullable=False),
    Column("used_at", String, nullable=True),
)

cohorts = Table(
    "team_cohorts",
    metadata,
    Column("id", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", String, nullable=False),
)

members = Table(
    "team_members",
    metadata,
    Column("cohort_id", String, ForeignKey("team_cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String, nullable=False),  # coach | candidate
    Column("joined_at", String, nullable=False),
    Index("ix_team_members_user", "user_id"),
)

comments = Table(
    "team_comments",
    metadata,
    Column("id", String, primary_key=True),
    Column("candidate_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), nullable=False),
    Column("attempt_id", String, nullable=False),
    Column("author_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Index("ix_team_comments_attempt", "candidate_id", "attempt_id"),
)

ratings = Table(
    "team_ratings",
    metadata,
    Column("candidate_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), primary_key=True),
    Column("attempt_id", String, primary_key=True),
    Column("coach_id", String, ForeignKey("team_users.id", ondelete="CASCADE"), primary_key=True),
    Column("scores_json", Text, nullable=False),
    Column("updated_at", String, nullable=False),
)

assignments = Table(
    "team_assignments",
    metadata,
    Column("id", String, primary_key=True),
    Column("cohort_id", String, ForeignKey("team_cohorts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("question_ids_json", Text, nullable=False),
    Column("due_at", String, nullable=False),
    Column("created_by", String, nullable=False),
    Column("created_at", String, nullable=False),
)

audit_log = Table(
    "team_audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String, nullable=False, index=True),
    Column("actor_id", String, nullable=True),
    Column("action", String, nullable=False),
    Column("target_id", String, nullable=True),
    Column("detail_json", Text, nullable=False),
)

login_failures = Table(
    "team_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False),
    Column("at", String, nullable=False),
    Index("ix_team_login_failures_key", "key", "at"),
)
