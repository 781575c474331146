"""The WordLlama tokenizer file: found and parsed without importing numpy.

Parsing it is most of the embedder's load (about 70 ms) and runs in Rust without the GIL, so
analysis/preload.py starts it first, before the imports it would otherwise wait behind; embed.py
takes the parsed tokenizer from here. Parsed once per process and file; nothing touches the network.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from starcoach.errors import ModelUnavailableError

WORDLLAMA_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"

_LOCK = threading.Lock()  # the preload thread may be parsing it while the analyzer asks for it


def wordllama_dir() -> Path:
    """Folder of the installed wordllama package, found without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise ModelUnavailableError("the 'wordllama' package is not installed; semantic checks are skipped")
    return Path(spec.origin).parent


def parsed_tokenizer(path: Path) -> Any:
    """``tokenizers.Tokenizer.from_file(path)`` without padding or truncation, parsed once."""
    with _LOCK:
        return _parse(str(path))


@lru_cache(maxsize=4)
def _parse(path: str) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as err:
        raise ModelUnavailableError("the 'tokenizers' package is missing; semantic checks are skipped") from err
    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer
