"""Pure helpers of the story pages: edit-form fields <-> the Markdown story format, and the heatmap.

The story service reads and writes stories in their Markdown format (docs/stories-format.md), so
the edit form is turned into one ``## Title`` section with one bold-labelled bullet per field; the
service's parser then checks it exactly as it checks a file. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starcoach.errors import InputError

if TYPE_CHECKING:
    from starcoach.stories.coverage import Coverage
    from starcoach.stories.model import Story

# Form field -> label in the Markdown format, in the order the format writes them.
FIELDS: tuple[tuple[str, str], ...] = (
    ("competencies", "Competencies"),
    ("tags", "Tags"),
    ("role", "Role"),
    ("scope", "Scope"),
    ("when", "When"),
    ("situation", "Situation"),
    ("task", "Task"),
    ("action", "Action"),
    ("result", "Result"),
    ("metrics", "Metrics"),
    ("learned", "Learned"),
)
FIELD_NAMES = ("title", *(name for name, _ in FIELDS))
LEVEL_HEAT = {"strong": "heat-4", "workable": "heat-2", "stretch": "heat-1", "gap": "heat-0"}
LEVEL_SYMBOL = {"strong": "●", "workable": "◐", "stretch": "○", "gap": "·"}


# A line the story format would read as the start of a field ("**Result**: ...", "- **Task:** ...").
LOOKS_LIKE_FIELD = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])?\s*\*\*[^*\n]{1,40}?\s*(?::\s*\*\*|\*\*\s*:)")


def _check_value(label: str, value: str) -> None:
    """Refuse a value whose later line the format would take for a new field (it would split the story)."""
    for line in value.splitlines()[1:]:
        if LOOKS_LIKE_FIELD.match(line):
            raise InputError(
                f"{label}: the line '{line.strip()[:60]}' starts like a story field (a bold label and a colon); "
                "reword it or drop the bold, then save again."
            )


def _field_lines(label: str, value: str) -> list[str]:
    lines = value.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    if len(lines) == 1:
        return [f"- **{label}**: {lines[0]}"]
    return [f"- **{label}**:", *(f"  {line}" if line.strip() else "" for line in lines)]


def form_markdown(fields: Mapping[str, str]) -> str:
    """One story in the Markdown format from the edit form's fields (empty fields left out)."""
    title = " ".join(fields.get("title", "").split())
    if not title:
        raise InputError("The story needs a title.")
    out = [f"## {title}", ""]
    for name, label in FIELDS:
        value = fields.get(name, "")
        if value.strip():
            _check_value(label, value.strip())
            out.extend(_field_lines(label, value))
    return "\n".join(out) + "\n"


def form_values(story: Story) -> dict[str, str]:
    """The edit form's fields for a stored story."""
    from starcoach.stories.fields import format_metrics, format_when

    c = story.content
    return {
        "title": c.title,
        "situation": c.situation,
        "task": c.task,
        "action": c.action,
        "result": c.result,
        "learned": c.learned,
        "metrics": format_metrics(c.metrics),
        "competencies": ", ".join(c.competencies),
        "tags": ", ".join(c.tags),
        "role": c.role,
        "scope": c.scope.value if c.scope else "",
        "when": format_when(c.started, c.ended),
    }


def empty_form() -> dict[str, str]:
    return dict.fromkeys(FIELD_NAMES, "") | {"scope": "team"}


def heatmap(cov: Coverage) -> dict[str, Any]:
    """Story rows x competency columns: each cell a level, a CSS class, a symbol and a tooltip."""
    columns = [{"key": r.key, "label": r.label, "gap": r.gap} for r in cov.competencies]
    by_story = [{f.story_id: f for f in r.fits} for r in cov.competencies]
    rows = []
    for story in cov.stories:
        cells = []
        for r, fits in zip(cov.competencies, by_story, strict=True):
            fit = fits.get(story.id)
            level = fit.level.value if fit is not None else "gap"
            reason = fit.reason if fit is not None else ""
            cells.append(
                {
                    "level": level,
                    "cls": LEVEL_HEAT[level],
                    "symbol": LEVEL_SYMBOL[level],
                    "tip": f"{story.title} × {r.label}: {level}" + (f" ({reason})" if reason else ""),
                }
            )
        rows.append({"id": story.id, "title": story.title, "cells": cells})
    return {"columns": columns, "rows": rows}
