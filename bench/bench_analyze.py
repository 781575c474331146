"""Benchmark the answer analyzer; prints figures, asserts nothing.

    python bench/bench_analyze.py

1. whole-process `starcoach analyze FILE --json` on a ~300-word answer (median of 5 runs);
2. warm in-process analyze(): p50/p95 over the answers in data/star (first call excluded), and the
   CPU time per answer (process time, so other load on the machine inflates it less than wall time);
3. `starcoach analyze --batch`: answers per second over 200 answers, start-up included, with the
   default worker count (one per CPU) and with STARCOACH_JOBS=1; and over all the distinct answers
   in data/star (about 490), where start-up weighs less;
4. installed size of the default dependencies (the package's own requirement closure, no extras).

The package's modules are byte-compiled first, as pip does when it installs a wheel: with
PYTHONDONTWRITEBYTECODE set (as in some shells and CI) an editable checkout would otherwise compile
every module from source in every process, which is not what a user's install does.
"""

from __future__ import annotations

import compileall
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
ANSWER_300 = (
    "In my second year at a logistics startup, our nightly route-planning job started missing its "
    "six a.m. deadline about twice a week. Drivers would show up at the depot with no routes, and the "
    "operations team had to plan by hand, which cost us roughly two hours of driving time per missed "
    "night. I was the newest engineer on the data team, but I had written part of the job, so my lead "
    "asked me to find out why it was slow and fix it before peak season, which was six weeks away. "
    "I started by adding timing logs to every stage and ran the job against a copy of a bad night's "
    "data. Most of the time went into one step that loaded every historical delivery from Postgres to "
    "estimate travel times, even though only the last ninety days mattered. I rewrote that query to use "
    "a date filter and an index, and I moved the travel-time estimates into a small cache table that "
    "we refreshed once a day instead of on every run. Because the job was shared with the pricing team, "
    "I wrote a short design note, walked their lead through the change, and we agreed on a week of "
    "running both versions side by side to compare the routes. The new version produced the same "
    "routes and finished in 40 minutes instead of three and a half hours. We did not miss a single "
    "deadline during peak season, and the operations team stopped keeping a manual backup plan. "
    "What I took from it is to measure before guessing: I had assumed the solver was the problem, and "
    "I would have spent weeks on the wrong part."
)


def whole_process(runs: int = 5) -> list[float]:
    exe = Path(sys.executable).with_name("starcoach")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write(ANSWER_300)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "analyze", fh.name, "--question", "Tell me about a time you fixed a "
                        "performance problem.", "--json"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def corpus() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "data" / "star").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            out.append((d["question"], d.get("sep", " ").join(s["text"] for s in d["segments"])))
    return out


def warm(items: list[tuple[str, str]]) -> tuple[list[float], float]:
    """Wall time of each analysis, and the mean CPU (process) time per analysis."""
    from starcoach.analysis.pipeline import analyze

    analyze(ANSWER_300, "Tell me about a time you fixed a performance problem.")
    times = []
    cpu0 = time.process_time()
    for q, a in items:
        t0 = time.perf_counter()
        analyze(a, q)
        times.append(time.perf_counter() - t0)
    return times, (time.process_time() - cpu0) / max(1, len(items))


def write_batch_input(items: list[tuple[str, str]], fh: TextIO) -> None:
    """The JSON lines `starcoach analyze --batch` reads, ids in order."""
    for i, (q, a) in enumerate(items):
        fh.write(json.dumps({"id": str(i), "question": q, "answer": a}) + "\n")


def batch_env(jobs: str | None) -> dict[str, str]:
    """This environment with STARCOACH_JOBS set to ``jobs`` (or unset: the default number of workers)."""
    env = dict(os.environ)
    env.pop("STARCOACH_JOBS", None)
    if jobs is not None:
        env["STARCOACH_JOBS"] = jobs
    return env


def batch(items: list[tuple[str, str]], jobs: str | None = None) -> float:
    exe = Path(sys.executable).with_name("starcoach")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        write_batch_input(items, fh)
    env = batch_env(jobs)
    t0 = time.perf_counter()
    cpu0 = _children_cpu()
    subprocess.run([str(exe), "analyze", "--batch", fh.name], check=True, capture_output=True, env=env)
    wall = time.perf_counter() - t0
    print(f"  (batch of {len(items)}, jobs={jobs or 'default'}: {wall:.2f} s wall, "
          f"{_children_cpu() - cpu0:.2f} s CPU in all its processes)")
    return len(items) / wall


def _children_cpu() -> float:
    """User + system seconds of the finished child processes (the command and its workers)."""
    import resource

    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def byte_compile() -> None:
    import starcoach

    compileall.compile_dir(str(Path(starcoach.__file__).parent), quiet=1)


def dist_size(name: str) -> int:
    try:
        files = metadata.distribution(name).files or []
    except metadata.PackageNotFoundError:
        return 0
    total = 0
    for f in files:
        with contextlib.suppress(OSError):
            total += Path(str(f.locate())).stat().st_size
    return total


def closure(root: str) -> list[str]:
    seen: dict[str, None] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen[key] = None
        try:
            reqs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for r in reqs:
            if "extra ==" in r:
                continue
            m = re.match(r"[A-Za-z0-9_.\-]+", r)
            if m:
                todo.append(m.group(0))
    return sorted(seen)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    print(f"before: {load()}")
    byte_compile()
    w = whole_process()
    print(f"whole process, 300-word answer: median {statistics.median(w):.3f} s (runs: "
          + ", ".join(f"{t:.2f}" for t in w) + ")")
    items = corpus()
    walls, cpu = warm(items)
    times = sorted(walls)
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
    print(f"warm in-process over {len(times)} answers: p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, "
          f"CPU {cpu * 1000:.2f} ms per answer")
    print(f"batch: {batch(items[:200]):.1f} answers/s ({os.cpu_count()} CPUs; one process: "
          f"{batch(items[:200], '1'):.1f} answers/s)")
    print(f"batch over all {len(items)} answers: {batch(items):.1f} answers/s")
    print(f"after: {load()}")
    deps = closure("starcoach")
    sizes = {d: dist_size(d) for d in deps}
    total = sum(sizes.values())
    print(f"installed size of default deps ({len(deps)} distributions): {total / 1e6:.1f} MB")
    for d, s in sorted(sizes.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {d:24s} {s / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
