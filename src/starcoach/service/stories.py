"""Story bank use cases: write, import, edit and export stories; fit, coverage, loops, drift and kits.

Every write parses and checks all the stories first and stores them in one transaction, so a bad
file leaves the database as it was. Each saved story comes back with its review (what to
strengthen). The interfaces (CLI, web, practice) only render the dataclasses returned here.

For the practice loop (``practice --stories``): call :meth:`StoryService.story_hint` before the
user answers, then :meth:`StoryService.check_story_use` (or :meth:`StoryService.detect_story` when no
story was suggested) with the answer and its analysis.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starcoach.bank.model import Question, QuestionType
from starcoach.errors import (
    AnswerError,
    ConflictError,
    ImportFormatError,
    InputError,
    ModelUnavailableError,
    NotFoundError,
)
from starcoach.ids import StoryId, slugify
from starcoach.service.analysis import AnalysisService
from starcoach.service.files import read_user_text, write_atomic
from starcoach.stories.assign import LoopPlan, plan_loop
from starcoach.stories.checks import StoryReview, compose_answer, review_story
from starcoach.stories.drift import StoryMatcher, StoryUse
from starcoach.stories.fit import Fit, FitLevel, FitModel, wants_story
from starcoach.stories.markdown import parse_stories, render_stories, template
from starcoach.stories.model import Story, StoryContent
from starcoach.stories.profiles import Profiles

if TYPE_CHECKING:
    from starcoach.analysis.types import Analysis
    from starcoach.stories import kit as kit_mod
    from starcoach.stories.coverage import Coverage

MAX_STORY_BYTES = 1_000_000  # a story file of 1 MB holds hundreds of stories; more is a mistake
STORY_EXPORT_FORMATS = ("md", "json")
COVERAGE_FORMATS = ("csv", "html")
KIT_FORMATS = ("md", "html")


@dataclass(frozen=True, slots=True)
class SavedStory:
    """A story as saved, with its review. ``action``: added, updated or unchanged."""

    story: Story
    review: StoryReview
    action: str

    def to_dict(self) -> dict[str, Any]:
        return {"story": self.story.to_dict(), "review": self.review.to_dict(), "action": self.action}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The user's stories ranked for one question."""

    question: Question
    fits: tuple[Fit, ...]
    semantic: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question.to_dict(),
            "fits": [f.to_dict() for f in self.fits],
            "semantic": self.semantic,
        }


