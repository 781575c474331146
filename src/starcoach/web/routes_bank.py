"""The question bank in the browser and under /api/: browse, filter, search, import Markdown, export.

Imports are Markdown only here (the seed format); the CLI also reads JSON and CSV. An upload is
written to a private temp dir under its own file name and handed to ``Coach.import_files``, which
parses everything before it stores anything, so a bad file leaves the banks as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from starcoach.bank.query import make_filter
from starcoach.errors import InputError
from starcoach.web.deps import CoachDep, download, render, uploaded_markdown, writing
from starcoach.web.schemas import BankOut, CompetencyOut, ImportReportOut, PrincipleOut, QuestionOut

if TYPE_CHECKING:
    from starcoach.service import Coach
    from starcoach.service.banks import ImportReport

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["question bank"])
EXPORT_TYPES = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "anki": ("application/octet-stream", "apkg"),
}


def principle_options() -> list[tuple[str, str]]:
    """(value, label) for every framework principle, e.g. ('amazon:ownership', 'Amazon · ownership')."""
    from starcoach.bank.taxonomy import FRAMEWORKS

    names = {"amazon": "Amazon LP", "tih": "Tech Interview Handbook"}
    return [(f"{fw}:{p}", f"{names.get(fw, fw)} · {p.replace('-', ' ')}") for fw, ps in FRAMEWORKS.items() for p in ps]


def competency_names() -> dict[str, str]:
    from starcoach.bank.taxonomy import COMPETENCIES

    return {c.id: c.name for c in COMPETENCIES}


# ---- pages -------------------------------------------------------------------------------------


@pages.get("/questions", response_class=HTMLResponse)
def questions_page(
    request: Request,
    c: CoachDep,
    type: str | None = None,
    competency: str | None = None,
    principle: str | None = None,
    bank: str | None = None,
    q: str | None = None,
) -> HTMLResponse:
    chosen = {
        "type": type or "",
        "competency": competency or "",
        "principle": principle or "",
        "bank": bank or "",
        "q": q or "",
    }
    found = c.questions(make_filter(type, [competency] if competency else [], principle, bank, q))
    return render(
        request,
        "questions.html",
        nav="questions",
        title="Question bank",
        questions=found,
        chosen=chosen,
        banks=c.banks(),
        competencies=competency_names(),
        principles=principle_options(),
        types=("story", "approach", "self", "closing"),
        total=len(c.all_questions()),
    )


@pages.get("/questions/{qid}", response_class=HTMLResponse)
def question_page(request: Request, qid: str, c: CoachDep) -> HTMLResponse:
    question = c.question(qid)
    return render(
        request,
        "question.html",
        nav="questions",
        title=question.text,
        q=question,
        competencies=competency_names(),
    )


@pages.post("/banks/import", response_class=HTMLResponse)
def import_page(request: Request, file: Annotated[UploadFile, File()]) -> HTMLResponse:
    with writing(request) as c:
        report = import_upload(c, file)
    return render(request, "imported.html", nav="questions", title="Import", report=report)


@pages.post("/banks/{bank_id}/delete")
def delete_bank_page(request: Request, bank_id: str) -> RedirectResponse:
    with writing(request) as c:
        c.delete_bank(bank_id)
    return RedirectResponse("/questions", status_code=303)


@pages.get("/banks/export")
def export_page(c: CoachDep, format: str = "json", bank: str | None = None) -> Response:
    return export_response(c, format, [bank] if bank else [])


# ---- API ---------------------------------------------------------------------------------------


@api.get("/questions", response_model=list[QuestionOut], summary="List, filter and search questions")
def list_questions(
    c: CoachDep,
    type: Annotated[str | None, Query(description="story, approach, self, closing or knowledge")] = None,
    competency: Annotated[str | None, Query(description="A competency id (see /api/competencies)")] = None,
    principle: Annotated[str | None, Query(description="FRAMEWORK:PRINCIPLE, e.g. amazon:ownership")] = None,
    bank: Annotated[str | None, Query(description="A bank id (see /api/banks)")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words to search for")] = None,
) -> list[dict[str, object]]:
    return [x.to_dict() for x in c.questions(make_filter(type, [competency] if competency else [], principle, bank, q))]


@api.get("/questions/{qid}", response_model=QuestionOut, summary="One question")
def get_question(qid: str, c: CoachDep) -> dict[str, object]:
    return c.question(qid).to_dict()


@api.get("/banks", response_model=list[BankOut], summary="The bundled bank and every imported one")
def list_banks(c: CoachDep) -> list[dict[str, object]]:
    return [{"id": b.id, "title": b.title, "questions": len(b.questions), "source": b.source} for b in c.banks()]


@api.post("/banks/import", response_model=ImportReportOut, summary="Import a question bank in Markdown")
def import_bank(request: Request, file: Annotated[UploadFile, File(description="A .md file")]) -> dict[str, object]:
    with writing(request) as c:
        report = import_upload(c, file)
    return {
        "banks": [
            {
                "bank_id": b.bank_id,
                "title": b.title,
                "questions": b.questions,
                "source": b.source,
                "replaced": b.replaced,
                "warnings": list(b.warnings),
                "linked": [{"imported_id": k.imported_id, "number": k.number, "target": k.target} for k in b.linked],
            }
            for b in report.banks
        ],
        "skipped": list(report.skipped),
    }


@api.get(
    "/banks/export",
    summary="Export banks as Markdown (one bank), JSON, CSV or an Anki deck",
    response_class=Response,
    responses={200: {"content": {t: {} for t, _ in EXPORT_TYPES.values()}, "description": "The file"}},
)
def export_banks(
    c: CoachDep,
    format: Annotated[str, Query(description="md, json, csv or anki")] = "json",
    bank: Annotated[list[str] | None, Query(description="Bank ids (default: all)")] = None,
) -> Response:
    return export_response(c, format, bank or [])


@api.delete("/banks/{bank_id}", status_code=204, summary="Delete an imported bank")
def delete_bank(request: Request, bank_id: str) -> Response:
    with writing(request) as c:
        c.delete_bank(bank_id)
    return Response(status_code=204)


@api.get("/competencies", response_model=list[CompetencyOut], summary="The competency taxonomy")
def list_competencies() -> list[dict[str, str]]:
    from starcoach.bank.taxonomy import COMPETENCIES

    return [{"id": x.id, "name": x.name, "description": x.description} for x in COMPETENCIES]


@api.get("/principles", response_model=list[PrincipleOut], summary="Framework principles and their competencies")
def list_principles() -> list[dict[str, object]]:
    from starcoach.bank.taxonomy import FRAMEWORKS

    return [
        {"framework": fw, "principle": p, "competencies": list(cs)}
        for fw, ps in FRAMEWORKS.items()
        for p, cs in ps.items()
    ]


# ---- shared --------------------------------------------------------------------------------------


def import_upload(c: Coach, upload: UploadFile) -> ImportReport:
    """Store an uploaded Markdown bank, all or nothing; InputError for anything else."""
    with uploaded_markdown(upload, "Markdown file") as path:
        return c.import_files([path], "md")


def export_response(c: Coach, fmt: str, bank_ids: list[str]) -> Response:
    """A download of the chosen banks (all by default), named after the bank when there is one."""
    if fmt not in EXPORT_TYPES:
        raise InputError(f"unknown export format '{fmt}' (known: {', '.join(EXPORT_TYPES)})")
    ctype, ext = EXPORT_TYPES[fmt]
    chosen = [b.id for b in c.select_banks(bank_ids)]
    stem = chosen[0] if len(chosen) == 1 else "starcoach-banks"
    return download(c.export_bytes(fmt, chosen), ctype, f"{stem}.{ext}")
