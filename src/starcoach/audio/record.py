"""Record an answer from the microphone (sounddevice over PortAudio) into a 16 kHz mono WAV file.

Recording stops when ``stop()`` says so (the terminal's Enter) or at the time limit. Without the
voice extra, without PortAudio, or without an input device, :func:`check_microphone` says so in one
line, before anything is recorded or saved.
"""

from __future__ import annotations

import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starcoach.audio import EXTRA_HINT, VoiceUnavailableError
from starcoach.errors import InputError

RATE = 16_000
NO_MIC = "no microphone found; record the answer elsewhere and give it with --audio-file FILE"


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError:
        raise VoiceUnavailableError(EXTRA_HINT) from None
    except OSError:  # the wheel imports fine but finds no PortAudio library
        raise InputError(f"{NO_MIC} (PortAudio is not installed: apt install libportaudio2)") from None
    return sounddevice


def check_microphone() -> None:
    """Raise a one-line error unless a default input device exists."""
    sd = _sounddevice()
    try:
        sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError):
        raise InputError(NO_MIC) from None


def record(path: Path, limit_s: float | None, stop: Callable[[float], bool]) -> float:
    """Record into ``path`` until ``stop(elapsed)`` is true or ``limit_s`` passes; returns seconds."""
    sd = _sounddevice()
    chunks: list[bytes] = []

    def callback(data: Any, _frames: int, _time: Any, _status: Any) -> None:
        chunks.append(bytes(data))

    started = time.monotonic()
    try:
        with sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", callback=callback):
            while not stop(time.monotonic() - started):
                if limit_s and time.monotonic() - started >= limit_s:
                    break
    except sd.PortAudioError as exc:
        raise InputError(f"the microphone could not be opened ({exc})") from None
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(chunks))
    return time.monotonic() - started
