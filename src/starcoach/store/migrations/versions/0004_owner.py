"""Per-user data carries its owner (team mode); merges the practice and story branches.

Every per-user table gets ``owner`` (TEXT NOT NULL, default 'local', so a single user's rows are
the local owner's), with indexes that lead with it. Keys that were per-user become (owner, ...):
``cards`` (one card per owner and question), ``stories`` (slug ids and unique titles per owner) and
``story_versions``. Those three tables are rebuilt (create, copy, drop, rename), which runs the same
on SQLite and PostgreSQL; the others only gain a column. ``stories.seq`` keeps the order stories
were saved in (SQLite's rowid did that before, and PostgreSQL has none).

Revision ID: 0004
Revises: 0002, 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None

LOCAL = "local"


def _owner() -> sa.Column[str]:
    return sa.Column("owner", sa.Text, nullable=False, server_default=LOCAL)


def _add_owner(table: str) -> None:
    op.add_column(table, _owner())


def upgrade() -> None:
    _add_owner("practice_sessions")
    op.create_index("ix_practice_sessions_owner", "practice_sessions", ["owner", "started_at"])
    _add_owner("attempts")
    op.drop_index("ix_attempts_question", "attempts")
    op.drop_index("ix_attempts_submitted", "attempts")
    op.create_index("ix_attempts_question", "attempts", ["owner", "question_id", "submitted_at"])
    op.create_index("ix_attempts_submitted", "attempts", ["owner", "submitted_at"])
    _add_owner("review_logs")
    op.drop_index("ix_review_logs_question_id", "review_logs")
    op.create_index("ix_review_logs_question_id", "review_logs", ["owner", "question_id"])
    _rebuild_cards()
    _rebuild_stories()


def _rebuild_cards() -> None:
    op.create_table(
        "cards_new",
        _owner(),
        sa.Column("question_id", sa.String, nullable=False),
        sa.Column("due", sa.String, nullable=False),
        sa.Column("card_json", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.PrimaryKeyConstraint("owner", "question_id", name="pk_cards"),
    )
    op.execute(
        "INSERT INTO cards_new (owner, question_id, due, card_json, updated_at) "
        f"SELECT '{LOCAL}', question_id, due, card_json, updated_at FROM cards"
    )
    op.drop_table("cards")
    op.rename_table("cards_new", "cards")
    op.create_index("ix_cards_due", "cards", ["owner", "due"])


def _rebuild_stories() -> None:
    op.create_table(
        "stories_new",
        _owner(),
        sa.Column("id", sa.String, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("title_key", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.PrimaryKeyConstraint("owner", "id", name="pk_stories"),
        sa.UniqueConstraint("owner", "title_key", name="uq_stories_title_key"),
    )
    op.create_table(
        "story_versions_new",
        _owner(),
        sa.Column("story_id", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.String, nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("owner", "story_id", "version", name="pk_story_versions"),
        sa.ForeignKeyConstraint(
            ["owner", "story_id"], ["stories_new.owner", "stories_new.id"],
            name="fk_story_versions_story", ondelete="CASCADE",
        ),
    )
    # The saving order: SQLite's rowid before; on PostgreSQL (no rowid) the physical order of the rows.
    seq = "rowid" if op.get_bind().dialect.name == "sqlite" else "row_number() OVER (ORDER BY created_at, ctid)"
    op.execute(
        "INSERT INTO stories_new (owner, id, seq, title, title_key, version, data_json, created_at, updated_at) "
        f"SELECT '{LOCAL}', id, {seq}, title, title_key, version, data_json, created_at, updated_at FROM stories"
    )
    op.execute(
        "INSERT INTO story_versions_new (owner, story_id, version, saved_at, data_json) "
        f"SELECT '{LOCAL}', story_id, version, saved_at, data_json FROM story_versions"
    )
    op.drop_table("story_versions")
    op.drop_table("stories")
    op.rename_table("stories_new", "stories")
    op.rename_table("story_versions_new", "story_versions")
    op.create_index("ix_stories_seq", "stories", ["owner", "seq"])


def downgrade() -> None:  # pragma: no cover - starcoach never downgrades (a newer schema is refused)
    from starcoach.errors import StorageError

    raise StorageError("starcoach migrations are forward-only: restore the backup taken before the upgrade")
