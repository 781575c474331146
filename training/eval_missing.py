"""Missing-part figures on real answers by authors never seen in training (leave-repository-out).

    python training/eval_missing.py

Per fold of public repositories: the labeler's emissions and chain are refitted without the fold (our
answers plus the other folds' public answers), the shipped presence detectors are reused (refitting them
per fold needs five inner fits each), and the fold's answers are decoded complete, with the result
removed and with the actions removed. Prints how often a complete answer is called incomplete (false
missing) and how often a removed part is caught, next to the plain rule "missing when no sentence is
labeled with it".
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labeler_fit import emission_arrays
from real_data import load_public_star, repo_folds
from star_data import examples

from starcoach.analysis.labeler import StarLabeler, load_labeler
from starcoach.analysis.segment import split_sentences


def decode(lab: StarLabeler, text: str) -> tuple[set[str], dict[str, float]]:
    sents = [s.text for s in split_sentences(text)]
    labels, presence = lab.run(sents)
    return {lbl for lbl, _c in labels}, presence


def main() -> None:
    pub = load_public_star()
    from star_data import is_heldout, load_answers

    ours = [a for a in load_answers() if not is_heldout(a.id)]
    shipped = load_labeler()
    counts = {k: [0, 0] for k in ("false_result", "false_action", "caught_result", "caught_action",
                                  "rule_false_result", "rule_false_action", "rule_caught_result",
                                  "rule_caught_action")}
    for fi, fold in enumerate(repo_folds([r for r, _ in pub])):
        train = ours + [a for r, a in pub if r not in fold]
        arrays = emission_arrays(examples(train, augment=True))
        arrays.update({k: v for k, v in _presence_arrays(shipped).items()})
        lab = StarLabeler.from_arrays(arrays)
        for r, a in pub:
            if r not in fold or not {"action", "result"} <= a.parts():
                continue
            for drop in ((), ("result",), ("action",)):
                text = a.compose(drop)[0]
                path, presence = decode(lab, text)
                for part in ("result", "action"):
                    said = presence[part] < 0.5
                    rule = part not in path
                    key = "false" if not drop else ("caught" if drop == (part,) else None)
                    if key is None:
                        continue
                    counts[f"{key}_{part}"][0] += said
                    counts[f"{key}_{part}"][1] += 1
                    counts[f"rule_{key}_{part}"][0] += rule
                    counts[f"rule_{key}_{part}"][1] += 1
        print(f"fold {fi + 1}/5 done", flush=True)
    for k, (hit, n) in counts.items():
        print(f"{k:22s} {hit / max(1, n):.3f}  (n={n})")


def _presence_arrays(lab: StarLabeler) -> dict[str, object]:
    import numpy as np

    return {f"presence_{p}": np.asarray([*w, b, t]) for p, (w, b, t) in lab.presence_w.items()}


if __name__ == "__main__":
    main()
