"""The Coach: the one object that every interface (CLI, web) calls.

Each feature's use cases live in a mixin module of this package (banks, analysis, ...); ``Coach``
combines them over one shared ``CoachBase`` (settings, clock, rng, store). ``open_coach`` resolves
settings the documented way (see ``starcoach.settings``).
"""

from __future__ import annotations

import random
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.clock import Clock, utc_now
from starcoach.ids import LOCAL_OWNER
from starcoach.service.analysis import AnalysisService
from starcoach.service.banks import BankService
from starcoach.service.practice import PracticeService
from starcoach.service.stories import StoryService
from starcoach.settings import resolve

if TYPE_CHECKING:
    from starcoach.service.voice import VoiceService
    from starcoach.store import Store


class Coach(StoryService, PracticeService, AnalysisService, BankService):
    """Every use case of starcoach, over one store."""

    @cached_property
    def voice(self) -> VoiceService:
        """Spoken answers (a part, not a mixin: see service.voice)."""
        from starcoach.service.voice import VoiceService

        return VoiceService(self)


def open_coach(
    home: str | Path | None = None,
    *,
    clock: Clock = utc_now,
    rng: random.Random | None = None,
    database_url: str | None = None,
    owner: str = LOCAL_OWNER,
    store: Store | None = None,
) -> Coach:
    """A Coach over the data dir resolved from ``home``, ``STARCOACH_HOME``, config or default.

    ``database_url`` (else ``STARCOACH_DATABASE_URL`` or the config's ``database_url``) picks another
    database than ``<home>/starcoach.db``; ``owner`` and ``store`` as in ``CoachBase``.
    """
    return Coach(resolve(home, database_url=database_url), clock=clock, rng=rng, owner=owner, store=store)


__all__ = ["Coach", "open_coach"]
