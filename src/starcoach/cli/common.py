"""What every command shares: the Coach for this invocation, consoles, and JSON output.

Errors are not handled here: ``main.run`` translates ``StarcoachError`` once for all commands.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from starcoach.service import Coach

    out: Console  # standard output, for people
    err: Console  # standard error: one-line errors and warnings


def __getattr__(name: str) -> Any:
    """``out`` and ``err`` are made on first use: importing rich costs about 20 ms, which
    ``starcoach analyze --json`` (plain JSON on stdout) does not need to pay."""
    if name in ("out", "err"):
        from rich.console import Console

        made = globals()
        made.setdefault("out", Console(highlight=False, soft_wrap=False))
        made.setdefault("err", Console(stderr=True, highlight=False, soft_wrap=True))
        return made[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def escape(text: str) -> str:
    """rich's markup escape, imported when first needed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)

_state: dict[str, Any] = {"home": None, "database_url": None, "coach": None}


def set_home(home: str | None, database_url: str | None = None) -> None:
    _state["home"] = home
    _state["database_url"] = database_url


def state_home() -> str | None:
    home: str | None = _state["home"]
    return home


def state_database_url() -> str | None:
    url: str | None = _state["database_url"]
    return url


def coach() -> Coach:
    """The Coach for this process, created on first use."""
    if _state["coach"] is None:
        from starcoach.service import open_coach

        _state["coach"] = open_coach(_state["home"], database_url=_state["database_url"])
    c: Coach = _state["coach"]
    return c


def close() -> None:
    if _state["coach"] is not None:
        _state["coach"].close()
        _state["coach"] = None


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (stable key order, UTF-8)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
