"""Company profiles: principles and values that steer practice, name what a question probes, map to stories."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from starcoach.bank.builtin import builtin_bank
from starcoach.bank.companies import COMPANIES, company, probed_principle
from starcoach.bank.taxonomy import AMAZON_LP, is_competency
from starcoach.errors import InputError
from tests.cli_helpers import one_error_line, sc
from tests.inproc_cli import fresh_coach, run  # noqa: F401 (fresh_coach is an autouse fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def test_amazon_and_six_more_companies_have_profiles_on_our_competencies() -> None:
    for name in ("amazon", "google", "meta", "microsoft", "apple", "netflix", "stripe"):
        profile = company(name.upper())
        assert len(profile.principles) >= 5
        for p in profile.principles:
            assert p.name and p.summary and p.competencies
            assert all(is_competency(c) for c in p.competencies), (name, p.id)
    amazon = company("amazon")
    assert len(amazon.principles) == 16 and [p.id for p in amazon.principles] == list(AMAZON_LP)
    with pytest.raises(InputError, match="known: amazon, apple"):
        company("initech")


def test_the_principle_a_question_probes() -> None:
    amazon, netflix = COMPANIES["amazon"], COMPANIES["netflix"]
    assert probed_principle(amazon, ("customer", "communication")).name == "Customer Obsession"  # type: ignore[union-attr]
    assert probed_principle(amazon, ("disagree-manager",)).id == "have-backbone-disagree-and-commit"  # type: ignore[union-attr]
    assert probed_principle(netflix, ("feedback",)).name == "Candor"  # type: ignore[union-attr]
    assert probed_principle(netflix, ()) is None


def test_company_practice_spreads_questions_over_the_principles(coach: Any) -> None:
    picks = coach.choose_practice(5, company="amazon")
    principles = [coach.company_principle("amazon", p.question) for p in picks]
    assert all(principles) and len({p.id for p in principles}) == 5
    stripe = coach.choose_practice(4, company="stripe")
    assert all(coach.company_principle("stripe", p.question) for p in stripe)


def test_practice_company_names_the_principle_on_the_question_shown() -> None:
    result = run("practice", "--company", "amazon", "-n", "1", "--no-follow-up", stdin=":skip\n")
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stdout.splitlines() if "Amazon leadership principle:" in ln)
    names = {p.name for p in COMPANIES["amazon"].principles}
    assert any(n in line for n in names)


def test_an_unknown_company_is_one_line(starcoach_home: Path) -> None:
    assert "known: amazon" in one_error_line(sc("practice", "--company", "initech", home=starcoach_home, stdin=""))


def test_stories_coverage_maps_each_principle_to_the_users_stories() -> None:
    assert run("stories", "import", str(FIXTURES / "stories.md")).exit_code == 0
    out = run("stories", "coverage", "--company", "amazon", "--json")
    assert out.exit_code == 0, out.output
    rows = {r["key"]: r for r in json.loads(out.stdout)["principles"]}
    assert len(rows) == 16
    assert rows["hire-and-develop-the-best"]["best"].startswith("mentoring-a-new-graduate")
    assert rows["have-backbone-disagree-and-commit"]["best"].startswith("pushing-back-on-launching")
    text = run("stories", "coverage", "--company", "netflix").stdout
    assert "Stories by Netflix value" in text


def test_the_web_practice_page_names_the_principle_and_keeps_the_company(web: TestClient) -> None:
    r = web.get("/practice", params={"company": "amazon"}, follow_redirects=False)
    assert r.status_code == 303 and "company=amazon" in r.headers["location"]
    page = web.get(r.headers["location"]).text
    assert 'id="principle"' in page and "Amazon leadership principle" in page
    assert 'name="company" value="amazon"' in page
    assert web.get("/practice", params={"company": "initech"}).status_code == 400


def test_the_bank_has_questions_for_every_company_profile() -> None:
    bank = builtin_bank().questions
    for profile in COMPANIES.values():
        probed = {p.id for q in bank if (p := probed_principle(profile, q.competencies))}
        assert len(probed) >= len(profile.principles) // 2, profile.id


def test_the_result_page_keeps_practising_for_the_company(web: TestClient) -> None:
    from tests.web_support import GOOD_ANSWER, csrf_of

    data = {"csrf_token": csrf_of(web.app), "answer": GOOD_ANSWER, "question_id": "conflict-coworker",  # type: ignore[arg-type]
            "company": "netflix"}
    r = web.post("/practice", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?company=netflix")
    page = web.get(r.headers["location"]).text
    assert re.search(r'id="next-btn"', page) and "company=netflix" in page


def test_suggest_names_the_principle_the_question_probes() -> None:
    assert run("stories", "import", str(FIXTURES / "stories.md")).exit_code == 0
    out = run("stories", "suggest", "Tell me about a time you disagreed with your manager", "--company", "amazon")
    assert out.exit_code == 0, out.output
    assert "Amazon leadership principle: Have Backbone; Disagree and Commit" in out.stdout
    assert "Pushing back on launching a biased ranking model" in out.stdout.split("\n1.", 1)[1].split("\n")[0]
