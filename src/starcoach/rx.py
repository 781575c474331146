"""Regular expressions whose compiled form is stored, so that a process does not compile them again.

The analyzer's cue patterns (long alternations of phrases) cost about 30 ms to parse and translate
into the regex engine's code in every ``starcoach analyze`` before it reads a word. :func:`compile`
returns the pattern ``re.compile`` returns (equal: same flags, groups and engine code) but, when
``rx_cache.marshal`` holds that pattern for this interpreter's regex engine, builds it from the stored
code with the engine's own constructor, which is the last step ``re.compile`` takes. A pattern the
file lacks (new, or changed since the file was written) or a file written for another engine is
compiled as usual: slower, never different. ``scripts/build_rx_cache.py`` writes the file;
tests/test_rx_cache.py fails when it no longer covers the analyzer's patterns or when a stored
entry differs from a fresh compile.
"""

from __future__ import annotations

import importlib
import marshal
import re
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

CACHE_FILE = Path(__file__).with_name("rx_cache.marshal")

_SRE: Any = importlib.import_module("_sre")  # the regex engine (no type stubs); its MAGIC versions the code
# The file is valid only for the engine that wrote it: same Python, code format and character range.
ENGINE = (sys.version_info[0], sys.version_info[1], _SRE.MAGIC, _SRE.CODESIZE, sys.maxunicode)

# (pattern, flags) -> (final flags, engine code, groups - 1, group index, index group): the arguments
# re._compiler.compile passes to the engine's constructor after parsing. The code is stored as the bytes
# of an unsigned array of the engine's code width (reading a list of ints would cost as much as parsing).
Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
Stored = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
Key = tuple[str, int]
_CODE = next(t for t in "IL" if array(t).itemsize == _SRE.CODESIZE)

_STORE: list[dict[Key, Stored]] = []
_LOCK = threading.Lock()  # the preload thread and the main thread may both compile at start-up
MISSED: list[Key] = []  # patterns compiled without the file in this process (scripts and tests read it)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the stored compiled form when there is one."""
    key = (pattern, int(flags))
    stored = _stored().get(key)
    if stored is None:
        MISSED.append(key)
        return re.compile(pattern, flags)
    final, code, groups, groupindex, indexgroup = stored
    rx: re.Pattern[str] = _SRE.compile(pattern, final, array(_CODE, code).tolist(), groups, groupindex, indexgroup)
    return rx


def _stored() -> dict[Key, Stored]:
    if not _STORE:
        with _LOCK:
            if not _STORE:
                _STORE.append(_read(CACHE_FILE))
    return _STORE[0]


def _read(path: Path) -> dict[Key, Stored]:
    """The stored entries, or none when the file is missing, unreadable or for another engine."""
    try:
        with path.open("rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("engine") != ENGINE or not isinstance(data.get("entries"), dict):
        return {}
    entries: dict[Key, Stored] = data["entries"]
    return entries


def entry(pattern: str, flags: int = 0) -> Entry:
    """What ``re.compile`` computes for this pattern before calling the engine (re._compiler.compile's
    steps, on its own parser and code generator), as plain ints, strings, lists and tuples."""
    parser: Any = importlib.import_module("re._parser")
    compiler: Any = importlib.import_module("re._compiler")
    flags = int(flags)
    parsed = parser.parse(pattern, flags)
    code = [int(op) for op in compiler._code(parsed, flags)]
    groupindex = {str(k): int(v) for k, v in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, int(parsed.state.groups - 1), groupindex, tuple(indexgroup)


def write(path: Path, keys: list[Key]) -> int:
    """Write the compiled form of these patterns for this interpreter's engine; returns how many."""
    entries: dict[Key, Stored] = {}
    for key in sorted(set(keys)):
        final, code, groups, groupindex, indexgroup = entry(*key)
        entries[key] = (final, array(_CODE, code).tobytes(), groups, groupindex, indexgroup)
    path.write_bytes(marshal.dumps({"engine": ENGINE, "entries": entries}))
    return len(entries)
