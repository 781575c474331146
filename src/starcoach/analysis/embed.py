"""Sentence embeddings behind one small protocol, loaded lazily, offline only.

The default backend reads the static WordLlama vectors (``l2_supercat``, 32k tokens x 256 dims, fp16)
straight from the files inside the installed ``wordllama`` wheel: the tokenizer JSON through the
``tokenizers`` package and the weights by memory-mapping the safetensors file with numpy. We never
import ``wordllama`` itself: its loader looks for the tokenizer in the wrong folder and then tries to
download it. Nothing here touches the network; when the files are missing :func:`default_embedder`
returns ``None`` and the analysis skips its semantic checks (see docs/embeddings.md for the choice).
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from starcoach.analysis.tokenizer_file import WORDLLAMA_TOKENIZER, parsed_tokenizer, wordllama_dir
from starcoach.errors import ModelUnavailableError

Vectors = NDArray[np.float64]

WORDLLAMA_WEIGHTS = "weights/l2_supercat_256.safetensors"


class Embedder(Protocol):
    """Maps texts to L2-normalised vectors (one row per text)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _read_safetensors(path: Path, key: str) -> NDArray[Any]:
    """Memory-map one fp16/fp32 tensor from a safetensors file (no safetensors import needed)."""
    with path.open("rb") as fh:
        (hdr_len,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(hdr_len))
    meta = header[key]
    dtype = {"F16": np.float16, "F32": np.float32}[meta["dtype"]]
    begin, end = meta["data_offsets"]
    count = (end - begin) // np.dtype(dtype).itemsize
    arr = np.memmap(path, dtype=dtype, mode="r", offset=8 + hdr_len + begin, shape=(count,))
    # A plain ndarray view of the same mapping: indexing a memmap goes through its Python subclass
    # hooks, which cost more than the lookup itself for one sentence.
    table: NDArray[Any] = np.asarray(arr).reshape(meta["shape"])
    return table


WORD_CACHE_MAX = 100_000  # distinct words whose token ids are remembered per process
# The WordLlama tokenizer: no pre-tokenizer, a normalizer that only writes "▁" before the text and for
# every space, and a BPE whose only merges across a "▁" join runs of "▁" (checked on the shipped file
# by tests/test_analysis_embed.py). So a text without empty words (two spaces in a row, or one at
# either end) is tokenized word by word exactly as a whole: each "▁word" is merged on its own.
_WORDWISE_NORMALIZER = 'Sequence(normalizers=[Prepend(prepend="▁"), Replace(pattern=String(" "), content="▁")])'


def wordwise(tokenizer: Any) -> bool:
    """Does this tokenizer have the layout under which word-by-word ids equal whole-text ids?"""
    model = repr(getattr(tokenizer, "model", ""))
    return (repr(getattr(tokenizer, "normalizer", None)) == _WORDWISE_NORMALIZER
            and getattr(tokenizer, "pre_tokenizer", "") is None
            and model.startswith("BPE(dropout=None,"))


class StaticEmbedder:
    """Mean of static token vectors, L2-normalised. Microseconds per sentence.

    Speed: BPE over a whole sentence costs about 1 microsecond per character, and an answer is
    embedded whole and then sentence by sentence. For a tokenizer where it gives the same ids
    (:func:`wordwise`), words are tokenized one at a time and their ids remembered, so each distinct
    word is tokenized once per process; other text (special tokens, "▁", empty words) goes whole."""

    def __init__(self, name: str, tokenizer: Any, table: NDArray[Any]) -> None:
        self.name = name
        self._tok = tokenizer
        self._table = table
        self.dim = int(table.shape[1])
        self._cache: dict[str, NDArray[np.float64]] = {}
        self._wordwise = wordwise(tokenizer) and hasattr(tokenizer, "get_added_tokens_decoder")
        self._special = tuple(str(getattr(t, "content", t)) for t in _added_tokens(tokenizer))
        self._words: dict[str, list[int]] = {}

    def token_ids(self, text: str) -> list[int]:
        """The tokenizer's ids for ``text`` (without special tokens), word by word when that is exact."""
        words = text.split(" ")
        if not self._wordwise or "" in words or "\u2581" in text or any(t in text for t in self._special):
            ids: list[int] = self._tok.encode(text, add_special_tokens=False).ids
            return ids
        cache = self._words
        if len(cache) > WORD_CACHE_MAX:
            cache.clear()
        out: list[int] = []
        for w in words:
            hit = cache.get(w)
            if hit is None:
                # the BPE model on the normalized word ("▁" + word): the ids encode() gives, at a third
                # of the cost (no Encoding with offsets, masks and type ids is built)
                try:
                    hit = [t.id for t in self._tok.model.tokenize("\u2581" + w)]
                except UnicodeEncodeError:  # a lone surrogate: encode() raises its own error, as it did
                    hit = self._tok.encode(w, add_special_tokens=False).ids
                cache[w] = hit
            out += hit
        return out

    def _one(self, text: str) -> NDArray[np.float64]:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        ids = self.token_ids(text)
        vec: NDArray[np.float64] = np.zeros(self.dim)
        if ids:
            vec = np.asarray(self._table[np.asarray(ids, dtype=np.int64)], dtype=np.float64).mean(axis=0)
        norm = float(np.linalg.norm(vec))
        vec = vec / norm if norm > 0 else vec
        if len(self._cache) < 4096:
            self._cache[text] = vec
        return vec

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim))
        out: Vectors = np.vstack([self._one(t) for t in texts])
        return out


def _added_tokens(tokenizer: Any) -> list[Any]:
    """The tokenizer's added (special) tokens, which it splits out before anything else."""
    decoder = getattr(tokenizer, "get_added_tokens_decoder", None)
    return list(decoder().values()) if decoder is not None else []


def load_wordllama(root: Path | None = None) -> StaticEmbedder:
    """Load the WordLlama l2_supercat vectors by path. Raises ModelUnavailableError if missing."""
    base = root if root is not None else wordllama_dir()
    tok_path, w_path = base / WORDLLAMA_TOKENIZER, base / WORDLLAMA_WEIGHTS
    if not tok_path.is_file() or not w_path.is_file():
        raise ModelUnavailableError(f"WordLlama files not found under {base}; semantic checks are skipped")
    tokenizer = parsed_tokenizer(tok_path)
    table = _read_safetensors(w_path, "embedding.weight")
    return StaticEmbedder("wordllama-l2_supercat-256", tokenizer, table)


_LOAD_LOCK = threading.Lock()  # analysis/preload.py may be loading it in another thread


def default_embedder() -> Embedder | None:
    """The bundled embedder, or None when its files are not installed. Loaded once per process."""
    with _LOAD_LOCK:
        return _load_default()


@lru_cache(maxsize=1)
def _load_default() -> Embedder | None:
    try:
        return load_wordllama()
    except ModelUnavailableError:
        return None


def cosine(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Cosine similarity of two vectors (0 when either is zero)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b / (na * nb)) if na > 0 and nb > 0 else 0.0
