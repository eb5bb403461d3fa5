"""A bar chart of a report's rows as inline SVG, drawn on the server: one row per group, each a link down to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

BARS = (("offers", "#1f5fa8"), ("accepted", "#2e8540"), ("effective", "#b35c00"))
ROW = 44
LABEL = 132
WIDTH = 420


def _short(name: str) -> str:
    return name if len(name) <= 8 else name[:7] + "…"


def bar_chart(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str], link: str, title: str) -> str:
    """SVG with three bars per group (offers, accepted, in force), each group a link to `link.format(code=...)`."""
    rows = [r for r in rows if r.get("group")]
    top = max([int(r.get(k) or 0) for r in rows for k, _ in BARS] + [1])
    span = WIDTH - LABEL - 34
    height = 34 + ROW * len(rows) + 10
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title" '
           f'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>']
    x = 0
    for key, color in BARS:  # the legend
        out.append(f'<rect x="{x}" y="6" width="13" height="13" fill="{color}"/>'
                   f'<text x="{x + 17}" y="17" class="legend">{escape(labels.get(key, key))}</text>')
        x += 110
    for i, r in enumerate(rows):
        y = 34 + i * ROW
        code = str(r["group"])
        name = str(r.get("group_name") or code)
        out.append(f'<a href="{escape(link.format(code=code))}" class="bar-link">'
                   f'<rect x="0" y="{y - 2}" width="{WIDTH}" height="{ROW - 4}" class="bar-hit"/>'
                   f'<text x="0" y="{y + 23}" class="bar-label">{escape(_short(name))}</text>')
        for j, (key, color) in enumerate(BARS):
            value = int(r.get(key) or 0)
            w = max(1, round(span * value / top)) if value else 0
            by = y + j * 13
            out.append(f'<rect x="{LABEL}" y="{by}" width="{w}" height="11" fill="{color}">'
                       f'<title>{escape(name)} {escape(labels.get(key, key))}: {value}</title></rect>')
            if value or j == 0:
                out.append(f'<text x="{LABEL + w + 4}" y="{by + 10}" class="bar-value">{value}</text>')
        out.append("</a>")
    out.append("</svg>")
    return "".join(out)
