"""The interview preparation grid: which story answers which competency (and question), and the gaps.

Each competency is scored like a question: its name and description, with the bank's questions for
it as talking points. A competency with no *strong* story is a gap. Rows are competencies (or
questions), columns are stories; :func:`to_csv` and :func:`to_html` write the grid for a spreadsheet
or a browser (self-contained page, every user string escaped). Pure: the model is passed in.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from starcoach.bank.companies import Company, Principle
from starcoach.bank.model import Point, Question
from starcoach.bank.taxonomy import COMPETENCIES, competency
from starcoach.ids import QuestionId
from starcoach.stories.fit import Fit, FitLevel, FitModel, wants_story
from starcoach.stories.profiles import WORDS

# Every competency a story can show; "motivation" is asked with self questions that want no story.
STORY_COMPETENCIES: tuple[str, ...] = tuple(c.id for c in COMPETENCIES if c.id != "motivation")
OVERUSE_MIN = 4  # a story that is the best for this many competencies gets a warning


@dataclass(frozen=True, slots=True)
class StoryRef:
    id: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One competency or question and how every story fits it (in story order)."""

    key: str
    label: str
    fits: tuple[Fit, ...]
    wants_story: bool = True

    @property
    def best(self) -> Fit | None:
        if not self.fits:
            return None
        return min(self.fits, key=lambda f: (-f.score, f.story_title.lower()))

    @property
    def gap(self) -> bool:
        """A row that wants a story and has no strong one."""
        best = self.best
        return self.wants_story and (best is None or best.level is not FitLevel.STRONG)

    def to_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            "key": self.key,
            "label": self.label,
            "wants_story": self.wants_story,
            "gap": self.gap,
            "best": best.story_id if best is not None else None,
            "best_level": best.level.value if best is not None else None,
            "fits": [f.to_dict() for f in self.fits],
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """The grid: stories as columns, competencies (and optionally questions) as rows."""

    stories: tuple[StoryRef, ...]
    competencies: tuple[CoverageRow, ...]
    questions: tuple[CoverageRow, ...] = ()
    warnings: tuple[str, ...] = ()
    semantic: bool = False
    principles: tuple[CoverageRow, ...] = ()  # with a company profile: one row per principle

    @property
    def gaps(self) -> tuple[str, ...]:
        """Competency ids with no strong story."""
        return tuple(r.key for r in self.competencies if r.gap)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stories": [s.to_dict() for s in self.stories],
            "competencies": [r.to_dict() for r in self.competencies],
            "questions": [r.to_dict() for r in self.questions],
            "gaps": list(self.gaps),
            "warnings": list(self.warnings),
            "semantic": self.semantic,
            "principles": [r.to_dict() for r in self.principles],
        }


SECONDARY = 0.85  # a principle's later competencies weigh less than its first when picking a story's fit


def principle_rows(cov: Coverage, company: Company) -> tuple[CoverageRow, ...]:
    """One row per principle of ``company``: for each story, its best fit among the competency rows
    the principle maps to (a story strong on any of them is strong for the principle; the first,
    main competency is preferred)."""
    by_key = {r.key: r for r in cov.competencies}
    rows = []
    for p in company.principles:
        comp_rows = [by_key[c] for c in p.competencies if c in by_key]
        fits = tuple(
            max((_via(f, company, p, i > 0) for i, f in enumerate(column)), key=lambda f: f.score)
            for column in zip(*(r.fits for r in comp_rows), strict=True)
        ) if comp_rows else ()
        rows.append(CoverageRow(p.id, p.name, fits))
    return tuple(rows)


def _via(fit: Fit, company: Company, p: Principle, secondary: bool) -> Fit:
    """A competency fit restated for a principle (a secondary competency's fit counts a bit less)."""
    qid = (fit.question_id or "").removeprefix("competency:")
    score = round(fit.score * SECONDARY, 4) if secondary else fit.score
    level = fit.level if not secondary or FitLevel.of(score).rank >= fit.level.rank else FitLevel.of(score)
    return replace(
        fit,
        question_id=f"principle:{company.id}:{p.id}",
        question_text=p.name,
        score=score,
        level=level,
        reason=f"through {qid}: {fit.reason}" if qid else fit.reason,
    )


def competency_question(cid: str, bank: Sequence[Question] = ()) -> Question:
    """A stand-in question for a competency: its description, its everyday words and the bank's questions."""
    comp = competency(cid)
    examples = tuple(Point("", q.text) for q in bank if cid in q.competencies and wants_story(q))
    return Question(
        QuestionId(f"competency:{cid}"),
        f"{comp.name}: {comp.description}",
        competencies=(cid,),
        points=(Point("words", WORDS.get(cid, "")), *examples[:40]),
    )


