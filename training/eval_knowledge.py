"""How well knowledge answers are graded: ranking, point coverage and misconceptions.

    python training/eval_knowledge.py [--heldout] [--no-embedder] [--verbose]

The questions and model answers come from the ten shared days of the series, read at run time from
``../shared/seeds/series`` (never copied into the project). The answers are ours: for each of 60
questions, four answers of about the same length written for this evaluation (data/knowledge/*.jsonl):
complete, partial (one point), confidently wrong, off-topic (an answer to another question of the same
day), each with the points it covers. Prints the shares the issue asks for, beside a plain baseline
(the share of the model answer's content words the answer uses, and a word match per point).

The grader's rules were developed while looking at those 60 (the development set). ``--heldout`` grades
20 other questions of the same days (data/knowledge/heldout), written afterwards and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from starcoach.analysis.keypoints import key_points, plain, terms
from starcoach.analysis.pipeline import analyze
from starcoach.bank.markdown import parse_markdown
from starcoach.bank.model import Question

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "knowledge"
SERIES = ROOT.parent / "shared" / "seeds" / "series"
BASELINE_COVER_AT = 0.5  # the word baseline calls a point covered when half its words appear


def load(folder: Path = DATA) -> list[tuple[Question, dict[str, dict[str, object]]]]:
    banks: dict[str, dict[int, Question]] = {}
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            day = row["day"]
            if day not in banks:
                text = (SERIES / f"{day}.md").read_text(encoding="utf-8")
                banks[day] = {q.number or 0: q for q in parse_markdown(text, source=f"{day}.md").bank.questions}
            q = banks[day][row["number"]]
            assert q.type.value == "knowledge", f"{day} {row['number']} imported as {q.type.value}"
            out.append((q, {a["kind"]: a for a in row["answers"]}))
    return out


def overlap(answer: str, q: Question) -> float:
    """Baseline: share of the model answer's content words that the answer uses."""
    model = terms(" ".join(plain(f"{p.label} {p.text}") for p in q.points))
    return len(model & terms(answer)) / max(1, len(model))


def baseline_points(answer: str, q: Question) -> list[bool]:
    mine = terms(answer)
    return [len(kp.terms & mine) >= BASELINE_COVER_AT * max(1, len(kp.terms)) for kp in key_points(q.points)]


def share(pairs: list[tuple[float, float]]) -> float:
    return sum(1 for a, b in pairs if a > b) / max(1, len(pairs))


def ranking(data: list[tuple[Question, dict[str, dict[str, object]]]],
            score: Callable[[str, Question], float]) -> dict[str, float]:
    s = {(i, k): score(str(ans[k]["text"]), q) for i, (q, ans) in enumerate(data) for k in ans}
    n = range(len(data))
    return {
        "complete>partial": share([(s[i, "complete"], s[i, "partial"]) for i in n]),
        "complete>wrong": share([(s[i, "complete"], s[i, "wrong"]) for i in n]),
        "complete>off-topic": share([(s[i, "complete"], s[i, "off_topic"]) for i in n]),
        "partial>off-topic": share([(s[i, "partial"], s[i, "off_topic"]) for i in n]),
    }


