"""``starcoach stories ...`` (add, import, edit, show, list, delete, export, coverage, suggest, plan)
and ``starcoach kit``.

Thin: each command reads its input, calls one Coach method and renders the result. Stories typed
in the editor are never lost: when they cannot be saved, the text is kept in the data dir's
``drafts/`` folder and the error says where.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from starcoach.cli import common
from starcoach.cli.common import escape

if TYPE_CHECKING:
    from starcoach.service.stories import SavedStory
    from starcoach.stories.checks import StoryReview
    from starcoach.stories.coverage import Coverage, CoverageRow
    from starcoach.stories.model import Story

group = typer.Typer(
    help="Your story bank: STAR stories mapped onto questions and competencies.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
QuestionsArg = Annotated[
    list[str] | None, typer.Argument(help="Question ids or texts (default: random, varied).")
]
CountOpt = Annotated[int, typer.Option("--count", "-n", help="How many random questions.")]
UpdateOpt = Annotated[bool, typer.Option("--update", help="Save stories whose title exists as new versions.")]
EditorOpt = Annotated[bool, typer.Option("--editor", help="Open $EDITOR even when stdin is not a terminal.")]
FileOpt = Annotated[
    Path | None, typer.Option("--file", "-f", help="Read the story from a file ('-': stdin).")
]


def _read_input(file: Path | None, initial: str, editor: bool = False) -> tuple[str, str, bool]:
    """(text, source name, came from the editor) from --file, piped stdin or $EDITOR."""
    from starcoach.errors import InputError

    if file is not None and str(file) != "-":
        from starcoach.service.files import read_user_text
        from starcoach.service.stories import MAX_STORY_BYTES

        return read_user_text(file, MAX_STORY_BYTES), str(file), False
    if file is not None or (not editor and not sys.stdin.isatty()):
        return sys.stdin.read(), "<stdin>", False
    import click

    edited = click.edit(initial, extension=".md", require_save=True)
    if edited is None:
        raise InputError("the editor closed without saving; nothing was saved")
    return edited, "<editor>", True


def _keep_draft(text: str) -> Path:
    return common.coach().keep_draft(text)


def _save_input(
    file: Path | None, editor: bool, initial: str, retry: str, save: Callable[[str, str], list[SavedStory]]
) -> list[SavedStory]:
    """Read a story (see ``_read_input``) and ``save(text, source)`` it. Text typed in the editor that
    cannot be saved is kept as a draft, and the error says how to try again (``retry``: the command)."""
    from starcoach.errors import InputError, StarcoachError

    text, source, from_editor = _read_input(file, initial, editor)
    try:
        return save(text, source)
    except StarcoachError as exc:
        if not from_editor:
            raise
        draft = _keep_draft(text)
        raise InputError(f"{exc} (your text is kept in {draft}; fix it and run '{retry} --file {draft}')") from None


def _print_review(review: StoryReview, indent: str = "  ") -> None:
    out = common.out
    for s in review.strengths:
        out.print(f"{indent}[green]✓[/green] {escape(s)}")
    for s in review.suggestions:
        out.print(f"{indent}[yellow]→[/yellow] {escape(s)}")
    if review.analyzer_score is not None:
        out.print(f"{indent}[dim]told as an answer, the analyzer scores it {review.analyzer_score}/100[/dim]")


def _print_saved(saved: list[SavedStory], as_json: bool) -> None:
    if as_json:
        common.print_json([s.to_dict() for s in saved])
        return
    for s in saved:
        mark = "[green]ok[/green]" if s.review.ok else "[yellow]needs work[/yellow]"
        common.out.print(
            f"{s.action} [cyan]{escape(s.story.id)}[/cyan] (version {s.story.version}): "
            f"{escape(s.story.title)} - {mark}"
        )
        _print_review(s.review)


@group.command("add")
def add_cmd(
    file: FileOpt = None,
    editor: EditorOpt = False,
    title: Annotated[str, typer.Option("--title", help="Pre-fill the template's title.")] = "",
    update: UpdateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write a story in $EDITOR (or read it from --file / stdin); it is checked and saved."""
    c = common.coach()
    retry = "starcoach stories add" + (" --update" if update else "")
    initial = c.story_template(title)
    _print_saved(_save_input(file, editor, initial, retry, lambda t, src: c.add_stories(t, src, update)), as_json)


