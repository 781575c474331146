"""Usage errors through the real installed console script: one line on stderr, exit 2, no traceback.

These run ``.venv/bin/starcoach`` (the entry point pip wrote), not ``python -m starcoach``, so a
dependency that changes how usage errors are raised (typer vendoring click) is caught here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "starcoach"


def run_script(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STARCOACH_HOME": str(home), "COLUMNS": "80"}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("analyze", "--bogus"), "--bogus"),
        (("import",), "Missing argument"),
        (("nosuch",), "nosuch"),
        (("practice", "--count", "many"), "--count"),
        (("questions", "list", "--limit", "x"), "--limit"),
    ],
)
def test_usage_error_is_one_line_and_exit_2(args: tuple[str, ...], words: str, starcoach_home: Path) -> None:
    assert SCRIPT.exists(), f"the console script is not installed at {SCRIPT}"
    result = run_script(*args, home=starcoach_home)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("starcoach: error: ")
    assert words in lines[0]
    assert result.stdout == ""


def test_help_still_works(starcoach_home: Path) -> None:
    result = run_script("--help", home=starcoach_home)
    assert result.returncode == 0
    assert "practice" in result.stdout


ROOT = Path(__file__).resolve().parent.parent


def test_installs_are_pinned_by_the_constraints_file() -> None:
    pins = {
        line.split("==")[0].lower(): line.split("==")[1]
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert {"typer", "click", "rich", "sqlalchemy", "fastapi"} <= pins.keys()
    assert "starcoach" not in pins
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [ln for ln in readme.splitlines() if ln.startswith("python3 -m venv .venv")]
    assert len(commands) == 2 and all("-c constraints.txt" in c for c in commands)
    assert "-c constraints.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/lock.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
