"""Reading answers: from a terminal (with a live countdown), from a stream (stdin, a file) or $EDITOR.

One protocol for all of them, so a script drives the same flow a person does. An answer is the
lines typed until two empty lines in a row or end of input (Ctrl-D). A line that is exactly a
command acts at once:

- ``:skip``   skip this question (a partly typed answer is dropped);
- ``:retry``  start this answer again; after feedback, answer the question again;
- ``:quit``   stop the session; a partly typed answer is saved only if the user says so when asked
  (a script cannot be asked: its unfinished answer is dropped);
- ``:rate again|hard|good|easy``  change the rating of the last answer, then keep typing.

An empty submission (two Enters with nothing typed) is not a skip: the prompt asks again.
In a terminal, Ctrl-C stops the session like ``:quit``, and a paste may contain blank lines:
bracketed paste inserts it whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

COMMANDS = ("skip", "retry", "quit", "rate")
HELP = "Two empty lines or Ctrl-D to submit · :skip · :retry · :quit · :rate again|hard|good|easy"


@dataclass(frozen=True, slots=True)
class Reply:
    """What the user did at a prompt: ``action`` is answer, skip, retry, quit, eof or interrupt."""

    action: str
    text: str = ""
    ratings: tuple[str, ...] = field(default=())
    audio: Path | None = None  # a spoken answer (cli.practice_voice): the Coach transcribes it
    recorded: bool = False  # starcoach made the recording, so it deletes it (unless audio is kept)

    @property
    def empty(self) -> bool:
        """Nothing was given: no text and no recording."""
        return not self.text and self.audio is None


def parse_command(line: str) -> tuple[str, str] | None:
    """``(name, argument)`` when ``line`` is a command such as ':rate hard', else None."""
    s = line.strip()
    if not s.startswith(":") or len(s) < 2:
        return None
    name, _, arg = s[1:].partition(" ")
    name = name.lower()
    if name == "q":
        name = "quit"
    return (name, arg.strip()) if name in COMMANDS else None


def _finish(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n").strip()


def read_reply(next_line: Callable[[], str | None]) -> Reply:
    """Read one reply from a source of lines (None at end of input), following the protocol."""
    lines: list[str] = []
    ratings: list[str] = []
    while True:
        line = next_line()
        if line is None:
            text = _finish(lines)
            return Reply("answer" if text else "eof", text, tuple(ratings))
        line = line.rstrip("\r\n")
        cmd = parse_command(line)
        if cmd is not None:
            if cmd[0] == "rate":
                ratings.append(cmd[1])
                continue
            return Reply(cmd[0], _finish(lines), tuple(ratings))
        lines.append(line)
        if len(lines) >= 2 and not lines[-1].strip() and not lines[-2].strip():
            return Reply("answer", _finish(lines), tuple(ratings))


class StreamReader:
    """Replies from an iterator of lines: piped stdin or an answer file."""

    interactive = False

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def _next(self) -> str | None:
        try:
            return next(self._lines)
        except (StopIteration, ValueError, OSError):  # ValueError: reading a closed file
            return None

    def read(self, title: str, limit: int | None) -> Reply:
        return read_reply(self._next)

    def pause(self) -> Reply:
        return Reply("answer")

    def confirm(self, question: str) -> bool:
        """A script cannot be asked: the answer is no."""
        return False


class TerminalReader:
    """Replies typed in a terminal, with the time left counting down in the bottom toolbar."""

    interactive = True

    def read(self, title: str, limit: int | None) -> Reply:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

        state: dict[str, str] = {"action": "answer"}
        kb = KeyBindings()

        @kb.add("enter")
        def _enter(event: KeyPressEvent) -> None:
            buf = event.current_buffer
            doc = buf.document
            cmd = parse_command(doc.current_line)
            at_end = doc.is_cursor_at_the_end
            if cmd is not None and cmd[0] != "rate" and at_end:
                state["action"] = cmd[0]
                buf.text = "\n".join(buf.text.splitlines()[:-1])
                buf.validate_and_handle()
            elif (
                at_end
                and buf.text.endswith("\n")
                and not doc.current_line.strip()
                and not (doc.lines[-2].strip() if len(doc.lines) > 1 else "")
            ):
                buf.validate_and_handle()
            else:
                buf.insert_text("\n")

        @kb.add("c-d")
        def _eof(event: KeyPressEvent) -> None:
            if not event.current_buffer.text.strip():
                state["action"] = "eof"
            event.current_buffer.validate_and_handle()

        @kb.add("c-c")
        def _interrupt(event: KeyPressEvent) -> None:
            state["action"] = "interrupt"
            event.current_buffer.validate_and_handle()

        started = time.monotonic()
        session: PromptSession[str] = PromptSession(
            multiline=True,
            key_bindings=kb,
            refresh_interval=0.5,
            prompt_continuation="  ",
            erase_when_done=True,  # the answer is shown again right after, colored by STAR part
            bottom_toolbar=lambda: _toolbar(started, limit),
        )
        text = session.prompt("> ")
        return _reply_from_text(state["action"], text)

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question; only 'y' or 'yes' is yes (Enter, Ctrl-C and Ctrl-D are no)."""
        from prompt_toolkit import PromptSession

        try:
            line = PromptSession[str]().prompt(question)
        except (EOFError, KeyboardInterrupt):
            return False
        return line.strip().lower() in ("y", "yes")

    def pause(self) -> Reply:
        """Between questions: Enter goes on; a command line (:retry, :quit, :rate X) acts."""
        from prompt_toolkit import PromptSession

        try:
            line = PromptSession[str]().prompt("[Enter] next question · :retry · :rate hard · :quit  ")
        except (EOFError, KeyboardInterrupt):
            return Reply("quit")
        cmd = parse_command(line)
        if cmd is None:
            return Reply("answer")
        if cmd[0] == "rate":
            return Reply("answer", ratings=(cmd[1],))
        return Reply(cmd[0])


