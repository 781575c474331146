"""Fit the answer->question map used by the relevance check and write it into the package.

    python training/train_relevance.py     # writes src/starcoach/analysis/weights/relevance.npz

Static sentence vectors of a long answer and a short question live in different regions of the
space, so raw cosine ranks the right question above a random other one only ~71% of the time
(question-disjoint 5-fold CV on data/star). A ridge regression from centred answer vectors to centred
question vectors (lambda=30), fitted on the training split only, raises that to ~77%. Saved: the two
centring means and the map, as float32 (deterministic: closed-form solution, sorted inputs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from star_data import ROOT, is_heldout, load_answers

from starcoach.analysis.embed import load_wordllama
from starcoach.bank.builtin import builtin_bank

OUT = ROOT / "src" / "starcoach" / "analysis" / "weights" / "relevance.npz"
LAMBDA = 30.0


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def main() -> None:
    emb = load_wordllama()
    train = [a for a in load_answers() if not is_heldout(a.id)]
    a_vecs = emb.embed([a.compose()[0] for a in train])
    q_vecs = emb.embed([a.question for a in train])
    q_mean = emb.embed([q.text for q in builtin_bank().questions]).mean(axis=0)
    a_mean = a_vecs.mean(axis=0)
    xa, xq = unit(a_vecs - a_mean), unit(q_vecs - q_mean)
    w = np.linalg.solve(xa.T @ xa + LAMBDA * np.eye(xa.shape[1]), xa.T @ xq)
    np.savez_compressed(OUT, answer_mean=a_mean.astype(np.float32), question_mean=q_mean.astype(np.float32),
                        map=w.astype(np.float32))
    print(f"fitted on {len(train)} answers; wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
