"""Cells written so that spreadsheets show them as text, never run them (CSV/formula injection, OWASP).

Text that begins with = + - @ (or a tab or carriage return, which Excel skips before reading one) is
written with a leading apostrophe in CSV, the mark a spreadsheet reads as "this is text"; numbers stay
numbers. In XLSX a text cell is stored with the string type, so it is never read as a formula, and the
control characters the format cannot hold are dropped.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
# What an XLSX file cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_row(values: Any) -> list[Any]:
    """Every cell of a CSV row made safe."""
    return [csv_cell(v) for v in values]


def xlsx_text(value: Any) -> Any:
    """A value for an XLSX cell: text without the control characters the format cannot hold."""
    return _XLSX_ILLEGAL.sub("", value) if isinstance(value, str) else value


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a value to a worksheet cell as data: text stays text (openpyxl would make '=…' a formula)."""
    cell = ws.cell(row=row, column=column, value=xlsx_text(value))
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def append(ws: Any, values: Any) -> None:
    """A row appended to a worksheet, each cell written with `put`."""
    r = ws.max_row + 1 if ws.max_row > 1 or any(c.value is not None for c in ws[1]) else 1
    for j, v in enumerate(values, start=1):
        put(ws, r, j, v)
