"""What every part of the Coach shares: settings, the clock, randomness and the store.

The store is opened (and SQLAlchemy imported) lazily, so commands that need no database
(``--help``, ``analyze``, showing a bundled question) never pay for it or create one.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING

from starcoach.clock import Clock, utc_now
from starcoach.settings import Settings

if TYPE_CHECKING:
    from starcoach.store import Store


class CoachBase:
    """Shared state of the Coach facade; feature services are mixins over it."""

    def __init__(self, settings: Settings, clock: Clock = utc_now, rng: random.Random | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.rng = rng if rng is not None else random.Random()
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from starcoach.store import Store  # SQLAlchemy loads here, not when the Coach is built

            stamp = self.now().strftime("%Y%m%dT%H%M%SZ")
            self._store = Store.open(self.settings.db_path, self.settings.backup_dir, stamp)
        return self._store

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
