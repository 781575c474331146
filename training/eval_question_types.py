"""How well questions are typed: the trained classifier next to the old rules.

    python training/eval_question_types.py        # or: make eval-qtypes

Prints, for the held-out phrasings (data/question_types/heldout, never trained on): accuracy per type
and a confusion matrix, for the classifier (starcoach.bank.qtypes) and for the rule baseline (a frozen
copy of the old classify.py, training/qtype_baseline.py). Then two checks on questions written by
other people: the `question` fields of ../shared/data/public_rated_answers.jsonl, typed by hand in
training/qtype_real_labels.json (keyed by the first 12 hex digits of each question's SHA-1, so no text
is committed), and the bundled bank's questions against their stored types (the classifier alone,
then `analysis.questions.resolve`, which uses the stored type). Finally the classifier's speed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qtype_baseline import rule_type, rule_type_with_knowledge
from qtype_data import load_split

from starcoach.analysis.questions import resolve
from starcoach.bank.builtin import builtin_bank
from starcoach.bank.qtypes import CLASSES, guess_type, load_model

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "shared" / "data" / "public_rated_answers.jsonl"
REAL_LABELS = HERE / "qtype_real_labels.json"
NAMES = [c.value for c in CLASSES]
Classifier = Callable[[str], str]


def model(text: str) -> str:
    return guess_type(text).type.value


def report(title: str, pairs: list[tuple[str, str]], classify: Classifier) -> dict[str, float]:
    """Accuracy per type and a confusion matrix (rows: true type, columns: predicted)."""
    conf = {t: dict.fromkeys(NAMES, 0) for t in NAMES}
    for text, gold in pairs:
        conf[gold][classify(text)] += 1
    present = [t for t in NAMES if sum(conf[t].values())]
    per = {t: conf[t][t] / sum(conf[t].values()) for t in present}
    total = sum(conf[t][t] for t in present) / len(pairs)
    print(f"\n{title}: {len(pairs)} questions, accuracy {total:.3f}")
    print("  per type: " + "  ".join(f"{t} {per[t]:.3f} (n={sum(conf[t].values())})" for t in present))
    print("  true \\ predicted " + "".join(f"{t[:9]:>10s}" for t in NAMES))
    for t in present:
        print(f"  {t:16s} " + "".join(f"{conf[t][p]:10d}" for p in NAMES))
    return per


def real_pairs() -> list[tuple[str, str]]:
    """The shared real questions with the types written in qtype_real_labels.json (unique questions)."""
    if not REAL.exists():
        print(f"\n(skipped the real-question check: {REAL} not found)")
        return []
    labels = json.loads(REAL_LABELS.read_text(encoding="utf-8"))
    questions = sorted({json.loads(line)["question"] for line in REAL.read_text(encoding="utf-8").splitlines()
                        if line.strip()})
    pairs = [(q, labels[hashlib.sha1(q.encode()).hexdigest()[:12]]) for q in questions
             if hashlib.sha1(q.encode()).hexdigest()[:12] in labels]
    if len(pairs) < len(questions):
        print(f"  ({len(questions) - len(pairs)} real questions have no label and are left out)")
    return pairs


def speed() -> None:
    texts = [t for t, _ in load_split("heldout")]
    model = load_model()  # its guess, not guess_type, which remembers each text
    start = time.perf_counter()
    for _ in range(5):
        for t in texts:
            model.guess(t)
    per = (time.perf_counter() - start) / (5 * len(texts))
    print(f"\nspeed: {per * 1e6:.0f} microseconds per question (mean over {5 * len(texts)} calls, warm)")


def main() -> None:
    held = load_split("heldout")
    report("HELD-OUT, classifier (bank.qtypes)", held, model)
    report("HELD-OUT, rule baseline as free text was typed (old question_type)", held, rule_type)
    report("HELD-OUT, rule baseline with the old is_technical -> knowledge", held, rule_type_with_knowledge)
    real = real_pairs()
    if real:
        report("REAL questions (shared/public_rated_answers), classifier", real, model)
        report("REAL questions (shared/public_rated_answers), rule baseline", real, rule_type)
    bank = [(q.text, q.type.value) for q in builtin_bank().questions]
    report("BANK questions vs stored types, classifier alone", bank, model)
    report("BANK questions vs stored types, rule baseline", bank, rule_type)
    kept = sum(resolve(text).type == gold for text, gold in bank)
    print(f"\nBANK questions through analysis.questions.resolve: {kept}/{len(bank)} keep their stored type")
    speed()


if __name__ == "__main__":
    main()
