"""View data for a spoken answer's timeline: STAR bands over the seconds, pauses, and the pace line,
in the coordinates of an inline SVG (the CSP forbids inline styles, so geometry goes in attributes)."""

from __future__ import annotations

from typing import Any

WIDTH = 1000
PACE_TOP, PACE_HEIGHT, PACE_MAX = 44, 36, 240  # the pace line's lane and its full-scale words per minute


def _x(t: float, span: float) -> float:
    return round(t / span * WIDTH, 1) if span > 0 else 0.0


def timeline(analysis: dict[str, Any]) -> dict[str, Any] | None:
    """Bands, pauses, pace points and tick marks for ``_timeline.html``; None for a typed answer."""
    speech = analysis.get("speech")
    if not speech:
        return None
    span = max(float(speech.get("duration") or 0), *(float(s["end"]) for s in speech["sentences"]), 1.0)
    bands = [{"star": s["star"], "x": _x(s["start"], span), "w": max(1.0, _x(s["end"] - s["start"], span)),
              "start": s["start"], "end": s["end"]} for s in speech["sentences"]]
    pauses = [{"x": _x(p["start"], span), "w": _x(p["seconds"], span), **p} for p in speech["pauses"]]
    pace = " ".join(
        f"{_x((p['start'] + p['end']) / 2, span)},"
        f"{round(PACE_TOP + PACE_HEIGHT * (1 - min(p['wpm'], PACE_MAX) / PACE_MAX), 1)}"
        for p in speech["pace"]
    )
    step = 10 if span <= 150 else 30
    ticks = [{"x": _x(t, span), "label": f"{t // 60}:{t % 60:02d}"} for t in range(0, int(span) + 1, step)]
    return {"bands": bands, "pauses": pauses, "pace": pace, "ticks": ticks, "width": WIDTH, "speech": speech}
