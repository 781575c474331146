"""The static embedder's word-by-word tokenization gives exactly the tokenizer's own ids.

embed.StaticEmbedder tokenizes word by word with a cache (BPE over a whole answer costs about a
microsecond per character). That is exact only for a tokenizer whose merges never join across a word
boundary: checked here on the shipped WordLlama file, then compared id for id on awkward texts.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.analysis.embed import StaticEmbedder, default_embedder
from starcoach.analysis.tokenizer_file import WORDLLAMA_TOKENIZER, wordllama_dir

BOUNDARY = "\u2581"


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = default_embedder()
    if emb is None:
        pytest.skip("wordllama is not installed")
    assert isinstance(emb, StaticEmbedder)
    return emb


def test_the_shipped_tokenizer_never_merges_across_words(embedder: StaticEmbedder) -> None:
    config = json.loads((wordllama_dir() / WORDLLAMA_TOKENIZER).read_text(encoding="utf-8"))
    assert config["pre_tokenizer"] is None and config["model"]["type"] == "BPE"
    assert config["model"]["dropout"] is None
    merges = [m.split(" ") if isinstance(m, str) else m for m in config["model"]["merges"]]
    across = [(a, b) for a, b in merges if BOUNDARY in b or BOUNDARY in a[1:]]
    assert across, "the file changed: re-check this property"
    assert all(set(a) == {BOUNDARY} and set(b) == {BOUNDARY} for a, b in across)  # only runs of spaces
    assert embedder._wordwise


@pytest.mark.parametrize("text", [
    "", " ", "word", "I fixed the build.", "two  spaces", " leading", "trailing ", "tab\there new\nline",
    "<s> special </s> and <unk>", f"a {BOUNDARY} b", "naïve café 日本語 😀 — “quotes”", "x" * 300,
    "I rewrote the query, and p99 fell from 2.4 s to 240 ms (a 10x drop).",
])
def test_word_by_word_ids_are_the_tokenizers_ids(embedder: StaticEmbedder, text: str) -> None:
    for _ in range(2):  # the second time from the word cache
        assert embedder.token_ids(text) == embedder._tok.encode(text, add_special_tokens=False).ids


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=12), max_size=12))
def test_any_text_tokenizes_the_same(words: list[str]) -> None:
    emb = default_embedder()
    if not isinstance(emb, StaticEmbedder):
        pytest.skip("wordllama is not installed")
    text = " ".join(words)
    assert emb.token_ids(text) == emb._tok.encode(text, add_special_tokens=False).ids
