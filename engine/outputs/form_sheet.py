"""The registration form written as a printable XLSX (A4 landscape, bordered, CJK font) or as CSV (UTF-8 with BOM).

Files are written whole or not at all: into a temporary file beside the target, then renamed over it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from engine.cell import csv_row, put
from engine.errors import DataError
from engine.outputs.files import write_atomic
from engine.outputs.page import Filing, print_ready
from engine.registration import COLUMNS, TITLE, Form

FONT = "宋体"  # SimSun: what a federation's printed forms use; spreadsheet programs fall back to a CJK font
TITLE_FONT = "黑体"
# Column widths in characters, sized for Chinese text (a CJK character is about two units wide).
WIDTHS = (6, 12, 6, 6, 10, 30, 28, 30, 16)
# The header line's four parts span these columns (1-based, inclusive) under the title.
HEADER_SPANS = ((1, 3), (4, 5), (6, 7), (8, 9))
BLANK_ROWS = 5  # empty ruled rows under the listed counselors, to add someone by hand as the notice's form allows
NOTE_FILE = "registration_note.txt"


def notes_from_text(text: str) -> tuple[str, ...]:
    """The notes of a template: one paragraph per non-empty line; lines starting with # are the template's own comments."""
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def load_notes(path: Path | None = None) -> tuple[str, ...]:
    """The notes printed under the form: from the federation's template file, else the shipped Dalian wording."""
    from importlib import resources

    if path is None:
        return notes_from_text(resources.files("data").joinpath(NOTE_FILE).read_text(encoding="utf-8"))
    try:
        return notes_from_text(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"无法读取注释模板 {path}：{exc}", f"cannot read the note template {path}: {exc}",
                        hint_zh="模板为 UTF-8 文本，每行一段", hint_en="the template is UTF-8 text, one paragraph a line",
                        rule="note_file", actual=str(path)) from None


def csv_text(form: Form, *, blank_rows: int = BLANK_ROWS, notes: tuple[str, ...] | None = None) -> str:
    """The form as CSV rows: title, header line, the columns, one row per counselor, blank rows, the notes."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(csv_row([TITLE]))
    w.writerow(csv_row(form.header))
    w.writerow(csv_row(COLUMNS))
    for row in form.rows:
        w.writerow(csv_row(row))
    for _ in range(blank_rows):
        w.writerow([""] * len(COLUMNS))
    for note in load_notes() if notes is None else notes:
        w.writerow(csv_row([note]))
    return buf.getvalue()


def write_csv(form: Form, path: Path, *, blank_rows: int = BLANK_ROWS, notes: tuple[str, ...] | None = None) -> None:
    """The form as CSV, UTF-8 with BOM (so Excel opens the Chinese correctly)."""
    text = csv_text(form, blank_rows=blank_rows, notes=notes)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8-sig", newline=""))


def workbook(form: Form, *, blank_rows: int = BLANK_ROWS, notes: tuple[str, ...] | None = None) -> Any:
    """The form as an openpyxl workbook laid out like the notice's attachment, ruled blank rows to fill by hand
    under the listed counselors, and the notes of the template (`load_notes`) under the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    notes = load_notes() if notes is None else notes
    n = len(COLUMNS)
    last = get_column_letter(n)
    wb = Workbook()
    ws = wb.create_sheet("登记表", 0)
    for other in wb.sheetnames[1:]:  # the default empty sheet
        del wb[other]
    wb.properties.title = TITLE
    wb.properties.creator = "bargain"

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = TITLE
    ws["A1"].font = Font(name=TITLE_FONT, size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36

    for (first, end), text in zip(HEADER_SPANS, form.header):
        if end > first:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=end)
        cell = put(ws, 2, first, text)
        cell.font = Font(name=FONT, size=11)
        cell.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 24

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, label in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=3, column=col, value=label)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[col - 1]
    ws.row_dimensions[3].height = 36

    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(form.rows, start=4):
        for col, value in enumerate(row, start=1):
            cell = put(ws, r, col, value)
            cell.font = Font(name=FONT, size=11)
            cell.border = border
            cell.alignment = wrap_left if COLUMNS[col - 1] in ("参加相关培训情况", "所在单位名称") else centred
            if COLUMNS[col - 1] == "联系电话":
                cell.number_format = "@"  # a phone number is text: keep leading zeros and area-code dashes
        ws.row_dimensions[r].height = 30
    for r in range(4 + len(form.rows), 4 + len(form.rows) + blank_rows):
        for col in range(1, n + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = border
            cell.font = Font(name=FONT, size=11)
        ws.row_dimensions[r].height = 30

    r = 4 + len(form.rows) + blank_rows + 1  # one empty row between the table and the notes, as printed
    for note in notes:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        cell = ws.cell(row=r, column=1, value=note)
        cell.font = Font(name=FONT, size=10)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = 15 * (1 + len(note) // 80)
        r += 1

    # The notice prints the form landscape: 144 width units, wider than a portrait page.
    print_ready(ws, width=sum(WIDTHS), title_rows="1:3", filing=Filing(form.unit, form.filler, form.filled_on, "填表人"), lang="zh",
                last_col=last, last_row=r - 1)
    ws.freeze_panes = "A4"
    return wb


def write_xlsx(form: Form, path: Path, *, blank_rows: int = BLANK_ROWS, notes: tuple[str, ...] | None = None) -> None:
    """The form as a printable XLSX."""
    wb = workbook(form, blank_rows=blank_rows, notes=notes)
    write_atomic(path, lambda tmp: wb.save(tmp))
