"""Real answers from ../shared/data (read at run time, never copied into the repository).

``public_star_answers.jsonl``: answers split by their authors into situation/task/action/result;
``public_rated_answers.jsonl``: free-form answers rated 1-5 by interviewers. Every row names its source
repository, which is the group for leave-repository-out cross-validation: no figure comes from an
author seen in training.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from star_data import ROOT, Answer

SHARED = ROOT.parent / "shared" / "data"
ORDER = ("situation", "task", "action", "result")


def repo_of(source: str) -> str:
    return "/".join(source.split("/")[:2])


def load_public_star(path: Path | None = None) -> list[tuple[str, Answer]]:
    """(repository, Answer) for every labeled public answer; parts joined by a space as users paste."""
    path = path or SHARED / "public_star_answers.jsonl"
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        d = json.loads(line)
        segs = tuple((k, str(d["parts"].get(k) or "").strip()) for k in ORDER)
        segs = tuple((k, t) for k, t in segs if t)
        out.append((repo_of(d["source"]), Answer(f"pub{n:04d}", d["question"], "public", " ", segs)))
    return out


def load_rated(path: Path | None = None) -> list[dict[str, object]]:
    path = path or SHARED / "public_rated_answers.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["repo"] = repo_of(str(r["source"]))
    return rows


def repo_folds(repos: list[str], k: int = 5, seed: int = 3) -> list[set[str]]:
    """Repositories dealt into ``k`` folds of similar answer counts (largest first, fixed seed)."""
    counts: dict[str, int] = {}
    for r in repos:
        counts[r] = counts.get(r, 0) + 1
    names = sorted(counts, key=lambda r: (-counts[r], r))
    rng = random.Random(seed)
    rng.shuffle(names)
    names.sort(key=lambda r: -counts[r])
    folds: list[set[str]] = [set() for _ in range(k)]
    sizes = [0] * k
    for r in names:
        i = sizes.index(min(sizes))
        folds[i].add(r)
        sizes[i] += counts[r]
    return folds
