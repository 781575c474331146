"""The story bank in the browser and under /api/stories: list, edit with a live STAR check,
coverage heatmap (story x competency), which story fits a question, import and export.

Saving goes through the story service, which parses the whole story first and stores it (as a new
version, when editing) in one transaction, so a story with a problem is never stored half-way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ConfigDict, Field

from starcoach.errors import InputError, NotFoundError
from starcoach.web.deps import CoachDep, download, render, uploaded_markdown, writing
from starcoach.web.routes_bank import competency_names
from starcoach.web.schemas import (
    CoverageOut,
    SavedStoryOut,
    StoryCheckOut,
    StoryDraftIn,
    StoryHintOut,
    StoryIn,
    StoryOut,
    StoryReviewOut,
    SuggestionOut,
)
from starcoach.web.story_views import empty_form, form_markdown, form_values, heatmap

if TYPE_CHECKING:
    from starcoach.service import Coach
    from starcoach.service.stories import SavedStory

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["stories"])
SOURCE = "story form"
STAR = ("situation", "task", "action", "result")
EXPORT_TYPES = {"md": ("text/markdown; charset=utf-8", "md"), "json": ("application/json", "json")}


class StoryFormIn(StoryDraftIn):
    """The edit form: like the JSON body, but competencies come as ticked checkboxes."""

    model_config = ConfigDict(extra="ignore")  # the csrf_token field
    competencies: list[str] = Field(default=[], max_length=100)  # type: ignore[assignment]

    def fields(self) -> dict[str, str]:
        return {**self.model_dump(), "competencies": ", ".join(c for c in self.competencies if c)}


def draft_check(c: Coach, fields: Mapping[str, str]) -> dict[str, Any]:
    """The live STAR check of a story being typed: which parts are there, and what to strengthen."""
    review = c.review_story_draft(fields)
    present = [p.part for p in review.parts if p.present]
    missing = [p for p in STAR if p not in present]
    message = (
        "Every STAR part is there."
        if not missing
        else "Still missing: " + ", ".join(m.capitalize() for m in missing) + "."
    )
    return {
        "present": present,
        "parts": [p.to_dict() for p in review.parts],
        "quantified": review.quantified,
        "own_action": review.own_action,
        "suggestions": list(review.suggestions),
        "message": message,
    }


def _save(c: Coach, fields: dict[str, str], story_id: str | None) -> SavedStory:
    text = form_markdown(fields)
    if story_id is None:
        return c.add_stories(text, SOURCE)[0]
    return c.edit_story(story_id, text, SOURCE)


# ---- pages -------------------------------------------------------------------------------------


@pages.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request, c: CoachDep, question: Annotated[str | None, Query(max_length=2_000)] = None
) -> HTMLResponse:
    stories = c.stories()
    cov = c.story_coverage() if stories else None
    suggestion = c.suggest_stories(question) if stories and question and question.strip() else None
    reviews = {s.id: c.story_review(s.id) for s in stories}
    return render(
        request,
        "stories.html",
        nav="stories",
        title="Stories",
        stories=stories,
        reviews=reviews,
        heat=heatmap(cov) if cov else None,
        cov=cov,
        suggestion=suggestion,
        question=question or "",
        names=competency_names(),
        inferred={s.id: c.story_competencies(s)[0] for s in stories if not s.content.competencies},
    )


@pages.get("/new-story", response_class=HTMLResponse)
def new_story_page(request: Request, c: CoachDep) -> HTMLResponse:
    return render(
        request,
        "story_edit.html",
        nav="stories",
        title="New story",
        story=None,
        f=empty_form(),
        check=draft_check(c, empty_form()),
        review=None,
        names=competency_names(),
    )


@pages.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, c: CoachDep) -> HTMLResponse:
    story = c.story(story_id)
    values = form_values(story)
    return render(
        request,
        "story_edit.html",
        nav="stories",
        title=story.title,
        story=story,
        f=values,
        check=draft_check(c, values),
        review=c.story_review(story.id),
        names=competency_names(),
        inferred=() if story.content.competencies else c.story_competencies(story)[0],
    )


@pages.post("/stories", response_model=None)
def create_story_page(request: Request, form: Annotated[StoryFormIn, Form()]) -> Response:
    with writing(request) as c:
        saved = _save(c, form.fields(), None)
    return RedirectResponse(f"/stories/{saved.story.id}", status_code=303)


@pages.post("/stories/{story_id}", response_model=None)
def update_story_page(request: Request, story_id: str, form: Annotated[StoryFormIn, Form()]) -> Response:
    with writing(request) as c:
        saved = _save(c, form.fields(), story_id)
    return RedirectResponse(f"/stories/{saved.story.id}", status_code=303)


@pages.post("/stories/{story_id}/delete")
def delete_story_page(request: Request, story_id: str) -> RedirectResponse:
    with writing(request) as c:
        c.delete_story(story_id)
    return RedirectResponse("/stories", status_code=303)


@pages.post("/story-bank/import", response_class=HTMLResponse)
def import_stories_page(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    with writing(request) as c:
        import_upload(c, file)
    return RedirectResponse("/stories", status_code=303)


@pages.get("/story-bank/export")
def export_stories_page(c: CoachDep, format: str = "md") -> Response:
    return export_response(c, format)


# ---- API ---------------------------------------------------------------------------------------


@api.get("/stories", response_model=list[StoryOut], summary="Every story (current versions)")
def list_stories(c: CoachDep) -> list[dict[str, Any]]:
    return [s.to_dict() for s in c.stories()]


@api.post("/stories", response_model=SavedStoryOut, status_code=201, summary="Add a story")
def create_story(request: Request, body: StoryIn) -> dict[str, Any]:
    with writing(request) as c:
        return _save(c, body.model_dump(), None).to_dict()


@api.post("/story-bank/check", response_model=StoryCheckOut, summary="Live STAR check of a story being typed")
def check_story(body: StoryDraftIn, c: CoachDep) -> dict[str, Any]:
    return draft_check(c, body.model_dump())


@api.get("/story-bank/coverage", response_model=CoverageOut, summary="Story x competency coverage")
def coverage(c: CoachDep) -> dict[str, Any]:
    return c.story_coverage().to_dict()


@api.get("/story-bank/suggest", response_model=SuggestionOut, summary="Your stories ranked for a question")
def suggest(
    c: CoachDep,
    question: Annotated[str, Query(min_length=1, max_length=2_000, description="A question id or text")],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    if not question.strip():
        raise InputError("Give a question: its id or its text.")
    return c.suggest_stories(question, limit).to_dict()


@api.get("/story-bank/hint", response_model=StoryHintOut, summary="Which story to tell for a question")
def hint(
    c: CoachDep,
    question: Annotated[str, Query(min_length=1, max_length=2_000, description="A question id or text")],
) -> dict[str, Any]:
    if not question.strip():
        raise InputError("Give a question: its id or its text.")
    return c.story_hint(question).to_dict()


@api.post(
    "/story-bank/import",
    response_model=list[SavedStoryOut],
    status_code=201,
    summary="Import a Markdown story file",
)
def import_stories(
    request: Request, file: Annotated[UploadFile, File(description="A .md story file")]
) -> list[dict[str, Any]]:
    with writing(request) as c:
        return [s.to_dict() for s in import_upload(c, file)]


@api.get(
    "/story-bank/export",
    summary="Every story as Markdown or JSON (with history)",
    response_class=Response,
    responses={200: {"content": {t: {} for t, _ in EXPORT_TYPES.values()}, "description": "The file"}},
)
def export_stories(c: CoachDep, format: Annotated[str, Query(description="md or json")] = "md") -> Response:
    return export_response(c, format)


@api.get("/stories/{story_id}", response_model=StoryOut, summary="One story, with its earlier versions")
def get_story(story_id: str, c: CoachDep) -> dict[str, Any]:
    return c.story(story_id).to_dict()


@api.put("/stories/{story_id}", response_model=SavedStoryOut, summary="Replace a story (the old version is kept)")
def update_story(request: Request, story_id: str, body: StoryIn) -> dict[str, Any]:
    with writing(request) as c:
        return _save(c, body.model_dump(), story_id).to_dict()


@api.delete("/stories/{story_id}", status_code=204, summary="Delete a story and its versions")
def delete_story(request: Request, story_id: str) -> Response:
    with writing(request) as c:
        c.delete_story(story_id)
    return Response(status_code=204)


@api.get("/stories/{story_id}/review", response_model=StoryReviewOut, summary="What to strengthen in a story")
def review(story_id: str, c: CoachDep) -> dict[str, Any]:
    return c.story_review(story_id).to_dict()


# ---- shared --------------------------------------------------------------------------------------


def import_upload(c: Coach, upload: UploadFile) -> list[SavedStory]:
    """Store every story of an uploaded Markdown file, or none of them."""
    with uploaded_markdown(upload, "Markdown story file") as path:
        return c.import_stories(path)


def export_response(c: Coach, fmt: str) -> Response:
    if fmt not in EXPORT_TYPES:
        raise InputError(f"unknown story export format '{fmt}' (known: {', '.join(EXPORT_TYPES)})")
    if not c.stories():
        raise NotFoundError("You have no stories to export yet.")
    ctype, ext = EXPORT_TYPES[fmt]
    return download(c.export_stories_bytes(fmt), ctype, f"stories.{ext}")
