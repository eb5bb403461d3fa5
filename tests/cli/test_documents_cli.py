"""Documents a federation files, made by the real command line and read back: the timeline as a vertical HTML
page and as a PDF (pypdf: Chinese text, A4, page numbers), report PDFs, the annual summary as docx (python-docx:
page-number fields, signature block, metadata, 经验和体会) and PDF, and refused extensions."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk

A4 = (595, 842)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def pdf(path: Path) -> Any:
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def size(page: Any) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


@pytest.fixture
def walked(cli: Cli) -> int:
    codes = seed_city(cli.url)
    case = open_case(cli, codes["union"])
    walk(cli, case, STEPS[:7])
    ok(cli("case", "log", str(case), "--by", "1", "--activity", "遇到的困难", "--hours", "2", "--at", "2026-04-02T16:00",
           "--note", "企业以订单下滑为由不愿增资", lang="zh"))
    ok(cli("case", "log", str(case), "--by", "1", "--activity", "经验和体会", "--at", "2026-04-16",
           "--note", "事前沟通比会上争论更有效", lang="zh"))
    return case


def test_the_html_timeline_is_a_vertical_list_with_trigger_data_in_words_and_cited_sources(cli: Cli, walked: int,
                                                                                             tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    ok(cli("case", "timeline", str(walked), "--out", str(out), lang="zh"))
    page = out.read_text(encoding="utf-8")
    assert '<ol class="timeline">' in page and "<table" not in page
    assert page.count('<li class="entry') >= 9
    assert "层级：企业工会要约" in page and "主持方：职工方" in page and "表决机构：职代会" in page
    assert "level=" not in page and "art." not in page
    assert "依据：《集体合同规定》第三十六条" in page
    assert "@page" in page and "size: A4" in page and "counter(pages)" in page and "http" not in page


def test_the_pdf_timeline_is_a4_with_chinese_text_and_page_numbers(cli: Cli, walked: int, tmp_path: Path) -> None:
    out = tmp_path / "案件时间线.pdf"
    said = ok(cli("case", "timeline", str(walked), "--out", str(out), lang="zh"))
    assert str(out) in said
    reader = pdf(out)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "甲公司" in text and "发出要约" in text and "《集体合同规定》第三十六条" in text
    assert "第 1 页，共" in text
    assert all(size(p) == A4 for p in reader.pages)
    assert reader.metadata.title == f"案件 {walked} 时间线"


def test_report_pdfs_are_a4_landscape_when_wide_with_the_filing_lines(cli: Cli, walked: int, tmp_path: Path) -> None:
    wide, narrow = tmp_path / "campaign.pdf", tmp_path / "funnel.pdf"
    ok(cli("--as", "张军", "report", "campaign", "--year", "2026", "--org", "320500", "--out", str(wide), lang="zh"))
    ok(cli("report", "funnel", "--year", "2026", "--org", "320500", "--format", "pdf", "--out", str(narrow), lang="zh"))
    page = pdf(wide).pages[0]
    assert size(page) == A4[::-1]
    text = page.extract_text()
    assert "2026 年度要约行动" in text and "填报单位：苏州市总工会" in text and "制表人：张军" in text and "合计" in text
    funnel = pdf(narrow).pages[0]
    assert size(funnel) == A4 and "各环节天数中位数" in funnel.extract_text()


def test_an_extension_that_contradicts_the_format_is_refused_naming_the_formats(cli: Cli, walked: int, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = cli("report", "campaign", "--year", "2026", "--org", "320500", "--format", "table", "--out", str(target))
    assert result.exit_code == 1 and "pdf (.pdf)" in result.stderr and "xlsx (.xlsx)" in result.stderr
    assert not target.exists()
    unknown = cli("report", "campaign", "--year", "2026", "--org", "320500", "--out", str(tmp_path / "report.docx"))
    assert unknown.exit_code == 1 and ".docx" in unknown.stderr and "csv (.csv)" in unknown.stderr
    timeline = cli("case", "timeline", str(walked), "--format", "md", "--out", str(tmp_path / "t.pdf"))
    assert timeline.exit_code == 1 and "html (.html)" in timeline.stderr


@pytest.mark.parametrize("command", [
    ("report", "campaign", "--year", "2026", "--org", "320500"),
    ("report", "funnel", "--year", "2026", "--org", "320500", "--format", "json"),
    ("counselor", "summary", "1", "--year", "2026"),
    ("counselor", "form", "--org", "320500"),
])
def test_an_out_file_without_an_extension_is_refused_naming_the_formats(cli: Cli, walked: int, tmp_path: Path,
                                                                         command: tuple[str, ...]) -> None:
    """README: the format follows --out's extension; one that names another format, or none, is refused (a file
    called `report` nobody could open by its name), with or without --format."""
    target = tmp_path / "report"
    result = cli(*command, "--out", str(target))
    assert result.exit_code == 1, result.output
    assert "no extension" in result.stderr and ("csv (.csv)" in result.stderr or "md (.md)" in result.stderr)
    assert not target.exists()
    timeline = cli("case", "timeline", str(walked), "--format", "pdf", "--out", str(tmp_path / "t"))
    assert timeline.exit_code == 1 and "t.pdf" in timeline.stderr and not (tmp_path / "t").exists()


def test_the_annual_summary_docx_has_page_numbers_a_signature_block_its_metadata_and_the_experience(
        cli: Cli, walked: int, tmp_path: Path) -> None:
    from docx import Document

    mine = tmp_path / "经验体会.txt"
    mine.write_text("指导协商，\n先要摸清企业经营状况。\n\nSecond paragraph.\n", encoding="utf-8")
    out = tmp_path / "总结.docx"
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    ok(cli("counselor", "summary", "1", "--year", "2026", "--experience", str(mine), "--out", str(out), lang="zh"))
    d = Document(str(out))
    props = d.core_properties
    assert props.author == "王建国" and props.title == "王建国 2026 集体协商指导员年度工作总结"
    assert props.created is not None and before <= props.created <= datetime.now(UTC) + timedelta(seconds=1)
    assert props.modified == props.created and props.last_printed is None and props.comments == ""
    footer = d.sections[0].footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "第 " in footer
    texts = [p.text for p in d.paragraphs]
    seven = texts.index("七、经验和体会")
    assert texts[seven + 1] == "指导协商，先要摸清企业经营状况。"  # a line break in Chinese prose is no space
    assert texts[seven + 2] == "Second paragraph."
    assert any("事前沟通比会上争论更有效" in t for t in texts[seven:])  # logged as 经验和体会 too
    signs = [p for p in d.paragraphs if p.text.startswith(("指导员（签名）：", "所属工会（盖章）：", "日期："))]
    assert [p.text.split("：")[0] for p in signs] == ["指导员（签名）", "所属工会（盖章）", "日期"]
    assert all(p.alignment == 2 for p in signs)  # right-aligned, as a signature block
    assert signs[0].text.endswith("_" * 20) and "年" in signs[2].text and "月" in signs[2].text


def test_without_experience_the_section_leaves_ruled_lines_to_write_on(cli: Cli, tmp_path: Path) -> None:
    from docx import Document

    seed_city(cli.url)
    out = tmp_path / "s.docx"
    ok(cli("counselor", "summary", "1", "--year", "2026", "--format", "docx", "--out", str(out), lang="zh"))
    d = Document(str(out))
    texts = [p.text for p in d.paragraphs]
    seven = texts.index("七、经验和体会")
    assert texts[seven + 1] == "（由指导员本人填写。）"
    ruled = [p for p in d.paragraphs[seven + 2:seven + 8] if "w:pBdr" in p._p.xml]
    assert len(ruled) == 6


def test_the_annual_summary_pdf_prints_with_page_numbers_and_the_signature_block(cli: Cli, walked: int, tmp_path: Path) -> None:
    out = tmp_path / "总结.pdf"
    ok(cli("counselor", "summary", "1", "--year", "2026", "--out", str(out), lang="zh"))
    reader = pdf(out)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "集体协商指导员年度工作总结" in text and "七、经验和体会" in text and "指导员（签名）" in text
    assert "第 1 页，共" in text and all(size(p) == A4 for p in reader.pages)


def test_json_documents_are_unchanged_by_the_new_formats(cli: Cli, walked: int) -> None:
    body = json.loads(ok(cli("counselor", "summary", "1", "--year", "2026", "--format", "json")))
    assert body["experiences"][0]["note"] == "事前沟通比会上争论更有效"
    assert {"cases", "hours", "by_activity", "difficulties", "solutions", "outcomes"} <= set(body)


def test_a_report_csv_keeps_english_keys_and_fractions_in_chinese_too_and_the_xlsx_has_chinese_headers(
        cli: Cli, walked: int, tmp_path: Path) -> None:
    import csv

    from openpyxl import load_workbook

    out = tmp_path / "campaign.csv"
    said = cli("report", "campaign", "--year", "2026", "--org", "320500", "--out", str(out), lang="zh")
    assert said.exit_code == 0 and str(out) in said.stdout
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the names in it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[-1]["group"] == "total" and rows[-1]["offers"] == "1" and float(rows[-1]["acceptance_rate"]) == 1.0
    assert cli("report", "campaign", "--year", "2026", "--org", "320500", "--format", "csv", lang="zh").stdout == \
        cli("report", "campaign", "--year", "2026", "--org", "320500", "--format", "csv", lang="en").stdout
    book = tmp_path / "campaign.xlsx"
    assert cli("report", "campaign", "--year", "2026", "--org", "320500", "--out", str(book), lang="zh").exit_code == 0
    values = [c.value for row in load_workbook(book).worksheets[0].iter_rows() for c in row]
    assert "要约数" in values and "应约率" in values
