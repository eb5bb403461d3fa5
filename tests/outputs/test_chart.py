"""The chart read back from its matplotlib artists: counts and rates in separate panels, each target its own
labelled line on the rate axis, both years' counts in a comparison, a note instead of an axis when empty."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from engine.outputs.chart import COUNTS, RATES, build_figure, cjk_font
from engine.reports.model import Section
from tests.helpers import report_city


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return report_city.built_reports(tmp_path_factory.mktemp("chart"))


@pytest.fixture(scope="module")
def font() -> str:
    found = cjk_font()
    if found is None:
        pytest.fail("no CJK font: install fonts-noto-cjk (scripts/system-packages does)")
    return found


def panels(fig: Any) -> dict[str, Any]:
    return {ax.get_label(): ax for ax in fig.axes}


def bar_labels(ax: Any) -> list[str]:
    return [c.get_label() for c in ax.containers]


def test_counts_and_rates_are_drawn_in_separate_panels(reports: dict[str, Any], font: str) -> None:
    fig = build_figure(reports["campaign"], "zh", family=font)
    axes = panels(fig)
    assert set(axes) == {COUNTS, RATES}
    counts, rates = axes[COUNTS], axes[RATES]
    assert bar_labels(counts) == ["要约数", "上级工会要约", "应约数"]
    assert not rates.containers and not [ln for ln in counts.get_lines() if ln.get_marker() == "D"]
    markers = {ln.get_label(): list(ln.get_ydata()) for ln in rates.get_lines() if ln.get_marker() == "D"}
    assert set(markers) == {"上级要约占比", "应约率"}
    assert all(0 <= v <= 1 for vs in markers.values() for v in vs)
    assert rates.get_ylim() == (0, 1.15) and rates.yaxis.get_major_formatter()(0.9, 0) == "90%"


def test_the_count_axis_has_thousands_separators(reports: dict[str, Any], font: str) -> None:
    counts = panels(build_figure(reports["campaign"], "zh", family=font))[COUNTS]
    assert counts.yaxis.get_major_formatter()(15319, 0) == "15,319"


def test_coverage_targets_sit_on_the_rate_axis_each_with_its_own_style_and_label(reports: dict[str, Any], font: str) -> None:
    axes = panels(build_figure(reports["coverage"], "zh", family=font))
    targets = {ln.get_gid(): ln for ln in axes[RATES].get_lines() if str(ln.get_gid()).startswith("target:")}
    assert set(targets) == {"target:coverage", "target:coverage_50", "target:coverage_100"}
    assert [targets[f"target:{k}"].get_ydata()[0] for k in ("coverage", "coverage_50", "coverage_100")] == [0.9, 1.0, 0.9]
    assert len({ln.get_linestyle() for ln in targets.values()}) == 3
    assert len({ln.get_color() for ln in targets.values()}) == 3
    assert not [ln for ln in axes[COUNTS].get_lines() if str(ln.get_gid()).startswith("target:")]
    texts = {t.get_gid(): t.get_text() for t in axes[RATES].texts if str(t.get_gid()).startswith("target:")}
    assert texts == {"target:coverage": "目标 90%：建制率", "target:coverage_50": "目标 100%：建制率(50人以上)",
                     "target:coverage_100": "目标 90%：建制率(100人以上)"}


def test_a_comparison_shows_both_years_counts_and_rates(reports: dict[str, Any], font: str) -> None:
    axes = panels(build_figure(reports["compare"], "zh", family=font))
    assert bar_labels(axes[COUNTS]) == ["要约数（2026）", "要约数（2025）", "上级工会要约（2026）", "上级工会要约（2025）",
                                        "应约数（2026）", "应约数（2025）"]
    old = next(c for c in axes[COUNTS].containers if c.get_label() == "要约数（2025）")
    assert sum(p.get_height() for p in old.patches) == reports["compare"].compare.total["offers"]
    hollow = [ln.get_label() for ln in axes[RATES].get_lines() if ln.get_marker() == "D" and ln.get_markerfacecolor() == "none"]
    assert hollow == ["上级要约占比（2025）", "应约率（2025）"]


def test_a_report_without_rates_has_one_panel(reports: dict[str, Any], font: str) -> None:
    assert set(panels(build_figure(reports["funnel"], "zh", family=font))) == {COUNTS}


def test_empty_data_says_so_instead_of_drawing_an_axis(reports: dict[str, Any], font: str) -> None:
    for report in (reports["empty"], replace(reports["campaign"], main=Section("2026", [], None))):
        fig = build_figure(report, "zh", family=font)
        (ax,) = fig.axes
        assert not ax.axison and not ax.containers and not ax.get_lines()
        assert [t.get_text() for t in ax.texts] == ["所选范围内没有数据"]


def test_without_a_cjk_font_the_labels_are_english(reports: dict[str, Any]) -> None:
    fig = build_figure(reports["campaign"], "zh", family=None)
    assert bar_labels(panels(fig)[COUNTS]) == ["offers", "by upper level", "accepted"]
