"""``starcoach banks``, ``starcoach import`` and ``starcoach export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from starcoach.cli import common


def banks_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the question banks: the bundled one and every imported one."""
    found = common.coach().banks()
    if as_json:
        common.print_json(
            [{"id": b.id, "title": b.title, "questions": len(b.questions), "source": b.source} for b in found]
        )
        return
    from rich.table import Table

    table = Table(title=f"{len(found)} banks")
    for col in ("id", "title", "questions", "source"):
        table.add_column(col)
    for b in found:
        table.add_row(b.id, b.title, str(len(b.questions)), b.source)
    common.out.print(table)


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Markdown (seed format), JSON or CSV files.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md, json or csv (default: by extension).")] = None,
) -> None:
    """Import question banks. All files are read first; nothing is stored unless all of them parse."""
    report = common.coach().import_files(files, fmt)
    for b in report.banks:
        verb = "updated" if b.replaced else "imported"
        common.out.print(f"{verb} bank [cyan]{b.bank_id}[/cyan]: {b.questions} questions from {b.source or b.title}")
        for w in b.warnings:
            common.err.print(f"  warning: {w}", markup=False)
    for s in report.skipped:
        common.err.print(f"skipped: {s}", markup=False)


def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json, csv or anki.")] = "json",
    bank: Annotated[list[str] | None, typer.Option("--bank", "-b", help="Bank id (repeatable; default all).")] = None,
) -> None:
    """Export question banks to Markdown (one bank), JSON, CSV or an Anki deck (.apkg)."""
    written = common.coach().export(fmt, output, bank or [])
    n = sum(len(b.questions) for b in written)
    common.out.print(f"wrote {n} questions from {len(written)} bank(s) to {output}")


def register(app: typer.Typer) -> None:
    app.command("banks")(banks_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
