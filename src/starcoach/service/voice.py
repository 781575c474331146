"""Voice use cases, a part of the Coach (``coach.voice``): transcribe a recording offline, analyze the
transcript like a typed answer, add how it sounded, and look after the audio file.

Privacy: a recording starcoach made (microphone, browser upload) is deleted once transcribed unless
the ``keep_audio`` setting is on, in which case it is kept as ``<home>/audio/<attempt id>.<ext>``; a
file the user gave by path is theirs and never touched (it is copied in only when audio is kept).
A recording that cannot be transcribed saves nothing. The transcript and its word timings are stored
with the attempt, in its analysis (``speech``), like the rest of a typed answer's analysis. (A process
killed between saving the transcript and scoring it leaves a pending attempt that the next session
scores from its text alone: the timings are not in the pending row, to keep the schema unchanged.)
"""

from __future__ import annotations

import secrets
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starcoach.analysis.speech import Timings
    from starcoach.analysis.types import Analysis
    from starcoach.audio.transcribe import Transcriber
    from starcoach.bank.model import Question
    from starcoach.service import Coach
    from starcoach.service.practice import AttemptResult


class VoiceService:
    """Spoken answers for one Coach."""

    def __init__(self, coach: Coach) -> None:
        self.coach = coach
        self._transcriber: Transcriber | None = None

    @property
    def transcriber(self) -> Transcriber:
        """The Whisper model of the settings (bundled tiny.en by default), loaded on first use."""
        if self._transcriber is None:
            from starcoach.audio.transcribe import load

            self._transcriber = load(self.coach.settings.voice_model)
        return self._transcriber

    def use(self, transcriber: Transcriber) -> None:
        """Use another transcriber (tests, benchmarks)."""
        self._transcriber = transcriber

    def check_available(self) -> None:
        """Raise VoiceUnavailableError (one line naming the extra) unless voice answers can work."""
        from starcoach.audio.transcribe import model_dir

        model_dir(self.coach.settings.voice_model)

    def transcribe(self, path: Path) -> Timings:
        from starcoach.audio.transcribe import transcribe_file

        self.check_available()
        return transcribe_file(path, self.transcriber)

    def analyze_audio(self, path: Path, question: str | None = None) -> Analysis:
        """Transcribe and analyze a recording; nothing is stored and the file is left alone."""
        from starcoach.analysis.speech import transcript, with_speech

        timings = self.transcribe(path)
        return with_speech(self.coach.analyze(transcript(timings)[0], question), timings)

    def submit_audio(
        self,
        question: Question | str,
        path: Path,
        *,
        started_at: datetime,
        session_id: str | None = None,
        time_limit_seconds: int | None = None,
        retry_of: str | None = None,
        recorded: bool = False,
    ) -> AttemptResult:
        """Transcribe, then save, analyze and schedule the answer like a typed one, with its speech report.

        ``recorded``: starcoach made this file (so it is deleted afterwards, unless audio is kept).
        """
        try:
            timings = self.transcribe(path)
        except BaseException:
            if recorded:
                path.unlink(missing_ok=True)
            raise
        return self.submit_spoken(question, timings, path, started_at=started_at, session_id=session_id,
                                  time_limit_seconds=time_limit_seconds, retry_of=retry_of, recorded=recorded)

    def submit_spoken(
        self,
        question: Question | str,
        timings: Timings,
        path: Path,
        *,
        started_at: datetime,
        session_id: str | None = None,
        time_limit_seconds: int | None = None,
        retry_of: str | None = None,
        recorded: bool = False,
    ) -> AttemptResult:
        """Save an answer already transcribed from ``path`` (the web app transcribes outside its write
        lock), then keep or delete the recording."""
        from starcoach.analysis.speech import transcript

        kept = False
        try:
            result = self.coach.submit_answer(
                question, transcript(timings)[0], started_at=started_at, session_id=session_id,
                time_limit_seconds=time_limit_seconds, retry_of=retry_of, speech=timings,
            )
            kept = self._keep(path, result.attempt.id, recorded)
        finally:
            if recorded and not kept:
                path.unlink(missing_ok=True)
        return result

    def _keep(self, path: Path, attempt_id: str, recorded: bool) -> bool:
        if not self.coach.settings.keep_audio:
            return False
        dest = self.coach.settings.audio_dir / f"{attempt_id}{path.suffix.lower()}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if recorded:
            path.replace(dest)
        else:
            shutil.copyfile(path, dest)
        return True

    def new_recording(self, suffix: str) -> Path:
        """A fresh private path for a recording starcoach is about to make (microphone, upload)."""
        folder = self.coach.settings.audio_dir / "incoming"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder / f"{secrets.token_hex(8)}{suffix}"

    def kept_audio(self) -> list[Path]:
        folder = self.coach.settings.audio_dir
        return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []

    def delete_audio(self) -> int:
        """Delete every kept or half-received recording; returns how many files went."""
        n = len(self.kept_audio())
        shutil.rmtree(self.coach.settings.audio_dir, ignore_errors=True)
        return n