def _reply_from_text(action: str, text: str) -> Reply:
    """A reply from a whole text (terminal or editor): command lines in it act, the rest is the answer."""
    lines: list[str] = []
    ratings: list[str] = []
    for line in text.splitlines():
        cmd = parse_command(line)
        if cmd is None:
            lines.append(line)
        elif cmd[0] == "rate":
            ratings.append(cmd[1])
        elif action == "answer":
            action = cmd[0]
    body = _finish(lines)
    if action == "eof" and body:
        action = "answer"
    return Reply(action, body, tuple(ratings))


def _toolbar(started: float, limit: int | None) -> str:
    elapsed = time.monotonic() - started
    if limit:
        left = limit - elapsed
        clock = f" {int(abs(left)) // 60}:{int(abs(left)) % 60:02d} "
        head = f" ⏱ {clock}left " if left >= 0 else f" ⏱ time's up: {clock}over "
    else:
        head = f" ⏱ {int(elapsed) // 60}:{int(elapsed) % 60:02d} "
    return head + "· " + HELP


class EditorReader:
    """Replies written in $EDITOR, one temp file per answer (lines starting with '#' are ignored)."""

    interactive = True

    def __init__(self, fallback: TerminalReader | StreamReader) -> None:
        self._fallback = fallback

    def read(self, title: str, limit: int | None) -> Reply:
        import click

        header = (
            f"# {title}\n# Write your answer below; save and close the editor to submit.\n"
            "# Leave it empty to skip; a line ':quit' stops the session.\n\n"
        )
        edited = click.edit(header, extension=".md", require_save=False)
        lines = [ln for ln in (edited or "").splitlines() if not ln.startswith("#")]
        return _reply_from_text("answer", "\n".join(lines))

    def pause(self) -> Reply:
        return self._fallback.pause()

    def confirm(self, question: str) -> bool:
        return self._fallback.confirm(question)
