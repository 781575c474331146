"""Check the scorer's behaviour on the held-out answers (never trained on) and their perturbations.

    python training/eval_scoring.py

For every held-out answer with a situation, action and result it builds weaker versions (result
removed, numbers blurred, "I" turned into "we", a blame sentence added, fillers added, the answer moved
to another question) and adversarial non-answers (word salad, buzzword lists, one-liners, the question
copied back), then prints how often the original outscores each weaker version, whether the
adversarial ones land in the bottom fifth of the originals' scores, and missing-part recall.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from star_data import Answer, is_heldout, load_answers, speechify

from starcoach.analysis.pipeline import analyze

NUM = re.compile(r"[$]?\d[\d,.]*\s*(?:%|percent|x|k|ms|hours?|days?|weeks?|minutes?|months?)?", re.I)
BLAME = (
    "To be fair, the whole mess happened because my teammates were lazy and nobody else cared.",
    "Honestly my manager was clueless and the other team kept dropping the ball.",
    "It was really their fault, they never listened to anything I said.",
)
STUFFED = (
    "Situation, task, action, result. I showed leadership, ownership and teamwork with strong "
    "communication, stakeholders alignment and data-driven impact. Growth mindset, collaboration, results.",
    "Leadership. Ownership. Customer obsession. Teamwork and collaboration with stakeholders, driving "
    "impact, delivering results, learning and growth, communication, metrics, innovation, excellence.",
)
ONE_LINERS = ("I handled it well and it worked out fine.", "We fixed it quickly and everyone was happy.",
              "I just talked to them and it was resolved.", "I don't really have an example of that.")


def to_we(s: str) -> str:
    for a, b in ((r"\bI\b", "we"), (r"\bmy\b", "our"), (r"\bme\b", "us"), (r"\bI'm\b", "we're"),
                 (r"\bI've\b", "we've"), (r"\bmyself\b", "ourselves"), (r"\bMy\b", "Our")):
        s = re.sub(a, b, s)
    return s


def replace_part(a: Answer, part: str, fn) -> Answer:
    return Answer(a.id, a.question, a.style, a.sep, tuple((s, fn(t) if s == part else t) for s, t in a.segments))


def add_fillers(text: str) -> str:
    return " ".join(w + (" uh, you know," if i % 7 == 6 else "") for i, w in enumerate(text.split()))


def main() -> None:
    rng = random.Random(5)
    held = [a for a in load_answers() if is_heldout(a.id)]
    full = [a for a in held if {"situation", "action", "result"} <= a.parts()]
    questions = sorted({a.question for a in held})
    prefer: dict[str, list[bool]] = {}
    scores, adv, miss_r, miss_a, false_r, false_a, f_speech = [], [], [], [], [], [], []
    salad_words = " ".join(t for a in full for s, t in a.segments if s == "action").split()
    for a in full:
        q, text = a.question, a.compose()[0]
        base = analyze(text, q)
        assert analyze(text, q).to_dict() == base.to_dict(), "non-deterministic"
        scores.append(base.score)
        false_r.append("result" in base.missing)
        false_a.append("action" in base.missing)
        f_speech.append(analyze(speechify(a, rng).compose()[0], q).score)
        miss_r.append("result" in analyze(a.compose(("result",))[0], q).missing)
        miss_a.append("action" in analyze(a.compose(("action",))[0], q).missing)
        variants = {"nores": a.compose(("result",))[0], "fillers": add_fillers(text)}
        res = " ".join(t for s, t in a.segments if s == "result")
        if re.search(r"\d", res):
            variants["blur"] = replace_part(a, "result", lambda t: NUM.sub("some", t)).compose()[0]
        variants["blame"] = replace_part(a, "action", lambda t: t.rstrip() + " " + rng.choice(BLAME)).compose()[0]
        for kind, v in variants.items():
            prefer.setdefault(kind, []).append(base.score > analyze(v, q).score)
        other = rng.choice([x for x in questions if x != q])
        prefer.setdefault("offtopic", []).append(base.score > analyze(text, other).score)
        act = " ".join(t for s, t in a.segments if s == "action")
        if len(re.findall(r"\bI\b", act)) >= 2:
            we = analyze(replace_part(a, "action", to_we).compose()[0], q)
            prefer.setdefault("we-ownership", []).append(
                base.dimensions["ownership"].score > we.dimensions["ownership"].score)
    p20 = sorted(scores)[len(scores) // 5]
    for a in full[:40]:
        q = a.question
        cases = {"gibberish": " ".join(rng.choice(salad_words) for _ in range(120)),
                 "stuffed": rng.choice(STUFFED) * 2, "one-line": rng.choice(ONE_LINERS), "copy": q + " " + q}
        for kind, t in cases.items():
            adv.append((kind, analyze(t, q).score))
    m = lambda xs: sum(xs) / max(1, len(xs))  # noqa: E731
    print(f"held-out full answers: {len(full)}; score median {statistics.median(scores)}, p20 {p20}, "
          f"speech-version median {statistics.median(f_speech)}")
    for k, v in sorted(prefer.items()):
        print(f"  original beats {k:13s} {m(v):.3f} (n={len(v)})")
    print(f"  all degraded: {m([x for v in prefer.values() for x in v]):.3f}")
    for kind in ("gibberish", "stuffed", "one-line", "copy"):
        xs = [s for k, s in adv if k == kind]
        print(f"  adversarial {kind:9s} in bottom fifth {m([s <= p20 for s in xs]):.3f} (max {max(xs)})")
    print(f"  missing result recall {m(miss_r):.3f}, missing action recall {m(miss_a):.3f}, "
          f"wrongly missing: result {m(false_r):.3f}, action {m(false_a):.3f}")


if __name__ == "__main__":
    main()
