"""Reading spreadsheets: encodings detected (never guessed loosely), delimiters, XLSX cells, headers, cell values."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from engine.errors import DataError
from engine.imports.columns import CellError, count, credit_code, day, header, term, text, yes_no
from engine.imports.enterprise import COLUMNS
from engine.imports.tabular import detect_encoding, open_table

ROWS = "统一社会信用代码,企业名称,所属工会\n91320505000007000L,苏州狮山精密机械有限公司,320505\n"


def rows_of(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    with open_table(path, sheet) as table:
        return list(table.rows)


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"),
                                                ("gbk", "gb18030"), ("utf-16", "utf-16")])
def test_each_encoding_excel_writes_is_detected_and_read_back_exactly(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(ROWS.encode(encoding))
    assert detect_encoding(path) == expected
    assert rows_of(path)[1] == (2, ["91320505000007000L", "苏州狮山精密机械有限公司", "320505"])


def test_a_file_that_is_neither_utf8_nor_gb18030_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,2\n\x81\x30\xff\xff,x\n")
    with pytest.raises(DataError) as err:
        detect_encoding(path)
    assert "bad.csv line 3" in err.value.en and "UTF-8" in err.value.en


def test_a_gb18030_file_is_never_taken_for_utf8(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("组织代码,组织名称\n320505,高新区总工会\n".encode("gb18030"))
    assert rows_of(path)[1][1] == ["320505", "高新区总工会"]


@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_the_delimiter_is_taken_from_the_header_line(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "d.csv"
    path.write_text(ROWS.replace(",", sep), encoding="utf-8")
    assert rows_of(path)[1][1][2] == "320505"


def test_quoted_cells_with_commas_and_line_breaks_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('a,b\n"x, y","two\nlines"\nlast,row\n', encoding="utf-8")
    assert rows_of(path) == [(1, ["a", "b"]), (2, ["x, y", "two\nlines"]), (3, ["last", "row"])]


def test_an_xlsx_sheet_is_read_with_excel_types_and_blank_rows_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "说明"
    first.append(["这一页不是数据"])
    ws = book.create_sheet("企业")
    ws.append(["统一社会信用代码", "职工人数", "成立日期"])
    ws.append(["91320505000007000L", 120, datetime(2026, 3, 2)])
    ws.append([])
    ws.append(["91320505000007037D", 58.0, None])
    book.save(path)
    rows = rows_of(path, "企业")
    assert rows[1] == (2, ["91320505000007000L", 120, datetime(2026, 3, 2)])
    assert rows[3][0] == 4 and rows[3][1][:2] == ["91320505000007037D", 58.0]
    assert rows_of(path, "2") == rows
    assert rows_of(path)[0] == (1, ["这一页不是数据"])
    with pytest.raises(DataError) as err:
        rows_of(path, "台账")
    assert "说明, 企业" in err.value.en


def test_an_old_xls_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(DataError) as err:
        rows_of(path)
    assert ".xls" in err.value.en and "xlsx" in err.value.hint_en


def test_headers_match_in_chinese_or_english_with_stray_spaces_full_width_brackets_and_remarks() -> None:
    h = header(1, [" 统一社会信用代码 ", "企业名称", "Org Code", "职工人数（人）", "是否建会", "备注"], COLUMNS, "f.csv")
    assert h.index == {"credit_code": 0, "name": 1, "org_code": 2, "employees": 3, "has_union": 4}
    assert h.ignored == ("备注",)
    assert h.label("employees") == "职工人数（人）"


def test_a_missing_required_column_and_a_column_named_twice_are_refused() -> None:
    with pytest.raises(DataError) as err:
        header(1, ["企业名称", "行业"], COLUMNS, "f.csv")
    assert "credit_code" in err.value.en and "org_code" in err.value.en
    with pytest.raises(DataError) as err:
        header(1, ["统一社会信用代码", "credit_code", "企业名称", "所属工会"], COLUMNS, "f.csv")
    assert "both mean credit_code" in err.value.en


def test_cell_values_as_people_and_excel_write_them() -> None:
    assert credit_code("９１３２０５０５０００００７０００Ｌ") == "91320505000007000L"
    assert credit_code(" 91320505-0000-07000l ") == "91320505000007000L"
    assert count("１２０") == 120 and count(120.0) == 120 and count("1,200") == 1200
    assert [yes_no(v) for v in ("是", "否", "Y", "n", "1", 0, True)] == [True, False, True, False, True, False, True]
    assert day("2026/3/2") == day("2026年3月2日") == day("2026-03-02") == day(datetime(2026, 3, 2)) == date(2026, 3, 2)
    assert day(46083) == date(2026, 3, 2)  # an Excel day number
    assert day(20260302) == date(2026, 3, 2)
    assert term("2015年1月1日-2017年12月31日") == (date(2015, 1, 1), date(2017, 12, 31))
    assert text(13800000000.0) == "13800000000" and text(datetime(1958, 5, 12)) == "1958-05-12"


@pytest.mark.parametrize("parser, value, words", [
    (credit_code, "91320505000007000X", "check character"),
    (credit_code, "9132050500000700", "18 characters"),
    (count, "-3", "negative"),
    (count, "十二", "whole number"),
    (yes_no, "也许", "yes/no"),
    (yes_no, "", "empty"),
    (day, "2026-02-30", "not a date"),
    (day, "3/2/26", "not a date"),
])
def test_bad_cells_say_what_is_wrong(parser: Any, value: Any, words: str) -> None:
    with pytest.raises(CellError) as err:
        parser(value)
    assert words in err.value.en


def test_a_password_protected_workbook_is_named_for_what_it_is_not_called_an_old_xls(tmp_path: Path) -> None:
    """Excel saves an .xlsx with a password to open it as an encrypted OLE file (tests/fixtures/imports: made with
    msoffcrypto-tool from a one-row enterprise register): it is refused as password-protected, with how to lift it."""
    fixture = Path(__file__).parent.parent / "fixtures" / "imports" / "password_protected.xlsx"
    for name in ("企业名册.xlsx", "renamed.xls", "no_suffix"):
        path = tmp_path / name
        path.write_bytes(fixture.read_bytes())
        with pytest.raises(DataError) as err:
            rows_of(path)
        assert "密码" in err.value.zh and "password" in err.value.en and ".xls file" not in err.value.en
        assert "密码" in err.value.hint_zh and err.value.rule == "file_format"
