"""``starcoach analyze``: analyze one answer (file or stdin) or a batch of answers (JSON lines).

    starcoach analyze answer.txt --question conflict-coworker
    echo "..." | starcoach analyze - --question "How do you handle tight deadlines?" --json
    starcoach analyze --batch answers.jsonl      # {"question": ..., "answer": ..., "id"?: ...} per line
    STARCOACH_JOBS=1 starcoach analyze --batch answers.jsonl   # one process (default: one per CPU)
    starcoach analyze --audio answer.m4a -q conflict-coworker   # spoken (needs the voice extra)

Rendering only: the question is resolved by the Coach (bank id -> Question, else free text) and the
answer by ``starcoach.analysis.pipeline.analyze``. Heavy imports happen inside the command so that
``starcoach --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from starcoach.cli import common

if TYPE_CHECKING:
    from rich.console import Console

    from starcoach.analysis.types import Analysis
    from starcoach.bank.model import Question

MAX_BYTES = 1_000_000
STAR_STYLES = {"situation": "blue", "task": "magenta", "action": "green", "result": "yellow", "other": "dim"}

QuestionOpt = Annotated[
    str | None, typer.Option("--question", "-q", help="A bank question id, or the question's text.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the Analysis as JSON (the documented contract).")
]
BatchOpt = Annotated[
    Path | None,
    typer.Option("--batch", help='JSON lines of {"question", "answer", "id"?}; one Analysis per line.'),
]
AudioOpt = Annotated[
    Path | None,
    typer.Option("--audio", help="A recording of the answer (wav, mp3, m4a, ogg, webm), transcribed offline."),
]
FileArg = Annotated[
    str | None, typer.Argument(metavar="FILE", help="File with the answer, or '-' for standard input.")
]


def read_answer(source: str | None) -> str:
    """The answer text from a file or stdin, as UTF-8; binary or huge input is an AnswerError."""
    from starcoach.errors import AnswerError, InputError

    if source is None or source == "-":
        if source is None and sys.stdin.isatty():
            raise InputError("give a FILE with the answer, or '-' to read it from standard input")
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "standard input"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file")
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{source}: cannot be read ({exc.strerror})") from None
        name = source
    if len(raw) > MAX_BYTES:
        raise AnswerError(f"{name}: the answer is over {MAX_BYTES:,} bytes; give one interview answer")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswerError(f"{name}: not UTF-8 text (is it a binary file?)") from None


def _resolve(ref: str | None) -> Question | str | None:
    """Coach.question_for, minus the cost of opening the store when it cannot matter: free question
    text (anything with a space), no question and bundled ids resolve the same way without it."""
    if ref is None or not ref.strip():
        return None
    if " " in ref.strip():
        return ref.strip()
    from starcoach.bank.builtin import builtin_question

    return builtin_question(ref.strip()) or common.coach().question_for(ref)


def _batch_line(line: str) -> tuple[str | None, str | None, str]:
    """Parse one batch line into (id, question, answer) or raise InputError."""
    from starcoach.errors import InputError

    try:
        item = json.loads(line)
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})") from None
    if not isinstance(item, dict):
        raise InputError("each line must be a JSON object with an 'answer'")
    answer, question, ident = item.get("answer"), item.get("question"), item.get("id")
    if not isinstance(answer, str):
        raise InputError("'answer' is missing or not a string")
    if question is not None and not isinstance(question, str):
        raise InputError("'question' must be a string (an id or the question's text)")
    return (str(ident) if ident is not None else None), question, answer


def run_batch(path: Path) -> int:
    """Analyze every line; a bad line gets one error line on stderr. Returns the exit code.

    Lines are read, parsed and their questions resolved here, in order; the analyses run in
    ``batch_jobs()`` forked workers (the models are loaded once, before the fork, and shared), and
    the results are written back in input order, so the output is the same whatever the job count."""
    from starcoach.errors import InputError

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    tasks = _batch_tasks(lines)
    failed = 0
    for n, ok, text in _run_tasks(tasks):
        if ok:
            sys.stdout.write(text + "\n")
        else:
            failed += 1
            common.err.print(f"starcoach: {path}:{n}: {text}", markup=False)
    sys.stdout.flush()
    return 2 if failed else 0


# (line number, id, resolved question, answer) to analyze, or (line number, error message)
BatchTask = tuple[int, str | None, "Question | str | None", str] | tuple[int, str]
BatchResult = tuple[int, bool, str]  # (line number, ok, JSON line or error message)
MIN_PARALLEL = 24  # fewer answers than this are not worth starting workers for
CHUNK = 8  # answers per task sent to a worker


def _batch_tasks(lines: list[str]) -> list[BatchTask]:
    from starcoach.errors import StarcoachError

    tasks: list[BatchTask] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            ident, question, answer = _batch_line(line)
            tasks.append((n, ident, _resolve(question), answer))
        except StarcoachError as exc:
            tasks.append((n, str(exc)))
    return tasks


def _analyze_task(task: BatchTask) -> BatchResult:
    """One line's result: its Analysis as one JSON line, or the error message."""
    from starcoach.analysis.pipeline import analyze
    from starcoach.errors import StarcoachError

    if len(task) == 2:
        return task[0], False, task[1]
    n, ident, question, answer = task
    try:
        data = analyze(answer, question).to_dict()
    except StarcoachError as exc:
        return n, False, str(exc)
    if ident is not None:
        data = {"id": ident, **data}
    return n, True, json.dumps(data, ensure_ascii=False)


