"""The server-rendered pages: what a user sees and submits, errors as readable pages, text escaped.

No GET changes anything; every POST form carries the CSRF token; a failing form stores nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web_support import GOOD_ANSWER, SHORT_ANSWER, STORY, csrf_of, write_bank

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
STORY_FORM = {
    **STORY,
    "task": "I had to get everyone aligned before the release.",
    "competencies": ["conflict", "teamwork"],
    "scope": "team",
}


def post_form(web: TestClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    return web.post(path, data={"csrf_token": csrf_of(web.app), **data}, follow_redirects=False, **kw)  # type: ignore[arg-type]


def page_error(r: Any, status: int) -> str:
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    m = re.search(r'<p class="error-message">(.*?)</p>', r.text, re.S)
    assert m, "the error page has no message"
    return m.group(1)


def save_story(web: TestClient, **change: Any) -> str:
    r = post_form(web, "/stories", {**STORY_FORM, **change})
    assert r.status_code == 303, r.text[:500]
    return str(r.headers["location"])


# ---- practice ------------------------------------------------------------------------------------


def test_the_home_page_leads_to_practice_with_a_chosen_question(web: TestClient) -> None:
    r = web.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/practice"
    page = web.get("/practice").text
    assert 'id="question-text"' in page and "Chosen because" in page
    assert 'id="timer"' in page and 'name="answer"' in page


def test_practice_answer_is_recorded_and_its_analysis_shown(web: TestClient, coach: Any) -> None:
    r = post_form(web, "/practice", {"answer": GOOD_ANSWER, "question_id": "conflict-coworker", "seconds": "95"})
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/attempts/")
    page = web.get(location).text
    assert 'id="score"' in page and 'class="sent star-' in page
    assert "Answer this follow-up" in page and "retry_of=" in page
    attempt = coach.history()[0]
    assert attempt.answer == GOOD_ANSWER and round(attempt.answer_seconds) == 95
    assert (
        post_form(
            web, "/practice", {"answer": SHORT_ANSWER, "question_id": "conflict-coworker", "retry_of": attempt.id}
        ).status_code
        == 303
    )
    assert sorted(a.kind.value for a in coach.history()) == ["answer", "retry"]


def test_a_free_question_is_analyzed_but_not_recorded(web: TestClient, coach: Any) -> None:
    assert "Free question" in web.get("/practice", params={"text": "Why do you want this job?"}).text
    r = post_form(web, "/practice", {"answer": GOOD_ANSWER, "question_text": "Why do you want this job?"})
    assert r.status_code == 200 and "not recorded" in r.text
    assert coach.history() == []


def test_a_follow_up_is_recorded_under_its_attempt(web: TestClient, coach: Any) -> None:
    post_form(web, "/practice", {"answer": GOOD_ANSWER, "question_id": "conflict-coworker"})
    parent = coach.history()[0]
    page = web.get("/practice", params={"parent": parent.id, "text": "What would you change?"}).text
    assert "Follow-up to" in page and "What would you change?" in page
    r = post_form(
        web,
        "/practice",
        {"answer": "I would test earlier.", "parent": parent.id, "question_text": "What would you change?"},
    )
    assert r.status_code == 303
    follow_up = next(a for a in coach.history() if a.id != parent.id)
    assert follow_up.parent_id == parent.id and follow_up.kind.value == "follow_up"


@pytest.mark.parametrize(
    ("data", "status", "word"),
    [
        ({"answer": "   ", "question_id": "conflict-coworker"}, 400, "empty"),
        ({"answer": GOOD_ANSWER, "question_id": "no-such-question"}, 404, "no-such-question"),
        ({"answer": GOOD_ANSWER, "parent": "ffffffffff", "question_text": "Why?"}, 404, "ffffffffff"),
        ({"answer": "x" * 20_001, "question_id": "conflict-coworker"}, 422, "answer"),
        ({"answer": GOOD_ANSWER, "question_id": "conflict-coworker", "seconds": "-3"}, 422, "seconds"),
        ({"question_id": "conflict-coworker"}, 422, "answer"),
    ],
)
def test_bad_practice_forms_show_a_readable_page_and_store_nothing(
    web: TestClient, coach: Any, data: dict[str, str], status: int, word: str
) -> None:
    assert word in page_error(post_form(web, "/practice", data), status)
    assert coach.history() == []


def test_unknown_pages_and_ids_are_readable_404_pages(web: TestClient) -> None:
    assert "nothing at this address" in page_error(web.get("/no/such/page"), 404)
    assert "no-such" in page_error(web.get("/questions/no-such-question"), 404)
    assert "ffffffff" in page_error(web.get("/attempts/ffffffff"), 404)
    assert "no-such" in page_error(web.get("/stories/no-such-story"), 404)
    assert "ffffffff" in page_error(web.get("/practice", params={"parent": "ffffffff", "text": "Why?"}), 404)


# ---- question bank ---------------------------------------------------------------------------------


def test_question_bank_page_filters_and_keeps_the_choices(web: TestClient) -> None:
    page = web.get("/questions", params={"competency": "conflict", "type": "story", "q": "coworker"}).text
    assert "conflict with a coworker" in page
    assert '<option value="conflict" selected>' in page and '<option value="story" selected>' in page
    amazon = web.get("/questions", params={"principle": "amazon:have-backbone-disagree-and-commit"}).text
    assert "disagree" in amazon.lower()
    assert "juggling" in page_error(web.get("/questions", params={"competency": "juggling"}), 400)


def test_import_a_bank_through_the_page_then_delete_it(web: TestClient, coach: Any, tmp_path: Path) -> None:
    md = write_bank(tmp_path / "mine.md", "Mine", [(f"Tell me about {HOSTILE} once.", ["**Result**: done"])])
    r = post_form(web, "/banks/import", {}, files={"file": ("mine.md", md.read_bytes(), "text/markdown")})
    assert r.status_code == 200 and "Import done" in r.text
    bank_id = next(b.id for b in coach.banks() if b.id != "builtin")
    listing = web.get("/questions", params={"bank": bank_id}).text
    assert "&lt;script&gt;" in listing and HOSTILE not in listing
    download = web.get("/banks/export", params={"bank": bank_id, "format": "md"})
    assert download.status_code == 200 and "<script>" in download.text  # the file keeps what was written
    assert post_form(web, f"/banks/{bank_id}/delete", {}).status_code == 303
    assert [b.id for b in coach.banks()] == ["builtin"]


def test_a_non_markdown_upload_shows_why_and_stores_nothing(web: TestClient, coach: Any) -> None:
    r = post_form(web, "/banks/import", {}, files={"file": ("cv.pdf", b"%PDF-1.4 ...", "application/pdf")})
    assert "only Markdown" in page_error(r, 400)
    r = post_form(web, "/banks/import", {}, files={"file": ("x.md", b"\x00\x01\x02", "text/markdown")})
    assert "binary" in page_error(r, 400)
    assert [b.id for b in coach.banks()] == ["builtin"]


# ---- stories -----------------------------------------------------------------------------------------


def test_write_edit_and_delete_a_story_through_the_form(web: TestClient, coach: Any) -> None:
    assert "Your story bank is empty" in web.get("/stories").text
    assert 'id="star-check"' in web.get("/new-story").text
    location = save_story(web)
    page = web.get(location).text
    assert "Edit story" in page and "version 1" in page
    assert 'value="conflict" checked' in page
    edited = post_form(web, location, {**STORY_FORM, "learned": "Share data early."})
    assert edited.status_code == 303
    assert "version 2" in web.get(location).text
    listing = web.get("/stories").text
    assert 'id="heatmap"' in listing and 'data-level="strong"' in listing
    assert 'id="story-hint"' in web.get("/practice", params={"q": "conflict-coworker"}).text
    sid = location.rsplit("/", 1)[1]
    assert post_form(web, f"/stories/{sid}/delete", {}).status_code == 303
    assert coach.stories() == []


def test_a_form_line_that_looks_like_a_field_is_kept_in_its_field(web: TestClient, coach: Any) -> None:
    action = STORY_FORM["action"] + "\r\n**Result**: this line belongs to the Action\r\n<!-- and so does this -->"
    location = save_story(web, action=action)
    (story,) = coach.stories()
    assert story.content.action == action.replace("\r\n", "\n")
    assert story.content.result == STORY_FORM["result"]
    assert "**Result**: this line belongs to the Action" in web.get(location).text


def test_a_story_with_script_shows_as_text(web: TestClient) -> None:
    location = save_story(web, title=f"Hostile {HOSTILE}", situation=HOSTILE + " at work.")
    for page in (web.get(location).text, web.get("/stories").text):
        assert HOSTILE not in page
        assert "&lt;script&gt;alert(" in page
    hint = web.get("/practice", params={"q": "conflict-coworker"}).text
    assert HOSTILE not in hint


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"result": ""}, "Result"),
        ({"title": ""}, "title"),
        ({"when": "someday"}, "When"),
        ({"metrics": "lots"}, "number"),
    ],
)
def test_a_story_form_with_a_problem_shows_it_and_stores_nothing(
    web: TestClient, coach: Any, change: dict[str, str], word: str
) -> None:
    r = post_form(web, "/stories", {**STORY_FORM, **change})
    assert r.status_code in (400, 422)
    assert word.lower() in page_error(r, r.status_code).lower()
    assert coach.stories() == []


def test_story_suggestions_for_a_question(web: TestClient) -> None:
    save_story(web)
    page = web.get("/stories", params={"question": "conflict-coworker"}).text
    assert 'id="suggestion"' in page and "Payments schema disagreement" in page


# ---- progress ------------------------------------------------------------------------------------------


def test_progress_page_empty_then_with_charts_due_list_and_compare(web: TestClient, coach: Any) -> None:
    assert "No answers yet" in web.get("/progress").text
    for answer in (SHORT_ANSWER, GOOD_ANSWER):
        post_form(web, "/practice", {"answer": answer, "question_id": "conflict-coworker"})
    page = web.get("/progress").text
    assert page.count("<svg") == 3 and "<circle" in page
    assert 'id="history"' in page and 'id="due"' in page
    ids = [a.id for a in coach.history()]
    compare = web.get("/progress/compare", params=[("id", ids[0]), ("id", ids[1])]).text
    assert 'id="dims-compare"' in compare
    by_question = web.get("/progress/compare", params={"question": "conflict-coworker"})
    assert by_question.status_code == 200
    assert "exactly two" in page_error(web.get("/progress/compare", params={"id": ids[0]}), 400)


# ---- whole-app properties -------------------------------------------------------------------------------


def seed(web: TestClient) -> dict[str, str]:
    post_form(web, "/practice", {"answer": GOOD_ANSWER, "question_id": "conflict-coworker"})
    post_form(web, "/practice", {"answer": SHORT_ANSWER, "question_id": "conflict-coworker"})
    location = save_story(web)
    return {"story": location.rsplit("/", 1)[1]}


def test_no_get_changes_anything(web: TestClient, coach: Any) -> None:
    ids = seed(web)
    attempts = [a.id for a in coach.history()]
    before = [c.to_dict() for c in coach.data_counts()]
    stories_before = [s.to_dict() for s in coach.stories()]
    gets = [
        "/",
        "/practice",
        "/practice?q=conflict-coworker",
        f"/practice?q=conflict-coworker&retry_of={attempts[0]}",
        f"/practice?parent={attempts[0]}&text=Why",
        "/questions",
        "/questions/conflict-coworker",
        "/banks/export?format=json",
        f"/attempts/{attempts[0]}",
        "/stories",
        "/new-story",
        f"/stories/{ids['story']}",
        "/stories?question=conflict-coworker",
        "/story-bank/export?format=md",
        "/progress",
        f"/progress/compare?id={attempts[0]}&id={attempts[1]}",
        "/api/questions",
        "/api/banks",
        "/api/attempts",
        f"/api/attempts/{attempts[0]}",
        "/api/progress",
        "/api/due",
        "/api/practice/next",
        f"/api/compare?first={attempts[0]}&second={attempts[1]}",
        "/api/stories",
        f"/api/stories/{ids['story']}",
        f"/api/stories/{ids['story']}/review",
        "/api/story-bank/coverage",
        "/api/story-bank/suggest?question=conflict-coworker",
        "/api/story-bank/hint?question=conflict-coworker",
        "/api/story-bank/export",
        "/api/competencies",
        "/api/principles",
        "/openapi.json",
    ]
    for path in gets:
        assert web.get(path).status_code == 200, path
    assert [c.to_dict() for c in coach.data_counts()] == before
    assert [s.to_dict() for s in coach.stories()] == stories_before


def test_every_post_form_carries_the_csrf_token(web: TestClient, coach: Any) -> None:
    ids = seed(web)
    attempt = coach.history()[0].id
    for path in (
        "/practice",
        "/questions",
        "/stories",
        "/new-story",
        f"/stories/{ids['story']}",
        "/progress",
        f"/attempts/{attempt}",
    ):
        html = web.get(path).text
        for form in re.findall(r"<form[^>]*>.*?</form>", html, re.S):
            if 'method="post"' in form:
                assert f'name="csrf_token" value="{csrf_of(web.app)}"' in form, (path, form[:200])  # type: ignore[arg-type]


def test_every_page_loads_only_its_own_assets(web: TestClient) -> None:
    seed(web)
    for path in ("/practice", "/questions", "/stories", "/new-story", "/progress"):
        html = web.get(path).text
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith(("/", "#", "?")), (path, ref)
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert web.get(asset).status_code == 200


def test_the_result_page_shows_the_answer_restructured_with_a_prompt_for_the_missing_result(
    web: TestClient,
) -> None:
    answer = (
        "Last spring our release pipeline at a small fintech kept failing on Fridays. "
        "I had to make releases safe before the audit. I added a canary stage and wrote the rollback script myself."
    )
    r = post_form(web, "/practice", {"answer": answer, "question_id": "conflict-coworker"})
    page = web.get(r.headers["location"]).text
    assert 'id="outline"' in page and "Your answer, restructured" in page
    section = page.split('id="outline"', 1)[1].split("</section>", 1)[0]
    assert "I added a canary stage" in section
    assert 'data-part="result"' in section and "Say how it ended" in section
