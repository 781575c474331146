"""How a spoken answer sounded, in the terminal: length against the target, pace, pauses, fillers,
and a bar of the seconds spent on each STAR part. Rendering only: the numbers come from
``analysis.speech``."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

STYLES = {"situation": "blue", "task": "magenta", "action": "green", "result": "yellow", "other": "dim"}
BAR = 48


def render_speech(out: Console, speech: dict[str, Any]) -> None:
    lo, hi = speech["target"]
    fill = speech["fillers"]
    out.print(
        f"[bold]Spoken[/bold] {speech['speaking_seconds']:.0f} s ({speech['length']}, target {lo}-{hi} s) · "
        f"{speech['wpm']:.0f} words/min · {len(speech['pauses'])} long pause(s) · "
        f"{fill['per_minute']:.1f} fillers/min"
    )
    out.print(_bar(speech["parts"]))
    for name, part in speech["parts"].items():
        if part["seconds"]:
            out.print(f"  [{STYLES[name]}]■[/] {name:<9} {part['seconds']:>5.1f} s  {part['share']:>4.0%}  "
                      f"{part['wpm']:>4.0f} wpm")
    for p in speech["pauses"]:
        where = p["before"] if p["before"] == p["after"] else f"{p['before']} → {p['after']}"
        out.print(f"  [dim]pause {p['seconds']:.1f} s at {p['start']:.1f} s ({where})[/dim]")
    for note in speech.get("notes", ()):
        out.print(f"  • {note}", markup=False)


def _bar(parts: dict[str, dict[str, float]]) -> Text:
    bar = Text("  ")
    for name, part in parts.items():
        bar.append("█" * round(part["share"] * BAR), style=STYLES[name])
    return bar
