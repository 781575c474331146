"""Speed of typing a free-text question (starcoach.bank.qtypes) and of resolving it for the analyzer.

Run: PYTHONPATH=src python bench/bench_qtypes.py [--repeat 5]

Prints figures; asserts nothing. Questions: the held-out phrasings in data/question_types/heldout.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from starcoach.analysis.questions import _resolve_text, resolve
from starcoach.bank.classify import competencies
from starcoach.bank.qtypes import guess_type, load_model

HELDOUT = Path(__file__).resolve().parent.parent / "data" / "question_types" / "heldout"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [line.strip() for f in sorted(HELDOUT.glob("*.txt"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    load_model()
    print(f"load weights: {(time.perf_counter() - start) * 1e3:.1f} ms")
    model = load_model()
    # guess_type, competencies and resolve remember each text; clearing their caches before every round times the
    # first sight of a question, which is what a new question costs
    for name, fn in (("classifier", model.guess), ("resolve (bank match + near match + classifier)", resolve)):
        fn(texts[0])
        times = []
        for _ in range(args.repeat):
            guess_type.cache_clear()
            _resolve_text.cache_clear()
            competencies.cache_clear()
            for t in texts:
                t0 = time.perf_counter()
                fn(t)
                times.append(time.perf_counter() - t0)
        times.sort()
        p99 = times[int(0.99 * len(times))]
        print(f"{name}: p50 {statistics.median(times) * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us "
              f"over {len(times)} calls")


if __name__ == "__main__":
    main()
