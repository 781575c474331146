"""Practice figures: answer-to-analysis time (warm), time to write one attempt, and a SIGKILL crash run.

Prints one JSON object. Run: ``python bench/bench_practice.py [--rounds N]``. Nothing here asserts a
time; tests never do either.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ANSWER = (
    "In my last role at a fintech startup, our payments API missed its latency target two weeks "
    "before a launch. I was the tech lead and my task was to get p99 latency under 200 ms without "
    "delaying the launch. "
    "I profiled the service, found an N+1 database query, rewrote it as a batched join, and added a cache. "
    "As a result, p99 latency fell from 900 ms to 150 ms and we launched on time."
)

WRITER = r"""
import sys
from starcoach.service import open_coach
coach = open_coach(sys.argv[1])
story = [q for q in coach.all_questions() if q.type.value == "story"][:25]
for i in range(int(sys.argv[3])):
    r = coach.submit_answer(story[i % len(story)], ANSWER + f" [{sys.argv[2]}-{i}]", started_at=coach.now())
    print(r.attempt.id, flush=True)
"""


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1] * 1000, 2),
        "n": len(ordered),
    }


def submit_to_analysis(home: Path, n: int) -> dict[str, float]:
    """What the user waits for after submitting: save, analyze, schedule, commit, render (warm)."""
    import io

    from rich.console import Console

    from starcoach.cli.practice_view import show_analysis
    from starcoach.service import open_coach

    coach = open_coach(home)
    screen = Console(file=io.StringIO(), width=100, force_terminal=True)
    story = [q for q in coach.all_questions() if q.type.value == "story"]
    coach.submit_answer(story[0], ANSWER, started_at=coach.now())  # warm up: imports, model, store
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        result = coach.submit_answer(story[i % len(story)], ANSWER, started_at=coach.now())
        show_analysis(screen, result, coach.now(), coach.local_tz())
        samples.append(time.perf_counter() - t0)
    coach.close()
    return _ms(samples)


def write_one_attempt(home: Path, n: int) -> dict[str, float]:
    """The store alone: commit the pending answer, then the analysis with card and review log."""
    from dataclasses import replace

    from starcoach.ids import AttemptId, QuestionId
    from starcoach.review.records import Attempt, AttemptKind, AttemptStatus
    from starcoach.review.schedule import Rating, review
    from starcoach.store import Store
    from starcoach.store.attempts import CardReview

    store = Store.open(home / "starcoach.db", home / "backups", "bench")
    now = datetime.now(UTC)
    samples = []
    for i in range(n):
        a = Attempt(
            AttemptId(f"bench{i}"),
            QuestionId(f"q{i % 20}"),
            "Q?",
            AttemptKind.ANSWER,
            AttemptStatus.PENDING,
            ANSWER,
            now,
            now,
        )
        card, entry = review(store.attempts.card(a.question_id), a.question_id, Rating.GOOD, now)
        t0 = time.perf_counter()
        store.attempts.add_pending(a, {"id": a.question_id, "text": "Q?"})
        done = replace(a, status=AttemptStatus.SCORED, score=70, rating=Rating.GOOD, analysis={"score": 70})
        store.attempts.complete(done, CardReview(None, card, entry, "score"))
        samples.append(time.perf_counter() - t0)
    store.close()
    return _ms(samples)


def crash_run(home: Path, rounds: int) -> dict[str, int | str]:
    """Kill a writing process with SIGKILL after 1..5 acknowledgments, ``rounds`` times."""
    acked: list[str] = []
    env = {**os.environ, "STARCOACH_HOME": str(home)}
    for i in range(rounds):
        proc = subprocess.Popen(
            [sys.executable, "-c", f"ANSWER = {ANSWER!r}\n" + WRITER, str(home), f"r{i}", "100"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        for _ in range(1 + i % 5):
            line = proc.stdout.readline().strip()
            if line:
                acked.append(line)
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate()
        acked.extend(x for x in rest.split() if x)
    con = sqlite3.connect(home / "starcoach.db")
    rows = dict(con.execute("SELECT id, status FROM attempts").fetchall())
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    lost = sum(1 for a in acked if rows.get(a) != "scored")
    pending = sum(1 for s in rows.values() if s == "pending")
    return {
        "rounds": rounds,
        "acknowledged": len(acked),
        "lost": lost,
        "unacknowledged_pending_rows": pending,
        "integrity_check": integrity,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50, help="samples per timing")
    parser.add_argument("--rounds", type=int, default=20, help="SIGKILL rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        figures = {
            "submit_to_analysis_warm": submit_to_analysis(root / "a", args.n),
            "write_one_attempt": write_one_attempt(root / "b", args.n),
            "crash": crash_run(root / "c", args.rounds),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
