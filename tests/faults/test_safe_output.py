"""Safe output (issue 14, item 4): no cell we write runs as a formula, control characters never crash a
writer and are refused at import with the row named, and HTML escapes every free-text field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_bargain, seed_city
from tests.faults.conftest import assert_fault, content

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0",
            "\t=1+2", "\r=1+2"]
SCRIPT = "<script>alert(1)</script>"


def test_the_csv_cell_rule_prefixes_formulas_and_leaves_numbers_alone() -> None:
    from engine.cell import csv_cell

    assert [csv_cell(f)[0] for f in FORMULAS] == ["'"] * len(FORMULAS)
    assert [csv_cell(v) for v in ("-3", "+1.5", "-0.25", "12%", 7, -2.5, "甲公司", "")] == ["-3", "+1.5", "-0.25", "12%", 7, -2.5,
                                                                                          "甲公司", ""]


@pytest.fixture
def formula_city(tmp_path: Path) -> str:
    """A city whose organisations, enterprises and industries are named with formulas."""
    from engine.store import directory
    from engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'f.db'}"
    seed_city(url)
    s = Store(url)
    with s.engine.begin() as conn:
        for i, name in enumerate(FORMULAS[:4]):
            directory.upsert_org(conn, f"32059{i}", name, "district", "320500")
        directory.add_counselor(conn, {"name": "=1+1", "kind": "full_time", "status": "retired", "org_code": "320505",
                                       "employer": "@SUM(A1)", "training": "+x", "phone": "-1"})
    s.dispose()
    return url


def _formula_cells(values: list[str]) -> list[str]:
    return [v for v in values if v and v[0] in "=+-@\t\r" and not v.lstrip("+-").replace(".", "", 1).isdigit()]


def test_a_report_as_csv_writes_formula_names_as_text(formula_city: str, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    result = run_bargain("--db", formula_city, "report", "campaign", "--year", "2026", "--org", "320500", "--out", str(out))
    assert result.returncode == 0, result.stderr
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    assert _formula_cells(cells) == []
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'+cmd|' /C calc'!A0" in cells


def test_a_report_as_xlsx_stores_formula_names_as_strings(formula_city: str, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "r.xlsx"
    result = run_bargain("--db", formula_city, "report", "campaign", "--year", "2026", "--org", "320500", "--out", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    formulas = [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    names = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert FORMULAS[0] in names


def test_the_registration_form_writes_formula_cells_as_text_in_csv_and_xlsx(formula_city: str, tmp_path: Path) -> None:
    import openpyxl

    csv_out, xlsx_out = tmp_path / "form.csv", tmp_path / "form.xlsx"
    for out in (csv_out, xlsx_out):
        result = run_bargain("--db", formula_city, "counselor", "form", "--org", "320500", "--out", str(out), "--date", "2026-04-10")
        assert result.returncode == 0, result.stderr
    cells = [c for row in csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))) for c in row]
    assert "'=1+1" in cells and "'@SUM(A1)" in cells and _formula_cells(cells) == []
    ws = openpyxl.load_workbook(xlsx_out).worksheets[0]
    assert [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    assert "=1+1" in {c.value for row in ws.iter_rows() for c in row}


def test_rejected_rows_are_written_safe_and_import_again_as_they_were(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    seed_city(url)
    src = tmp_path / "ents.csv"
    src.write_text("credit_code,name,org_code,industry,employees,has_union\n"
                   "91320505000000005H,=1+1,320505,+x,-5,是\n", encoding="utf-8")
    result = run_bargain("--db", url, "enterprise", "import", str(src), "--skip-invalid")
    assert result.returncode == 0, result.stderr
    rejected = tmp_path / "ents.rejected.csv"
    cells = list(csv.reader(io.StringIO(rejected.read_text(encoding="utf-8-sig"))))[1]
    assert cells[1:5] == ["'=1+1", "320505", "'+x", "-5"]
    fixed = rejected.read_text(encoding="utf-8-sig").replace(",-5,", ",5,")
    rejected.write_text(fixed, encoding="utf-8-sig")
    again = run_bargain("--db", url, "enterprise", "import", str(rejected))
    assert again.returncode == 0, again.stderr
    listed = json.loads(run_bargain("--db", url, "enterprise", "list", "--format", "json").stdout)
    assert {"=1+1"} <= {e["name"] for e in listed}


def test_a_control_character_in_an_imported_name_is_refused_with_its_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    seed_city(url)
    before = content(tmp_path / "c.db")
    src = tmp_path / "ents.csv"
    src.write_text("credit_code,name,org_code,industry,employees,has_union\n"
                   "91320505000000005H,甲\x07公司,320505,餐饮,5,是\n", encoding="utf-8")
    result = run_bargain("--db", url, "--lang", "en", "enterprise", "import", str(src))
    assert result.returncode == 1
    assert "row 2" in result.stderr and "U+0007" in result.stderr and "Traceback" not in result.stderr
    assert content(tmp_path / "c.db") == before


def test_a_stored_name_with_control_characters_still_exports_to_xlsx(tmp_path: Path) -> None:
    from engine.store import directory
    from engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'x.db'}"
    seed_city(url)
    s = Store(url)
    with s.engine.begin() as conn:  # written before imports refused them
        conn.execute(directory.org_t.update().where(directory.org_t.c.code == "320505").values(name="高新\x01区\x1f总工会"))
    s.dispose()
    out = tmp_path / "r.xlsx"
    result = run_bargain("--db", url, "report", "campaign", "--year", "2026", "--org", "320500", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0


def test_org_add_with_a_control_character_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'o.db'}"
    seed_city(url)
    result = run_bargain("--db", url, "--lang", "en", "org", "add", "320599", "坏\x1b[31m名", "--parent", "320500")
    assert_fault(result, 1, needle="U+001B")


def test_a_ten_thousand_character_name_is_refused_at_the_edge_and_never_crashes_the_chart(tmp_path: Path) -> None:
    from engine.store import directory
    from engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'n.db'}"
    seed_city(url)
    long = "长" * 10_000
    assert_fault(run_bargain("--db", url, "--lang", "en", "org", "add", "320599", long), 1, needle="too long")
    s = Store(url)
    with s.engine.begin() as conn:
        conn.execute(directory.org_t.update().where(directory.org_t.c.code == "320505").values(name=long))
    s.dispose()
    out = tmp_path / "c.png"
    result = run_bargain("--db", url, "report", "campaign", "--year", "2026", "--org", "320500", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_every_free_text_field_of_a_timeline_is_escaped_in_html(tmp_path: Path) -> None:
    from engine.store import directory
    from engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'h.db'}"
    codes = seed_city(url)
    s = Store(url)
    with s.engine.begin() as conn:
        directory.upsert_org(conn, "320505", SCRIPT, "district", "320500")
        conn.execute(directory.enterprise_t.update().values(name=SCRIPT, industry=SCRIPT))
        conn.execute(directory.counselor_t.update().values(name=SCRIPT, employer=SCRIPT))
    s.dispose()
    as_ = ["--db", url, "--as", SCRIPT]
    opened = run_bargain(*as_, "case", "open", codes["union"], "--at", "2026-03-01", "--counselor", "1", "--format", "json")
    assert opened.returncode == 0, opened.stderr
    case_id = str(json.loads(opened.stdout)["case_id"])
    steps = [
        ["case", "advance", case_id, "send_offer", "--set", "level=enterprise", "--at", "2026-03-02",
         "--note", SCRIPT],
        ["case", "log", case_id, "--by", "1", "--activity", "attend_round", "--hours", "2", "--note", SCRIPT, "--at", "2026-03-03"],
        ["case", "assign", case_id, "1", "--at", "2026-03-04"],
    ]
    for step in steps:
        r = run_bargain(*as_, *step)
        assert r.returncode == 0, (step, r.stderr)
    out = tmp_path / "t.html"
    r = run_bargain(*as_, "case", "timeline", case_id, "--format", "html", "--out", str(out))
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;") >= 3


def test_a_table_prints_names_as_they_are_never_as_rich_markup_or_emoji_codes(tmp_path: Path) -> None:
    """Rich reads "[b]" as a style and ":smile:" as an emoji: a name holding either lost text or changed in the
    table. The consoles print data verbatim."""
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store

    url = f"sqlite:///{tmp_path / 'm.db'}"
    seed_city(url)
    odd = "[b]甲[/b]:smile:公司[red]"
    code = make_credit_code("320505", 7)
    s = Store(url)
    with s.engine.begin() as conn:
        directory.upsert_enterprises(conn, [{"credit_code": code, "name": odd, "org_code": "320505", "industry": "制造业",
                                             "employees": 50, "has_union": True}])
    s.dispose()
    opened = run_bargain("--db", url, "case", "open", code, "--format", "json", env={"BARGAIN_USER": "t"})
    assert opened.returncode == 0, opened.stderr
    case_id = str(json.loads(opened.stdout)["case_id"])
    for args in (["case", "show", case_id], ["case", "timeline", case_id], ["deadlines", "--org", "320505", "--all"]):
        shown = run_bargain("--db", url, *args, env={"BARGAIN_USER": "t"})
        assert shown.returncode == 0, (args, shown.stderr)
        if args[0] != "deadlines":  # a case just opened has no deadline yet: the enterprise is named in the case views
            assert odd in shown.stdout.replace("\n", ""), (args, shown.stdout)
        assert "😄" not in shown.stdout
