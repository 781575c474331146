"""The ``starcoach`` command: the typer app, command registration and the one error translator.

Start-up must stay fast (``starcoach --help`` under 0.3 s): command modules import the service
and anything heavy inside their functions, never at module top.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from starcoach.cli import analyze, banks, common, db, params, practice, questions, stories, team, web

params.install()  # plain str/Path options without importing pydantic (see cli/params.py)


def _new_app() -> typer.Typer:
    """The root app with its global options and no commands yet."""
    new = typer.Typer(
        name="starcoach",
        help="Practice behavioral interviews offline: question bank, STAR feedback, spaced repetition.",
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    new.callback(invoke_without_command=True)(root)
    return new


def root(
    ctx: typer.Context,
    home: Annotated[
        str | None, typer.Option("--home", help="Data directory (default: STARCOACH_HOME, config, or user data dir).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database URL, e.g. postgresql://user@host/db (default: STARCOACH_DATABASE_URL, config, "
            "or the SQLite file in the data directory).",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Practice behavioral interviews offline."""
    if version:
        from importlib.metadata import version as pkg_version

        common.out.print(f"starcoach {pkg_version('starcoach')}")
        raise typer.Exit()
    common.set_home(home, database_url)
    if ctx.invoked_subcommand is None:
        questions.welcome()


# The order here is the order of `starcoach --help`: the main job first.
app = _new_app()
# Each top-level command name -> an app with the root options and only the commands of the module that
# registers it. Building typer's click group inspects every command's signature (about 35 ms for all of
# them); `starcoach analyze ...` needs one module's. tests/test_cli_startup.py checks both agree.
_BY_COMMAND: dict[str, typer.Typer] = {}
for module in (practice, analyze, questions, banks, stories, web, db, team):
    module.register(app)
    own = _new_app()
    module.register(own)
    names = [c.name for c in own.registered_commands] + [g.name for g in own.registered_groups]
    _BY_COMMAND.update((name, own) for name in names if name)


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for these arguments: when the first one names a command, the small app of the
    module that registers it (same command, same options, same errors); otherwise the whole app."""
    return _BY_COMMAND.get(argv[0], app) if argv else app


def run() -> None:
    """Console-script entry point: run the app, translating starcoach errors into one line + exit 2."""
    from starcoach.errors import StarcoachError

    try:
        rc = app_for(sys.argv[1:])(standalone_mode=False)
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except StarcoachError as exc:
        common.err.print(f"starcoach: error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        common.err.print("starcoach: interrupted", markup=False)
        sys.exit(130)
    except typer.Abort:
        common.err.print("starcoach: aborted", markup=False)
        sys.exit(1)
    except Exception as exc:
        usage = _usage_error(exc)
        if usage is None:
            raise
        common.err.print(f"starcoach: error: {usage}", markup=False)
        sys.exit(2)
    finally:
        common.close()


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """Every ``ClickException`` class in this process.

    typer >= 0.29 vendors click as ``typer._click``; older typer raises the standalone ``click``'s
    exceptions. Checking both keeps usage errors one line whichever typer the constraints allow.
    """
    types: list[type[BaseException]] = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        types.append(module.ClickException)
    return tuple(types)


def _usage_error(exc: BaseException) -> str | None:
    """One line for a click usage error (bad option, missing argument, unknown command), else None."""
    if not isinstance(exc, _click_exception_types()):
        return None
    message: str = exc.format_message()  # type: ignore[attr-defined]
    line = " ".join(message.split())
    command = getattr(getattr(exc, "ctx", None), "command_path", "")
    hint = f" (see '{command} --help')" if command else ""
    return f"{line}{hint}"
