"""Story bank figures: coverage time for 50 stories x 150 questions, and how often the right story wins.

1. Coverage: 50 stories (the 12 test stories, varied) against 150 bundled questions plus every
   competency row, the way ``starcoach stories coverage --questions`` computes it: median of 5 runs,
   words only and with the bundled static embeddings (target: under 1 s).
2. Ranking: for the 30 questions of tests/fixtures/stories/questions.json (none in the bundled bank),
   how often the story each was written for ranks first (and in the top 3) among the 12 stories.

Prints figures; asserts nothing. Run from the repo root with the venv active:
``python bench/bench_stories.py``.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from starcoach.analysis.embed import Embedder, default_embedder
from starcoach.bank.builtin import builtin_bank
from starcoach.ids import StoryId, slugify
from starcoach.stories.coverage import build_coverage
from starcoach.stories.fit import FitModel
from starcoach.stories.markdown import parse_stories
from starcoach.stories.model import Story

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "stories"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
RUNS = 5


def fixture_stories() -> list[Story]:
    contents = parse_stories((FIXTURES / "stories.md").read_text(encoding="utf-8"))
    return [Story.new(StoryId(slugify(c.title)), c, NOW) for c in contents]


def fifty_stories() -> list[Story]:
    """50 distinct stories: the 12 fixtures, then copies with other titles and rotated parts."""
    base = fixture_stories()
    out = list(base)
    n = 0
    while len(out) < 50:
        src = base[n % len(base)].content
        twin = base[(n + 5) % len(base)].content
        content = replace(src, title=f"{src.title} (take {n // len(base) + 2})", task=twin.task,
                          learned=twin.learned)
        out.append(Story.new(StoryId(f"{slugify(src.title, max_len=40)}-{n}"), content, NOW))
        n += 1
    return out


def time_coverage(embedder: Embedder | None) -> list[float]:
    stories = fifty_stories()
    bank = builtin_bank().questions
    questions = bank[:150]
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        model = FitModel(stories, bank, embedder)
        cov = build_coverage(model, bank, questions)
        samples.append(time.perf_counter() - t0)
        assert len(cov.questions) == 150 and len(cov.stories) == 50
    return samples


def ranking(embedder: Embedder | None) -> tuple[int, int, int, float]:
    stories = fixture_stories()
    model = FitModel(stories, builtin_bank().questions, embedder)
    data = json.loads((FIXTURES / "questions.json").read_text(encoding="utf-8"))["questions"]
    top1 = top3 = 0
    reciprocal = 0.0
    for item in data:
        ranked = [f.story_id for f in model.rank(model.question(item["text"]))]
        pos = ranked.index(item["story"])
        top1 += pos == 0
        top3 += pos < 3
        reciprocal += 1 / (pos + 1)
    return top1, top3, len(data), reciprocal / len(data)


def main() -> None:
    emb = default_embedder()
    print(f"questions in the bundled bank: {len(builtin_bank().questions)}")
    for name, e in (("words only", None), ("words + embeddings", emb)):
        if name != "words only" and e is None:
            print(f"{name}: skipped (wordllama is not installed)")
            continue
        secs = time_coverage(e)
        median, worst = statistics.median(secs) * 1000, max(secs) * 1000
        print(f"coverage 50 stories x 150 questions (+21 competencies), {name:<18}: "
              f"median {median:6.1f} ms, max {worst:6.1f} ms (target < 1000 ms)")
        top1, top3, n, mrr = ranking(e)
        print(f"ranking, {name:<18}: intended story first for {top1}/{n} ({top1 / n:.0%}), "
              f"in top 3 for {top3}/{n} ({top3 / n:.0%}), MRR {mrr:.2f}")


if __name__ == "__main__":
    main()