def build_coverage(
    model: FitModel,
    bank: Sequence[Question] = (),
    questions: Sequence[Question] = (),
    competencies: Sequence[str] = STORY_COMPETENCIES,
) -> Coverage:
    """The grid for the model's stories; question rows only for the ``questions`` given."""
    comp_rows = tuple(
        CoverageRow(cid, competency(cid).name, tuple(model.fits(competency_question(cid, bank))))
        for cid in competencies
    )
    q_rows = tuple(
        CoverageRow(q.id or q.text, q.text, tuple(model.fits(q)), wants_story(q)) for q in questions
    )
    return Coverage(
        stories=tuple(StoryRef(s.id, s.title) for s in model.stories),
        competencies=comp_rows,
        questions=q_rows,
        warnings=overuse_warnings(comp_rows),
        semantic=model.semantic,
    )


def overuse_warnings(rows: Sequence[CoverageRow]) -> tuple[str, ...]:
    """Warn about a story that is the strongest answer to too many competencies."""
    best_of: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for row in rows:
        best = row.best
        if best is not None and best.level is FitLevel.STRONG:
            best_of.setdefault(best.story_id, []).append(row.key)
            titles[best.story_id] = best.story_title
    covered = sum(len(v) for v in best_of.values())
    out = []
    for sid, keys in sorted(best_of.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(keys) >= OVERUSE_MIN and len(keys) * 3 > covered:
            out.append(
                f"'{titles[sid]}' is your best story for {len(keys)} competencies ({', '.join(keys)}): "
                "in one interview loop you can tell it once, so add stories for some of them"
            )
    return tuple(out)


def level_counts(row: CoverageRow) -> Counter[FitLevel]:
    return Counter(f.level for f in row.fits)


def _csv_rows(cov: Coverage, rows: Sequence[CoverageRow], kind: str) -> list[list[str]]:
    head = [kind, "label", "best_story", "best_level", "gap", *(s.id for s in cov.stories)]
    out = [head]
    for row in rows:
        best = row.best
        out.append(
            [
                row.key,
                row.label,
                best.story_id if best else "",
                best.level.value if best else "",
                "yes" if row.gap else "no",
                *(f.level.value for f in row.fits),
            ]
        )
    return out


def to_csv(cov: Coverage, which: str = "competencies") -> str:
    """The grid as CSV: one row per competency (or question), one column per story id."""
    from starcoach.bank.csvio import neutralize  # a cell starting '=' would run as a spreadsheet formula

    rows = cov.questions if which == "questions" else cov.competencies
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(
        [neutralize(cell) for cell in row]
        for row in _csv_rows(cov, rows, "question" if which == "questions" else "competency")
    )
    return buf.getvalue()


_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:center;font-size:14px}
th.row,td.row{text-align:left;max-width:28em}
td.strong{background:#2e7d32;color:#fff}td.workable{background:#a5d6a7}
td.stretch{background:#fff3c4}td.gap{background:#fafafa;color:#999}
tr.gap td.row{color:#b71c1c;font-weight:bold}
.warn{color:#b71c1c}
@media print{body{margin:0}}
"""


def _html_table(cov: Coverage, rows: Sequence[CoverageRow], title: str) -> list[str]:
    e = html.escape
    out = [f"<h2>{e(title)}</h2>", "<table>", "<tr><th class='row'>&nbsp;</th>"]
    out += [f"<th title='{e(s.title, quote=True)}'>S{i}</th>" for i, s in enumerate(cov.stories, start=1)]
    out.append("<th>best story</th></tr>")
    for row in rows:
        best = row.best
        cls = " class='gap'" if row.gap else ""
        cells = [
            f"<td class='{f.level.value}' title='{e(f.reason, quote=True)}'>{e(f.level.symbol)}</td>"
            for f in row.fits
        ]
        best_txt = f"{e(best.story_title)} ({best.level.value})" if best else "none"
        gap_txt = " &mdash; GAP" if row.gap else ("" if row.wants_story else " (wants no story)")
        out.append(
            f"<tr{cls}><td class='row'>{e(row.label)}</td>{''.join(cells)}"
            f"<td class='row'>{best_txt}{gap_txt}</td></tr>"
        )
    out.append("</table>")
    return out


def to_html(cov: Coverage, title: str = "Story coverage") -> str:
    """A self-contained HTML page of the grid (no scripts, no external files)."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    legend = " ".join(f"{lv.symbol} {lv.value}" for lv in FitLevel)
    out.append(f"<p>{e(legend)}. Hover a cell for the reason.</p>")
    gaps = ", ".join(competency(g).name for g in cov.gaps) or "none"
    out.append(f"<p><strong>Gaps</strong> (no strong story): {e(gaps)}</p>")
    out += [f"<p class='warn'>{e(w)}</p>" for w in cov.warnings]
    out.append(
        "<ol>"
        + "".join(f"<li value='{i}'>S{i}: {e(s.title)}</li>" for i, s in enumerate(cov.stories, start=1))
        + "</ol>"
    )
    out += _html_table(cov, cov.competencies, "Stories by competency")
    if cov.questions:
        out += _html_table(cov, cov.questions, "Stories by question")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
