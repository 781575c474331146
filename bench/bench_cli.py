"""Whole-process CLI timings: start-up, listing, and importing a 1,000-question Markdown file.

Prints figures; asserts nothing (machines here are shared and noisy). Run from the repo root
with the project's venv active: ``python bench/bench_cli.py``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15


def starcoach_cmd() -> list[str]:
    exe = shutil.which("starcoach", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "starcoach"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss


def report(name: str, samples: list[tuple[float, int]]) -> None:
    secs = sorted(s for s, _ in samples)
    rss = max(r for _, r in samples)
    print(f"{name:<34} median {statistics.median(secs) * 1000:7.1f} ms   min {secs[0] * 1000:7.1f} ms"
          f"   max {secs[-1] * 1000:7.1f} ms   peak RSS {rss / 1024:6.1f} MiB   ({len(secs)} runs)")


def big_markdown(n: int) -> str:
    parts = ["# Bench bank", "", "> **Topic**: Benchmarks", ""]
    for i in range(1, n + 1):
        parts += [
            f"### {i}. Tell me about a time you handled situation number {i}.",
            "**Answer:**",
            f"*   **Situation**: Service {i} was slow for `region-{i % 7}` users.",
            "*   **Action**: Profiled it, found an N+1 query, added a cache.",
            f"*   **Result**: p95 latency fell {i % 90 + 5}%.",
            "    *   nested detail line",
            "",
        ]
    return "\n".join(parts)


def main() -> None:
    cmd = starcoach_cmd()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STARCOACH_HOME": str(Path(tmp) / "home")}
        timed([*cmd, "questions", "list"], env)  # create and migrate the database once
        report("starcoach --help", [timed([*cmd, "--help"], env) for _ in range(RUNS)])
        report("starcoach questions list", [timed([*cmd, "questions", "list"], env) for _ in range(RUNS)])
        report("starcoach questions search deadline", [timed([*cmd, "questions", "search", "deadline"], env)
                                                       for _ in range(RUNS)])
        md = Path(tmp) / "big.md"
        md.write_text(big_markdown(1000), encoding="utf-8")
        report("starcoach import (1,000 questions)", [timed([*cmd, "import", str(md)], env) for _ in range(5)])


if __name__ == "__main__":
    main()
