"""Downloads as a person saves them: a Chinese file name in zh (RFC 6266 filename*, an ASCII fallback), English in en,
files that open, and a district manager's export holding only the district."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import unquote

from docx import Document
from openpyxl import load_workbook

from tests.web.conftest import log_in


def _names(disposition: str) -> tuple[str, str]:
    ascii_name = re.search(r'filename="([^"]+)"', disposition)
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert ascii_name and utf8, disposition
    assert ascii_name.group(1).isascii()
    return ascii_name.group(1), unquote(utf8.group(1))


def test_the_case_list_downloads_under_a_chinese_name_and_opens(app: Any) -> None:
    client = log_in(app, "huqiu")
    r = client.get("/cases?format=csv")
    fallback, name = _names(r.headers["content-disposition"])
    assert re.fullmatch(r"案件列表-\d{4}-\d{2}-\d{2}\.csv", name) and fallback.startswith("cases-")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "案件编号" and len(rows) > 1
    assert {row[3][:6] for row in rows[1:]} == {"320505"}  # the district's cases only
    x = client.get("/cases?format=xlsx")
    assert _names(x.headers["content-disposition"])[1].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None and sheet.max_row == len(rows)
    en = client.get("/cases?format=csv&lang=en")
    assert _names(en.headers["content-disposition"])[1].startswith("cases-")


def test_the_annual_summary_downloads_under_the_counselors_name(app: Any) -> None:
    client = log_in(app, "chen")
    r = client.get("/counselors/3/summary?year=2026&format=docx")
    fallback, name = _names(r.headers["content-disposition"])
    assert name == "陈明-2026年度工作总结.docx" and fallback == "counselor-summary-3-2026.docx"
    assert Document(io.BytesIO(r.content)).paragraphs[0].text
