"""``starcoach review``, ``history`` (list, show, compare) and ``progress``: looking back over practice.

Thin, like every command module: one Coach call each (``service.history``), rendered by
``practice_view`` or printed as JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from starcoach.cli import common


def review_cmd(
    upcoming: Annotated[int, typer.Option("--upcoming", help="How many upcoming reviews to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the questions due for review today, and when the next ones come."""
    from starcoach.cli.practice_view import show_due

    c = common.coach()
    report = c.due(upcoming)
    if as_json:
        common.print_json(report.to_dict())
    else:
        show_due(common.out, report, c.local_tz())


group = typer.Typer(help="Your attempts: list, show one, compare two.", invoke_without_command=True)


@group.callback()
def history_list(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Option("--question", "-q", help="Only this question id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many (newest first).")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List attempts, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from starcoach.cli.practice_view import show_history

    c = common.coach()
    found = c.history(question, limit)
    if as_json:
        common.print_json([a.to_dict() for a in found])
    else:
        show_history(common.out, found, c.local_tz())


@group.command("show")
def history_show(
    attempt_id: Annotated[str, typer.Argument(help="Attempt id (or a unique prefix).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one attempt: the answer with STAR colors, its scores and suggestions."""
    from starcoach.cli.practice_view import show_attempt

    c = common.coach()
    a = c.attempt(attempt_id)
    if as_json:
        common.print_json(a.to_dict())
    else:
        show_attempt(common.out, a, c.local_tz())


@group.command("compare")
def history_compare(
    first: Annotated[str, typer.Argument(help="An attempt id, or a question id (first vs latest answer).")],
    second: Annotated[str | None, typer.Argument(help="A second attempt id at the same question.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare two attempts at the same question side by side."""
    from starcoach.cli.practice_view import show_comparison
    from starcoach.errors import NotFoundError

    c = common.coach()
    try:
        cmp = c.compare(first, second)
    except NotFoundError:
        if second is not None:
            raise
        a = c.attempt(first)
        cmp = c.compare(a.question_id)
    if as_json:
        common.print_json(cmp.to_dict())
    else:
        show_comparison(common.out, cmp, c.local_tz())


def progress_cmd(
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw the trends to FILE.png or FILE.svg.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Trends per competency and dimension, streaks, weakest STAR part, questions never practiced."""
    from starcoach.cli.practice_view import show_progress

    c = common.coach()
    prog = c.progress()
    if as_json:
        common.print_json(prog.to_dict())
    else:
        show_progress(common.out, prog)
    if plot is not None:
        written = c.plot_progress(plot)
        common.err.print(f"plot written to {written}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)
    app.add_typer(group, name="history")
    app.command("progress")(progress_cmd)
