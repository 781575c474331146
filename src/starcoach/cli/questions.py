"""``starcoach questions list|show|search`` and the welcome screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from starcoach.cli import common

if TYPE_CHECKING:
    from starcoach.bank.model import Question

group = typer.Typer(help="Browse and search the question bank.", no_args_is_help=True)

TypeOpt = Annotated[str | None, typer.Option("--type", "-t", help="story, approach, self, closing or knowledge.")]
CompOpt = Annotated[list[str] | None, typer.Option("--competency", "-c", help="Competency id (repeatable).")]
PrincipleOpt = Annotated[
    str | None,
    typer.Option("--principle", "-p", help="A framework principle, e.g. 'amazon:ownership' or 'tih:growth'."),
]
BankOpt = Annotated[str | None, typer.Option("--bank", "-b", help="Only this bank (see 'starcoach banks').")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


WIDE = 110  # below this, type and competencies go under the question instead of in their own columns


def show_table(found: list[Question], title: str) -> None:
    """The questions as a table that keeps the question text readable at 80 columns and when piped.

    User text goes in as ``Text``, never as markup: a bank may hold ``[/r/cscareerquestions]``.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    wide = common.out.width >= WIDE
    table = Table(title=Text(title), show_lines=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True, max_width=32, overflow="fold")
    if wide:
        table.add_column("type", style="magenta", no_wrap=True)
    table.add_column("question", ratio=1, min_width=30)
    if wide:
        table.add_column("competencies", style="green", max_width=30)
    for q in found:
        comps = ", ".join(q.competencies)
        if wide:
            table.add_row(Text(q.id), q.type.value, Text(q.text), Text(comps))
            continue
        cell = Text(q.text)
        cell.append(f"\n{q.type.value}" + (f" · {comps}" if comps else ""), style="dim")
        table.add_row(Text(q.id), cell)
    common.out.print(table)


def _list(
    type_: str | None,
    competency: list[str] | None,
    principle: str | None,
    bank: str | None,
    words: list[str],
    as_json: bool,
) -> None:
    """The questions that pass the options (and hold ``words``, best match first), as a table or JSON."""
    from starcoach.bank.query import make_filter

    text = " ".join(words)
    found = common.coach().questions(make_filter(type_, competency or [], principle, bank, text))
    if as_json:
        common.print_json([q.to_dict() for q in found])
    else:
        show_table(found, f"{len(found)} questions" + (f" matching '{text}'" if text else ""))


@group.command("list")
def list_cmd(
    type_: TypeOpt = None,
    competency: CompOpt = None,
    principle: PrincipleOpt = None,
    bank: BankOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List questions, optionally filtered."""
    _list(type_, competency, principle, bank, [], as_json)


@group.command("search")
def search_cmd(
    words: Annotated[list[str], typer.Argument(help="Words to look for.")],
    type_: TypeOpt = None,
    competency: CompOpt = None,
    principle: PrincipleOpt = None,
    bank: BankOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search questions and their talking points, best match first."""
    _list(type_, competency, principle, bank, words, as_json)


@group.command("show")
def show_cmd(
    question_id: Annotated[str, typer.Argument(help="Question id.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one question with its talking points, follow-ups and red flags."""
    q = common.coach().question(question_id)
    if as_json:
        common.print_json(q.to_dict())
        return
    print_question(q)


def print_question(q: Question) -> None:
    from rich.markup import escape

    out = common.out
    out.print(f"[bold]{escape(q.text)}[/bold]")
    meta = f"{q.id} · {q.type.value} · {', '.join(q.competencies) or 'no competency'} · {q.bank}"
    out.print(f"[dim]{escape(meta)}[/dim]")
    if q.points:
        out.print("\n[bold]What a strong answer covers[/bold]")
        for p in q.points:
            label = f"[cyan]{escape(p.label)}[/cyan]: " if p.label else ""
            out.print(f"  • {label}{escape(p.text)}")
    for title, items in (("Follow-ups", q.follow_ups), ("Red flags", q.red_flags)):
        if items:
            out.print(f"\n[bold]{title}[/bold]")
            for item in items:
                out.print(f"  • {escape(item)}")


def welcome() -> None:
    """What plain ``starcoach`` shows: the bank at a glance and a question to practice now."""
    from rich.markup import escape

    c = common.coach()
    questions = c.all_questions()
    day = c.now().toordinal()
    story = [q for q in questions if q.type.value == "story"] or questions
    q = story[day % len(story)]
    common.out.print(f"[bold]starcoach[/bold]: {len(questions)} questions in {len(c.banks())} bank(s).\n")
    common.out.print("Today's question:")
    common.out.print(f"  [bold]{escape(q.text)}[/bold]  [dim]({escape(q.id)})[/dim]\n")
    common.out.print("Practice now: 'starcoach practice' (or 'starcoach serve' for the browser).")
    common.out.print("More: 'starcoach questions search WORDS', 'starcoach stories import FILE', 'starcoach --help'.")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="questions")
