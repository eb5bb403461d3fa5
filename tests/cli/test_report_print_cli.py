"""Report files as a federation files them, through the real command: a wide report's PDF keeps every column on the
A4 page (long Chinese headers wrap instead of pushing columns off the edge) and an organisation's name stays
readable in its column, wrapped rather than cut to two characters a line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, seed_city

LONG = "苏州市机械冶金行业工会联合会"
MARGIN = 16 / 25.4 * 72  # the page's side margins (16 mm), in points


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def first_page(path: Path) -> tuple[float, list[float], list[str]]:
    """The first page's width, where each text-showing operator starts (x, points) and its lines of text."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(path.read_bytes())).pages[0]
    starts: list[float] = []

    def visit(op: bytes, _args: Any, cm: Any, tm: Any) -> None:
        if op in (b"Tj", b"TJ"):
            starts.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

    lines = page.extract_text(visitor_operand_before=visit).splitlines()
    return float(page.mediabox.width), starts, lines


@pytest.mark.parametrize("report, args", [("coverage", ["--as-of", "2026-06-01"]), ("quality", ["--year", "2026"]),
                                          ("campaign", ["--year", "2026"])])
def test_a_wide_report_pdf_keeps_every_column_on_the_page_and_names_readable(cli: Cli, tmp_path: Path, report: str,
                                                                              args: list[str]) -> None:
    seed_city(cli.url)
    ok(cli("org", "add", "320599", LONG, "--kind", "industry", "--parent", "320500"))
    out = tmp_path / f"{report}.pdf"
    ok(cli("report", report, *args, "--org", "320500", "--out", str(out), lang="zh"))
    width, starts, lines = first_page(out)
    assert max(starts) < width - MARGIN, f"text starts at {max(starts):.0f} pt, past the right margin of {width:.0f}"
    assert any(LONG[:6] in t for t in lines), f"the organisation's name is chopped: {[t for t in lines if t in LONG]}"


def test_a_narrow_column_s_chinese_header_wraps_two_characters_a_line_not_one(cli: Cli, tmp_path: Path) -> None:
    """The quality report's counts (合同数, 平均得分, 照抄参考文本 …) sit beside long score headers: their columns
    stay at least two characters wide, so a header reads 平均 / 得分, not one character a line down the cell."""
    seed_city(cli.url)
    out = tmp_path / "quality.pdf"
    ok(cli("report", "quality", "--year", "2026", "--org", "320500", "--out", str(out), lang="zh"))
    _, _, lines = first_page(out)
    alone = sorted({t for t in lines if len(t) == 1} & set("合同平均得分照抄参考典型案例"))
    assert not alone, f"headers broken one character a line: {alone}"


def test_the_campaign_csv_says_which_block_a_row_is_in_when_a_regional_section_follows(cli: Cli) -> None:
    import csv
    import json

    from tests.helpers.regional_town import WALK, seed

    seed(cli.url)
    opened = json.loads(ok(cli("case", "open", "320506001", "--workflow", "regional_wage", "--at", "2026-03-01",
                               "--format", "json")))
    for trigger, args in WALK[:2]:
        ok(cli("case", "advance", str(opened["case_id"]), trigger, *args))
    for extra in ([], ["--compare", "2025"]):
        body = ok(cli("report", "campaign", "--year", "2026", "--org", "320500", *extra, "--format", "csv", lang="zh"))
        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        doc = json.loads(ok(cli("report", "campaign", "--year", "2026", "--org", "320500", *extra, "--format", "json")))
        regional = [(r["group"], int(r["offers"])) for r in rows if r["series"] == "regional"]
        assert regional == [(g["group"], g["offers"]) for g in doc["regional"]["rows"]] + [("total", 1)]
        assert {r["series"] for r in rows} == ({"2026", "regional"} if not extra else {"2026", "2025", "change", "regional"})


def test_a_long_organisation_name_wraps_in_the_xlsx_rather_than_being_cut_by_the_next_column(cli: Cli,
                                                                                               tmp_path: Path) -> None:
    from openpyxl import load_workbook

    longest = "苏州市机械冶金电子信息与先进制造业产业工会联合会（筹）"
    seed_city(cli.url)
    ok(cli("org", "add", "320599", longest, "--kind", "industry", "--parent", "320500"))
    out = tmp_path / "建制率 2026.xlsx"
    ok(cli("report", "coverage", "--as-of", "2026-06-01", "--org", "320500", "--out", str(out), lang="zh"))
    ws = load_workbook(out).worksheets[0]
    (row,) = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == longest]
    assert ws.cell(row, 1).alignment.wrap_text is True
    assert ws.row_dimensions[row].height >= 30  # two lines at least: 56 units of name in a 40-unit column
    short = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "高新区总工会")
    assert not ws.cell(short, 1).alignment.wrap_text and ws.row_dimensions[short].height is None
    assert ws.freeze_panes == "B3" and ws.cell(2, 2).value == "企业数"
