"""``starcoach practice`` (and ``--mock N``), ``backup`` and ``delete``; ``review``, ``history`` and
``progress`` are in ``cli.history`` (registered from here).

The practice loop lives here; what it reads is in ``practice_input`` (terminal, stream, editor) and
what it prints in ``practice_view``. Every answer goes to the service, which commits it before the
loop shows its analysis; Ctrl-C is held back while a save is in flight, so it never cuts one in half.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

import typer

from starcoach.cli import common
from starcoach.cli.common import escape

if TYPE_CHECKING:
    from rich.console import Console

    from starcoach.bank.model import Question
    from starcoach.cli.practice_input import Reply
    from starcoach.review.selection import Pick
    from starcoach.service import Coach
    from starcoach.service.practice import AttemptResult, PoolOptions
    from starcoach.service.stories import StoryHint
    from starcoach.stories.drift import StoryUse

DEFAULT_TIMER = 120
_DURATION = re.compile(r"^\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s?)?\s*$", re.I)


class Reader(Protocol):
    interactive: bool

    def read(self, title: str, limit: int | None) -> Reply: ...

    def pause(self) -> Reply: ...


def parse_duration(value: str) -> int:
    """Seconds from '120', '90s', '2m' or '1m30s'; 0 turns the timer off."""
    m = _DURATION.match(value or "")
    if not value.strip() or m is None:
        from starcoach.errors import InputError

        raise InputError(f"--timer takes seconds or minutes, e.g. 120, 90s, 2m or 1m30s (got '{value}')")
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Delay Ctrl-C until the block ends, so a save is never cut in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


@dataclass
class Runner:
    """One practice session or mock interview, driven by a reader."""

    coach: Coach
    reader: Reader
    out: Console
    timer: int | None
    follow_ups: bool = True
    mock: bool = False
    options: dict[str, object] = field(default_factory=dict)
    results: list[AttemptResult] = field(default_factory=list)
    session_id: str | None = None
    last_main: str | None = None
    interrupted: bool = False  # Ctrl-C typed at a prompt
    dropped: bool = False  # the user quit and chose not to save a half-written answer
    with_stories: bool = False  # --stories: name the fitting story before each answer
    hints: dict[str, StoryHint] = field(default_factory=dict)

    def _session(self) -> str:
        if self.session_id is None:
            with held_interrupts():
                self.session_id = self.coach.start_session(
                    "mock" if self.mock else "practice", self.options
                ).id
        return self.session_id

    def run(self, picks: list[Pick]) -> None:
        for i, pick in enumerate(picks, 1):
            if not self.question(pick, i, len(picks)):
                return

    def _show_question(self, pick: Pick, i: int, n: int) -> None:
        from starcoach.cli.practice_input import HELP

        q = pick.question
        self.out.rule(f"Question {i}/{n}")
        comps = ", ".join(q.competencies) or q.type.value
        self.out.print(f"[dim]{escape(comps)} · {escape(pick.detail)} · {escape(q.id)}[/dim]")
        self.out.print(f"[bold]{escape(q.text)}[/bold]")
        self._show_principle(q)
        if self.with_stories:
            hint = self.coach.story_hint(q)
            self.hints[q.id] = hint
            self.out.print(f"[green]Your story:[/green] {escape(hint.message)}")
        timer = f"⏱ {self.timer // 60}:{self.timer % 60:02d} · " if self.timer else ""
        self.out.print(f"[dim]{timer}{HELP}[/dim]")

    def _show_principle(self, q: Question) -> None:
        """With --company: the principle or value this question probes."""
        name = self.options.get("company")
        if not isinstance(name, str) or not name:
            return
        from starcoach.bank.companies import COMPANIES

        profile = COMPANIES.get(name.strip().lower())
        principle = self.coach.company_principle(name, q) if profile else None
        if profile is not None and principle is not None:
            self.out.print(
                f"[cyan]{escape(profile.name)} {escape(profile.kind)}: {escape(principle.name)}[/cyan] "
                f"[dim]· {escape(principle.summary)}[/dim]"
            )

    def _read(self, title: str, limit: int | None) -> tuple[Reply, datetime]:
        started = self.coach.now()
        reply = self.reader.read(title, limit)
        self.interrupted = self.interrupted or reply.action == "interrupt"
        for rating in reply.ratings:
            self._rate(rating)
        return reply, started

    def question(self, pick: Pick, i: int, n: int) -> bool:
        """Ask one question (with retries and a follow-up); False when the session should stop."""
        self._show_question(pick, i, n)
        first: str | None = None
        while True:
            reply, started = self._read(pick.question.text, self.timer)
            if reply.action == "retry" and first is None:
                self.out.print("[dim]Starting this answer again.[/dim]")
                continue
            stop = reply.action in ("quit", "interrupt", "eof")
            if stop and (reply.empty or not self._keep_unfinished()):
                return False
            if reply.action == "answer" and reply.empty:
                self.out.print("[dim]Nothing to submit yet: type your answer, or :skip to skip this question.[/dim]")
                continue
            text = "" if reply.action == "skip" else reply.text
            result = self._submit(pick, text, started, first, reply)
            first = first or result.attempt.id
            if stop:
                return False
            if result.analysis is None or not self.follow_ups:
                return True
            step = self._follow_up(result)
            if step != "retry":
                return step == "next"
            self.out.print(f"[dim]Answer again:[/dim] [bold]{escape(pick.question.text)}[/bold]")

    def _keep_unfinished(self) -> bool:
        """On :quit with a half-written answer: save and score it only when the user says yes."""
        confirm = getattr(self.reader, "confirm", None)
        if confirm is not None and confirm("Save and score the answer you typed so far? [y/N] "):
            return True
        self.out.print("[dim]Your unfinished answer was not saved.[/dim]")
        self.dropped = True
        return False

    def _submit(
        self, pick: Pick, text: str, started: datetime, retry_of: str | None, reply: Reply | None = None
    ) -> AttemptResult:
        with held_interrupts():
            if reply is not None and reply.audio is not None and reply.action != "skip":
                result = self.coach.voice.submit_audio(
                    pick.question, reply.audio, started_at=started, session_id=self._session(),
                    time_limit_seconds=self.timer or None, retry_of=retry_of, recorded=reply.recorded,
                )
                text = result.attempt.answer
            else:
                result = self.coach.submit_answer(
                    pick.question,
                    text,
                    started_at=started,
                    session_id=self._session(),
                    time_limit_seconds=self.timer or None,
                    retry_of=retry_of,
                )
        self.results.append(result)
        if retry_of is None and result.attempt.rating is not None:
            self.last_main = result.attempt.id
        self._show(result)
        self._check_story(pick, text, result)
        return result

    def _check_story(self, pick: Pick, text: str, result: AttemptResult) -> None:
        """Say whether the answer told the suggested story, and flag numbers that drifted from it."""
        if self.mock or result.analysis is None:
            return
        hint = self.hints.get(pick.question.id)
        uses: list[StoryUse | None] = []
        if hint is not None and hint.best is not None:
            uses.append(self.coach.check_story_use(text, result.analysis, hint.best.story_id))
        if not uses or not uses[0] or not uses[0].used:  # whichever story was told, check its numbers
            uses.append(self.coach.detect_story(text, result.analysis))
        for use in uses:
            for note in use.notes if use else ():
                style = "yellow" if note.lower().startswith("check") else "dim"
                self.out.print(f"[{style}]{escape(note)}[/{style}]")

    def _show(self, result: AttemptResult) -> None:
        from starcoach.cli.practice_view import show_analysis

        if self.mock:
            score = "skipped" if result.attempt.score is None else "noted"
            self.out.print(
                f"[dim]Answer {score}; feedback comes in the debrief. Saved as {result.attempt.id}.[/dim]"
            )
            return
        show_analysis(self.out, result, self.coach.now(), self.coach.local_tz())
        if result.analysis is not None and result.analysis.speech is not None:
            from starcoach.cli.voice_view import render_speech

            render_speech(self.out, result.analysis.speech)

    def _follow_up(self, main: AttemptResult) -> str:
        """Ask the follow-up; returns 'next', 'retry' or 'stop'."""
        follow = main.follow_up or ""
        self.out.print(f"\n[bold]Follow-up:[/bold] {escape(follow)}")
        reply, started = self._read(follow, None)
        stop = reply.action in ("quit", "interrupt", "eof")
        if reply.action == "retry":
            return "retry"
        if reply.text and reply.action != "skip":
            with held_interrupts():
                result = self.coach.submit_follow_up(main.attempt.id, follow, reply.text, started_at=started)
            self.results.append(result)
            self._show(result)
        if stop:
            return "stop"
        if not self.reader.interactive:
            return "next"
        after = self.reader.pause()
        for rating in after.ratings:
            self._rate(rating)
        return {"retry": "retry", "quit": "stop", "interrupt": "stop", "eof": "stop"}.get(
            after.action, "next"
        )

    def _rate(self, value: str) -> None:
        from starcoach.cli.practice_view import when
        from starcoach.errors import StarcoachError

        if self.last_main is None:
            common.err.print("starcoach: nothing to rate yet", markup=False)
            return
        try:
            with held_interrupts():
                result = self.coach.rate(self.last_main, value)
        except StarcoachError as exc:
            common.err.print(f"starcoach: {exc}", markup=False)
            return
        self.results = [result if r.attempt.id == result.attempt.id else r for r in self.results]
        due = when(result.next_due, self.coach.now(), self.coach.local_tz()) if result.next_due else "?"
        rating = result.attempt.rating.value if result.attempt.rating else value
        self.out.print(f"[dim]Rating changed to[/dim] [bold]{rating}[/bold][dim]; comes back {due}.[/dim]")


def _reader(answer_file: Path | None, editor: bool) -> Reader:
    from starcoach.cli.practice_input import EditorReader, StreamReader, TerminalReader

    if answer_file is not None:
        from starcoach.service.files import read_user_text

        return StreamReader(iter(read_user_text(answer_file).splitlines()))
    tty = sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    base: TerminalReader | StreamReader = (
        TerminalReader()
        if tty
        else StreamReader(iter(sys.stdin.readline, "") if sys.stdin is not None else iter(()))
    )
    return EditorReader(base) if editor else base


def _voice_reader(
    c: Coach, out: Console, voice: bool, audio_files: list[Path] | None, answer_file: Path | None, editor: bool
) -> Reader | None:
    """The reader of spoken answers, after checking that they can work (extra, model, microphone)."""
    if not voice and not audio_files:
        return None
    from starcoach.cli.practice_voice import AudioFileReader, MicrophoneReader
    from starcoach.errors import InputError

    if (voice and audio_files) or answer_file is not None or editor:
        raise InputError("answer one way: --voice, --audio-file, --answer-file or --editor")
    c.voice.check_available()
    if audio_files:
        from starcoach.audio.decode import check_file

        for path in audio_files:
            check_file(path)
        return AudioFileReader(list(audio_files))
    from starcoach.audio.record import check_microphone

    check_microphone()
    return MicrophoneReader(c, out)


def _summary(runner: Runner, interrupted: bool) -> None:
    from rich.table import Table

    from starcoach.cli.practice_view import show_debrief

    out = runner.out
    main = [r for r in runner.results if r.attempt.kind.value != "follow_up"]
    summary = runner.coach.finish_session(runner.session_id) if runner.session_id else None
    if summary is not None and summary.debrief is not None:
        show_debrief(out, summary.debrief)
    n = len(runner.results)
    title = f"{n} answer{'' if n == 1 else 's'} saved" + (" (stopped early)" if interrupted else "")
    table = Table(title=title)
    for col in ("id", "question", "score", "rating"):
        table.add_column(col)
    for r in main:
        a = r.attempt
        table.add_row(
            escape(a.id),
            escape(a.question_text[:60]),
            "skipped" if a.score is None else str(a.score),
            a.rating.value if a.rating else "",
        )
    if main:
        out.print(table)
    if runner.options.get("json") and summary is not None:
        common.print_json(summary.to_dict())


CountOpt = Annotated[int, typer.Option("--count", "-n", help="How many questions (default 5).")]
CompOpt = Annotated[list[str] | None, typer.Option("--competency", "-c", help="Competency id (repeatable).")]
TypeOpt = Annotated[str | None, typer.Option("--type", "-t", help="story, approach, self, closing or knowledge.")]
CompanyOpt = Annotated[
    str | None,
    typer.Option(
        "--company",
        help="Focus on a company's principles or values: amazon, google, meta, microsoft, apple, netflix, "
        "stripe (or tih).",
    ),
]
BankOpt = Annotated[str | None, typer.Option("--bank", "-b", help="Only questions from this bank.")]
QuestionOpt = Annotated[
    list[str] | None,
    typer.Option("--question", "-q", help="Practice this question id (repeatable); overrides the choice."),
]
TimerOpt = Annotated[str, typer.Option("--timer", help="Time per answer: 120, 90s, 2m, 1m30s; 0 for none.")]
MockOpt = Annotated[int, typer.Option("--mock", help="Run a mock interview of N questions with a debrief.")]
FileOpt = Annotated[
    Path | None, typer.Option("--answer-file", help="Read answers from this file (same protocol).")
]
EditorOpt = Annotated[bool, typer.Option("--editor", help="Write each answer in $EDITOR.")]
NoFollowOpt = Annotated[bool, typer.Option("--no-follow-up", help="Do not ask follow-up questions.")]
StoriesOpt = Annotated[
    bool, typer.Option("--stories", help="Before each answer, name the story of yours that fits it best.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the session as JSON at the end (and nothing else).")
]
VoiceOpt = Annotated[
    bool, typer.Option("--voice", help="Answer out loud: record each answer from the microphone (voice extra).")
]
AudioFilesOpt = Annotated[
    list[Path] | None,
    typer.Option("--audio-file", help="A recorded answer (wav, mp3, m4a, ogg, webm); repeat for more questions."),
]


def practice_cmd(
    count: CountOpt = 5,
    competency: CompOpt = None,
    type_: TypeOpt = None,
    company: CompanyOpt = None,
    bank: BankOpt = None,
    timer: TimerOpt = str(DEFAULT_TIMER),
    mock: MockOpt = 0,
    answer_file: FileOpt = None,
    editor: EditorOpt = False,
    no_follow_up: NoFollowOpt = False,
    stories: StoriesOpt = False,
    as_json: JsonOpt = False,
    question: QuestionOpt = None,
    voice: VoiceOpt = False,
    audio_file: AudioFilesOpt = None,
) -> None:
    """Practice: answer questions against a timer, get STAR feedback and a follow-up, schedule reviews.

    Due questions come first, then your weakest competencies, then new ones. End an answer with two
    empty lines or Ctrl-D; ':skip', ':retry' and ':quit' work at any prompt. Answers can also come on
    stdin or from --answer-file, one after another, in the same form.
    """
    from starcoach.errors import InputError, StarcoachError

    c = common.coach()
    seconds = parse_duration(timer)
    from rich.console import Console

    out = Console(quiet=True) if as_json else common.out
    spoken = _voice_reader(c, out, voice, audio_file, answer_file, editor)
    if spoken is not None:
        no_follow_up, count = True, len(audio_file) if audio_file else count
    pool: PoolOptions = {"competencies": competency or [], "qtype": type_, "company": company, "bank": bank}
    if question:
        picks = c.choose_questions(question)
    else:
        picks = c.choose_mock(mock, **pool) if mock else c.choose_practice(count, **pool)
    recovered = c.recover_pending()
    if recovered:
        out.print(f"[dim]Scored {len(recovered)} answer(s) saved by an interrupted session.[/dim]")
    options: dict[str, object] = {"count": len(picks), "timer": seconds, "json": as_json, "company": company}
    runner = Runner(
        c, spoken or _reader(answer_file, editor), out, seconds or None, not no_follow_up, bool(mock), options,
        with_stories=stories,
    )
    interrupted = False
    try:
        runner.run(picks)
    except KeyboardInterrupt:
        interrupted = True
    except StarcoachError:
        raise
    except Exception as exc:  # a bug below us: the answer is already saved, so say that, not a traceback
        common.err.print(
            f"starcoach: error: the analysis failed ({type(exc).__name__}: {exc}); every answer is saved "
            "and one not yet scored will be scored on the next 'starcoach practice'",
            markup=False,
        )
        raise typer.Exit(1) from None
    interrupted = interrupted or runner.interrupted
    with held_interrupts():
        _summary(runner, interrupted)
    if interrupted:
        common.err.print(f"starcoach: stopped; {len(runner.results)} answers saved", markup=False)
        raise typer.Exit(130)
    if not runner.results and not runner.reader.interactive and not runner.dropped:
        raise InputError("no answers were given (standard input was empty or closed); nothing was saved")


def backup_cmd(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write (default: backups dir).")
    ] = None,
) -> None:
    """Back up the database (online backup API, integrity-checked, written atomically)."""
    path = common.coach().backup(output)
    common.out.print(f"backup written to {path} (integrity check ok)", markup=False)


def delete_cmd(
    all_: Annotated[
        bool, typer.Option("--all", help="Delete all your data: attempts, stories, banks, backups.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    keep_backups: Annotated[bool, typer.Option("--keep-backups", help="Keep the backup files.")] = False,
) -> None:
    """Delete all your data, leaving no trace of its text in the database or its WAL file."""
    from starcoach.errors import InputError

    if not all_:
        raise InputError(
            "say what to delete: 'starcoach delete --all' (to delete one bank: 'starcoach banks')"
        )
    c = common.coach()
    rows = sum(t.rows for t in c.data_counts())
    if not yes:
        what = "and its backups " if not keep_backups else ""
        if not typer.confirm(
            f"Delete all {rows} rows of data in {c.settings.home} {what}for good?", default=False
        ):
            raise typer.Abort()
    counts = c.delete_all(keep_backups=keep_backups)
    common.out.print(f"deleted {sum(t.rows for t in counts)} rows from {len(counts)} tables; nothing is left")


def register(app: typer.Typer) -> None:
    from starcoach.cli import history

    app.command("practice")(practice_cmd)
    history.register(app)
    app.command("backup")(backup_cmd)
    app.command("delete")(delete_cmd)
