"""The stored compiled patterns (starcoach.rx): equal to a fresh re.compile, and covering the analyzer."""

from __future__ import annotations

import json
import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

from starcoach import rx

STORED = rx._read(rx.CACHE_FILE)
SHIPPED_FOR = marshal.loads(rx.CACHE_FILE.read_bytes())["engine"]
# The file is written with the project's Python (3.11); another one ignores it and compiles as usual.
other_engine = pytest.mark.skipif(SHIPPED_FOR != rx.ENGINE, reason="rx_cache.marshal is for another Python")


@other_engine
def test_the_shipped_file_is_read_and_every_entry_equals_a_fresh_compile() -> None:
    assert len(STORED) > 100
    for pattern, flags in STORED:
        fresh = re.compile(pattern, flags)
        ours = rx.compile(pattern, flags)
        # Pattern equality compares the pattern, its flags and the engine code, byte for byte.
        assert ours == fresh and ours.groupindex == fresh.groupindex and ours.groups == fresh.groups, pattern


@other_engine
def test_the_analyzer_compiles_no_pattern_the_file_lacks() -> None:
    """Fails when a cue pattern changed and the file was not rebuilt (the analyzer would still be right,
    only slower to start)."""
    code = (
        "import json\n"
        "from starcoach import rx\n"
        "from starcoach.analysis.pipeline import analyze\n"
        "analyze('We missed the deadline twice. I split the job and it ran 40% faster.', 'Tell me about a time.')\n"
        "print(json.dumps(rx.MISSED))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(run.stdout) == [], "run scripts/build_rx_cache.py"


def test_a_pattern_not_stored_or_a_file_for_another_engine_compiles_as_usual(tmp_path: Path) -> None:
    new = r"(?P<word>zq+x)\b"
    assert (new, re.I) not in STORED
    assert rx.compile(new, re.I) == re.compile(new, re.I)
    assert (new, int(re.I)) in rx.MISSED
    other = tmp_path / "other.marshal"
    rx.write(other, [(new, 0)])
    assert rx._read(other)
    data = marshal.loads(other.read_bytes())
    data["engine"] = (2, 7, 0, 4, 0xFFFF)
    other.write_bytes(marshal.dumps(data))
    assert rx._read(other) == {}
    other.write_bytes(b"not marshal data")
    assert rx._read(other) == {}


@other_engine
@pytest.mark.parametrize("flags", [0, re.I])
def test_stored_patterns_match_like_fresh_ones(flags: int) -> None:
    text = "We Disagreed about the ROLLBACK; I mentored a junior engineer and cut costs by 40%."
    for pattern, f in list(STORED)[:40]:
        if f != flags:
            continue
        assert [m.span() for m in rx.compile(pattern, f).finditer(text.lower())] == \
            [m.span() for m in re.compile(pattern, f).finditer(text.lower())]
