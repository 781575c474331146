"""Team routes for one's own account: sign-in and out, invitation and reset links, password, sharing,
export and deletion, plus the health and readiness probes.

Signing in always makes a new session id and ends the one the browser came with (no fixation);
signing out deletes the session row, so the old cookie is worthless on every worker at once.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from starcoach.errors import InputError, StarcoachError
from starcoach.web.deps import download, render
from starcoach.web.team.deps import TeamDep, Who, client_address, guard, safe_next, see_other
from starcoach.web.team.guard import session_cookie

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/team", tags=["team"])
SESSION_MAX_AGE = 12 * 3600

Text = Annotated[str, Form(max_length=1024)]


@pages.get("/healthz")
def healthz() -> JSONResponse:
    """The process answers (liveness)."""
    return JSONResponse({"status": "ok"})


@pages.get("/readyz")
def readyz(t: TeamDep) -> JSONResponse:
    """The database answers and its schema is this code's (readiness)."""
    try:
        ok = t.accounts.ready()
    except StarcoachError:
        ok = False
    return JSONResponse({"status": "ready" if ok else "unavailable"}, status_code=200 if ok else 503)


@pages.get("/", include_in_schema=False)
def home(who: Who) -> Response:
    return see_other({"admin": "/admin", "coach": "/coach"}.get(who.role, "/practice"))


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
    return render(request, "team_login.html", title="Sign in", next=safe_next(next), error="")


@pages.post("/login")
def login(
    request: Request, t: TeamDep, email: Text, password: Text,
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    old = request.state.session_token
    try:
        token, _who = t.accounts.login(email, password, client_address(request), old)
    except StarcoachError as exc:
        return render(request, "team_login.html", status=exc.http_status, title="Sign in", next=safe_next(next),
                      error=str(exc))
    response = see_other(safe_next(next))
    g = guard(request)
    response.headers.append("set-cookie", g.cookie(session_cookie(g.secure), token, SESSION_MAX_AGE))
    return response


@pages.post("/logout")
def logout(request: Request, t: TeamDep, who: Who) -> Response:
    t.accounts.logout(who)
    response = see_other("/login")
    g = guard(request)
    response.headers.append("set-cookie", g.cookie(session_cookie(g.secure), "", 0))
    return response


@pages.get("/invite/{token}", response_class=HTMLResponse)
def invite_page(request: Request, t: TeamDep, token: str) -> HTMLResponse:
    return render(request, "team_invite.html", title="Join", invite=t.accounts.invitation(token), token=token,
                  error="")


@pages.post("/invite/{token}")
def accept_invite(request: Request, t: TeamDep, token: str, email: Text, name: Text, password: Text) -> Response:
    invite = t.accounts.invitation(token)
    try:
        t.accounts.accept(token, email, name, password)
    except InputError as exc:
        return render(request, "team_invite.html", status=exc.http_status, title="Join", invite=invite, token=token,
                      error=str(exc))
    return see_other("/login?joined=1")


@pages.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, t: TeamDep, token: str) -> HTMLResponse:
    user = t.accounts.reset_target(token)
    return render(request, "team_reset.html", title="New password", email=user.email, token=token, error="")


@pages.post("/reset/{token}")
def reset(request: Request, t: TeamDep, token: str, password: Text) -> Response:
    user = t.accounts.reset_target(token)
    try:
        t.accounts.use_reset(token, password)
    except InputError as exc:
        return render(request, "team_reset.html", status=exc.http_status, title="New password", email=user.email,
                      token=token, error=str(exc))
    return see_other("/login")


@pages.get("/account", response_class=HTMLResponse)
def account_page(request: Request, who: Who, done: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    return render(request, "team_account.html", nav="account", title="Account", user=who.user, done=done or "")


@pages.post("/account/password")
def change_password(who: Who, t: TeamDep, current: Text, new: Text) -> Response:
    t.accounts.change_password(who, current, new)
    return see_other("/account?done=password")


@pages.post("/account/sharing")
def set_sharing(who: Who, t: TeamDep, share: Annotated[str, Form(max_length=10)] = "") -> Response:
    t.accounts.set_sharing(who, share == "on")
    return see_other("/account?done=sharing")


@pages.get("/account/export")
def export(who: Who, t: TeamDep) -> Response:
    data = json.dumps(t.accounts.export(who), ensure_ascii=False, indent=1).encode()
    return download(data, "application/json", "starcoach-account.json")


@pages.post("/account/delete")
def delete_account(request: Request, who: Who, t: TeamDep, password: Text) -> Response:
    t.accounts.delete_account(who, password)
    response = see_other("/login")
    g = guard(request)
    response.headers.append("set-cookie", g.cookie(session_cookie(g.secure), "", 0))
    return response


@api.get("/me", summary="The signed-in account")
def me(who: Who) -> dict[str, object]:
    return who.user.public()
