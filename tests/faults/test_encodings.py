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


# (EUC-KR has its own test below: its bytes are GB2312's, and Hangul read so comes out as common Chinese characters.)
@pytest.mark.parametrize("encoding, text", [("shift_jis", "株式会社テスト東京支店"), ("cp932", "ソフトウェア開発株式会社"),
                                            ("shift_jis", "山田太郎,営業部")])
def test_a_csv_in_another_asian_encoding_is_refused_not_read_as_gb18030(encoding: str, text: str, seeded: Path,
                                                                       tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "names.csv"
    f.write_bytes(f"credit_code,name,org_code\n{CODE},{text},320505\n".encode(encoding))
    line = assert_fault(_import(seeded, f), 1, needle="names.csv is Japanese text in Shift-JIS, not UTF-8 or GB18030")
    assert "EUC-KR" not in line and "cp949" not in line and "CSV UTF-8" in line  # named as what it is, not as Korean
    assert content(seeded) == before  # the good name 甲公司 is not overwritten with mojibake


KOREAN = [("credit_code,name,org_code", "삼성전자 소주 공장"), ("credit_code,name,org_code", "현대모비스"),
          ("credit_code,name,org_code,industry", "한국 주식회사 제일공장,제조업")]


@pytest.mark.parametrize("header, text", KOREAN)
def test_a_korean_euc_kr_csv_is_refused_naming_euc_kr_and_nothing_is_written(header: str, text: str, seeded: Path,
                                                                             tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "ko.csv"
    f.write_bytes(f"{header}\n{CODE},{text},320505\n".encode("euc_kr"))
    assert f.read_bytes().decode("gb18030")  # the trap: it decodes as GB18030, into common hanzi
    line = assert_fault(_import(seeded, f), 1, needle="ko.csv: the encoding is not certain")
    assert "EUC-KR" in line and "GB18030" in line and "CSV UTF-8" in line
    assert content(seeded) == before


@pytest.mark.parametrize("text", ["臺灣積體電路製造股份有限公司", "蘇州精密機械有限公司（園區）", "香港聯合貿易有限公司"])
def test_a_traditional_chinese_big5_csv_is_refused_with_a_hint_naming_big5(text: str, seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "tw.csv"
    f.write_bytes(f"credit_code,name,org_code\n{CODE},{text},320505\n".encode("big5"))
    line = assert_fault(_import(seeded, f), 1, needle="tw.csv: the encoding is not certain")
    assert "Big5" in line and "Traditional Chinese (Big5)" in line
    assert content(seeded) == before


def test_a_latin_1_csv_is_refused_naming_latin_1(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "de.csv"
    f.write_bytes(f"credit_code,name,org_code\n{CODE},Müller Präzision GmbH,320505\n".encode("latin-1"))
    line = assert_fault(_import(seeded, f), 1, needle="de.csv")
    assert "Latin-1" in line
    assert content(seeded) == before


NAME = "苏州甲乙丙电子有限公司（园区）"


@pytest.mark.parametrize("encoding, bom", [("utf-8-sig", ""), ("utf-16", ""), ("utf-16-le", ""), ("utf-16-be", ""),
                                           ("utf-8", "\ufeff")])
def test_utf_8_with_bom_and_utf_16_with_or_without_bom_import_exactly(encoding: str, bom: str, seeded: Path,
                                                                      tmp_path: Path) -> None:
    f = tmp_path / "u.csv"
    f.write_bytes(f"{bom}统一社会信用代码,企业名称,所属工会\n{CODE},{NAME},320505\n".encode(encoding))
    result = _import(seeded, f)
    assert result.returncode == 0, result.stderr
    assert "1 updated" in result.stdout
    listed = run_bargain("--db", f"sqlite:///{seeded}", "enterprise", "list", "--format", "json").stdout
    assert NAME in listed


def test_gbk_names_whose_bytes_are_also_euc_kr_still_import_as_chinese(seeded: Path, tmp_path: Path) -> None:
    from engine.imports import encoding

    data = f"credit_code,name,org_code\n{CODE},苏州高新区餐饮有限公司,320505\n".encode("gbk")
    assert data.decode("cp949")  # the other trap: Chinese bytes that decode as Korean too (into Hangul and Hanja)
    assert encoding.reads_as_chinese(data) and not encoding.reads_as_korean(data)
    f = tmp_path / "gbk.csv"
    f.write_bytes(data)
    assert _import(seeded, f).returncode == 0


def test_a_contract_text_file_in_euc_kr_is_refused_and_in_gbk_is_read() -> None:
    from engine.errors import DataError
    from engine.imports.document import _txt_text

    assert _txt_text("第一条　工资增长幅度为百分之五。".encode("gbk")) == "第一条　工资增长幅度为百分之五。"
    assert _txt_text("第一条 工资".encode("utf-16")) == "第一条 工资"  # with its BOM
    with pytest.raises(DataError, match="EUC-KR"):
        _txt_text("임금 협약 제1조 임금 인상률은 오퍼센트로 한다.".encode("euc_kr"), "c.txt")


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
