"""How practice results look in the terminal (rich): analyses, ratings, debriefs, due lists, history.

Rendering only: every function takes what the service returned and prints it to a console.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from starcoach.cli.outline_view import show_outline

if TYPE_CHECKING:
    from starcoach.progress import Progress
    from starcoach.review.debrief import Debrief
    from starcoach.review.records import Attempt
    from starcoach.service.history import Comparison, DueReport
    from starcoach.service.practice import AttemptResult

STAR_STYLES = {"situation": "blue", "task": "magenta", "action": "green", "result": "yellow", "other": "dim"}


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def when(at: datetime, now: datetime, tz: tzinfo) -> str:
    """A due date as people say it: 'today', 'tomorrow', 'in 5 days (Mar 09)', 'overdue since Mar 01'."""
    days = (at.astimezone(tz).date() - now.astimezone(tz).date()).days
    stamp = at.astimezone(tz).strftime("%b %d")
    if days < 0:
        return f"overdue since {stamp}"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days ({stamp})"


def star_text(answer: str, sentences: list[dict[str, Any]]) -> Text:
    """The answer with each sentence colored by its STAR label (offsets index ``answer``)."""
    text = Text(answer)
    for s in sentences:
        style = STAR_STYLES.get(str(s.get("star")), "dim")
        start, end = int(s.get("start", 0)), int(s.get("end", 0))
        if 0 <= start < end <= len(answer):
            text.stylize(style, start, end)
    return text


def legend() -> Text:
    out = Text("  ")
    for name, style in STAR_STYLES.items():
        out.append(f"■ {name}  ", style=style)
    return out


def _dots(score: int) -> str:
    return "●" * max(0, min(5, score)) + "○" * (5 - max(0, min(5, score)))


def show_analysis(out: Console, result: AttemptResult, now: datetime, tz: tzinfo) -> None:
    """Colored sentences, score, dimensions, what is missing, suggestions and the rating."""
    attempt = result.attempt
    if result.analysis is None:
        out.print(f"[yellow]{escape(result.note or 'skipped')}[/yellow]  [dim](saved as {attempt.id})[/dim]")
        return
    data = result.analysis.to_dict()
    out.print()
    out.print(star_text(attempt.answer, data.get("sentences", [])))
    out.print(legend())
    timing = f"answered in {clock(attempt.answer_seconds)}"
    if attempt.time_limit_seconds:
        timing += f" of {clock(attempt.time_limit_seconds)}" + (
            " [red](over time)[/red]" if attempt.over_time else ""
        )
    out.print(f"\n[bold]Score {data['score']}/100[/bold]  ·  {data.get('words', 0)} words  ·  {timing}")
    table = Table(show_header=False, box=None, pad_edge=False)
    for name, dim in data.get("dimensions", {}).items():
        table.add_row(f"  {name}", _dots(int(dim["score"])), escape(str(dim.get("why", ""))))
    out.print(table)
    if data.get("missing"):
        out.print(f"[red]Missing:[/red] {', '.join(data['missing'])}")
    if data.get("question", {}).get("type") == "knowledge":
        show_knowledge(out, data)
    else:
        show_outline(out, result.analysis)
    for tip in data.get("suggestions", [])[:4]:
        out.print(f"  [cyan]→[/cyan] {escape(tip)}")
    if attempt.rating is not None and result.next_due is not None:
        out.print(
            f"[dim]Rated[/dim] [bold]{attempt.rating.value}[/bold] [dim]from the score; comes back "
            f"{when(result.next_due, now, tz)}. Saved as {attempt.id}.[/dim]"
        )
    else:
        out.print(f"[dim]Saved as {attempt.id}.[/dim]")


def show_knowledge(out: Console, data: dict[str, Any]) -> None:
    """Key points covered and missed, misconceptions in red, then the model answer."""
    for m in data.get("misconceptions", []):
        out.print(f"[bold red]✗ Wrong:[/bold red] [red]{escape(m['text'])}[/red] [dim]({escape(m['why'])})[/dim]")
    for p in data.get("points", []):
        mark = "[green]✓[/green]" if p["covered"] else "[yellow]·[/yellow]"
        label = f"[bold]{escape(p['label'])}[/bold]: " if p.get("label") else ""
        out.print(f"  {mark} {label}{escape(p['text'].splitlines()[0])}")
    if data.get("model_answer"):
        out.print("[bold]Model answer[/bold]")
        out.print(escape(data["model_answer"]), highlight=False)


def show_debrief(out: Console, brief: Debrief) -> None:
    """The mock interview's debrief, as an interviewer would file it."""
    color = "green" if brief.decision == "inclined" else "red"
    out.rule("[bold]Debrief[/bold]")
    out.print(
        f"[bold {color}]{brief.decision.upper()}[/bold {color}] · confidence {brief.confidence:.0%} · "
        f"mean score {brief.mean_score} · {brief.answered}/{brief.questions} answered"
    )
    for comp in brief.competencies:
        out.print(f"\n[bold]{escape(comp.competency)}[/bold]: {comp.rating} ({comp.score})")
        for quote in comp.evidence[:3]:
            out.print(f"  [green]+[/green] {escape(quote)}")
        for gap in comp.gaps[:3]:
            out.print(f"  [red]-[/red] {escape(gap)}")
    for title, moment in (("Strongest moment", brief.strongest), ("Weakest moment", brief.weakest)):
        if moment is not None:
            out.print(f"\n[bold]{title}[/bold] ({moment.score}): {escape(moment.question)}")
            if moment.quote:
                out.print(f"  {escape(moment.quote)}")
            out.print(f"  [dim]{escape(moment.why)}[/dim]")
    for note in brief.notes:
        out.print(f"[dim]Note: {escape(note)}[/dim]")
    out.print(f"\n{escape(brief.summary)}")


