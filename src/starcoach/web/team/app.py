"""The team-mode app factory: the local app's practice, story, bank and progress routes, each request
scoped to the signed-in user, plus the account, admin and coaching routes, behind ``TeamMiddleware``.

``create_team_app`` takes everything as arguments (tests build as many as they like); ``app_from_env``
is what ``starcoach serve --team`` hands to uvicorn, which imports it once in every worker process, so
its configuration travels in environment variables (``STARCOACH_DATABASE_URL``, ``STARCOACH_HOME``,
``STARCOACH_TEAM_HOSTS``, ``STARCOACH_TEAM_SECURE``). Each worker opens its own engine on the shared
database; nothing else is shared between workers, and nothing needs to be.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from starcoach.web import routes_bank, routes_practice, routes_progress, routes_stories, routes_voice
from starcoach.web.app import STATIC_DIR
from starcoach.web.deps import install_error_handlers
from starcoach.web.schemas import ERROR_RESPONSES
from starcoach.web.security import LOOPBACK_HOSTS, MAX_BODY_BYTES
from starcoach.web.team import routes_account, routes_coach
from starcoach.web.team.guard import TeamGuard, TeamMiddleware

if TYPE_CHECKING:
    from starcoach.service.team_open import Team

ROUTE_MODULES = (routes_account, routes_coach, routes_practice, routes_voice, routes_bank, routes_stories,
                 routes_progress)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (the access log's message is JSON already)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        try:
            fields: Any = json.loads(message) if message.startswith("{") else {"msg": message}
        except ValueError:
            fields = {"msg": message}
        entry = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname.lower(),
                 "logger": record.name, **fields}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def json_logging(level: int = logging.INFO) -> None:
    """Send starcoach's logs to stderr as JSON lines (called once per worker)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("starcoach")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def create_team_app(
    team_factory: Callable[[], Team],
    *,
    hosts: Iterable[str] = (),
    secure: bool = False,
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The team app over the Team that ``team_factory`` opens (once, at the first request or start-up)."""
    from starcoach import __version__

    opened: list[Team] = []

    def team() -> Team:
        if not opened:
            opened.append(team_factory())
        return opened[0]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import anyio

        await anyio.to_thread.run_sync(lambda: team().warm_up())  # open the database and load models first
        yield
        if opened:
            opened.pop().close()

    app = FastAPI(title="starcoach team", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  responses=ERROR_RESPONSES)
    guard = TeamGuard(LOOPBACK_HOSTS | {h.lower() for h in hosts if h}, secure, max_body)
    app.state.team_guard = guard
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in ROUTE_MODULES:
        app.include_router(module.pages)
        app.include_router(module.api)
    app.add_middleware(TeamMiddleware, guard=guard, team=team)
    return app


def app_from_env() -> FastAPI:
    """The app one uvicorn worker serves, configured by the environment ``serve --team`` set."""
    from starcoach.service.team_open import open_team
    from starcoach.settings import resolve

    json_logging()
    settings = resolve()
    hosts = [h for h in os.environ.get("STARCOACH_TEAM_HOSTS", "").split(",") if h.strip()]
    secure = os.environ.get("STARCOACH_TEAM_SECURE", "") == "1"
    return create_team_app(lambda: open_team(settings), hosts=hosts, secure=secure)
