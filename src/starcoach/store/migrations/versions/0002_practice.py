"""Practice: sessions, attempts, FSRS cards and review logs.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("started_at", sa.String, nullable=False),
        sa.Column("ended_at", sa.String, nullable=True),
        sa.Column("options_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("debrief_json", sa.Text, nullable=True),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column(
            "session_id", sa.String, sa.ForeignKey("practice_sessions.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("parent_id", sa.String, sa.ForeignKey("attempts.id", ondelete="SET NULL"), nullable=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("question_text", sa.Text, nullable=False),
        sa.Column("question_json", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("started_at", sa.String, nullable=False),
        sa.Column("submitted_at", sa.String, nullable=False),
        sa.Column("time_limit_seconds", sa.Integer, nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("rating", sa.String, nullable=True),
        sa.Column("rating_source", sa.String, nullable=True),
        sa.Column("analysis_json", sa.Text, nullable=True),
        sa.Column("analysis_ms", sa.Float, nullable=True),
    )
    op.create_index("ix_attempts_question", "attempts", ["question_id", "submitted_at"])
    op.create_index("ix_attempts_submitted", "attempts", ["submitted_at"])
    op.create_index("ix_attempts_session_id", "attempts", ["session_id"])
    op.create_index("ix_attempts_parent_id", "attempts", ["parent_id"])
    op.create_table(
        "cards",
        sa.Column("question_id", sa.String, primary_key=True),
        sa.Column("due", sa.String, nullable=False),
        sa.Column("card_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_cards_due", "cards", ["due"])
    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("attempt_id", sa.String, sa.ForeignKey("attempts.id", ondelete="CASCADE"), nullable=True),
        sa.Column("rating", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("reviewed_at", sa.String, nullable=False),
        sa.Column("card_before_json", sa.Text, nullable=True),
        sa.Column("card_after_json", sa.Text, nullable=False),
        sa.Column("log_json", sa.Text, nullable=False),
    )
    op.create_index("ix_review_logs_question_id", "review_logs", ["question_id"])
    op.create_index("ix_review_logs_attempt_id", "review_logs", ["attempt_id"])


def downgrade() -> None:
    op.drop_table("review_logs")
    op.drop_table("cards")
    op.drop_table("attempts")
    op.drop_table("practice_sessions")
