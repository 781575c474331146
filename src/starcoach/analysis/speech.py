"""How a spoken answer sounded, from real word timings: pace, pauses, fillers, seconds per STAR part.

Input is :class:`Timings` (the words a transcriber heard, each with start and end seconds, plus the
silent stretches found in the signal) and the :class:`~starcoach.analysis.types.Analysis` of the
transcript. :func:`with_speech` returns a new Analysis whose ``speech`` field holds the report and
whose ``speaking_seconds`` is the measured time instead of the words-per-minute estimate.

Pure: no audio, no model, no clock. Decoding and transcription live in ``starcoach.audio``; the
labeler and scores are untouched here (a spoken answer is scored exactly like the same text typed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from starcoach.analysis.types import Analysis, Sentence

TARGET_SECONDS = (60, 120)
LONG_PAUSE_S = 2.0
PACE_WINDOW_S = 10.0
SLOW_WPM, FAST_WPM = 110, 170
STAR_PARTS = ("situation", "task", "action", "result")
# What the transcriber is nudged with so that it writes down "um" and "uh" instead of dropping them
# (Whisper cleans disfluencies away unless its prompt shows them; measured in tests/test_voice_quality.py).
FILLER_PROMPT = "Um, so, uh, I mean, like, you know, hmm, I was, uh, working on it."


@dataclass(frozen=True, slots=True)
class Word:
    """One recognized word: its text as transcribed (leading space included) and its time span."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True, slots=True)
class Timings:
    """What the transcriber heard: words in order, the audio's length, and silent stretches (seconds)."""

    words: tuple[Word, ...]
    duration: float
    silences: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "words": [[w.text, round(w.start, 3), round(w.end, 3), round(w.probability, 3)] for w in self.words],
            "duration": round(self.duration, 3),
            "silences": [[round(a, 3), round(b, 3)] for a, b in self.silences],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Timings:
        words = tuple(Word(str(w[0]), float(w[1]), float(w[2]), float(w[3]) if len(w) > 3 else 1.0)
                      for w in d.get("words", ()))
        silences = tuple((float(a), float(b)) for a, b in d.get("silences", ()))
        return cls(words, float(d.get("duration", 0.0)), silences)


def transcript(timings: Timings) -> tuple[str, list[tuple[int, int]]]:
    """The transcript text and each word's (start, end) character offsets in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for w in timings.words:
        chunk = w.text if parts else w.text.lstrip()
        if parts and not chunk[:1].isspace():
            chunk = " " + chunk
        core = chunk.strip()
        lead = len(chunk) - len(chunk.lstrip())
        offsets.append((pos + lead, pos + lead + len(core)))
        parts.append(chunk)
        pos += len(chunk)
    return "".join(parts), offsets


def silent_runs(levels_db: Sequence[float], frame_s: float, threshold_db: float,
                min_s: float = LONG_PAUSE_S) -> list[tuple[float, float]]:
    """Stretches of at least ``min_s`` seconds whose frame levels all stay below ``threshold_db``."""
    runs: list[tuple[float, float]] = []
    start: int | None = None
    for i, level in enumerate([*levels_db, float("inf")]):
        if level < threshold_db:
            start = i if start is None else start
            continue
        if start is not None and (i - start) * frame_s >= min_s:
            runs.append((round(start * frame_s, 3), round(i * frame_s, 3)))
        start = None
    return runs


def _pauses(t: Timings, min_s: float = LONG_PAUSE_S) -> list[tuple[float, float, int]]:
    """Long pauses inside the answer: (start, end, index of the word after). A silence measured in the
    signal gives the exact edges; a gap between the transcriber's words (edges drift ~0.2 s) counts
    where the signal showed none (a noisy room)."""
    w = t.words
    if len(w) < 2:
        return []
    found: dict[int, tuple[float, float]] = {}
    for a, b in t.silences:
        if b - a >= min_s and a < w[-1].end and b > w[0].start:
            found[_word_after(w, a, b)] = (a, b)
    for i in range(1, len(w)):
        if i not in found and w[i].start - w[i - 1].end >= min_s:
            found[i] = (w[i - 1].end, w[i].start)
    return sorted((a, b, i) for i, (a, b) in found.items())


def _word_after(w: Sequence[Word], a: float, b: float) -> int:
    """The index of the word that follows the silence (a, b): the gap that overlaps it most."""
    def overlap(i: int) -> float:
        return min(b, w[i].start) - max(a, w[i - 1].end)

    return max(range(1, len(w)), key=lambda i: (overlap(i), -abs(w[i].start - b)))


def _part_at(offset: int, sentences: Sequence[Sentence]) -> str:
    for s in sentences:
        if s.start <= offset < s.end:
            return s.star
    before = [s for s in sentences if s.start <= offset]
    return before[-1].star if before else "other"


def _sentence_times(sentences: Sequence[Sentence], offsets: list[tuple[int, int]], words: Sequence[Word],
                    pauses: list[tuple[float, float, int]]) -> list[dict[str, Any]]:
    """Each sentence's time span (first word start to last word end), minus the long pauses inside."""
    spans = []
    for s in sentences:
        idx = [i for i, (a, _b) in enumerate(offsets) if s.start <= a < s.end]
        if not idx:
            continue
        start, end = words[idx[0]].start, words[idx[-1]].end
        paused = sum(min(b, end) - max(a, start) for a, b, _ in pauses if a < end and b > start)
        spans.append({"star": s.star, "start": round(start, 2), "end": round(end, 2),
                      "seconds": max(0.0, end - start - paused), "words": len(idx),
                      "chars": [s.start, s.end]})
    return spans


