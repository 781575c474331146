"""The CLI's start-up path: `starcoach analyze` runs without pydantic, and options mean what they did.

typer 0.29 coerces parameters through pydantic; cli/params.py takes plain str, bool and Path options
around it (pydantic and its plugin loader were about 0.1 s of a cold `starcoach analyze`). These tests
run the real console script and check that values and usage errors are still typer's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from starcoach.cli import params

ANSWER = "Our build kept breaking. I added a check to every merge request. It has not broken since."


def _imported(args: list[str], home: Path, stdin: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the installed console script with -X importtime; return the run and the modules it imported."""
    exe = Path(sys.executable).with_name("starcoach")
    env = {**os.environ, "STARCOACH_HOME": str(home), "PYTHONPROFILEIMPORTTIME": "1"}
    run = subprocess.run([str(exe), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)
    mods = {ln.rsplit("|", 1)[-1].strip() for ln in run.stderr.splitlines() if ln.startswith("import time:")}
    return run, mods


def test_analyze_json_does_not_import_pydantic(starcoach_home: Path) -> None:
    run, mods = _imported(["analyze", "-", "-q", "Tell me about a time you fixed a build.", "--json"],
                          starcoach_home, ANSWER)
    assert run.returncode == 0, run.stderr[-2000:]
    assert '"score"' in run.stdout
    assert "starcoach.analysis.pipeline" in mods  # the import log really is the command's
    assert not {m for m in mods if m.split(".")[0] in ("pydantic", "pydantic_core")}


def test_a_batch_path_option_does_not_import_pydantic(tmp_path: Path, starcoach_home: Path) -> None:
    batch = tmp_path / "in.jsonl"
    line = {"question": "Tell me about a time you fixed a build.", "answer": ANSWER}
    batch.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run, mods = _imported(["analyze", "--batch", str(batch)], starcoach_home, "")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count("\n") == 1
    assert "pydantic" not in mods


def _probe_app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def probe(
        name: Annotated[str | None, typer.Option("--name")] = None,
        where: Annotated[Path | None, typer.Option("--where")] = None,
        flag: Annotated[bool, typer.Option("--flag")] = False,
        count: Annotated[int, typer.Option("--count")] = 1,
        given: Annotated[Path | None, typer.Option("--given", exists=True)] = None,
    ) -> None:
        typer.echo(repr((name, where, flag, count, given)))

    return app


CASES = [
    [], ["--name", "x y", "--where", "a/b.txt", "--flag"], ["--name", "", "--where", "dir/", "--count", "3"],
    ["--where", ""], ["--given", "."], ["--count", "abc"], ["--given", "no-such-file"], ["--flag", "--flag"],
]


def _unpatched(cases: list[list[str]]) -> list[tuple[int, str]]:
    """The same app run by typer alone, in a fresh interpreter that never installs cli/params.py."""
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from tests.test_cli_startup import _probe_app\n"
        "out = [(r.exit_code, r.output) for r in (CliRunner().invoke(_probe_app(), a) for a in json.load(sys.stdin))]\n"
        "assert 'pydantic' in sys.modules\n"
        "json.dump(out, sys.stdout)\n"
    )
    env = {**os.environ, "COLUMNS": "120"}
    run = subprocess.run([sys.executable, "-c", code], input=json.dumps(cases), capture_output=True, text=True,
                         env=env, cwd=Path(__file__).resolve().parent.parent, timeout=120, check=True)
    return [(int(c), str(o)) for c, o in json.loads(run.stdout)]


def test_plain_options_get_typers_own_values_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert params.install()
    ours = [(r.exit_code, r.output) for r in (CliRunner().invoke(_probe_app(), a) for a in CASES)]
    assert ours == _unpatched(CASES)
    assert ours[1] == (0, repr(("x y", Path("a/b.txt"), True, 1, None)) + "\n")
    assert ours[5][0] == 2 and "valid integer" in ours[5][1]


def _commands(app: typer.Typer) -> dict[str, str]:
    """Each top-level command of an app -> its help text as click builds it."""
    from typer.main import get_command

    group = get_command(app)
    ctx = group.make_context("starcoach", [], resilient_parsing=True)
    names = group.list_commands(ctx)  # type: ignore[attr-defined]
    return {n: group.get_command(ctx, n).get_help(ctx) for n in names}  # type: ignore[attr-defined]


def test_each_command_runs_from_a_small_app_with_the_same_command_and_root_options() -> None:
    from starcoach.cli import main

    whole = _commands(main.app)
    assert "analyze" in whole and "questions" in whole
    for name, help_text in whole.items():
        small = main.app_for([name, "--help"])
        assert small is not main.app, name  # every command has its module's small app
        assert _commands(small)[name] == help_text
        assert _root_options(small) == _root_options(main.app)
    assert main.app_for([]) is main.app and main.app_for(["--version"]) is main.app
    assert main.app_for(["no-such-command"]) is main.app  # the whole app reports the unknown command


def _root_options(app: typer.Typer) -> list[str | None]:
    from typer.main import get_command

    return [p.name for p in get_command(app).params]


def test_a_usage_error_under_a_command_is_the_same_one_line(starcoach_home: Path) -> None:
    exe = Path(sys.executable).with_name("starcoach")
    env = {**os.environ, "STARCOACH_HOME": str(starcoach_home)}
    run = subprocess.run([str(exe), "analyze", "--bogus"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert run.stderr == "starcoach: error: No such option: --bogus (see 'starcoach analyze --help')\n"
    run = subprocess.run([str(exe), "analyse", "x"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2 and "No such command 'analyse'" in run.stderr
