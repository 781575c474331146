"""What every command shares: the Coach for this invocation, consoles, and JSON output.

Errors are not handled here: ``main.run`` translates ``StarcoachError`` once for all commands.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from starcoach.service import Coach

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

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
