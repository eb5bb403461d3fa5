"""XLSX read with python-calamine gives what openpyxl gives: the same rows, numbers, row numbers, the same cell
values and types (text kept as text, credit codes included; whole numbers int; dates as datetimes; times,
durations, booleans; empty cells None), so every import rule sees the same thing whichever reader ran."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from engine.imports.tabular import _calamine, _open_openpyxl, open_table


def _typed(rows: list[tuple[int, list[Any]]]) -> list[tuple[int, list[tuple[str, Any]]]]:
    """Rows with each value's type, trailing empty cells dropped (openpyxl keeps a styled empty cell, calamine not)."""
    out = []
    for n, cells in rows:
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        out.append((n, [(type(c).__name__, c) for c in cells]))
    return out


def both(path: Path, sheet: str | None = None) -> tuple[list[Any], list[Any]]:
    fast = _calamine(path, sheet)
    assert fast is not None, "python-calamine did not read the file"
    table, book = fast
    try:
        got = _typed(list(table.rows))
    finally:
        book.close()
    with _open_openpyxl(path, sheet) as slow:
        want = _typed(list(slow.rows))
    return got, want


def _book(path: Path, rows: list[list[Any]], *, epoch_1904: bool = False, formats: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    ws = book.active
    assert ws is not None
    ws.title = "企业"
    for r in rows:
        ws.append(r)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    book.save(path)
    return path


ROWS: list[list[Any]] = [
    ["统一社会信用代码", "企业名称", "所属工会", "职工人数", "是否建会", "成立日期", "备注"],
    ["91320505000007000L", "苏州狮山精密机械有限公司", "320505", 120, "是", datetime(2026, 3, 2), None],
    ["91320505000007037D", "  有空格的名称  ", 320505, 58.0, True, date(2025, 12, 31), ""],
    ["913205050000070450", "全角（括号）公司", "320505", 12.5, False, datetime(2026, 3, 2, 14, 30), "ｆｕｌｌ　ｗｉｄｔｈ"],
    [],
    ["913205050000070530", "零", "320505", 0, "否", time(9, 30), timedelta(hours=30)],
    ["913205050000070610", "负数", "320505", -3, 1, 0.1, 123456789012345678],
    ["913205050000070700", "大数", "320505", 1e20, 99999999999999, 1.5e-7, "=这不是公式"[1:]],
    [None, None, None, None, None, None, "只在最后一列"],
]


def test_the_bench_and_import_shapes_read_the_same(tmp_path: Path) -> None:
    got, want = both(_book(tmp_path / "a.xlsx", ROWS))
    assert got == want
    assert got[1][1][0] == ("str", "91320505000007000L")  # a credit code stays text
    assert got[2][1][3] == ("int", 58) and got[1][1][5] == ("datetime", datetime(2026, 3, 2))
    assert got[4] == (5, [])  # an empty row keeps its number


def test_number_formats_and_the_1904_calendar_read_the_same(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["a", "b", "c", "d", "e", "f"],
                             [45000, 45000.25, 0.75, 1.5, 44927, 3]]
    formats = {"A2": 'yyyy"年"m"月"d"日"', "B2": "yyyy-mm-dd hh:mm", "C2": "h:mm", "D2": "0.00%", "E2": "mm/dd/yy",
               "F2": "#,##0.00"}
    for epoch in (False, True):
        got, want = both(_book(tmp_path / f"f{epoch}.xlsx", rows, epoch_1904=epoch, formats=formats), None)
        assert got == want, epoch
        assert got[1][1][0][0] == "datetime"


def test_leading_empty_rows_and_columns_keep_their_places(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws["C3"] = "统一社会信用代码"
    ws["D3"] = "企业名称"
    ws["C5"] = "91320505000007000L"
    ws["E6"] = 7
    path = tmp_path / "lead.xlsx"
    book.save(path)
    got, want = both(path)
    assert got == want
    assert got[2] == (3, [("NoneType", None), ("NoneType", None), ("str", "统一社会信用代码"), ("str", "企业名称")])


def test_sheets_are_picked_by_name_or_number_as_before(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "说明"
    first.append(["这一页不是数据"])
    book.create_sheet("企业").append(["统一社会信用代码", 1])
    path = tmp_path / "s.xlsx"
    book.save(path)
    for sheet in (None, "企业", "2", "1", "说明"):
        got, want = both(path, sheet)
        assert got == want, sheet
    with open_table(path, "2") as table:
        assert list(table.rows) == [(1, ["统一社会信用代码", 1])]


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    got, want = both(path)
    assert got == want == []


@pytest.mark.parametrize("n", [1, 2_500])
def test_a_generated_enterprise_sheet_reads_the_same(tmp_path: Path, n: int) -> None:
    from engine.credit import make_credit_code

    book = openpyxl.Workbook(write_only=True)  # as bench/bench_import.py writes it
    ws = book.create_sheet("企业")
    ws.append(["统一社会信用代码", "企业名称", "所属工会", "行业", "职工人数", "是否建会"])
    for i in range(n):
        ws.append([make_credit_code("320505", i), f"苏州{i}号有限公司", 320505001 + i % 4, "制造业", 8 + i % 900,
                   "否" if i % 3 == 0 else "是"])
    path = tmp_path / "gen.xlsx"
    book.save(path)
    got, want = both(path)
    assert got == want and len(got) == n + 1
