"""What the team routes share: the signed-in principal, the Team services, cookies and redirects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from starcoach.errors import AuthError

if TYPE_CHECKING:
    from starcoach.service.team import Principal
    from starcoach.service.team_open import Team
    from starcoach.web.team.guard import TeamGuard


def principal(request: Request) -> Principal:
    """FastAPI dependency: the signed-in user (the door already refused anyone else; this is the second lock)."""
    who: Principal | None = getattr(request.state, "principal", None)
    if who is None:
        raise AuthError("Sign in first.")
    return who


def team(request: Request) -> Team:
    found: Team = request.state.team
    return found


def guard(request: Request) -> TeamGuard:
    found: TeamGuard = request.app.state.team_guard
    return found


def client_address(request: Request) -> str:
    """The client's address (behind --proxy-headers, uvicorn has already put the forwarded one here)."""
    return request.client.host if request.client else "unknown"


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a local path only (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


Who = Annotated["Principal", Depends(principal)]
TeamDep = Annotated["Team", Depends(team)]
