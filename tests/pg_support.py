"""Run the store, service and web (API) suites on both SQLite and PostgreSQL.

Not a test module; ``tests/conftest.py`` loads it as a plugin. Fixtures:

- ``backend``: ``"sqlite"`` (default) or ``"postgresql"``. Test modules listed in ``BOTH_BACKENDS`` get
  every test that uses it (directly or through ``coach``, ``database_url``, ``backend_store``)
  parametrized over both; elsewhere it is ``"sqlite"``. A test marked ``sqlite_only`` is not.
- ``pg_url``: a fresh, migrated PostgreSQL database for this test (``CREATE DATABASE ... TEMPLATE`` of
  one migrated once per session), dropped afterwards.
- ``database_url``: ``None`` on SQLite (the Coach uses ``<home>/starcoach.db``), ``pg_url`` on PostgreSQL.
- ``backend_store``: an open ``Store`` (scoped to LOCAL_OWNER) on the chosen backend.

The server comes from ``STARCOACH_TEST_PG_URL`` (``scripts/pg_test_cluster.sh start`` prints one). Without
it the PostgreSQL params are skipped with the reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "STARCOACH_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")
BOTH_BACKENDS = frozenset(
    {
        "test_store_backends",
        "test_stories_store",
        "test_practice_service",
        "test_practice_stories",
        "test_stories_service",
        "test_bank_service",
        "test_dataio",
        "test_web_api",
        "test_hostile_stories",
        "test_hostile_input",
        "test_hostile_import_all",
        "test_team_accounts",
        "test_team_matrix",
        "test_team_dashboard",
        "test_team_browser",
        "test_team_serve",
    }
)
_counter = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs on SQLite only (file backups, pragmas, ...)")
    config.addinivalue_line("markers", "postgresql: the PostgreSQL param of a test run on both backends")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if (
        "backend" in metafunc.fixturenames
        and module in BOTH_BACKENDS
        and metafunc.definition.get_closest_marker("sqlite_only") is None
        and not any("backend" in m.args[0] for m in metafunc.definition.iter_markers("parametrize"))
    ):
        metafunc.parametrize(
            "backend",
            [pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgresql)],
            indirect=True,
        )


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on (see the module docstring)."""
    return str(getattr(request, "param", "sqlite"))


def server_url() -> str:
    """The test server's URL, or skip (fail under CI=true) when there is none."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    reason = f"PostgreSQL tests need {PG_ENV} (start one with scripts/pg_test_cluster.sh start)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _admin(url: str) -> Any:
    from sqlalchemy import create_engine

    from starcoach.store.db import normalize_url

    return create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")


def with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    from starcoach.store.db import normalize_url

    return make_url(normalize_url(url)).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated once per session, copied for each test."""
    url = server_url()
    name = f"sc_tpl_{os.getpid()}"
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        from starcoach.store import Store

        Store.open_url(with_database(url, name)).close()
        yield name
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()


def fresh_database(template: str | None = None) -> tuple[str, str]:
    """(name, url) of a new database on the test server (a copy of ``template`` when given)."""
    url = server_url()
    name = f"sc_t_{os.getpid()}_{next(_counter)}"
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
            conn.exec_driver_sql(f"CREATE DATABASE {name}{copy}")
    finally:
        admin.dispose()
    return name, with_database(url, name)


def drop_database(name: str) -> None:
    admin = _admin(server_url())
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database at the current schema, for this test only."""
    name, url = fresh_database(pg_template)
    yield url
    drop_database(name)


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """A fresh PostgreSQL database with no schema at all (migration tests)."""
    name, url = fresh_database()
    yield url
    drop_database(name)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """None on SQLite (the data dir's file), a fresh database's URL on PostgreSQL."""
    if backend == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def second_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a second, empty database on this test's backend (current schema)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'second' / 'starcoach.db'}"
        return
    name, url = fresh_database(request.getfixturevalue("pg_template"))
    yield url
    drop_database(name)


@pytest.fixture
def backend_store(database_url: str | None, tmp_path: Path) -> Iterator[Any]:
    """An open Store on this test's backend, scoped to the local owner."""
    from starcoach.store import Store

    if database_url is None:
        home = tmp_path / "store-home"
        store = Store.open(home / "starcoach.db", home / "backups", "t")
    else:
        store = Store.open_url(database_url)
    yield store
    store.close()


def store_rows(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of an open store (any backend), each table's rows sorted."""
    from sqlalchemy import MetaData, select

    meta = MetaData()
    with store.engine.connect() as conn:
        meta.reflect(bind=conn)
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in meta.sorted_tables
            if t.name != "alembic_version"
        }


def store_count(store: Any, table: str) -> int:
    """Rows in ``table`` of an open store (any backend)."""
    from sqlalchemy import func, select
    from sqlalchemy import table as table_clause

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table_clause(table))).scalar() or 0)
