"""The database itself: which schema it holds, and upgrading it on purpose (``starcoach db``).

Opening a store migrates it anyway; an explicit upgrade is for servers, where the operator migrates
with the app stopped and then starts the workers (docs/deploy.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starcoach.settings import Settings

if TYPE_CHECKING:
    from starcoach.store import SchemaStatus


def database_status(settings: Settings) -> SchemaStatus:
    """The schema of the configured database, read without creating or changing anything."""
    from starcoach.store import schema_status

    return schema_status(settings.database_url, settings.db_path)


def upgrade_database(settings: Settings, stamp: str) -> tuple[SchemaStatus, SchemaStatus]:
    """Migrate the configured database to this starcoach's schema; (before, after)."""
    from starcoach.store import Store, schema_status

    before = schema_status(settings.database_url, settings.db_path)
    if settings.database_url:
        store = Store.open_url(settings.database_url)
    else:
        store = Store.open(settings.db_path, settings.backup_dir, stamp)
    store.close()
    return before, schema_status(settings.database_url, settings.db_path)
