"""Web app latency on this machine: the practice page and the analyze API under 8 concurrent clients.

Starts ``starcoach serve --port 0 --no-browser`` on loopback with a temporary data dir, then runs a
small asyncio load generator (httpx, one connection per client) for a fixed time per phase and
prints p50/p95/p99 latency, throughput and errors. With Chromium and Playwright installed it also
measures the practice page's load in a real browser (navigation start to the load event).

Prints figures; asserts nothing. The load generator runs on the same 2 cores as the server, so the
figures are an upper bound on what the server alone needs. Run from the repo root with the venv
active: ``python bench/bench_web.py [--seconds 10] [--clients 8]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ANSWER = (
    "Last year at a fintech startup our team disagreed about the schema of the payments API. Two senior "
    "engineers wanted to keep the old nested format because three mobile clients depended on it, while I "
    "believed a flat schema would cut latency and make the contract easier to test. I owned the payments "
    "service and had to get everyone aligned before the Friday release, so the stakes were real. First I "
    "met my colleague one to one and restated her concerns until she agreed I had them right: she was "
    "worried about breaking the clients, not about the design itself. Then I built a quick benchmark of "
    "both designs against a copy of production traffic and shared the numbers in our design channel. I "
    "also wrote a compatibility shim so the old clients could keep working for one more release. As a "
    "result we shipped the new schema two weeks early, p95 latency dropped by 30%, and we had zero client "
    "incidents during the migration. I learned to bring data into a disagreement early instead of arguing "
    "opinions, and my colleague and I still pair on API reviews every week."
)
CHROMIUM = Path("/usr/bin/chromium")
NAV_TIME = "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()"


@contextmanager
def server() -> Iterator[tuple[str, str]]:
    """(base URL, token) of a fresh ``starcoach serve`` on a free loopback port."""
    home = tempfile.mkdtemp(prefix="starcoach-bench-web-")
    env = {**os.environ, "STARCOACH_HOME": home, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "starcoach", "serve", "--port", "0", "--no-browser"]
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        link = ""
        while not link:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"server did not start: {proc.stderr.read() if proc.stderr else ''}")
            if "token=" in line:
                link = line.split()[-1]
        base, token = link.split("/?token=")
        try:
            yield base, token
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def client_loop(
    make: Callable[[httpx.AsyncClient], Any],
    base: str,
    token: str,
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            r = await make(client)
            latencies.append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors.append(r.status_code)


async def load(
    name: str, make: Callable[[httpx.AsyncClient], Any], base: str, token: str, clients: int, seconds: float
) -> None:
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(make, base, token, deadline, latencies, errors) for _ in range(clients)))
    wall = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    print(
        f"{name:<44} p50 {pct(ms, 0.5):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms   p99 {pct(ms, 0.99):7.1f} ms"
        f"   {len(ms) / wall:6.1f} req/s   {len(ms)} requests, {len(errors)} errors ({clients} clients)"
    )


def browser_page_load(base: str, token: str, runs: int = 15) -> None:
    """Navigation start to load event of the practice page in headless Chromium (p50, p95)."""
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        print("browser page load: skipped (playwright is not installed)")
        return
    if not CHROMIUM.exists():
        print("browser page load: skipped (no /usr/bin/chromium)")
        return
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.goto(f"{base}/?token={token}")
        page.wait_for_url(f"{base}/practice")
        timings = []
        for _ in range(runs):
            page.goto(f"{base}/practice?q=conflict-coworker", wait_until="load")
            timings.append(page.evaluate(NAV_TIME))
        browser.close()
    print(
        f"{'practice page in Chromium (nav -> load)':<44} p50 {statistics.median(timings):7.1f} ms"
        f"   p95 {pct(timings, 0.95):7.1f} ms   ({runs} loads, one tab, idle server)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each load phase")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    words = len(ANSWER.split())
    with server() as (base, token):
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as warm:
            warm.get("/practice")  # first request opens the database
            warm.post("/api/analyze", json={"answer": ANSWER, "question": "conflict-coworker"})

        async def page(c: httpx.AsyncClient) -> Any:
            return await c.get("/practice", params={"q": "conflict-coworker"})

        async def chosen(c: httpx.AsyncClient) -> Any:
            return await c.get("/practice")

        async def analyze(c: httpx.AsyncClient) -> Any:
            return await c.post("/api/analyze", json={"answer": ANSWER, "question": "conflict-coworker"})

        print(
            f"starcoach web bench: {args.clients} concurrent clients, {args.seconds:g} s per phase, "
            f"{os.cpu_count()} CPUs, answer of {words} words"
        )
        for name, make, n in (
            ("GET /practice?q=ID (1 client)", page, 1),
            ("GET /practice?q=ID", page, args.clients),
            ("GET /practice (question chosen)", chosen, args.clients),
            ("POST /api/analyze (1 client)", analyze, 1),
            ("POST /api/analyze", analyze, args.clients),
        ):
            asyncio.run(load(name, make, base, token, n, args.seconds))
        browser_page_load(base, token)


if __name__ == "__main__":
    main()
