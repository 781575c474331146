"""Story matching where users look first: everyday questions, untagged stories, weak stories."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from starcoach.bank.builtin import builtin_bank
from starcoach.cli import common
from starcoach.cli.main import app
from starcoach.ids import StoryId, slugify
from starcoach.stories.fit import FitLevel, FitModel
from starcoach.stories.infer import question_competencies, story_competencies
from starcoach.stories.markdown import parse_stories
from starcoach.stories.model import Story

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEAK_STORY = """## Getting buy-in

- **Competencies**: influence
- **Situation**: There was a thing at work that people did not like.
- **Action**: I talked to them and convinced them and got buy-in.
- **Result**: It was fine.
"""
runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_coach() -> Iterator[None]:
    yield
    common.close()


def run(*args: str) -> Any:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    common.close()
    return result


def stories_of(name: str) -> list[Story]:
    contents = parse_stories((FIXTURES / name).read_text(encoding="utf-8"))
    return [Story.new(StoryId(slugify(c.title, max_len=50)), c, NOW) for c in contents]


def test_everyday_questions_name_the_competency_they_probe() -> None:
    assert question_competencies("Tell me about a time you changed someone's mind") == ("influence",)
    assert question_competencies("Tell me about a time you helped a teammate grow.") == ("mentoring",)
    assert question_competencies("Tell me about a time you thought your boss was wrong.") == ("disagree-manager",)


def test_the_readme_example_finds_influence_and_ranks_the_influence_story_first() -> None:
    model = FitModel(stories_of("stories.md"), builtin_bank().questions)
    q = model.question("Tell me about a time you changed someone's mind")
    assert "influence" in q.competencies
    best = model.rank(q)[0]
    assert best.story_title == "Convincing the platform team to adopt feature flags"
    assert best.level is not FitLevel.GAP


@pytest.mark.parametrize("embedder", [None, "default"])
@pytest.mark.parametrize(
    ("stories", "mentoring", "kubernetes"),
    [
        ("stories.md", "Mentoring a new graduate through her first on-call",
         "Learning Kubernetes to rescue the GPU training cluster"),
        ("real_style.md", "Priya", "k8s migration"),  # untagged, as most people's stories are
    ],
)
def test_a_mentoring_story_ranks_above_a_kubernetes_migration_for_helping_a_teammate_grow(
    embedder: str | None, stories: str, mentoring: str, kubernetes: str
) -> None:
    from starcoach.analysis.embed import default_embedder

    model = FitModel(stories_of(stories), builtin_bank().questions, default_embedder() if embedder else None)
    ranked = [f.story_title for f in model.rank(model.question("Tell me about a time you helped a teammate grow"))]
    assert ranked[0] == mentoring
    assert ranked.index(mentoring) < ranked.index(kubernetes)


def test_untagged_stories_get_inferred_competencies_marked_as_inferred() -> None:
    stories = stories_of("real_style.md")
    by_id = {s.id: s for s in stories}
    c = by_id["priya"].content
    assert "mentoring" in story_competencies((c.title, c.situation, c.task, c.action, c.result)).competencies
    model = FitModel(stories, builtin_bank().questions)
    fit = model.rank(model.question("Tell me about a time you helped a teammate grow."))[0]
    assert fit.story_id == "priya" and fit.inferred == ("mentoring",) and "inferred" in fit.reason


def test_the_intended_story_comes_first_for_answers_people_write() -> None:
    """12 untagged stories in real people's styles, one question each (bench/bench_story_match.py)."""
    stories = stories_of("real_style.md")
    data = json.loads((FIXTURES / "real_style_questions.json").read_text(encoding="utf-8"))["questions"]
    model = FitModel(stories, builtin_bank().questions)
    first = sum(model.rank(model.question(q["text"]))[0].story_id == q["story"] for q in data)
    assert len(data) == 12 and first >= 11


def test_a_weak_story_is_never_called_strong_in_coverage(tmp_path: Path) -> None:
    path = tmp_path / "weak.md"
    path.write_text(WEAK_STORY, encoding="utf-8")
    assert run("stories", "import", str(path)).exit_code == 0
    out = run("stories", "coverage", "--json")
    assert out.exit_code == 0, out.output
    row = next(r for r in json.loads(out.stdout)["competencies"] if r["key"] == "influence")
    assert row["best_level"] != "strong" and row["gap"]
    assert "/100 when told" in row["fits"][0]["reason"]


def test_inferred_competencies_show_in_the_terminal_and_tagging_corrects_them(tmp_path: Path) -> None:
    assert run("stories", "import", str(FIXTURES / "real_style.md")).exit_code == 0
    shown = run("stories", "show", "priya").stdout
    assert "competencies (inferred): mentoring" in shown and "stories edit priya" in shown
    assert "mentoring (inferred)" in run("stories", "list").stdout
    story = run("stories", "show", "priya", "--markdown").stdout
    edited = tmp_path / "priya.md"
    edited.write_text(story.replace("## Priya\n", "## Priya\n\n- **Competencies**: teamwork\n", 1), encoding="utf-8")
    assert run("stories", "edit", "priya", "--file", str(edited)).exit_code == 0
    again = run("stories", "show", "priya").stdout
    assert "competencies: teamwork" in again and "inferred" not in again.split("\n")[2]


def test_suggest_says_the_competencies_are_inferred_and_takes_a_correction() -> None:
    assert run("stories", "import", str(FIXTURES / "stories.md")).exit_code == 0
    out = run("stories", "suggest", "Tell me about a time you changed someone's mind").stdout
    assert "competencies (inferred; correct with --competency): influence" in out
    assert "none found" not in out
    fixed = run("stories", "suggest", "Tell me about a time you changed someone's mind", "-c", "conflict", "--json")
    assert json.loads(fixed.stdout)["question"]["competencies"] == ["conflict"]


def test_the_web_story_pages_show_inferred_competencies(web: Any, coach: Any) -> None:
    coach.add_stories((FIXTURES / "real_style.md").read_text(encoding="utf-8"))
    listing = web.get("/stories").text
    assert "mentoring (inferred)" in listing
    page = web.get("/stories/priya").text
    assert 'id="inferred-competencies"' in page and "Mentoring" in page.split('id="inferred-competencies"')[1][:300]
    asked = web.get("/stories", params={"question": "Tell me about a time you changed someone's mind"}).text
    assert "(inferred: influence)" in asked


def test_stories_written_after_the_cues_were_fixed_rank_no_worse_than_before() -> None:
    """The held-out set: 7 of 12 first before competencies were inferred; inference must not lose any."""
    stories = stories_of("real_style_holdout.md")
    data = json.loads((FIXTURES / "real_style_holdout_questions.json").read_text(encoding="utf-8"))["questions"]
    model = FitModel(stories, builtin_bank().questions)
    first = sum(model.rank(model.question(q["text"]))[0].story_id == q["story"] for q in data)
    assert len(data) == 12 and first >= 7
