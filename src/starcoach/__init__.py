"""starcoach: an offline coach for behavioral job interviews.

The public Python API. Importing this package is cheap; heavy parts load on first use::

    from starcoach import analyze, open_coach
    result = analyze("In my last role ...", "Tell me about a time you failed.")
    print(result.score)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starcoach.errors import StarcoachError

if TYPE_CHECKING:
    from starcoach.analysis.pipeline import analyze
    from starcoach.service import Coach, open_coach

__all__ = ["Coach", "StarcoachError", "analyze", "open_coach"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "analyze":
        from starcoach.analysis.pipeline import analyze

        return analyze
    if name in ("Coach", "open_coach"):
        from starcoach import service

        return getattr(service, name)
    raise AttributeError(f"module 'starcoach' has no attribute {name!r}")
