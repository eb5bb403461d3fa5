"""`bargain report …` from the command line: every format, files, errors and exit codes, in-process and as a real
process, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, run_bargain
from tests.helpers import report_city

city = pytest.fixture(name="city")(report_city.on_cli)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_campaign_json_has_the_cli_md_shape_and_definitions(city: Cli) -> None:
    body = json.loads(ok(city("report", "campaign", "--year", "2026", "--org", "320500", "--format", "json")))
    assert (body["year"], body["org"], body["group_by"]) == (2026, "320500", "org")
    keys = {"group", "offers", "offers_upper", "upper_share", "accepted", "acceptance_rate", "refused", "pending", "signed",
            "effective", "workers_covered"}
    assert all(keys <= set(r) for r in body["rows"])
    assert keys - {"group"} <= set(body["total"])
    assert body["total"]["offers"] == 6 and body["total"]["upper_share"] == 0.5
    assert body["definitions"]["acceptance_rate"]["en"].startswith("acceptance_rate = accepted / offers")


def test_campaign_table_prints_percentages_and_the_definitions(city: Cli) -> None:
    out = ok(city("report", "campaign", "--year", "2026", "--org", "320500", lang="zh"))
    assert "合计" in out and "66.7%" in out and "50.0%" in out
    assert "口径说明" in out and "应约率 = 应约数 ÷ 要约数" in out


def test_campaign_csv_and_md_go_to_stdout(city: Cli) -> None:
    out = ok(city("report", "campaign", "--year", "2026", "--org", "320500", "--by", "size", "--format", "csv"))
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert [r["group"] for r in rows] == ["<50", "50-99", "100+", "total"]
    md = ok(city("report", "campaign", "--year", "2026", "--org", "320500", "--format", "md"))
    assert md.startswith("# Offer campaign 2026") and "## Definitions" in md


def test_xlsx_and_png_are_written_to_out_and_the_format_follows_the_extension(city: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx, png = tmp_path / "c.xlsx", tmp_path / "c.png"
    assert "written" in ok(city("report", "campaign", "--year", "2026", "--org", "320500", "--out", str(xlsx)))
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["2026", "Definitions"]
    ok(city("report", "coverage", "--as-of", "2026-06-30", "--org", "320500", "--format", "png", "--out", str(png)))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = tmp_path / "f.md"
    ok(city("report", "funnel", "--year", "2026", "--org", "320500", "--out", str(md)))
    assert "median" in md.read_text(encoding="utf-8")


def test_coverage_and_funnel_json(city: Cli) -> None:
    body = json.loads(ok(city("report", "coverage", "--as-of", "2026-06-30", "--org", "320500", "--compare", "2025",
                              "--format", "json")))
    assert body["as_of"] == "2026-06-30" and body["total"]["covered"] == 2 and body["compare"]["as_of"] == "2025-06-30"
    assert body["targets"]["coverage_50"] == 1.0 and body["meets"]["coverage"] is False
    body = json.loads(ok(city("report", "funnel", "--year", "2026", "--org", "320500", "--format", "json")))
    assert body["offers"] == 6 and body["medians"]["offer_to_reply"] == {"days": 7, "cases": 5}


def test_an_unknown_org_is_refused_with_one_line(city: Cli) -> None:
    result = city("report", "campaign", "--year", "2026", "--org", "999999")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "999999" in result.stderr
    result = city("report", "campaign", "--year", "2026", "--org", "999999", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)


@pytest.mark.parametrize("args, word", [
    (["campaign", "--year", "26"], "four-digit year"),
    (["coverage", "--as-of", "2026-13-40"], "no such day"),
    (["campaign", "--year", "2026", "--compare", "99999"], "four-digit year"),
])
def test_bad_values_are_refused(city: Cli, args: list[str], word: str) -> None:
    result = city("report", *args)
    assert result.exit_code == 1 and word in result.stderr


def test_a_file_that_cannot_be_written_is_refused(city: Cli, tmp_path: Path) -> None:
    result = city("report", "campaign", "--year", "2026", "--out", str(tmp_path / "missing" / "c.xlsx"))
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_the_real_process_prints_json_and_exits_with_the_contract_codes(city: Cli, tmp_path: Path) -> None:
    proc = run_bargain("--db", city.url, "report", "campaign", "--year", "2026", "--org", "320505", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["total"]["offers"] == 3
    proc = run_bargain("--db", city.url, "report", "coverage", "--as-of", "31/31/2026")
    assert proc.returncode == 1 and proc.stderr.startswith("错误: --as-of 不是日期")
    proc = run_bargain("--db", city.url, "report", "campaign", "--year", "2026", "--by", "colour")
    assert proc.returncode == 2
    png = tmp_path / "nofont.png"
    proc = run_bargain("--db", city.url, "--lang", "en", "report", "campaign", "--year", "2026", "--out", str(png),
                       env={"BARGAIN_CJK_FONT": "none"})
    assert proc.returncode == 0 and "fonts-noto-cjk" in proc.stderr and png.stat().st_size > 10_000


def test_overdue_report_from_the_command_line(city: Cli, tmp_path: Path) -> None:
    body = json.loads(ok(city("report", "overdue", "--as-of", "2026-06-30", "--org", "320500", "--format", "json")))
    assert body["total"]["cases"] == 4 and body["total"]["publication"] == 2
    out = tmp_path / "overdue.png"
    ok(city("report", "overdue", "--as-of", "2026-06-30", "--org", "320500", "--out", str(out)))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_org_code_typed_with_full_width_digits_is_understood(city: Cli) -> None:
    body = json.loads(ok(city("report", "campaign", "--year", "2026", "--org", " ３２０５０５ ",
                              "--format", "json")))
    assert body["org"] == "320505" and body["total"]["offers"] == 3


@pytest.mark.parametrize("report", [
    ("funnel", "--year", "2026"), ("campaign", "--year", "2026", "--by", "size"), ("coverage", "--by", "size"),
    ("overdue",),
])
def test_json_and_csv_are_the_same_whatever_lang(city: Cli, report: tuple[str, ...]) -> None:
    """CLI.md: JSON is stable and CSV keys are English; the labels inside (group_name: a funnel state, a size band,
    an organisation's "(direct)") are the English ones under --lang zh too, so a script reads one file."""
    for fmt in ("json", "csv"):
        zh = ok(city("report", *report, "--org", "320500", "--format", fmt, lang="zh"))
        en = ok(city("report", *report, "--org", "320500", "--format", fmt, lang="en"))
        assert zh == en
    if report[0] == "funnel":
        assert "已要约" not in zh and "offer sent" in zh
