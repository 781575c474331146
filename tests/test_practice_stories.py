"""`starcoach practice --stories`: the fitting story is named first, and drifting numbers are flagged."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import sc

STORIES = Path(__file__).parent / "fixtures" / "stories" / "stories.md"

RETELLING = (
    "Our fraud classifier blocked so many legitimate card payments that merchants called support daily. "
    "I owned the model and had to bring false positives down. I sampled blocked payments by hand, built "
    "travel-aware features and retrained the gradient boosted model, then ran it in shadow for two weeks. "
    "False positives fell by 60% while recall stayed flat, and both merchants renewed.\n\n\n"
)


def test_practice_names_the_story_and_flags_changed_numbers(starcoach_home: Path) -> None:
    assert sc("stories", "import", str(STORIES), home=starcoach_home).returncode == 0
    r = sc(
        "practice", "--stories", "--count", "1", "--competency", "technical-depth", "--no-follow-up",
        home=starcoach_home, stdin=RETELLING,
    )
    assert r.returncode == 0, r.stderr
    assert "Your story:" in r.stdout
    assert "Check your numbers" in r.stdout and "45%" in r.stdout and "60%" in r.stdout


def test_practice_without_stories_still_catches_a_retelling(starcoach_home: Path) -> None:
    sc("stories", "import", str(STORIES), home=starcoach_home)
    r = sc("practice", "--count", "1", "--competency", "technical-depth", "--no-follow-up",
           home=starcoach_home, stdin=RETELLING)
    assert r.returncode == 0, r.stderr
    assert "Your story:" not in r.stdout
    assert "Check your numbers" in r.stdout and "45%" in r.stdout
