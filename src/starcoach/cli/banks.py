"""``starcoach banks``, ``starcoach import`` and ``starcoach export``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from starcoach.cli import common
from starcoach.cli.common import escape

if TYPE_CHECKING:
    from starcoach.bank.dedupe import Link

_SHOWN_LINKS = 6


def banks_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the question banks: the bundled one and every imported one."""
    found = common.coach().banks()
    if as_json:
        common.print_json(
            [{"id": b.id, "title": b.title, "questions": len(b.questions), "source": b.source} for b in found]
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"{len(found)} banks"))
    for col in ("id", "title", "questions", "source"):
        table.add_column(col)
    for b in found:
        table.add_row(Text(b.id), Text(b.title), str(len(b.questions)), Text(b.source))
    common.out.print(table)


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="Markdown (seed format), JSON or CSV files.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="md, json or csv (default: by extension).")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Restore an 'export --all' file into an empty database.")
    ] = False,
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Give every imported question this type (e.g. knowledge).")
    ] = None,
) -> None:
    """Import question banks. All files are read first; nothing is stored unless all of them parse."""
    if all_:
        from starcoach.errors import InputError

        if len(files) != 1:
            raise InputError("import --all takes exactly one file (written by 'starcoach export --all')")
        counts = common.coach().import_all(files[0])
        rows = sum(t.rows for t in counts)
        common.out.print(f"restored {rows} rows into {len(counts)} tables from {files[0]}", markup=False)
        return
    report = common.coach().import_files(files, fmt, type_)
    for b in report.banks:
        verb = "updated" if b.replaced else "imported"
        common.out.print(
            f"{verb} bank [cyan]{escape(b.bank_id)}[/cyan]: {b.questions} questions from {escape(b.source or b.title)}"
        )
        if b.linked:
            common.out.print(f"  {escape(linked_line(b.linked))}")
        for w in b.warnings:
            common.err.print(f"  warning: {w}", markup=False)
    for s in report.skipped:
        common.err.print(f"skipped: {s}", markup=False)


def linked_line(links: Sequence[Link]) -> str:
    """'18 already in the bank, linked instead of copied: #1 -> conflict-coworker, ...'."""
    shown = ", ".join(f"{_where(link)} -> {link.target}" for link in links[:_SHOWN_LINKS])
    more = f", and {len(links) - _SHOWN_LINKS} more" if len(links) > _SHOWN_LINKS else ""
    return f"{len(links)} already in the bank, linked instead of copied: {shown}{more}"


def _where(link: Link) -> str:
    return f"#{link.number}" if link.number is not None else link.imported_id


def export_cmd(
    target: Annotated[Path | None, typer.Argument(help="File to write (same as --output).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json, csv or anki.")] = "json",
    bank: Annotated[list[str] | None, typer.Option("--bank", "-b", help="Bank id (repeatable; default all).")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Everything (banks, attempts, reviews, stories) as JSON.")
    ] = False,
) -> None:
    """Export question banks to Markdown (one bank), JSON, CSV or an Anki deck (.apkg); --all: everything."""
    from starcoach.errors import InputError

    path = output or target
    if path is None:
        raise InputError("give the file to write: 'starcoach export -o FILE' (or 'export --all FILE.json')")
    if all_:
        counts = common.coach().export_all(path)
        common.out.print(f"wrote {sum(t.rows for t in counts)} rows from {len(counts)} tables to {path}", markup=False)
        return
    written = common.coach().export(fmt, path, bank or [])
    n = sum(len(b.questions) for b in written)
    common.out.print(f"wrote {n} questions from {len(written)} bank(s) to {path}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("banks")(banks_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
