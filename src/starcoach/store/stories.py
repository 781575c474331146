"""Stored stories: save many at once (all or nothing), load, find by title, delete.

Saving writes the current content to ``stories`` and adds any version not stored yet to
``story_versions``; versions are never rewritten or removed (except with the story itself), so a
caller holding a story without its history cannot erase it. Titles are unique by their slug.
A ``StoryRepo`` is bound to one owner: ids and titles are unique per owner, and every query reads,
changes or deletes only that owner's stories.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from starcoach.errors import ConflictError
from starcoach.ids import StoryId, slugify
from starcoach.store.attempts import transaction
from starcoach.store.story_tables import stories, story_versions
from starcoach.stories.model import Story, StoryContent, StoryVersion


def title_key(title: str) -> str:
    """What makes two titles the same story: their slug ('Fixing CI!' == 'fixing ci')."""
    return slugify(title, max_len=200)


def _dump(content: StoryContent) -> str:
    return json.dumps(content.to_dict(), ensure_ascii=False)


class StoryRepo:
    """The user's stories in the database."""

    def __init__(self, engine: Engine, owner: str) -> None:
        self._engine = engine
        self.owner = owner

    def _is(self, sid: str) -> ColumnElement[bool]:
        return and_(stories.c.owner == self.owner, stories.c.id == sid)

    def _versions_of(self, sid: str) -> ColumnElement[bool]:
        return and_(story_versions.c.owner == self.owner, story_versions.c.story_id == sid)

    def save_all(self, items: Sequence[Story]) -> None:
        """Insert or update every story in one transaction; ConflictError on a duplicate title."""
        with transaction(self._engine) as conn:
            try:
                for story in items:
                    self._save(conn, story)
            except IntegrityError as exc:  # the transaction rolls back as the ConflictError leaves it
                if "title_key" not in str(exc.orig):  # the same new id saved by another process meanwhile
                    raise ConflictError(f"{_titles(items)} changed while saving; try again") from None
                raise ConflictError(
                    f"a story with the same title as one of {_titles(items)} already exists"
                ) from None

    def _save(self, conn: Connection, story: Story) -> None:
        row = {
            "title": story.title,
            "title_key": title_key(story.title),
            "version": story.version,
            "data_json": _dump(story.content),
            "created_at": story.created_at.isoformat(),
            "updated_at": story.updated_at.isoformat(),
        }
        exists = conn.execute(select(stories.c.id).where(self._is(story.id))).first() is not None
        if exists:
            conn.execute(update(stories).where(self._is(story.id)).values(**row))
        else:
            last = select(func.coalesce(func.max(stories.c.seq), 0) + 1).where(stories.c.owner == self.owner)
            conn.execute(insert(stories).values(owner=self.owner, id=story.id, seq=last.scalar_subquery(), **row))
        have = {r[0] for r in conn.execute(select(story_versions.c.version).where(self._versions_of(story.id)))}
        versions = [
            *((v.version, v.saved_at, v.content) for v in story.history),
            (story.version, story.updated_at, story.content),
        ]
        rows = [
            {"owner": self.owner, "story_id": story.id, "version": n, "saved_at": at.isoformat(), "data_json": _dump(c)}
            for n, at, c in versions
            if n not in have
        ]
        if rows:
            conn.execute(insert(story_versions), rows)

    def _from_row(self, r: Any, history: tuple[StoryVersion, ...] = ()) -> Story:
        return Story.from_dict(
            {
                **json.loads(r["data_json"]),
                "id": r["id"],
                "version": r["version"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
                "history": [v.to_dict() for v in history],
            }
        )

    def _history(self, conn: Connection, sid: str, current: int) -> tuple[StoryVersion, ...]:
        rows = conn.execute(
            select(story_versions)
            .where(self._versions_of(sid), story_versions.c.version < current)
            .order_by(story_versions.c.version)
        ).mappings()
        return tuple(
            StoryVersion.from_dict(
                {**json.loads(r["data_json"]), "version": r["version"], "saved_at": r["saved_at"]}
            )
            for r in rows
        )

    def get(self, sid: str) -> Story | None:
        """The story with id ``sid`` and its whole history, or None."""
        with transaction(self._engine) as conn:
            r = conn.execute(select(stories).where(self._is(sid))).mappings().first()
            if r is None:
                return None
            return self._from_row(r, self._history(conn, sid, int(r["version"])))

    def find_title(self, title: str) -> Story | None:
        """The story whose title has the same slug as ``title``, without its history."""
        with transaction(self._engine) as conn:
            r = (
                conn.execute(
                    select(stories).where(stories.c.owner == self.owner, stories.c.title_key == title_key(title))
                )
                .mappings()
                .first()
            )
        return self._from_row(r) if r is not None else None

    def load_all(self) -> list[Story]:
        """Every story (without history), oldest first."""
        with transaction(self._engine) as conn:
            rows = conn.execute(
                select(stories).where(stories.c.owner == self.owner).order_by(stories.c.created_at, stories.c.seq)
            ).mappings()
            return [self._from_row(r) for r in rows]

    def ids(self) -> set[StoryId]:
        with transaction(self._engine) as conn:
            return {StoryId(r[0]) for r in conn.execute(select(stories.c.id).where(stories.c.owner == self.owner))}

    def delete(self, sid: str) -> bool:
        """Delete a story and all its versions; False when there was none."""
        with transaction(self._engine) as conn:
            return conn.execute(delete(stories).where(self._is(sid))).rowcount > 0


def _titles(items: Sequence[Story]) -> str:
    shown = ", ".join(f"'{s.title}'" for s in items[:3])
    return shown + (f" (and {len(items) - 3} more)" if len(items) > 3 else "")
