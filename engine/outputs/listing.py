"""A plain list (headers and rows, e.g. the web's filtered case list) as CSV (UTF-8 with BOM, for Excel) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """CSV with a byte-order mark so Excel reads the Chinese headers right."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "cases") -> bytes:
    """One sheet: a bold header row, frozen, then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31] or "cases"
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(["" if v is None else v for v in row])
    ws.freeze_panes = "A2"
    for i, h in enumerate(headers, 1):
        width = max([len(str(h)) * 2, *(len(str(r[i - 1])) * 1.6 for r in rows[:200] if r[i - 1] is not None)], default=10)
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
