"""``import --all`` checks every row of the file before it stores any: hand-edited or hostile exports
give one clear error and leave the database empty, never a traceback or a row that breaks later."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from starcoach.errors import InputError
from starcoach.service import open_coach
from tests.cli_helpers import one_error_line, sc
from tests.test_dataio import fill
from tests.test_stories_service import ONE

Change = Callable[[dict[str, Any]], None]


def _set(table: str, column: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        t = data["tables"][table]
        t["rows"][0][t["columns"].index(column)] = value

    return change


@pytest.fixture
def export(coach: Any, tmp_path: Path) -> dict[str, Any]:
    fill(coach)
    coach.add_stories(ONE)
    coach.import_files([_bank_file(tmp_path)])
    out = tmp_path / "all.json"
    coach.export_all(out)
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "b.md"
    path.write_text("# Team\n### 1. Tell me about a time you owned an outage.\n**Answer:**\n* x\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema=[["0001"]]), "schema"),
        (_set("attempts", "answer", {"$base64": "AAA"}), "base64"),
        (_set("attempts", "answer", {"$base64": 7}), "base64"),
        (_set("attempts", "answer", "\ud800"), "surrogate"),
        (_set("attempts", "answer", ["a"]), "list"),
        (_set("attempts", "score", "high"), "score"),
        (_set("banks", "meta_json", "not json {"), "not JSON"),
        (_set("banks", "meta_json", '{"a": 1}'), "meta_json"),
        (_set("banks", "id", "../stories/x"), "safe id"),
        (_set("attempts", "id", "a/b"), "safe id"),
        (_set("attempts", "submitted_at", "yesterday"), "row 1"),
        (_set("attempts", "submitted_at", "2026-03-02T09:00:00"), "time zone"),
        (_set("attempts", "kind", "nonsense"), "row 1"),
        (_set("attempts", "question_json", "[]"), "JSON object"),
        (_set("cards", "card_json", "[]"), "card_json"),
        (_set("cards", "card_json", "{}"), "cards"),
        (_set("review_logs", "log_json", '{"rating": 9}'), "review_logs"),
        (_set("stories", "data_json", "[]"), "stories"),
        (_set("story_versions", "data_json", "{"), "story_versions"),
        (_set("questions", "data_json", '{"id": "x"}'), "questions"),
        (_set("practice_sessions", "started_at", None), "may not be empty"),
    ],
)
def test_bad_rows_are_refused_before_anything_is_stored(
    export: dict[str, Any], tmp_path: Path, change: Change, message: str
) -> None:
    change(export)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    target = open_coach(tmp_path / "target")
    with pytest.raises(InputError, match=message) as err:
        target.import_all(path)
    assert len(str(err.value)) < 300
    assert sum(t.rows for t in target.data_counts()) == 0
    target.close()


def test_a_good_export_still_restores_whole(export: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    target = open_coach(tmp_path / "target")
    assert sum(t.rows for t in target.import_all(path)) == sum(len(t["rows"]) for t in export["tables"].values())
    assert target.stories() and target.history() and target.banks()
    target.close()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        '{"format": "starcoach-export", "version": 1, "schema": [["0001"]], "tables": {}}',
        '{"format": "starcoach-export", "version": 1, "schema": [], "tables": {"attempts": '
        '{"columns": ["answer"], "rows": [["\\ud800"]]}}}',
        '{"format": "starcoach-export", "version": 1, "schema": [], "tables": {"attempts": '
        '{"columns": ["answer"], "rows": [["hello"]]}}}',
    ],
)
def test_hostile_exports_are_one_error_line_through_the_command(
    text: str, starcoach_home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    line = one_error_line(sc("import", "--all", str(path), home=starcoach_home))
    assert len(line) < 300
