"""``progress --plot`` with one day of data, and drift checks that compare only numbers about one thing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from starcoach.stories.drift import contradictions
from starcoach.stories.model import StoryContent
from tests.conftest import PINNED_NOW
from tests.practice_helpers import STRONG, WEAK


def _span_days(fig: Any) -> float:
    from matplotlib import dates as mdates

    lo, hi = fig.axes[-1].get_xlim()
    return float((mdates.num2date(hi) - mdates.num2date(lo)) / timedelta(days=1))


def test_one_day_of_progress_plots_a_few_days_not_years(coach: Any, tmp_path: Path) -> None:
    from matplotlib import pyplot as plt

    from starcoach.service.practice_data import progress_figure

    coach.submit_answer("conflict-coworker", STRONG, started_at=PINNED_NOW)
    coach.submit_answer("tight-deadlines", WEAK, started_at=PINNED_NOW)
    fig = progress_figure(coach.progress())
    try:
        assert _span_days(fig) <= 3
        labels = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
        assert any("2026-03-02" in label for label in labels), labels
        assert all(label.startswith("2026-") for label in labels if label)
    finally:
        plt.close(fig)
    written = coach.plot_progress(tmp_path / "p.svg")
    assert "2029" not in written.read_text() and "2025" not in written.read_text()


STORY = StoryContent(
    title="Migrating billing",
    situation="Billing ran on a cron box that failed every month.",
    action="I moved the billing jobs to the queue and wrote the runbook.",
    result="We finished the billing migration in six weeks and cut failures by 90%.",
)


def test_a_six_month_review_is_not_drift_from_six_weeks() -> None:
    answer = "I moved billing to the queue before the six-month review of the billing migration; failures fell 90%."
    assert contradictions(STORY, answer) == ()


def test_a_changed_duration_is_still_drift() -> None:
    answer = "We finished the billing migration in ten weeks and cut failures by 90%."
    (flag,) = contradictions(STORY, answer)
    assert "six weeks" in flag.message and "ten weeks" in flag.message
