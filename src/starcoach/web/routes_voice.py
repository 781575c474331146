"""Spoken answers in the browser: the practice page records with MediaRecorder (no library) and
uploads here, under the same token and CSRF rules as every other write.

``POST /api/attempts/audio`` (multipart: ``audio`` file, ``question`` id, optional ``seconds`` and
``retry_of``) transcribes offline, then records the answer like a typed one, with its speech report.
The upload is written to a private file, transcribed outside the write lock, and deleted afterwards
unless the user keeps audio; a recording that cannot be used answers 4xx and saves nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from starcoach.errors import InputError
from starcoach.web.deps import CoachDep, writing
from starcoach.web.routes_practice import target_seconds
from starcoach.web.schemas import AttemptResultOut
from starcoach.web.security import MAX_BODY_BYTES

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["practice"])

TYPES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/mpeg": ".mp3",
         "audio/wav": ".wav", "audio/x-wav": ".wav", "audio/wave": ".wav"}


def suffix_of(upload: UploadFile) -> str:
    """The recording's type from its file name, else its content type (MediaRecorder sends no name)."""
    from starcoach.audio.decode import SUFFIXES

    named = Path(upload.filename or "").suffix.lower()
    if named in SUFFIXES:
        return named
    ctype = (upload.content_type or "").split(";")[0].strip().lower()
    if ctype in TYPES:
        return TYPES[ctype]
    raise InputError("Not a recording type starcoach reads: send wav, mp3, m4a, ogg or webm.")


@api.post(
    "/attempts/audio",
    response_model=AttemptResultOut,
    status_code=201,
    summary="Record a spoken answer to a bank question: transcribed offline, analyzed, scheduled",
)
def create_spoken_attempt(
    request: Request,
    c: CoachDep,
    audio: Annotated[UploadFile, File(description="The recording (wav, mp3, m4a, ogg or webm).")],
    question: Annotated[str, Form(max_length=200)],
    seconds: Annotated[int | None, Form(ge=0, le=86_400)] = None,
    retry_of: Annotated[str, Form(max_length=64)] = "",
) -> dict[str, Any]:
    q = c.question(question)
    c.voice.check_available()
    path = c.voice.new_recording(suffix_of(audio))
    try:
        path.write_bytes(audio.file.read(MAX_BODY_BYTES + 1))
        timings = c.voice.transcribe(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    with writing(request) as w:
        started = w.now() - timedelta(seconds=seconds or 0)
        result = w.voice.submit_spoken(q, timings, path, started_at=started, time_limit_seconds=target_seconds(q),
                                       retry_of=retry_of or None, recorded=True)
    return result.to_dict()
