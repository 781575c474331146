"""The STAR labeler and the embedder: decoding is consistent, weights load offline, output is stable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.analysis.embed import default_embedder, load_wordllama
from starcoach.analysis.labeler import LABELS, load_labeler, marginals, viterbi
from starcoach.errors import ModelUnavailableError

STORY = [
    "At my last job our deploys took three days because every release needed manual sign-off.",
    "My task was to cut that down without losing safety.",
    "I wrote a pipeline that ran the integration tests on every merge.",
    "I also met with the QA lead to agree on which checks could be automated.",
    "As a result, deploys now take about 40 minutes.",
]


def test_labels_a_plain_story_in_order() -> None:
    labels, presence = load_labeler().run(STORY)
    assert [lbl for lbl, _ in labels] == ["situation", "task", "action", "action", "result"]
    assert all(0.0 <= c <= 1.0 for _, c in labels)
    assert presence["result"] > 0.5 and presence["action"] > 0.5


def test_presence_drops_when_the_result_is_gone() -> None:
    _, presence = load_labeler().run(STORY[:-1])
    assert presence["result"] < 0.5


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.floats(-8, 0, allow_nan=False), min_size=5, max_size=5), min_size=1, max_size=12))
def test_marginals_are_distributions_and_viterbi_is_valid(rows: list[list[float]]) -> None:
    chain = load_labeler().chain
    lp = np.asarray(rows)
    marg = marginals(lp, chain)
    assert np.allclose(marg.sum(axis=1), 1.0)
    path = viterbi(lp, chain)
    assert len(path) == len(rows) and all(0 <= y < len(LABELS) for y in path)


def test_embedder_gives_unit_vectors_and_is_deterministic() -> None:
    emb = default_embedder()
    assert emb is not None
    a = emb.embed(["I rewrote the query.", ""])
    assert a.shape == (2, emb.dim)
    assert abs(float(np.linalg.norm(a[0])) - 1.0) < 1e-6 and float(np.linalg.norm(a[1])) == 0.0
    assert np.array_equal(a, emb.embed(["I rewrote the query.", ""]))


def test_missing_model_files_raise_model_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError):
        load_wordllama(tmp_path)


def test_labels_the_user_wrote_hold_for_the_lines_beneath() -> None:
    from starcoach.analysis.pipeline import analyze

    text = ("Situation: Model accuracy dropped after a data change. Task: Get it back. "
            "Action: Analyzed error cases. Found specific pattern. Switched to XGBoost. "
            "Result: Accuracy back to 92%.")
    stars = [s.star for s in analyze(text, "Tell me about a hard problem you solved").sentences]
    assert stars == ["situation", "task", "action", "action", "action", "result"]


def test_a_measured_outcome_after_the_actions_is_a_result() -> None:
    from starcoach.analysis.pipeline import analyze

    text = ("Our checkout database was hitting its limits during sales. I was asked to pick a migration plan. "
            "I compared a big-bang cutover with an incremental dual-write plan and reviewed both with the team. "
            "We picked the incremental option and shipped it two days early, with zero downtime and 30 percent "
            "lower query latency.")
    a = analyze(text, "Tell me about a time you made a technical decision")
    assert a.sentences[-1].star == "result" and "result" not in a.missing
