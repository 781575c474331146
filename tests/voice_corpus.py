"""Spoken answers made from known text: espeak-ng speaks each STAR part, exact silences go between.

Every answer is a list of (part, text, pause after in seconds). :func:`synthesize` speaks each part
with espeak-ng, trims espeak's own leading and trailing silence, and joins the parts with silences of
exactly the given length, so the truth is known to the sample: which words were said (for the word
error rate), where each long pause starts and ends, and which seconds belong to which STAR part.
Used by tests/test_voice_quality.py and bench/bench_voice.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 22_050  # espeak-ng's output rate
SHORT = 0.4  # a breath between parts: not a long pause

Part = tuple[str, str, float]

ANSWERS: tuple[tuple[Part, ...], ...] = (
    (("situation", "At my last job, um, our deploys kept failing on Fridays.", 2.5),
     ("task", "I was asked to find out why and fix it before the next release.", SHORT),
     ("action", "I wrote a script that compared every failed build with the last good one, and, uh, "
                "I found a flaky cache.", SHORT),
     ("result", "After the fix, failed deploys dropped by eighty percent in two months.", 0)),
    (("situation", "Our team had two engineers who disagreed about the database schema.", SHORT),
     ("task", "As the tech lead, I had to get us to one design within a week.", 2.2),
     ("action", "I met each of them, um, wrote down both proposals, and ran a small load test on each.", SHORT),
     ("result", "The numbers settled it, we shipped on time, and they still pair on that service.", 0)),
    (("situation", "A customer reported that our search page was very slow.", SHORT),
     ("task", "I owned the search service, so I took the ticket.", SHORT),
     ("action", "I profiled the queries, uh, added an index, and cached the most common filters.", 3.0),
     ("result", "The slowest requests went from four seconds to under half a second.", 0)),
    (("situation", "Last spring our model kept drifting after every data refresh.", 2.4),
     ("task", "My goal was to catch the drift before users saw bad predictions.", SHORT),
     ("action", "I built a monitor that compared feature distributions each night and paged me on large "
                "changes.", SHORT),
     ("result", "We caught three bad refreshes in the first month, and, um, none reached users.", 0)),
    (("situation", "I joined a project that was already two months late.", SHORT),
     ("task", "The manager asked me to help the team hit the new date.", SHORT),
     ("action", "I split the remaining work into small tickets, um, and I took the hardest one myself.", 2.6),
     ("result", "We delivered one week early and the client renewed the contract.", 0)),
    (("situation", "During an outage, our payment service stopped answering.", SHORT),
     ("task", "I was the engineer on call that night.", 2.3),
     ("action", "I rolled back the last release, uh, checked the error logs, and wrote a short update for "
                "support every fifteen minutes.", SHORT),
     ("result", "Service was back in twenty minutes and I led the review the next day.", 0)),
    (("situation", "My team used a testing tool that nobody liked.", SHORT),
     ("task", "I wanted to replace it without slowing anyone down.", SHORT),
     ("action", "I moved one service first, wrote a guide, and, um, ran two short workshops.", SHORT),
     ("result", "Within a quarter, every service had moved and test time fell by half.", 0)),
    (("situation", "A new hire on my team was struggling with code reviews.", 2.8),
     ("task", "I offered to mentor him for his first three months.", SHORT),
     ("action", "We paired twice a week, uh, and I gave him small review tasks with clear feedback.", SHORT),
     ("result", "By the end he was reviewing on his own, and he now mentors others.", 0)),
    (("situation", "Our product manager wanted a feature that I thought was risky.", SHORT),
     ("task", "I needed to raise my concern without blocking the launch.", SHORT),
     ("action", "I wrote a one page note with the risks, um, and I proposed a smaller first version.", 2.5),
     ("result", "She agreed, we launched the smaller version, and it avoided a privacy problem.", 0)),
    (("situation", "Our nightly data pipeline took nine hours to finish.", SHORT),
     ("task", "I had to bring it under three hours.", 2.2),
     ("action", "I found the slowest step, uh, rewrote it to run in parallel, and removed duplicate reads.",
      SHORT),
     ("result", "The pipeline now finishes in two hours and costs less.", 0)),
    (("situation", "I made a mistake that deleted a test database that another team used.", SHORT),
     ("task", "I had to restore it and make sure it could not happen again.", SHORT),
     ("action", "I told the other team at once, um, restored it from the backup, and added a check to "
                "the script.", 3.2),
     ("result", "They lost one hour of work, and the check has stopped two similar errors since.", 0)),
    (("situation", "Two teams wanted the same shared service to change in opposite ways.", 2.4),
     ("task", "I was asked to find a plan both teams could accept.", SHORT),
     ("action", "I listed what each team really needed, uh, and designed a setting that served both.",
      SHORT),
     ("result", "Both teams signed off in one meeting and we shipped it that sprint.", 0)),
    (("situation", "Our mobile app crashed for some users after an update.", SHORT),
     ("task", "I was responsible for the release, so I led the fix.", SHORT),
     ("action", "I read the crash reports, um, found a missing check, and shipped a patch the same day.",
      2.7),
     ("result", "Crashes fell to zero and I added a test for that case.", 0)),
    (("situation", "Our team had no clear way to plan each sprint.", SHORT),
     ("task", "I volunteered to improve our planning meetings.", 2.3),
     ("action", "I introduced a short list of goals, uh, and we sized every ticket together.", SHORT),
     ("result", "Meetings got shorter and we finished more of what we planned.", 0)),
    (("situation", "A key vendor announced that they would stop supporting our library.", SHORT),
     ("task", "I had to choose a replacement and move our code.", SHORT),
     ("action", "I compared three options, um, built a small prototype, and moved one module at a time.",
      SHORT),
     ("result", "We finished the move a month before the deadline with no outages.", 0)),
    (("situation", "Our support team kept asking engineers the same questions.", 2.6),
     ("task", "I wanted to give them answers without waiting for us.", SHORT),
     ("action", "I wrote a short help page for each common problem, uh, and linked it from the tool.",
      SHORT),
     ("result", "Questions to engineers dropped by half in the next month.", 0)),
    (("situation", "I was given a project in a language I had never used.", SHORT),
     ("task", "I had two weeks to deliver the first part.", SHORT),
     ("action", "I read the guide, um, asked a colleague to review my first changes, and wrote many "
                "small tests.", 2.9),
     ("result", "I delivered on time and the code passed review with few comments.", 0)),
    (("situation", "Our cloud bill grew much faster than our traffic.", SHORT),
     ("task", "My manager asked me to find savings.", 2.2),
     ("action", "I tagged every resource, uh, shut down idle machines, and moved old files to cheaper "
                "storage.", SHORT),
     ("result", "The bill fell by thirty percent in one quarter.", 0)),
    (("situation", "A teammate kept missing our code review deadlines.", SHORT),
     ("task", "I needed to fix this without hurting our working relationship.", SHORT),
     ("action", "I asked him privately what was wrong, um, and learned he was overloaded, so we moved "
                "two of his tasks.", 2.5),
     ("result", "His reviews came back on time and he thanked me later.", 0)),
    (("situation", "Our login page failed an accessibility audit.", 2.4),
     ("task", "I led the work to fix every issue before the next audit.", SHORT),
     ("action", "I went through the report, uh, fixed the labels and colors, and tested with a screen "
                "reader.", SHORT),
     ("result", "We passed the next audit with no open issues.", 0)),
)


@dataclass(frozen=True)
class Spoken:
    """A synthesized answer: the file, the known text, and the known timing of parts and pauses."""

    path: Path
    parts: tuple[tuple[str, str, float, float], ...]  # (part, text, start s, end s)
    pauses: tuple[tuple[float, float], ...]  # inserted long pauses (start s, end s)

    @property
    def text(self) -> str:
        return " ".join(p[1] for p in self.parts)

    def share(self, part: str) -> float:
        total = sum(e - s for _, _, s, e in self.parts)
        return sum(e - s for p, _, s, e in self.parts if p == part) / total


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def _speak(text: str, tmp: Path) -> np.ndarray:
    out = tmp / "part.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(out), text], check=True)
    with wave.open(str(out), "rb") as f:
        data = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)
    loud = np.nonzero(np.abs(data) > 64)[0]
    return data[loud[0]: loud[-1] + 1] if len(loud) else data


def synthesize(answer: tuple[Part, ...], path: Path, lead: float = 0.5) -> Spoken:
    """Speak ``answer`` into ``path`` (22.05 kHz mono WAV) and return the known truth."""
    chunks = [np.zeros(int(lead * RATE), dtype=np.int16)]
    t = lead
    parts, pauses = [], []
    for part, text, pause in answer:
        audio = _speak(text, path.parent)
        parts.append((part, text, t, t + len(audio) / RATE))
        t += len(audio) / RATE
        gap = pause or SHORT
        if pause >= 2:
            pauses.append((t, t + gap))
        chunks += [audio, np.zeros(round(gap * RATE), dtype=np.int16)]
        t += round(gap * RATE) / RATE
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(np.concatenate(chunks).tobytes())
    return Spoken(path, tuple(parts), tuple(pauses))


def words(text: str) -> list[str]:
    """Lowercased words without punctuation, as WER counts them."""
    return re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference words): word-level Levenshtein distance."""
    ref, hyp = words(reference), words(hypothesis)
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1], len(ref)


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group().lower(), m.start()) for m in re.finditer(r"[A-Za-z0-9']+", text)]


