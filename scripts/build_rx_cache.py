#!/usr/bin/env python3
"""Write ``src/starcoach/rx_cache.marshal``: the compiled form of every pattern the analyzer compiles
through ``starcoach.rx`` (see that module), for the running interpreter's regex engine.

    .venv/bin/python scripts/build_rx_cache.py      # after changing a cue pattern (make rx-cache)

It imports the analyzer with the file ignored, so that every pattern is compiled the usual way and
recorded, runs two analyses (patterns compiled on first use), and writes the recorded patterns.
"""

from __future__ import annotations

from starcoach import rx


def main() -> None:
    rx._STORE.append({})  # ignore the current file: every pattern is compiled and recorded
    from starcoach.analysis.pipeline import analyze

    analyze("We missed the deadline twice. I split the job and it ran 40% faster.",
            "Tell me about a time you fixed a slow job.")
    analyze("I led the migration.", None)
    count = rx.write(rx.CACHE_FILE, rx.MISSED)
    print(f"{rx.CACHE_FILE}: {count} patterns, {rx.CACHE_FILE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
