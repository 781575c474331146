"""Story matching on answers people write: is the intended story ranked first?

1. Our own set (tests/fixtures/stories/real_style.md): 12 untagged stories in the styles real people
   use (terse notes, long prose, non-native English, students, jobs outside tech), one question each
   (real_style_questions.json). Target: intended story first for >= 11 of 12. The cues of
   stories/infer.py were written with this set in view, so it is not held out; real_style_holdout.md
   (12 more, written after the cues were fixed and never used to change them) is.
2. When ``../shared/data/public_star_answers.jsonl`` is beside the repo: real public answers imported
   as stories (their four parts, no tags, the question as title-less text), in groups of 12 answers
   from 12 different repositories; each answer's own question should rank its story first.
   Nothing is tuned on it: it is read at run time and never copied into the project.

Each figure is printed next to a words-only baseline (TF-IDF of the question against the story, no
competencies) and with / without the bundled static embeddings. Prints; asserts nothing.
Run from the repo root: ``python bench/bench_story_match.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from starcoach.analysis.embed import Embedder, default_embedder
from starcoach.bank.builtin import builtin_bank
from starcoach.ids import StoryId, slugify
from starcoach.stories.fit import FitModel
from starcoach.stories.markdown import parse_stories
from starcoach.stories.model import Story, StoryContent
from starcoach.stories.text import Idf, cosine, terms

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "stories"
PUBLIC = ROOT.parent / "shared" / "data" / "public_star_answers.jsonl"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
GROUP = 12


def own_set(name: str = "real_style") -> tuple[list[Story], list[tuple[str, str]]]:
    contents = parse_stories((FIXTURES / f"{name}.md").read_text(encoding="utf-8"))
    stories = [Story.new(StoryId(slugify(c.title)), c, NOW) for c in contents]
    data = json.loads((FIXTURES / f"{name}_questions.json").read_text(encoding="utf-8"))
    return stories, [(q["text"], q["story"]) for q in data["questions"]]


def public_groups() -> list[tuple[list[Story], list[tuple[str, str]]]]:
    """Groups of 12 public answers from 12 different repositories, as untagged stories."""
    rows = [json.loads(line) for line in PUBLIC.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_repo: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        parts = r["parts"]
        if all(str(parts.get(p, "")).strip() for p in ("situation", "action", "result")):
            by_repo.setdefault("/".join(str(r["source"]).split("/")[:2]), []).append(r)
    repos = sorted(by_repo)
    groups = []
    for start in range(0, max(len(v) for v in by_repo.values())):
        picked = [by_repo[repo][start] for repo in repos if start < len(by_repo[repo])]
        for i in range(0, len(picked) - GROUP + 1, GROUP):
            groups.append(_as_stories(picked[i : i + GROUP], f"g{start}-{i}"))
    return groups


def _as_stories(rows: Sequence[dict[str, object]], tag: str) -> tuple[list[Story], list[tuple[str, str]]]:
    stories, questions = [], []
    for n, r in enumerate(rows):
        parts = r["parts"]
        assert isinstance(parts, dict)
        content = StoryContent(
            title=f"Story {n + 1}",
            situation=str(parts.get("situation", "")),
            task=str(parts.get("task", "")),
            action=str(parts.get("action", "")),
            result=str(parts.get("result", "")),
        )
        sid = f"{tag}-{n}"
        stories.append(Story.new(StoryId(sid), content, NOW))
        questions.append((str(r["question"]), sid))
    return stories, questions


def first_count(stories: list[Story], questions: list[tuple[str, str]], embedder: Embedder | None) -> int:
    model = FitModel(stories, builtin_bank().questions, embedder)
    return sum(model.rank(model.question(text))[0].story_id == sid for text, sid in questions)


def baseline_count(stories: list[Story], questions: list[tuple[str, str]]) -> int:
    """Words only: TF-IDF cosine of the question against each whole story."""
    docs = [terms(" ".join((s.content.situation, s.content.task, s.content.action, s.content.result)))
            for s in stories]
    idf = Idf(docs)
    vecs = [idf.vector([(d, 1.0)]) for d in docs]
    hits = 0
    for text, sid in questions:
        qv = idf.vector([(terms(text), 1.0)])
        best = max(range(len(stories)), key=lambda i: (cosine(vecs[i], qv), -i))
        hits += stories[best].id == sid
    return hits


def report(name: str, sets: list[tuple[list[Story], list[tuple[str, str]]]], emb: Embedder | None) -> None:
    n = sum(len(q) for _, q in sets)
    base = sum(baseline_count(s, q) for s, q in sets)
    words = sum(first_count(s, q, None) for s, q in sets)
    line = f"{name}: intended story first, words-only baseline {base}/{n}, starcoach {words}/{n}"
    if emb is not None:
        line += f", starcoach + embeddings {sum(first_count(s, q, emb) for s, q in sets)}/{n}"
    print(line)


def main() -> None:
    emb = default_embedder()
    report("own set, 12 untagged stories in real people's styles", [own_set()], emb)
    report("own held-out set, 12 more, written after the cues were fixed", [own_set("real_style_holdout")], emb)
    if PUBLIC.exists():
        groups = public_groups()
        report(f"public answers as stories ({len(groups)} groups of {GROUP})", groups, emb)
    else:
        print(f"public answers: skipped ({PUBLIC} not found)")


if __name__ == "__main__":
    main()
