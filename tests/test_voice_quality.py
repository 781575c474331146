"""Transcription quality on 20 answers spoken by espeak-ng from known text, with known silences.

Figures (word error rate, pause timing, STAR agreement with the typed answer, time share per part) are
also printed by ``bench/bench_voice.py``; the bounds here are the issue's targets, with no timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from starcoach.analysis.pipeline import analyze
from starcoach.analysis.speech import transcript, with_speech
from starcoach.audio.transcribe import transcribe_file
from tests import voice_corpus as vc
from tests.voice_support import need_voice, transcriber

PARTS = ("situation", "task", "action", "result")


@dataclass
class Heard:
    truth: vc.Spoken
    spoken: dict[str, Any]
    typed: dict[str, Any]


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> list[Heard]:
    need_voice()
    folder: Path = tmp_path_factory.mktemp("spoken")
    out = []
    for k, answer in enumerate(vc.ANSWERS):
        truth = vc.synthesize(answer, folder / f"answer{k}.wav")
        timings = transcribe_file(truth.path, transcriber())
        spoken = with_speech(analyze(transcript(timings)[0]), timings).to_dict()
        out.append(Heard(truth, spoken, analyze(truth.text).to_dict()))
    return out


def test_word_error_rate_is_at_most_15_percent(heard: list[Heard]) -> None:
    edits = sum(vc.wer(h.truth.text, h.spoken["speech"]["transcript"])[0] for h in heard)
    total = sum(vc.wer(h.truth.text, h.spoken["speech"]["transcript"])[1] for h in heard)
    assert len(heard) >= 20
    assert edits / total <= 0.15, edits / total


def test_fillers_are_transcribed(heard: list[Heard]) -> None:
    said = sum(w in ("um", "uh") for h in heard for w in vc.words(h.truth.text))
    heard_ = sum(w in ("um", "uh") for h in heard for w in vc.words(h.spoken["speech"]["transcript"]))
    assert heard_ >= 0.8 * said
    assert all(h.spoken["speech"]["fillers"]["count"] >= 1 for h in heard)


def test_every_inserted_silence_is_found_within_a_third_of_a_second(heard: list[Heard]) -> None:
    for h in heard:
        found = [(p["start"], p["end"]) for p in h.spoken["speech"]["pauses"]]
        assert len(found) == len(h.truth.pauses), (found, h.truth.pauses)
        for (a, b), (x, y) in zip(h.truth.pauses, found, strict=True):
            assert abs(a - x) <= 0.3 and abs(b - y) <= 0.3


def test_pauses_say_which_parts_they_fall_between(heard: list[Heard]) -> None:
    right = total = 0
    for h in heard:
        for pause, (start, _end) in zip(h.spoken["speech"]["pauses"], h.truth.pauses, strict=True):
            k = next(i for i, (_p, _t, _s, e) in enumerate(h.truth.parts) if abs(e - start) < 0.01)
            right += (pause["before"], pause["after"]) == (h.truth.parts[k][0], h.truth.parts[k + 1][0])
            total += 1
    assert right / total >= 0.8, right / total


def test_star_labels_of_the_transcript_agree_with_the_typed_answer(heard: list[Heard]) -> None:
    same = total = 0
    for h in heard:
        s, n = vc.star_agreement(h.typed, h.spoken, h.truth.text)
        same, total = same + s, total + n
    assert same / total >= 0.9, same / total


def test_time_share_per_part_matches_the_known_text(heard: list[Heard]) -> None:
    timing_err, labeled_err = [], []
    for h in heard:
        known = vc.known_part_shares(h.truth, h.spoken["speech"])
        for part in PARTS:
            timing_err.append(abs(known.get(part, 0) - h.truth.share(part)))
            labeled_err.append(abs(h.spoken["speech"]["parts"][part]["share"] - h.truth.share(part)))
    assert sum(timing_err) / len(timing_err) <= 0.03  # the timings alone
    assert sum(labeled_err) / len(labeled_err) <= 0.08  # with the labeler's parts
