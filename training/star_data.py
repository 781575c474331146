"""Shared data handling for the STAR labeler's training and evaluation scripts.

Reads ``data/star/*.jsonl`` (one answer per line: id, question, style, sep, segments[{star, text}]),
composes each answer's text, splits it with the product's own segmenter and gives every sentence the
label of the segment it overlaps most. The held-out split is fixed by a hash of the answer id (one
answer in five), so it never changes when files grow. Also builds the perturbed versions used for
training augmentation and evaluation: speech transcripts, answers with a part removed.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from starcoach.analysis.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "star"
LABELS = ("situation", "task", "action", "result", "other")
SPEECH_FILLERS = ("um", "uh", "like", "you know", "so", "basically", "i mean", "kind of")


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    style: str
    sep: str
    segments: tuple[tuple[str, str], ...]  # (star, text)

    def compose(self, drop: tuple[str, ...] = ()) -> tuple[str, list[tuple[str, int, int]]]:
        text, spans = "", []
        for star, seg in self.segments:
            if star in drop:
                continue
            if text:
                text += self.sep
            spans.append((star, len(text), len(text) + len(seg)))
            text += seg
        return text, spans

    def parts(self) -> set[str]:
        return {s for s, _ in self.segments}


def load_answers(files: list[Path] | None = None) -> list[Answer]:
    out: dict[str, Answer] = {}
    for path in sorted(files or DATA.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                segs = tuple((str(s["star"]), str(s["text"])) for s in d["segments"] if str(s["text"]).strip())
                a = Answer(str(d["id"]), str(d.get("question", "")), str(d.get("style", "")),
                           str(d.get("sep", " ")), segs)
            except (ValueError, KeyError, TypeError) as err:
                print(f"skip {path.name}:{n}: {err}")
                continue
            if a.segments and all(s in LABELS for s, _ in a.segments):
                out[a.id] = a
    return [out[k] for k in sorted(out)]


def is_heldout(answer_id: str) -> bool:
    return int(hashlib.sha1(answer_id.encode()).hexdigest(), 16) % 5 == 0


def gold_label(spans: list[tuple[str, int, int]], start: int, end: int) -> str:
    best, cover = "other", 0
    for star, a, b in spans:
        c = max(0, min(b, end) - max(a, start))
        if c > cover:
            best, cover = star, c
    return best


def labeled_sentences(text: str, spans: list[tuple[str, int, int]]) -> tuple[list[str], list[str]]:
    sents = split_sentences(text)
    return [s.text for s in sents], [gold_label(spans, s.start, s.end) for s in sents]


def speechify(answer: Answer, rng: random.Random) -> Answer:
    """The same answer as a raw transcript: lower case, no punctuation, fillers sprinkled in."""
    segs = []
    for star, seg in answer.segments:
        seg = re.sub(r"^\W*(situation|task|action|result|outcome|impact|learning)\W*[:\-]", "", seg, flags=re.I)
        words = re.sub(r"[.,!?;:\"()\u201c\u201d*]", " ", seg.lower()).split()
        said: list[str] = []
        for w in words:
            if rng.random() < 0.07:
                said.append(rng.choice(SPEECH_FILLERS))
            said.append(w)
        if said:
            segs.append((star, " ".join(said)))
    return Answer(answer.id + "~speech", answer.question, "speech", " ", tuple(segs))


def examples(answers: list[Answer], augment: bool, seed: int = 13) -> list[tuple[str, list[str], list[str]]]:
    """(group id, sentences, gold labels) for each answer and, when augmenting, its variants."""
    rng = random.Random(seed)
    out = []
    for a in answers:
        variants: list[tuple[str, tuple[str, ...]]] = [(a.id, ())]
        if augment:
            parts = a.parts()
            if "result" in parts and len(parts) > 1:
                variants.append((a.id + "~nores", ("result",)))
            if "action" in parts and len(parts) > 1:
                variants.append((a.id + "~noact", ("action",)))
        for _gid, drop in variants:
            text, spans = a.compose(drop)
            if text.strip():
                s, g = labeled_sentences(text, spans)
                out.append((a.id, s, g))
        if augment:
            sp = speechify(a, rng)
            text, spans = sp.compose()
            s, g = labeled_sentences(text, spans)
            out.append((a.id, s, g))
    return out
