"""Server-rendered SVG charts: no JavaScript, no inline CSS (the CSP forbids both).

Shapes carry classes styled by ``app.css``; colours of the map scale come from a small
fixed palette as SVG presentation attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

# A tile grid of the states, DC and the territories: (row, column).
US_TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "WI": (2, 7), "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "GU": (7, 1), "TX": (7, 4), "FL": (7, 9), "PR": (7, 10), "VI": (7, 11),
}  # fmt: skip
# Sequential blues, light to dark; index 0 is "none".
PALETTE = ("#eef1f5", "#d6e4f0", "#a9c8e3", "#74a7d1", "#4283bd", "#1f5f9e", "#0d3d6e")


def _fmt(n: int) -> str:
    return f"{n:,}"


def state_map(counts: dict[str, int], *, tile: int = 44, gap: int = 4) -> Markup:
    """A US tile map, darker where more people live. Unknown state is listed below it."""
    top = max((v for k, v in counts.items() if k in US_TILES), default=0)
    step = tile + gap
    width = 12 * step
    height = 8 * step + 26
    parts = [
        f'<svg class="chart map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Affected people by state" xmlns="http://www.w3.org/2000/svg">'
    ]
    for code, (r, c) in US_TILES.items():
        n = counts.get(code, 0)
        level = 0 if n == 0 or top == 0 else 1 + min(5, int(6 * n / (top + 1)))
        fill = PALETTE[level]
        text_cls = "tile-label dark" if level >= 4 else "tile-label"
        x, y = c * step, r * step
        parts.append(
            f"<g><title>{code}: {_fmt(n)}</title>"
            f'<rect class="tile" x="{x}" y="{y}" width="{tile}" height="{tile}" rx="4" '
            f'fill="{fill}"/>'
            f'<text class="{text_cls}" x="{x + tile / 2}" y="{y + 18}" text-anchor="middle">'
            f"{code}</text>"
            f'<text class="{text_cls} small" x="{x + tile / 2}" y="{y + 34}" '
            f'text-anchor="middle">{_short(n)}</text></g>'
        )
    unknown = sum(v for k, v in counts.items() if k not in US_TILES)
    parts.append(
        f'<text class="axis-label" x="0" y="{height - 6}">State unknown or outside the US: '
        f"{_fmt(unknown)}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(n: int) -> str:
    if n == 0:
        return ""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n // 1000}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)


def bar_chart(
    items: Sequence[tuple[str, int]], *, label: str, width: int = 520, max_items: int = 21
) -> Markup:
    """Horizontal bars, largest first as given, with the count at the end of each bar."""
    rows = list(items)[:max_items]
    if not rows:
        return Markup('<p class="muted">No data yet.</p>')
    bar_h, gap, label_w, num_w = 18, 6, 190, 70
    top = max(v for _, v in rows) or 1
    height = len(rows) * (bar_h + gap)
    plot_w = width - label_w - num_w
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, v) in enumerate(rows):
        y = i * (bar_h + gap)
        w = max(1.0, plot_w * v / top)
        parts.append(
            f"<g><title>{escape(name)}: {_fmt(v)}</title>"
            f'<text class="bar-label" x="{label_w - 8}" y="{y + 13}" text-anchor="end">'
            f"{escape(_clip(name, 28))}</text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2"/>'
            f'<text class="bar-value" x="{label_w + w + 6:.1f}" y="{y + 13}">{_fmt(v)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def timeline(events: Sequence[tuple[dt.date, str, str]], *, width: int = 1200) -> Markup:
    """Dated events on one axis: (date, label, kind) with kind access|discovery|deadline."""
    evs = sorted(events)
    if not evs:
        return Markup('<p class="muted">No dates yet.</p>')
    start, end = evs[0][0], evs[-1][0]
    span = max(1, (end - start).days)
    pad = 90
    height = 40 + 22 * min(len(evs), 8) + 10
    axis_y = 30
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Timeline" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{pad}" y1="{axis_y}" x2="{width - pad}" y2="{axis_y}"/>',
    ]
    plot = width - 2 * pad
    for i, (day, text, kind) in enumerate(evs):
        x = pad + plot * (day - start).days / span
        row = i % 8
        ly = axis_y + 22 + 22 * row
        anchor = "end" if x > width * 0.65 else "start"
        lx = x - 4 if anchor == "end" else x + 4
        parts.append(
            f"<g><title>{day.isoformat()}: {escape(text)}</title>"
            f'<line class="tick {kind}" x1="{x:.1f}" y1="{axis_y - 8}" x2="{x:.1f}" y2="{ly - 4}"/>'
            f'<circle class="dot {kind}" cx="{x:.1f}" cy="{axis_y}" r="5"/>'
            f'<text class="event-label" x="{lx:.1f}" y="{ly + 8}" text-anchor="{anchor}">'
            f"{day.isoformat()} \u2014 {escape(_clip(text, 60))}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def interval_bar(estimate: float, low: float, high: float, *, width: int = 260) -> Markup:
    """A 0-100 % scale with the point estimate and its confidence interval."""
    pad = 10
    plot = width - 2 * pad

    def x(v: float) -> float:
        return pad + plot * max(0.0, min(1.0, v))

    return Markup(
        f'<svg class="chart ci" viewBox="0 0 {width} 28" role="img" '
        f'aria-label="{estimate:.1%} (95% CI {low:.1%} to {high:.1%})" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<line class="axis" x1="{pad}" y1="14" x2="{width - pad}" y2="14"/>'
        f'<rect class="ci-range" x="{x(low):.1f}" y="8" width="{max(1.0, x(high) - x(low)):.1f}" '
        'height="12" rx="3"/>'
        f'<circle class="ci-point" cx="{x(estimate):.1f}" cy="14" r="5"/></svg>'
    )
