"""Report formats read back: XLSX with openpyxl (styles, frozen pane, % cells, definitions sheet), CSV with its
BOM, Markdown, the text table's footer, and the PNG chart (a real PNG, Chinese labels in a CJK font or a clear
English fallback)."""

from __future__ import annotations

import csv
import io
import struct
from pathlib import Path
from typing import Any

import pytest

from engine.outputs import export
from engine.outputs.chart import cjk_font, render_png
from tests.helpers import report_city


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return report_city.built_reports(tmp_path_factory.mktemp("export"))


def workbook(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_xlsx_has_a_styled_header_a_frozen_pane_percent_cells_and_a_definitions_sheet(reports: dict[str, Any]) -> None:
    wb = workbook(export.xlsx_bytes(reports["campaign"], "zh"))
    assert wb.sheetnames == ["2026", "口径说明"]
    ws = wb["2026"]
    assert ws["A1"].value == "2026 年度要约行动 · 苏州市总工会（320500）"
    head = [c.value for c in ws[2]]
    assert head[:6] == ["下级组织", "要约数", "上级工会要约", "上级要约占比", "应约数", "应约率"]
    assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("1F4E79")
    assert ws.freeze_panes == "B3"
    names = [ws.cell(row=r, column=1).value for r in range(3, 7)]
    assert names == ["高新区总工会", "吴中区总工会", "苏州市总工会（直属）", "合计"]
    total = {h: ws.cell(row=6, column=j).value for j, h in enumerate(head, start=1)}
    assert (total["要约数"], total["上级工会要约"], total["应约数"], total["覆盖职工"]) == (6, 3, 4, 200)
    assert total["应约率"] == pytest.approx(4 / 6)
    rate_col = head.index("应约率") + 1
    assert ws.cell(row=6, column=rate_col).number_format == "0.0%"
    assert ws.cell(row=6, column=2).number_format == "#,##0"
    assert ws.cell(row=6, column=1).font.bold
    defs = wb["口径说明"]
    rows = {r[0].value: (r[1].value, r[2].value) for r in defs.iter_rows(min_row=2)}
    assert rows["acceptance_rate"][0] == "应约率" and "应约数 ÷ 要约数" in rows["acceptance_rate"][1]
    assert rows["year"][1] == "2026" and rows["org"][1] == "320500"


def test_xlsx_with_a_comparison_has_the_other_year_and_the_change(reports: dict[str, Any]) -> None:
    wb = workbook(export.xlsx_bytes(reports["compare"], "en"))
    assert wb.sheetnames == ["2026", "2025", "change 2026 − 2025", "Definitions"]
    ws = wb["change 2026 − 2025"]
    head = [c.value for c in ws[2]]
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "Total"
    assert ws.cell(row=last, column=head.index("offers") + 1).value == 4
    rate_cell = ws.cell(row=last, column=head.index("acceptance rate") + 1)
    assert rate_cell.value == pytest.approx(4 / 6 - 1 / 2) and rate_cell.number_format == "+0.0%;-0.0%;0.0%"


def test_en_csv_starts_with_a_bom_and_uses_english_keys_and_fractions(reports: dict[str, Any]) -> None:
    text = export.csv_text(reports["campaign"])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0])[:4] == ["group", "group_name", "offers", "offers_upper"]
    assert [r["group"] for r in rows] == ["320505", "320506", "320500", "total"]
    total = rows[-1]
    assert (total["offers"], total["accepted"], total["upper_share"]) == ("6", "4", "0.5")
    assert float(total["acceptance_rate"]) == pytest.approx(4 / 6, abs=1e-15)
    assert text.encode("utf-8").decode("utf-8-sig").splitlines()[0].startswith("group,")


def test_csv_with_a_comparison_says_which_series_each_row_is(reports: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(export.csv_text(reports["compare"])[1:])))
    assert {r["series"] for r in rows} == {"2026", "2025", "change"}
    change_total = next(r for r in rows if r["series"] == "change" and r["group"] == "total")
    assert change_total["offers"] == "4"


def test_markdown_and_table_state_the_definitions(reports: dict[str, Any]) -> None:
    md = export.markdown(reports["campaign"], "zh")
    assert md.startswith("# 2026 年度要约行动")
    assert "| **合计** | **6** | **3** | **50.0%** | **4** | **66.7%** |" in md
    assert "## 口径说明" in md and "- 应约率（acceptance_rate）：应约率 = 应约数 ÷ 要约数" in md
    text = export.text_table(reports["en"], "en")
    assert "Total" in text and "66.7%" in text and "Definitions:" in text
    assert "acceptance rate (acceptance_rate): acceptance_rate = accepted / offers" in text


def test_funnel_notes_carry_the_medians(reports: dict[str, Any]) -> None:
    md = export.markdown(reports["funnel"], "en")
    assert "offer → reply: median 7 days (5 cases)" in md
    assert "signing → in force: median 19 days (2 cases)" in md


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


@pytest.mark.parametrize("kind", ["campaign", "coverage", "funnel", "compare"])
def test_the_chart_is_a_png_of_slide_size_with_a_cjk_font(reports: dict[str, Any], kind: str, tmp_path: Path) -> None:
    if cjk_font() is None:
        pytest.fail("no CJK font: install fonts-noto-cjk (scripts/system-packages does)")
    rendered = render_png(reports[kind], "zh")
    assert rendered.warning is None and rendered.font and "CJK" in rendered.font
    width, height = png_size(rendered.png)
    assert 1200 <= width <= 2400 and 700 <= height <= 1600
    assert len(rendered.png) > 30_000  # bars, labels and text, not an empty canvas
    (tmp_path / f"{kind}.png").write_bytes(rendered.png)


def test_without_a_cjk_font_the_chart_warns_and_uses_english_labels(reports: dict[str, Any],
                                                                     recwarn: pytest.WarningsRecorder) -> None:
    rendered = render_png(reports["campaign"], "zh", font=None)
    assert rendered.font is None and rendered.warning is not None
    assert "fonts-noto-cjk" in rendered.warning[1]
    png_size(rendered.png)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]  # nothing drawn as missing-glyph boxes


def test_the_font_can_be_turned_off_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARGAIN_CJK_FONT", "none")
    assert cjk_font() is None
