"""A point's Markdown as safe HTML, with formulas left for MathJax (Anki backs, the web app).

Raw HTML in the source is escaped, never passed through; ``$...$`` and ``$$...$$`` are kept verbatim
inside MathJax delimiters ``\\(...\\)`` and ``\\[...\\]`` (Markdown must not turn ``a_i * b_j`` into
emphasis). Pure function over strings; markdown-it-py is imported on first use.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.DOTALL)
_SLOT = "STARCOACHMATH{}X"


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def markdown_html(text: str) -> str:
    """A point's Markdown as HTML for Anki: formulas kept verbatim inside MathJax delimiters, raw
    HTML escaped, a single paragraph unwrapped."""
    maths: list[str] = []

    def hold(m: re.Match[str]) -> str:
        block = m.group(1) is not None
        body = m.group(1) if block else m.group(2)
        maths.append((r"\[" + body.strip() + r"\]") if block else (r"\(" + body + r"\)"))
        return _SLOT.format(len(maths) - 1)

    out = str(_markdown().render(_MATH.sub(hold, text))).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    for i, math in enumerate(maths):
        out = out.replace(_SLOT.format(i), html.escape(math))
    return out
