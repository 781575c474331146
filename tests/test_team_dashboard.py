"""The cohort dashboard's figures: score trend, weakest competency and who looks stuck."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from starcoach.service.team_coaching import score_trend, stuck_reason
from tests.conftest import PINNED_NOW
from tests.team_support import build_world, open_test_team, principal


def test_score_trend_compares_the_last_five_with_the_first_five() -> None:
    assert score_trend([]) == (None, None)
    assert score_trend([40, 50]) == (45.0, None)
    assert score_trend([40, 40, 40, 40, 40, 60, 60, 60, 60, 60]) == (60.0, 20.0)


def test_stuck_means_idle_for_a_week_or_low_and_flat() -> None:
    now = PINNED_NOW
    assert stuck_reason(None, now, 0, None, None) == "has not practised yet"
    assert stuck_reason(now - timedelta(days=9), now, 3, 70, 5) == "no practice for 9 days"
    assert stuck_reason(now - timedelta(days=1), now, 6, 45, -2) == "scores around 45 and not improving"
    assert stuck_reason(now - timedelta(days=1), now, 6, 45, 8) is None  # low but improving
    assert stuck_reason(now - timedelta(days=1), now, 2, 45, None) is None  # too few answers to say


def test_dashboard_rows_count_answers_and_assignments(starcoach_home: Path, team_db_url: str | None) -> None:
    team = open_test_team(starcoach_home, team_db_url)
    try:
        w = build_world(team)
        coach = principal(team, "coach_a@example.org")
        team.coaching.assign(coach, w.cohort_a, "Week 1", ["conflict-coworker", "time-you-failed"],
                             PINNED_NOW + timedelta(days=7))
        cand = team.coach_for(w.cand_a.id)
        try:
            cand.submit_answer("time-you-failed", "We shipped late. I owned it. As a result we fixed the plan.",
                               started_at=team.clock())
        finally:
            cand.close()
        board = team.coaching.dashboard(coach, w.cohort_a)
        [row] = board["rows"]
        assert row.user.id == w.cand_a.id
        assert row.attempts == 2 and row.last_week == 2
        assert (row.assigned_done, row.assigned_total) == (1, 2)  # the earlier answer predates the assignment
        assert row.recent_mean is not None and len(row.trend) == 2
        assert row.stuck is None
        actions = [e["action"] for e in team.accounts.repo.audit_entries()]
        assert "coach.view_dashboard" in actions and "coach.assign" in actions
    finally:
        team.close()


def test_a_coach_reads_stories_only_when_the_candidate_shares_them(starcoach_home: Path,
                                                                    team_db_url: str | None) -> None:
    team = open_test_team(starcoach_home, team_db_url)
    try:
        w = build_world(team)
        cand = team.coach_for(w.cand_a.id)
        try:
            cand.add_stories("## Payments schema\n\n**Situation**: Our team disagreed about the API.\n\n"
                             "**Action**: I benchmarked both designs.\n\n**Result**: We shipped two weeks early.\n")
        finally:
            cand.close()
        coach = principal(team, "coach_a@example.org")
        assert team.coaching.overview(coach, w.cand_a.id)["stories"] is None
        team.accounts.repo.update_user(w.cand_a.id, share_stories=1)
        stories = team.coaching.overview(coach, w.cand_a.id)["stories"]
        assert [s.content.title for s in stories] == ["Payments schema"]
    finally:
        team.close()
