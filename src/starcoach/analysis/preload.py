"""Load the analyzer's models in a background thread while a command imports the analyzer.

Parsing the embedder's tokenizer (most of its load) runs in Rust without the GIL and starts first,
before this thread imports numpy (analysis/tokenizer_file.py), and reading the
labeler's arrays is mostly file I/O, so both overlap with the main thread importing numpy and the
analysis modules: ``starcoach analyze`` starts this first and the models are ready when it needs them.
The loaders hold a lock each, so nothing is loaded twice and a caller simply waits for the load in
progress. A load that fails here is ignored; the analysis meets the same error and reports it.
"""

from __future__ import annotations

import threading

_STARTED: list[threading.Thread] = []


def start() -> None:
    """Start the background load once per process."""
    if _STARTED:
        return
    thread = threading.Thread(target=_load, name="starcoach-preload", daemon=True)
    _STARTED.append(thread)
    thread.start()


def wait() -> None:
    """Wait until the background load (if one was started) has finished, e.g. before forking."""
    for thread in _STARTED:
        thread.join()


def _load() -> None:
    import contextlib

    from starcoach.analysis.tokenizer_file import WORDLLAMA_TOKENIZER, parsed_tokenizer, wordllama_dir

    # First, and before numpy: parsing the tokenizer frees the GIL for the main thread's imports. A
    # failure is left to the embedder's own load, which meets the same error and reports it.
    with contextlib.suppress(Exception):
        parsed_tokenizer(wordllama_dir() / WORDLLAMA_TOKENIZER)
    from starcoach.analysis.embed import default_embedder
    from starcoach.analysis.labeler import load_labeler
    from starcoach.errors import StarcoachError

    default_embedder()
    try:
        load_labeler()
    except StarcoachError:
        return
