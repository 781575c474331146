"""Team-mode load: ``starcoach serve --team --workers 4`` on loopback, 50 simulated users for 60 s.

Sets up a cohort in a fresh database (PostgreSQL with ``--database-url`` or ``STARCOACH_DATABASE_URL``,
else a temporary SQLite file), starts the real server as a subprocess, signs every user in, then runs
one thread per user (httpx, one keep-alive connection each). A candidate loops: open a question
(``GET /practice?q=``), think, submit an answer (``POST /practice``: analyzed and saved), open the
result (``GET /attempts/{id}``), sometimes the progress page, think again. The coach opens the cohort
dashboard in a loop. Prints p50/p95/p99 per endpoint, errors, and analyzed answers per second.

Prints figures; asserts nothing. The load generator shares the machine's cores with the server, so
the figures are an upper bound of what the server alone needs. Think time is per user (``--think``,
seconds, uniform), because a person answering takes minutes, not milliseconds; ``--think 0`` turns it
into a stress test. Usage: ``python bench/bench_team_load.py [--database-url URL] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "bench passphrase 123"
QUESTIONS = ("conflict-coworker", "time-you-failed", "tight-deadlines", "disagreed-manager", "challenging-project")
ANSWER = (
    "Last year at a fintech startup our team disagreed about the schema of the payments API. I owned the payments "
    "service and had to get everyone aligned before the Friday release. First I restated my colleague's concerns "
    "until she agreed I had them right. Then I built a quick benchmark of both designs against production traffic "
    "and shared the numbers with the team. As a result we shipped the new schema two weeks early and p95 latency "
    "dropped by 30%. I learned to bring data into a disagreement early, and we still pair every week."
)
PAGES = ("GET /practice", "GET /attempts/{id}", "GET /progress", "GET /coach/cohorts/{id}")
_CSRF = re.compile(r'name="csrf-token" content="([^"]*)"')


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def timed(self, name: str, call: Any, ok: tuple[int, ...] = (200,)) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            r: httpx.Response = call()
        except httpx.HTTPError:
            with self.lock:
                self.errors[name] += 1
            return None
        ms = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[name].append(ms)
            if r.status_code not in ok:
                self.errors[name] += 1
        return r


def setup(home: Path, url: str | None, users: int) -> tuple[str, list[str]]:
    """A cohort with one coach and ``users - 1`` candidates; returns (cohort id, candidate e-mails)."""
    import dataclasses
    import uuid

    from starcoach.review.records import iso
    from starcoach.service.team import HASHER
    from starcoach.service.team_open import open_team
    from starcoach.settings import resolve
    from starcoach.store.team import User

    settings = resolve(home)
    if url:
        settings = dataclasses.replace(settings, database_url=url)
    team = open_team(settings)
    try:
        team.accounts.create_admin("coach@bench.example", "Bench Coach", PASSWORD)
        coach = team.accounts.user(team.accounts.repo.user_by_email("coach@bench.example").id)  # type: ignore[union-attr]
        team.accounts.repo.update_user(coach.id, role="coach")
        now = team.clock()
        cohort_id = uuid.uuid4().hex[:12]
        from starcoach.store.team import Cohort

        team.accounts.repo.add_cohort(Cohort(cohort_id, "Bench cohort", iso(now)))
        team.accounts.repo.add_member(cohort_id, coach.id, "coach", now)
        hashed = HASHER.hash(PASSWORD)  # one hash for all: hashing 50 times would only slow the set-up
        emails = []
        for i in range(users - 1):
            user = User(uuid.uuid4().hex, f"c{i}@bench.example", f"Candidate {i}", "candidate", hashed, False, iso(now))
            team.accounts.repo.add_user(user, now)
            team.accounts.repo.add_member(cohort_id, user.id, "candidate", now)
            emails.append(user.email)
    finally:
        team.close()
    return cohort_id, emails


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: Path, url: str | None, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STARCOACH_HOME": str(home)}
    if url:
        env["STARCOACH_DATABASE_URL"] = url
    exe = Path(sys.executable).with_name("starcoach")
    proc = subprocess.Popen([str(exe), "serve", "--team", "--workers", str(workers), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the team server did not become ready in 60 s")


def sign_in(base: str, email: str, stats: Stats) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    page = c.get("/login")
    token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    stats.timed("POST /login", lambda: c.post("/login", data={"email": email, "password": PASSWORD,
                                                               "csrf_token": token}), ok=(303,))
    return c, _CSRF.search(c.get("/account").text).group(1)  # type: ignore[union-attr]


def candidate(c: httpx.Client, csrf: str, stats: Stats, stop: float, think: float, rng: random.Random,
              answered: list[int]) -> None:
    while time.time() < stop:
        q = rng.choice(QUESTIONS)
        stats.timed("GET /practice", lambda q=q: c.get(f"/practice?q={q}"))
        time.sleep(rng.uniform(0, think))
        r = stats.timed("POST /practice (analyzed answer)", lambda q=q: c.post(
            "/practice", data={"answer": ANSWER, "question_id": q, "seconds": "95", "csrf_token": csrf}), ok=(303,))
        if r is not None and r.status_code == 303:
            answered.append(1)
            location = r.headers["location"]
            stats.timed("GET /attempts/{id}", lambda loc=location: c.get(loc))
        if rng.random() < 0.2:
            stats.timed("GET /progress", lambda: c.get("/progress"))
        time.sleep(rng.uniform(0, think))


def coach(c: httpx.Client, cohort: str, stats: Stats, stop: float, think: float, rng: random.Random) -> None:
    while time.time() < stop:
        stats.timed("GET /coach/cohorts/{id}", lambda: c.get(f"/coach/cohorts/{cohort}"))
        time.sleep(rng.uniform(0, think))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(stats: Stats, seconds: float, answered: int, args: argparse.Namespace, backend: str) -> None:
    print(f"team load: {args.workers} workers, {args.users} users, {seconds:.0f} s, think 0-{args.think} s, {backend}")
    print(f"{'endpoint':36} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in sorted(stats.times):
        t = stats.times[name]
        print(f"{name:36} {len(t):6d} {statistics.median(t):8.1f} {pct(t, 95):8.1f} {pct(t, 99):8.1f} "
              f"{stats.errors.get(name, 0):7d}")
    print(f"errors: {sum(stats.errors.values())}; analyzed answers/s: {answered / seconds:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("STARCOACH_DATABASE_URL"))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=2.0, help="max think time per step (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="starcoach-team-bench-") as tmp:
        home = Path(tmp)
        cohort, emails = setup(home, args.database_url, args.users)
        port = free_port()
        proc = start_server(home, args.database_url, args.workers, port)
        try:
            run(f"http://127.0.0.1:{port}", cohort, emails, args)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)


def run(base: str, cohort: str, emails: list[str], args: argparse.Namespace) -> None:
    stats = Stats()
    clients = [sign_in(base, e, stats) for e in ["coach@bench.example", *emails]]
    stop = time.time() + args.seconds
    answered: list[int] = []
    threads = [threading.Thread(target=coach, args=(clients[0][0], cohort, stats, stop, args.think, random.Random(0)))]
    for i, (c, csrf) in enumerate(clients[1:], start=1):
        threads.append(threading.Thread(target=candidate, args=(c, csrf, stats, stop, args.think, random.Random(i),
                                                                answered)))
    started = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    report(stats, time.time() - started, len(answered), args, backend)
    for c, _ in clients:
        c.close()


if __name__ == "__main__":
    main()
