"""The door of team mode: one ASGI middleware in front of every request, like ``web/security.py`` for the
local app, but with accounts instead of a per-launch secret.

In order, for every HTTP request:

1. **Host allow-list**: loopback plus the names given with ``--allowed-host``; otherwise 400.
2. **Who is it**: the session cookie is looked up in the database (any worker can answer); the
   signed-in user, their session's CSRF token and a Coach scoped to them go into ``scope["state"]``.
   Public addresses (sign-in, invitation and reset links, health checks, static files) need no session;
   anything else answers 401 (API, forms) or redirects a page view to ``/login``.
3. **Cross-site and shared data**: ``Sec-Fetch-Site`` cross-site/same-site requests are refused unless
   they are top-level page views; an unsafe method's ``Origin`` must be this site. Question banks are
   shared by every account, so only an admin may import or delete one (403 for anyone else).
4. **CSRF** on POST/PUT/PATCH/DELETE: the ``X-CSRF-Token`` header or the ``csrf_token`` form field must
   equal the session's token (stored with the session, so no worker keeps a secret in memory). Before
   sign-in, a random ``starcoach_pre`` cookie is the double-submit token of the public forms.
5. The response gets the security headers of the local app, plus HSTS behind a TLS proxy, and one
   JSON access-log line (method, route with link tokens cut out, status, time, user id; never a body or
   query string, so no answer text reaches the logs).
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

import anyio

from starcoach.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    LOOPBACK_HOSTS,
    MAX_BODY_BYTES,
    SAFE_METHODS,
    ASGIApp,
    BodyTooLarge,
    ClientGone,
    Message,
    Receive,
    Scope,
    Send,
    _Req,
    form_field,
    host_name,
    parse_cookies,
    read_body,
    replay,
    security_headers,
    send_error,
)

if TYPE_CHECKING:
    from starcoach.service.team import Principal
    from starcoach.service.team_open import Team

access_log = logging.getLogger("starcoach.access")
PRE_COOKIE = "starcoach_pre"
PUBLIC_EXACT = frozenset({"/login", "/healthz", "/readyz", "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/", "/invite/", "/reset/")
HSTS = "max-age=31536000; includeSubDomains"
ADMIN_WRITES = ("/banks/", "/api/banks/", "/api/banks")  # question banks are shared by every account


def session_cookie(secure: bool) -> str:
    """``__Host-`` cookies must be Secure, host-only and Path=/: a sibling domain cannot plant one."""
    return "__Host-starcoach_team" if secure else "starcoach_team"


def is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES)


def log_path(path: str) -> str:
    """The path for the logs, with the secret of an invitation or reset link cut out."""
    for prefix in ("/invite/", "/reset/"):
        if path.startswith(prefix):
            return prefix + "…"
    return path


@dataclass(frozen=True, slots=True)
class TeamGuard:
    """What the door checks against: allowed hosts, whether TLS is in front, the body limit."""

    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS
    secure: bool = False
    max_body: int = MAX_BODY_BYTES

    def cookie(self, name: str, value: str, max_age: int | None = None) -> str:
        parts = [f"{name}={value}", "HttpOnly", "SameSite=Lax", "Path=/"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)


class TeamMiddleware:
    """The checks of the module docstring, as a pure ASGI middleware."""

    def __init__(self, app: ASGIApp, guard: TeamGuard, team: Callable[[], Team]) -> None:
        self.app = app
        self.guard = guard
        self.team = team

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        started, req = time.perf_counter(), _Req.of(scope)
        status: list[int] = [0]
        send = self._wrap(send, req.path, status)
        user_id = None
        try:
            user_id = await self._handle(scope, receive, send, req)
        finally:
            access_log.info(json.dumps({
                "event": "request", "method": req.method, "path": log_path(req.path), "status": status[0],
                "ms": round((time.perf_counter() - started) * 1000, 1), "user": user_id}))

    async def _handle(self, scope: Scope, receive: Receive, send: Send, req: _Req) -> str | None:
        if req.headers.get("host") is None or host_name(req.headers["host"]) not in self.guard.allowed_hosts:
            await send_error(send, req, 400, "This server does not answer for that host name.")
            return None
        cookies = parse_cookies(req.headers.get("cookie", ""))
        token = cookies.get(session_cookie(self.guard.secure))
        who = await anyio.to_thread.run_sync(self.team().accounts.principal, token) if token else None
        problem = self._refusal(req, who)
        if problem is not None:
            await send_error(send, req, *problem)
            return who.id if who else None
        if who is None and not is_public(req.path):
            await self._signed_out(send, req)
            return None
        csrf, send = self._csrf_token(who, cookies, send)
        state = scope.setdefault("state", {})
        state.update(team=self.team(), principal=who, csrf=csrf, session_token=token,
                     team_user=who.user if who else None)
        if who is not None:
            state["coach"] = self.team().coach_for(who.id)
        try:
            if req.method in SAFE_METHODS:
                await self.app(scope, receive, send)
            else:
                await self._unsafe(scope, receive, send, req, csrf)
        finally:
            if who is not None:
                state["coach"].close()
        return who.id if who else None

    def _refusal(self, req: _Req, who: Principal | None) -> tuple[int, str] | None:
        site = req.headers.get("sec-fetch-site")
        navigation = req.method == "GET" and req.headers.get("sec-fetch-mode") == "navigate"
        if site in ("cross-site", "same-site") and not navigation:
            return 403, "Requests from other web sites are refused."
        if req.method not in SAFE_METHODS:
            if req.path.startswith(ADMIN_WRITES) and who is not None and who.role != "admin":
                return 403, "Question banks are shared by the whole team: only an admin can change them."
            origin = req.headers.get("origin")
            scheme = "https" if self.guard.secure else "http"
            if origin is not None and origin not in (f"{scheme}://{req.headers.get('host', '')}",):
                return 403, f"Requests from origin {origin} are refused."
        return None

    async def _signed_out(self, send: Send, req: _Req) -> None:
        if req.method == "GET" and not req.wants_json:
            target = quote(req.path, safe="/")
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", f"/login?next={target}".encode()), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send_error(send, req, 401, "Sign in first.")

    def _csrf_token(self, who: Principal | None, cookies: dict[str, str], send: Send) -> tuple[str, Send]:
        """The token forms must carry: the session's, or before sign-in the pre-session cookie (made here)."""
        if who is not None:
            return who.csrf, send
        pre = cookies.get(PRE_COOKIE, "")
        if len(pre) >= 32:
            return pre, send
        fresh = secrets.token_urlsafe(32)
        header = self.guard.cookie(PRE_COOKIE, fresh).encode()

        async def _send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
            await send(message)

        return fresh, _send

    async def _unsafe(self, scope: Scope, receive: Receive, send: Send, req: _Req, csrf: str) -> None:
        declared = req.headers.get("content-length", "")
        limit = self.guard.max_body
        try:
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge
            body = await read_body(receive, limit)
        except BodyTooLarge:
            await send_error(send, req, 413, f"The request is larger than {limit // 1024} KB.")
            return
        except ClientGone:
            return
        given = req.headers.get(CSRF_HEADER)
        if given is None:
            try:
                given = await form_field(scope, body, CSRF_FIELD)
            except Exception:  # a malformed multipart body: python-multipart raises several types
                await send_error(send, req, 400, "The form data could not be read.")
                return
        if given is None or not hmac.compare_digest(given.encode(), csrf.encode()):
            await send_error(send, req, 403, "Missing or wrong CSRF token: reload the page and try again.")
            return
        await self.app(scope, replay(body, receive), send)

    def _wrap(self, send: Send, path: str, status: list[int]) -> Send:
        extra = [(b"strict-transport-security", HSTS.encode())] if self.guard.secure else []

        async def _send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                present = {k.lower() for k, _ in message.get("headers", [])}
                added = [(k, v) for k, v in [*security_headers(path), *extra] if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        return _send

