"""Guarding the local web app: the one ASGI middleware every request passes through first.

A story bank is private career data, and a server on 127.0.0.1 is reachable from every web page the
user has open. So, in this order, for every HTTP request (pages, API, static files, the schema):

1. **Host allow-list** (DNS rebinding): the ``Host`` header must name loopback (``localhost``,
   ``127.0.0.1``, ``[::1]``) or a host the user allowed explicitly; otherwise 400.
2. **Per-launch secret**: ``starcoach serve`` makes a random token and opens the browser on
   ``/?token=...``. That request trades the token for an ``HttpOnly; SameSite=Strict`` cookie and
   moves on to the same URL without the token. Every other request needs the cookie (or an
   ``Authorization: Bearer <token>`` header, for scripts); otherwise 401.
3. **Cross-site requests**: a request the browser marks ``Sec-Fetch-Site: cross-site`` or
   ``same-site`` (another port on localhost is "same-site") is refused with 403 unless it is a plain
   top-level navigation, which can only show the user a page, never hand it to the other site.
4. **CSRF** on POST/PUT/PATCH/DELETE: an ``Origin`` header, when sent, must be this origin, and the
   request must carry the CSRF token (``X-CSRF-Token`` header, or a ``csrf_token`` form field) unless
   it authenticated with the bearer header, which browsers never attach on their own; otherwise 403.
5. **Body size**: bodies over the limit are refused with 413 before the app sees them.

Every response gets a strict Content Security Policy (``default-src 'self'``, no inline scripts),
``Cache-Control: no-store`` (static files excepted), and the usual anti-framing/sniffing headers.
GET never changes state (the routes see to that; this module only guards the door).

What it deliberately does not do: TLS. With ``--allow-remote`` the secret travels in clear text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 2 * 1024 * 1024
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
TOKEN_PARAM = "token"
COOKIE_PREFIX = "starcoach_session"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_ERROR_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}"
    "h1{font-size:1.4rem}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}"
)
_ERROR_STYLE_HASH = base64.b64encode(hashlib.sha256(_ERROR_STYLE.encode()).digest()).decode()


def new_token() -> str:
    """A fresh per-launch secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def _derive(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), purpose.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Guard:
    """The per-launch secret and what is derived from it, plus the host allow-list."""

    token: str
    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS
    max_body: int = MAX_BODY_BYTES
    session: str = field(init=False)
    csrf: str = field(init=False)

    def __post_init__(self) -> None:
        if len(self.token) < 16:
            raise ValueError("the session token must be at least 16 characters")
        object.__setattr__(self, "session", _derive(self.token, "session-cookie"))
        object.__setattr__(self, "csrf", _derive(self.token, "csrf"))

    @classmethod
    def make(cls, token: str | None = None, extra_hosts: Iterable[str] = (), max_body: int = MAX_BODY_BYTES) -> Guard:
        hosts = LOOPBACK_HOSTS | {h.lower() for h in extra_hosts if h}
        return cls(token or new_token(), frozenset(hosts), max_body)

    def host_allowed(self, host_header: str | None) -> bool:
        return host_header is not None and host_name(host_header) in self.allowed_hosts

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def session_ok(self, cookie_value: str | None) -> bool:
        return cookie_value is not None and hmac.compare_digest(cookie_value.encode(), self.session.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


def split_host(host_header: str) -> tuple[str, str]:
    """A Host header as (host, port), lower-cased: '[::1]:8765' -> ('[::1]', '8765')."""
    value = host_header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return value, ""
        rest = value[end + 1 :]
        return value[: end + 1], rest[1:] if rest.startswith(":") else ""
    if value.count(":") == 1:
        name, port = value.split(":")
        return name, port
    return value, ""


def host_name(host_header: str) -> str:
    """The host part of a Host header: '127.0.0.1:8765' -> '127.0.0.1'."""
    return split_host(host_header)[0]


def cookie_name(host_header: str | None) -> str:
    """Session cookie name; cookies ignore ports, so the port is in the name to keep two servers apart."""
    port = split_host(host_header)[1] if host_header else ""
    return f"{COOKIE_PREFIX}_{port}" if port.isdigit() else COOKIE_PREFIX


def parse_cookies(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            found.setdefault(name, value)
    return found


@dataclass(slots=True)
class _Req:
    """What the guard reads from one request."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]

    @classmethod
    def of(cls, scope: Scope) -> _Req:
        headers: dict[str, str] = {}
        for k, v in scope.get("headers", []):
            key = k.decode("latin-1").lower()
            headers[key] = f"{headers[key]}, {v.decode('latin-1')}" if key in headers else v.decode("latin-1")
        raw_qs = scope.get("query_string", b"").decode("latin-1")
        return cls(
            scope["method"].upper(),
            scope.get("path", "/"),
            parse_qsl(raw_qs, keep_blank_values=True),
            headers,
        )

    @property
    def wants_json(self) -> bool:
        accept = self.headers.get("accept", "")
        return (
            self.path.startswith("/api/")
            or self.path == "/openapi.json"
            or ("application/json" in accept and "text/html" not in accept)
        )


def security_headers(path: str, csp: str = CSP) -> list[tuple[bytes, bytes]]:
    """Headers every response carries."""
    cache = "private, max-age=3600" if path.startswith("/static/") else "no-store"
    pairs = [
        ("content-security-policy", csp),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),  # "no-referrer" would make Chrome send Origin: null
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(self), geolocation=()"),  # self: voice answers
        ("cache-control", cache),
    ]
    return [(k.encode(), v.encode()) for k, v in pairs]


def _error_html(status: int, title: str, message: str) -> str:
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{status} {escape(title)}</title>"
        f"<style>{_ERROR_STYLE}</style></head><body><h1>{status} · {escape(title)}</h1>"
        f"<p>{escape(message)}</p></body></html>"
    )


_TITLES = {400: "Bad request", 401: "Not signed in", 403: "Forbidden", 413: "Too large"}


async def send_error(send: Send, req: _Req, status: int, message: str) -> None:
    """A 4xx from the guard itself: JSON for API clients, a small self-styled page for browsers."""
    if req.wants_json:
        body = json.dumps({"error": message, "status": status}).encode()
        ctype, csp = "application/json", CSP
    else:
        body = _error_html(status, _TITLES.get(status, "Error"), message).encode()
        ctype = "text/html; charset=utf-8"
        csp = CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{_ERROR_STYLE_HASH}'")
    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="starcoach"'))
    await send({"type": "http.response.start", "status": status, "headers": headers + security_headers("", csp)})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    """The request body is over the guard's limit."""


class ClientGone(Exception):
    """The client disconnected while sending its body."""


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, or BodyTooLarge as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body to the app, then defers to the real one."""
    done = False

    async def _receive() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return _receive


async def form_field(scope: Scope, body: bytes, name: str) -> str | None:
    """The value of form field ``name`` in a urlencoded or multipart body (None when absent)."""
    ctype = _Req.of(scope).headers.get("content-type", "").lower()
    if ctype.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)).get(name)
    if not ctype.startswith("multipart/form-data"):
        return None
    from starlette.requests import Request

    async def _no_more() -> Message:
        return {"type": "http.disconnect"}

    form = await Request(scope, replay(body, _no_more)).form()
    try:
        value = form.get(name)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


class SecurityMiddleware:
    """The guard described in the module docstring, as a pure ASGI middleware."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            await send({"type": "websocket.close", "code": 1008})
            return
        req = _Req.of(scope)
        send = _with_headers(send, req.path)
        if not self.guard.host_allowed(req.headers.get("host")):
            await send_error(send, req, 400, "This server only answers requests addressed to localhost.")
            return
        if req.method in ("GET", "HEAD") and any(k == TOKEN_PARAM for k, _ in req.query):
            await self._exchange(send, req)
            return
        problem = self._refusal(req)
        if problem is not None:
            await send_error(send, req, *problem)
            return
        if req.method in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        await self._unsafe(scope, receive, send, req)

    def _refusal(self, req: _Req) -> tuple[int, str] | None:
        """Why a request (authenticated or not, from where) is refused before any route sees it."""
        if not self._authenticated(req):
            return 401, (
                "This page needs the private link that 'starcoach serve' printed in your terminal "
                "(it opens the browser with it); open that link again."
            )
        site = req.headers.get("sec-fetch-site")
        navigation = req.method == "GET" and req.headers.get("sec-fetch-mode") == "navigate"
        if site in ("cross-site", "same-site") and not navigation:
            return 403, "Requests from other web sites are refused."
        if req.method not in SAFE_METHODS:
            origin = req.headers.get("origin")
            if origin is not None and origin != f"http://{req.headers.get('host', '')}":
                return 403, f"Requests from origin {origin} are refused."
        return None

    def _authenticated(self, req: _Req) -> bool:
        cookies = parse_cookies(req.headers.get("cookie", ""))
        if self.guard.session_ok(cookies.get(cookie_name(req.headers.get("host")))):
            return True
        return self._bearer(req)

    def _bearer(self, req: _Req) -> bool:
        scheme, _, value = req.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.guard.token_ok(value.strip())

    async def _exchange(self, send: Send, req: _Req) -> None:
        """Trade ``?token=`` for the session cookie, then go on to the same URL without it.

        The answer is a tiny page that moves on by itself (meta refresh) rather than a redirect: the
        next request then starts from this origin, so the Strict cookie goes with it even when the
        link was opened from a file or another app (a redirect would still count as cross-site).
        """
        given = next(v for k, v in req.query if k == TOKEN_PARAM)
        if not self.guard.token_ok(given):
            message = "This link is out of date: 'starcoach serve' makes a new one at each start. Open the last one."
            await send_error(send, req, 401, message)
            return
        rest = urlencode([(k, v) for k, v in req.query if k != TOKEN_PARAM])
        location = escape(req.path + (f"?{rest}" if rest else ""))
        body = (
            "<!doctype html><html lang=en><head><meta charset=utf-8>"
            f'<meta http-equiv="refresh" content="0; url={location}">'
            f"<title>starcoach</title><style>{_ERROR_STYLE}</style></head><body><p>Signing you in… "
            f'<a href="{location}">continue</a></p></body></html>'
        ).encode()
        cookie = f"{cookie_name(req.headers.get('host'))}={self.guard.session}; HttpOnly; SameSite=Strict; Path=/"
        csp = CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{_ERROR_STYLE_HASH}'")
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"set-cookie", cookie.encode()),
            *security_headers("", csp),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _unsafe(self, scope: Scope, receive: Receive, send: Send, req: _Req) -> None:
        """POST/PUT/PATCH/DELETE: size limit, then the CSRF token, then the app with the body replayed."""
        declared = req.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.guard.max_body:
            await send_error(send, req, 413, f"The request is larger than {self.guard.max_body // 1024} KB.")
            return
        try:
            body = await read_body(receive, self.guard.max_body)
        except BodyTooLarge:
            await send_error(send, req, 413, f"The request is larger than {self.guard.max_body // 1024} KB.")
            return
        except ClientGone:
            return
        if not self._bearer(req) and not await self._csrf_ok(scope, body, req, send):
            return
        await self.app(scope, replay(body, receive), send)

    async def _csrf_ok(self, scope: Scope, body: bytes, req: _Req, send: Send) -> bool:
        if self.guard.csrf_ok(req.headers.get(CSRF_HEADER)):
            return True
        try:
            field_value = await form_field(scope, body, CSRF_FIELD)
        except Exception:  # a malformed multipart body: python-multipart raises several types
            await send_error(send, req, 400, "The form data could not be read.")
            return False
        if self.guard.csrf_ok(field_value):
            return True
        await send_error(send, req, 403, "Missing or wrong CSRF token: reload the page and try again.")
        return False


def _with_headers(send: Send, path: str) -> Send:
    """Wrap ``send`` so that every response carries the security headers (unless it set its own)."""

    async def _send(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in security_headers(path) if k not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return _send
