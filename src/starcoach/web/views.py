"""Pure helpers that turn service results into what the templates draw.

No I/O and no FastAPI here: highlighting an answer by its STAR sentences and flags (from the
offsets of the Analysis contract), and drawing small SVG charts on the server, so the pages need
no chart library and no inline script. Every piece of user text is escaped before it enters SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from markupsafe import Markup

STAR_NAMES = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Part:
    """A run of answer text, possibly a flagged phrase (filler, hedge, number...)."""

    text: str
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A labeled sentence (``star`` set) or the text between sentences (``star`` None)."""

    star: str | None
    confidence: float
    parts: tuple[Part, ...] = field(default=())


def _clip(start: Any, end: Any, size: int) -> tuple[int, int]:
    s = max(0, min(int(start), size))
    return s, max(s, min(int(end), size))


def _flag_parts(answer: str, start: int, end: int, flags: Sequence[tuple[int, int, str]]) -> tuple[Part, ...]:
    parts: list[Part] = []
    pos = start
    for f_start, f_end, kind in flags:
        f_start, f_end = max(f_start, pos), min(f_end, end)
        if f_start >= f_end:
            continue
        if f_start > pos:
            parts.append(Part(answer[pos:f_start]))
        parts.append(Part(answer[f_start:f_end], kind))
        pos = f_end
    if pos < end:
        parts.append(Part(answer[pos:end]))
    return tuple(parts)


def highlight(
    answer: str, sentences: Sequence[Mapping[str, Any]], flags: Sequence[Mapping[str, Any]] = ()
) -> list[Segment]:
    """The whole answer as segments: each sentence with its STAR label, flags marked inside.

    Offsets come from the Analysis contract; out-of-range or overlapping ones are clipped, so the
    segments always spell out exactly the original text.
    """
    size = len(answer)
    spans = sorted((*_clip(f["start"], f["end"], size), str(f["kind"])) for f in flags)
    segments: list[Segment] = []
    pos = 0
    for s in sorted(sentences, key=lambda s: int(s["start"])):
        start, end = _clip(s["start"], s["end"], size)
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            segments.append(Segment(None, 0.0, _flag_parts(answer, pos, start, spans)))
        segments.append(
            Segment(
                str(s.get("star", "other")),
                float(s.get("confidence", 0.0)),
                _flag_parts(answer, start, end, spans),
            )
        )
        pos = end
    if pos < size:
        segments.append(Segment(None, 0.0, _flag_parts(answer, pos, size, spans)))
    return segments


def star_counts(sentences: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many sentences carry each STAR label (all five keys present)."""
    counts = dict.fromkeys(STAR_NAMES, 0)
    for s in sentences:
        label = str(s.get("star", "other"))
        counts[label if label in counts else "other"] += 1
    return counts


def evidence_text(answer: str, evidence: Sequence[int] | None, limit: int = 160) -> str:
    """The words of the answer behind a covered talking point, shortened for display."""
    if not evidence or len(evidence) != 2:
        return ""
    start, end = _clip(evidence[0], evidence[1], len(answer))
    text = " ".join(answer[start:end].split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def local_time(at: datetime, tz: tzinfo, with_time: bool = True) -> str:
    """A stored UTC time as the user reads it: 'Mon 2 Mar 2026, 10:00'."""
    local = at.astimezone(tz)
    day = f"{local:%a} {local.day} {local:%b %Y}"
    return f"{day}, {local:%H:%M}" if with_time else day


def score_class(score: float, top: float = 100) -> str:
    """A CSS class for a score: low, mid or high (thirds of the scale)."""
    ratio = score / top if top else 0
    return "high" if ratio >= 0.7 else "mid" if ratio >= 0.45 else "low"


def heat_class(value: float) -> str:
    """A CSS class heat-0 .. heat-4 for a 0..1 strength (a heatmap cell)."""
    return f"heat-{max(0, min(4, round(float(value) * 4)))}"


def _plot_points(
    values: Sequence[float], box: tuple[float, float, float, float], y_max: float
) -> list[tuple[float, float]]:
    """Screen (x, y) of each value in the box (left, top, width, height); one value sits in the middle."""
    left, top, w, h = box
    step = w / max(1, len(values) - 1)
    return [
        (left + (i * step if len(values) > 1 else w / 2), top + h * (1 - max(0.0, min(float(v), y_max)) / y_max))
        for i, v in enumerate(values)
    ]


def line_chart(
    series: Sequence[tuple[str, float]],
    *,
    title: str,
    y_max: float = 100,
    width: int = 520,
    height: int = 220,
) -> Markup:
    """An accessible SVG line chart of (label, value) points, e.g. scores over attempts."""
    pad_l, pad_r, pad_t, pad_b = 36, 26, 14, 30
    inner_h = height - pad_t - pad_b
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = pad_t + inner_h * (1 - tick)
        out.append(f'<line class="grid" x1="{pad_l}" y1="{y:.1f}" x2="{width - pad_r}" y2="{y:.1f}"/>')
        tv = round(y_max * tick)
        out.append(f'<text class="tick" x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">{tv}</text>')
    if not series:
        out.append(f'<text class="tick" x="{width / 2}" y="{height / 2}" text-anchor="middle">no data yet</text>')
        return Markup("".join(out) + "</svg>")
    pts = _plot_points([v for _, v in series], (pad_l, pad_t, width - pad_l - pad_r, inner_h), y_max)
    out.append('<polyline class="line" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
    every = max(1, len(series) // 8)
    for i, ((label, value), (x, y)) in enumerate(zip(series, pts, strict=True)):
        tip = f"{escape(label)}: {value:g}"
        out.append(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{tip}</title></circle>')
        if i % every == 0 or i == len(series) - 1:
            out.append(f'<text class="tick" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    return Markup("".join(out) + "</svg>")


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, x_max: float = 5, width: int = 520, row_h: int = 28
) -> Markup:
    """A horizontal SVG bar chart of (label, value), e.g. average score per competency."""
    label_w, pad = 210, 8
    height = max(1, len(rows)) * row_h + pad * 2
    bar_w = width - label_w - 44
    out = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        w = bar_w * max(0.0, min(float(value), x_max)) / x_max if x_max else 0
        cls = score_class(float(value), x_max)
        short = label if len(label) <= 26 else label[:25].rstrip() + "…"
        out.append(
            f'<text class="label" x="{label_w - 8}" y="{y + row_h * 0.65:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        out.append(f'<rect class="track" x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}" rx="4"/>')
        out.append(f'<rect class="bar {cls}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="4"/>')
        out.append(f'<text class="value" x="{label_w + bar_w + 8}" y="{y + row_h * 0.65:.1f}">{value:.1f}</text>')
    return Markup("".join(out) + "</svg>")
