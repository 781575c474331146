"""Calibrate the overall score's dimension weights on interviewers' ratings of real answers.

Data: ../shared/data/public_rated_answers.jsonl (90 free-form answers from 19 repositories, each rated
1-5 by two interviewers). The overall score stays what scoring.py says: a weighted mean of the seven
dimension values, capped for brevity and quality gates, minus penalties. Only the weights are fitted:
non-negative least squares of the rating on the dimension values, then every dimension keeps a floor
of ``FLOOR`` (so that a STAR coach's score still moves when the result, the "I" or the lesson goes
missing) and the fitted weights share the rest.

Figures are leave-one-repository-out: weights fitted on 18 repositories score the 19th, and Spearman's
rho is taken over all held-out scores, printed beside word count alone and the shipped weights.

Usage:  python training/calibrate_score.py           # figures only
        python training/calibrate_score.py --write   # also write analysis/weights/score_weights.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import nnls
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_data import load_rated, repo_of

from starcoach.analysis import scoring
from starcoach.analysis.embed import default_embedder
from starcoach.analysis.pipeline import gather, score_inputs
from starcoach.analysis.questions import resolve
from starcoach.analysis.types import DIMENSIONS

FLOOR = 0.05
FLOORS: dict[str, float] = {}  # per-dimension floors above FLOOR (none: 0.08 for impact cost 0.014 rho)
OUT = Path(__file__).resolve().parents[1] / "src/starcoach/analysis/weights/score_weights.json"


@dataclasses.dataclass
class Item:
    values: dict[str, float]
    penalties: scoring.Penalties
    gates: tuple[str, ...]
    rating: float
    words: int
    repo: str


def load_items() -> list[Item]:
    emb = default_embedder()
    items = []
    for row in load_rated():
        q = resolve(str(row["question"]))
        answer = str(row["answer"])
        facts, found, _ = gather(answer, q, emb)
        dims, pen, gates = score_inputs(answer, q, facts, found)
        items.append(Item({k: d.value for k, d in dims.items()}, pen,
                          tuple(g for g in gates if g in scoring.GATE_CAPS), float(str(row["rating"])),
                          facts.words, repo_of(str(row["source"]))))
    return items


def fit(items: list[Item]) -> dict[str, float]:
    a = np.array([[it.values[k] for k in DIMENSIONS] + [1.0] for it in items])
    w, _ = nnls(a, np.array([it.rating for it in items]))
    fitted = w[:-1] / max(1e-9, float(w[:-1].sum()))
    floors = {k: FLOORS.get(k, FLOOR) for k in DIMENSIONS}
    share = 1.0 - sum(floors.values())
    return {k: round(floors[k] + share * float(v), 4) for k, v in zip(DIMENSIONS, fitted, strict=True)}


def score(it: Item, weights: dict[str, float]) -> int:
    return scoring.overall(it.values, it.penalties, it.gates, weights)


def loro(items: list[Item]) -> list[int]:
    preds = [0] * len(items)
    for repo in sorted({it.repo for it in items}):
        weights = fit([it for it in items if it.repo != repo])
        for i, it in enumerate(items):
            if it.repo == repo:
                preds[i] = score(it, weights)
    return preds


def rho(x: list[float] | list[int], items: list[Item]) -> float:
    return round(float(spearmanr(x, [it.rating for it in items])[0]), 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the weights fitted on all rated answers")
    args = ap.parse_args()
    items = load_items()
    weights = fit(items)
    report = {
        "n": len(items), "repositories": len({it.repo for it in items}),
        "overall_loro": rho(loro(items), items),
        "overall_shipped_weights_in_sample": rho([score(it, scoring.WEIGHTS) for it in items], items),
        "word_count_alone": rho([it.words for it in items], items),
        "weights_fitted_on_all": weights,
    }
    print(json.dumps(report, indent=1))
    if args.write:
        OUT.write_text(json.dumps(weights, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
