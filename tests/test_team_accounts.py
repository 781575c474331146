"""Team accounts through the real app: argon2id parameters, sign-in with a fresh session id (no
fixation), sign-out that kills the session on the server, throttling per account and per address,
one-time invitation and reset links, password change, CSRF and Host checks, Secure cookies and HSTS
behind a TLS proxy, access logs without answer text, and a user's own export and deletion.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.team_support import (
    ANSWER_A,
    PASSWORD,
    World,
    build_world,
    client,
    csrf_of,
    open_test_team,
    sign_in,
)


@pytest.fixture
def world(starcoach_home: Path, team_db_url: str | None) -> Iterator[tuple[World, Any]]:
    from starcoach.web.team.app import create_team_app

    team = open_test_team(starcoach_home, team_db_url)
    try:
        yield build_world(team), create_team_app(lambda: team)
    finally:
        team.close()


def test_passwords_are_argon2id_with_rfc9106_parameters(world: tuple[World, Any]) -> None:
    from argon2 import Type, extract_parameters

    w, _ = world
    stored = w.team.accounts.repo.user_by_email("cand_a@example.org").password_hash
    params = extract_parameters(stored)
    assert params.type is Type.ID
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 65536, 4)
    assert params.salt_len == 16 and params.hash_len == 32
    assert PASSWORD not in stored


def test_sign_in_makes_a_new_session_and_the_planted_one_is_worthless(world: tuple[World, Any]) -> None:
    _w, app = world
    first, _ = sign_in(app, "cand_a@example.org")
    old = first.cookies.get("starcoach_team")
    # an attacker plants their own (valid) session id in the victim's browser, who then signs in
    page = first.get("/login")
    form = {"email": "cand_a@example.org", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    r = first.post("/login", data=form)
    assert r.status_code == 303
    new = first.cookies.get("starcoach_team")
    assert new and new != old
    stale = client(app)
    stale.cookies.set("starcoach_team", old)
    assert stale.get("/account").status_code == 303  # the old id ended at sign-in
    assert stale.get("/api/team/me").status_code == 401


def test_sign_out_ends_the_session_on_the_server(world: tuple[World, Any]) -> None:
    _w, app = world
    c, csrf = sign_in(app, "cand_a@example.org")
    token = c.cookies.get("starcoach_team")
    assert c.post("/logout", headers={"x-csrf-token": csrf}).status_code == 303
    replay = client(app)
    replay.cookies.set("starcoach_team", token)
    assert replay.get("/api/team/me").status_code == 401
    assert replay.get("/practice").headers["location"].startswith("/login")


def test_a_session_works_on_any_worker(world: tuple[World, Any], starcoach_home: Path,
                                       team_db_url: str | None) -> None:
    """Two apps over one database (two workers) share nothing in memory: a session made on one works on the other."""
    from starcoach.web.team.app import create_team_app

    _w, app = world
    c, csrf = sign_in(app, "cand_a@example.org")
    other = open_test_team(starcoach_home, team_db_url)
    try:
        second = client(create_team_app(lambda: other))
        second.cookies.set("starcoach_team", c.cookies.get("starcoach_team"))
        assert second.get("/api/team/me").json()["email"] == "cand_a@example.org"
        r = second.post("/account/sharing", data={"share": "on"}, headers={"x-csrf-token": csrf})
        assert r.status_code == 303
    finally:
        other.close()


def _try(app: Any, email: str, password: str) -> int:
    c = client(app)
    page = c.get("/login")
    return c.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(page.text)}).status_code


def test_sign_in_is_throttled_per_account(world: tuple[World, Any]) -> None:
    _w, app = world
    assert [_try(app, "cand_a@example.org", "wrong password") for _ in range(5)] == [401] * 5
    assert _try(app, "cand_a@example.org", PASSWORD) == 429  # even the right password waits
    assert _try(app, "cand_b@example.org", PASSWORD) == 303  # other accounts are not locked


def test_sign_in_is_throttled_per_address(world: tuple[World, Any]) -> None:
    from starcoach.service.team import MAX_ADDRESS_FAILURES

    w, app = world
    for i in range(MAX_ADDRESS_FAILURES):
        assert _try(app, f"nobody{i}@example.org", "wrong password") == 401
    assert _try(app, "cand_b@example.org", PASSWORD) == 429
    w.team.accounts.repo.clear_failures("address:testclient")
    assert _try(app, "cand_b@example.org", PASSWORD) == 303


def test_invitation_link_works_once(world: tuple[World, Any]) -> None:
    w, app = world
    coach, csrf = sign_in(app, "coach_a@example.org")
    page = coach.post(f"/coach/cohorts/{w.cohort_a}/invitations", headers={"x-csrf-token": csrf})
    link = page.text.split('id="one-time-link" readonly value="')[1].split('"')[0]
    path = link.removeprefix("http://127.0.0.1:8000")
    new = client(app)
    form = new.get(path)
    assert form.status_code == 200 and "Cohort A" in form.text
    data = {"email": "dora@example.org", "name": "Dora", "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    assert new.post(path, data=data).status_code == 303
    assert new.post(path, data={**data, "email": "eve@example.org"}).status_code == 404
    assert new.get(path).status_code == 404
    board = coach.get(f"/api/team/cohorts/{w.cohort_a}/dashboard").json()
    assert "Dora" in {row["name"] for row in board["candidates"]}
    assert w.team.accounts.repo.user_by_email("dora@example.org").role == "candidate"


def test_coach_cannot_invite_a_coach_or_into_another_cohort(world: tuple[World, Any]) -> None:
    from starcoach.errors import ForbiddenError, NotFoundError
    from tests.team_support import principal

    w, _ = world
    coach = principal(w.team, "coach_a@example.org")
    with pytest.raises(ForbiddenError):
        w.team.accounts.invite(coach, "coach", w.cohort_a)
    with pytest.raises(NotFoundError):
        w.team.accounts.invite(coach, "candidate", w.cohort_b)


def test_reset_link_sets_a_new_password_once_and_ends_sessions(world: tuple[World, Any]) -> None:
    w, app = world
    victim, _ = sign_in(app, "cand_a@example.org")
    admin, csrf = sign_in(app, "admin@example.org")
    page = admin.post(f"/admin/users/{w.cand_a.id}/reset", headers={"x-csrf-token": csrf})
    path = page.text.split('id="one-time-link" readonly value="')[1].split('"')[0].removeprefix("http://127.0.0.1:8000")
    anon = client(app)
    form = anon.get(path)
    assert "cand_a@example.org" in form.text
    new = "a brand new passphrase"
    assert anon.post(path, data={"password": new, "csrf_token": csrf_of(form.text)}).status_code == 303
    assert anon.post(path, data={"password": new, "csrf_token": csrf_of(form.text)}).status_code == 404
    assert victim.get("/api/team/me").status_code == 401
    assert sign_in(app, "cand_a@example.org", new)[0].get("/api/team/me").status_code == 200
    actions = [e["action"] for e in w.team.accounts.repo.audit_entries()]
    assert "admin.issue_reset" in actions and "account.password_reset" in actions


def test_password_change_needs_the_old_one_and_ends_other_sessions(world: tuple[World, Any]) -> None:
    _w, app = world
    here, csrf = sign_in(app, "cand_b@example.org")
    elsewhere, _ = sign_in(app, "cand_b@example.org")
    bad = here.post("/account/password", data={"current": "nope nope nope", "new": "x" * 12},
                    headers={"x-csrf-token": csrf})
    assert bad.status_code == 400
    ok = here.post("/account/password", data={"current": PASSWORD, "new": "another passphrase"},
                   headers={"x-csrf-token": csrf})
    assert ok.status_code == 303
    assert here.get("/api/team/me").status_code == 200
    assert elsewhere.get("/api/team/me").status_code == 401


def test_csrf_and_host_and_origin_rules(world: tuple[World, Any]) -> None:
    w, app = world
    c, csrf = sign_in(app, "coach_a@example.org")
    path = f"/coach/cohorts/{w.cohort_a}/invitations"
    assert c.post(path).status_code == 403
    assert c.post(path, headers={"x-csrf-token": "x" * 43}).status_code == 403
    _other, other_csrf = sign_in(app, "admin@example.org")
    assert c.post(path, headers={"x-csrf-token": other_csrf}).status_code == 403  # another session's token
    assert c.post(path, headers={"x-csrf-token": csrf, "origin": "http://evil.example"}).status_code == 403
    assert c.post(path, headers={"x-csrf-token": csrf, "sec-fetch-site": "cross-site"}).status_code == 403
    assert c.get("/practice", headers={"host": "evil.example"}).status_code == 400
    assert c.post(path, headers={"x-csrf-token": csrf, "origin": "http://127.0.0.1:8000"}).status_code == 200
    anon = client(app)
    login = {"email": "coach_a@example.org", "password": PASSWORD}
    assert anon.post("/login", data=login).status_code == 403  # no pre-session token: login CSRF refused


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent(world: tuple[World, Any]) -> None:
    from fastapi.testclient import TestClient

    from starcoach.web.team.app import create_team_app

    w, _ = world
    app = create_team_app(lambda: w.team, hosts=["coach.example.org"], secure=True)
    c = TestClient(app, base_url="https://coach.example.org", follow_redirects=False)
    page = c.get("/login")
    assert "Secure" in page.headers["set-cookie"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    r = c.post("/login", data={"email": "cand_a@example.org", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
               headers={"origin": "https://coach.example.org"})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("__Host-starcoach_team=") and "Secure" in cookie and "HttpOnly" in cookie
    assert c.get("/api/team/me").status_code == 200


def test_access_log_is_json_without_answer_text_or_link_tokens(world: tuple[World, Any],
                                                                caplog: pytest.LogCaptureFixture) -> None:
    _w, app = world
    c, csrf = sign_in(app, "cand_a@example.org")
    with caplog.at_level(logging.INFO, logger="starcoach.access"):
        c.post("/practice", data={"q": "conflict-coworker", "answer": ANSWER_A, "csrf_token": csrf})
        c.get("/invite/secret-token-0123456789")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "starcoach.access"]
    assert lines and all({"method", "path", "status", "ms", "user"} <= set(x) for x in lines)
    text = caplog.text
    assert "Candidate-A-private-marker" not in text and "secret-token" not in text
    assert {"path": "/invite/…"}.items() <= lines[-1].items()


def test_a_candidate_sees_the_coach_comment_beside_the_analysis(world: tuple[World, Any]) -> None:
    w, app = world
    c, _ = sign_in(app, "cand_a@example.org")
    assert "coach-notes" not in c.get(f"/attempts/{w.attempt_a}").text
    coach, ccsrf = sign_in(app, "coach_a@example.org")
    coach.post(f"/coach/candidates/{w.cand_a.id}/attempts/{w.attempt_a}/comments",
               data={"span": "0-20", "body": "Open with what was at stake."}, headers={"x-csrf-token": ccsrf})
    c, _ = sign_in(app, "cand_a@example.org")
    page = c.get(f"/attempts/{w.attempt_a}").text
    assert 'id="coach-notes"' in page and "Open with what was at stake." in page and 'id="score"' in page
    other, _ = sign_in(app, "cand_b@example.org")
    assert other.get(f"/attempts/{w.attempt_a}").status_code == 404


def test_export_holds_my_data_and_delete_removes_it(world: tuple[World, Any]) -> None:
    w, app = world
    coach, ccsrf = sign_in(app, "coach_a@example.org")
    coach.post(f"/coach/candidates/{w.cand_a.id}/attempts/{w.attempt_a}/comments",
               data={"span": "0-20", "body": "Start with the stakes."}, headers={"x-csrf-token": ccsrf})
    c, csrf = sign_in(app, "cand_a@example.org")
    data = c.get("/account/export").json()
    assert data["account"]["email"] == "cand_a@example.org" and "password_hash" not in json.dumps(data)
    assert [a["id"] for a in data["attempts"]] == [w.attempt_a]
    assert data["comments"][0]["body"] == "Start with the stakes."
    assert c.post("/account/delete", data={"password": "wrong one!"}, headers={"x-csrf-token": csrf}).status_code == 400
    assert c.post("/account/delete", data={"password": PASSWORD}, headers={"x-csrf-token": csrf}).status_code == 303
    assert c.get("/api/team/me").status_code == 401
    assert w.team.accounts.repo.user_by_email("cand_a@example.org") is None
    assert w.team.accounts.repo.comments(w.cand_a.id) == []
    assert coach.get(f"/coach/candidates/{w.cand_a.id}").status_code == 404
    assert _try(app, "cand_a@example.org", PASSWORD) == 401


def test_the_last_admin_cannot_leave(world: tuple[World, Any]) -> None:
    w, app = world
    c, csrf = sign_in(app, "admin@example.org")
    assert c.post("/account/delete", data={"password": PASSWORD}, headers={"x-csrf-token": csrf}).status_code == 409
    r = c.post(f"/admin/users/{w.admin.id}/role", data={"role": "coach"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 409


def test_create_admin_reads_the_password_from_stdin_never_argv(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("starcoach")
    home = tmp_path / "h"
    ok = subprocess.run([str(exe), "--home", str(home), "team", "create-admin", "--email", "root@example.org",
                         "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run([str(exe), "--home", str(home), "team", "create-admin", "--email", "root@example.org",
                            "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr
    argv = subprocess.run([str(exe), "--home", str(home), "team", "create-admin", "--email", "x@example.org",
                           "--password", PASSWORD], capture_output=True, text=True, timeout=60)
    assert argv.returncode == 2 and "Traceback" not in argv.stderr
    short = subprocess.run([str(exe), "--home", str(home), "team", "create-admin", "--email", "y@example.org",
                            "--password-stdin"], input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "10 characters" in short.stderr


def test_two_workers_writing_for_one_candidate_lose_nothing(world: tuple[World, Any], starcoach_home: Path,
                                                             team_db_url: str | None) -> None:
    """Two Teams (two workers: own engines) submit answers for the same candidate at once; every one is kept."""
    import threading

    w, _ = world
    second = open_test_team(starcoach_home, team_db_url)
    errors: list[BaseException] = []

    def submit(team: Any, n: int) -> None:
        try:
            for _ in range(n):
                coach = team.coach_for(w.cand_b.id)
                try:
                    coach.submit_answer("time-you-failed", ANSWER_A, started_at=team.clock())
                finally:
                    coach.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=submit, args=(t, 6)) for t in (w.team, second, w.team, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        second.close()
    assert errors == []
    coach = w.team.coach_for(w.cand_b.id)
    try:
        assert len(coach.history(question_id="time-you-failed", limit=None)) == 24
    finally:
        coach.close()
