"""Authorization matrix: every team route, asked by every kind of actor (anonymous, candidate A,
candidate B, the coach of A's cohort, the coach of another cohort, an admin), answers the status the
rules promise, and a refused answer never carries the other candidate's data.

The route list is read from the app itself, so a new team route without a row here fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.team_support import ANSWER_A, World, build_world, client, open_test_team, sign_in

ACTORS = ("anon", "cand_a", "cand_b", "coach_a", "coach_b", "admin")
GET_PAGE_ANON = 303  # a page view without a session is sent to /login


def _row(anon: int, cand_a: int, cand_b: int, coach_a: int, coach_b: int, admin: int) -> dict[str, int]:
    return dict(zip(ACTORS, (anon, cand_a, cand_b, coach_a, coach_b, admin), strict=True))


# (method, route path) -> (concrete path, form data, expected status per actor)
def matrix(w: World) -> dict[tuple[str, str], tuple[str, dict[str, str], dict[str, int]]]:
    a, aa, ca = w.cand_a.id, w.attempt_a, w.cohort_a
    bad = "not-a-real-token-0123456789abcdef"
    rate = {d: "4" for d in ("structure", "relevance", "specificity", "ownership", "impact", "reflection", "delivery")}
    return {
        ("GET", "/healthz"): ("/healthz", {}, _row(200, 200, 200, 200, 200, 200)),
        ("GET", "/readyz"): ("/readyz", {}, _row(200, 200, 200, 200, 200, 200)),
        ("GET", "/"): ("/", {}, _row(303, 303, 303, 303, 303, 303)),
        ("GET", "/login"): ("/login", {}, _row(200, 200, 200, 200, 200, 200)),
        ("POST", "/login"): ("/login", {"email": "nobody@example.org", "password": "wrong password!"},
                             _row(403, 401, 401, 401, 401, 401)),  # anonymous: no pre-session token sent
        ("POST", "/logout"): ("/logout", {}, _row(401, 303, 303, 303, 303, 303)),
        ("GET", "/invite/{token}"): (f"/invite/{bad}", {}, _row(404, 404, 404, 404, 404, 404)),
        ("POST", "/invite/{token}"): (f"/invite/{bad}", {"email": "x@example.org", "name": "X", "password": "p" * 12},
                                      _row(403, 404, 404, 404, 404, 404)),
        ("GET", "/reset/{token}"): (f"/reset/{bad}", {}, _row(404, 404, 404, 404, 404, 404)),
        ("POST", "/reset/{token}"): (f"/reset/{bad}", {"password": "p" * 12}, _row(403, 404, 404, 404, 404, 404)),
        ("GET", "/account"): ("/account", {}, _row(303, 200, 200, 200, 200, 200)),
        ("POST", "/account/password"): ("/account/password", {"current": "wrong password", "new": "p" * 12},
                                        _row(401, 400, 400, 400, 400, 400)),
        ("POST", "/account/sharing"): ("/account/sharing", {"share": "on"}, _row(401, 303, 303, 303, 303, 303)),
        ("GET", "/account/export"): ("/account/export", {}, _row(303, 200, 200, 200, 200, 200)),
        ("POST", "/account/delete"): ("/account/delete", {"password": "wrong password"},
                                      _row(401, 400, 400, 400, 400, 400)),
        ("GET", "/api/team/me"): ("/api/team/me", {}, _row(401, 200, 200, 200, 200, 200)),
        ("GET", "/admin"): ("/admin", {}, _row(303, 403, 403, 403, 403, 200)),
        ("POST", "/admin/cohorts"): ("/admin/cohorts", {"name": "New cohort"}, _row(401, 403, 403, 403, 403, 303)),
        ("POST", "/admin/members"): ("/admin/members", {"cohort": ca, "email": "cand_b@example.org",
                                                        "role": "candidate"}, _row(401, 403, 403, 403, 403, 303)),
        ("POST", "/admin/invitations"): ("/admin/invitations", {"role": "coach", "cohort": ""},
                                         _row(401, 403, 403, 403, 403, 200)),
        ("POST", "/admin/users/{user_id}/reset"): (f"/admin/users/{a}/reset", {}, _row(401, 403, 403, 403, 403, 200)),
        ("POST", "/admin/users/{user_id}/role"): (f"/admin/users/{a}/role", {"role": "candidate"},
                                                  _row(401, 403, 403, 403, 403, 303)),
        ("GET", "/coach"): ("/coach", {}, _row(303, 403, 403, 200, 200, 200)),
        ("GET", "/coach/cohorts/{cohort_id}"): (f"/coach/cohorts/{ca}", {}, _row(303, 403, 403, 200, 404, 200)),
        ("POST", "/coach/cohorts/{cohort_id}/invitations"): (f"/coach/cohorts/{ca}/invitations", {},
                                                             _row(401, 403, 403, 200, 404, 200)),
        ("POST", "/coach/cohorts/{cohort_id}/assignments"): (
            f"/coach/cohorts/{ca}/assignments",
            {"title": "Week 1", "questions": "conflict-coworker", "due": "2026-03-09"},
            _row(401, 403, 403, 303, 404, 303)),
        ("GET", "/api/team/cohorts/{cohort_id}/dashboard"): (f"/api/team/cohorts/{ca}/dashboard", {},
                                                             _row(401, 403, 403, 200, 404, 200)),
        ("GET", "/coach/candidates/{user_id}"): (f"/coach/candidates/{a}", {}, _row(303, 403, 403, 200, 404, 200)),
        ("GET", "/coach/candidates/{user_id}/attempts/{attempt_id}"): (
            f"/coach/candidates/{a}/attempts/{aa}", {}, _row(303, 403, 403, 200, 404, 200)),
        ("POST", "/coach/candidates/{user_id}/attempts/{attempt_id}/comments"): (
            f"/coach/candidates/{a}/attempts/{aa}/comments", {"span": "0-20", "body": "Lead with the stakes."},
            _row(401, 403, 403, 303, 404, 303)),
        ("POST", "/coach/candidates/{user_id}/attempts/{attempt_id}/rating"): (
            f"/coach/candidates/{a}/attempts/{aa}/rating", rate, _row(401, 403, 403, 303, 404, 303)),
        ("GET", "/api/team/candidates/{user_id}/attempts/{attempt_id}/comments"): (
            f"/api/team/candidates/{a}/attempts/{aa}/comments", {}, _row(401, 403, 403, 200, 404, 200)),
        ("GET", "/feedback/{attempt_id}"): (f"/feedback/{aa}", {}, _row(303, 200, 404, 404, 404, 404)),
        ("GET", "/api/team/attempts/{attempt_id}/comments"): (f"/api/team/attempts/{aa}/comments", {},
                                                              _row(401, 200, 404, 404, 404, 404)),
        ("GET", "/assignments"): ("/assignments", {}, _row(303, 200, 200, 200, 200, 200)),
        # the local app's pages and API, scoped to the signed-in owner: A's attempt is A's alone
        ("GET", "/attempts/{attempt_id}"): (f"/attempts/{aa}", {}, _row(303, 200, 404, 404, 404, 404)),
        ("GET", "/api/attempts/{attempt_id}"): (f"/api/attempts/{aa}", {}, _row(401, 200, 404, 404, 404, 404)),
        # question banks are shared by every account: only an admin changes them
        ("POST", "/banks/{bank_id}/delete"): ("/banks/no-such-bank/delete", {}, _row(401, 403, 403, 403, 403, 404)),
        ("POST", "/api/banks/import"): ("/api/banks/import", {}, _row(401, 403, 403, 403, 403, 422)),
    }


@pytest.fixture
def world(starcoach_home: Path, team_db_url: str | None) -> Iterator[tuple[World, Any]]:
    from starcoach.web.team.app import create_team_app

    team = open_test_team(starcoach_home, team_db_url)
    try:
        w = build_world(team)
        app = create_team_app(lambda: team)
        for actor in ACTORS[1:]:
            email = "admin@example.org" if actor == "admin" else f"{actor}@example.org"
            w.clients[actor] = sign_in(app, email)
        w.clients["anon"] = (client(app), "")
        yield w, app
    finally:
        team.close()


def team_routes() -> set[tuple[str, str]]:
    from starcoach.web.team import routes_account, routes_coach

    found = set()
    for module in (routes_account, routes_coach):
        for router in (module.pages, module.api):
            for route in router.routes:
                for method in getattr(route, "methods", ()) or ():
                    found.add((method, route.path))  # type: ignore[attr-defined]
    return found


def test_every_team_route_is_in_the_matrix(world: tuple[World, Any]) -> None:
    w, _ = world
    assert team_routes() <= set(matrix(w)), team_routes() - set(matrix(w))


@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(world: tuple[World, Any], actor: str) -> None:
    w, _ = world
    c, csrf = w.clients[actor]
    rows = matrix(w)
    wrong = []
    for (method, route), (path, data, expected) in rows.items():
        if route == "/logout":
            continue  # last, below: it ends the session
        r = c.get(path) if method == "GET" else c.post(path, data=data, headers={"x-csrf-token": csrf} if csrf else {})
        if r.status_code != expected[actor]:
            wrong.append(f"{method} {path}: {r.status_code} (expected {expected[actor]}) {r.text[:120]}")
        if r.status_code >= 300 and actor != "cand_a":
            assert "Candidate-A-private-marker" not in r.text, f"{method} {path} leaked A's answer to {actor}"
        if r.status_code == 200 and actor not in ("cand_a", "coach_a", "admin"):
            assert "Candidate-A-private-marker" not in r.text, f"{method} {path} leaked A's answer to {actor}"
    path, data, expected = rows[("POST", "/logout")]
    r = c.post(path, data=data, headers={"x-csrf-token": csrf} if csrf else {})
    if r.status_code != expected[actor]:
        wrong.append(f"POST /logout: {r.status_code} (expected {expected[actor]})")
    assert not wrong, "\n".join(wrong)


def test_coach_of_the_cohort_reads_the_answer_and_the_other_coach_nothing(world: tuple[World, Any]) -> None:
    w, _ = world
    own, _ = w.clients["coach_a"]
    page = own.get(f"/coach/candidates/{w.cand_a.id}/attempts/{w.attempt_a}")
    assert "Candidate-A-private-marker" in page.text
    other, _ = w.clients["coach_b"]
    assert other.get(f"/coach/candidates/{w.cand_a.id}").status_code == 404
    assert other.get(f"/coach/candidates/{w.cand_b.id}").status_code == 200
    assert ANSWER_A[:30] not in other.get(f"/api/team/cohorts/{w.cohort_b}/dashboard").text


def test_local_routes_refuse_anonymous(world: tuple[World, Any]) -> None:
    """Every route of the local app (practice, stories, banks, progress, voice) needs a session in team mode."""
    w, app = world
    anon, _ = w.clients["anon"]
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.startswith("/static") or "{" in path or path in ("/healthz", "/readyz", "/login"):
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method == "HEAD":
                continue
            r = anon.request(method, path)
            assert r.status_code in (303, 401, 403), f"{method} {path} answered {r.status_code} to anonymous"
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login")
