"""Run the ``starcoach`` app in-process (typer's CliRunner), closing the cached Coach after each call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from starcoach.cli import common
from starcoach.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_coach() -> Iterator[None]:
    """Import into a test module to close the CLI's cached Coach after every test."""
    yield
    common.close()


def run(*args: str, stdin: str | None = None) -> Any:
    result = runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "200"})
    common.close()
    return result
