"""The question bank through the Coach: exports as bytes, and filters typed by a user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from starcoach.bank.builtin import BUILTIN_ID
from starcoach.bank.model import QuestionType
from starcoach.bank.query import make_filter
from starcoach.errors import InputError, NotFoundError


@pytest.mark.parametrize(("fmt", "suffix"), [("md", "md"), ("json", "json"), ("csv", "csv"), ("anki", "apkg")])
def test_export_bytes_are_what_export_writes(coach: Any, tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"bank.{suffix}"
    assert [b.id for b in coach.export(fmt, path, [BUILTIN_ID])] == [BUILTIN_ID]
    assert coach.export_bytes(fmt, [BUILTIN_ID]) == path.read_bytes()


def test_export_bytes_refuse_what_export_refuses(coach: Any) -> None:
    with pytest.raises(InputError, match="unknown export format 'pdf'"):
        coach.export_bytes("pdf")
    with pytest.raises(NotFoundError, match="no bank 'ghost'"):
        coach.export_bytes("json", ["ghost"])


def test_a_typed_filter_is_checked_and_normalised() -> None:
    flt = make_filter("story", ["conflict", "ownership"], "amazon:dive-deep", "", "  deadline ")
    assert flt.type is QuestionType.STORY
    assert flt.competencies == ("conflict", "ownership", "technical-depth")
    assert (flt.bank, flt.text) == (None, "deadline")
    assert make_filter(None) == make_filter(None, [], None, None, "   ")
    with pytest.raises(InputError, match="FRAMEWORK:PRINCIPLE"):
        make_filter(None, principle="amazon")
    with pytest.raises(InputError, match="unknown competency 'bravery'"):
        make_filter(None, ["bravery"])
