"""The story bank through the Coach, on a real SQLite file: what a user does, end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from starcoach.errors import ConflictError, ImportFormatError, InputError, NotFoundError
from starcoach.stories.fit import FitLevel
from starcoach.stories.markdown import StoryFormatError
from tests.pg_support import store_count

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
STORIES = FIXTURES / "stories.md"
ONE = """## Speeding up the test suite
- **Competencies**: process
- **When**: 2024-05
- **Situation**: Our CI took 40 minutes and people stopped running tests locally.
- **Action**: I profiled the suite, parallelised it and removed 300 duplicate tests.
- **Result**: CI dropped to 12 minutes.
"""


def count_rows(coach: Any, table: str) -> int:
    return store_count(coach.store, table)


def test_a_user_imports_ten_stories_and_sees_coverage_at_a_glance(coach: Any, starcoach_home: Path) -> None:
    saved = coach.import_stories(STORIES)
    assert len(saved) == 12 and {s.action for s in saved} == {"added"}
    assert all(s.review.ok for s in saved)
    assert [s.id for s in coach.stories()] == [s.story.id for s in saved]
    cov = coach.story_coverage()
    assert len(cov.stories) == 12
    strong = {r.key for r in cov.competencies if not r.gap}
    assert {"conflict", "failure", "mentoring", "disagree-manager", "influence"} <= strong
    assert set(cov.gaps) == {r.key for r in cov.competencies} - strong


def test_coverage_shows_gaps_and_exports_csv_and_html(coach: Any, tmp_path: Path) -> None:
    coach.add_stories(ONE)
    cov = coach.story_coverage()
    assert "process" not in cov.gaps and "conflict" in cov.gaps
    coach.write_coverage(tmp_path / "grid.csv", "csv", cov)
    rows = list(csv.reader((tmp_path / "grid.csv").read_text(encoding="utf-8").splitlines()))
    conflict = next(r for r in rows if r[0] == "conflict")
    assert conflict[4] == "yes"
    coach.write_coverage(tmp_path / "grid.html", "html", coach.story_coverage(["conflict-coworker"]))
    page = (tmp_path / "grid.html").read_text(encoding="utf-8")
    assert "Stories by question" in page and "Speeding up the test suite" in page
    with pytest.raises(InputError, match="unknown coverage format 'pdf'"):
        coach.write_coverage(tmp_path / "grid.pdf", "pdf", cov)


def test_the_right_story_is_suggested_for_a_question_never_seen(coach: Any) -> None:
    coach.import_stories(STORIES)
    sug = coach.suggest_stories("Tell me about a time you had to say no to your boss.", limit=3)
    assert sug.question.id == ""
    assert sug.fits[0].story_title == "Pushing back on launching a biased ranking model"
    assert sug.fits[0].level is FitLevel.STRONG
    by_id = coach.suggest_stories("conflict-coworker")
    assert by_id.question.id == "conflict-coworker"
    assert by_id.fits[0].story_title == "Settling the API design dispute between mobile and backend"


def test_a_retelling_that_contradicts_the_stored_numbers_is_flagged(coach: Any) -> None:
    coach.import_stories(STORIES)
    answer = (
        "Our job ranking model was about to launch and my manager wanted it out before the all-hands. "
        "I sliced the metrics by employer size and showed him the gap. We launched two weeks late with "
        "the gap under 2% and click-through up 10%."
    )
    use = coach.detect_story(answer)
    assert use is not None and use.story_title == "Pushing back on launching a biased ranking model"
    messages = [c.message for c in use.contradictions]
    assert "you said 6% (click-through) last time, 10% today" in messages
    assert "you said one week (launched late gap) last time, two weeks today" in messages
    assert coach.detect_story("I like hiking and board games.") is None


def test_practice_hint_then_check_whether_the_story_was_used(coach: Any) -> None:
    assert "no stories yet" in coach.story_hint("Tell me about a time you failed.").message
    coach.import_stories(STORIES)
    hint = coach.story_hint("Tell me about a time you failed.")
    assert hint.wants_story and hint.best is not None
    assert hint.best.story_title == "The outage I caused with a schema migration"
    assert hint.message.startswith("Tell 'The outage I caused with a schema migration'")
    assert not coach.story_hint("Do you have any questions for us?").wants_story
    told = (
        "On a Friday I shipped a migration that added an index to the orders table. It locked the table and "
        "checkout went down for 50 minutes. I declared the incident, rolled back and wrote the postmortem."
    )
    use = coach.check_story_use(
        told, coach.analyze(told, "Tell me about a time you failed."), hint.best.story_id
    )
    assert use.used
    assert [c.message for c in use.contradictions] == [
        "you said 38 minutes (checkout) last time, 50 minutes today"
    ]
    other = coach.check_story_use("I mentored an intern on Kubernetes.", None, hint.best.story_id)
    assert not other.used


def test_a_mock_loop_gets_varied_stories_and_a_printable_kit(coach: Any, tmp_path: Path) -> None:
    coach.import_stories(STORIES)
    qs = [
        "conflict-coworker",
        "Describe a heated technical argument.",
        "Tell me about two teams that disagreed.",
    ]
    loop = coach.plan_stories(qs)
    picked = [p.fit.story_id for p in loop.plan.picks if p.fit]
    assert len(set(picked)) == 3
    assert loop.plan.warnings
    kit = coach.build_kit(qs, title="Practice with Sam")
    coach.write_kit(tmp_path / "kit.html", "html", kit)
    coach.write_kit(tmp_path / "kit.md", "md", kit)
    md = (tmp_path / "kit.md").read_text(encoding="utf-8")
    assert md.startswith("# Practice with Sam\n\n_2026-03-02.")
    assert md.count("**Scorecard: ") >= 3 and "**Probes**" in md
    assert "<h1>Practice with Sam</h1>" in (tmp_path / "kit.html").read_text(encoding="utf-8")
    random_kit = coach.build_kit(count=4)
    assert len(random_kit.items) == 4
    assert len({i.question_id for i in random_kit.items}) == 4


def test_bad_files_store_nothing(coach: Any, starcoach_home: Path, tmp_path: Path) -> None:
    coach.import_stories(STORIES)
    before = count_rows(coach, "story_versions")
    bad = tmp_path / "bad.md"
    bad.write_text(ONE + "\n## Missing parts\n- **Situation**: only this\n", encoding="utf-8")
    with pytest.raises(StoryFormatError, match="story 'Missing parts' \\(line 8\\): missing Action, Result"):
        coach.import_stories(bad)
    with pytest.raises(ConflictError, match="already exist: 'Cutting false alarms"):
        coach.import_stories(STORIES)
    big = tmp_path / "big.md"
    big.write_bytes(b"## Big\n" + b"a" * 10_000_000)
    with pytest.raises(ImportFormatError, match=r"file is 10\.0 MB; the limit is 1 MB"):
        coach.import_stories(big)
    empty = tmp_path / "empty.md"
    empty.write_text("# Nothing here\n", encoding="utf-8")
    with pytest.raises(StoryFormatError, match="no stories found"):
        coach.import_stories(empty)
    with pytest.raises(InputError, match="template was not filled in"):
        coach.add_stories(coach.story_template())
    assert count_rows(coach, "stories") == 12
    assert count_rows(coach, "story_versions") == before


def test_edits_keep_versions_and_update_reimports_add_one(coach: Any) -> None:
    (saved,) = coach.add_stories(ONE)
    sid = saved.story.id
    edited = coach.edit_story(sid, ONE.replace("12 minutes", "9 minutes"))
    assert edited.action == "updated" and edited.story.version == 2
    assert coach.edit_story(sid, ONE.replace("12 minutes", "9 minutes")).action == "unchanged"
    renamed = coach.edit_story(
        sid, ONE.replace("## Speeding up", "## Halving").replace("12 minutes", "9 minutes")
    )
    assert renamed.story.id == sid and renamed.story.title.startswith("Halving")
    again = coach.add_stories(ONE.replace("## Speeding up", "## Halving"), update=True)
    assert again[0].action == "updated"
    story = coach.story(sid)
    assert story.version == 4
    assert [v.version for v in story.history] == [1, 2, 3]
    assert "12 minutes" in story.at_version(1).result
    assert "(version 1)" in coach.story_markdown(sid, version=1)
    assert coach.story("speeding-up").id == sid  # a unique start of the id
    assert coach.story("Halving the test suite").id == sid  # the title


def test_edit_refuses_a_title_taken_by_another_story_and_two_stories(coach: Any) -> None:
    coach.import_stories(STORIES)
    (saved,) = coach.add_stories(ONE)
    taken = ONE.replace("## Speeding up the test suite", "## The outage I caused with a schema migration")
    with pytest.raises(ConflictError, match="another story is titled"):
        coach.edit_story(saved.story.id, taken)
    with pytest.raises(InputError, match="exactly one story, not 2"):
        coach.edit_story(saved.story.id, ONE + "\n" + ONE.replace("## Speeding", "## Slowing"))


def test_export_then_import_into_a_fresh_home_gives_the_same_stories(coach: Any, tmp_path: Path) -> None:
    from starcoach.service import open_coach

    coach.import_stories(STORIES)
    coach.edit_story("the-outage", ONE.replace("## Speeding up the test suite", "## The outage I caused"))
    assert coach.export_stories(tmp_path / "mine.md") == 12
    assert coach.export_stories(tmp_path / "mine.json", "json") == 12
    data = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    outage = next(s for s in data["stories"] if s["title"] == "The outage I caused")
    assert outage["version"] == 2 and outage["history"][0]["title"].startswith("The outage I caused with")
    other = open_coach(tmp_path / "other-home")
    try:
        other.import_stories(tmp_path / "mine.md")
        assert [s.content for s in other.stories()] == [s.content for s in coach.stories()]
    finally:
        other.close()


def test_the_export_bytes_are_the_exported_file(coach: Any, tmp_path: Path) -> None:
    coach.import_stories(STORIES)
    for fmt in ("md", "json"):
        coach.export_stories(tmp_path / f"mine.{fmt}", fmt)
        assert coach.export_stories_bytes(fmt) == (tmp_path / f"mine.{fmt}").read_bytes()
    with pytest.raises(InputError, match="unknown story export format 'pdf'"):
        coach.export_stories_bytes("pdf")


def test_a_draft_is_checked_on_its_fields_without_being_stored(coach: Any) -> None:
    half = coach.review_story_draft({"situation": "Our CI took 40 minutes.", "action": "We talked about it."})
    assert [p.part for p in half.parts if not p.present] == ["task", "result"]
    assert not half.own_action and not half.ok and half.analyzer_score is None
    whole = coach.review_story_draft(
        {"title": "CI", "situation": "Our CI took 40 minutes.", "task": "Make it fast.",
         "action": "I profiled the suite and I parallelised it.", "result": "CI dropped to 12 minutes."}
    )
    assert whole.ok and whole.title == "CI"
    assert coach.stories() == []


def test_delete_and_not_found(coach: Any) -> None:
    (saved,) = coach.add_stories(ONE)
    coach.delete_story(saved.story.id)
    assert coach.stories() == []
    with pytest.raises(NotFoundError, match="no story 'speeding'"):
        coach.story("speeding")
    with pytest.raises(NotFoundError, match="no stories yet"):
        coach.story_coverage()


def test_questions_a_story_answers_best(coach: Any) -> None:
    coach.import_stories(STORIES)
    fits = coach.questions_for_story("the-outage", limit=3)
    assert len(fits) == 3
    assert fits[0].level is FitLevel.STRONG
    assert "mistake" in fits[0].question_text.lower() or "fail" in fits[0].question_text.lower()
    assert all("failure" in f.reason or "ownership" in f.reason or "integrity" in f.reason for f in fits)
