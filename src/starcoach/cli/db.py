"""``starcoach db check`` and ``starcoach db upgrade``: the database's schema revision, and migrating it.

Both honour ``--database-url`` / ``STARCOACH_DATABASE_URL`` (else the SQLite file in the data dir).
``check`` exits 0 when the schema is current, 1 when an upgrade is due (or there is no schema yet),
and 2 with one error line when the database was written by a newer starcoach or cannot be read.
"""

from __future__ import annotations

from typing import Annotated

import typer

from starcoach.cli import common

db_app = typer.Typer(help="The database: check its schema revision, upgrade it.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@db_app.command("check")
def check_cmd(as_json: JsonOpt = False) -> None:
    """Print the database's schema revision and whether it is current (exit 1 if an upgrade is due)."""
    from starcoach.errors import SchemaTooNewError
    from starcoach.service.database import database_status
    from starcoach.settings import resolve

    status = database_status(resolve(common.state_home(), database_url=common.state_database_url()))
    if as_json:
        common.print_json(status.to_dict())
    else:
        revs = ", ".join(sorted(status.applied)) or "none"
        common.out.print(f"database: {status.where}", markup=False)
        common.out.print(f"revision: {revs} ({status.state}; this starcoach: {', '.join(sorted(status.heads))})",
                         markup=False)
    if status.state == "newer":
        raise SchemaTooNewError(f"{status.where}: written by a newer starcoach; upgrade starcoach to open it")
    if status.state != "current":
        if not as_json:
            common.err.print("starcoach: the database needs 'starcoach db upgrade'", markup=False)
        raise typer.Exit(1)


@db_app.command("upgrade")
def upgrade_cmd(as_json: JsonOpt = False) -> None:
    """Migrate the database to this starcoach's schema (run it with the app stopped on a server)."""
    from datetime import UTC, datetime

    from starcoach.service.database import upgrade_database
    from starcoach.settings import resolve

    settings = resolve(common.state_home(), database_url=common.state_database_url())
    before, after = upgrade_database(settings, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    if as_json:
        common.print_json({"before": before.to_dict(), "after": after.to_dict()})
        return
    old = ", ".join(sorted(before.applied)) or "none"
    new = ", ".join(sorted(after.applied))
    verb = "already at" if before.applied == after.applied else f"upgraded from {old} to"
    common.out.print(f"{after.where}: {verb} {new}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
