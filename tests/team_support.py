"""Team-mode test helpers: a cohort world (an admin, two coaches, two candidates in two cohorts, each
candidate with a scored answer) and signed-in HTTP clients for each of them.

Every client talks to the one app through the real middleware, session cookies and CSRF tokens; the
database is the temp SQLite file, or PostgreSQL when the storage fixture says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import PINNED_NOW
from tests.web_support import GOOD_ANSWER, stepping_clock

BASE = "http://127.0.0.1:8000"
PASSWORD = "correct horse battery staple"
ANSWER_A = GOOD_ANSWER + " Candidate-A-private-marker."
ANSWER_B = GOOD_ANSWER + " Candidate-B-private-marker."
_CSRF_META = re.compile(r'name="csrf-token" content="([^"]*)"')
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def team_clock(start: datetime = PINNED_NOW) -> Callable[[], datetime]:
    return stepping_clock(start, timedelta(seconds=1))


def open_test_team(home: Path, url: str | None = None, clock: Callable[[], datetime] | None = None) -> Any:
    import dataclasses

    from starcoach.service.team_open import open_team
    from starcoach.settings import resolve

    settings = resolve(home)
    if url:
        settings = dataclasses.replace(settings, database_url=url)
    return open_team(settings, clock or team_clock())


def client(app: Any) -> TestClient:
    return TestClient(app, base_url=BASE, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = _CSRF_META.search(html) or _CSRF_FIELD.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(app: Any, email: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A client signed in as ``email`` and its CSRF token."""
    c = client(app)
    page = c.get("/login")
    r = c.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303, r.text
    return c, csrf_of(c.get("/account").text)


@dataclass
class World:
    team: Any
    admin: Any
    coach_a: Any
    coach_b: Any
    cand_a: Any
    cand_b: Any
    cohort_a: str
    cohort_b: str
    attempt_a: str
    attempt_b: str
    clients: dict[str, tuple[TestClient, str]] = field(default_factory=dict)


def principal(team: Any, email: str) -> Any:
    _token, who = team.accounts.login(email, PASSWORD, "setup", None)
    return who


def build_world(team: Any) -> World:
    """Two cohorts: coach A runs A (with candidate A), coach B runs B (with candidate B)."""
    team.accounts.create_admin("admin@example.org", "Ada Admin", PASSWORD)
    admin = principal(team, "admin@example.org")
    cohort_a = team.coaching.create_cohort(admin, "Cohort A").id
    cohort_b = team.coaching.create_cohort(admin, "Cohort B").id
    users = {}
    for key, role, cohort, name in (("coach_a", "coach", cohort_a, "Cora Coach"), ("coach_b", "coach", cohort_b,
                                    "Bert Coach"), ("cand_a", "candidate", cohort_a, "Alice Candidate"),
                                    ("cand_b", "candidate", cohort_b, "Bob Candidate")):
        token = team.accounts.invite(admin, role, cohort)
        users[key] = team.accounts.accept(token, f"{key}@example.org", name, PASSWORD)
    attempts = {}
    for key, answer in (("cand_a", ANSWER_A), ("cand_b", ANSWER_B)):
        coach = team.coach_for(users[key].id)
        try:
            attempts[key] = coach.submit_answer("conflict-coworker", answer, started_at=team.clock()).attempt.id
        finally:
            coach.close()
    return World(team, admin.user, users["coach_a"], users["coach_b"], users["cand_a"], users["cand_b"], cohort_a,
                 cohort_b, attempts["cand_a"], attempts["cand_b"])
