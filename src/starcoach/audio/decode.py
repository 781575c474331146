"""Decode an audio file to 16 kHz mono samples, refusing what is not a usable answer recording.

Checks, each with one clear line: the file exists and is not empty, its type is one we read, it has an
audio stream FFmpeg (PyAV) can decode, it is not longer than :data:`MAX_SECONDS` (decoding stops at the
limit, so a two-hour file costs no more than the limit), and it is not silent. Also measures the
frame levels that :func:`starcoach.analysis.speech.silent_runs` turns into exact pause edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.analysis.speech import silent_runs
from starcoach.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

RATE = 16_000
FRAME_S = 0.02
MAX_SECONDS = 15 * 60
MAX_BYTES = 200 * 1024 * 1024
SUFFIXES = (".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".webm", ".flac", ".mp4", ".aac")
SILENT_DB = -50.0  # the loudest stretches of a recording quieter than this: nobody spoke


@dataclass(frozen=True, slots=True)
class Decoded:
    samples: npt.NDArray[np.float32]
    duration: float
    silences: tuple[tuple[float, float], ...]


def check_file(path: Path) -> None:
    """Raise InputError unless ``path`` is a non-empty file of a type we read."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(f"{path.name}: not a recording type starcoach reads (use wav, mp3, m4a, ogg or webm)")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name}: the file is empty")
    if size > MAX_BYTES:
        raise InputError(f"{path.name}: the file is over {MAX_BYTES // 2**20} MB; record one answer")


def decode(path: Path) -> Decoded:
    """Samples, duration and long silences of ``path``; InputError for anything unusable."""
    import numpy as np

    check_file(path)
    chunks = _decode_chunks(path)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    duration = len(samples) / RATE
    if duration < 0.5:
        raise InputError(f"{path.name}: the recording is shorter than half a second")
    levels = frame_levels(samples)
    loud = float(np.percentile(levels, 95))
    if loud < SILENT_DB:
        raise InputError(f"{path.name}: the recording is silent (check the microphone)")
    floor = float(np.percentile(levels, 10))
    threshold = floor + max(6.0, (loud - floor) * 0.3)
    runs = silent_runs(levels.tolist(), FRAME_S, threshold)
    return Decoded(samples, duration, tuple(runs))


def _decode_chunks(path: Path) -> list[npt.NDArray[np.float32]]:
    import numpy as np

    try:
        import av
    except ImportError:
        from starcoach.audio import EXTRA_HINT, VoiceUnavailableError

        raise VoiceUnavailableError(EXTRA_HINT) from None

    chunks: list[npt.NDArray[np.float32]] = []
    total = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise InputError(f"{path.name}: has no sound track")
            if container.duration is not None and container.duration / 1_000_000 > MAX_SECONDS + 1:
                raise _too_long(path)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1).astype(np.float32)
                    chunks.append(chunk)
                    total += len(chunk)
                if total > (MAX_SECONDS + 1) * RATE:
                    raise _too_long(path)
    except InputError:
        raise
    except (av.error.FFmpegError, ValueError, OSError, RuntimeError) as exc:
        raise InputError(f"{path.name}: not audio starcoach can decode ({_reason(exc)})") from None
    return chunks


def _too_long(path: Path) -> InputError:
    return InputError(f"{path.name}: longer than {MAX_SECONDS // 60} minutes; record one answer at a time")


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text)[:80]


def frame_levels(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """RMS level of each 20 ms frame in dB (digital silence clipped at -100 dB)."""
    import numpy as np

    n = int(RATE * FRAME_S)
    frames = samples[: len(samples) // n * n].reshape(-1, n).astype(np.float64)
    if frames.size == 0:
        return np.full(1, -100.0)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    return np.asarray(20 * np.log10(np.maximum(rms, 1e-5)), dtype=np.float64)