def _label_at(offset: int, sentences: list[dict[str, object]]) -> str:
    for s in sentences:
        if int(s["start"]) <= offset < int(s["end"]):  # type: ignore[call-overload]
            return str(s["star"])
    return "other"


def _aligned(a: list[tuple[str, int]], b: list[tuple[str, int]]) -> list[tuple[int, int]]:
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    return [(blk.a + k, blk.b + k) for blk in m.get_matching_blocks() for k in range(blk.size)]


def star_agreement(typed: dict[str, object], spoken: dict[str, object], typed_text: str) -> tuple[int, int]:
    """(words labeled alike, words aligned) between the typed answer's and the transcript's analyses."""
    speech = spoken["speech"]
    assert isinstance(speech, dict)
    a, b = _tokens(typed_text), _tokens(str(speech["transcript"]))
    pairs = _aligned(a, b)
    same = sum(_label_at(a[i][1], typed["sentences"]) == _label_at(b[j][1], spoken["sentences"])  # type: ignore[arg-type]
               for i, j in pairs)
    return same, len(pairs)


def known_part_shares(truth: Spoken, speech: dict[str, object]) -> dict[str, float]:
    """Each part's share of the speaking time from the transcriber's word timings, with every word given
    its known part (isolates timing from labeling)."""
    words_t = speech["timings"]["words"]  # type: ignore[index]
    known: list[tuple[str, int]] = []
    pos = 0
    for part, text, _s, _e in truth.parts:
        known += [(part, off + pos) for _w, off in _tokens(text)]
        pos += len(text) + 1
    text_tokens = _tokens(truth.text)
    hyp = [(str(w[0]).strip().lower().strip(".,?!"), i) for i, w in enumerate(words_t)]
    pairs = _aligned(text_tokens, hyp)
    spans: dict[str, list[float]] = {}
    for i, j in pairs:
        part = known[i][0]
        _w, start, end = words_t[j][0], float(words_t[j][1]), float(words_t[j][2])
        lo, hi = spans.get(part, [start, end])
        spans[part] = [min(lo, start), max(hi, end)]
    total = sum(hi - lo for lo, hi in spans.values()) or 1.0
    return {p: (hi - lo) / total for p, (lo, hi) in spans.items()}


def encode(src: Path, dst: Path, codec: str, rate: int = 48_000) -> Path:
    """Re-encode a WAV file with PyAV (what the voice extra decodes with), e.g. to m4a/aac or webm/opus."""
    import av

    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for frame in inp.decode(audio=0):
            for f in resampler.resample(frame):
                out.mux(stream.encode(f))
        for f in resampler.resample(None):
            out.mux(stream.encode(f))
        out.mux(stream.encode(None))
    return dst
