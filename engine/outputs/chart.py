"""Reports as a chart for a slide (PNG, matplotlib Agg): bars per group, rates as markers, targets as lines.

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
    from matplotlib.figure import Figure

    family = cjk_font() if font == AUTO else font
    warning = None
    if family is None:
        warning = ("未找到中文字体（如 fonts-noto-cjk），图表改用英文标签和代码；安装后重新生成即可显示中文",
                   "no Chinese font found (install fonts-noto-cjk): the chart uses English labels and codes instead")
        lang = "en"
    rc: dict[str, Any] = {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "axes.unicode_minus": False}
    with plt.rc_context(rc):  # type: ignore[arg-type]
        fig = Figure(figsize=(12.8, 7.2), dpi=150)
        ax = fig.add_subplot()
        _draw(fig, ax, report, lang, chinese_ok=family is not None)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    return Rendered(buf.getvalue(), family, warning)


def _labels(report: Report, lang: str, chinese_ok: bool) -> list[str]:
    out = []
    for i, r in enumerate(report.main.rows):
        name = str(r.get("group_name") or r.get(report.group_key) or "")
        key = str(r.get(report.group_key) or "")
        if not chinese_ok and not _latin(name):
            name = key if key and _latin(key) else f"#{i + 1}"
        out.append(name)
    return out


def _draw(fig: Any, ax: Any, report: Report, lang: str, *, chinese_ok: bool) -> None:
    rows = report.main.rows
    cols = {c.key: c for c in report.columns}
    labels = _labels(report, lang, chinese_ok)
    n = len(rows)
    xs = list(range(n))
    nb = max(1, len(report.chart.bars))
    width = 0.8 / nb
    for k, key in enumerate(report.chart.bars):
        values = [r.get(key) or 0 for r in rows]
        offs = [x - 0.4 + width * (k + 0.5) for x in xs]
        bars = ax.bar(offs, values, width=width * 0.95, color=COLORS[k % len(COLORS)], label=cols[key].label(lang))
        if n <= 16:
            ax.bar_label(bars, labels=[f"{v:,}" if v else "" for v in values], fontsize=7, padding=2)
    ax.set_xticks(xs)
    rotate = n > 5 or sum(_width(x) for x in labels) > 90
    ax.set_xticklabels(labels, rotation=30 if rotate else 0, ha="right" if rotate else "center", fontsize=9)
    ax.set_ylabel("数量" if lang == "zh" else "count")
    ax.yaxis.set_major_locator(_integers())
    ax.spines[["top"]].set_visible(False)
    handles, names = ax.get_legend_handles_labels()
    if report.chart.rates:
        ax2 = ax.twinx()
        _rates(ax2, report, lang, xs)
        ax2.set_ylim(0, 1.12)
        ax2.yaxis.set_major_formatter(_percent())
        ax2.set_ylabel("比率" if lang == "zh" else "rate")
        ax2.spines[["top"]].set_visible(False)
        h2, n2 = ax2.get_legend_handles_labels()
        handles, names = handles + h2, names + n2
    longest = max((_width(x) for x in labels), default=0) if rotate else 0
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.007 * longest), ncol=min(3, len(names)),
              fontsize=8, frameon=False)
    title = report.title(lang)
    if not chinese_ok:
        title = _without_cjk(report.title_en)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    sub = _subtitle(report, lang)
    if sub and (chinese_ok or _latin(sub)):
        ax.set_title(sub, fontsize=9, color="#555555")


def _rates(ax2: Any, report: Report, lang: str, xs: list[int]) -> None:
    """Each rate as a marker per group (spread across the group, no lines: groups are not a series), its value
    written above; the comparison year as hollow markers; each target once as a dashed line."""
    cols = {c.key: c for c in report.columns}
    rows = report.main.rows
    nr = len(report.chart.rates)
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
    for k, key in enumerate(report.chart.rates):
        color = RATE_COLORS[k % len(RATE_COLORS)]
        shift = (k - (nr - 1) / 2) * (0.6 / max(nr, 1))
        pts = [(x + shift, r.get(key)) for x, r in zip(xs, rows) if r.get(key) is not None]
        ax2.plot([p[0] for p in pts], [p[1] for p in pts], "D", color=color, markersize=7, label=cols[key].label(lang))
        for x, v in pts:
            ax2.annotate(f"{v:.0%}", (x, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7,
                         color=color, bbox=box)
        if report.compare is not None:
            old = {r.get(report.group_key): r.get(key) for r in report.compare.rows}
            cpts = [(x + shift, old.get(r.get(report.group_key))) for x, r in zip(xs, rows)]
            cpts = [(x, v) for x, v in cpts if v is not None]
            ax2.plot([p[0] for p in cpts], [p[1] for p in cpts], "D", markerfacecolor="none", color=color, markersize=8,
                     label=f"{cols[key].label(lang)}（{report.compare.label}）" if lang == "zh"
                     else f"{cols[key].label(lang)} ({report.compare.label})")
    by_value: dict[float, list[str]] = {}
    for key in report.chart.rates:
        if key in report.chart.targets:
            by_value.setdefault(report.chart.targets[key], []).append(cols[key].label(lang))
    for value, names in by_value.items():
        sep = "、" if lang == "zh" else ", "
        label = f"目标 {value:.0%}：{sep.join(names)}" if lang == "zh" else f"target {value:.0%}: {sep.join(names)}"
        ax2.axhline(value, color="#555555", linestyle="--", linewidth=0.9, label=label)


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


def _integers() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
