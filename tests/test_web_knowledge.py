"""A knowledge question in the web app: points beside the answer, the model answer, a misconception in red."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.test_analysis_knowledge import COMPLETE, DAY, WRONG
from tests.web_support import csrf_of


def imported_question(coach: Any, tmp_path: Path) -> str:
    path = tmp_path / "day99.md"
    path.write_text(DAY.replace("(a false alarm)", "(a false alarm, <script>x</script>)"), encoding="utf-8")
    coach.import_files([path])
    return str(next(q.id for q in coach.all_questions() if q.type.value == "knowledge" and "Type I" in q.text))


def answer(web: TestClient, qid: str, text: str) -> str:
    r = web.post("/practice", data={"csrf_token": csrf_of(web.app), "answer": text, "question_id": qid},  # type: ignore[arg-type]
                 follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return web.get(r.headers["location"]).text


def test_a_wrong_answer_shows_the_misconception_points_and_model_answer(web: TestClient, coach: Any,
                                                                        tmp_path: Path) -> None:
    page = answer(web, imported_question(coach, tmp_path), WRONG)
    assert 'class="misconception"' in page and "Wrong:" in page
    assert 'id="points"' in page and 'class="wrong"' in page
    assert 'id="model-answer"' in page and "<strong>Type I</strong>" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert "Missing:" not in page and "sentence by sentence" not in page


def test_a_complete_answer_shows_every_point_covered(web: TestClient, coach: Any, tmp_path: Path) -> None:
    page = answer(web, imported_question(coach, tmp_path), COMPLETE)
    assert page.count('class="covered"') == 2 and 'class="misconception"' not in page


def test_the_api_returns_misconceptions_only_for_knowledge_answers(api: TestClient, coach: Any,
                                                                   tmp_path: Path) -> None:
    qid = imported_question(coach, tmp_path)
    data = api.post("/api/analyze", json={"answer": WRONG, "question": qid}).json()
    assert data["question"]["type"] == "knowledge" and data["misconceptions"] and data["model_answer"]
    other = api.post("/api/analyze", json={"answer": COMPLETE, "question": "conflict-coworker"}).json()
    assert "misconceptions" not in other


def test_progress_page_shows_topics_of_knowledge_answers(web: TestClient, coach: Any, tmp_path: Path) -> None:
    answer(web, imported_question(coach, tmp_path), COMPLETE)
    page = web.get("/progress").text
    assert 'id="topic-chart"' in page and "Day 99: Hypothesis Tests" in page
