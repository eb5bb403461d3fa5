"""Bar charts of a report's rows as inline SVG, drawn on the server: one row per group, each a link down to it.

Three charts, one per dashboard block: the campaign (counts: offers, accepted, in force), coverage (rates on a
0–100 % axis, each bar with its target marked), and the funnel (cases that reached a state, and those there now).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

BARS = (("offers", "#1f5fa8"), ("accepted", "#2e8540"), ("effective", "#b35c00"))
RATES = (("coverage", "#1f5fa8"), ("coverage_50", "#2e8540"), ("coverage_100", "#7a3e9d"))
STEPS = (("reached", "#1f5fa8"), ("now", "#b35c00"))
ROW = 44
LABEL = 132
WIDTH = 420


def _short(name: str, room: float = LABEL - 10) -> str:
    """The name, cut with an ellipsis to fit the label column at 16 px (a Chinese character 16 px, Latin about 8.5)."""
    def w(text: str) -> float:
        return sum(16 if ord(ch) > 0x2E80 else 8.5 for ch in text)

    if w(name) <= room:
        return name
    while name and w(name) + 16 > room:
        name = name[:-1]
    return name.rstrip() + "…"


def _open(ident: str, height: int, title: str, legend: Sequence[tuple[str, str]]) -> list[str]:
    out = [f'<svg class="chart" id="{escape(ident)}" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-labelledby="{escape(ident)}-title" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{escape(ident)}-title">{escape(title)}</title>']
    x = 0
    for text, color in legend:
        out.append(f'<rect x="{x}" y="6" width="13" height="13" fill="{color}"/>'
                   f'<text x="{x + 17}" y="17" class="legend">{escape(text)}</text>')
        x += 17 + _width(text) + 14
    return out


def _width(text: str) -> int:
    """About how wide a 13 px legend text is drawn (a Chinese character is square, a Latin one about half)."""
    return round(sum(13 if ord(ch) > 0x2E80 else 7.2 for ch in text))


def _rows(out: list[str], items: Sequence[tuple[str, str]], bars: Sequence[Sequence[tuple[str, float, str, str]]],
          target_marks: Sequence[Sequence[float | None]] | None = None) -> None:
    """Each item (href, name) a link holding its bars: (color, fraction of the axis, value text, tooltip)."""
    span = WIDTH - LABEL - 44
    for i, ((href, name), group) in enumerate(zip(items, bars, strict=True)):
        y = 34 + i * ROW
        out.append(f'<a href="{escape(href)}" class="bar-link">'
                   f'<rect x="0" y="{y - 2}" width="{WIDTH}" height="{ROW - 4}" class="bar-hit"/>'
                   f'<text x="0" y="{y + 23}" class="bar-label">{escape(_short(name))}</text>')
        marks = target_marks[i] if target_marks else [None] * len(group)
        for j, ((color, share, text, tip), mark) in enumerate(zip(group, marks, strict=True)):
            w = max(1, round(span * min(share, 1.0))) if share > 0 else 0
            by = y + j * 13
            if target_marks:  # a rate: its lane is the whole 0–100 % axis, the figure written after it
                out.append(f'<rect x="{LABEL}" y="{by}" width="{span}" height="11" class="track"/>')
            out.append(f'<rect x="{LABEL}" y="{by}" width="{w}" height="11" fill="{color}"><title>{escape(tip)}</title></rect>')
            if mark is not None:  # the target: a black tick across the bar's lane
                mx = LABEL + round(span * mark)
                out.append(f'<line x1="{mx}" y1="{by - 1}" x2="{mx}" y2="{by + 12}" class="target"/>')
            tx = LABEL + span + 6 if target_marks else LABEL + w + 4
            out.append(f'<text x="{tx}" y="{by + 10}" class="bar-value">{escape(text)}</text>')
        out.append("</a>")


def bar_chart(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str], link: str, title: str,
              ident: str = "chart-campaign") -> str:
    """SVG with three bars per group (offers, accepted, in force), each group a link to `link.format(code=...)`."""
    rows = [r for r in rows if r.get("group")]
    top = max([int(r.get(k) or 0) for r in rows for k, _ in BARS] + [1])
    out = _open(ident, 34 + ROW * len(rows) + 10, title, [(labels.get(k, k), color) for k, color in BARS])
    items = [(link.format(code=str(r["group"])), str(r.get("group_name") or r["group"])) for r in rows]
    bars = [[(color, int(r.get(k) or 0) / top, str(int(r.get(k) or 0)), f"{name} {labels.get(k, k)}: {int(r.get(k) or 0)}")
             for k, color in BARS] for r, (_, name) in zip(rows, items, strict=True)]
    _rows(out, items, bars)
    out.append("</svg>")
    return "".join(out)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def coverage_chart(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str], targets: Mapping[str, float], link: str,
                   title: str, target_word: str, ident: str = "chart-coverage") -> str:
    """SVG with the three coverage rates per group on a 0–100 % axis, each bar's target a tick; a group is a link."""
    rows = [r for r in rows if r.get("group")]
    legend = [(labels.get(k, k), color) for k, color in RATES]
    out = _open(ident, 34 + ROW * len(rows) + 10, title, legend)
    items = [(link.format(code=str(r["group"])), str(r.get("group_name") or r["group"])) for r in rows]
    bars = [[(color, float(r.get(k) or 0.0), _pct(r.get(k)),
              f"{name} {labels.get(k, k)}: {_pct(r.get(k))} ({target_word} {_pct(targets.get(k))})") for k, color in RATES]
            for r, (_, name) in zip(rows, items, strict=True)]
    _rows(out, items, bars, [[targets.get(k) for k, _ in RATES] for _ in rows])
    x = WIDTH - _width(target_word) - 12  # the tick's legend, at the right
    out.append(f'<line x1="{x - 6}" y1="5" x2="{x - 6}" y2="20" class="target"/>'
               f'<text x="{x}" y="17" class="legend">{escape(target_word)}</text>')
    out.append("</svg>")
    return "".join(out)


def funnel_chart(rows: Sequence[Mapping[str, Any]], labels: Mapping[str, str], link: str, title: str,
                 ident: str = "chart-funnel") -> str:
    """SVG with two bars per state (reached, there now); each state a link to `link.format(state=...)`."""
    rows = [r for r in rows if int(r.get("reached") or 0) or int(r.get("now") or 0)]
    top = max([int(r.get(k) or 0) for r in rows for k, _ in STEPS] + [1])
    out = _open(ident, 34 + ROW * len(rows) + 10, title, [(labels.get(k, k), color) for k, color in STEPS])
    items = [(link.format(state=str(r["state"])), str(r.get("group_name") or r["state"])) for r in rows]
    bars = [[(color, int(r.get(k) or 0) / top, str(int(r.get(k) or 0)), f"{name} {labels.get(k, k)}: {int(r.get(k) or 0)}")
             for k, color in STEPS] for r, (_, name) in zip(rows, items, strict=True)]
    _rows(out, items, bars)
    out.append("</svg>")
    return "".join(out)