def show_due(out: Console, report: DueReport, tz: tzinfo) -> None:
    if not report.cards:
        out.print("Nothing to review yet: 'starcoach practice' schedules each question you answer.")
        return
    table = Table(
        title=f"{len(report.due)} due today · {report.cards} questions scheduled · "
        f"{report.never_practiced} never practiced"
    )
    for col in ("question", "id", "due", "last rating", "reviews"):
        table.add_column(col)
    for items, style in ((report.due, "bold"), (report.upcoming, "dim")):
        for item in items:
            table.add_row(
                escape(item.question),
                escape(item.question_id),
                when(item.due, report.now, tz),
                item.last_rating or "",
                str(item.reps),
                style=style,
            )
    out.print(table)


def show_history(out: Console, attempts: list[Attempt], tz: tzinfo) -> None:
    if not attempts:
        out.print("No attempts yet: start with 'starcoach practice'.")
        return
    table = Table(title=f"{len(attempts)} attempts (newest first)")
    for col in ("id", "when", "kind", "question", "score", "rating", "time"):
        table.add_column(col)
    for a in attempts:
        table.add_row(
            escape(a.id),
            a.submitted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            a.kind.value,
            escape(a.question_text[:70]),
            "skipped" if a.score is None else str(a.score),
            a.rating.value if a.rating else "",
            clock(a.answer_seconds),
        )
    out.print(table)


def show_attempt(out: Console, a: Attempt, tz: tzinfo) -> None:
    out.print(f"[bold]{escape(a.question_text)}[/bold]")
    out.print(
        f"[dim]{escape(a.id)} · {a.kind.value} · {escape(a.question_id)} · "
        f"{a.submitted_at.astimezone(tz):%Y-%m-%d %H:%M} · {clock(a.answer_seconds)}[/dim]"
    )
    if a.analysis is None:
        out.print(escape(a.answer) if a.answer.strip() else "[yellow](skipped)[/yellow]")
        return
    out.print(star_text(a.answer, a.analysis.get("sentences", [])))
    rating = f" · rated {a.rating.value} ({escape(str(a.rating_source))})" if a.rating else ""
    out.print(f"\n[bold]Score {a.score}/100[/bold]{rating}")
    for name, dim in a.analysis.get("dimensions", {}).items():
        out.print(f"  {name:<12} {_dots(int(dim['score']))}  {escape(str(dim.get('why', '')))}")
    for tip in a.analysis.get("suggestions", [])[:4]:
        out.print(f"  [cyan]→[/cyan] {escape(tip)}")


