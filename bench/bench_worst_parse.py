"""Worst-case parse timings: the pathological inputs found for each parser of user files, at two
sizes, so the growth shows whether a parser is linear (x4 size -> about x4 time) or not (x16).

Run: PYTHONPATH=src python bench/bench_worst_parse.py [--scale 1.0]

Prints figures; asserts nothing. Inputs that are refused (a StarcoachError) count: refusing must be
fast too. The largest sizes stay under the 1 MB file limit, scaled by --scale.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from starcoach.errors import StarcoachError


def _stories(text: str) -> None:
    from starcoach.stories.markdown import parse_stories

    parse_stories(text, source="worst.md")


def _bank_md(text: str) -> None:
    from starcoach.bank.markdown import parse_markdown

    parse_markdown(text, source="worst.md")


def _bank_json(text: str) -> None:
    from starcoach.bank.jsonio import loads_banks

    loads_banks(text, source="worst.json")


def _bank_csv(text: str) -> None:
    from starcoach.bank.csvio import loads_csv

    loads_csv(text, source="worst.csv")


def _numbers(text: str) -> None:
    from starcoach.stories.metrics import extract_metrics

    extract_metrics(text)


def _when(text: str) -> None:
    from starcoach.stories.fields import parse_when

    parse_when(text)


def _seed_import(text: str) -> None:
    from starcoach.bank.dedupe import index, link_known
    from starcoach.bank.markdown import parse_markdown
    from starcoach.bank.naming import unique_ids

    bank = parse_markdown(text, source="worst.md").bank
    link_known(bank, index(bank.questions))
    unique_ids(bank.questions)


def _json_bank(n: int) -> str:
    questions = [{"id": "q", "text": "Why?"} for _ in range(n)]
    return json.dumps({"format": "starcoach-bank", "version": 1, "banks": [{"id": "b", "questions": questions}]})


# name, parser, input of size n (n is about the number of repeated units)
CASES: list[tuple[str, Callable[[str], None], Callable[[int], str]]] = [
    ("stories: unclosed '<!--' repeated", _stories, lambda n: "<!--" * n),
    ("stories: '<!-- -->' pairs, no story", _stories, lambda n: "<!-- a -->" * n),
    ("stories: '## T' headings", _stories, lambda n: "## T\n" * n),
    ("stories: one field, long line of '*'", _stories, lambda n: "## T\n- **Situation**: " + "*" * (4 * n)),
    ("stories: '<\\!--' escapes", _stories, lambda n: "## T\n- **Situation**: " + "<\\\\!--" * n),
    ("bank md: '### 1. q?' repeated (same id)", _bank_md, lambda n: "# B\n" + "### 1. q?\n" * (n // 4)),
    ("bank md: nested bullets", _bank_md, lambda n: "# B\n### 1. q?\n**Answer:**\n" + "* a\n  " * (n // 4)),
    ("bank md: '**' runs", _bank_md, lambda n: "# B\n### 1. q?\n**Answer:**\n* " + "**" * n),
    ("bank md: '>' quotes", _bank_md, lambda n: "# B\n" + "> " * n),
    ("bank md: backticks", _bank_md, lambda n: "# B\n### 1. q?\n**Answer:**\n* " + "`" * n),
    ("bank md + dedupe + ids: same question", _seed_import, lambda n: "# Day 1\n" + "### 1. Why?\n* x\n" * (n // 8)),
    ("bank json: 1 question per unit, same id", _bank_json, lambda n: _json_bank(n // 8)),
    ("bank json: nested '['", _bank_json, lambda n: "[" * n),
    ("bank csv: quotes", _bank_csv, lambda n: "text\r\n" + '"' * n),
    ("bank csv: commas", _bank_csv, lambda n: "text\r\n" + "," * n),
    ("story numbers: 'six ' repeated", _numbers, lambda n: "six " * n),
    ("story numbers: '1-' repeated", _numbers, lambda n: "1-" * n),
    ("story When: digits", _when, lambda n: "9" * n),
    ("story When: ' - ' repeated", _when, lambda n: "2020 - " * n),
]


def _time(parse: Callable[[str], None], text: str) -> tuple[float, str]:
    start = time.perf_counter()
    outcome = "parsed"
    try:
        parse(text)
    except StarcoachError:
        outcome = "refused"
    return time.perf_counter() - start, outcome


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the input sizes")
    args = ap.parse_args(argv)
    small, big = int(15_000 * args.scale), int(60_000 * args.scale)
    print(f"{'input':44} {'size':>9} {'time':>9} {'x4 size':>9} {'time':>9} {'growth':>7}  outcome")
    worst: list[tuple[float, str]] = []
    for _, parse, make in CASES:  # warm up: imports and first-call set-up are not parse time
        _time(parse, make(8))
    for name, parse, make in CASES:
        a, b = make(small), make(big)
        ta, _ = _time(parse, a)
        tb, outcome = _time(parse, b)
        growth = tb / ta if ta > 1e-4 else float("nan")
        worst.append((tb, name))
        print(f"{name:44} {len(a):>9,} {ta * 1000:>7.1f}ms {len(b):>9,} {tb * 1000:>7.1f}ms {growth:>6.1f}x  {outcome}")
    slowest, which = max(worst)
    print(f"\nslowest at the larger size: {which}: {slowest:.2f} s")
    return 0




if __name__ == "__main__":
    raise SystemExit(main())
