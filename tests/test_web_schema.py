"""Schemathesis against the OpenAPI schema: generated requests never cause a 5xx, and every response
matches the schema (status code documented, body shaped as described).

Each operation of ``/openapi.json`` gets its own test, run with Hypothesis on an app over a fresh
data dir that already holds a story and an attempt: positive cases (what the schema allows) for all,
negative cases (what it forbids, which must get a 4xx) for those with a body or limited parameters.
Schema-valid requests may still get a 4xx: the API checks meaning the schema cannot state (an
answer with no words, an unknown competency id), so schemathesis' "positive data is accepted"
check is left out; every other check runs. Calls authenticate like a script does (bearer token);
the browser path (cookie + CSRF) is covered by ``test_web_security``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from tests.web_support import GOOD_ANSWER, TOKEN, make_app  # noqa: E402

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _constrained(op: dict[str, Any]) -> bool:
    """Whether a request can break the schema at all (a body, or a query with limits or a type)."""
    if "requestBody" in op:
        return True
    text = str([p for p in op.get("parameters", []) if p.get("in") == "query"])
    return any(k in text for k in ("maxLength", "minLength", "minimum", "maximum", "integer"))


def _operations() -> list[tuple[str, str, str]]:
    from starcoach.web.app import create_app

    paths = create_app(lambda: None, token=TOKEN).openapi()["paths"]  # type: ignore[arg-type, return-value]
    found = [(m.upper(), p, "positive") for p, item in paths.items() for m in item]
    found += [(m.upper(), p, "negative") for p, item in paths.items() for m, op in item.items() if _constrained(op)]
    return found


OPERATIONS = _operations()


def seeded_app(coach: Any) -> Any:
    from fastapi.testclient import TestClient

    app = make_app(coach, extra_hosts=["testserver"])  # the Host schemathesis' test client sends
    client = TestClient(app, headers=AUTH)
    story = {
        "title": "Seed story",
        "situation": "An outage hit payments.",
        "action": "I rolled back and I added a canary.",
        "result": "Errors fell 90% in a day.",
    }
    assert client.post("/api/stories", json=story).status_code == 201
    attempt = {"question": "conflict-coworker", "answer": GOOD_ANSWER}
    assert client.post("/api/attempts", json=attempt).status_code == 201
    return app


def test_every_api_operation_is_in_the_schema() -> None:
    assert len([o for o in OPERATIONS if o[2] == "positive"]) >= 25
    assert len([o for o in OPERATIONS if o[2] == "negative"]) >= 10
    assert all(p.startswith("/api/") for _, p, _ in OPERATIONS)


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS)
def test_api_matches_its_schema_and_never_fails_inside(coach: Any, method: str, path: str, mode: str) -> None:
    """Positive: requests the schema allows. Negative: requests it forbids, which must get a 4xx."""
    from schemathesis.generation.modes import GenerationMode

    schema = schemathesis.openapi.from_asgi("/openapi.json", seeded_app(coach), headers=AUTH)
    operation = schema[path][method]

    @given(case=operation.as_strategy(GenerationMode(mode)))
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        response = case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])
        assert response.status_code < 500

    check()
