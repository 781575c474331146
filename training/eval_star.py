"""Evaluate the bundled STAR labeler on the held-out answers (one in five by id hash; never trained on).

    python training/eval_star.py

Prints per-class precision/recall/F1 and macro-F1 (over situation/task/action/result, as the project's
target defines it) on the typed held-out answers and on speech-transcript versions of them, then
missing-part recall: with every Result (or Action) sentence removed, how often `analyze` reports it
missing, and how often a complete answer is wrongly reported as missing its result.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from star_data import LABELS, is_heldout, labeled_sentences, load_answers, speechify

from starcoach.analysis.labeler import load_labeler
from starcoach.analysis.pipeline import analyze

CORE = LABELS[:4]


def report(title: str, gold: list[str], pred: list[str]) -> float:
    print(f"\n{title}: {len(gold)} sentences")
    f1s = []
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        pr, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        if c in CORE:
            f1s.append(f1)
        print(f"  {c:10s} P={pr:.3f} R={rc:.3f} F1={f1:.3f} (n={tp + fn})")
    macro = sum(f1s) / len(f1s)
    print(f"  macro-F1 (S/T/A/R) = {macro:.3f}")
    return macro


def label_all(answers) -> tuple[list[str], list[str]]:
    lab = load_labeler()
    gold, pred = [], []
    for a in answers:
        sents, g = labeled_sentences(*a.compose())
        gold.extend(g)
        pred.extend(lbl for lbl, _ in lab.run(sents)[0])
    return gold, pred


def missing_recall(answers) -> None:
    rec_r, rec_a, false_r, false_a = [], [], [], []
    for a in answers:
        parts = a.parts()
        full = analyze(a.compose()[0], a.question)
        if "result" in parts:
            false_r.append("result" in full.missing)
        if "action" in parts:
            false_a.append("action" in full.missing)
        if "result" in parts and "action" in parts:
            rec_r.append("result" in analyze(a.compose(("result",))[0], a.question).missing)
            rec_a.append("action" in analyze(a.compose(("action",))[0], a.question).missing)
    m = lambda xs: sum(xs) / max(1, len(xs))  # noqa: E731
    print(f"\nmissing result recall {m(rec_r):.3f} (n={len(rec_r)}), missing action recall {m(rec_a):.3f} "
          f"(n={len(rec_a)}), wrongly missing on complete answers: result {m(false_r):.3f}, "
          f"action {m(false_a):.3f}")


def main() -> None:
    held = [a for a in load_answers() if is_heldout(a.id)]
    print(f"held-out answers: {len(held)}")
    report("held-out, as written", *label_all(held))
    rng = random.Random(99)
    report("held-out, as speech transcripts", *label_all([speechify(a, rng) for a in held]))
    missing_recall(held)


if __name__ == "__main__":
    main()
