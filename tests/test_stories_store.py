"""The story repository on a real database (SQLite and PostgreSQL): versions are append-only, titles
unique, saves atomic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from starcoach.errors import ConflictError
from starcoach.ids import StoryId
from starcoach.store import Store
from starcoach.stories.model import Story, StoryContent

T0 = datetime(2026, 1, 5, tzinfo=UTC)


def open_store(home: Path, url: str | None) -> Store:
    return Store.open_url(url) if url else Store.open(home / "starcoach.db", home / "backups", "t")


def content(title: str, result: str = "r") -> StoryContent:
    return StoryContent(title, "s", action="I did it", result=result, competencies=("process",))


def test_stories_and_their_versions_survive_reopening(tmp_path: Path, database_url: str | None) -> None:
    store = open_store(tmp_path, database_url)
    story = Story.new(StoryId("a"), content("A"), T0)
    store.stories.save_all([story])
    v2 = story.revise(content("A", "r2"), T0 + timedelta(hours=1))
    store.stories.save_all([v2])
    store.close()
    again = open_store(tmp_path, database_url)
    assert again.stories.get("a") == v2
    assert again.stories.find_title("a!") == Story(v2.id, v2.content, v2.created_at, v2.updated_at, 2)
    assert [s.id for s in again.stories.load_all()] == ["a"]
    again.close()


def test_saving_a_story_loaded_without_history_keeps_the_old_versions(tmp_path: Path, database_url: str | None) -> None:
    store = open_store(tmp_path, database_url)
    story = Story.new(StoryId("a"), content("A"), T0).revise(content("A", "r2"), T0)
    store.stories.save_all([story])
    (listed,) = store.stories.load_all()
    assert listed.history == ()
    store.stories.save_all([listed.revise(content("A", "r3"), T0)])
    loaded = store.stories.get("a")
    assert loaded is not None and [v.content.result for v in loaded.history] == ["r", "r2"]
    store.close()


def test_a_duplicate_title_is_a_conflict_and_saves_nothing(tmp_path: Path, database_url: str | None) -> None:
    store = open_store(tmp_path, database_url)
    store.stories.save_all([Story.new(StoryId("a"), content("Same Title"), T0)])
    with pytest.raises(ConflictError, match="same title"):
        store.stories.save_all(
            [Story.new(StoryId("b"), content("B"), T0), Story.new(StoryId("c"), content("same title!"), T0)]
        )
    assert store.stories.ids() == {"a"}
    assert store.stories.delete("a") and not store.stories.delete("a")
    assert store.stories.get("a") is None
    store.close()
