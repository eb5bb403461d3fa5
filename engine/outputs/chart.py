"""Reports as a chart for a slide (PNG, matplotlib Agg): counts as bars in one panel, rates as markers in a second
panel on a 0–100% axis with each target as its own labelled line, so no marker sits on a bar of another quantity.

Chinese labels need a CJK font. We look for one through matplotlib's font manager (Debian's
fonts-noto-cjk gives "Noto Sans CJK SC") and check it really has Chinese glyphs. Without one, the
chart falls back to English labels and codes instead of Chinese names, and says so: a chart of
empty boxes is worse than none. BARGAIN_CJK_FONT names a font family to use, or `none` to force
the fallback.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from typing import Any

from engine.reports.model import RATE, Report

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK TC",
    "Noto Sans CJK JP", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Noto Serif CJK SC", "AR PL UMing CN",
)
PROBE = "工会要约应约率"
COLORS = ("#1F4E79", "#5B9BD5", "#A5A5A5", "#ED7D31", "#70AD47")
RATE_COLORS = ("#C00000", "#7030A0", "#00B050")


@dataclass(frozen=True)
class Rendered:
    """The PNG and, when Chinese could not be shown, the warning to print."""

    png: bytes
    font: str | None
    warning: tuple[str, str] | None = None


def _has_glyphs(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        face = FT2Font(path)
        return all(face.get_char_index(ord(ch)) for ch in PROBE)
    except Exception:  # unreadable font file: not usable
        return False


def cjk_font() -> str | None:
    """The family name of an installed font that renders Chinese, or None."""
    from matplotlib import font_manager

    wanted = os.environ.get("BARGAIN_CJK_FONT", "").strip()
    if wanted.lower() == "none":
        return None
    by_name: dict[str, str] = {}
    for f in font_manager.fontManager.ttflist:
        by_name.setdefault(f.name, f.fname)
    candidates = ([wanted] if wanted else []) + list(CJK_FAMILIES)
    candidates += sorted(n for n in by_name if "CJK" in n or "Han Sans" in n or "Hei" in n)
    for name in candidates:
        path = by_name.get(name)
        if path and _has_glyphs(path):
            return name
    return None


AUTO = "auto"
_CJK = re.compile(r"[\u2e80-\U0002ffff]+")


def _latin(text: str) -> bool:
    """Whether the text renders without a CJK font (DejaVu Sans covers everything below U+2E80)."""
    return not _CJK.search(text)


def _without_cjk(text: str) -> str:
    return re.sub(r"\s+", " ", _CJK.sub("", text)).replace("( ", "(").strip()


def render_png(report: Report, lang: str, *, font: str | None = AUTO) -> Rendered:
    """The report's chart as PNG bytes (16:9, 150 dpi); font: a family name, None for no CJK font, or AUTO to look."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = cjk_font() if font == AUTO else font
    warning = None
    if family is None:
        warning = ("未找到中文字体（如 fonts-noto-cjk），图表改用英文标签和代码；安装后重新生成即可显示中文",
                   "no Chinese font found (install fonts-noto-cjk): the chart uses English labels and codes instead")
    with plt.rc_context(_rc(family)):  # type: ignore[arg-type]
        fig = build_figure(report, lang, family=family)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    return Rendered(buf.getvalue(), family, warning)


def _rc(family: str | None) -> dict[str, Any]:
    return {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "axes.unicode_minus": False}


COUNTS = "counts"  # the label (Axes.get_label) of the counts panel
RATES = "rates"  # and of the rates panel
EMPTY = ("所选范围内没有数据", "No data for this selection")
TARGET_STYLES = ("--", ":", "-.")