def _analyze_chunk(chunk: list[BatchTask]) -> list[BatchResult]:
    return [_analyze_task(t) for t in chunk]


def batch_jobs() -> int:
    """Worker processes for ``--batch``: STARCOACH_JOBS if set, else the CPUs this process may use."""
    import os

    env = os.environ.get("STARCOACH_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _run_tasks(tasks: list[BatchTask]) -> Iterator[BatchResult]:
    """Results in input order: in this process for small batches or one job, else in forked workers
    that inherit the loaded models (where fork is not available everything runs here)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = min(batch_jobs(), max(1, len(tasks) // CHUNK))
    if jobs < 2 or len(tasks) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_analyze_task, tasks)
        return
    _warm_up()
    sys.stdout.flush()  # a forked worker flushes its inherited buffers when it exits
    chunks = _chunks(tasks, jobs)
    # An executor, not a Pool: a worker that dies raises BrokenProcessPool instead of hanging.
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for done in pool.map(_analyze_chunk, chunks):
            yield from done


def _chunks(tasks: list[BatchTask], jobs: int) -> list[list[BatchTask]]:
    """Consecutive slices of at most CHUNK tasks, shrinking toward the end (about a quarter of what is
    left per worker) so that the workers run out of work together rather than one chunk apart."""
    out: list[list[BatchTask]] = []
    at = 0
    while at < len(tasks):
        size = min(CHUNK, max(1, (len(tasks) - at) // (4 * jobs)))
        out.append(tasks[at:at + size])
        at += size
    return out


def _warm_up() -> None:
    """Load the models and fill the per-process caches once, before the workers are forked (and
    let the preload thread finish: a fork copies only the calling thread)."""
    from starcoach.analysis import preload
    from starcoach.analysis.pipeline import analyze

    preload.wait()
    analyze("I fixed the build. It worked.", "Tell me about a time you fixed something.")


def render(out: Console, answer: str, a: Analysis) -> None:
    """The analysis for people: colored sentences, dimensions, points, flags, suggestions, follow-ups."""
    from rich.table import Table
    from rich.text import Text

    from starcoach.cli.outline_view import show_outline

    q = a.question
    title = f"[bold]Score {a.score}/100[/bold]"
    if q.text:
        title += f"  [dim]{q.type} question{' ' + _esc(q.id) if q.id else ''}:[/dim] {_esc(q.text)}"
    out.print(title)
    if q.text and q.why:
        out.print(f"[dim]Typed as {q.type}: {_esc(q.why)}[/dim]")
    body = Text(answer)
    knowledge = q.type == "knowledge"
    for s in a.sentences if not knowledge else ():
        body.stylize(STAR_STYLES.get(s.star, "dim"), s.start, s.end)
    for m in a.misconceptions:
        body.stylize("bold red", m.start, m.end)
    out.print(body)
    if not knowledge:  # a technical answer has no STAR parts and no story length
        legend = Text("  ")
        for name, style in STAR_STYLES.items():
            legend.append(f"■ {name}  ", style=style)
        out.print(legend)
    target = "" if knowledge else " (target 60-120 s)"
    out.print(f"[dim]{a.words} words, about {a.speaking_seconds} s aloud{target}[/dim]")
    if a.missing:
        out.print(f"[red]Missing:[/red] {', '.join(a.missing)}")
    table = Table(show_header=True, header_style="bold")
    table.add_column("dimension")
    table.add_column("score")
    table.add_column("why")
    for name, dim in a.dimensions.items():
        table.add_row(name, "●" * dim.score + "○" * (5 - dim.score), _esc(dim.why))
    out.print(table)
    show_outline(out, a)
    _render_lists(out, a)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _render_lists(out: Console, a: Analysis) -> None:
    for m in a.misconceptions:
        out.print(f"[bold red]Wrong:[/bold red] [red]{_esc(m.text)}[/red] [dim]({_esc(m.why)})[/dim]")
    if a.points:
        out.print("[bold]Talking points[/bold]")
        for p in a.points:
            mark = "[green]✓[/green]" if p.covered else "[red]✗[/red]"
            out.print(f"  {mark} {_esc(p.label or p.text)}")
    if a.flags:
        shown = ", ".join(f"{f.kind}: {_esc(repr(f.text))}" for f in a.flags[:12])
        more = f" (+{len(a.flags) - 12} more)" if len(a.flags) > 12 else ""
        out.print(f"[bold]Flags[/bold] {shown}{more}")
    for title, items in (("Suggestions", a.suggestions), ("Follow-up questions", a.follow_ups)):
        if items:
            out.print(f"[bold]{title}[/bold]")
            for item in items:
                out.print(f"  • {_esc(item)}")
    if a.skipped:
        out.print(f"[dim]Skipped (model not installed): {', '.join(a.skipped)}[/dim]")


def analyze_audio(audio: Path, source: str | None, question: str | None, as_json: bool) -> None:
    """``--audio``: transcribe offline, analyze the transcript, and show how it sounded."""
    from starcoach.errors import InputError

    if source is not None:
        raise InputError("give either an answer FILE or --audio, not both")
    result = common.coach().voice.analyze_audio(audio, question)
    if as_json:
        common.print_json(result.to_dict())
        return
    from starcoach.cli.voice_view import render_speech

    speech = result.speech or {}
    render(common.out, str(speech.get("transcript", "")), result)
    render_speech(common.out, speech)


_FREEZE_AT_EXIT: list[bool] = []


def _freeze_at_exit() -> None:
    """Freeze the heap when the process exits: the interpreter then skips collecting the reference
    cycles of every module and model the analyzer loaded (about 20 ms of a 0.45 s command); the OS
    frees the memory anyway. Output is flushed first, as always; only cyclic objects' finalizers are
    skipped, and nothing the analyzer holds needs one."""
    if not _FREEZE_AT_EXIT:
        import atexit
        import gc

        _FREEZE_AT_EXIT.append(True)
        atexit.register(gc.freeze)


def _before_numpy() -> None:
    """One BLAS thread: the analyzer's matrices are tiny, and starting OpenBLAS's thread pool costs
    about 40 ms of a 0.5 s command (and oversubscribes the CPUs when ``--batch`` runs a worker per
    CPU). Only takes effect when numpy is not imported yet; an explicit setting wins."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def register(app: typer.Typer) -> None:
    """Add the ``analyze`` command to the app."""

    @app.command("analyze")
    def analyze_cmd(
        source: FileArg = None, question: QuestionOpt = None, as_json: JsonOpt = False, batch: BatchOpt = None,
        audio: AudioOpt = None,
    ) -> None:
        """Analyze an answer: STAR parts, seven scored dimensions, suggestions and follow-ups."""
        if audio is None:  # speech recognition has larger matrices and keeps its BLAS threads
            _before_numpy()
        from starcoach.analysis import preload

        preload.start()  # the models load in the background while the analyzer is imported
        _freeze_at_exit()
        if audio is not None:
            analyze_audio(audio, source, question, as_json)
            return
        if batch is not None:
            code = run_batch(batch)
            if code:
                raise typer.Exit(code)
            return
        from starcoach.analysis.pipeline import analyze

        answer = read_answer(source)
        result = analyze(answer, _resolve(question))
        if as_json:
            common.print_json(result.to_dict())
        else:
            render(common.out, answer, result)
