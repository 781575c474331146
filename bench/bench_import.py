"""Time and memory to import a large seed-format Markdown bank (and to write it back out).

Run: PYTHONPATH=src python bench/bench_import.py [--questions 1000] [--repeat 5]

Prints figures; asserts nothing. The document is generated (fixed seed) with the variety real
files have: labeled and plain bullets, nested bullets, fenced code, tables and inline math.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import tracemalloc

from starcoach.bank.csvio import dumps_csv, loads_csv
from starcoach.bank.jsonio import dumps_banks, loads_banks
from starcoach.bank.markdown import parse_markdown, to_markdown

_OPENERS = ("Tell me about a time you", "How do you", "Describe a situation where you", "What is")
_TOPICS = ("handled a conflict", "missed a deadline", "led a migration", "explain p-values", "fixed a leak")
_LABELS = ("Situation", "Task", "Action", "Result", "Key")


def _answer(rng: random.Random) -> list[str]:
    kind = rng.randrange(4)
    if kind == 0:
        return [f"*   **{label}**: step {rng.randrange(99)} with `code` and $x^2$." for label in _LABELS[:4]]
    if kind == 1:
        return ["*   Plain point one.", "    *   nested detail", "*   Plain point two."]
    if kind == 2:
        return ["*   **Code**:", "    ```python", "    def f(x):", "        return x * 2", "    ```"]
    row = f"| {rng.randrange(9)} | {rng.randrange(9)} |"
    return ["| a | b |", "|---|---|", row, "", "Closing paragraph."]


def make_document(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["# Generated Bank", "", "> **Topic**: Benchmark", "> **Focus**: Size", ""]
    for i in range(1, n + 1):
        lines.append(f"### {i}. {rng.choice(_OPENERS)} {rng.choice(_TOPICS)} (case {i})?")
        lines.append("**Answer:**")
        lines.extend(_answer(rng))
        lines.append("")
    return "\n".join(lines)


def _best_and_median(fn: object, repeat: int) -> tuple[float, float]:
    assert callable(fn)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    doc = make_document(args.questions)
    print(f"document: {args.questions} questions, {doc.count(chr(10)) + 1} lines, {len(doc) / 1024:.0f} KiB")

    parse = lambda: parse_markdown(doc, source="bench.md")  # noqa: E731
    bank = parse().bank  # warm-up (builds the markdown-it parser once)
    points = sum(len(q.points) for q in bank.questions)
    print(f"parsed: {len(bank.questions)} questions, {points} points")
    best, med = _best_and_median(parse, args.repeat)
    print(f"parse_markdown: best {best * 1000:.0f} ms, median {med * 1000:.0f} ms ({args.repeat} runs)")
    best, med = _best_and_median(lambda: to_markdown(bank), args.repeat)
    print(f"to_markdown:    best {best * 1000:.0f} ms, median {med * 1000:.0f} ms")
    js, cs = dumps_banks([bank]), dumps_csv([bank])
    best, _ = _best_and_median(lambda: loads_banks(js, source="b.json"), args.repeat)
    print(f"loads_banks (JSON, {len(js) / 1024:.0f} KiB): best {best * 1000:.0f} ms")
    best, _ = _best_and_median(lambda: loads_csv(cs, source="b.csv"), args.repeat)
    print(f"loads_csv (CSV, {len(cs) / 1024:.0f} KiB):   best {best * 1000:.0f} ms")

    tracemalloc.start()
    parse()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"parse_markdown peak Python allocations (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"process max RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
