"""A user in a real browser (Debian's Chromium driven by Playwright) against a real uvicorn server.

They practice questions end to end, edit a story and watch the coverage change, read their
progress chart, and a hostile page open in the same browser gets nothing. Every request the
browser makes must go to the app itself (offline: no CDN, no fonts from elsewhere). Screenshots of
each page land in ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import random
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PINNED_NOW
from tests.web_support import GOOD_ANSWER, SHORT_ANSWER, TOKEN, live_server, make_app, stepping_clock

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")

FOLLOW_UP_ANSWER = (
    "If the data had not settled it, I would have agreed on a small experiment with a clear deadline. "
    "I would have asked our manager to pick only if the experiment failed, "
    "and I would write down both options."
)
STORY = {
    "title": "Payments schema disagreement",
    "situation": "At a fintech startup in 2024 our team disagreed about the schema of the payments API.",
    "task": "I owned the payments service and had to get everyone aligned before the Friday release.",
    "action": "I restated my colleague's concerns until she agreed I had them right. "
    "I built a benchmark of both designs and I shared the numbers with the team.",
    "result": "We shipped the new schema two weeks early and p95 latency dropped by 30%.",
}
MENTORING = (
    " I also mentored the junior engineer who joined mid-project: I paired with him every day, "
    "coached him through his first design review and gave him weekly feedback "
    "until he owned the client library."
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def server(starcoach_home: Path) -> Iterator[str]:
    from starcoach.service import open_coach

    coach = open_coach(starcoach_home, clock=stepping_clock(PINNED_NOW, timedelta(hours=5)), rng=random.Random(7))
    with live_server(make_app(coach)) as base:
        yield base


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser context signed in through the private link; every request must stay local."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    outside: list[str] = []
    context.on("request", lambda req: None if req.url.startswith(server) else outside.append(req.url))
    pg = context.new_page()
    pg.goto(f"{server}/?token={TOKEN}")
    pg.wait_for_url(f"{server}/practice?q=**")  # the chosen question is in the URL
    yield pg
    context.close()
    assert outside == [], f"the browser reached outside the app: {outside}"


def test_the_browser_opened_on_the_launch_file_is_signed_in(browser: Any, server: str) -> None:
    """What ``starcoach serve`` does: the browser opens a private file that forwards to the link."""
    from starcoach.cli.web import launch_file

    opener = launch_file(f"{server}/?token={TOKEN}")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(opener.as_uri())
        page.wait_for_url(f"{server}/practice?q=**")
        assert page.locator("#question-text").inner_text().strip()
        assert TOKEN not in page.url
    finally:
        context.close()
        shutil.rmtree(opener.parent)


def answer_current_question(page: Any, text: str) -> None:
    page.fill("#answer", text)
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/attempts/**")


def test_a_user_practices_three_questions_and_a_follow_up(page: Any, server: str, shots: Path) -> None:
    assert page.url.startswith(f"{server}/practice?q=")
    first = page.locator("#question-text").inner_text().strip()
    assert first
    page.reload()  # a reload keeps the question
    assert page.locator("#question-text").inner_text().strip() == first
    assert page.locator("#timer-value").is_visible()
    page.screenshot(path=shots / "practice.png", full_page=True)

    page.goto(f"{server}/practice?q=conflict-coworker")
    answer_current_question(page, GOOD_ANSWER)
    assert page.locator("#outline [data-part=action] .outline-sentence").count() >= 1
    score = int(page.locator("#score").inner_text())
    assert 0 <= score <= 100
    stars = {
        page.locator("#highlighted .sent").nth(i).get_attribute("data-star")
        for i in range(page.locator("#highlighted .sent").count())
    }
    assert {"situation", "action", "result"} <= stars
    assert page.locator("#highlighted").inner_text().split() == GOOD_ANSWER.split()
    assert page.locator("#dimensions tr").count() == 7
    assert page.locator("#points li").count() >= 3
    assert page.locator("#followup-btn").is_visible()
    page.screenshot(path=shots / "result.png", full_page=True)

    follow_up = page.locator(".followup-q").inner_text()
    page.keyboard.press("f")
    page.wait_for_url("**/practice?parent=**")
    assert page.locator("#question-text").inner_text() == follow_up
    answer_current_question(page, FOLLOW_UP_ANSWER)
    assert "follow-up" in page.locator(".eyebrow").first.inner_text().lower()

    page.keyboard.press("n")
    page.wait_for_url("**/practice**")
    second = page.locator("#question-text").inner_text()
    assert "conflict with a coworker" not in second  # Next moves on to another question
    answer_current_question(page, SHORT_ANSWER)
    assert page.locator("#missing").is_visible()

    page.keyboard.press("r")
    page.wait_for_url("**/practice?q=**retry_of=**")
    assert page.locator("#question-text").inner_text() == second
    answer_current_question(page, GOOD_ANSWER)
    assert "retry" in page.locator(".eyebrow").first.inner_text().lower()

    page.goto(f"{server}/practice?q=time-you-failed")
    answer_current_question(page, GOOD_ANSWER)

    page.goto(f"{server}/progress")
    assert page.locator("#history tbody tr").count() == 5
    asked = {page.locator("#history tbody tr td:nth-child(3)").nth(i).inner_text() for i in range(5)}
    assert len(asked) == 4  # three bank questions and the follow-up
    assert page.locator("#trend-chart svg circle").count() >= 1
    page.screenshot(path=shots / "progress.png", full_page=True)


def test_keyboard_only_practice(page: Any, server: str) -> None:
    page.goto(f"{server}/practice?q=conflict-coworker")
    assert page.evaluate("document.activeElement.id") == "answer"  # autofocus: type straight away
    page.keyboard.type("We disagreed. I benchmarked both designs. As a result latency fell 30%.")
    assert "words" in page.locator("#word-count").inner_text()
    page.keyboard.press("Control+Enter")
    page.wait_for_url("**/attempts/**")
    page.keyboard.press("n")
    page.wait_for_url("**/practice**")
    assert page.evaluate("document.activeElement.id") == "answer"


def test_a_user_edits_a_story_and_sees_the_coverage_change(page: Any, server: str, shots: Path) -> None:
    page.goto(f"{server}/stories")
    assert "empty" in page.locator(".empty-state").inner_text()
    page.click("text=Write your first story")
    page.wait_for_url("**/new-story")
    page.fill("input[name=title]", STORY["title"])
    page.fill("textarea[name=situation]", STORY["situation"])
    page.wait_for_selector("#star-check [data-part=situation].present")
    assert "present" not in (page.get_attribute("#star-check [data-part=result]", "class") or "")
    for part in ("task", "action", "result"):
        page.fill(f"textarea[name={part}]", STORY[part])
    page.wait_for_selector("#star-check [data-part=result].present")
    page.wait_for_selector("#star-check-msg:has-text('Every STAR part is there')")
    page.check("input[value=conflict]")
    page.screenshot(path=shots / "story-edit.png", full_page=True)
    page.click("#save-story")
    page.wait_for_url("**/stories/payments-schema-disagreement")

    page.goto(f"{server}/stories")
    cell = "#heatmap td[data-competency=mentoring]"
    before = page.get_attribute(cell, "data-level")
    assert page.get_attribute("#heatmap td[data-competency=conflict]", "data-level") in ("strong", "workable")

    page.click("#story-list a.title")
    page.fill("textarea[name=action]", STORY["action"] + MENTORING)
    page.check("input[value=mentoring]")
    page.click("#save-story")
    page.wait_for_url("**/stories/payments-schema-disagreement")
    assert "version 2" in page.locator("h1").inner_text()

    page.goto(f"{server}/stories")
    after = page.get_attribute(cell, "data-level")
    rank = {"gap": 0, "stretch": 1, "workable": 2, "strong": 3}
    assert rank[str(after)] > rank[str(before)], (before, after)
    page.screenshot(path=shots / "stories.png", full_page=True)


def test_user_text_is_shown_as_text_never_run(page: Any, server: str) -> None:
    page.goto(f"{server}/new-story")
    hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2">'
    page.fill("input[name=title]", "Hostile <b>title</b>")
    page.fill("textarea[name=situation]", hostile)
    page.fill("textarea[name=action]", "I did it " + hostile)
    page.fill("textarea[name=result]", "It worked " + hostile)
    page.click("#save-story")
    page.wait_for_url("**/stories/**")
    page.goto(f"{server}/stories")
    assert "Hostile <b>title</b>" in page.locator("#story-list").inner_text()
    page.goto(f"{server}/practice?q=conflict-coworker")
    answer_current_question(page, "I fixed it. " + hostile + " As a result it worked.")
    assert "<script>window.pwned = 1</script>" in page.locator("#highlighted").inner_text()
    assert page.evaluate("window.pwned") is None


def test_progress_chart_is_drawn(page: Any, server: str, shots: Path) -> None:
    csrf = page.get_attribute('meta[name="csrf-token"]', "content")
    for qid, answer in [
        ("conflict-coworker", SHORT_ANSWER),
        ("conflict-coworker", GOOD_ANSWER),
        ("conflict-coworker", GOOD_ANSWER + " I now share benchmarks first."),
    ]:
        r = page.request.post(
            f"{server}/api/attempts",
            data={"question": qid, "answer": answer},
            headers={"X-CSRF-Token": str(csrf), "Origin": server},
        )
        assert r.status == 201, r.text()
    page.goto(f"{server}/progress")
    points = page.get_attribute("#trend-chart svg polyline", "points") or ""
    assert len(points.split()) >= 2
    assert page.locator("#competency-chart svg rect.bar").count() >= 1
    page.check("#history tbody tr:nth-child(1) input")
    page.check("#history tbody tr:nth-child(3) input")
    page.click("text=Compare two checked attempts")
    page.wait_for_url("**/progress/compare**")
    assert page.locator("#dims-compare tbody tr").count() == 7
    page.screenshot(path=shots / "compare.png", full_page=True)


def test_pages_for_the_bank_and_errors_look_right(page: Any, server: str, shots: Path, tmp_path: Path) -> None:
    page.goto(f"{server}/questions?competency=conflict")
    assert page.locator(".qitem").count() >= 3
    page.screenshot(path=shots / "questions.png", full_page=True)
    page.keyboard.press("/")
    page.keyboard.type("deadline")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=deadline**")
    assert page.locator(".qitem").count() >= 1
    not_md = tmp_path / "notes.txt"
    not_md.write_text("hello", encoding="utf-8")
    page.set_input_files("input[name=file]", str(not_md))
    page.click("form[action='/banks/import'] button")
    assert "only Markdown" in page.locator(".error-message").inner_text()
    page.screenshot(path=shots / "error.png", full_page=True)


# ---- another page in the same browser ---------------------------------------------------------

EVIL_PAGE = """<!doctype html><html><head><title>evil</title></head><body>
<form id="f" method="post" action="{target}/stories" target="sink">
<input name="title" value="Planted story"><input name="situation" value="s">
<input name="action" value="a"><input name="result" value="r"></form>
<iframe name="sink" id="sink"></iframe>
<script>
const out = [];
async function probe(name, url, opts) {{
  try {{ const r = await fetch(url, opts); const t = await r.text();
         out.push(name + ":read:" + r.status + ":" + t.slice(0, 80)); }}
  catch (e) {{ out.push(name + ":blocked"); }}
}}
(async () => {{
  await probe("get", "{target}/api/stories", {{credentials: "include"}});
  await probe("post", "{target}/api/stories", {{method: "POST", credentials: "include", mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}},
    body: JSON.stringify({{title: "Planted by fetch", situation: "s", action: "a", result: "r"}})}});
  await probe("answer", "{target}/practice", {{method: "POST", credentials: "include", mode: "no-cors",
    body: new URLSearchParams({{answer: "planted", question_id: "conflict-coworker"}})}});
  document.getElementById("f").submit();
  document.title = "done";
  document.body.setAttribute("data-out", out.join("|"));
}})();
</script></body></html>"""


@pytest.fixture
def evil_site(server: str) -> Iterator[str]:
    """A web page on another port of this machine (same-site with the app, but another origin)."""
    body = EVIL_PAGE.format(target=server).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_another_page_in_the_same_browser_cannot_read_or_change_anything(
    browser: Any, server: str, evil_site: str, host: str, shots: Path
) -> None:
    context = browser.new_context()
    context.set_default_timeout(20_000)
    mine = context.new_page()
    mine.goto(f"{server}/?token={TOKEN}")
    mine.wait_for_url(f"{server}/practice?q=**")
    mine.goto(f"{server}/new-story")
    mine.fill("input[name=title]", "My private story")
    for part in ("situation", "action", "result"):
        mine.fill(f"textarea[name={part}]", STORY[part])
    mine.click("#save-story")
    mine.wait_for_url("**/stories/**")

    evil = context.new_page()
    evil.goto(evil_site.replace("localhost", host))
    evil.wait_for_function("document.title === 'done'")
    evil.wait_for_load_state("networkidle")
    out = evil.get_attribute("body", "data-out") or ""
    assert "My private story" not in out
    assert "get:blocked" in out
    assert "My private story" not in (evil.frame("sink").content() if evil.frame("sink") else "")

    mine.goto(f"{server}/stories")
    titles = mine.locator("#story-list").inner_text()
    assert "My private story" in titles
    assert "Planted" not in titles
    mine.goto(f"{server}/progress")
    assert mine.locator("#history").count() == 0  # no answer was planted either
    evil.screenshot(path=shots / f"hostile-page-{host}.png")
    context.close()


def test_a_user_imports_a_technical_day_and_is_told_a_misconception(
    page: Any, server: str, shots: Path, tmp_path: Path
) -> None:
    from tests.test_analysis_knowledge import DAY, WRONG

    day = tmp_path / "day99.md"
    day.write_text(DAY, encoding="utf-8")
    page.goto(f"{server}/questions")
    page.set_input_files("input[name=file]", str(day))
    page.click("form[action='/banks/import'] button")
    page.goto(f"{server}/questions?type=knowledge")
    assert page.locator(".qitem").count() == 3
    page.locator(".qitem", has_text="Type I and Type II").locator("a", has_text="Practice").click()
    page.wait_for_url("**/practice?q=**")
    answer_current_question(page, WRONG)
    wrong = page.locator(".misconception").first
    assert wrong.is_visible() and "Wrong" in wrong.inner_text()
    assert wrong.evaluate("e => getComputedStyle(e).color") == "rgb(185, 28, 28)"  # --bad: red
    assert page.locator("#points li").count() == 2 and page.locator("#points li.wrong").count() >= 1
    assert page.locator("#model-answer strong", has_text="Type I").first.is_visible()
    assert page.locator("#dimensions tr").count() == 5
    page.screenshot(path=shots / "knowledge-result.png", full_page=True)
