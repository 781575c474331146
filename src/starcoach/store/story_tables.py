"""SQLAlchemy Core tables of the story bank (created by migration ``0003_stories``).

``stories`` holds the current version of each story (its content as JSON) and ``story_versions``
every version ever saved, the current one included, so editing never loses an earlier text.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from starcoach.store.tables import metadata

stories = Table(
    "stories",
    metadata,
    Column("id", String, primary_key=True),
    Column("title", Text, nullable=False),
    Column("title_key", String, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("data_json", Text, nullable=False),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
)

story_versions = Table(
    "story_versions",
    metadata,
    Column("story_id", String, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("saved_at", String, nullable=False),
    Column("data_json", Text, nullable=False),
)
