"""Alembic migrations of the starcoach schema (append-only).

Each feature grows its own branch from the base revision; ``alembic upgrade heads`` applies all.
``KNOWN_REVISIONS`` and ``HEADS`` let the store decide without importing Alembic whether a
database is current, needs an upgrade, or is newer than this code. When you add a revision, add it
here too: ``tests/test_store.py`` checks both sets against Alembic's own script directory.
Revision ids equal the file name's prefix (``0001_banks.py`` -> ``"0001"``).
"""

from __future__ import annotations

KNOWN_REVISIONS: frozenset[str] = frozenset({"0001"})
HEADS: frozenset[str] = frozenset({"0001"})
