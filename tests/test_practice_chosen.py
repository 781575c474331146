"""Practising a question the user chose, in the terminal and the browser, and the restructured answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.cli_helpers import one_error_line, sc
from tests.inproc_cli import fresh_coach, run  # noqa: F401 (fresh_coach is an autouse fixture)
from tests.practice_helpers import STRONG


def test_practice_question_asks_exactly_the_chosen_questions_in_order() -> None:
    stdin = f"{STRONG}\n\n\n:skip\n{STRONG}\n\n\n:skip\n"
    result = run("practice", "--question", "conflict-coworker", "-q", "challenging-project", "--no-follow-up",
                 "--json", stdin=stdin)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [a["question_id"] for a in summary["attempts"]] == ["conflict-coworker", "challenging-project"]


def test_practice_question_shows_the_chosen_question_and_the_restructured_answer() -> None:
    result = run("practice", "--question", "conflict-coworker", "--no-follow-up", stdin=f"{STRONG}\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Question 1/1" in result.stdout and "you chose it" in result.stdout
    assert "Your answer, restructured" in result.stdout
    assert re.search(r"Action\n  I ", result.stdout)


def test_an_unknown_chosen_question_is_one_line_through_the_real_command(starcoach_home: Path) -> None:
    line = one_error_line(sc("practice", "--question", "no-such-question", home=starcoach_home, stdin=""))
    assert "no-such-question" in line


def test_the_web_practice_page_keeps_its_question_on_reload(web: TestClient) -> None:
    r = web.get("/practice", follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/practice?q=")
    first = web.get(location).text
    qtext = re.search(r'id="question-text"[^>]*>(.*?)<', first, re.S)
    assert qtext and "Chosen because" in first
    for _ in range(3):  # a reload asks the same question
        again = re.search(r'id="question-text"[^>]*>(.*?)<', web.get(location).text, re.S)
        assert again and again.group(1) == qtext.group(1)


def test_next_question_moves_on_and_the_new_one_is_in_the_url(web: TestClient) -> None:
    first = web.get("/practice", follow_redirects=False).headers["location"]
    qid = re.search(r"q=([^&]+)", first)
    assert qid
    nxt = web.get("/practice", params={"skip": qid.group(1)}, follow_redirects=False)
    assert nxt.status_code == 303 and f"q={qid.group(1)}&" not in nxt.headers["location"]
