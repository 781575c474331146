"""Benchmark the relevance model; prints figures, asserts nothing.

    python bench/bench_relevance.py

1. first relevance() call in a fresh process after the model and embedder are loaded: what building
   (or reading) the built-in bank's question matrix adds to a cold `starcoach analyze`;
2. warm relevance() per answer: p50/p95 over the answers in data/star (their own questions).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "data" / "star").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            out.append((d["question"], d.get("sep", " ").join(s["text"] for s in d["segments"])))
    return out


def main() -> None:
    from starcoach.analysis.embed import default_embedder
    from starcoach.analysis.questions import resolve
    from starcoach.analysis.relevance import load_map, relevance

    emb = default_embedder()
    if emb is None or load_map() is None:
        print("no embedder or relevance model installed: nothing to measure")
        sys.exit(0)
    items = [(resolve(q), a) for q, a in corpus()]
    emb.embed([items[0][1]])  # the embedder's own first-call cost is not the relevance model's
    t0 = time.perf_counter()
    relevance(items[0][1], items[0][0], emb)
    first = time.perf_counter() - t0
    relevance(items[1][1], items[1][0], emb)
    times = []
    for q, a in items:
        t0 = time.perf_counter()
        relevance(a, q, emb)
        times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"first relevance() call in a process (bank matrix included): {first * 1000:.1f} ms")
    print(f"warm relevance() per answer over {len(times)} answers: p50 {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms")


if __name__ == "__main__":
    main()
