"""'Your answer, restructured' in the terminal: the user's sentences under S/T/A/R headings.

Rendering only (see ``starcoach.analysis.outline``): the user's words print plain, our notes and
prompts print dim and in square brackets so nobody mistakes them for their own answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from starcoach.analysis.types import Analysis

_STYLES = {"situation": "blue", "task": "magenta", "action": "green", "result": "yellow"}


def show_outline(out: Console, analysis: Analysis) -> None:
    """Print the outline of ``analysis``; nothing for answers that want no story."""
    from starcoach.analysis.outline import outline

    found = outline(analysis)
    if found is None:
        return
    out.print("\n[bold]Your answer, restructured[/bold] [dim](your sentences in STAR order)[/dim]")
    for part in found.parts:
        style = _STYLES.get(part.part, "bold")
        out.print(f"[bold {style}]{part.name}[/bold {style}]")
        for sentence in part.sentences:
            out.print(f"  {escape(sentence)}")
        for ours in (part.note, part.prompt):
            if ours:
                out.print(f"  [dim]\\[{escape(ours)}][/dim]")
    if found.left_out:
        n = found.left_out
        out.print(f"[dim]\\[{n} sentence{'' if n == 1 else 's'} that fit no STAR part left out.][/dim]")
