"""Team mode: accounts, sessions, one-time links, cohorts, coaching, assignments, audit, throttle.

Revision ID: 0005
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

S, T, N = sa.String, sa.Text, sa.Integer


def _fk(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "team_users",
        sa.Column("id", S, primary_key=True),
        sa.Column("email", S, nullable=False, unique=True),
        sa.Column("name", T, nullable=False),
        sa.Column("role", S, nullable=False),
        sa.Column("password_hash", T, nullable=False),
        sa.Column("share_stories", N, nullable=False, server_default="0"),
        sa.Column("created_at", S, nullable=False),
        sa.Column("password_changed_at", S, nullable=False),
    )
    op.create_table(
        "team_sessions",
        sa.Column("id_hash", S, primary_key=True),
        sa.Column("user_id", S, _fk("team_users.id"), nullable=False),
        sa.Column("csrf", S, nullable=False),
        sa.Column("created_at", S, nullable=False),
        sa.Column("seen_at", S, nullable=False),
        sa.Column("expires_at", S, nullable=False),
    )
    op.create_index("ix_team_sessions_user_id", "team_sessions", ["user_id"])
    op.create_table(
        "team_cohorts",
        sa.Column("id", S, primary_key=True),
        sa.Column("name", T, nullable=False),
        sa.Column("created_at", S, nullable=False),
    )
    op.create_table(
        "team_invitations",
        sa.Column("token_hash", S, primary_key=True),
        sa.Column("role", S, nullable=False),
        sa.Column("cohort_id", S, _fk("team_cohorts.id"), nullable=True),
        sa.Column("created_by", S, _fk("team_users.id"), nullable=False),
        sa.Column("created_at", S, nullable=False),
        sa.Column("expires_at", S, nullable=False),
        sa.Column("used_at", S, nullable=True),
    )
    op.create_table(
        "team_password_resets",
        sa.Column("token_hash", S, primary_key=True),
        sa.Column("user_id", S, _fk("team_users.id"), nullable=False),
        sa.Column("created_by", S, nullable=False),
        sa.Column("created_at", S, nullable=False),
        sa.Column("expires_at", S, nullable=False),
        sa.Column("used_at", S, nullable=True),
    )
    op.create_index("ix_team_password_resets_user_id", "team_password_resets", ["user_id"])
    op.create_table(
        "team_members",
        sa.Column("cohort_id", S, _fk("team_cohorts.id"), primary_key=True),
        sa.Column("user_id", S, _fk("team_users.id"), primary_key=True),
        sa.Column("role", S, nullable=False),
        sa.Column("joined_at", S, nullable=False),
    )
    op.create_index("ix_team_members_user", "team_members", ["user_id"])
    _coaching_tables()
    _ops_tables()


def _coaching_tables() -> None:
    op.create_table(
        "team_comments",
        sa.Column("id", S, primary_key=True),
        sa.Column("candidate_id", S, _fk("team_users.id"), nullable=False),
        sa.Column("attempt_id", S, nullable=False),
        sa.Column("author_id", S, _fk("team_users.id"), nullable=False),
        sa.Column("start", N, nullable=False),
        sa.Column("end", N, nullable=False),
        sa.Column("body", T, nullable=False),
        sa.Column("created_at", S, nullable=False),
    )
    op.create_index("ix_team_comments_attempt", "team_comments", ["candidate_id", "attempt_id"])
    op.create_table(
        "team_ratings",
        sa.Column("candidate_id", S, _fk("team_users.id"), primary_key=True),
        sa.Column("attempt_id", S, primary_key=True),
        sa.Column("coach_id", S, _fk("team_users.id"), primary_key=True),
        sa.Column("scores_json", T, nullable=False),
        sa.Column("updated_at", S, nullable=False),
    )
    op.create_table(
        "team_assignments",
        sa.Column("id", S, primary_key=True),
        sa.Column("cohort_id", S, _fk("team_cohorts.id"), nullable=False),
        sa.Column("title", T, nullable=False),
        sa.Column("question_ids_json", T, nullable=False),
        sa.Column("due_at", S, nullable=False),
        sa.Column("created_by", S, nullable=False),
        sa.Column("created_at", S, nullable=False),
    )
    op.create_index("ix_team_assignments_cohort_id", "team_assignments", ["cohort_id"])


def _ops_tables() -> None:
    op.create_table(
        "team_audit_log",
        sa.Column("id", N, primary_key=True, autoincrement=True),
        sa.Column("at", S, nullable=False),
        sa.Column("actor_id", S, nullable=True),
        sa.Column("action", S, nullable=False),
        sa.Column("target_id", S, nullable=True),
        sa.Column("detail_json", T, nullable=False),
    )
    op.create_index("ix_team_audit_log_at", "team_audit_log", ["at"])
    op.create_table(
        "team_login_failures",
        sa.Column("id", N, primary_key=True, autoincrement=True),
        sa.Column("key", S, nullable=False),
        sa.Column("at", S, nullable=False),
    )
    op.create_index("ix_team_login_failures_key", "team_login_failures", ["key", "at"])


def downgrade() -> None:
    for name in ("team_login_failures", "team_audit_log", "team_assignments", "team_ratings", "team_comments",
                 "team_members", "team_password_resets", "team_invitations", "team_cohorts", "team_sessions",
                 "team_users"):
        op.drop_table(name)
