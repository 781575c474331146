"""What every route shares: the one Coach of the app, the page renderer, the error translator, and
how a file comes in (an upload) and goes out (a download).

The Coach is created on first use (thread-safe), shared by every request, and closed when the app
shuts down. FastAPI runs plain ``def`` routes in a thread pool, so several requests may use the Coach
at once: the store's engine is thread-safe and every change is one SQLite transaction; ``writing``
additionally serialises the routes that change data, so two clicks never interleave half-way.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException

from starcoach.errors import InputError, StarcoachError

if TYPE_CHECKING:
    from starcoach.service import Coach

log = logging.getLogger("starcoach.web")
MD_SUFFIXES = (".md", ".markdown")
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_NAME = 200  # characters of an uploaded or downloaded file name (file systems allow 255 bytes)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class CoachHolder:
    """Creates the app's Coach lazily (once, under a lock) and serialises writes."""

    def __init__(self, factory: Callable[[], Coach]) -> None:
        self._factory = factory
        self._coach: Coach | None = None
        self._lock = threading.Lock()
        self.write_lock = threading.RLock()

    def get(self) -> Coach:
        if self._coach is None:
            with self._lock:
                if self._coach is None:
                    coach = self._factory()
                    coach.banks()  # opens (and migrates) the store once, before requests share it
                    self._coach = coach
        return self._coach

    def close(self) -> None:
        with self._lock:
            if self._coach is not None:
                self._coach.close()
                self._coach = None


def coach(request: Request) -> Coach:
    """FastAPI dependency: the app's Coach (in team mode, the signed-in user's, set by web/team/guard.py)."""
    scoped: Coach | None = getattr(request.state, "coach", None)
    if scoped is not None:
        return scoped
    holder: CoachHolder = request.app.state.coach_holder
    return holder.get()


CoachDep = Annotated["Coach", Depends(coach)]


@contextmanager
def writing(request: Request) -> Iterator[Coach]:
    """The Coach, holding the app's write lock for the duration of one state change."""
    scoped: Coach | None = getattr(request.state, "coach", None)
    if scoped is not None:  # team mode: several workers; each change is one database transaction
        yield scoped
        return
    holder: CoachHolder = request.app.state.coach_holder
    with holder.write_lock:
        yield holder.get()


@contextmanager
def uploaded_markdown(upload: UploadFile, what: str) -> Iterator[Path]:
    """An uploaded Markdown file (``what``: how to ask for one), saved under its own name in a private
    temp dir for the Coach to import; InputError for no file, another kind of file or one too large."""
    name = Path(upload.filename or "").name
    if not name:
        raise InputError(f"Choose a {what} (.md) to import.")
    if len(name) > MAX_NAME or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise InputError(f"{excerpt(name)}: the file name is too long or holds control characters; rename it.")
    if not name.lower().endswith(MD_SUFFIXES):
        raise InputError(f"{name}: only Markdown files (.md) can be imported here.")
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: the file is larger than {MAX_UPLOAD_BYTES // 1024} KB.")
    with tempfile.TemporaryDirectory(prefix="starcoach-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path


def excerpt(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters of ``text`` for a message, printable, with '...' when cut."""
    cut = text[:limit] + ("..." if len(text) > limit else "")
    return "".join(ch if ch.isprintable() else "?" for ch in cut)


def download(data: bytes, media_type: str, filename: str) -> Response:
    """A file for the browser to save as ``filename``.

    The header carries an ASCII fallback name (safe characters only, so a ``"``, CR or LF in a bank
    id cannot split or end it) and the exact name percent-encoded as RFC 6266 ``filename*``.
    """
    fallback = _UNSAFE_NAME.sub("_", filename)[:MAX_NAME] or "download"
    value = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(data, media_type=media_type, headers={"content-disposition": value})


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja environment: autoescape on for every template, unknown names are errors."""
    env = Environment(
        loader=PackageLoader("starcoach.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{round(float(x) * 100)}%"
    env.filters["seg"] = lambda x: quote(str(x), safe="")  # an id as one URL path segment ('/' too)
    from starcoach import __version__

    env.globals["asset_version"] = __version__  # in static URLs, so an upgrade never meets a cached file
    return env


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the shared context (csrf token, active nav entry)."""
    context.setdefault("nav", "")
    context.setdefault("title", "starcoach")
    context.setdefault("team_user", getattr(request.state, "team_user", None))
    csrf = getattr(request.state, "csrf", None) or request.app.state.guard.csrf  # team mode: the session's
    html = environment().get_template(name).render(request=request, csrf=csrf, **context)
    return HTMLResponse(html, status_code=status)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    """The one way an error reaches the user: JSON under /api/, a page everywhere else."""
    if is_api(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "error.html", status=status, message=message, status_code=status, title="Problem")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        if err.get("type") == "json_invalid":
            return f"Malformed JSON: {err.get('ctx', {}).get('error', 'cannot parse the body')}."
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts) + "."


def install_error_handlers(app: Any) -> None:
    """Translate every error, once, into a 4xx (or a bare 500) JSON body or page."""

    async def on_starcoach(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarcoachError)
        if exc.http_status >= 500:
            log.error("storage problem: %s", exc)
        return error_response(request, exc.http_status, str(exc))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        message = _validation_message(exc)
        return error_response(request, 400 if message.startswith("Malformed") else 422, message)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        messages = {
            404: "There is nothing at this address.",
            405: "This address does not accept that method.",
        }
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else None
        return error_response(request, exc.status_code, detail or messages.get(exc.status_code, "Request refused."))

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "Something went wrong inside starcoach; the details are in the terminal where it runs."
        )

    app.add_exception_handler(StarcoachError, on_starcoach)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
