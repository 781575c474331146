"""``starcoach team ...`` and ``starcoach serve --team``: team mode from the command line.

``team create-admin`` makes the first admin (the password is asked for, or read from stdin with
``--password-stdin``; never taken from the command line, where ``ps`` would show it). ``serve --team``
migrates the database once, then starts uvicorn with N worker processes that each import
``starcoach.web.team.app:app_from_env``; their configuration travels in environment variables.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from starcoach.cli import common

if TYPE_CHECKING:
    from starcoach.settings import Settings

team_app = typer.Typer(help="Team mode: accounts for a cohort on a shared database (see docs/deploy.md).",
                       no_args_is_help=True, rich_markup_mode=None)

def _settings() -> Settings:
    """Settings as every command resolves them (``--home``, ``--database-url``, env, config)."""
    from starcoach.settings import resolve

    return resolve(common.state_home(), database_url=common.state_database_url())


def _password(from_stdin: bool) -> str:
    from starcoach.errors import InputError

    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("no password on stdin")
        return line
    import getpass

    first = getpass.getpass("Password (10+ characters): ")
    if first != getpass.getpass("Again: "):
        raise InputError("the two passwords differ; nothing was created")
    return first


def create_admin(
    email: Annotated[str, typer.Option("--email", help="The admin's e-mail (their sign-in name).")],
    name: Annotated[str, typer.Option("--name", help="The admin's display name.")] = "Admin",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create an admin account (the first one, or another)."""
    from starcoach.service.team_open import open_team

    password = _password(password_stdin)
    team = open_team(_settings())
    try:
        user = team.accounts.create_admin(email, name, password)
    finally:
        team.close()
    common.out.print(f"Admin {user.email} created; sign in at /login of 'starcoach serve --team'.", markup=False)


def serve_team(host: str, port: int, workers: int, hosts: list[str], proxy_headers: bool, forwarded: str) -> None:
    """Migrate once, then run ``workers`` uvicorn processes of the team app."""
    import uvicorn

    from starcoach.errors import InputError
    from starcoach.service.team_open import open_team

    if workers < 1:
        raise InputError("--workers must be 1 or more")
    settings = _settings()
    open_team(settings).close()  # create or upgrade the schema before any worker starts
    os.environ["STARCOACH_HOME"] = str(settings.home)
    if settings.database_url:
        os.environ["STARCOACH_DATABASE_URL"] = settings.database_url
    os.environ["STARCOACH_TEAM_HOSTS"] = ",".join(hosts)
    os.environ["STARCOACH_TEAM_SECURE"] = "1" if proxy_headers else ""
    common.out.print(f"starcoach team mode on http://{host}:{port}/ with {workers} worker(s) (Ctrl+C stops it)",
                     markup=False)
    uvicorn.run("starcoach.web.team.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                proxy_headers=proxy_headers, forwarded_allow_ips=forwarded if proxy_headers else None,
                access_log=False, log_level="warning", lifespan="on")


def register(app: typer.Typer) -> None:
    team_app.command("create-admin")(create_admin)
    app.add_typer(team_app, name="team")