@group.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A Markdown story file (see docs/stories-format.md).")],
    update: UpdateOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import many stories from one Markdown file: all of them, or none if any has a problem."""
    _print_saved(common.coach().import_stories(file, update), as_json)


@group.command("edit")
def edit_cmd(
    ref: Annotated[str, typer.Argument(help="Story id or title.")],
    file: FileOpt = None,
    editor: EditorOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Edit a story in $EDITOR (or replace it from --file); the earlier version is kept."""
    import shlex

    c = common.coach()
    retry = f"starcoach stories edit {shlex.quote(ref)}"
    initial = c.story_markdown(ref)
    _print_saved(_save_input(file, editor, initial, retry, lambda t, src: [c.edit_story(ref, t, src)]), as_json)


def _story_header(story: Story) -> str:
    from starcoach.stories.fields import format_when

    c = story.content
    bits = [story.id, f"version {story.version}"]
    bits += [x for x in (c.role, c.scope.label if c.scope else "", format_when(c.started, c.ended)) if x]
    return f"[bold]{escape(c.title)}[/bold]\n[dim]{escape(' · '.join(bits))}[/dim]"


def _competencies_line(story: Story, tagged: tuple[str, ...]) -> str:
    """'competencies: a, b', or the inferred ones, marked so, with how to correct them."""
    if tagged:
        return f"competencies: {escape(', '.join(tagged))}"
    inferred, _ = common.coach().story_competencies(story)
    if not inferred:
        return f"competencies: - [dim](add them: starcoach stories edit {escape(story.id)})[/dim]"
    return (
        f"competencies (inferred): {escape(', '.join(inferred))} "
        f"[dim](to correct: starcoach stories edit {escape(story.id)})[/dim]"
    )


def _print_story(story: Story, version: int | None) -> None:
    from starcoach.stories.fields import format_metrics

    out = common.out
    c = story.at_version(version) if version is not None else story.content
    out.print(_story_header(story) + (f"  [magenta](showing version {version})[/magenta]" if version else ""))
    tags = ", ".join(c.tags) or "-"
    out.print(f"{_competencies_line(story, c.competencies)}   tags: {escape(tags)}")
    for label, text in (
        ("Situation", c.situation),
        ("Task", c.task),
        ("Action", c.action),
        ("Result", c.result),
        ("Metrics", format_metrics(c.metrics)),
        ("Learned", c.learned),
    ):
        if text:
            out.print(f"\n[cyan]{label}[/cyan]\n{escape(text)}")


