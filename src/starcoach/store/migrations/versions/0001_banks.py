"""Question banks imported by the user, and their questions.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("meta_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("preamble", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("imported_at", sa.String, nullable=False),
    )
    op.create_table(
        "questions",
        sa.Column("bank_id", sa.String, sa.ForeignKey("banks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
    )
    op.create_index("ix_questions_id", "questions", ["id"])
