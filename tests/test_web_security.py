"""The web app on localhost is safe from other machines, other users and other web pages.

Every route (pages, API, static files, the schema) is checked three ways: a hostile Host header
(DNS rebinding), a request without the session secret, and a cross-site POST without the CSRF token.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web_support import BASE, GOOD_ANSWER, TOKEN, csrf_of, make_app, signed_in

TEMPLATES = Path(__file__).parents[1] / "src" / "starcoach" / "web" / "templates"
STATIC = Path(__file__).parents[1] / "src" / "starcoach" / "web" / "static"


def _all_routes() -> list[tuple[str, str]]:
    """(method, concrete path) for every route of the app, path parameters filled in."""
    from starcoach.web.app import ROUTE_MODULES, create_app

    app = create_app(lambda: None, token=TOKEN)  # type: ignore[arg-type, return-value]
    routes: list[Any] = [r for r in app.routes if isinstance(getattr(r, "path", None), str)]
    for module in ROUTE_MODULES:
        routes += [*module.pages.routes, *module.api.routes]
    found: list[tuple[str, str]] = [
        ("GET", "/static/app.css"),
        ("GET", "/static/app.js"),
        ("GET", "/static/favicon.svg"),
    ]
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "sample-id", route.path)
        found += [(m, path) for m in getattr(route, "methods", None) or () if m != "HEAD"]
    return sorted(set(found))


ROUTES = _all_routes()
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def test_the_route_list_covers_pages_api_and_static() -> None:
    paths = {p for _, p in ROUTES}
    assert {
        "/practice",
        "/questions",
        "/progress",
        "/api/analyze",
        "/openapi.json",
        "/static/app.css",
    } <= paths
    assert len(ROUTES) > 20


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.5"])
def test_hostile_host_header_is_refused(web: TestClient, method: str, path: str, host: str) -> None:
    r = web.request(method, path, headers={"Host": host, "X-CSRF-Token": csrf_of(web.app)})  # type: ignore[arg-type]
    assert r.status_code == 400
    assert "localhost" in r.text


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_request_without_the_session_secret_is_401(app: FastAPI, method: str, path: str) -> None:
    anonymous = TestClient(app, base_url=BASE)
    r = anonymous.request(method, path, headers={"X-CSRF-Token": csrf_of(app)})
    assert r.status_code == 401
    assert "private link" in r.text


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_cross_site_post_without_token_is_403(web: TestClient, path: str, method: str) -> None:
    headers = {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors"}
    r = web.post(path, headers=headers, data={"answer": GOOD_ANSWER, "question_id": "conflict-coworker"})
    assert r.status_code == 403


@pytest.mark.parametrize("method", UNSAFE)
def test_same_origin_write_without_csrf_token_is_403(web: TestClient, method: str) -> None:
    r = web.request(
        method,
        "/api/attempts",
        json={"question": "conflict-coworker", "answer": GOOD_ANSWER},
        headers={"Origin": BASE, "Sec-Fetch-Site": "same-origin"},
    )
    assert r.status_code == 403
    assert "CSRF" in r.json()["error"]


def test_a_wrong_csrf_token_is_403_and_stores_nothing(web: TestClient, coach: Any) -> None:
    r = web.post(
        "/api/attempts",
        json={"question": "conflict-coworker", "answer": GOOD_ANSWER},
        headers={"X-CSRF-Token": "0" * 64},
    )
    assert r.status_code == 403
    assert coach.history() == []


def test_the_csrf_token_in_a_form_field_is_accepted(web: TestClient, coach: Any) -> None:
    r = web.post(
        "/practice",
        data={
            "csrf_token": csrf_of(web.app),
            "answer": GOOD_ANSWER,  # type: ignore[arg-type]
            "question_id": "conflict-coworker",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert len(coach.history()) == 1


def test_a_token_header_from_another_origin_is_still_refused(web: TestClient) -> None:
    r = web.post(
        "/api/analyze",
        json={"answer": GOOD_ANSWER},
        headers={"X-CSRF-Token": csrf_of(web.app), "Origin": "http://127.0.0.1:9999"},
    )  # type: ignore[arg-type]
    assert r.status_code == 403


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_reads_by_other_pages_are_refused(web: TestClient, site: str) -> None:
    """A fetch() or <script src> from another page (even another port on localhost) gets nothing."""
    r = web.get("/api/attempts", headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "cors"})
    assert r.status_code == 403
    r = web.get("/api/attempts", headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "no-cors"})
    assert r.status_code == 403


def test_a_link_from_another_page_may_still_open_a_page(web: TestClient) -> None:
    r = web.get("/questions", headers={"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "navigate"})
    assert r.status_code == 200


def test_the_private_link_sets_a_strict_httponly_cookie_and_drops_the_token(app: FastAPI) -> None:
    c = TestClient(app, base_url=BASE)
    r = c.get(f"/questions?type=story&token={TOKEN}", follow_redirects=False)
    assert r.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=/questions?type=story">' in r.text
    assert TOKEN not in r.text
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("starcoach_session_8765=")
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attr in cookie
    assert TOKEN not in cookie
    assert r.headers["cache-control"] == "no-store"
    assert c.get("/questions").status_code == 200


def test_the_sign_in_page_escapes_the_address_it_forwards_to(app: FastAPI) -> None:
    r = TestClient(app, base_url=BASE).get(f'/"><script>x</script>?token={TOKEN}', follow_redirects=False)
    assert "<script>x" not in r.text and "&lt;script&gt;" in r.text


def test_a_wrong_or_old_link_is_refused(app: FastAPI) -> None:
    c = TestClient(app, base_url=BASE)
    r = c.get("/?token=not-the-token", follow_redirects=False)
    assert r.status_code == 401
    assert "set-cookie" not in r.headers
    assert c.get("/practice").status_code == 401


def test_a_cookie_from_another_launch_is_refused(coach: Any) -> None:
    first = signed_in(make_app(coach))
    from starcoach.web.app import create_app

    second = create_app(lambda: coach)  # a new launch: a new random token
    c = TestClient(second, base_url=BASE, cookies=dict(first.cookies))
    assert c.get("/api/banks").status_code == 401


def test_bearer_token_works_for_scripts_without_csrf(app: FastAPI) -> None:
    c = TestClient(app, base_url=BASE)
    r = c.post("/api/analyze", json={"answer": GOOD_ANSWER}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert c.get("/api/banks", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1", "[::1]:8765", "LOCALHOST"])
def test_loopback_host_names_are_accepted(web: TestClient, host: str) -> None:
    assert web.get("/api/banks", headers={"Host": host}).status_code in (200, 401)


def test_an_explicitly_allowed_host_is_accepted(coach: Any) -> None:
    c = signed_in(make_app(coach, extra_hosts=["devbox.lan"]), base_url="http://devbox.lan:8765")
    assert c.get("/api/banks").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/practice",
        "/questions",
        "/progress",
        "/api/banks",
        "/openapi.json",
        "/nowhere",
        "/api/questions/nope",
    ],
)
def test_every_response_has_csp_and_no_store(web: TestClient, path: str) -> None:
    r = web.get(path)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


def test_guard_error_pages_also_carry_the_headers(app: FastAPI) -> None:
    r = TestClient(app, base_url=BASE).get("/practice")
    assert r.status_code == 401
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


def test_no_interactive_docs_that_would_load_a_cdn(web: TestClient) -> None:
    assert web.get("/docs").status_code == 404
    assert web.get("/redoc").status_code == 404
    assert web.get("/openapi.json").status_code == 200


def test_oversized_bodies_are_refused_before_the_app_sees_them(coach: Any) -> None:
    app = make_app(coach, max_body=4096)
    c = signed_in(app)
    big = {"question": "conflict-coworker", "answer": "word " * 2000}
    r = c.post("/api/attempts", json=big, headers={"X-CSRF-Token": csrf_of(app)})
    assert r.status_code == 413
    assert "larger than" in r.json()["error"]
    assert coach.history() == []


def test_a_streamed_body_without_length_is_cut_off_too(coach: Any) -> None:
    app = make_app(coach, max_body=4096)
    c = signed_in(app)

    def chunks() -> Any:
        for _ in range(10):
            yield b"x" * 1000

    r = c.post(
        "/api/analyze",
        content=chunks(),
        headers={"X-CSRF-Token": csrf_of(app), "Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_templates_hold_no_inline_script_style_or_handlers() -> None:
    for tpl in TEMPLATES.glob("*.html"):
        html = tpl.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {tpl.name}"
        assert not re.search(r"<style", html), f"inline style block in {tpl.name}"
        assert not re.search(r"\sstyle=", html), f"style attribute in {tpl.name}"
        assert not re.search(r"\son[a-z]+=", html), f"event handler attribute in {tpl.name}"
        assert "javascript:" not in html
        assert not re.search(r"(src|href)=\"(https?:)?//", html), f"external resource in {tpl.name}"


def test_static_files_reference_nothing_outside_the_app() -> None:
    for f in STATIC.iterdir():
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), f"{f.name} points outside the app"
        assert "@import" not in text and "eval(" not in text


def test_autoescape_is_on_for_every_template() -> None:
    from starcoach.web.deps import environment

    env = environment()
    tpl = env.from_string("{{ x }}")
    assert tpl.render(x="<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert env.autoescape is True
