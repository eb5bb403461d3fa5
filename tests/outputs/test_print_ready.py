"""Workbooks a federation can file (read back with openpyxl: page set-up, print titles, header and footer,
medians as numbers), the registration form's blank rows and note template, and the CSV for Excel users."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from engine.outputs import export
from engine.outputs.form_sheet import csv_text as form_csv
from engine.outputs.form_sheet import load_notes, workbook
from engine.outputs.page import Filing
from engine.registration import COLUMNS, build
from tests.helpers import report_city

FILING = Filing(unit="苏州市总工会", preparer="张军", on=date(2026, 4, 10))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return report_city.built_reports(tmp_path_factory.mktemp("print"))


def load(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def assert_print_ready(ws: Any, *, title_rows: str, landscape: bool) -> None:
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == title_rows


@pytest.mark.parametrize("kind", ["campaign", "compare", "coverage", "funnel"])
def test_every_report_sheet_prints_on_a4_one_page_wide_with_its_title_rows_repeated(reports: dict[str, Any], kind: str) -> None:
    wb = load(export.xlsx_bytes(reports[kind], "zh", FILING))
    for ws in wb.worksheets:
        wide = len(list(ws.iter_cols(min_row=2, max_row=2))) > 6
        assert_print_ready(ws, title_rows="$1:$2", landscape=wide or ws.title == "口径说明")
        assert ws.oddHeader.left.text == "填报单位：苏州市总工会"
        assert ws.oddFooter.left.text == "制表人：张军"
        assert ws.oddFooter.right.text == "日期：2026年4月10日"
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_a_wide_report_prints_landscape_and_a_narrow_one_portrait(reports: dict[str, Any]) -> None:
    assert load(export.xlsx_bytes(reports["campaign"], "zh", FILING))["2026"].page_setup.orientation == "landscape"
    assert load(export.xlsx_bytes(reports["funnel"], "zh", FILING))["2026"].page_setup.orientation == "portrait"


def test_without_a_filing_the_header_names_the_reports_organisation_and_the_blanks_stay_to_fill_in(
        reports: dict[str, Any]) -> None:
    ws = load(export.xlsx_bytes(reports["campaign"], "en"))["2026"]
    assert ws.oddHeader.left.text == "Reporting unit: 苏州市总工会"
    assert ws.oddFooter.left.text == "Prepared by: " and ws.oddFooter.center.text == "Page &P of &N"


def test_an_ampersand_in_a_unit_name_is_printed_not_read_as_a_code(reports: dict[str, Any]) -> None:
    ws = load(export.xlsx_bytes(reports["campaign"], "zh", Filing(unit="A&B 工会")))["2026"]
    assert ws.oddHeader.left.text == "填报单位：A&&B 工会"


def test_the_funnel_medians_are_numbers_in_cells_under_the_table(reports: dict[str, Any]) -> None:
    ws = load(export.xlsx_bytes(reports["funnel"], "zh"))["2026"]
    cells = {ws.cell(row=r, column=1).value: (ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value)
             for r in range(1, ws.max_row + 1)}
    assert cells["各环节天数中位数"] == (None, None) and cells["环节"] == ("天数中位数", "案件数")
    assert cells["要约→答复"] == (7, 5)
    assert cells["签订→生效"] == (19, 2)
    assert ws.print_area == f"'2026'!$A$1:$D${ws.max_row}"


def test_csv_keeps_the_english_keys_and_fractions_of_cli_md_whatever_the_language(reports: dict[str, Any]) -> None:
    text = export.csv_text(reports["campaign"])
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0])[:5] == ["group", "group_name", "offers", "offers_upper", "upper_share"]
    total = rows[-1]
    assert (total["group"], total["offers"], total["upper_share"]) == ("total", "6", "0.5")
    assert float(total["acceptance_rate"]) == pytest.approx(4 / 6, abs=1e-15)
    assert "%" not in text and "要约数" not in text  # no Chinese header, no percentage: that is the XLSX's job


def test_csv_of_a_comparison_names_its_series_in_english_and_gives_changes_as_fractions(reports: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(export.csv_text(reports["compare"])[1:])))
    assert {r["series"] for r in rows} == {"2026", "2025", "change"}
    change = next(r for r in rows if r["series"] == "change" and r["group"] == "total")
    assert change["offers"] == "4" and float(change["acceptance_rate"]) == pytest.approx(4 / 6 - 1 / 2, abs=1e-12)


def form(n: int = 2) -> Any:
    people = [{"kind": "full_time", "name": f"王{i}", "gender": "男", "birth_date": date(1958, 5, 12)} for i in range(n)]
    return build(people, unit="苏州市总工会", filled_on=date(2026, 4, 10), filler="张军", phone="82610417")


def test_the_registration_form_prints_like_the_notice_with_header_footer_and_title_rows() -> None:
    ws = workbook(form()).active
    assert_print_ready(ws, title_rows="$1:$3", landscape=True)
    assert ws.oddHeader.left.text == "填报单位：苏州市总工会"
    assert ws.oddFooter.left.text == "填表人：张军" and ws.oddFooter.right.text == "日期：2026年4月10日"


def test_the_registration_form_has_ruled_blank_rows_after_the_counselors() -> None:
    ws = workbook(form(2), blank_rows=3).active
    rows = [4, 5, 6, 7, 8]  # two counselors, three blank rows
    assert [ws.cell(row=r, column=2).value for r in rows] == ["王0", "王1", None, None, None]
    assert all(ws.cell(row=r, column=c).border.bottom.style == "thin" for r in rows for c in range(1, len(COLUMNS) + 1))
    assert ws.cell(row=9, column=1).border.bottom.style is None  # the gap before the notes
    assert str(ws.cell(row=10, column=1).value).startswith("注：1.")
    assert not workbook(form(2), blank_rows=0).active.cell(row=6, column=1).border.bottom.style


def test_the_form_notes_come_from_a_template_the_federation_can_change(tmp_path: Path) -> None:
    shipped = load_notes()
    assert len(shipped) == 2 and shipped[0].startswith("注：1.专职集体协商指导员") and "4月17日前" in shipped[1]
    mine = tmp_path / "note.txt"
    mine.write_text("# 苏州市总工会\n注：请于5月10日前报市总民管部。\n\n", encoding="utf-8")
    notes = load_notes(mine)
    assert notes == ("注：请于5月10日前报市总民管部。",)
    ws = workbook(form(1), blank_rows=1, notes=notes).active
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "注：请于5月10日前报市总民管部。" in texts and not any("4月17日" in t for t in texts)
    lines = form_csv(form(1), blank_rows=2, notes=notes).splitlines()
    assert lines[-1] == "注：请于5月10日前报市总民管部。" and lines[-3] == "," * (len(COLUMNS) - 1)


def test_a_missing_note_template_is_refused_naming_the_file(tmp_path: Path) -> None:
    from engine.errors import DataError

    with pytest.raises(DataError, match=r"note\.txt"):
        load_notes(tmp_path / "note.txt")