def show_comparison(out: Console, cmp: Comparison, tz: tzinfo) -> None:
    from rich.columns import Columns
    from rich.panel import Panel

    def panel(a: Attempt) -> Panel:
        body = star_text(a.answer, (a.analysis or {}).get("sentences", []))
        score = a.score if a.score is not None else "-"
        title = f"{a.id} · {a.submitted_at.astimezone(tz):%Y-%m-%d} · score {score}"
        return Panel(body, title=Text(title), expand=True)

    out.print(f"[bold]{escape(cmp.first.question_text)}[/bold]")
    out.print(Columns([panel(cmp.first), panel(cmp.second)], equal=True, expand=True))
    table = Table(title="dimensions")
    for col in ("dimension", cmp.first.id, cmp.second.id, "change"):
        table.add_column(Text(col))
    for name, (x, y) in cmp.dimensions.items():
        change = f"{y - x:+d}" if x is not None and y is not None else ""
        table.add_row(name, "" if x is None else str(x), "" if y is None else str(y), change)
    if cmp.score_change is not None:
        table.add_row(
            "score", str(cmp.first.score), str(cmp.second.score), f"{cmp.score_change:+d}", style="bold"
        )
    out.print(table)


def show_progress(out: Console, prog: Progress) -> None:
    if not prog.attempts:
        out.print("No attempts yet: start with 'starcoach practice'.")
        return
    out.print(
        f"[bold]{prog.scored}[/bold] scored answers ({prog.skipped} skipped) on {prog.days_practiced} days · "
        f"streak [bold]{prog.current_streak}[/bold] day(s), longest {prog.longest_streak}"
    )
    if prog.overall is not None:
        out.print(
            f"Overall: mean {prog.overall.mean:.0f}, recent {prog.overall.recent_mean:.0f}, "
            f"change {prog.overall.change:+.0f}"
        )
    table = Table(title="competencies (weakest first)")
    for col in ("competency", "answers", "recent mean", "change"):
        table.add_column(col)
    for t in sorted(prog.competencies, key=lambda t: t.recent_mean):
        table.add_row(escape(t.name), str(t.count), f"{t.recent_mean:.0f}", f"{t.change:+.0f}")
    out.print(table)
    dims = Table(title="dimensions (1-5)")
    for col in ("dimension", "recent mean", "change"):
        dims.add_column(col)
    for t in sorted(prog.dimensions, key=lambda t: t.recent_mean):
        dims.add_row(t.name, f"{t.recent_mean:.1f}", f"{t.change:+.1f}")
    out.print(dims)
    if prog.topics:
        topics = Table(title="topics: knowledge questions by day (weakest first)")
        for col in ("topic", "answers", "recent mean", "change"):
            topics.add_column(col)
        for t in sorted(prog.topics, key=lambda t: t.recent_mean):
            topics.add_row(escape(t.name), str(t.count), f"{t.recent_mean:.0f}", f"{t.change:+.0f}")
        out.print(topics)
    weakest_star = prog.weakest_star or "none (every part shows up)"
    out.print(
        f"Weakest competency: [bold]{escape(str(prog.weakest_competency))}[/bold] · weakest dimension: "
        f"[bold]{prog.weakest_dimension}[/bold] · STAR part most often missing: [bold]{weakest_star}[/bold]"
    )
    if prog.never_practiced:
        shown = ", ".join(prog.never_practiced[:8]) + (" ..." if len(prog.never_practiced) > 8 else "")
        out.print(f"{len(prog.never_practiced)} questions never practiced: [dim]{escape(shown)}[/dim]")
