"""What every part of the Coach shares: settings, the clock, randomness and the store.

The store is opened (and SQLAlchemy imported) lazily, so commands that need no database
(``--help``, ``analyze``, showing a bundled question) never pay for it or create one.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING

from starcoach.clock import Clock, utc_now
from starcoach.ids import LOCAL_OWNER
from starcoach.settings import Settings

if TYPE_CHECKING:
    from starcoach.store import Store


class CoachBase:
    """Shared state of the Coach facade; feature services are mixins over it."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        *,
        owner: str = LOCAL_OWNER,
        store: Store | None = None,
    ) -> None:
        """``owner`` is whose data this Coach sees. ``store``: a shared open store (team mode: one engine
        for every request); the Coach then works on ``store.scoped(owner)`` and never closes it."""
        self.settings = settings
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()
        self.owner = owner
        self._shared = store is not None
        self._store: Store | None = store.scoped(owner) if store is not None else None

    @property
    def store(self) -> Store:
        if self._store is None:
            from starcoach.store import Store  # SQLAlchemy loads here, not when the Coach is built

            if self.settings.database_url:
                store = Store.open_url(self.settings.database_url)
            else:
                stamp = self.now().strftime("%Y%m%dT%H%M%SZ")
                store = Store.open(self.settings.db_path, self.settings.backup_dir, stamp)
            self._store = store if self.owner == LOCAL_OWNER else store.scoped(self.owner)
        return self._store

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        if self._store is not None and not self._shared:
            self._store.close()
            self._store = None