def _parts(spans: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    total = sum(float(s["seconds"]) for s in spans) or 1.0
    parts: dict[str, dict[str, float]] = {}
    for name in (*STAR_PARTS, "other"):
        mine = [s for s in spans if s["star"] == name]
        secs = sum(float(s["seconds"]) for s in mine)
        words = sum(int(s["words"]) for s in mine)
        parts[name] = {"seconds": round(secs, 1), "share": round(secs / total, 3), "words": words,
                       "wpm": round(words / secs * 60, 1) if secs > 0 else 0.0}
    return parts


def _pace(words: Sequence[Word], window: float = PACE_WINDOW_S) -> list[dict[str, float]]:
    """Words per minute in consecutive windows of the answer: the pace line of the web page."""
    if not words:
        return []
    line = []
    t = 0.0
    end = words[-1].end
    while t < end:
        n = sum(1 for w in words if t <= (w.start + w.end) / 2 < t + window)
        width = min(window, end - t)
        line.append({"start": round(t, 1), "end": round(t + width, 1),
                     "wpm": round(n / width * 60, 1) if width > 0 else 0.0})
        t += window
    return line


def speech_report(analysis: Analysis, timings: Timings) -> dict[str, Any]:
    """The ``speech`` field of a spoken answer's Analysis (see the module docstring)."""
    text, offsets = transcript(timings)
    words = timings.words
    spoken = (words[-1].end - words[0].start) if words else 0.0
    pauses = _pauses(timings)
    minutes = spoken / 60 if spoken > 0 else 0.0
    fillers = [f for f in analysis.flags if f.kind == "filler"]
    spans = _sentence_times(analysis.sentences, offsets, words, pauses)
    report: dict[str, Any] = {
        "transcript": text,
        "duration": round(timings.duration, 2),
        "speaking_seconds": round(spoken, 1),
        "target": list(TARGET_SECONDS),
        "length": _length_verdict(spoken),
        "wpm": round(len(words) / minutes, 1) if minutes else 0.0,
        "parts": _parts(spans),
        "sentences": spans,
        "pauses": [_pause_dict(a, b, i, offsets, analysis.sentences) for a, b, i in pauses],
        "fillers": {"count": len(fillers), "per_minute": round(len(fillers) / minutes, 2) if minutes else 0.0},
        "pace": _pace(words),
        "timings": timings.to_dict(),
    }
    report["notes"] = notes(report)
    return report


def _length_verdict(seconds: float) -> str:
    lo, hi = TARGET_SECONDS
    return "short" if seconds < lo else "long" if seconds > hi else "in range"


def _pause_dict(a: float, b: float, i: int, offsets: list[tuple[int, int]],
                sentences: Sequence[Sentence]) -> dict[str, Any]:
    after_char = offsets[i][0]
    before_char = offsets[i - 1][1] - 1
    return {"start": round(a, 2), "end": round(b, 2), "seconds": round(b - a, 2), "offset": after_char,
            "before": _part_at(before_char, sentences), "after": _part_at(after_char, sentences)}


def notes(report: dict[str, Any]) -> list[str]:
    """Plain advice on how the answer sounded (the scores are not changed by it)."""
    out = []
    secs, (lo, hi) = float(report["speaking_seconds"]), report["target"]
    if report["length"] != "in range":
        out.append(f"You spoke for {secs:.0f} s; aim for {lo}-{hi} s.")
    wpm = float(report["wpm"])
    if wpm and wpm < SLOW_WPM:
        out.append(f"{wpm:.0f} words per minute is slow; about 130-160 sounds confident.")
    elif wpm > FAST_WPM:
        out.append(f"{wpm:.0f} words per minute is fast; slow down for the key actions and the result.")
    parts = report["parts"]
    setup = parts["situation"]["share"] + parts["task"]["share"]
    if setup > 0.4:
        out.append(f"Situation and task took {setup:.0%} of the time; keep the setup under a third "
                   "and spend it on what you did.")
    if report["pauses"]:
        n = len(report["pauses"])
        out.append(f"{n} pause{'s' if n > 1 else ''} over {LONG_PAUSE_S:.0f} s; a short breath is fine, "
                   "a long silence sounds lost.")
    if report["fillers"]["per_minute"] > 4:
        out.append(f"{report['fillers']['per_minute']:.1f} fillers a minute; pause silently instead of 'um'.")
    return out


def with_speech(analysis: Analysis, timings: Timings) -> Analysis:
    """A copy of the transcript's Analysis with the speech report and the measured speaking time."""
    report = speech_report(analysis, timings)
    return replace(analysis, speech=report, speaking_seconds=round(float(report["speaking_seconds"])))
