"""Benchmark the relevance model; prints figures, asserts nothing.

    python bench/bench_relevance.py

1. first relevance() call in a fresh process after the model and embedder are loaded: what building
   (or reading) the built-in bank's question matrix adds to a cold `starcoach analyze`;
2. warm relevance() per answer: p50/p95 over the answers in data/star (their own questions), once
   with everything and once with the answer's topic-cue scan done beforehand (analyze() shares that
   scan with its other checks, so the second figure is what relevance adds on its own).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import corpus


def main() -> None:
    from starcoach.analysis.embed import default_embedder
    from starcoach.analysis.questions import resolve
    from starcoach.analysis.relevance import load_map, relevance
    from starcoach.analysis.topics import answer_topics

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
    times, own = [], []
    for q, a in items:
        t0 = time.perf_counter()
        relevance(a, q, emb)
        times.append(time.perf_counter() - t0)
        answer_topics(a + " ")  # a new text: its cue scan is not cached yet
        t0 = time.perf_counter()
        relevance(a + " ", q, emb)
        own.append(time.perf_counter() - t0)
    print(f"first relevance() call in a process (bank matrix included): {first * 1000:.1f} ms")
    for name, xs in (("with the topic-cue scan", times), ("scan shared with analyze()", own)):
        xs.sort()
        print(f"warm relevance() per answer over {len(xs)} answers, {name}: p50 {statistics.median(xs) * 1000:.2f} ms, "
              f"p95 {xs[int(0.95 * (len(xs) - 1))] * 1000:.2f} ms")

if __name__ == "__main__":
    main()
