"""qtypes._cues formats only the cues it shows: the result must equal formatting every cue first."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.bank.qtypes import _READABLE, _cues, bucket, features, load_model

_FEATS = st.sampled_from(["'tell'", "'me about'", "~#te", "~tel", "~ell#", "@past-you", "@people", "'a'", "~#a#"])


def _format_all(feats: list[str], margin: np.ndarray, top: int = 3) -> tuple[str, ...]:
    best: dict[str, float] = {}
    for f, m in zip(feats, margin.tolist(), strict=True):
        best[f] = best.get(f, 0.0) + m
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    words = [f"{_READABLE.get(f, f)} {m:+.1f}" for f, m in ranked if m > 0 and not f.startswith("~")]
    chars = [f"{f} {m:+.1f}" for f, m in ranked if m > 0 and f.startswith("~")]
    return tuple((words or chars)[:top]) or ("prior",)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_FEATS, st.floats(-3, 3, allow_nan=False)), max_size=12), st.integers(1, 4))
def test_cues_equal_formatting_everything(pairs: list[tuple[str, float]], top: int) -> None:
    feats = [f for f, _ in pairs]
    margin = np.asarray([m for _, m in pairs], dtype=np.float32)
    assert _cues(feats, margin, top) == _format_all(feats, margin, top)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_cues_equal_on_real_features(text: str) -> None:
    feats = features(text)
    if feats:
        model = load_model()
        contrib = model.weights[[bucket(f) for f in feats]]
        margin = contrib[:, 0] - contrib[:, 1]
        assert _cues(feats, margin) == _format_all(feats, margin)
