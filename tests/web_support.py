"""Shared helpers of the web tests: an app over the test Coach, signed-in clients, a real server.

Not a test module itself; ``tests/test_web_*.py`` import from it, and ``tests/conftest.py`` loads it as
a plugin so its fixtures (``app``, ``web``, ``api``) serve every test. FastAPI is imported only when
a fixture or helper runs, so the tests that do not need the ``web`` extra never load it.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

TOKEN = "test-token-" + "a1b2c3d4" * 4
BASE = "http://127.0.0.1:8765"

GOOD_ANSWER = (
    "Last year at a fintech startup our team disagreed about the schema of the payments API. "
    "I owned the payments service and had to get everyone aligned before the Friday release. "
    "First I restated my colleague's concerns until she agreed I had them right. "
    "Then I built a quick benchmark of both designs and shared the numbers with the team. "
    "As a result we shipped the new schema two weeks early and p95 latency dropped by 30%. "
    "I learned to bring data into a disagreement early, and we still pair every week."
)
SHORT_ANSWER = "We disagreed about an API. I talked to them."
STORY = {
    "title": "Payments schema disagreement",
    "situation": "At a fintech startup our team disagreed about the schema of the payments API.",
    "action": "I restated my colleague's concerns and I built a benchmark of both designs.",
    "result": "We shipped two weeks early and p95 latency dropped by 30%.",
}


def make_app(coach: Any, **kwargs: Any) -> FastAPI:
    from starcoach.web.app import create_app

    return create_app(lambda: coach, token=TOKEN, **kwargs)


def signed_in(app: FastAPI, base_url: str = BASE) -> TestClient:
    """A client that followed the private link, so it holds the session cookie."""
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url=base_url)
    r = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 200 and "set-cookie" in r.headers, r.text
    return client


@pytest.fixture
def app(coach: Any) -> FastAPI:
    """The web app over the test Coach."""
    return make_app(coach)


@pytest.fixture
def web(app: FastAPI) -> TestClient:
    """A signed-in browser-like client: it sends the CSRF token only where a form carries it."""
    return signed_in(app)


@pytest.fixture
def api(app: FastAPI) -> TestClient:
    """A signed-in client that sends the CSRF header, like the pages' JavaScript."""
    client = signed_in(app)
    client.headers["X-CSRF-Token"] = csrf_of(app)
    return client


def csrf_of(app: FastAPI) -> str:
    return str(app.state.guard.csrf)


def csrf_from_page(html: str) -> str:
    m = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    assert m, "page has no csrf meta tag"
    return m.group(1)


def stepping_clock(start: datetime, step: timedelta) -> Callable[[], datetime]:
    """A clock that moves ``step`` forward at every reading (deterministic, never the wall clock)."""
    lock = threading.Lock()
    state = [start]

    def now() -> datetime:
        with lock:
            state[0] += step
            return state[0]

    return now


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # asyncio then sets TCP_NODELAY
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    ready = threading.Event()
    original_startup = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        await original_startup(sockets)
        ready.set()

    server.startup = startup  # type: ignore[method-assign]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        assert ready.wait(30), "the test server did not start"
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def write_bank(path: Path, title: str, questions: list[tuple[str, list[str]]]) -> Path:
    """A seed-format Markdown bank."""
    lines = [f"# {title}", ""]
    for i, (text, bullets) in enumerate(questions, 1):
        lines += [f"### {i}. {text}", "", "**Answer:**", ""]
        lines += [f"- {b}" for b in bullets] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
