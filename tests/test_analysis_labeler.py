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


SPEECH = ("so um basically we had this outage and i was on call so i looked at the logs and found the bad "
          "deploy and rolled it back and after that we added a canary stage and we never had that again")


def test_labeler_output_is_pinned() -> None:
    """Exact labels, confidences and presence for a typed and a spoken answer (speed work must not
    change a digit; retraining the model is the only reason to update these)."""
    from starcoach.analysis.segment import split_sentences

    lab = load_labeler()
    assert lab.run(STORY) == (
        [("situation", 1.0), ("task", 0.994), ("action", 0.991), ("action", 0.996), ("result", 0.979)],
        {"situation": 0.9269, "action": 0.9743, "result": 0.9327})
    spoken = [s.text for s in split_sentences(SPEECH)]
    assert lab.run(spoken) == (
        [("situation", 1.0), ("task", 0.711), ("action", 0.996), ("result", 0.706), ("result", 0.978)],
        {"situation": 0.9313, "action": 0.9403, "result": 0.9662})


def _slow_log_probs(sentences: list[str]) -> np.ndarray:
    """The reference computation: look up every key of ngrams.answer_keys in a plain dict."""
    from starcoach.analysis.labeler import _logsumexp
    from starcoach.analysis.ngrams import answer_keys, position_features

    lab = load_labeler()
    index = {k.decode(): i for i, k in enumerate(lab.vocab.tolist())}
    n = len(sentences)
    logits = np.asarray([position_features(i, n) for i in range(n)]) @ lab.w_pos + lab.bias
    for i, ks in enumerate(answer_keys(sentences)):
        idx = [index[k] for k in ks if k in index]
        if idx:
            w = lab.idf[idx]
            logits[i] += (w / np.sqrt(float(w @ w))) @ lab.w_keys[idx]
    return np.asarray(logits - _logsumexp(logits, axis=1)[:, None])


@pytest.mark.parametrize("sentences", [
    STORY, STORY[::-1], ["Um.", "", "zzzzqqqq xylophone-ish 12,000ms!!", "I I I we we."],
    ["a" * 60 + " " + "b" * 45, "Result: we shipped 3x faster, saving $40k a month."],
])
def test_cached_lookup_equals_the_training_keys(sentences: list[str]) -> None:
    """Per-token caching and binary search give bit-for-bit the sums over the sorted training keys."""
    lab = load_labeler()
    for _ in range(2):  # the second pass reads the token cache
        assert np.array_equal(lab.log_probs(sentences), _slow_log_probs(sentences))


def test_saved_weights_round_trip(tmp_path: Path) -> None:
    from starcoach.analysis.labeler import StarLabeler, save_arrays

    lab = load_labeler()
    arrays = {"vocab": np.asarray("\n".join(k.decode() for k in lab.vocab.tolist())), "idf": lab.idf,
              "w_keys": lab.w_keys, "w_pos": lab.w_pos, "bias": lab.bias, "log_start": lab.chain.log_start,
              "log_trans": lab.chain.log_trans, "log_end": lab.chain.log_end, "alpha": np.asarray(lab.chain.alpha)}
    save_arrays(str(tmp_path / "w.npz"), arrays)
    with np.load(tmp_path / "w.npz", allow_pickle=False) as a:
        again = StarLabeler.from_arrays(dict(a))
    assert np.array_equal(again.vocab, lab.vocab)
    assert np.array_equal(again.log_probs(STORY), lab.log_probs(STORY))
    arrays["vocab"] = np.asarray("b:x\na:y")
    with pytest.raises(ValueError):
        save_arrays(str(tmp_path / "bad.npz"), arrays)


def test_a_full_token_cache_is_emptied_without_changing_results(monkeypatch: pytest.MonkeyPatch) -> None:
    import starcoach.analysis.labeler as labeler_module

    lab = load_labeler()
    before = lab.log_probs(STORY)
    monkeypatch.setattr(labeler_module, "TOKEN_CACHE_MAX", 3)
    assert np.array_equal(lab.log_probs(STORY), before)
    assert len(lab._tokens) <= 3 + len({t for s in STORY for t in s.lower().split()})
