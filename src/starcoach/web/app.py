"""The app factory: one FastAPI app over one Coach, behind the security middleware.

``create_app`` builds everything from its arguments (no globals), so tests make as many apps as
they like, each with its own data dir and token. The interactive API docs (Swagger, ReDoc) are left
out on purpose: they load their scripts from a CDN. The schema itself is at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from starcoach.web import (
    routes_bank,
    routes_practice,
    routes_progress,
    routes_stories,
    routes_voice,
)
from starcoach.web.deps import CoachHolder, install_error_handlers
from starcoach.web.schemas import ERROR_RESPONSES
from starcoach.web.security import MAX_BODY_BYTES, Guard, SecurityMiddleware

if TYPE_CHECKING:
    from starcoach.service import Coach
    from starcoach.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
ROUTE_MODULES = (routes_practice, routes_voice, routes_bank, routes_stories, routes_progress)


def _default_factory(settings: Settings | None) -> Callable[[], Coach]:
    def make() -> Coach:
        from starcoach.service import Coach
        from starcoach.settings import resolve

        return Coach(settings or resolve())

    return make


def _home() -> RedirectResponse:
    return RedirectResponse("/practice", status_code=303)


def create_app(
    coach_factory: Callable[[], Coach] | None = None,
    *,
    settings: Settings | None = None,
    token: str | None = None,
    extra_hosts: Iterable[str] = (),
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The web app. ``token`` is the per-launch secret (a fresh one when None: read ``app.state.guard``)."""
    from starcoach import __version__

    holder = CoachHolder(coach_factory or _default_factory(settings))
    guard = Guard.make(token, extra_hosts, max_body)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    app = FastAPI(
        title="starcoach",
        version=__version__,
        description="Local API of starcoach: every page of the web app is built on these endpoints.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.coach_holder = holder
    app.state.guard = guard
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in ROUTE_MODULES:
        app.include_router(module.pages)
        app.include_router(module.api)

    app.add_api_route("/", _home, include_in_schema=False)
    app.add_middleware(SecurityMiddleware, guard=guard)
    return app
