"""Server-rendered SVG charts for the summary report (no JavaScript, no plotting library)."""

from __future__ import annotations

import datetime as dt
from html import escape

_NAVY = "#1f3a5f"
_GRID = "#d5dce5"
_FONT = "font-family='Liberation Sans, DejaVu Sans, sans-serif'"


def bar_chart(
    data: list[tuple[str, int]], *, width: int = 500, bar: int = 14, label_width: int = 170
) -> str:
    """Horizontal bars, largest first as given, each labelled with its value."""
    if not data:
        return ""
    top = max(v for _k, v in data) or 1
    gap = 5
    plot = width - label_width - 60
    height = len(data) * (bar + gap) + 6
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'>"
    ]
    for i, (label, value) in enumerate(data):
        y = 3 + i * (bar + gap)
        w = max(1.0, plot * value / top)
        parts.append(
            f"<text x='{label_width - 6}' y='{y + bar - 3}' text-anchor='end' font-size='9' "
            f"{_FONT} fill='#333'>{escape(label[:34])}</text>"
            f"<rect x='{label_width}' y='{y}' width='{w:.1f}' height='{bar}' fill='{_NAVY}' rx='1.5'/>"
            f"<text x='{label_width + w + 4:.1f}' y='{y + bar - 3}' font-size='9' {_FONT} "
            f"fill='#333'>{value:,}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline(events: list[tuple[dt.date, str, str]], *, width: int = 640) -> str:
    """Dates as a Gantt-style list: a label column, and a track with each date's position.

    kind: 'access' (the intrusion), 'event' (discovery, letters) or 'due' (deadlines).
    """
    if not events:
        return ""
    days = [d for d, _l, _k in events]
    lo, hi = min(days), max(days)
    span = max((hi - lo).days, 1)
    label_w = 330
    left, right = label_w + 10, width - 12
    row = 15
    height = 24 + len(events) * row

    def x(d: dt.date) -> float:
        return left + (right - left) * (d - lo).days / span

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'>",
        f"<text x='{left}' y='10' font-size='8' {_FONT} fill='#555'>{lo.isoformat()}</text>",
        f"<text x='{right}' y='10' font-size='8' text-anchor='end' {_FONT} fill='#555'>"
        f"{hi.isoformat()}</text>",
    ]
    colours = {"access": "#b03a2e", "event": _NAVY, "due": "#9a6b00"}
    for i, (d, label, kind) in enumerate(sorted(events)):
        y = 22 + i * row
        c = colours.get(kind, _NAVY)
        text = f"{d.isoformat()}  {label}"
        parts.append(
            f"<text x='0' y='{y + 3}' font-size='8.5' {_FONT} fill='#222'>{escape(text[:68])}</text>"
            f"<line x1='{left}' y1='{y}' x2='{right}' y2='{y}' stroke='{_GRID}'/>"
            f"<circle cx='{x(d):.1f}' cy='{y}' r='3.2' fill='{c}'/>"
        )
    parts.append("</svg>")
    return "".join(parts)
