"""Practice in the browser: a question, a countdown, an answer box, then the explained analysis.

``GET /practice`` shows a question: ``?q=ID`` (with ``retry_of`` for a retry), a follow-up of an
attempt (``?parent=ATTEMPT&text=...``), free text (``?text=...``, analyzed but not recorded), or
else the one the Coach chooses (due first, then weak spots, then new), by a redirect to its
``?q=ID`` so that a reload, a bookmark or the back button keeps the question. ``POST /practice`` records
the answer through the Coach and redirects to the attempt's page (post/redirect/get: a reload never
records twice). The JSON API offers the same: ``/api/practice/next``, ``/api/attempts``,
``/api/attempts/{id}/follow-up`` and ``/api/analyze`` (analysis only, nothing stored).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from starcoach.errors import InputError
from starcoach.web.deps import CoachDep, render, writing
from starcoach.web.routes_bank import competency_names
from starcoach.web.schemas import (
    MAX_ANSWER_CHARS,
    MAX_QUESTION_CHARS,
    AnalysisOut,
    AnalyzeIn,
    AttemptIn,
    AttemptOut,
    AttemptResultOut,
    FollowUpIn,
    PickOut,
)
from starcoach.web.views import STAR_NAMES, evidence_text, highlight, local_time, score_class, star_counts
from starcoach.web.voice_views import timeline

if TYPE_CHECKING:
    from starcoach.bank.model import Question
    from starcoach.review.records import Attempt
    from starcoach.service import Coach

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["practice"])

STORY_SECONDS = 120
SHORT_SECONDS = 90
MAX_SECONDS = 24 * 3600


def target_seconds(question: Question | None) -> int:
    """How long the countdown runs: two minutes for a story, ninety seconds for anything else."""
    if question is None or question.type.value == "story":
        return STORY_SECONDS
    return SHORT_SECONDS


@pages.get("/practice", response_class=HTMLResponse)
def practice_page(
    request: Request,
    c: CoachDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    text: Annotated[str | None, Query(max_length=MAX_QUESTION_CHARS)] = None,
    parent: Annotated[str | None, Query(max_length=64)] = None,
    retry_of: Annotated[str | None, Query(max_length=64)] = None,
    skip: Annotated[str | None, Query(max_length=200, description="Not this question again")] = None,
    why: Annotated[str | None, Query(max_length=200, description="Why the question was chosen")] = None,
    company: Annotated[str | None, Query(max_length=40, description="A company profile, e.g. amazon")] = None,
) -> Response:
    question: Question | None = None
    profile = c.company_profile(company) if company else None
    parent_attempt = c.attempt(parent) if parent else None
    free = (text or "").strip()
    if q:
        question = c.question(q)
    elif parent_attempt is not None and not free:
        raise InputError("A follow-up needs its question text (the 'text' parameter).")
    elif not free:
        return _chosen_redirect(c, skip, profile.id if profile else None)
    return render(
        request,
        "practice.html",
        nav="practice",
        title="Practice",
        question=question,
        reason=(why or "").strip() if question is not None else "",
        free_text=free if question is None else "",
        parent=parent_attempt,
        retry_of=retry_of if question is not None else "",
        seconds=target_seconds(question),
        due=len(c.due().due),
        names=competency_names(),
        hint=c.story_hint(question) if question is not None and c.stories() else None,
        company=profile,
        companies=_companies(),
        principle=c.company_principle(profile.id, question) if profile and question else None,
    )


def _companies() -> list[tuple[str, str]]:
    from starcoach.bank.companies import COMPANIES

    return [(cid, p.name) for cid, p in COMPANIES.items()]


def _chosen_redirect(c: Coach, skip: str | None, company: str | None) -> RedirectResponse:
    """Choose the next question and put it in the URL, so a reload or a bookmark keeps it."""
    from urllib.parse import urlencode

    picks = c.choose_practice(2, company=company)
    pick = next((p for p in picks if p.question.id != skip), picks[0])
    params = {"q": pick.question.id, "why": f"{pick.reason}: {pick.detail}"[:200]}
    query = urlencode({**params, "company": company} if company else params)
    return RedirectResponse(f"/practice?{query}", status_code=303)


@pages.post("/practice", response_model=None)
def practice_submit(
    request: Request,
    answer: Annotated[str, Form(max_length=MAX_ANSWER_CHARS)],
    question_id: Annotated[str, Form(max_length=200)] = "",
    question_text: Annotated[str, Form(max_length=MAX_QUESTION_CHARS)] = "",
    parent: Annotated[str, Form(max_length=64)] = "",
    retry_of: Annotated[str, Form(max_length=64)] = "",
    seconds: Annotated[int | None, Form(ge=0, le=MAX_SECONDS)] = None,
    company: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    if not answer.strip():
        raise InputError("The answer is empty: type or paste your answer, then press Analyze.")
    with writing(request) as c:
        if not question_id and not parent:
            analysis = c.analyze(answer, question_text or None).to_dict()
            return render_result(request, c, answer, analysis, attempt=None)
        started = c.now() - timedelta(seconds=seconds or 0)
        if parent:
            result = c.submit_follow_up(parent, question_text, answer, started_at=started)
        else:
            q = c.question(question_id)
            result = c.submit_answer(
                q, answer, started_at=started, time_limit_seconds=target_seconds(q), retry_of=retry_of or None
            )
    from urllib.parse import urlencode

    after = f"?{urlencode({'company': c.company_profile(company).id})}" if company else ""
    return RedirectResponse(f"/attempts/{result.attempt.id}{after}", status_code=303)


@pages.get("/attempts/{attempt_id}", response_class=HTMLResponse)
def attempt_page(
    request: Request,
    attempt_id: str,
    c: CoachDep,
    company: Annotated[str | None, Query(max_length=40, description="Keep practising for this company")] = None,
) -> HTMLResponse:
    a = c.attempt(attempt_id)
    profile = c.company_profile(company) if company else None
    if a.analysis is None:
        return render(
            request,
            "skipped.html",
            nav="practice",
            title="Not scored",
            attempt=a,
            when=local_time(a.submitted_at, c.local_tz()),
        )
    return render_result(request, c, a.answer, a.analysis, attempt=a, company=profile.id if profile else "")


def _next_due(c: Coach, question_id: str) -> str:
    due = c.next_due(question_id)
    return local_time(due, c.local_tz(), with_time=False) if due is not None else ""


def _links(c: Coach, a: Attempt | None, analysis: dict[str, Any]) -> dict[str, str]:
    """Where Retry, the follow-up and Next lead from this result."""
    from urllib.parse import urlencode

    qid = analysis["question"].get("id")
    if a is None:
        return {"retry": f"/practice?q={qid}" if qid else "", "follow_up": "", "follow_up_text": ""}
    if a.kind.value == "follow_up":
        retry = "/practice?" + urlencode({"parent": a.parent_id or "", "text": a.question_text})
        return {"retry": retry, "follow_up": "", "follow_up_text": ""}
    text = c.follow_up_after(a)
    first = a.parent_id if a.kind.value == "retry" and a.parent_id else a.id
    return {
        "retry": "/practice?" + urlencode({"q": a.question_id, "retry_of": first}),
        "follow_up": "/practice?" + urlencode({"parent": a.id, "text": text}),
        "follow_up_text": text,
    }


def coach_notes(request: Request, answer: str, attempt: Attempt | None) -> list[dict[str, str]]:
    """In team mode, what the candidate's coaches wrote about this attempt, each with the words it is
    about, shown beside the analysis (the service checks the attempt is the signed-in user's own)."""
    team, who = getattr(request.state, "team", None), getattr(request.state, "principal", None)
    if team is None or who is None or attempt is None:
        return []
    found = team.coaching.own_attempt_notes(who, attempt.id)
    return [{"quote": answer[c.start:c.end], "body": c.body, "author": c.author_name}
            for c in found["comments"]]


def render_result(
    request: Request, c: Coach, answer: str, analysis: dict[str, Any], attempt: Attempt | None, company: str = ""
) -> HTMLResponse:
    """The analysis page: highlighted answer, scores, talking points, suggestions, what to do next."""
    points = [{**p, "quote": evidence_text(answer, p.get("evidence"))} for p in analysis.get("points", [])]
    knowledge = knowledge_view(analysis) if analysis["question"].get("type") == "knowledge" else None
    info = None
    if attempt is not None:
        info = {
            "id": attempt.id,
            "kind": attempt.kind.value,
            "when": local_time(attempt.submitted_at, c.local_tz()),
            "seconds": round(attempt.answer_seconds),
            "over": attempt.over_time,
            "next_due": _next_due(c, attempt.question_id) if attempt.kind.value == "answer" else "",
        }
    return render(
        request,
        "result.html",
        nav="practice",
        title="Feedback",
        coach_notes=coach_notes(request, answer, attempt),
        a=analysis,
        answer=answer,
        segments=highlight(answer, analysis["sentences"], analysis.get("flags", [])),
        counts=star_counts(analysis["sentences"]),
        star_names=STAR_NAMES,
        points=points,
        score_cls=score_class(float(analysis["score"])),
        attempt=info,
        links=_links(c, attempt, analysis),
        dim_cls=score_class,
        knowledge=knowledge,
        outline=_outline(analysis),
        company=company,
        timeline=timeline(analysis),
    )


def _outline(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """'Your answer, restructured' for the result page (None when the question wants no story)."""
    from starcoach.analysis.outline import outline
    from starcoach.analysis.types import Analysis

    found = outline(Analysis.from_dict(analysis))
    return None if found is None else {"parts": found.parts, "left_out": found.left_out}


def knowledge_view(analysis: dict[str, Any]) -> dict[str, Any]:
    """What the page shows for a knowledge answer: each point as HTML, misconceptions with the point
    they contradict, and the model answer (Markdown rendered; raw HTML in it stays escaped)."""
    from markupsafe import Markup

    from starcoach.bank.mdhtml import markdown_html

    points = analysis.get("points", [])
    return {
        "points_html": [Markup(markdown_html(p["text"])) for p in points],  # escaped by markdown-it (html off)
        "misconceptions": analysis.get("misconceptions", []),
        "model_answer": Markup(markdown_html(analysis.get("model_answer", ""))),
    }


# ---- API ---------------------------------------------------------------------------------------


@api.post("/analyze", response_model=AnalysisOut, response_model_exclude_unset=True,
          summary="Analyze an answer (nothing is stored)")
def analyze(body: AnalyzeIn, c: CoachDep) -> dict[str, Any]:
    if not body.answer.strip():
        raise InputError("The answer is empty.")
    return c.analyze(body.answer, body.question).to_dict()


@api.get("/practice/next", response_model=list[PickOut], summary="The questions to practice next, and why")
def next_questions(c: CoachDep, count: Annotated[int, Query(ge=1, le=50)] = 5) -> list[dict[str, Any]]:
    return [p.to_dict() for p in c.choose_practice(count)]


@api.post(
    "/attempts",
    response_model=AttemptResultOut,
    status_code=201,
    summary="Record, analyze and schedule an answer to a bank question",
)
def create_attempt(request: Request, body: AttemptIn) -> dict[str, Any]:
    with writing(request) as c:
        q = c.question(body.question)
        started = c.now() - timedelta(seconds=body.seconds or 0)
        result = c.submit_answer(
            q, body.answer, started_at=started, time_limit_seconds=target_seconds(q), retry_of=body.retry_of
        )
    return result.to_dict()


@api.post(
    "/attempts/{attempt_id}/follow-up",
    response_model=AttemptResultOut,
    status_code=201,
    summary="Record and analyze the answer to a follow-up of an attempt",
)
def create_follow_up(request: Request, attempt_id: str, body: FollowUpIn) -> dict[str, Any]:
    with writing(request) as c:
        started = c.now() - timedelta(seconds=body.seconds or 0)
        result = c.submit_follow_up(attempt_id, body.follow_up, body.answer, started_at=started)
    return result.to_dict()


@api.get("/attempts", response_model=list[AttemptOut], summary="Stored attempts, newest first")
def list_attempts(
    c: CoachDep,
    question: Annotated[str | None, Query(max_length=200, description="Only this question id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[dict[str, Any]]:
    return [a.to_dict() for a in c.history(question, limit=limit)]


@api.get("/attempts/{attempt_id}", response_model=AttemptOut, summary="One attempt (id or unique prefix)")
def get_attempt(attempt_id: str, c: CoachDep) -> dict[str, Any]:
    return c.attempt(attempt_id).to_dict()
