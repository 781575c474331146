"""Check that a speed change left the analyzer's output byte-identical; prints what differs.

    python bench/check_identical.py save    # before the change: write bench/out/identical/*
    python bench/check_identical.py check   # after it: compare, exit 1 on any difference

The answers are real ones read at run time from ../shared/data (the public STAR answers composed as
text with their question, as training/real_data.py does, and the rated free-form answers), plus our
own data/star answers; nothing of theirs is written into the repository (bench/out/ is ignored).
Three outputs are kept: ``starcoach analyze --json`` as a whole process for every public STAR answer
(the console script, as a user runs it), and ``starcoach analyze --batch`` over all answers with one
job and with the default job count (the two must also agree with each other).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out" / "identical"
ORDER = ("situation", "task", "action", "result")
EXE = Path(sys.executable).with_name("starcoach")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import batch_env, corpus, write_batch_input  # noqa: E402  (the bench's own helpers)


def public_star() -> list[tuple[str, str]]:
    out = []
    for line in (SHARED / "public_star_answers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            parts = [str(d["parts"].get(k) or "").strip() for k in ORDER]
            out.append((d["question"], " ".join(p for p in parts if p)))
    return out


def others() -> list[tuple[str, str]]:
    out = []
    for line in (SHARED / "public_rated_answers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append((d["question"], d["answer"]))
    return out + corpus()


def one_process(item: tuple[str, str]) -> bytes:
    q, a = item
    run = subprocess.run([str(EXE), "analyze", "-", "--question", q, "--json"], input=a.encode(),
                         capture_output=True, check=False)
    return run.stdout + f"exit {run.returncode}\n".encode() + run.stderr


def whole_process(items: list[tuple[str, str]]) -> bytes:
    with ThreadPoolExecutor(2) as pool:  # two processes at a time: the machine has two cores
        return b"".join(pool.map(one_process, items))


def batch(items: list[tuple[str, str]], jobs: str | None) -> bytes:
    path = OUT / "batch-input.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        write_batch_input(items, fh)
    run = subprocess.run([str(EXE), "analyze", "--batch", str(path)], capture_output=True, env=batch_env(jobs),
                         check=False)
    return run.stdout + f"exit {run.returncode}\n".encode() + run.stderr


def outputs() -> dict[str, bytes]:
    star = public_star()
    every = star + others()
    return {"whole-process.out": whole_process(star), "batch-1.out": batch(every, "1"),
            "batch-default.out": batch(every, None)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=("save", "check"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    got = outputs()
    if args.mode == "save":
        for name, data in got.items():
            (OUT / name).write_bytes(data)
            print(f"saved {name}: {len(data.splitlines())} lines, {len(data)} bytes")
        return 0
    bad = 0
    for name, data in got.items():
        ref = (OUT / name).read_bytes()
        same = ref == data
        bad += not same
        print(f"{name}: {'identical' if same else 'DIFFERENT'} ({len(data)} bytes, reference {len(ref)})")
    if got["batch-1.out"] != got["batch-default.out"]:
        bad += 1
        print("batch with one job and with the default job count DIFFER")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
