"""``starcoach practice`` and friends as a user runs them: answers on stdin or in a file, the same flow."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import one_error_line, sc
from tests.inproc_cli import fresh_coach, run  # noqa: F401 (fresh_coach is an autouse fixture)
from tests.practice_helpers import FOLLOW, STRONG, WEAK


def answers(*parts: str) -> str:
    """Answers in the practice protocol: each ends with two empty lines."""
    return "".join(f"{p}\n\n\n" for p in parts)


def history() -> list[dict[str, Any]]:
    out = run("history", "--json", "--limit", "100")
    assert out.exit_code == 0, out.output
    data: list[dict[str, Any]] = json.loads(out.stdout)
    return data


def test_practice_on_stdin_shows_feedback_asks_a_follow_up_and_saves_everything() -> None:
    result = run("practice", "-n", "2", "--timer", "90s", stdin=answers(STRONG, FOLLOW) + ":skip\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Question 1/2" in out and "Question 2/2" in out and "⏱ 1:30" in out
    assert "Score " in out and "Follow-up:" in out and "Rated " in out and "comes back" in out
    assert "recorded as skipped" in out and "3 answers saved" in out
    rows = history()
    kinds = sorted(r["kind"] for r in rows)
    assert kinds == ["answer", "answer", "follow_up"]
    main = next(r for r in rows if r["kind"] == "answer" and r["score"] is not None)
    assert main["answer"] == STRONG and main["time_limit_seconds"] == 90 and main["analysis"]["sentences"]
    assert any(r["status"] == "skipped" for r in rows)


def test_answer_file_and_json_output_run_the_same_flow(tmp_path: Path) -> None:
    f = tmp_path / "answers.txt"
    f.write_text(answers(STRONG, FOLLOW, STRONG, ""))
    result = run("practice", "-n", "2", "--answer-file", str(f), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    kinds = [a["kind"] for a in data["attempts"]]
    assert kinds == ["answer", "follow_up", "answer", "follow_up"][: len(kinds)] and len(kinds) >= 3
    assert data["session"]["kind"] == "practice" and data["session"]["ended_at"]


def test_rate_retry_and_quit_commands() -> None:
    script = STRONG + "\n\n\n" + ":rate again\n:retry\n" + answers(STRONG) + ":quit\n"
    result = run("practice", "-n", "3", stdin=script)
    assert result.exit_code == 0, result.output
    assert "Rating changed to again" in result.stdout and "Answer again:" in result.stdout
    rows = history()
    assert sorted(r["kind"] for r in rows) == ["answer", "retry"]
    first = next(r for r in rows if r["kind"] == "answer")
    assert first["rating"] == "again" and first["rating_source"] == "user"
    retry = next(r for r in rows if r["kind"] == "retry")
    assert retry["parent_id"] == first["id"] and retry["rating"] is None


def test_retry_before_submitting_starts_the_answer_again() -> None:
    result = run("practice", "-n", "1", "--no-follow-up", stdin="half an answer\n:retry\n" + answers(STRONG))
    assert result.exit_code == 0, result.output
    rows = history()
    assert len(rows) == 1 and rows[0]["answer"] == STRONG


def test_quit_after_a_half_written_answer_saves_nothing_unless_the_user_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    half = "I led the migration and we cut costs by 30%.\n:quit\n"
    result = run("practice", "-n", "2", stdin=half)
    assert result.exit_code == 0, result.output
    assert "unfinished answer was not saved" in result.stdout
    assert history() == []
    from starcoach.cli.practice_input import StreamReader

    asked: list[str] = []
    monkeypatch.setattr(StreamReader, "confirm", lambda self, q: asked.append(q) or True)
    assert run("practice", "-n", "2", stdin=half).exit_code == 0
    assert asked and [r["answer"] for r in history()] == ["I led the migration and we cut costs by 30%."]


def test_an_empty_submission_asks_again_instead_of_skipping() -> None:
    result = run("practice", "-n", "1", "--no-follow-up", stdin="\n\n\n" + answers(STRONG))
    assert result.exit_code == 0, result.output
    assert "Nothing to submit yet" in result.stdout
    assert [(r["answer"], r["status"]) for r in history()] == [(STRONG, "scored")]


def test_end_of_input_ends_the_session_and_keeps_the_last_answer() -> None:
    result = run("practice", "-n", "3", stdin=STRONG)  # no blank lines: Ctrl-D / EOF ends the answer
    assert result.exit_code == 0, result.output
    assert [r["answer"] for r in history()] == [STRONG]


def test_mock_interview_hides_feedback_until_the_debrief() -> None:
    result = run("practice", "--mock", "2", stdin=answers(STRONG, FOLLOW, STRONG, FOLLOW))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Score " not in out and "feedback comes in the debrief" in out
    assert "Debrief" in out and ("INCLINED" in out) and "confidence" in out
    assert "Strongest moment" in out and "Weakest moment" in out and "“" in out


def test_review_history_compare_and_progress() -> None:
    run("practice", "-n", "1", "-c", "conflict", "--no-follow-up", stdin=answers(STRONG))
    first = history()[0]
    run("history", "show", first["id"])
    assert (
        run("practice", "-n", "1", "-c", "conflict", "--no-follow-up", stdin=answers(STRONG)).exit_code == 0
    )
    review = run("review", "--json")
    assert review.exit_code == 0
    assert json.loads(review.stdout)["cards"] >= 1
    table = run("review")
    assert "scheduled" in table.stdout
    shown = run("history", "show", first["id"][:6])
    assert shown.exit_code == 0 and "Score" in shown.stdout
    listing = run("history")
    assert first["id"] in listing.stdout
    prog = run("progress", "--json")
    assert json.loads(prog.stdout)["scored"] >= 2
    assert "Weakest competency" in run("progress").stdout


def test_compare_two_attempts_side_by_side() -> None:
    script = answers(STRONG) + ":retry\n" + answers(WEAK) + ":quit\n"
    assert run("practice", "-n", "1", "-c", "conflict", stdin=script).exit_code == 0
    first, retry = sorted((r for r in history() if r["kind"] != "follow_up"), key=lambda r: r["kind"])
    assert (first["kind"], retry["kind"]) == ("answer", "retry")
    result = run("history", "compare", first["id"], retry["id"])
    assert result.exit_code == 0, result.output
    assert first["id"] in result.stdout and "dimensions" in result.stdout
    js = json.loads(run("history", "compare", retry["id"], first["id"], "--json").stdout)
    assert js["first"]["id"] == first["id"] and js["score_change"] == retry["score"] - first["score"] < 0
    by_question = run("history", "compare", first["question_id"], "--json")
    assert json.loads(by_question.stdout)["second"]["id"] == retry["id"]


def test_progress_plot(tmp_path: Path) -> None:
    run("practice", "-n", "1", "--no-follow-up", stdin=answers(STRONG))
    result = run("progress", "--plot", str(tmp_path / "p.png"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"


def test_backup_and_delete_all(starcoach_home: Path) -> None:
    run("practice", "-n", "1", "--no-follow-up", stdin=answers(STRONG))
    backup = run("backup")
    assert backup.exit_code == 0 and "integrity check ok" in backup.stdout
    kept = run("delete", "--all", stdin="n\n")
    assert kept.exit_code != 0 and len(history()) == 1
    gone = run("delete", "--all", "--yes")
    assert gone.exit_code == 0, gone.output
    assert history() == []
    assert not list((starcoach_home / "backups").glob("*.db"))


def test_export_and_import_all_through_the_command(tmp_path: Path, starcoach_home: Path) -> None:
    assert (
        sc("practice", "-n", "1", "--no-follow-up", home=starcoach_home, stdin=answers(STRONG)).returncode
        == 0
    )
    out = tmp_path / "everything.json"
    exported = sc("export", "--all", str(out), home=starcoach_home)
    assert exported.returncode == 0, exported.stderr
    other = tmp_path / "other"
    imported = sc("import", "--all", str(out), home=other)
    assert imported.returncode == 0, imported.stderr
    con = sqlite3.connect(other / "starcoach.db")
    assert con.execute("SELECT answer FROM attempts").fetchone()[0] == STRONG
    con.close()
    again = sc("import", "--all", str(out), home=other)
    assert "empty database" in one_error_line(again)


def test_bad_input_gets_one_clear_line_and_exit_2(tmp_path: Path, starcoach_home: Path) -> None:
    assert "no answers were given" in one_error_line(sc("practice", home=starcoach_home, stdin=""))
    assert "--timer" in one_error_line(sc("practice", "--timer", "soon", home=starcoach_home, stdin=""))
    assert "unknown competency" in one_error_line(sc("practice", "-c", "juggling", home=starcoach_home))
    assert "delete --all" in one_error_line(sc("delete", home=starcoach_home))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert "data directory" in one_error_line(sc("review", home=blocker / "home"))
    assert "no attempt" in one_error_line(sc("history", "show", "nope", home=starcoach_home))


def test_a_corrupt_database_is_refused_with_one_line(starcoach_home: Path) -> None:
    assert (
        sc("practice", "-n", "1", "--no-follow-up", home=starcoach_home, stdin=answers(STRONG)).returncode
        == 0
    )
    db = starcoach_home / "starcoach.db"
    data = bytearray(db.read_bytes())
    data[16:100] = b"\x00" * 84  # wreck the header after the magic string
    db.write_bytes(bytes(data))
    line = one_error_line(sc("history", home=starcoach_home))
    assert "starcoach.db" in line


def test_a_closed_stdin_is_not_a_crash(starcoach_home: Path) -> None:
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "starcoach", "practice", "-n", "1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "STARCOACH_HOME": str(starcoach_home)},
        timeout=120,
    )
    assert r.returncode == 2 and "no answers were given" in r.stderr and "Traceback" not in r.stderr