@group.command("show")
def show_cmd(
    ref: Annotated[str, typer.Argument(help="Story id or title.")],
    version: Annotated[int | None, typer.Option("--version", "-v", help="Show an earlier version.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print it in the story file format.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show a story, what to strengthen, the questions it answers best, and its versions."""
    c = common.coach()
    story = c.story(ref)
    if markdown:
        common.out.print(c.story_markdown(ref, version), markup=False, highlight=False)
        return
    review = c.story_review(story.id)
    fits = c.questions_for_story(story.id)
    if as_json:
        common.print_json(
            {"story": story.to_dict(), "review": review.to_dict(), "questions": [f.to_dict() for f in fits]}
        )
        return
    _print_story(story, version)
    common.out.print("\n[bold]Checks[/bold]")
    _print_review(review)
    common.out.print("\n[bold]Answers best[/bold]")
    for f in fits:
        qid = f" [dim]({escape(f.question_id)})[/dim]" if f.question_id else ""
        common.out.print(f"  {f.level.symbol} {f.level.value:8} {escape(f.question_text)}{qid}")
    versions = [(v.version, v.saved_at) for v in story.history] + [(story.version, story.updated_at)]
    listed = "   ".join(f"v{n} {at:%Y-%m-%d %H:%M}" for n, at in versions)
    common.out.print(f"\n[bold]Versions[/bold]  {listed}")


@group.command("list")
def list_cmd(as_json: JsonOpt = False) -> None:
    """List your stories with their competencies and whether each needs work."""
    from starcoach.stories.fields import format_when

    reviews = common.coach().story_reviews()
    if as_json:
        common.print_json([{**s.to_dict(), "review": r.to_dict()} for s, r in reviews])
        return
    if not reviews:
        common.out.print("No stories yet: 'starcoach stories add' or 'starcoach stories import FILE.md'.")
        return
    for i, (st, r) in enumerate(reviews, start=1):
        c = st.content
        status = "[green]ok[/green]" if r.ok else f"[yellow]{len(r.suggestions)} to strengthen[/yellow]"
        inferred = ", ".join(common.coach().story_competencies(st)[0])
        meta = [
            ", ".join(c.competencies) or (f"{inferred} (inferred)" if inferred else "no competencies"),
            c.scope.label if c.scope else "",
            format_when(c.started, c.ended),
            f"v{st.version}",
        ]
        common.out.print(f"[bold]S{i}[/bold] [cyan]{escape(st.id)}[/cyan]  {status}")
        common.out.print(f"    {escape(c.title)}\n    [dim]{escape(' · '.join(m for m in meta if m))}[/dim]")


@group.command("delete")
def delete_cmd(
    ref: Annotated[str, typer.Argument(help="Story id or title.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a story and all its versions."""
    from starcoach.errors import InputError

    c = common.coach()
    story = c.story(ref)
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("deleting needs confirmation: add --yes")
        typer.confirm(f"Delete '{story.title}' and its {story.version} version(s)?", abort=True)
    c.delete_story(story.id)
    common.out.print(f"deleted {escape(story.id)}: {escape(story.title)}")


@group.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md (story format) or json (with history).")
    ] = "md",
) -> None:
    """Export every story: Markdown you can import again, or JSON with all versions."""
    n = common.coach().export_stories(output, fmt)
    common.out.print(f"wrote {n} stories to {output}", markup=False)


def _grid(cov: Coverage, rows: tuple[CoverageRow, ...], title: str) -> None:
    from rich.table import Table

    number = {st.id: f"S{i}" for i, st in enumerate(cov.stories, start=1)}
    table = Table(title=title, show_lines=False, pad_edge=False, box=None)
    table.add_column("", no_wrap=True, overflow="ellipsis", max_width=30)
    for i in range(1, len(cov.stories) + 1):
        table.add_column(f"S{i}", justify="center", no_wrap=True)
    table.add_column("best", no_wrap=True)
    for row in rows:
        best = row.best
        label = (
            f"[red]{escape(row.key)}[/red]"
            if row.gap
            else escape(row.key if len(row.key) < 40 else row.label)
        )
        note = " [red]GAP[/red]" if row.gap else ("" if row.wants_story else " [dim]no story needed[/dim]")
        best_txt = f"{number[best.story_id]} {best.level.value}{note}" if best else note
        table.add_row(label, *(f.level.symbol for f in row.fits), best_txt)
    common.out.print(table)


@group.command("coverage")
def coverage_cmd(
    questions: Annotated[bool, typer.Option("--questions", help="Also a row per bank question.")] = False,
    question: Annotated[
        list[str] | None, typer.Option("--question", "-q", help="Rows for these questions only.")
    ] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write the grid to this CSV file.")] = None,
    html_path: Annotated[
        Path | None, typer.Option("--html", help="Write the grid to this HTML file.")
    ] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Also map a company's principles or values to your stories.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Which story answers which competency (and question); competencies with no strong story are gaps."""
    from starcoach.stories.fit import FitLevel

    c = common.coach()
    cov = c.story_coverage(list(question) if question else questions, company)
    if csv_path is not None:
        c.write_coverage(csv_path, "csv", cov)
    if html_path is not None:
        c.write_coverage(html_path, "html", cov)
    if as_json:
        common.print_json(cov.to_dict())
        return
    _grid(cov, cov.competencies, "Stories by competency")
    if cov.questions:
        _grid(cov, cov.questions, "Stories by question")
    if cov.principles and company:
        profile = c.company_profile(company)
        _grid(cov, cov.principles, f"Stories by {profile.name} {profile.kind}")
        missing = [r.label for r in cov.principles if r.gap]
        if missing:
            common.out.print(f"[red]No strong story for: {escape(', '.join(missing))}[/red]")
    for i, s in enumerate(cov.stories, start=1):
        common.out.print(f"  S{i} {escape(s.title)}")
    legend = "  ".join(f"{lv.symbol} {lv.value}" for lv in FitLevel)
    common.out.print(f"\n{legend}" + ("" if cov.semantic else "  [dim](words only: no embeddings)[/dim]"))
    gaps = ", ".join(cov.gaps)
    common.out.print(
        f"[red]Gaps: {gaps}[/red]" if gaps else "[green]No gaps: each competency has a strong story.[/green]"
    )
    for w in cov.warnings:
        common.err.print(f"warning: {w}", markup=False)
    for path in (csv_path, html_path):
        if path is not None:
            common.out.print(f"wrote {path}", markup=False)


@group.command("suggest")
def suggest_cmd(
    question: Annotated[str, typer.Argument(help="A question id or the question's text.")],
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many stories to show.")] = 5,
    competency: Annotated[
        list[str] | None,
        typer.Option("--competency", "-c", help="The competency the question probes, if the guess is wrong."),
    ] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Also name the company principle the question probes.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank your stories for a question, with the reason for each."""
    c = common.coach()
    profile = c.company_profile(company) if company else None
    sug = c.suggest_stories(question, limit, competency or ())
    if as_json:
        common.print_json(sug.to_dict())
        return
    q = sug.question
    comps = ", ".join(q.competencies) or "none found"
    inferred = q.source == "typed" and not competency
    label = "competencies (inferred; correct with --competency)" if inferred else "competencies"
    common.out.print(f"[bold]{escape(q.text)}[/bold]")
    common.out.print(f"[dim]{q.type.value} question · {label}: {escape(comps)}[/dim]")
    principle = c.company_principle(profile.id, q) if profile else None
    if profile is not None:
        probes = f"{principle.name} ({principle.summary})" if principle else "none of its principles"
        common.out.print(f"[cyan]{escape(profile.name)} {escape(profile.kind)}: {escape(probes)}[/cyan]")
    common.out.print()
    for i, f in enumerate(sug.fits, start=1):
        common.out.print(
            f"{i}. {f.level.symbol} [bold]{f.level.value}[/bold] {escape(f.story_title)} "
            f"[dim]({f.score:.2f})[/dim]\n   {escape(f.reason)}"
        )


def _print_plan(questions: list[str] | None, count: int, as_json: bool) -> None:
    loop = common.coach().plan_stories(questions or [], count)
    if as_json:
        common.print_json(loop.to_dict())
        return
    for w in loop.plan.warnings:
        common.err.print(f"warning: {w}", markup=False)
    for i, p in enumerate(loop.plan.picks, start=1):
        story = f"{escape(p.fit.story_title)} ({p.fit.level.value})" if p.fit else "[dim]no story[/dim]"
        common.out.print(f"{i}. {escape(p.question_text)}\n   → {story}")
    totals = f"total fit {loop.plan.total:.2f} (greedy pick, repeating stories: {loop.plan.greedy_total:.2f})"
    common.out.print(f"\n{totals}")


@group.command("plan")
def plan_cmd(
    questions: QuestionsArg = None,
    count: CountOpt = 5,
    as_json: JsonOpt = False,
) -> None:
    """Plan a mock interview loop: a different story for each question, chosen together."""
    _print_plan(questions, count, as_json)


def kit_cmd(
    questions: QuestionsArg = None,
    count: CountOpt = 5,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (.html or .md).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="md or html (default: from --output).")
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Title printed on the kit.")] = "Mock interview kit",
) -> None:
    """Write a printable kit for a friend playing the interviewer: questions, stories, probes, scorecards."""
    from starcoach.stories.kit import kit_markdown

    c = common.coach()
    kit = c.build_kit(questions or [], count, title)
    for w in kit.warnings:
        common.err.print(f"warning: {w}", markup=False)
    if output is None:
        sys.stdout.write(kit_markdown(kit))
        return
    chosen = fmt or ("html" if output.suffix.lower() in (".html", ".htm") else "md")
    c.write_kit(output, chosen, kit)
    common.out.print(f"wrote a kit of {len(kit.items)} questions to {output}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="stories")
    app.command("kit")(kit_cmd)
