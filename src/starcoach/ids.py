"""Typed ids and slugs. Imports nothing from starcoach.

Ids are plain strings at run time (cheap, JSON-friendly) but distinct types for mypy, so a
``StoryId`` cannot be passed where a ``QuestionId`` is expected.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NewType

QuestionId = NewType("QuestionId", str)
BankId = NewType("BankId", str)
StoryId = NewType("StoryId", str)
AttemptId = NewType("AttemptId", str)

LOCAL_OWNER = "local"  # whose data a local (single-user) starcoach holds; team mode names each account

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII slug of ``text``: 'Tell me about a time…' -> 'tell-me-about-a-time'."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", norm.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "item"
