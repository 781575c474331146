"""SQLAlchemy Core tables of the story bank (created by migration ``0003_stories``).

``stories`` holds the current version of each story (its content as JSON) and ``story_versions``
every version ever saved, the current one included, so editing never loses an earlier text.
Since ``0004_owner`` both are keyed by (owner, id): ids are slugs of titles, unique per owner;
``seq`` orders stories as they were saved.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKeyConstraint, Integer, String, Table, Text, UniqueConstraint

from starcoach.store.tables import metadata, owner_column

stories = Table(
    "stories",
    metadata,
    owner_column(primary_key=True),
    Column("id", String, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("title_key", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("data_json", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("owner", "title_key", name="uq_stories_title_key"),
)

story_versions = Table(
    "story_versions",
    metadata,
    owner_column(primary_key=True),
    Column("story_id", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("saved_at", String, nullable=False),
    Column("data_json", Text, nullable=False),
    ForeignKeyConstraint(
        ["owner", "story_id"], ["stories.owner", "stories.id"], name="fk_story_versions_story", ondelete="CASCADE"
    ),
)
