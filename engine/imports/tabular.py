"""Spreadsheet files read row by row: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030) and XLSX.

The encoding is detected, never asked and never guessed loosely: a byte-order mark decides; otherwise
the whole file must decode as UTF-8, else as GB18030 (which includes GBK and GB2312, what Chinese
Excel writes), else the file is refused with the line of the first undecodable byte. Rows are numbered
as a spreadsheet shows them (the first line is row 1) and streamed, so memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import DataError

CHUNK = 1 << 20
DELIMITERS = (",", "\t", ";", "|")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass
class Table:
    """An opened sheet: its rows as (row number, values), and how far reading has got (for a progress bar)."""

    path: Path
    kind: str  # csv | xlsx
    encoding: str  # of a CSV file; '' for XLSX
    rows: Iterator[tuple[int, list[Any]]]
    total: int | None  # bytes of a CSV file, rows of a sheet (None when the sheet does not say)
    position: Callable[[], int] = field(default=lambda: 0)


def _undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(byte offset, line) of the first byte that does not decode, or None if the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    lines = 1
    with path.open("rb") as f:
        while True:
            chunk = f.read(CHUNK)
            final = not chunk
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                where = offset + max(exc.start, 0)
                with path.open("rb") as g:
                    lines = g.read(where).count(b"\n") + 1
                return where, lines
            if final:
                return None
            offset += len(chunk)


def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-16, utf-8 or gb18030; DataError naming the line when the file is none of them."""
    with path.open("rb") as f:
        head = f.read(4)
    for bom, name in BOMS:
        if head.startswith(bom):
            bad = _undecodable(path, name)
            if bad is None:
                return name
            raise _bad_encoding(path, name, bad[1])
    if _undecodable(path, "utf-8") is None:
        return "utf-8"
    bad = _undecodable(path, "gb18030")
    if bad is None:
        return "gb18030"
    raise _bad_encoding(path, "UTF-8 / GB18030", bad[1])


def _bad_encoding(path: Path, tried: str, line: int) -> DataError:
    return DataError(
        f"{path.name} 第 {line} 行含有无法识别的字符（不是 {tried} 编码的文本）",
        f"{path.name} line {line} has bytes that are not {tried} text",
        hint_zh="请在 Excel 中另存为「CSV UTF-8（逗号分隔）」或 .xlsx 后重试",
        hint_en="save it from Excel as 'CSV UTF-8 (comma delimited)' or as .xlsx and try again",
        rule="file_encoding", actual=line,
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    raw = path.open("rb")
    try:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline()
        text.seek(0)
        reader = csv.reader(text, delimiter=_delimiter(first))

        def rows() -> Iterator[tuple[int, list[Any]]]:
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as exc:
                raise DataError(
                    f"{path.name} 第 {reader.line_num} 行不是有效的 CSV：{exc}",
                    f"{path.name} line {reader.line_num} is not valid CSV: {exc}",
                    rule="csv", actual=reader.line_num,
                ) from None

        yield Table(path, "csv", encoding, rows(), path.stat().st_size, raw.tell)
    finally:
        raw.close()


@contextmanager
def _open_xlsx(path: Path, sheet: str | None) -> Iterator[Table]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or encrypted file: openpyxl raises many kinds
        raise DataError(f"无法打开 Excel 文件 {path.name}：{exc}", f"cannot open the Excel file {path.name}: {exc}",
                        rule="xlsx") from None
    try:
        names = book.sheetnames
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in names:
            ws = book[sheet]
        elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
            ws = book.worksheets[int(sheet) - 1]
        else:
            raise DataError(f"{path.name} 中没有工作表 {sheet}（有：{', '.join(names)}）",
                            f"{path.name} has no sheet '{sheet}' (it has: {', '.join(names)})", rule="sheet", actual=sheet)
        declared = getattr(ws, "max_row", None)
        # Some exporters write a wrong size; read every row rather than trust it (it only sizes the progress bar).
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        done = [0]

        def rows() -> Iterator[tuple[int, list[Any]]]:
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                done[0] = n
                yield n, list(values)  # numbers, booleans and datetimes as Excel gave them: the column decides

        yield Table(path, "xlsx", "", rows(), declared if isinstance(declared, int) and declared > 1 else None,
                    lambda: done[0])
    finally:
        book.close()


@contextmanager
def open_table(path: Path, sheet: str | None = None) -> Iterator[Table]:
    """A CSV or XLSX file (told apart by content, not by name), opened for streaming."""
    if not path.is_file():
        raise DataError(f"找不到文件 {path}", f"no such file: {path}", rule="file", actual=str(path))
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == OLE_MAGIC:
        raise DataError(f"{path.name} 是旧版 .xls 文件", f"{path.name} is an old binary .xls file",
                        hint_zh="请在 Excel 中另存为 .xlsx 或 CSV UTF-8", hint_en="save it as .xlsx or CSV UTF-8 first",
                        rule="file_format")
    if magic == ZIP_MAGIC:
        with _open_xlsx(path, sheet) as table:
            yield table
    else:
        if sheet is not None:
            raise DataError(f"{path.name} 是 CSV 文件，没有工作表，请去掉 --sheet",
                            f"{path.name} is a CSV file, which has no sheets: drop --sheet", rule="sheet")
        with _open_csv(path) as table:
            yield table
