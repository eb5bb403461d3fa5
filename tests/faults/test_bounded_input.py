"""Bounded input (issue 14, item 3): every file an import reads has limits, checked before the expensive part,
and a refusal (exit 1) names the file; nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_bargain
from tests.faults.conftest import assert_fault, content

HEAD = "credit_code,name,org_code,industry,employees,has_union\n"


def _import(db: Path, f: Path, *extra: str) -> object:
    return run_bargain("--db", f"sqlite:///{db}", "--lang", "en", "enterprise", "import", str(f), *extra)


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * size + b"</worksheet>")
    return path


def test_a_small_xlsx_expanding_far_is_refused_before_it_is_inflated(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    bomb = _bomb(tmp_path / "bomb.xlsx", 300 << 20)
    assert bomb.stat().st_size < 1 << 20
    result = _import(seeded, bomb)
    assert_fault(result, 1, needle="bomb.xlsx would expand too far")
    assert content(seeded) == before  # (the refusal comes from the archive's directory: nothing was inflated)


def test_a_file_over_the_size_limit_is_refused_by_its_size(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.errors import DataError
    from engine.imports import tabular

    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1000)
    f = tmp_path / "big.csv"
    f.write_text(HEAD + "x\n" * 1000, encoding="utf-8")
    with pytest.raises(DataError, match=r"big\.csv is too large"):
        with tabular.open_table(f):
            pass


def test_a_row_wider_than_the_limit_is_refused_naming_the_row(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "wide.csv"
    f.write_text(HEAD + "91320505000000005H,丙公司,320505,餐饮,5,是" + ",x" * 300 + "\n", encoding="utf-8")
    assert_fault(_import(seeded, f), 1, needle="wide.csv row 2 has")
    assert content(seeded) == before


def test_a_cell_longer_than_excel_allows_is_refused_naming_the_row(seeded: Path, tmp_path: Path) -> None:
    before = content(seeded)
    f = tmp_path / "long.csv"
    f.write_text(HEAD + "91320505000000005H," + "长" * 40_000 + ",320505,餐饮,5,是\n", encoding="utf-8")
    assert_fault(_import(seeded, f), 1, needle="long.csv row 2 column 2 is too long")
    assert content(seeded) == before


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.errors import DataError
    from engine.imports import tabular

    monkeypatch.setattr(tabular, "MAX_ROWS", 5)
    f = tmp_path / "rows.csv"
    f.write_text(HEAD + "a,b,c,d,1,是\n" * 10, encoding="utf-8")
    with pytest.raises(DataError, match=r"rows\.csv has more than 5 rows"):
        with tabular.open_table(f) as table:
            list(table.rows)


def test_a_zip_that_is_no_workbook_is_one_line(seeded: Path, tmp_path: Path) -> None:
    f = tmp_path / "broken.xlsx"
    f.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert_fault(_import(seeded, f), 1, needle="broken.xlsx")
