"""'Your answer, restructured': the user's own sentences regrouped as Situation, Task, Action, Result.

After an analysis, the outline shows the answer in STAR order using each sentence's ``star`` label:
the words are the user's, never ours. Two things are added, and both are marked as ours: a note
when a long setup was trimmed (only its first sentence or two are kept), and a prompt in place of a
part the answer does not have. Sentences labeled ``other`` (asides, reflection) are left out and
counted. It deliberately does not rewrite, reorder within a part or invent anything; it does not
label sentences either (that is the labeler's job). Pure: an Analysis in, an Outline out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starcoach.analysis.types import Analysis, Sentence

PARTS: tuple[str, ...] = ("situation", "task", "action", "result")
PART_NAMES = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"}
SETUP_KEEP_WORDS = 35  # a setup longer than this keeps only its first sentence(s)
SETUP_ONE_SENTENCE = 15  # a first sentence this long is the whole kept setup
PROMPTS = {
    "situation": "Add one or two sentences of context: where you were and what was at stake.",
    "task": "Say what you had to do, or set out to do, and why it was hard.",
    "action": "Say what you did yourself, step by step: 'I ...'.",
    "result": "Say how it ended: what changed because of what you did, with a number if you have one.",
}
_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class OutlinePart:
    """One STAR part of the outline: the user's sentences for it, or a prompt when there are none."""

    part: str
    sentences: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    note: str = ""  # ours: why something was left out
    prompt: str = ""  # ours: what to add when the part is missing

    @property
    def missing(self) -> bool:
        return not self.sentences

    @property
    def name(self) -> str:
        return PART_NAMES[self.part]

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "sentences": list(self.sentences),
            "spans": [list(s) for s in self.spans],
            "note": self.note,
            "prompt": self.prompt,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OutlinePart:
        return cls(
            part=str(d["part"]),
            sentences=tuple(str(s) for s in d.get("sentences", ())),
            spans=tuple((int(a), int(b)) for a, b in d.get("spans", ())),
            note=str(d.get("note", "")),
            prompt=str(d.get("prompt", "")),
        )


@dataclass(frozen=True, slots=True)
class Outline:
    """The answer regrouped as S/T/A/R; ``left_out`` counts the sentences labeled ``other``."""

    parts: tuple[OutlinePart, ...]
    left_out: int = 0

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.part for p in self.parts if p.missing)

    def to_dict(self) -> dict[str, Any]:
        return {"parts": [p.to_dict() for p in self.parts], "left_out": self.left_out}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Outline:
        return cls(tuple(OutlinePart.from_dict(p) for p in d.get("parts", ())), int(d.get("left_out", 0)))

    def text(self) -> str:
        """The outline as plain text: one block per part; our notes and prompts in square brackets."""
        blocks = []
        for p in self.parts:
            lines = [f"{p.name}:"]
            lines += [f"  {s}" for s in p.sentences]
            lines += [f"  [{x}]" for x in (p.note, p.prompt) if x]
            blocks.append("\n".join(lines))
        if self.left_out:
            blocks.append(f"[{_left_out_note(self.left_out)}]")
        return "\n\n".join(blocks) + "\n"


def _left_out_note(n: int) -> str:
    return f"{n} sentence{'' if n == 1 else 's'} that fit no STAR part left out."


def _clean(text: str) -> str:
    return " ".join(text.split())


def _trim_setup(sentences: list[Sentence]) -> tuple[list[Sentence], str]:
    """The first sentence(s) of a long setup (at most ~SETUP_KEEP_WORDS words), with a note."""
    total = sum(_words(s.text) for s in sentences)
    if total <= SETUP_KEEP_WORDS or len(sentences) < 2:
        return sentences, ""
    kept = [sentences[0]]
    used = _words(sentences[0].text)
    for s in sentences[1:]:
        if used >= SETUP_ONE_SENTENCE or used + _words(s.text) > SETUP_KEEP_WORDS:
            break
        kept.append(s)
        used += _words(s.text)
    dropped = len(sentences) - len(kept)
    note = (
        f"Setup trimmed: {dropped} more sentence{'' if dropped == 1 else 's'} of context "
        f"({total - used} words) left out; one or two sentences of setup leave time for the action."
    )
    return kept, note


def _part(name: str, sentences: list[Sentence], missing: bool) -> OutlinePart:
    if not sentences:
        return OutlinePart(name, prompt=PROMPTS[name])
    note = ""
    if name == "situation":
        sentences, note = _trim_setup(sentences)
    prompt = PROMPTS[name] if missing else ""
    return OutlinePart(
        name,
        tuple(_clean(s.text) for s in sentences),
        tuple((s.start, s.end) for s in sentences),
        note,
        prompt,
    )


def outline(analysis: Analysis) -> Outline | None:
    """The answer of ``analysis`` regrouped as S/T/A/R; None for answers that want no story.

    A part counts as missing when no sentence carries its label; a part the analyzer still calls
    missing (too weak to count) keeps its sentences and gets the prompt as well.
    """
    if analysis.question.type != "story" or not analysis.sentences:
        return None
    by_part: dict[str, list[Sentence]] = {p: [] for p in PARTS}
    left_out = 0
    for s in analysis.sentences:
        if s.star in by_part and s.text.strip():
            by_part[s.star].append(s)
        elif s.text.strip():
            left_out += 1
    parts = tuple(_part(p, by_part[p], p in analysis.missing) for p in PARTS)
    return Outline(parts, left_out)