def point_figures(data: list[tuple[Question, dict[str, dict[str, object]]]],
                  covered: Callable[[str, Question], list[bool]]) -> dict[str, float]:
    found = total = false_pos = others = 0
    for q, ans in data:
        got = covered(str(ans["complete"]["text"]), q)
        want = list(ans["complete"]["covers"])  # type: ignore[call-overload]
        found += sum(1 for i in want if got[i])
        total += len(want)
        got_p = covered(str(ans["partial"]["text"]), q)
        keep = set(ans["partial"]["covers"])  # type: ignore[call-overload]
        false_pos += sum(1 for i, c in enumerate(got_p) if c and i not in keep)
        others += sum(1 for i in range(len(got_p)) if i not in keep)
    return {"points found in complete": found / max(1, total),
            "points wrongly covered in partial": false_pos / max(1, others)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-embedder", action="store_true", help="grade without the static embeddings")
    ap.add_argument("--verbose", action="store_true", help="print every answer that breaks a ranking")
    ap.add_argument("--heldout", action="store_true", help="the 20 held-out questions instead of the 60")
    args = ap.parse_args()
    emb: object = None if args.no_embedder else "auto"
    data = load(DATA / "heldout" if args.heldout else DATA)

    def grade(text: str, q: Question) -> object:
        return analyze(text, q) if emb == "auto" else analyze(text, q, embedder=None)

    results = {(i, k): grade(str(a["text"]), q) for i, (q, ans) in enumerate(data) for k, a in ans.items()}
    index = {id(q): i for i, (q, _) in enumerate(data)}
    by_text = {(index[id(q)], str(a["text"])): results[index[id(q)], k]
               for q, ans in data for k, a in ans.items()}
    model = ranking(data, lambda t, q: by_text[index[id(q)], t].score)  # type: ignore[attr-defined]
    base = ranking(data, overlap)
    pts = point_figures(data, lambda t, q: [p.covered for p in by_text[index[id(q)], t].points])  # type: ignore[attr-defined]
    base_pts = point_figures(data, baseline_points)
    caught = sum(1 for i in range(len(data)) if results[i, "wrong"].misconceptions) / len(data)  # type: ignore[attr-defined]
    false_alarm = sum(1 for i in range(len(data)) if results[i, "complete"].misconceptions) / len(data)  # type: ignore[attr-defined]
    mode = "no embedder" if args.no_embedder else "wordllama"
    which = "held-out" if args.heldout else "development"
    print(f"knowledge grading on {len(data)} {which} questions x 4 answers ({mode})")
    print(f"{'figure':36} {'model':>7} {'baseline':>9} {'target':>7}")
    targets = {"complete>partial": ">=0.95", "complete>wrong": ">=0.90", "complete>off-topic": ">=0.95",
               "partial>off-topic": ">=0.90", "points found in complete": ">=0.90",
               "points wrongly covered in partial": "<=0.15"}
    for k, v in {**model, **pts}.items():
        b = {**base, **base_pts}[k]
        print(f"{k:36} {v:7.3f} {b:9.3f} {targets[k]:>7}")
    print(f"{'misconceptions caught in wrong':36} {caught:7.3f} {'-':>9} {'>=0.80':>7}")
    print(f"{'complete answers with a false alarm':36} {false_alarm:7.3f} {'-':>9}")
    for kind in ("complete", "partial", "wrong", "off_topic"):
        scores = [results[i, kind].score for i in range(len(data))]  # type: ignore[attr-defined]
        print(f"  median score {kind:10} {statistics.median(scores):5.0f}")
    _speed(data, grade)
    if args.verbose:
        _details(data, results)


def _speed(data: list[tuple[Question, dict[str, dict[str, object]]]], grade: Callable[[str, Question], object]) -> None:
    times = []
    for q, ans in data:
        for a in ans.values():
            t0 = time.perf_counter()
            grade(str(a["text"]), q)
            times.append(time.perf_counter() - t0)
    print(f"  warm grading p50 {statistics.median(times) * 1000:.2f} ms")


def _details(data: list[tuple[Question, dict[str, dict[str, object]]]], results: dict[tuple[int, str], object]) -> None:
    for i, (q, ans) in enumerate(data):
        r = {k: results[i, k] for k in ans}
        line = " ".join(f"{k}={r[k].score}" for k in r)  # type: ignore[attr-defined]
        cov = {k: [int(p.covered) for p in r[k].points] for k in r}  # type: ignore[attr-defined]
        mis = {k: [(m.kind, m.point) for m in r[k].misconceptions] for k in r if r[k].misconceptions}  # type: ignore[attr-defined]
        print(f"{q.bank}#{q.number} {line} cov={cov} mis={mis}", file=sys.stderr)


if __name__ == "__main__":
    main()