def build_figure(report: Report, lang: str, *, family: str | None) -> Any:
    """The chart as a matplotlib Figure: counts as bars in one panel, rates as markers in another (0–100%) with
    each target as its own labelled line; the comparison year beside; a note instead of axes when there is no data.
    family None: no CJK font, so English labels and codes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    chinese_ok = family is not None
    if not chinese_ok:
        lang = "en"
    with plt.rc_context(_rc(family)):  # type: ignore[arg-type]
        fig = Figure(figsize=(12.8, 7.2), dpi=150)
        title = report.title(lang) if chinese_ok else _without_cjk(report.title_en)
        fig.suptitle(title, fontsize=14, fontweight="bold")
        if _is_empty(report):
            ax = fig.add_subplot()
            ax.set_label(COUNTS)
            ax.set_axis_off()
            ax.text(0.5, 0.5, EMPTY[0 if lang == "zh" else 1], ha="center", va="center", fontsize=16, color="#555555",
                    transform=ax.transAxes)
            return fig
        if report.chart.rates:
            ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": (3, 2), "hspace": 0.08})
        else:
            ax, ax2 = fig.add_subplot(), None
        labels = _labels(report, lang, chinese_ok)
        xs = list(range(len(report.main.rows)))
        ax.set_label(COUNTS)
        _counts(ax, report, lang, xs)
        bottom = ax
        if ax2 is not None:
            ax2.set_label(RATES)
            _rates(ax2, report, lang, xs)
            bottom = ax2
        rotate = len(xs) > 5 or sum(_width(x) for x in labels) > 90
        bottom.set_xticks(xs)
        bottom.set_xticklabels(labels, rotation=30 if rotate else 0, ha="right" if rotate else "center", fontsize=9)
        sub = _subtitle(report, lang)
        if sub and (chinese_ok or _latin(sub)):
            ax.set_title(sub, fontsize=9, color="#555555")
    return fig


LABEL_MAX = 40  # characters of a bar's label


def _labels(report: Report, lang: str, chinese_ok: bool) -> list[str]:
    out = []
    for i, r in enumerate(report.main.rows):
        name = str(r.get("group_name") or r.get(report.group_key) or "")
        key = str(r.get(report.group_key) or "")
        if not chinese_ok and not _latin(name):
            name = key if key and _latin(key) else f"#{i + 1}"
        out.append(name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…")  # a name stored long: never a huge axis
    return out


def _is_empty(report: Report) -> bool:
    """No groups, or nothing to count and no rate to show."""
    rows = report.main.rows
    if not rows:
        return True
    counts = any(r.get(k) for r in rows for k in report.chart.bars)
    rates = any(r.get(k) is not None for r in rows for k in report.chart.rates)
    return not counts and not rates


def _series_label(label: str, section: str, lang: str) -> str:
    return f"{label}（{section}）" if lang == "zh" else f"{label} ({section})"


def _counts(ax: Any, report: Report, lang: str, xs: list[int]) -> None:
    """Bars per group, one colour per count; with a comparison each count's other year beside it, hatched."""
    cols = {c.key: c for c in report.columns}
    rows = report.main.rows
    years = [(report.main, False)] + ([(report.compare, True)] if report.compare is not None else [])
    old = {r.get(report.group_key): r for r in report.compare.rows} if report.compare is not None else {}
    nb = max(1, len(report.chart.bars) * len(years))
    width = 0.8 / nb
    k = 0
    for b, key in enumerate(report.chart.bars):
        for section, is_old in years:
            source = [old.get(r.get(report.group_key), {}) for r in rows] if is_old else list(rows)
            values = [v.get(key) or 0 for v in source]
            offs = [x - 0.4 + width * (k + 0.5) for x in xs]
            label = cols[key].label(lang)
            if report.compare is not None:
                label = _series_label(label, section.label, lang)
            bars = ax.bar(offs, values, width=width * 0.95, color=COLORS[b % len(COLORS)], label=label,
                          alpha=0.45 if is_old else 1.0, hatch="//" if is_old else None, edgecolor="white" if not is_old else None)
            if len(xs) * nb <= 48:
                ax.bar_label(bars, labels=[f"{v:,}" if v else "" for v in values], fontsize=7, padding=2)
            k += 1
    ax.set_ylabel("数量" if lang == "zh" else "count")
    ax.yaxis.set_major_locator(_integers())
    ax.yaxis.set_major_formatter(_thousands())
    ax.set_ylim(0, max(1.0, ax.get_ylim()[1] * 1.08))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _rates(ax: Any, report: Report, lang: str, xs: list[int]) -> None:
    """Each rate as a marker per group (spread across the group, no lines: groups are not a series), its value
    written above; the comparison year as hollow markers; each target as its own line in the rate's colour and
    its own dash style, labelled at the right end."""
    cols = {c.key: c for c in report.columns}
    rows = report.main.rows
    nr = len(report.chart.rates)
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
    for k, key in enumerate(report.chart.rates):
        color = RATE_COLORS[k % len(RATE_COLORS)]
        shift = (k - (nr - 1) / 2) * (0.6 / max(nr, 1))
        pts = [(x + shift, r.get(key)) for x, r in zip(xs, rows) if r.get(key) is not None]
        label = cols[key].label(lang)
        if report.compare is not None:
            label = _series_label(label, report.main.label, lang)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "D", color=color, markersize=7, label=label)
        for x, v in pts:
            ax.annotate(f"{v:.0%}", (x, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7,
                        color=color, bbox=box)
        if report.compare is not None:
            old = {r.get(report.group_key): r.get(key) for r in report.compare.rows}
            cpts = [(x + shift, old.get(r.get(report.group_key))) for x, r in zip(xs, rows)]
            cpts = [(x, v) for x, v in cpts if v is not None]
            ax.plot([p[0] for p in cpts], [p[1] for p in cpts], "D", markerfacecolor="none", color=color, markersize=8,
                    label=_series_label(cols[key].label(lang), report.compare.label, lang))
    targets = [(k, key, report.chart.targets[key]) for k, key in enumerate(report.chart.rates) if key in report.chart.targets]
    same: dict[float, int] = {}
    for n, (k, key, value) in enumerate(targets):
        color = RATE_COLORS[k % len(RATE_COLORS)]
        text = (f"目标 {value:.0%}：{cols[key].label(lang)}" if lang == "zh" else f"target {value:.0%}: {cols[key].label(lang)}")
        nth = same.get(value, 0)
        same[value] = nth + 1
        line = ax.axhline(value, color=color, linestyle=TARGET_STYLES[n % len(TARGET_STYLES)], linewidth=1.1,
                          label="_" + text, zorder=1)  # labelled at its end, so not in the legend
        line.set_gid(f"target:{key}")
        # In the right margin, at the line's height; lines at the same value: each label one step lower.
        ax.annotate(text, (1.0, value), xycoords=("axes fraction", "data"), xytext=(4, -10 * nth),
                    textcoords="offset points", ha="left", va="center", fontsize=7.5, color=color, gid=f"target:{key}")
    ax.set_ylim(0, 1.15)
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylabel("比率" if lang == "zh" else "rate")
    ax.spines[["top", "right"]].set_visible(False)
    top = 1.0 - (0.12 * (len(same) + sum(same.values())) if targets else 0.0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, max(top, 0.6)), fontsize=8, frameon=False)


def _subtitle(report: Report, lang: str) -> str:
    total = report.main.total
    if not total:
        return "  ·  ".join(note[0 if lang == "zh" else 1] for note in report.notes)
    parts = []
    for c in report.columns:
        if c.key in report.chart.bars or c.key in report.chart.rates:
            v = total.get(c.key)
            if v is not None:
                parts.append(f"{c.label(lang)} {v:.1%}" if c.kind == RATE else f"{c.label(lang)} {v:,}")
    head = "合计：" if lang == "zh" else "total: "
    return head + ("，" if lang == "zh" else ", ").join(parts)


def _width(text: str) -> int:
    """Display width: a Chinese character is as wide as two Latin ones."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def _integers() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
