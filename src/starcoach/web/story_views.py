"""Pure helpers of the story pages: edit-form fields <-> the Markdown story format, and the heatmap.

The story service reads and writes stories in their Markdown format (docs/stories-format.md), so
the edit form is turned into one ``## Title`` section by the format's own renderer; the service's
parser then checks it exactly as it checks a file, and reads every field back as typed. No I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starcoach.errors import InputError
from starcoach.stories.markdown import LABELS, field_texts, render_section

if TYPE_CHECKING:
    from starcoach.stories.coverage import Coverage
    from starcoach.stories.model import Story

FIELD_NAMES = ("title", *(name for name, _ in LABELS))
LEVEL_HEAT = {"strong": "heat-4", "workable": "heat-2", "stretch": "heat-1", "gap": "heat-0"}
LEVEL_SYMBOL = {"strong": "●", "workable": "◐", "stretch": "○", "gap": "·"}


def form_markdown(fields: Mapping[str, str]) -> str:
    """One story in the Markdown format from the edit form's fields (empty fields left out)."""
    title = " ".join(fields.get("title", "").split())
    if not title:
        raise InputError("The story needs a title.")
    return render_section(title, fields)


def form_values(story: Story) -> dict[str, str]:
    """The edit form's fields for a stored story."""
    return {"title": story.content.title, **field_texts(story.content)}


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
