"""The question-type phrasings in data/question_types/<split>/<type>.txt (one question a line; '#' comments).

The dev split is for training and tuning; the held-out split was written before any tuning and is only
evaluated on (training/eval_question_types.py, tests/test_question_types.py).
"""

from __future__ import annotations

from pathlib import Path

from starcoach.bank.qtypes import CLASSES

DATA = Path(__file__).resolve().parent.parent / "data" / "question_types"
SPLITS = ("dev", "heldout")


def load_split(split: str) -> list[tuple[str, str]]:
    """(question, type) pairs of one split, in file order, types in CLASSES order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (known: {', '.join(SPLITS)})")
    pairs: list[tuple[str, str]] = []
    for qtype in CLASSES:
        path = DATA / split / f"{qtype.value}.txt"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                pairs.append((line.strip(), qtype.value))
    return pairs
