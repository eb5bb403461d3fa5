"""Encodings only when sure (issue 14, item 7): a CSV whose encoding is not certain is refused with the file
named and the encodings it could be; a formula without a saved value and a NUL byte are refused too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_bargain
from tests.faults.conftest import assert_fault, content

CODE = "913205050000000015"  # the seeded enterprise 甲公司


def _import(db: Path, f: Path) -> object:
    return run_bargain("--db", f"sqlite:///{db}", "--lang", "en", "enterprise", "import", str(f))


# (EUC-KR is not among them: its bytes are GB2312's, and Hangul read so comes out as common Chinese characters.)
@pytest.mark.parametrize("encoding, text", [("shift_jis", "株式会社テスト東京支店"), ("cp932", "ソフトウェア開発株式会社"),
                                            ("shift_jis", "山田太郎,営業部")])
def test_a_csv_in_another_asian_encoding_is_refused_not_read_as_gb18030(encoding: str, text: str, seeded: Path,
                                                                       tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "names.csv"
    f.write_bytes(f"credit_code,name,org_code\n{CODE},{text},320505\n".encode(encoding))
    line = assert_fault(_import(seeded, f), 1, needle="names.csv: the encoding is not certain")
    assert "could be" in line
    assert content(seeded) == before  # the good name 甲公司 is not overwritten with mojibake


def test_a_gbk_csv_from_chinese_excel_still_imports(seeded: Path, tmp_path: Path) -> None:
    f = tmp_path / "gbk.csv"
    f.write_bytes(f"统一社会信用代码,企业名称,所属工会\n{CODE},苏州甲乙丙电子有限公司（园区）,320505\n".encode("gbk"))
    result = _import(seeded, f)
    assert result.returncode == 0, result.stderr
    assert "1 updated" in result.stdout


def test_a_nul_byte_is_refused_with_its_line(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "nul.csv"
    f.write_bytes(f"credit_code,name,org_code\n{CODE},甲\0公司,320505\n".encode())
    assert_fault(_import(seeded, f), 1, needle="nul.csv line 2 holds a NUL character")
    assert content(seeded) == before


def test_an_xlsx_formula_without_a_cached_value_is_refused_with_its_cell(seeded: Path, tmp_path: Path) -> None:
    import openpyxl

    before = content(seeded)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["credit_code", "name", "org_code", "employees"])
    ws.append([CODE, "甲公司", "320505", "=SUM(10,20)"])  # openpyxl saves formulas without values, as generators do
    f = tmp_path / "f.xlsx"
    wb.save(f)
    assert_fault(_import(seeded, f), 1, needle="f.xlsx cell D2 is a formula")
    assert content(seeded) == before


def test_an_xlsx_without_formulas_imports_as_before(seeded: Path, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["credit_code", "name", "org_code", "employees"])
    ws.append([CODE, "甲公司", "320505", 150])
    f = tmp_path / "ok.xlsx"
    wb.save(f)
    result = _import(seeded, f)
    assert result.returncode == 0, result.stderr
