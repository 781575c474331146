"""Opening team mode: one shared store, the account and coaching services, and a Coach per owner.

This is the one place that knows how a per-user Coach is made over the shared store (the owner
wiring): ``Team.coach_for(user_id)`` gives a Coach whose every query is scoped to that user, without
opening another engine. The database is ``settings.database_url`` (PostgreSQL for a real team), else
the SQLite file of the data dir, which suits a trial run on one machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starcoach.clock import Clock, utc_now
from starcoach.service.team import TeamService
from starcoach.service.team_coaching import CoachingService
from starcoach.settings import Settings

if TYPE_CHECKING:
    from starcoach.service import Coach
    from starcoach.store import Store


@dataclass
class Team:
    """Everything team mode needs in one worker process (nothing here is per-user state)."""

    settings: Settings
    store: Store
    accounts: TeamService
    coaching: CoachingService
    clock: Clock

    def coach_for(self, owner: str) -> Coach:
        from starcoach.service import Coach

        return Coach(self.settings, clock=self.clock, owner=owner, store=self.store)

    def warm_up(self) -> None:
        """Load the analyzer's models now, so that a worker's first answer is not the slow one."""
        from starcoach.analysis.pipeline import analyze

        analyze("We disagreed about the design. I built a benchmark. As a result latency fell by 30%.",
                "Tell me about a time you disagreed with a colleague.")

    def close(self) -> None:
        self.store.close()


def database_url(settings: Settings) -> str:
    return settings.database_url or f"sqlite:///{settings.db_path}"


def open_team(settings: Settings, clock: Clock = utc_now) -> Team:
    """Open (and migrate) the team database and build the services over it."""
    from starcoach.store import Store

    store = Store.open_url(database_url(settings))
    holder: list[Team] = []
    accounts = TeamService(store, clock, lambda owner: holder[0].coach_for(owner))
    team = Team(settings, store, accounts, CoachingService(accounts), clock)
    holder.append(team)
    return team
