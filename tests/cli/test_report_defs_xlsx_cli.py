"""The definitions sheet (口径说明) of every report's XLSX, from the real command line: its header and the rows that say
what the report was made for (year, organisation, grouping, scoring parts, notes) are Chinese in zh, English in en;
the key column keeps the JSON keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.helpers import report_city

REPORTS = {
    "campaign": ("--year", "2026"), "quality": ("--year", "2026"), "wages": ("--year", "2026"),
    "coverage": ("--as-of", "2026-06-30"), "funnel": ("--year", "2026"),
}
ZH_META = {"year": "年度", "as_of": "统计日", "org": "组织代码", "org_name": "组织名称", "group_by": "分组", "points": "评分项"}
EN_META = {"year": "year", "as_of": "as of", "org": "organisation code", "org_name": "organisation", "group_by": "grouped by",
           "points": "scoring parts"}


city = pytest.fixture(name="city")(report_city.on_cli)


def definitions(cli: Cli, tmp_path: Path, report: str, lang: str) -> list[tuple[str, str, str]]:
    from openpyxl import load_workbook

    out = tmp_path / f"{report}-{lang}.xlsx"
    result = cli("report", report, *REPORTS[report], "--org", "320500", "--out", str(out), lang=lang)
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[-1]
    assert ws.title == ("口径说明" if lang == "zh" else "Definitions")
    return [tuple("" if v is None else str(v) for v in row) for row in ws.iter_rows(min_row=2, max_col=3, values_only=True)]


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_the_zh_definitions_sheet_is_chinese_all_the_way(city: Cli, tmp_path: Path, report: str) -> None:
    head, *rows = definitions(city, tmp_path, report, "zh")
    assert head == ("键名", "指标", "口径")
    meta = {key: (label, value) for key, label, value in rows if key in ZH_META}
    assert {"year", "as_of"} & set(meta) and {"org", "org_name"} <= set(meta)
    for key, (label, _) in meta.items():
        assert label == ZH_META[key], key
    if "group_by" in meta:
        assert meta["group_by"][1] == "下级组织"
    if "points" in meta:
        assert "分）" in meta["points"][1] and "'id'" not in meta["points"][1] and "Covers" not in meta["points"][1]
    assert all(key != "note" and label != "note" for key, label, _ in rows)
    notes = [text for key, label, text in rows if label == "说明"]
    assert all(key for key, label, _ in rows if label != "说明")  # every other row names its JSON key
    if report == "coverage":
        assert notes and all("目标" in n for n in notes)


@pytest.mark.parametrize("report", ["campaign", "coverage", "quality"])
def test_the_en_definitions_sheet_is_english(city: Cli, tmp_path: Path, report: str) -> None:
    head, *rows = definitions(city, tmp_path, report, "en")
    assert head == ("key", "figure", "definition")
    meta = {key: (label, value) for key, label, value in rows if key in EN_META}
    for key, (label, _) in meta.items():
        assert label == EN_META[key], key
    if "group_by" in meta:
        assert meta["group_by"][1] == "sub-organisation"
    if "points" in meta:
        assert "points)" in meta["points"][1] and "涵盖" not in meta["points"][1]
    if report == "coverage":
        assert any(label == "note" for _, label, _ in rows)