@dataclass(frozen=True, slots=True)
class StoryHint:
    """What to tell the user before they answer: which story fits, and why."""

    question_id: str | None
    question_text: str
    wants_story: bool
    best: Fit | None
    alternatives: tuple[Fit, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "question_text": self.question_text,
            "wants_story": self.wants_story,
            "best": self.best.to_dict() if self.best else None,
            "alternatives": [f.to_dict() for f in self.alternatives],
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class LoopResult:
    """A mock loop: the questions and the stories assigned to them."""

    questions: tuple[Question, ...]
    plan: LoopPlan

    def to_dict(self) -> dict[str, Any]:
        return {"questions": [q.to_dict() for q in self.questions], **self.plan.to_dict()}


def _check_format(fmt: str, known: Sequence[str], what: str) -> None:
    if fmt not in known:
        raise InputError(f"unknown {what} format '{fmt}' (known: {', '.join(known)})")


class StoryService(AnalysisService):
    """Story bank use cases of the Coach."""

    # -- reading ---------------------------------------------------------------------------------

    def stories(self) -> list[Story]:
        """Every stored story (current versions), oldest first."""
        return self.store.stories.load_all()

    def story(self, ref: str) -> Story:
        """A story by id, by title, or by a unique start of its id; with its whole history."""
        ref = ref.strip()
        found = self.store.stories.get(ref)
        if found is None:
            by_title = self.store.stories.find_title(ref) if ref else None
            ids = sorted(self.store.stories.ids())
            prefix = [i for i in ids if i.startswith(slugify(ref))] if ref else []
            sid = by_title.id if by_title else prefix[0] if len(prefix) == 1 else None
            found = self.store.stories.get(sid) if sid else None
        if found is None:
            raise NotFoundError(f"no story '{ref}' (see 'starcoach stories list')")
        return found

    def story_markdown(self, ref: str, version: int | None = None) -> str:
        """One story in the Markdown story format (an earlier version when ``version`` is given)."""
        story = self.story(ref)
        content = story.at_version(version) if version is not None else story.content
        return render_stories([content], title=f"Story {story.id} (version {version or story.version})")

    def story_template(self, title: str = "", competencies: str = "") -> str:
        """The Markdown template for a new story."""
        return template(title, competencies)

    def story_review(self, ref: str) -> StoryReview:
        story = self.story(ref)
        return self._review(story.content, story.id)

    # -- writing ---------------------------------------------------------------------------------

    def _review(self, content: StoryContent, sid: str | None, profiles: Profiles | None = None
                ) -> StoryReview:
        """Check a story on its fields and, when the analyzer runs, on the composed answer."""
        analysis: Analysis | None
        try:
            from starcoach.analysis.pipeline import analyze

            analysis = analyze(compose_answer(content), None)
        except (AnswerError, ModelUnavailableError):
            analysis = None
        return review_story(content, analysis, profiles or Profiles(self.all_questions()), sid)

    def review_story_draft(self, fields: Mapping[str, str]) -> StoryReview:
        """The quick STAR check of a story being typed (field name -> text; missing ones are empty).

        Fields only: no analyzer run and nothing stored, so it is cheap enough to run on every keystroke.
        """
        content = StoryContent(
            title=fields.get("title", "") or "draft",
            situation=fields.get("situation", ""),
            task=fields.get("task", ""),
            action=fields.get("action", ""),
            result=fields.get("result", ""),
            learned=fields.get("learned", ""),
        )
        return review_story(content)

    def story_reviews(self) -> list[tuple[Story, StoryReview]]:
        """Every story with a quick review of its fields (no analyzer run), for listings."""
        profiles = Profiles(self.all_questions())
        return [(s, review_story(s.content, None, profiles, s.id)) for s in self.stories()]

    def _new_id(self, title: str, taken: set[str]) -> StoryId:
        base = slugify(title, max_len=50)
        sid, n = base, 2
        while sid in taken:
            sid, n = f"{base}-{n}", n + 1
        taken.add(sid)
        return StoryId(sid)

    def _prepare(self, contents: Sequence[StoryContent], update: bool) -> list[tuple[Story, str]]:
        """The stories to save for ``contents``: new ones, or new versions of stored ones."""
        now = self.now()
        taken: set[str] = set(self.store.stories.ids())
        out: list[tuple[Story, str]] = []
        conflicts: list[str] = []
        for content in contents:
            existing = self.store.stories.find_title(content.title)
            if existing is None:
                out.append((Story.new(self._new_id(content.title, taken), content, now), "added"))
            elif not update:
                conflicts.append(f"'{content.title}' (stored as {existing.id})")
            else:
                full = self.story(existing.id)
                revised = full.revise(content, now)
                out.append((revised, "unchanged" if revised is full else "updated"))
        if conflicts:
            more = f" and {len(conflicts) - 3} more" if len(conflicts) > 3 else ""
            conflicts = [", ".join(conflicts[:3]) + more]
            raise ConflictError(
                f"these stories already exist: {', '.join(conflicts)}; use --update to save "
                "them as new versions (nothing was saved)"
            )
        return out

    def add_stories(self, text: str, source: str = "<stdin>", update: bool = False) -> list[SavedStory]:
        """Parse Markdown holding one or more stories and store them all (or none)."""
        size = len(text.encode("utf-8"))
        if size > MAX_STORY_BYTES:
            raise ImportFormatError(
                source, f"{size / 1e6:.1f} MB of stories; the limit is {MAX_STORY_BYTES / 1e6:.0f} MB"
            )
        if text.strip() == template().strip():
            raise InputError("the story template was not filled in; nothing was saved")
        prepared = self._prepare(parse_stories(text, source), update)
        self.store.stories.save_all([s for s, action in prepared if action != "unchanged"])
        profiles = Profiles(self.all_questions())
        return [SavedStory(s, self._review(s.content, s.id, profiles), action) for s, action in prepared]

    def import_stories(self, path: Path, update: bool = False) -> list[SavedStory]:
        """Import a Markdown story file (see docs/stories-format.md), all or nothing."""
        return self.add_stories(read_user_text(path, MAX_STORY_BYTES), str(path), update)

    def edit_story(self, ref: str, text: str, source: str = "<editor>") -> SavedStory:
        """Replace a story's content with the one story in ``text``; the old version is kept."""
        story = self.story(ref)
        contents = parse_stories(text, source)
        if len(contents) != 1:
            raise InputError(f"{source}: an edit holds exactly one story, not {len(contents)}")
        other = self.store.stories.find_title(contents[0].title)
        if other is not None and other.id != story.id:
            raise ConflictError(
                f"another story is titled '{contents[0].title}' ({other.id}); nothing was saved"
            )
        revised = story.revise(contents[0], self.now())
        if revised is not story:
            self.store.stories.save_all([revised])
        return SavedStory(
            revised, self._review(revised.content, revised.id), "unchanged" if revised is story else "updated"
        )

    def delete_story(self, ref: str) -> Story:
        """Delete a story with all its versions; returns what was deleted."""
        story = self.story(ref)
        self.store.stories.delete(story.id)
        return story

    def _story_export(self, fmt: str) -> tuple[int, bytes]:
        _check_format(fmt, STORY_EXPORT_FORMATS, "story export")
        found = [self.story(s.id) for s in self.stories()]
        if fmt == "md":
            data = render_stories([s.content for s in found])
        else:
            data = json.dumps({"stories": [s.to_dict() for s in found]}, ensure_ascii=False, indent=2) + "\n"
        return len(found), data.encode("utf-8")

    def export_stories_bytes(self, fmt: str = "md") -> bytes:
        """Every story as the bytes of a file: Markdown (current versions) or JSON (with history)."""
        return self._story_export(fmt)[1]

    def export_stories(self, path: Path, fmt: str = "md") -> int:
        """Write every story to ``path`` (see :meth:`export_stories_bytes`); returns how many."""
        count, data = self._story_export(fmt)
        write_atomic(path, data)
        return count

    # -- fit, coverage, loops --------------------------------------------------------------------

    def story_fit_model(self, stories: Sequence[Story] | None = None) -> FitModel:
        """A fit model over the user's stories, with the bank as IDF corpus and the embedder if installed.

        Each story's analyzer score (told as an answer) goes in too, so a weak story is never called
        a strong fit.
        """
        from starcoach.analysis.embed import default_embedder

        chosen = self.stories() if stories is None else list(stories)
        quality: dict[str, int] = {s.id: q for s in chosen if (q := self.story_quality(s)) is not None}
        return FitModel(chosen, self.all_questions(), default_embedder(), quality)

    def story_quality(self, story: Story) -> int | None:
        """The analyzer's score of the story told as one answer (None when the analyzer cannot run).

        Cached by the story's text for the life of the Coach (the web app asks often).
        """
        cache: dict[str, int | None] = self.__dict__.setdefault("_story_quality", {})
        key = compose_answer(story.content)
        if key not in cache:
            try:
                from starcoach.analysis.pipeline import analyze

                cache[key] = analyze(key, None).score
            except (AnswerError, ModelUnavailableError):
                cache[key] = None
        return cache[key]

    def story_competencies(self, story: Story) -> tuple[tuple[str, ...], bool]:
        """The story's competencies and whether they are inferred (it has no tags of its own)."""
        from starcoach.stories.fit import inferred_competencies

        if story.content.competencies:
            return story.content.competencies, False
        return inferred_competencies(story), True

    def resolve_question(self, model: FitModel, ref: Question | str) -> Question:
        """A bank question for an id, or a typed question with its competencies guessed."""
        if isinstance(ref, Question):
            return ref
        found = self.question_for(ref)
        if found is None:
            raise InputError("give a question: its id (see 'starcoach questions list') or its text")
        return found if isinstance(found, Question) else model.question(found)

    def questions_for_story(self, ref: str, limit: int = 5) -> list[Fit]:
        """The bank questions one story answers best, best first."""
        stories = self.stories()
        story = self.story(ref)
        model = self.story_fit_model(stories)
        index = next(i for i, s in enumerate(model.stories) if s.id == story.id)
        fits = [model.fit_at(index, q) for q in self.all_questions() if wants_story(q)]
        return sorted(fits, key=lambda f: (-f.score, f.question_text))[: max(1, limit)]

    def _require_stories(self) -> list[Story]:
        found = self.stories()
        if not found:
            raise NotFoundError(
                "you have no stories yet: add one with 'starcoach stories add' "
                "or import a file with 'starcoach stories import FILE.md'"
            )
        return found

    def suggest_stories(
        self, question: Question | str, limit: int = 5, competencies: Sequence[str] = ()
    ) -> Suggestion:
        """The user's stories ranked for ``question`` (an id, a text or a Question), best first.

        ``competencies`` (ids) replace the ones the question carries or that were inferred for it.
        """
        from dataclasses import replace

        from starcoach.bank.taxonomy import competency

        model = self.story_fit_model(self._require_stories())
        q = self.resolve_question(model, question)
        if competencies:
            q = replace(q, competencies=tuple(dict.fromkeys(competency(c.strip()).id for c in competencies)))
        return Suggestion(q, tuple(model.rank(q)[: max(1, limit)]), model.semantic)

    def story_coverage(
        self, questions: Sequence[Question | str] | bool = False, company: str | None = None
    ) -> Coverage:
        """The story x competency grid; with ``questions`` (True = the whole bank) also story x question;
        with ``company`` also story x principle (the company's principles or values)."""
        from dataclasses import replace

        from starcoach.bank.companies import company as company_profile
        from starcoach.stories import coverage as coverage_mod

        profile = company_profile(company) if company else None

        model = self.story_fit_model(self._require_stories())
        bank = self.all_questions()
        if questions is True:
            chosen: list[Question] = bank
        elif questions is False:
            chosen = []
        else:
            chosen = [self.resolve_question(model, r) for r in questions]
        cov = coverage_mod.build_coverage(model, bank, chosen)
        if profile is None:
            return cov
        return replace(cov, principles=coverage_mod.principle_rows(cov, profile))

    def write_coverage(self, path: Path, fmt: str, cov: Coverage) -> None:
        """Write a coverage grid as CSV (competencies, or questions when it has question rows) or HTML."""
        from starcoach.stories import coverage as coverage_mod

        _check_format(fmt, COVERAGE_FORMATS, "coverage")
        if fmt == "csv":
            data = coverage_mod.to_csv(cov, "questions" if cov.questions else "competencies")
        else:
            data = coverage_mod.to_html(cov)
        write_atomic(path, data.encode("utf-8"))

    def _loop_questions(self, refs: Sequence[Question | str], count: int, model: FitModel) -> list[Question]:
        if refs:
            return [self.resolve_question(model, r) for r in refs]
        pool = [q for q in self.all_questions() if q.type is QuestionType.STORY]
        self.rng.shuffle(pool)
        chosen: list[Question] = []
        seen: set[str] = set()
        for q in pool:
            if q.competencies and q.competencies[0] not in seen:
                chosen.append(q)
                seen.add(q.competencies[0])
            if len(chosen) >= count:
                break
        return chosen

    def plan_stories(self, questions: Sequence[Question | str] = (), count: int = 5) -> LoopResult:
        """Assign a varied set of stories to a mock loop (random varied questions when none are given)."""
        model = self.story_fit_model(self._require_stories())
        qs = self._loop_questions(questions, count, model)
        if not qs:
            raise InputError("no questions for the loop")
        plan = plan_loop(
            [model.fits(q) for q in qs], [wants_story(q) for q in qs], [(q.id or None, q.text) for q in qs]
        )
        return LoopResult(tuple(qs), plan)

    def build_kit(
        self, questions: Sequence[Question | str] = (), count: int = 5, title: str = "Mock interview kit"
    ) -> kit_mod.Kit:
        """An interviewer kit for the questions (random varied ones when none are given)."""
        from starcoach.stories import kit as kit_mod

        loop = self.plan_stories(questions, count)
        stories: dict[str, Story] = {s.id: s for s in self.stories()}
        return kit_mod.build_kit(loop.questions, loop.plan, stories, self.now(), title)

    def write_kit(self, path: Path, fmt: str, kit: kit_mod.Kit) -> None:
        from starcoach.stories import kit as kit_mod

        _check_format(fmt, KIT_FORMATS, "kit")
        data = kit_mod.kit_markdown(kit) if fmt == "md" else kit_mod.kit_html(kit)
        write_atomic(path, data.encode("utf-8"))

    # -- practice with stories -------------------------------------------------------------------

    def story_hint(self, question: Question | str) -> StoryHint:
        """Which of the user's stories to tell for ``question``, said before they answer."""
        stories = self.stories()
        model = self.story_fit_model(stories)
        q = self.resolve_question(model, question)
        if not wants_story(q):
            return StoryHint(
                q.id or None, q.text, False, None, (), "This question does not call for a story."
            )
        if not stories:
            return StoryHint(
                q.id or None,
                q.text,
                True,
                None,
                (),
                "You have no stories yet: add some with 'starcoach stories add'.",
            )
        ranked = model.rank(q)
        best = ranked[0]
        if best.level is FitLevel.GAP:
            msg = f"None of your stories fits well; the closest is '{best.story_title}' ({best.reason})."
        else:
            msg = f"Tell '{best.story_title}' ({best.level.value} fit: {best.reason})."
        return StoryHint(q.id or None, q.text, True, best, tuple(ranked[1:3]), msg)

    def check_story_use(self, answer: str, analysis: Analysis | None, story: str | Story) -> StoryUse:
        """Did ``answer`` tell ``story`` (an id, title or Story), and are its numbers the stored ones?"""
        chosen = story if isinstance(story, Story) else self.story(story)
        return StoryMatcher(self.stories()).check(chosen, answer, analysis)

    def detect_story(self, answer: str, analysis: Analysis | None = None) -> StoryUse | None:
        """The stored story ``answer`` retells (with drift checks), or None when it retells none."""
        matcher = StoryMatcher(self.stories())
        found = matcher.find(answer)
        return matcher.check(found[0], answer, analysis) if found else None
