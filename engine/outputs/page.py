"""Print set-up shared by every workbook we write: A4, landscape when wide, one page wide, repeated title rows,
a header with the reporting unit and a footer with the preparer, the date and page numbers.

A federation files these sheets on paper; a sheet that prints three pages wide, or a second page without its
column headings, goes back to be redone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

# Printable width of an A4 portrait page at the default margins, in Excel column-width units (about one Latin
# character each). Wider sheets print landscape; fit-to-width scales whatever is still too wide.
PORTRAIT_WIDTH = 95


@dataclass(frozen=True)
class Filing:
    """Who files a sheet: the reporting unit (填报单位), the preparer (制表人) and the day it was prepared."""

    unit: str = ""
    preparer: str = ""
    on: date | None = None
    preparer_zh: str = "制表人"  # the registration form says 填表人


def cn_day(d: date) -> str:
    """2026年4月10日."""
    return f"{d.year}年{d.month}月{d.day}日"


def header_footer_texts(filing: Filing, lang: str) -> tuple[str, str, str, str]:
    """The four texts: header left, footer left, footer centre (page numbers), footer right."""
    zh = lang == "zh"
    on = (cn_day(filing.on) if zh else filing.on.isoformat()) if filing.on else ""
    return (
        (f"填报单位：{filing.unit}" if zh else f"Reporting unit: {filing.unit}"),
        (f"{filing.preparer_zh}：{filing.preparer}" if zh else f"Prepared by: {filing.preparer}"),
        ("第 &P 页，共 &N 页" if zh else "Page &P of &N"),
        (f"日期：{on}" if zh else f"Date: {on}"),
    )


def _code_safe(text: str) -> str:
    # "&" starts a header/footer code in Excel; a literal ampersand is written "&&".
    return text.replace("&", "&&")


def print_ready(ws: Any, *, width: float, title_rows: str, filing: Filing, lang: str, last_col: str, last_row: int) -> None:
    """Set up one worksheet for printing: A4, orientation by width, fit to one page wide, title rows, header, footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{last_col}{max(last_row, 1)}"
    head_left, foot_left, foot_centre, foot_right = header_footer_texts(filing, lang)
    # Labels print even when empty: the blank is filled in by hand before the sheet is filed.
    ws.oddHeader.left.text = _code_safe(head_left)
    ws.oddHeader.left.size = 10
    ws.oddFooter.left.text = _code_safe(foot_left)
    ws.oddFooter.center.text = foot_centre
    ws.oddFooter.right.text = _code_safe(foot_right)
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9
