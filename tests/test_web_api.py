"""The JSON API under /api/: what a script (or the pages' JavaScript) can do, and how bad input fails.

Every failure is a 4xx with one readable ``error`` line, and a failing write stores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web_support import GOOD_ANSWER, SHORT_ANSWER, make_app, write_bank
from tests.web_support import STORY as BASE_STORY

STORY = {**BASE_STORY, "competencies": "conflict, teamwork"}


def error_of(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert body["error"] and "Traceback" not in body["error"]
    return str(body["error"])


# ---- question bank --------------------------------------------------------------------------


def test_questions_filter_by_competency_type_principle_and_search(api: TestClient) -> None:
    everything = api.get("/api/questions").json()
    assert len(everything) > 100
    conflict = api.get("/api/questions", params={"competency": "conflict"}).json()
    assert conflict and all("conflict" in q["competencies"] for q in conflict)
    stories = api.get("/api/questions", params={"type": "story"}).json()
    assert stories and all(q["type"] == "story" for q in stories)
    amazon = api.get("/api/questions", params={"principle": "amazon:dive-deep"}).json()
    assert amazon and all("technical-depth" in q["competencies"] for q in amazon)
    found = api.get("/api/questions", params={"q": "deadline"}).json()
    assert found and len(found) < len(everything)
    assert api.get("/api/questions/conflict-coworker").json()["id"] == "conflict-coworker"


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"competency": "juggling"}, "juggling"),
        ({"type": "poem"}, "poem"),
        ({"principle": "amazon"}, "principle"),
        ({"principle": "netflix:freedom"}, "netflix"),
        ({"bank": "nope"}, "nope"),
    ],
)
def test_unknown_filter_values_are_readable_4xx(api: TestClient, params: dict[str, str], word: str) -> None:
    r = api.get("/api/questions", params=params)
    assert r.status_code in (400, 404)
    assert word in error_of(r, r.status_code)


def test_unknown_ids_are_404_everywhere(api: TestClient) -> None:
    for path in (
        "/api/questions/no-such-question",
        "/api/attempts/ffffffffff",
        "/api/stories/no-such-story",
        "/api/stories/no-such-story/review",
    ):
        message = error_of(api.get(path), 404)
        assert "no-such" in message or "ffff" in message
    assert "no bank" in error_of(api.delete("/api/banks/no-such-bank"), 404)
    error_of(api.put("/api/stories/no-such-story", json=STORY), 404)
    error_of(api.post("/api/attempts", json={"question": "no-such-question", "answer": GOOD_ANSWER}), 404)


def test_import_a_markdown_bank_then_export_and_delete_it(api: TestClient, tmp_path: Path) -> None:
    md = write_bank(
        tmp_path / "team.md",
        "Team questions",
        [
            ("Tell me about a time you mentored a new hire.", ["**Situation**: onboarding", "**Result**: ramped up"]),
            ("Describe a time you cut scope to hit a date.", ["**Action**: negotiated", "**Result**: shipped"]),
        ],
    )
    r = api.post("/api/banks/import", files={"file": ("team.md", md.read_bytes(), "text/markdown")})
    assert r.status_code == 200, r.text
    bank = r.json()["banks"][0]
    assert bank["questions"] == 2
    assert bank["bank_id"] in {b["id"] for b in api.get("/api/banks").json()}
    assert len(api.get("/api/questions", params={"bank": bank["bank_id"]}).json()) == 2

    exported = api.get("/api/banks/export", params={"format": "md", "bank": bank["bank_id"]})
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    assert "mentored a new hire" in exported.text
    as_json = api.get("/api/banks/export", params={"format": "json", "bank": bank["bank_id"]}).json()
    assert json.dumps(as_json)
    anki = api.get("/api/banks/export", params={"format": "anki", "bank": bank["bank_id"]})
    assert anki.content[:2] == b"PK"  # an .apkg is a zip

    assert api.delete(f"/api/banks/{bank['bank_id']}").status_code == 204
    assert bank["bank_id"] not in {b["id"] for b in api.get("/api/banks").json()}


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("notes.txt", b"### 1. Question?\n\n**Answer:**\n\n- a\n", "only Markdown"),
        ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "binary"),
        ("latin.md", "### 1. Caf\xe9?\n".encode("latin-1"), "UTF-8"),
        ("empty.md", b"   \n", "empty"),
        ("prose.md", b"# Just a title\n\nSome prose without questions.\n", "no questions"),
    ],
)
def test_uploads_that_are_not_a_markdown_bank_are_refused_and_store_nothing(
    api: TestClient, name: str, data: bytes, word: str
) -> None:
    before = api.get("/api/banks").json()
    r = api.post("/api/banks/import", files={"file": (name, data, "application/octet-stream")})
    assert word in error_of(r, 400)
    assert api.get("/api/banks").json() == before


def test_bad_export_requests(api: TestClient) -> None:
    assert "unknown export format" in error_of(api.get("/api/banks/export", params={"format": "pdf"}), 400)
    error_of(api.get("/api/banks/export", params={"format": "json", "bank": "nope"}), 404)


def test_the_bundled_bank_cannot_be_deleted(api: TestClient) -> None:
    assert "bundled" in error_of(api.delete("/api/banks/builtin"), 400)


# ---- analysis and practice --------------------------------------------------------------------


def test_analyze_follows_the_analysis_contract(api: TestClient) -> None:
    r = api.post("/api/analyze", json={"answer": GOOD_ANSWER, "question": "conflict-coworker"})
    assert r.status_code == 200
    a = r.json()
    assert {
        "question",
        "score",
        "sentences",
        "missing",
        "dimensions",
        "points",
        "flags",
        "words",
        "speaking_seconds",
        "suggestions",
        "follow_ups",
    } <= set(a)
    assert a["question"]["id"] == "conflict-coworker"
    for s in a["sentences"]:
        assert GOOD_ANSWER[s["start"] : s["end"]] == s["text"]
    assert api.get("/api/attempts").json() == []  # analysis alone stores nothing


@pytest.mark.parametrize(
    ("body", "status", "word"),
    [
        (b"{not json", 400, "Malformed JSON"),
        (b'{"answer": 5}', 422, "answer"),
        (b"{}", 422, "answer"),
        (b'{"answer": "x", "extra": 1}', 422, "extra"),
        (b'{"answer": "   "}', 400, "empty"),
        (b"[1, 2]", 422, "request"),
        (b'{"answer": "I fixed the build \\ud800 for the team."}', 422, "valid string"),
        (b'{"answer": "I fixed the build for the team.", "question": "Why \\udfff?"}', 422, "valid string"),
    ],
)
def test_malformed_analyze_requests_are_readable_4xx(api: TestClient, body: bytes, status: int, word: str) -> None:
    r = api.post("/api/analyze", content=body, headers={"Content-Type": "application/json"})
    assert word in error_of(r, status)


def test_an_answer_over_the_limit_is_refused(api: TestClient) -> None:
    r = api.post("/api/attempts", json={"question": "conflict-coworker", "answer": "word " * 5000})
    error_of(r, 422)
    assert api.get("/api/attempts").json() == []


def test_record_an_attempt_a_follow_up_and_a_retry_then_compare(api: TestClient) -> None:
    first = api.post("/api/attempts", json={"question": "conflict-coworker", "answer": SHORT_ANSWER, "seconds": 40})
    assert first.status_code == 201, first.text
    result = first.json()
    attempt_id = result["attempt"]["id"]
    assert result["attempt"]["status"] == "scored" and result["follow_up"]
    assert result["next_due"]

    follow = api.post(
        f"/api/attempts/{attempt_id}/follow-up",
        json={"follow_up": result["follow_up"], "answer": "I would run an experiment first."},
    )
    assert follow.status_code == 201
    assert follow.json()["attempt"]["kind"] == "follow_up"
    assert follow.json()["attempt"]["parent_id"] == attempt_id

    retry = api.post(
        "/api/attempts", json={"question": "conflict-coworker", "answer": GOOD_ANSWER, "retry_of": attempt_id}
    )
    assert retry.json()["attempt"]["kind"] == "retry"

    history = api.get("/api/attempts").json()
    assert len(history) == 3
    assert api.get(f"/api/attempts/{attempt_id}").json()["answer"] == SHORT_ANSWER
    cmp = api.get("/api/compare", params={"first": attempt_id, "second": retry.json()["attempt"]["id"]}).json()
    assert cmp["first"]["id"] == attempt_id
    assert "structure" in cmp["dimensions"] and cmp["score_change"] is not None

    progress = api.get("/api/progress").json()
    assert progress["scored"] == 3 and progress["overall"]["count"] == 3
    due = api.get("/api/due").json()
    assert due["cards"] == 1
    picks = api.get("/api/practice/next", params={"count": 3}).json()
    assert len(picks) == 3 and all(p["reason"] for p in picks)


def test_comparing_attempts_at_different_questions_is_a_readable_400(api: TestClient) -> None:
    a = api.post("/api/attempts", json={"question": "conflict-coworker", "answer": GOOD_ANSWER}).json()
    b = api.post("/api/attempts", json={"question": "time-you-failed", "answer": GOOD_ANSWER}).json()
    r = api.get("/api/compare", params={"first": a["attempt"]["id"], "second": b["attempt"]["id"]})
    assert "different questions" in error_of(r, 400)


# ---- stories ------------------------------------------------------------------------------------


def test_story_crud_review_coverage_and_suggestions(api: TestClient) -> None:
    r = api.post("/api/stories", json=STORY)
    assert r.status_code == 201, r.text
    saved = r.json()
    sid = saved["story"]["id"]
    assert saved["action"] == "added"
    assert saved["story"]["competencies"] == ["conflict", "teamwork"]
    assert api.get(f"/api/stories/{sid}").json()["version"] == 1
    assert api.get(f"/api/stories/{sid}/review").json()["quantified"] is True

    cov = api.get("/api/story-bank/coverage").json()
    conflict = next(r for r in cov["competencies"] if r["key"] == "conflict")
    assert conflict["fits"][0]["story_id"] == sid
    mentoring_before = next(r for r in cov["competencies"] if r["key"] == "mentoring")["fits"][0]["score"]

    edited = {
        **STORY,
        "action": STORY["action"] + " I also mentored the new hire and coached him weekly.",
        "competencies": "conflict, teamwork, mentoring",
    }
    r = api.put(f"/api/stories/{sid}", json=edited)
    assert r.json()["action"] == "updated" and r.json()["story"]["version"] == 2
    cov = api.get("/api/story-bank/coverage").json()
    mentoring_after = next(r for r in cov["competencies"] if r["key"] == "mentoring")["fits"][0]["score"]
    assert mentoring_after > mentoring_before

    hint = api.get("/api/story-bank/hint", params={"question": "conflict-coworker"}).json()
    assert hint["best"]["story_id"] == sid and hint["wants_story"] is True
    ranked = api.get("/api/story-bank/suggest", params={"question": "conflict-coworker"}).json()
    assert ranked["fits"][0]["story_id"] == sid
    assert api.delete(f"/api/stories/{sid}").status_code == 204
    assert api.get("/api/stories").json() == []


def test_live_star_check_of_a_draft(api: TestClient) -> None:
    r = api.post("/api/story-bank/check", json={"situation": "We had an outage.", "result": "Down 40%."})
    body = r.json()
    assert body["present"] == ["situation", "result"]
    assert "Action" in body["message"] and body["quantified"] is True
    assert api.post("/api/story-bank/check", json={}).json()["present"] == []


@pytest.mark.parametrize(
    ("change", "status", "word"),
    [
        ({"result": ""}, 400, "Result"),
        ({"competencies": "juggling"}, 400, "juggling"),
        ({"scope": "galaxy"}, 400, "scope"),
        ({"metrics": "no number here"}, 400, "number"),
        ({"title": ""}, 422, "title"),
        ({"title": "x" * 151}, 422, "title"),
    ],
)
def test_a_bad_story_is_refused_with_a_readable_message_and_nothing_is_stored(
    api: TestClient, change: dict[str, str], status: int, word: str
) -> None:
    r = api.post("/api/stories", json={**STORY, **change})
    assert word.lower() in error_of(r, status).lower()
    assert api.get("/api/stories").json() == []


def test_a_failed_edit_keeps_the_stored_version(api: TestClient) -> None:
    sid = api.post("/api/stories", json=STORY).json()["story"]["id"]
    r = api.put(f"/api/stories/{sid}", json={**STORY, "action": ""})
    error_of(r, 400)
    stored = api.get(f"/api/stories/{sid}").json()
    assert stored["version"] == 1 and stored["action"] == STORY["action"]


def test_duplicate_story_titles_conflict(api: TestClient) -> None:
    api.post("/api/stories", json=STORY)
    assert "already exist" in error_of(api.post("/api/stories", json=STORY), 409)


def test_story_import_and_export(api: TestClient) -> None:
    md = (
        "# My stories\n\n## Cut scope to ship\n\n- **Situation**: A launch slipped.\n"
        "- **Action**: I cut two features.\n- **Result**: We shipped on time, 2 weeks saved.\n\n"
        "## Broken deploys\n\n- **Situation**: Deploys broke weekly.\n- **Action**: I added canaries.\n"
        "- **Result**: Incidents fell 60%.\n"
    )
    r = api.post("/api/story-bank/import", files={"file": ("stories.md", md.encode(), "text/markdown")})
    assert r.status_code == 201, r.text
    assert [s["story"]["title"] for s in r.json()] == ["Cut scope to ship", "Broken deploys"]
    exported = api.get("/api/story-bank/export", params={"format": "md"})
    assert "## Broken deploys" in exported.text
    assert "history" in exported.text or api.get("/api/story-bank/export", params={"format": "json"}).json()


def test_a_story_file_with_one_bad_story_stores_none(api: TestClient) -> None:
    md = "## Good\n\n- **Situation**: s\n- **Action**: a\n- **Result**: r 10%\n\n## Bad\n\n- **Situation**: s\n"
    r = api.post("/api/story-bank/import", files={"file": ("stories.md", md.encode(), "text/markdown")})
    assert "Bad" in error_of(r, 400)
    assert api.get("/api/stories").json() == []


def test_a_hint_without_stories_says_so(api: TestClient) -> None:
    hint = api.get("/api/story-bank/hint", params={"question": "conflict-coworker"}).json()
    assert hint["best"] is None and "no stories" in hint["message"]
    assert api.get("/api/story-bank/hint", params={"question": "questions-for-us"}).json()["wants_story"] is False


def test_exporting_no_stories_is_a_404(api: TestClient) -> None:
    assert "no stories" in error_of(api.get("/api/story-bank/export"), 404)
    assert "no stories" in error_of(api.get("/api/story-bank/coverage"), 404)


def test_concurrent_clients_on_a_real_server_all_get_recorded(starcoach_home: Path) -> None:
    """Eight clients at once, from the very first request (when the store opens): no 5xx, nothing lost."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from starcoach.service import open_coach
    from tests.web_support import TOKEN, live_server

    coach = open_coach(starcoach_home)
    with live_server(make_app(coach)) as base:

        def client(n: int) -> list[int]:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
                codes = [c.get("/practice", follow_redirects=True).status_code]  # 303 to ?q=ID, then the page
                for _ in range(3):
                    body = {"question": "conflict-coworker", "answer": f"Client {n}. " + GOOD_ANSWER}
                    codes.append(c.post("/api/attempts", json=body).status_code)
                codes.append(c.post("/api/stories", json={**STORY, "title": f"Story {n}"}).status_code)
                return codes

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(client, range(8)))
    assert all(codes == [200, 201, 201, 201, 201] for codes in results), results
    assert len(coach.history(limit=None)) == 24
    assert len(coach.stories()) == 8
    coach.close()
