"""Alembic migrations of the starcoach schema (append-only).

Each feature grows its own branch from the base revision ``0001``; ``alembic upgrade heads``
applies all. ``KNOWN_REVISIONS`` and ``HEADS`` let the store decide without importing Alembic (slow)
whether a database is current, needs an upgrade, or was written by a newer starcoach. They are read
from the ``revision = "..."`` and ``down_revision = ...`` lines of the version files, so a new
migration needs no other registration; ``tests/test_store.py`` checks them against Alembic itself.
"""

from __future__ import annotations

import re
from pathlib import Path

_REV = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)
_ID = re.compile(r"['\"]([^'\"]+)['\"]")


def _scan() -> tuple[frozenset[str], frozenset[str]]:
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((Path(__file__).parent / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        rev, down = _REV.search(text), _DOWN.search(text)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        if down is not None:
            parents.update(_ID.findall(down.group(1)))
    return frozenset(revisions), frozenset(revisions - parents)


KNOWN_REVISIONS, HEADS = _scan()
