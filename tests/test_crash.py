"""Reliability with real processes: two writers at once, and writers killed with SIGKILL mid-write.

A writer prints an attempt's id only after ``submit_answer`` returned, i.e. after the commit: that
is the acknowledgment. Whatever was acknowledged must be in the database afterwards, and the
database must pass ``PRAGMA integrity_check``. No sleeps: the parent kills right after reading a
chosen number of acknowledgments, so the kill lands somewhere in the next write.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.practice_helpers import STRONG

WRITER = r"""
import sys
from starcoach.service import open_coach
home, tag, count, wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "wait"
if wait:
    print("ready", flush=True)
    sys.stdin.readline()
coach = open_coach(home)
story = [q for q in coach.all_questions() if q.type.value == "story"][:25]
for i in range(count):
    result = coach.submit_answer(story[i % len(story)], ANSWER + f" [{tag}-{i}]", started_at=coach.now())
    print(result.attempt.id, flush=True)
coach.close()
"""


def writer(home: Path, tag: str, count: int, wait: bool = False) -> subprocess.Popen[str]:
    code = f"ANSWER = {STRONG!r}\n" + WRITER
    env = {**os.environ, "STARCOACH_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(home), tag, str(count), "wait" if wait else "go"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stored(home: Path) -> dict[str, str]:
    con = sqlite3.connect(home / "starcoach.db")
    rows = dict(con.execute("SELECT id, status FROM attempts").fetchall())
    con.close()
    return rows


def integrity(home: Path) -> str:
    con = sqlite3.connect(home / "starcoach.db")
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    return str(ok)


def test_two_processes_writing_at_once_never_see_database_is_locked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    procs = [writer(home, tag, 12, wait=True) for tag in ("a", "b")]
    for p in procs:  # a barrier: both are started and waiting before either opens the database
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    acked = [line for out, _ in results for line in out.split() if line != "ready"]
    assert len(acked) == 24
    rows = stored(home)
    assert all(rows.get(a) == "scored" for a in acked)
    assert integrity(home) == "ok"


def test_sigkill_mid_write_loses_nothing_acknowledged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    acked: list[str] = []
    rounds = (1, 2, 3, 1, 4, 2)
    for i, wait_for in enumerate(rounds):
        proc = writer(home, f"r{i}", 50)
        assert proc.stdout is not None
        for _ in range(wait_for):
            line = proc.stdout.readline().strip()
            assert line, proc.stderr.read() if proc.stderr else ""
            acked.append(line)
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=60)
        acked.extend(line for line in rest.split() if line)  # printed before the kill landed
        assert proc.returncode == -signal.SIGKILL
        assert integrity(home) == "ok"
    rows = stored(home)
    lost = [a for a in acked if rows.get(a) != "scored"]
    assert len(acked) >= sum(rounds) and not lost
    from starcoach.service import open_coach

    coach = open_coach(home)  # answers saved but not yet analyzed when killed are scored now
    coach.recover_pending()
    assert set(stored(home).values()) <= {"scored", "skipped"}
    coach.close()
