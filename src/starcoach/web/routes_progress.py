"""History and progress: attempts, side-by-side comparison, trend charts, what is due for review.

Read-only: every route here is a GET. Charts are SVG drawn on the server (``views``), so the page
needs no script and no chart library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from starcoach.errors import InputError
from starcoach.web.deps import CoachDep, render
from starcoach.web.routes_bank import competency_names
from starcoach.web.schemas import ComparisonOut, DueReportOut, ProgressOut
from starcoach.web.views import STAR_NAMES, bar_chart, highlight, line_chart, local_time, score_class

if TYPE_CHECKING:
    from starcoach.progress import Progress
    from starcoach.review.records import Attempt
    from starcoach.service import Coach

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["history and progress"])
HISTORY_ROWS = 100


def charts(prog: Progress) -> dict[str, Any]:
    """The three SVG charts of the progress page."""
    names = competency_names()
    overall = [(f"{d:%b} {d.day}", v) for d, v in prog.overall.points] if prog.overall else []
    comps = sorted(prog.competencies, key=lambda t: t.recent_mean)[:10]
    return {
        "overall": line_chart(overall, title="Average answer score per day"),
        "competencies": bar_chart(
            [(names.get(t.name, t.name), t.recent_mean) for t in comps],
            title="Recent average score per competency",
            x_max=100,
        ),
        "dimensions": bar_chart(
            [(t.name.capitalize(), t.recent_mean) for t in prog.dimensions],
            title="Recent average per dimension (1-5)",
            x_max=5,
        ),
        "topics": bar_chart(
            [(t.name, t.recent_mean) for t in sorted(prog.topics, key=lambda t: t.recent_mean)[:10]],
            title="Recent average score per topic (knowledge questions)",
            x_max=100,
        ) if prog.topics else "",
    }


def attempt_row(a: Attempt, c: Coach) -> dict[str, Any]:
    return {
        "id": a.id,
        "question_id": a.question_id,
        "question": a.question_text,
        "kind": a.kind.value,
        "status": a.status.value,
        "score": a.score,
        "cls": score_class(a.score or 0),
        "when": local_time(a.submitted_at, c.local_tz()),
    }


@pages.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, c: CoachDep) -> HTMLResponse:
    prog = c.progress()
    due = c.due(upcoming=8)
    tz = c.local_tz()
    rows = [attempt_row(a, c) for a in c.history(limit=HISTORY_ROWS)]
    return render(
        request,
        "progress.html",
        nav="progress",
        title="Progress",
        p=prog,
        charts=charts(prog),
        rows=rows,
        due=[{"item": d, "when": local_time(d.due, tz, with_time=False)} for d in due.due],
        upcoming=[{"item": d, "when": local_time(d.due, tz, with_time=False)} for d in due.upcoming],
        never=due.never_practiced,
        names=competency_names(),
        star_names=STAR_NAMES,
    )


@pages.get("/progress/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    c: CoachDep,
    id: Annotated[list[str] | None, Query(max_length=64)] = None,
    question: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    ids = [i for i in id or [] if i]
    if question and not ids:
        cmp = c.compare(question)
    elif len(ids) == 2:
        cmp = c.compare(ids[0], ids[1])
    else:
        raise InputError("Choose exactly two attempts at the same question to compare.")
    tz = c.local_tz()
    sides = []
    for a in (cmp.first, cmp.second):
        analysis = a.analysis or {"sentences": [], "flags": []}
        sides.append(
            {
                "a": a,
                "when": local_time(a.submitted_at, tz),
                "cls": score_class(a.score or 0),
                "segments": highlight(a.answer, analysis.get("sentences", []), analysis.get("flags", [])),
            }
        )
    return render(
        request,
        "compare.html",
        nav="progress",
        title="Compare attempts",
        cmp=cmp,
        sides=sides,
        star_names=STAR_NAMES,
    )


@api.get("/progress", response_model=ProgressOut, summary="Trends, streaks and weak spots")
def get_progress(c: CoachDep) -> dict[str, Any]:
    return c.progress().to_dict()


@api.get("/due", response_model=DueReportOut, summary="Questions due for review today, and the next ones")
def get_due(c: CoachDep, upcoming: Annotated[int, Query(ge=0, le=1000)] = 10) -> dict[str, Any]:
    return c.due(upcoming=upcoming).to_dict()


@api.get("/compare", response_model=ComparisonOut, summary="Two attempts at one question, side by side")
def compare(
    c: CoachDep,
    first: Annotated[str, Query(max_length=200, description="An attempt id, or a question id alone")],
    second: Annotated[str | None, Query(max_length=64, description="The other attempt id")] = None,
) -> dict[str, Any]:
    return c.compare(first, second).to_dict()
