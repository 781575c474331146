"""Team mode in a real browser (Debian's Chromium via Playwright) against a real uvicorn server:
an admin sets up a cohort and invites a coach; the coach invites three candidates; each joins through
their one-time link, signs in and practises; the coach reads an answer, comments on one sentence and
rates it; the candidate sees the comment beside their answer; the dashboard shows all three.

Runs on PostgreSQL when the storage fixture provides one, else on the SQLite file. Screenshots land in
``test-artifacts/team-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.team_support import PASSWORD, open_test_team
from tests.test_web_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from tests.web_support import GOOD_ANSWER, SHORT_ANSWER, live_server

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
COMMENT = "Open with what was at stake for the customer."


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def server(starcoach_home: Path, team_db_url: str | None) -> Iterator[str]:
    from starcoach.clock import utc_now
    from starcoach.web.team.app import create_team_app

    team = open_test_team(starcoach_home, team_db_url, clock=utc_now)
    team.accounts.create_admin("admin@example.org", "Ada Admin", PASSWORD)
    try:
        with live_server(create_team_app(lambda: team)) as base:
            yield base
    finally:
        team.close()


class Person:
    """One browser context (own cookies) that must never leave the app."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(20_000)
        self.outside: list[str] = []
        self.context.on("request", lambda r: None if r.url.startswith(base) else self.outside.append(r.url))
        self.page = self.context.new_page()

    def sign_in(self, email: str) -> None:
        self.page.goto(f"{self.base}/login")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("#login-btn")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url

    def join(self, link: str, email: str, name: str) -> None:
        self.page.goto(link)
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("#join-btn")
        self.page.wait_for_url("**/login**")
        self.sign_in(email)

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"the browser reached outside the app: {self.outside}"


def one_time_link(p: Person) -> str:
    link = p.page.locator("#one-time-link").input_value()
    assert link.startswith(p.base + "/invite/")
    return link


def test_a_coach_and_three_candidates_run_a_cohort(browser: Any, server: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    admin, coach = Person(browser, server), Person(browser, server)
    candidates = [Person(browser, server) for _ in range(3)]
    names = ["Alice Ames", "Bruno Bell", "Chen Cho"]

    admin.sign_in("admin@example.org")
    admin.page.goto(f"{server}/admin")
    admin.page.fill("#cohort-name", "Spring cohort")
    admin.page.click("#cohort-create-btn")
    admin.page.wait_for_url("**/coach/cohorts/**")
    cohort_url = admin.page.url
    admin.page.goto(f"{server}/admin")
    admin.page.select_option("select[name=role]", "coach")
    admin.page.select_option("select[name=cohort]", label="Spring cohort")
    admin.page.click("#admin-invite-btn")
    coach.join(one_time_link(admin), "coach@example.org", "Cora Coach")

    coach.page.goto(cohort_url)
    assert coach.page.locator("#cohort-title").inner_text() == "Spring cohort"
    for person, name in zip(candidates, names, strict=True):
        coach.page.goto(cohort_url)
        coach.page.click("#invite-btn")
        person.join(one_time_link(coach), f"{name.split()[0].lower()}@example.org", name)

    for i, person in enumerate(candidates):
        person.page.goto(f"{server}/practice?q=conflict-coworker")
        person.page.fill("#answer", GOOD_ANSWER if i != 2 else SHORT_ANSWER)
        person.page.keyboard.press("Control+Enter")
        person.page.wait_for_url("**/attempts/**")
        assert 0 <= int(person.page.locator("#score").inner_text()) <= 100

    coach.page.goto(cohort_url)
    rows = coach.page.locator("#dashboard tr[data-candidate]")
    assert rows.count() == 3
    assert sorted(rows.nth(i).locator("td").first.inner_text() for i in range(3)) == names
    coach.page.click("text=Alice Ames")
    coach.page.wait_for_url("**/coach/candidates/**")
    coach.page.click("#attempts a")
    coach.page.wait_for_url("**/attempts/**")
    first_sentence = coach.page.locator("#answer-notes .sentence").first.inner_text()
    coach.page.select_option("#comment-span", index=0)
    coach.page.fill("#comment-body", COMMENT)
    coach.page.click("#comment-btn")
    coach.page.wait_for_selector(".comment")
    coach.page.click("#rate-btn")
    coach.page.wait_for_selector(".rating")
    coach.page.screenshot(path=ARTIFACTS / "team-coach-attempt.png", full_page=True)

    alice = candidates[0].page
    alice.goto(server + "/api/attempts")
    attempt_id = alice.evaluate("JSON.parse(document.body.innerText)[0].id")
    alice.goto(f"{server}/attempts/{attempt_id}")
    alice.click("#feedback-link")
    alice.wait_for_url("**/feedback/**")
    note = alice.locator("#answer-notes .note-row").first
    assert first_sentence in note.locator(".sentence").inner_text()
    assert COMMENT in note.locator(".comment").inner_text()
    assert "Cora Coach" in alice.locator(".rating").inner_text()
    alice.screenshot(path=ARTIFACTS / "team-candidate-feedback.png", full_page=True)

    bruno = candidates[1].page  # another candidate sees neither Alice's answer nor the comment
    assert bruno.goto(f"{server}/feedback/{attempt_id}").status == 404
    assert bruno.goto(f"{server}/coach/cohorts/{cohort_url.rsplit('/', 1)[1]}").status == 403

    coach.page.goto(cohort_url)
    counts = [coach.page.locator("#dashboard tr[data-candidate]").nth(i).locator("td").nth(1).inner_text()
              for i in range(3)]
    assert counts == ["1", "1", "1"]
    coach.page.screenshot(path=ARTIFACTS / "team-dashboard.png", full_page=True)
    for p in (admin, coach, *candidates):
        p.close()
