"""Spoken answers in ``starcoach practice``: ``--voice`` records each answer from the microphone
(a countdown, then Enter stops; the question's timer stops it too) and ``--audio-file FILE`` (repeatable)
answers the questions in order with recordings made elsewhere.

A reply carries the recording's path; the Coach (``coach.voice.submit_audio``) transcribes it, scores
the transcript like a typed answer, adds the speech report and deletes what it recorded.
"""

from __future__ import annotations

import select
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from starcoach.cli.practice_input import Reply
from starcoach.service import Coach

COUNTDOWN = 3
LONGEST = 15 * 60  # with the timer off, a recording still stops here (the decoder's limit)


class AudioFileReader:
    """One recording per question, in order; then the end of input."""

    interactive = False

    def __init__(self, files: list[Path]) -> None:
        self._files: Iterator[Path] = iter(files)

    def read(self, title: str, limit: int | None) -> Reply:
        path = next(self._files, None)
        return Reply("eof") if path is None else Reply("answer", audio=path)

    def pause(self) -> Reply:
        return Reply("answer")


class MicrophoneReader:
    """Record each answer from the microphone; Enter stops, Ctrl-C stops the session."""

    interactive = True

    def __init__(self, coach: Coach, out: Console) -> None:
        self.coach, self.out = coach, out

    def read(self, title: str, limit: int | None) -> Reply:
        from starcoach.audio.record import record

        for n in range(COUNTDOWN, 0, -1):
            self.out.print(f"[dim]Recording in {n}…[/dim]")
            time.sleep(1)
        self.out.print("[bold red]● Recording[/bold red] [dim]— press Enter to stop[/dim]")
        path = self.coach.voice.new_recording(".wav")
        try:
            seconds = record(path, limit or LONGEST, lambda _elapsed: _enter_pressed())
        except KeyboardInterrupt:
            path.unlink(missing_ok=True)
            return Reply("interrupt")
        self.out.print(f"[dim]Recorded {seconds:.0f} s; transcribing…[/dim]")
        return Reply("answer", audio=path, recorded=True)

    def pause(self) -> Reply:
        return Reply("answer")


def _enter_pressed() -> bool:
    if sys.stdin is None or not sys.stdin.isatty():  # no keyboard: the timer stops the recording
        time.sleep(0.1)
        return False
    ready, _, _ = select.select([sys.stdin], [], [], 0.1)
    if ready:
        sys.stdin.readline()
        return True
    return False
