"""Team routes of coaching and administration: the admin page, cohorts and their dashboard, a coach's
view of a candidate and their attempts (comments at a sentence span, ratings), assignments, and the
candidate's own feedback and assignments pages.

Rules live in ``service.team_coaching`` (who may see what); these routes only read forms and render.
A coach asking for a candidate outside their cohorts gets 404, a candidate asking for a coach page 403.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from starcoach.analysis.types import DIMENSIONS
from starcoach.errors import InputError
from starcoach.service.team import ROLES
from starcoach.web.deps import render
from starcoach.web.team.deps import TeamDep, Who, see_other
from starcoach.web.views import STAR_NAMES

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/team", tags=["team"])

Short = Annotated[str, Form(max_length=200)]


def _link(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _link_page(request: Request, what: str, url: str, back: str) -> HTMLResponse:
    return render(request, "team_link.html", title=what, what=what, url=url, back=back)


# admin -------------------------------------------------------------------------------------------
@pages.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, who: Who, t: TeamDep) -> HTMLResponse:
    users = t.accounts.users(who)
    return render(request, "team_admin.html", nav="admin", title="Admin", users=users, roles=ROLES,
                  cohorts=t.coaching.cohorts(who), audit=t.accounts.repo.audit_entries(limit=50))


@pages.post("/admin/cohorts")
def create_cohort(who: Who, t: TeamDep, name: Short) -> Response:
    cohort = t.coaching.create_cohort(who, name)
    return see_other(f"/coach/cohorts/{cohort.id}")


@pages.post("/admin/members")
def add_member(who: Who, t: TeamDep, cohort: Short, email: Short, role: Short) -> Response:
    t.coaching.add_member(who, cohort, email, role)
    return see_other(f"/coach/cohorts/{cohort}")


@pages.post("/admin/invitations", response_class=HTMLResponse)
def admin_invite(request: Request, who: Who, t: TeamDep, role: Short, cohort: Short = "") -> HTMLResponse:
    token = t.accounts.invite(who, role, cohort or None)
    return _link_page(request, "Invitation link", _link(request, f"/invite/{token}"), "/admin")


@pages.post("/admin/users/{user_id}/reset", response_class=HTMLResponse)
def admin_reset(request: Request, who: Who, t: TeamDep, user_id: str) -> HTMLResponse:
    token = t.accounts.issue_reset(who, user_id)
    return _link_page(request, "Password reset link", _link(request, f"/reset/{token}"), "/admin")


@pages.post("/admin/users/{user_id}/role")
def admin_role(who: Who, t: TeamDep, user_id: str, role: Short) -> Response:
    t.accounts.set_role(who, user_id, role)
    return see_other("/admin")


# cohorts -----------------------------------------------------------------------------------------
@pages.get("/coach", response_class=HTMLResponse)
def cohorts_page(request: Request, who: Who, t: TeamDep) -> HTMLResponse:
    return render(request, "team_cohorts.html", nav="coach", title="Cohorts", cohorts=t.coaching.cohorts(who))


@pages.get("/coach/cohorts/{cohort_id}", response_class=HTMLResponse)
def dashboard_page(request: Request, who: Who, t: TeamDep, cohort_id: str) -> HTMLResponse:
    board = t.coaching.dashboard(who, cohort_id)
    return render(request, "team_dashboard.html", nav="coach", title=board["cohort"].name, **board)


@pages.post("/coach/cohorts/{cohort_id}/invitations", response_class=HTMLResponse)
def coach_invite(request: Request, who: Who, t: TeamDep, cohort_id: str) -> HTMLResponse:
    token = t.accounts.invite(who, "candidate", cohort_id)
    return _link_page(request, "Invitation link", _link(request, f"/invite/{token}"), f"/coach/cohorts/{cohort_id}")


@pages.post("/coach/cohorts/{cohort_id}/assignments")
def assign(who: Who, t: TeamDep, cohort_id: str, title: Short,
           questions: Annotated[str, Form(max_length=5000)], due: Annotated[str, Form(max_length=10)]) -> Response:
    t.coaching.assign(who, cohort_id, title, questions.replace(",", " ").split(), _due(due))
    return see_other(f"/coach/cohorts/{cohort_id}")


def _due(value: str) -> datetime:
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InputError("The due date is a day like 2026-12-31.") from None
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


# a candidate, seen by their coach ----------------------------------------------------------------
@pages.get("/coach/candidates/{user_id}", response_class=HTMLResponse)
def candidate_page(request: Request, who: Who, t: TeamDep, user_id: str) -> HTMLResponse:
    found = t.coaching.overview(who, user_id)
    return render(request, "team_candidate.html", nav="coach", title=found["user"].name, **found)


@pages.get("/coach/candidates/{user_id}/attempts/{attempt_id}", response_class=HTMLResponse)
def coach_attempt_page(request: Request, who: Who, t: TeamDep, user_id: str, attempt_id: str) -> HTMLResponse:
    found = t.coaching.attempt(who, user_id, attempt_id)
    return render(request, "team_attempt.html", nav="coach", title="Attempt", coach_view=True, **_notes(found),
                  dimensions=DIMENSIONS)


@pages.post("/coach/candidates/{user_id}/attempts/{attempt_id}/comments")
def add_comment(who: Who, t: TeamDep, user_id: str, attempt_id: str, span: Short,
                body: Annotated[str, Form(max_length=4000)]) -> Response:
    start, _, end = span.partition("-")
    if not (start.isdigit() and end.isdigit()):
        raise InputError("Choose the sentence the comment is about.")
    t.coaching.comment(who, user_id, attempt_id, int(start), int(end), body)
    return see_other(f"/coach/candidates/{user_id}/attempts/{attempt_id}")


@pages.post("/coach/candidates/{user_id}/attempts/{attempt_id}/rating")
async def rate(request: Request, who: Who, t: TeamDep, user_id: str, attempt_id: str) -> Response:
    form = await request.form()
    scores: dict[str, int] = {}
    for d in DIMENSIONS:
        value = form.get(d)
        if not isinstance(value, str) or not value.isdigit():
            raise InputError(f"Rate every dimension: {', '.join(DIMENSIONS)}.")
        scores[d] = int(value)
    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(t.coaching.rate, who, user_id, attempt_id, scores)
    return see_other(f"/coach/candidates/{user_id}/attempts/{attempt_id}")


# the candidate's own pages -----------------------------------------------------------------------
@pages.get("/feedback/{attempt_id}", response_class=HTMLResponse)
def feedback_page(request: Request, who: Who, t: TeamDep, attempt_id: str) -> HTMLResponse:
    found = t.coaching.own_attempt_notes(who, attempt_id)
    return render(request, "team_attempt.html", nav="practice", title="Coach feedback", coach_view=False,
                  **_notes(found), dimensions=DIMENSIONS)


@pages.get("/assignments", response_class=HTMLResponse)
def assignments_page(request: Request, who: Who, t: TeamDep) -> HTMLResponse:
    return render(request, "team_assignments.html", nav="assignments", title="Assignments",
                  items=t.coaching.my_assignments(who))


def _notes(found: dict[str, Any]) -> dict[str, Any]:
    """An attempt's sentences, each with the comments whose span starts inside it."""
    attempt = found["attempt"]
    sentences = list((attempt.analysis or {}).get("sentences", [])) or [
        {"start": 0, "end": len(attempt.answer), "text": attempt.answer, "star": "other"}]
    rows = []
    for s in sentences:
        start, end = int(s["start"]), int(s["end"])
        notes = [c for c in found["comments"] if start <= c.start < end]
        rows.append({"start": start, "end": end, "text": attempt.answer[start:end], "star": s.get("star", "other"),
                     "comments": notes})
    return {**found, "rows": rows, "star_names": STAR_NAMES}


# JSON --------------------------------------------------------------------------------------------
@api.get("/cohorts/{cohort_id}/dashboard", summary="A cohort's dashboard rows")
def dashboard_api(who: Who, t: TeamDep, cohort_id: str) -> dict[str, Any]:
    board = t.coaching.dashboard(who, cohort_id)
    return {"cohort": {"id": board["cohort"].id, "name": board["cohort"].name},
            "candidates": [r.to_dict() for r in board["rows"]]}


@api.get("/attempts/{attempt_id}/comments", summary="Coaches' comments on one of my attempts")
def my_comments(who: Who, t: TeamDep, attempt_id: str) -> dict[str, Any]:
    found = t.coaching.own_attempt_notes(who, attempt_id)
    return {"comments": [c.to_dict() for c in found["comments"]], "ratings": found["ratings"]}


@api.get("/candidates/{user_id}/attempts/{attempt_id}/comments", summary="Comments on a candidate's attempt")
def candidate_comments(who: Who, t: TeamDep, user_id: str, attempt_id: str) -> dict[str, Any]:
    found = t.coaching.attempt(who, user_id, attempt_id)
    return {"comments": [c.to_dict() for c in found["comments"]], "ratings": found["ratings"]}
