"""The JSON API's request and response models, so that ``/openapi.json`` describes every endpoint.

They mirror the ``to_dict`` contracts of the core types (DESIGN.md "Data contracts"); the routes
build them from those dicts, so a drift between core and API fails validation in the tests.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

StarLabel = Literal["situation", "task", "action", "result", "other"]
QType = Literal["story", "approach", "self", "closing", "knowledge"]

MAX_ANSWER_CHARS = 20_000
MAX_QUESTION_CHARS = 2_000


class ErrorOut(BaseModel):
    """Every error: one readable line and the HTTP status."""

    error: str
    status: int


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (400, "Bad input (malformed JSON, unreadable file, wrong value)"),
        (401, "Missing the session secret"),
        (403, "Cross-site request or missing CSRF token"),
        (404, "Unknown id"),
        (409, "Conflicts with stored data"),
        (413, "Body too large"),
        (422, "A field has the wrong type or is out of range"),
    )
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PointOut(BaseModel):
    label: str
    text: str


class QuestionOut(BaseModel):
    id: str
    text: str
    type: QType
    competencies: list[str]
    points: list[PointOut]
    follow_ups: list[str]
    red_flags: list[str]
    source: str
    bank: str
    number: int | None


class BankOut(BaseModel):
    id: str
    title: str
    questions: int
    source: str


class CompetencyOut(BaseModel):
    id: str
    name: str
    description: str


class PrincipleOut(BaseModel):
    framework: str
    principle: str
    competencies: list[str]


class LinkedOut(BaseModel):
    """An imported question the bank already held: linked to ``target`` instead of copied."""

    imported_id: str
    number: int | None
    target: str


class ImportedBankOut(BaseModel):
    bank_id: str
    title: str
    questions: int
    source: str
    replaced: bool
    warnings: list[str]
    linked: list[LinkedOut] = []


class ImportReportOut(BaseModel):
    banks: list[ImportedBankOut]
    skipped: list[str]


class AnalyzeIn(Strict):
    answer: str = Field(max_length=MAX_ANSWER_CHARS, description="The answer text, as typed or pasted.")
    question: str | None = Field(
        default=None, max_length=MAX_QUESTION_CHARS, description="A question id, or free question text."
    )


class QuestionRefOut(BaseModel):
    id: str | None
    text: str
    type: str
    why: str = ""


class SentenceOut(BaseModel):
    text: str
    start: int
    end: int
    star: StarLabel
    confidence: float


class DimensionOut(BaseModel):
    score: int
    why: str


class PointCoverageOut(BaseModel):
    label: str
    text: str
    covered: bool
    evidence: list[int] | None


class FlagOut(BaseModel):
    kind: str
    text: str
    start: int
    end: int


class MisconceptionOut(BaseModel):
    """A statement of a knowledge answer that contradicts a point of the model answer (both spans)."""

    kind: str
    text: str
    start: int
    end: int
    point: int
    point_text: str
    why: str


class AnalysisOut(BaseModel):
    """The Analysis contract of DESIGN.md (knowledge answers add misconceptions and the model answer)."""

    question: QuestionRefOut
    score: int
    sentences: list[SentenceOut]
    missing: list[str]
    dimensions: dict[str, DimensionOut]
    points: list[PointCoverageOut]
    flags: list[FlagOut]
    words: int
    speaking_seconds: int
    suggestions: list[str]
    follow_ups: list[str]
    signals: dict[str, Any] = {}
    scope: dict[str, Any] = {}
    skipped: list[str] = []
    misconceptions: list[MisconceptionOut] | None = None
    model_answer: str | None = None
    speech: dict[str, Any] | None = None  # spoken answers only: see starcoach.analysis.speech


class AttemptIn(Strict):
    question: str = Field(max_length=200, description="A question id (see /api/questions).")
    answer: str = Field(max_length=MAX_ANSWER_CHARS, description="The answer; empty records a skip.")
    seconds: int | None = Field(default=None, ge=0, le=86_400, description="How long the user took.")
    retry_of: str | None = Field(default=None, max_length=64, description="The attempt this one retries.")


class FollowUpIn(Strict):
    follow_up: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="The follow-up question.")
    answer: str = Field(max_length=MAX_ANSWER_CHARS)
    seconds: int | None = Field(default=None, ge=0, le=86_400)


class AttemptOut(BaseModel):
    id: str
    question_id: str
    question_text: str
    kind: Literal["answer", "retry", "follow_up"]
    status: Literal["pending", "scored", "skipped"]
    answer: str
    started_at: str
    submitted_at: str
    answer_seconds: float
    competencies: list[str]
    question_type: str
    session_id: str | None
    parent_id: str | None
    time_limit_seconds: int | None
    score: int | None
    rating: str | None
    rating_source: str | None
    analysis: AnalysisOut | None
    analysis_ms: float | None


class AttemptResultOut(BaseModel):
    attempt: AttemptOut
    analysis: AnalysisOut | None
    next_due: str | None
    follow_up: str | None
    note: str


class PickOut(BaseModel):
    question: QuestionOut
    reason: str
    detail: str


class DueItemOut(BaseModel):
    question_id: str
    question: str
    due: str
    last_rating: str | None
    reps: int


class DueReportOut(BaseModel):
    now: str
    due: list[DueItemOut]
    upcoming: list[DueItemOut]
    cards: int
    never_practiced: int


class ComparisonOut(BaseModel):
    first: AttemptOut
    second: AttemptOut
    score_change: int | None
    dimensions: dict[str, list[int | None]]


class TrendOut(BaseModel):
    name: str
    points: list[tuple[str, float]]
    count: int
    mean: float
    change: float
    recent_mean: float


class ProgressOut(BaseModel):
    attempts: int
    scored: int
    skipped: int
    days_practiced: int
    current_streak: int
    longest_streak: int
    overall: TrendOut | None
    competencies: list[TrendOut]
    dimensions: list[TrendOut]
    weakest_competency: str | None
    weakest_dimension: str | None
    weakest_star: str | None
    star_missing_rate: dict[str, float]
    never_practiced: list[str]


class StoryDraftIn(Strict):
    """A story as the edit form has it, possibly half-typed. Lists are comma-separated; 'when' is like
    '2023-04 to 2023-06'; 'scope' is own, team, teams or org."""

    title: str = Field(default="", max_length=150)
    situation: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    task: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    action: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    result: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    learned: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    metrics: str = Field(default="", max_length=5_000)
    competencies: str = Field(default="", max_length=2_000)
    tags: str = Field(default="", max_length=2_000)
    role: str = Field(default="", max_length=500)
    scope: str = Field(default="", max_length=50)
    when: str = Field(default="", max_length=100)


class StoryIn(StoryDraftIn):
    """A story to save: the title is required (Situation, Action and Result are checked on save)."""

    title: str = Field(min_length=1, max_length=150)


class MetricOut(BaseModel):
    text: str
    value: float
    kind: str
    unit: str
    context: str
    start: int
    end: int
    item: str


class StoryOut(BaseModel):
    id: str
    version: int
    created_at: str
    updated_at: str
    title: str
    situation: str
    task: str
    action: str
    result: str
    learned: str
    metrics: list[MetricOut]
    competencies: list[str]
    tags: list[str]
    role: str
    scope: str | None
    started: str | None
    ended: str | None
    history: list[dict[str, Any]]


class PartCheckOut(BaseModel):
    part: str
    present: bool
    words: int
    note: str


class StoryReviewOut(BaseModel):
    story_id: str | None
    title: str
    ok: bool
    complete: bool
    parts: list[PartCheckOut]
    quantified: bool
    result_numbers: list[str]
    own_action: bool
    i_count: int
    we_count: int
    suggestions: list[str]
    strengths: list[str]
    analyzer_score: int | None
    dimensions: dict[str, dict[str, Any]]


class SavedStoryOut(BaseModel):
    story: StoryOut
    review: StoryReviewOut
    action: Literal["added", "updated", "unchanged"]


class StoryCheckOut(BaseModel):
    """The live STAR check of a story being typed."""

    present: list[StarLabel]
    parts: list[PartCheckOut]
    quantified: bool
    own_action: bool
    suggestions: list[str]
    message: str


class FitOut(BaseModel):
    story_id: str
    story_title: str
    question_id: str | None
    question_text: str
    level: Literal["strong", "workable", "stretch", "gap"]
    score: float
    competency: float | None
    lexical: float
    semantic: float | None
    shared: list[str]
    related: list[str]
    words: list[str]
    reason: str


class SuggestionOut(BaseModel):
    question: QuestionOut
    fits: list[FitOut]
    semantic: bool


class StoryRefOut(BaseModel):
    id: str
    title: str


class CoverageRowOut(BaseModel):
    key: str
    label: str
    wants_story: bool
    gap: bool
    best: str | None
    best_level: str | None
    fits: list[FitOut]


class CoverageOut(BaseModel):
    stories: list[StoryRefOut]
    competencies: list[CoverageRowOut]
    questions: list[CoverageRowOut]
    gaps: list[str]
    warnings: list[str]
    semantic: bool


class StoryHintOut(BaseModel):
    """Which of the user's stories to tell for a question, said before they answer."""

    question_id: str | None
    question_text: str
    wants_story: bool
    best: FitOut | None
    alternatives: list[FitOut]
    message: str
