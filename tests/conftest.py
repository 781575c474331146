"""Fixtures shared by every test, and the offline guard.

The guard is installed for the whole session, before any test runs: any attempt to connect a
socket to an address that is not loopback (or a Unix socket) fails the test with NetworkBlocked,
so no feature can quietly reach the network. ``tests/test_offline_guard.py`` proves it bites.
"""

from __future__ import annotations

import ipaddress
import random
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from starcoach.clock import fixed

PINNED_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# the web fixtures (app, web, api) and the database backends (backend, database_url, pg_url, backend_store)
pytest_plugins = ("tests.web_support", "tests.pg_support")


class NetworkBlocked(RuntimeError):
    """A test tried to reach a non-loopback address."""


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths and the like stay on this machine
        return True
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be a network lookup


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}: starcoach must work offline")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}: starcoach must work offline")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not _is_loopback((host, 0)) and host not in ("localhost",):
        raise NetworkBlocked(f"test tried to resolve {host!r}: starcoach must work offline")
    return _real_getaddrinfo(host, *args, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo


@pytest.fixture(autouse=True)
def starcoach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own empty data dir via STARCOACH_HOME and no user config."""
    home = tmp_path / "home"
    monkeypatch.setenv("STARCOACH_HOME", str(home))
    monkeypatch.setenv("STARCOACH_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield home


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)


@pytest.fixture
def coach(starcoach_home: Path, rng: random.Random, database_url: str | None) -> Iterator[Any]:
    """A Coach over a fresh temp data dir with a pinned clock and rng, on this test's backend
    (SQLite in the data dir, or a fresh PostgreSQL database: see tests/pg_support.py)."""
    from starcoach.service import open_coach

    c = open_coach(starcoach_home, clock=fixed(PINNED_NOW), rng=rng, database_url=database_url)
    yield c
    c.close()


@pytest.fixture
def team_db_url(database_url: str | None) -> str | None:
    """Team-mode database: None (the data dir's SQLite file) or a fresh PostgreSQL database (pg_support)."""
    return database_url
