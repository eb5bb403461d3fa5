"""Imports from files the tests write as Excel users do: GB18030 and BOM CSVs, XLSX with real Excel cells,
bad rows named one by one with nothing written, --skip-invalid, --check, re-imports, listings. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.store.database import Store
from engine.store.tables import counselor_t, enterprise_t, org_t
from tests.conftest import Cli, run_bargain

ORGS = """组织代码,组织名称,类型,上级组织代码,地区配置
320505001,狮山街道总工会,街道,320505,
320505,高新区总工会,区,320500,
320500,苏州市总工会,市,,
320506,吴中区总工会,district,320500,
"""
A, B, C, D = (make_credit_code("320505", n) for n in (11, 12, 13, 14))
FULL_WIDTH = {c: c + 0xFEE0 for c in range(ord("0"), ord("Z") + 1) if chr(c).isalnum()}  # ０-９, Ａ-Ｚ


def count(url: str, table: Any) -> int:
    store = Store(url)
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    store.dispose()
    return int(n)


def orgs(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(ORGS, encoding="utf-8-sig")
    result = cli("org", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "orgs.csv: 4 inserted, 0 updated, 0 unchanged, 0 rejected" in result.stdout


def gb18030(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    return path


def refused_on_one_line(cli: Cli, path: Path, zh: str, en: str) -> str:
    """`counselor import PATH` refused (exit 1) on exactly this one line in Chinese, and in English with `en` in it;
    the English stderr."""
    result = cli("counselor", "import", str(path), lang="zh")
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [zh]
    english = cli("counselor", "import", str(path))
    assert english.exit_code == 1 and en in english.stderr
    return str(english.stderr)


def listed(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    body: list[dict[str, Any]] = json.loads(result.stdout)
    return body


def test_a_gb18030_file_with_chinese_headers_loads_and_importing_it_again_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    path = gb18030(tmp_path, "企业.csv", f""" 统一社会信用代码 ,企业名称 , 所属工会,行业,职工人数（人）,是否建会
{A},苏州狮山精密机械有限公司,320505001,制造业,１２０,是
{B.translate(FULL_WIDTH)},苏州高新餐饮管理有限公司,高新区总工会,住宿和餐饮业,23,否
{C}, 苏州吴中建材有限公司 ,320506,建筑业,"1,050",Y
""")
    first = cli("enterprise", "import", str(path))
    assert first.exit_code == 0, first.output
    assert "企业.csv: 3 inserted, 0 updated, 0 unchanged, 0 rejected (3 rows" in first.stdout
    assert listed(cli, "enterprise", "list", "--org", "320505") == [
        {"credit_code": B, "name": "苏州高新餐饮管理有限公司", "org_code": "320505", "industry": "住宿和餐饮业", "employees": 23,
         "has_union": False},
        {"credit_code": A, "name": "苏州狮山精密机械有限公司", "org_code": "320505001", "industry": "制造业", "employees": 120,
         "has_union": True},
    ]
    again = cli("enterprise", "import", str(path))
    assert "0 inserted, 0 updated, 3 unchanged, 0 rejected" in again.stdout
    assert listed(cli, "enterprise", "list")[2]["employees"] == 1050


def test_a_changed_row_updates_that_enterprise_and_a_missing_column_keeps_what_is_stored(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    full = tmp_path / "full.csv"
    full.write_text(f"credit_code,name,org_code,industry,employees,has_union\n{A},甲公司,320505001,制造业,120,yes\n"
                    f"{B},乙公司,320505,餐饮,30,no\n", encoding="utf-8")
    assert cli("enterprise", "import", str(full)).exit_code == 0
    names = tmp_path / "names.csv"
    names.write_text(f"credit_code,name,org_code\n{A},甲股份有限公司,320505001\n{B},乙公司,320505\n", encoding="utf-8")
    result = cli("enterprise", "import", str(names))
    assert "0 inserted, 1 updated, 1 unchanged, 0 rejected" in result.stdout
    rows = {r["credit_code"]: r for r in listed(cli, "enterprise", "list")}
    assert rows[A] == {"credit_code": A, "name": "甲股份有限公司", "org_code": "320505001", "industry": "制造业",
                       "employees": 120, "has_union": True}


def test_bad_rows_are_each_named_with_file_row_column_and_value_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    wrong_check = A[:-1] + ("0" if A[-1] != "0" else "1")
    path = gb18030(tmp_path, "bad.csv", f"""统一社会信用代码,企业名称,所属工会,行业,职工人数,是否建会
{B.translate(FULL_WIDTH)},全角代码有限公司,320505,制造业,10,是
{wrong_check},校验码错误有限公司,320505,制造业,10,是
{C},未知工会有限公司,999999,制造业,10,是
{D},甲公司,320505,制造业,十,也许
{B},重复有限公司,320505,制造业,10,是
""")
    result = cli("enterprise", "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (f"bad.csv row 3, column 统一社会信用代码 (credit_code), value '{wrong_check}': credit code "
                        f"{wrong_check} is invalid: wrong check character (GB 32100-2015)")
    assert lines[1].startswith("bad.csv row 4, column 所属工会 (org_code), value '999999': no organisation with code")
    assert lines[2] == ("bad.csv row 5, column 职工人数 (employees), value '十': '十' is not a whole number; "
                        "column 是否建会 (has_union), value '也许': '也许' is not yes/no (是/否, Y/N, 1/0)")
    assert lines[3] == f"bad.csv row 6, column 统一社会信用代码 (credit_code), value '{B}': duplicates row 2 (same credit_code)"
    assert lines[4] == "error: 4 bad rows; nothing was written: fix them and import again, or use --skip-invalid"
    assert "4 rejected" in result.stdout and "nothing written" in result.stdout
    assert count(cli.url, enterprise_t) == 0


def test_skip_invalid_writes_the_good_rows_and_puts_the_bad_ones_beside_the_input_with_a_reason(cli: Cli, tmp_path: Path) -> None:
    """The rejected file: the file's own header plus 行号 and 原因 (row, reason with --lang en), the rows in file order
    whatever check refused them (the full-time rule is checked when the batch is written, after a bad date), each
    reason naming the column as the header writes it and the value; fixed, it imports as it is."""
    orgs(cli, tmp_path)
    path = tmp_path / "mixed.csv"
    path.write_text(f"统一社会信用代码,企业名称,所属工会,职工人数\n{A},甲公司,320505,10\n{B},乙公司,nowhere,10\n"
                    f"{C},丙公司,320506,十\n{D},丁公司,320506,5\n", encoding="utf-8")
    result = cli("enterprise", "import", str(path), "--skip-invalid", lang="zh")
    assert result.exit_code == 0, result.output
    assert "新增 2，更新 0，无变化 0，拒绝 2" in result.stdout
    rejected = tmp_path / "mixed.rejected.csv"
    assert rejected.read_bytes().startswith(b"\xef\xbb\xbf")
    lines = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "统一社会信用代码,企业名称,所属工会,职工人数,行号,原因"
    assert lines[1].startswith(f"{B},乙公司,nowhere,10,3,列「所属工会（org_code）」，值「nowhere」：没有代码（或名称）为 nowhere "
                               "的工会组织")
    assert lines[2] == f"{C},丙公司,320506,十,4,列「职工人数（employees）」，值「十」：十 不是整数"
    assert len(lines) == 3
    assert count(cli.url, enterprise_t) == 2
    again = cli("enterprise", "import", str(rejected))  # the rejected file itself imports once fixed
    assert again.exit_code == 1 and "row 2, column 所属工会 (org_code), value 'nowhere'" in again.stderr
    rejected.write_text(rejected.read_text(encoding="utf-8-sig").replace("nowhere", "320505").replace(",十,", ",12,"),
                        encoding="utf-8-sig")
    fixed = cli("enterprise", "import", str(rejected))
    assert fixed.exit_code == 0 and "2 inserted, 0 updated" in fixed.stdout, fixed.output
    assert not (tmp_path / "mixed.rejected.rejected.csv").exists()

    path.write_text(f"credit_code,name,org_code\n{A},甲公司,320505\n{B},,nowhere\n", encoding="utf-8")
    assert cli("enterprise", "import", str(path), "--skip-invalid").exit_code == 0
    lines = rejected.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "credit_code,name,org_code,row,reason"
    people = tmp_path / "people.csv"
    people.write_text("指导员姓名,出生日期,类别,状态,所属工会\n李四,1970-01-02,专职,在职,320505\n王五,1970-13-01,兼职,在职,320505\n"
                      "赵六,1971-01-01,兼职,在职,320505\n", encoding="utf-8")
    assert cli("counselor", "import", str(people), "--skip-invalid").exit_code == 0
    table = list(csv.reader(io.StringIO((tmp_path / "people.rejected.csv").read_text(encoding="utf-8-sig"))))
    assert [r[5] for r in table] == ["row", "2", "3"]
    assert table[1][6].startswith("column 状态 (status), value '在职': staff in service")
    assert lines[1] == (f"{B},,nowhere,3,\"column name, value '': is empty (required); column org_code, value 'nowhere': "
                        "no organisation with code (or name) nowhere; import organisations first with bargain org import\"")


def test_check_validates_every_row_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    path = tmp_path / "ok.csv"
    path.write_text(f"credit_code,name,org_code\n{A},甲,320505\n{B},乙,320506\n", encoding="utf-8")
    result = cli("enterprise", "import", str(path), "--check", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["inserted"] == 2 and body["written"] is False and body["check"] is True and body["errors"] == []
    assert count(cli.url, enterprise_t) == 0


def test_an_xlsx_made_in_excel_with_date_number_and_boolean_cells_loads(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["2026年企业名单"])  # a title row above the header
    ws.append(["统一社会信用代码", "企业名称", "所属工会", "职工人数", "是否建会"])
    ws.append([A, "甲公司", 320505001, 120, True])
    ws.append([B, "乙公司", 320505, 35.0, False])
    book.save(tmp_path / "企业.xlsx")
    result = cli("enterprise", "import", str(tmp_path / "企业.xlsx"))
    assert result.exit_code == 0, result.output
    assert {(r["credit_code"], r["org_code"], r["employees"], r["has_union"]) for r in listed(cli, "enterprise", "list")} == {
        (A, "320505001", 120, True), (B, "320505", 35, False)}

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "指导员"
    ws.append(["指导员姓名", "性别", "出生日期", "类别", "状态", "聘用开始日期", "聘用结束日期", "联系电话", "所属工会"])
    ws.append(["王建国", "男", datetime(1958, 5, 12), "专职", "退休", datetime(2025, 1, 1), datetime(2027, 12, 31),
               13800000000, 320505])
    ws.append(["孙敏", "女", 31139, "兼职", "在职", None, None, "0512-65550103", "320506"])  # 1985-04-02 as an Excel day number
    ws["C3"].number_format = "General"
    book.save(tmp_path / "指导员.xlsx")
    result = cli("counselor", "import", str(tmp_path / "指导员.xlsx"), "--sheet", "指导员")
    assert result.exit_code == 0, result.output
    people = listed(cli, "counselor", "list")
    assert [(p["name"], p["birth_date"], p["kind"], p["status"], p["term_end"], p["phone"], p["org_code"]) for p in people] == [
        ("王建国", "1958-05-12", "full_time", "retired", "2027-12-31", "13800000000", "320505"),
        ("孙敏", "1985-04-02", "part_time", "in_service", None, "0512-65550103", "320506"),
    ]
    assert set(people[0]) == {"id", "name", "gender", "birth_date", "education", "training", "employer", "kind",
                              "background", "status", "term_start", "term_end", "phone", "org_code"}
    assert [p["name"] for p in listed(cli, "counselor", "list", "--org", "320506")] == ["孙敏"]


def test_organisations_may_name_a_parent_further_down_and_loops_and_unknown_parents_are_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("code,name,kind,parent_code\nT1,镇,town,D1\nD1,区,district,C1\nC1,市,city,\n"
                    "X1,甲,other,X2\nX2,乙,other,X1\nY1,丙,other,NOPE\n", encoding="utf-8")
    result = cli("org", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "orgs.csv row 5, column parent_code, value 'X2': its parent X2 (row 6) was refused",
        "orgs.csv row 6, column parent_code, value 'X1': the parents loop: X1 → X2 → X1",
        "orgs.csv row 7, column parent_code, value 'NOPE': no organisation with code (or name) NOPE; "
        "import organisations first with bargain org import",
    ]
    assert count(cli.url, org_t) == 0
    assert cli("org", "import", str(path), "--skip-invalid").exit_code == 0
    store = Store(cli.url)
    with store.read() as conn:
        assert conn.execute(sa.select(org_t.c.path).where(org_t.c.code == "T1")).scalar_one() == "/C1/D1/T1/"
    store.dispose()


def test_counselors_keep_the_full_time_rule_and_are_matched_on_union_name_and_birth_date(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text("序号,指导员姓名,出生日期,类别,状态,聘用期限（年月日-年月日）,所属工会\n"
                    "1,王建国,1958-05-12,专职,退休,2025年1月1日-2027年12月31日,320500\n"
                    "2,李四,1970-01-02,专职,在职,,320505\n", encoding="utf-8")
    result = cli("counselor", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("c.csv row 3, column 状态 (status), value '在职': staff in service")
    assert "大连市总工会" in result.stderr and count(cli.url, counselor_t) == 0
    path.write_text(path.read_text(encoding="utf-8").replace("专职,在职", "兼职,在职"), encoding="utf-8")
    assert "2 inserted" in cli("counselor", "import", str(path)).stdout
    path.write_text(path.read_text(encoding="utf-8").replace("2027年12月31日", "2028年12月31日"), encoding="utf-8")
    assert "0 inserted, 1 updated, 1 unchanged" in cli("counselor", "import", str(path)).stdout
    assert listed(cli, "counselor", "list")[0]["term_end"] == "2028-12-31"


def test_the_real_process_loads_a_good_file_refuses_a_bad_one_and_says_so_in_chinese(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    (tmp_path / "orgs.csv").write_text(ORGS, encoding="utf-8-sig")
    ok = run_bargain("--db", url, "org", "import", str(tmp_path / "orgs.csv"))
    assert ok.returncode == 0 and ok.stdout.startswith("orgs.csv：新增 4，更新 0，无变化 0，拒绝 0"), ok.stderr
    bad = gb18030(tmp_path, "e.csv", f"统一社会信用代码,企业名称,所属工会\n{A},甲,320505\n{A[:-1]}?,乙,320505\n")
    refused = run_bargain("--db", url, "enterprise", "import", str(bad))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"e.csv 第 3 行，列「统一社会信用代码（credit_code）」，值「{A[:-1]}?」：统一社会信用代码 {A[:-1]}? 无效：含有无效字符"
        "（GB 32100-2015）",
        "错误: 1 行有错误，未写入任何内容；改正后重新导入，或用 --skip-invalid 只导入正确的行",
    ]
    assert count(url, enterprise_t) == 0
    missing = run_bargain("--db", url, "enterprise", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "nope.csv" in missing.stderr


def test_a_sheet_with_a_title_above_the_header_and_footnotes_below_reads_only_its_table(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["2026年集体协商指导员名单"])
    ws.append(["序号", "指导员姓名", "性别", "年龄", "学历", "参加相关培训情况", "所在单位名称", "聘用期限（年月日-年月日）", "联系电话",
               "所属工会"])
    ws.append([1, "王建国", "男", 67, "大专", "2014年省总培训", "苏州市总工会", "2025年1月1日-2027年12月31日", "0512-65550101",
               "苏州市总工会"])
    ws.append([])
    ws.append(["注：1.专职集体协商指导员是指……现已退休或离岗并由工会组织聘用、领导和管理的……人员；"])
    ws.append(["2.各区市县总工会……请于4月17日前报市总民管部。"])
    book.save(tmp_path / "名单.xlsx")
    result = cli("counselor", "import", str(tmp_path / "名单.xlsx"), "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["rows"], body["inserted"], body["ignored_columns"]) == (1, 1, ["序号", "年龄"])
    person = listed(cli, "counselor", "list")[0]
    assert (person["name"], person["org_code"], person["term_start"], person["term_end"]) == (
        "王建国", "320500", "2025-01-01", "2027-12-31")


def test_the_registration_form_is_refused_as_a_report_and_a_row_without_its_union_is_refused(cli: Cli, tmp_path: Path) -> None:
    """The 登记表 that bargain counselor form writes (CSV or XLSX), or one filled by hand, has no 所属工会 and ages
    instead of birth dates: imported, it registered its people again, without a union, as part-time in service.
    It is refused on one line saying what it is; an import file must name each row's union (row and column named);
    a row without a birth date is the one person of that name in that union, as counselor add finds them."""
    orgs(cli, tmp_path)
    assert cli("counselor", "add", "王建国", "--org", "320505", "--kind", "full_time", "--status", "retired",
               "--birth-date", "1958-05-12").exit_code == 0
    for name in ("登记表.csv", "登记表.xlsx"):
        assert cli("counselor", "form", "--org", "320505", "--out", str(tmp_path / name)).exit_code == 0
        refused_on_one_line(
            cli, tmp_path / name,
            f"错误: {name} 是《集体协商专职指导员登记表》（报送用的表），不是导入文件：表中没有「所属工会」和「出生日期」，导入会把表中的人"
            "再登记一次；请用导入文件的列：指导员姓名、出生日期、类别、状态、所属工会……（见 bargain counselor import --help）",
            f"{name} is the registration form")
    assert count(cli.url, counselor_t) == 1

    path = tmp_path / "c.csv"
    path.write_text("指导员姓名,联系电话,所属工会\n王建国,0512-1234,320505\n李四,0512-5678,\n", encoding="utf-8")
    result = cli("counselor", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "c.csv row 3, column 所属工会 (org_code), value '': is empty (required)"
    (tmp_path / "none.csv").write_text("指导员姓名,联系电话\n王建国,0512-1234\n", encoding="utf-8")
    missing = cli("counselor", "import", str(tmp_path / "none.csv"))
    assert missing.exit_code == 1 and "lacks required columns: org_code (所属工会)" in missing.stderr
    assert cli("counselor", "import", str(path), "--skip-invalid").exit_code == 0
    people = listed(cli, "counselor", "list")
    assert [(p["name"], p["kind"], p["birth_date"], p["phone"]) for p in people] == [
        ("王建国", "full_time", "1958-05-12", "0512-1234")]  # the same person, updated: no second 王建国


def test_a_term_that_ends_before_it_starts_names_the_column_as_the_file_has_it(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text("指导员姓名,所属工会,聘用期限（年月日-年月日）\n王建国,320505,2027年1月1日-2025年12月31日\n", encoding="utf-8")
    result = cli("counselor", "import", str(path), lang="zh")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("c.csv 第 2 行，列「聘用期限（年月日-年月日）（term）」，值「2027年1月1日-2025年12月31日」："
                                             "聘用期限结束日 2025-12-31 早于开始日 2027-01-01")
    path.write_text("name,org_code,term_start,term_end\n王建国,320505,2027-01-01,2025-12-31\n", encoding="utf-8")
    line = cli("counselor", "import", str(path)).stderr.splitlines()[0]
    assert line == "c.csv row 2, column term_end, value '2025-12-31': the term ends (2025-12-31) before it starts (2027-01-01)"


def test_a_refusal_quotes_a_long_cell_by_its_start_and_a_control_character_by_its_escape(cli: Cli, tmp_path: Path) -> None:
    """A 10,000-character name is named by its first characters and its length, not echoed whole; a BEL or an RTL
    override in a cell reaches the terminal as its escape (\\x07, \\u202e), never raw."""
    orgs(cli, tmp_path)
    path = tmp_path / "bad.csv"
    path.write_text(f"统一社会信用代码,企业名称,所属工会\n{A},{'长' * 10_000},320505\n{B},控制\x07字符\u202e公司,320505\n",
                    encoding="utf-8")
    result = cli("enterprise", "import", str(path), lang="zh")
    assert result.exit_code == 1
    long_line, ctrl_line = (line for line in result.stderr.splitlines() if "第 2 行" in line or "第 3 行" in line)
    assert len(long_line) < 300 and "共 10000 个字符" in long_line
    assert "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert "控制\\x07字符\\u202e公司" in ctrl_line


def test_a_counselor_born_in_the_future_or_under_working_age_is_refused_citing_the_labour_law(cli: Cli, tmp_path: Path) -> None:
    """A birth date of 2030 (typed for 1960) or of a child would print a negative age on the 登记表: refused by row,
    citing 劳动法 art. 15 in Chinese in zh; nothing written."""
    orgs(cli, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text("指导员姓名,性别,出生日期,类别,状态,所属工会\n孙未来,男,2030-01-01,专职,退休,320505\n"
                    "王大,男,1958-05-01,专职,退休,320505\n", encoding="utf-8")
    result = cli("counselor", "import", str(path), lang="zh")
    assert result.exit_code == 1
    assert "第 2 行" in result.stderr and "2030-01-01" in result.stderr and "《劳动法》第十五条" in result.stderr
    assert "第 3 行" not in result.stderr
    assert count(cli.url, counselor_t) == 0


def test_a_folder_or_a_device_given_to_import_is_named_as_such_not_as_missing(cli: Cli, tmp_path: Path) -> None:
    folder = cli("enterprise", "import", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder, not a file" in folder.stderr
    device = cli("enterprise", "import", "/dev/null")
    assert device.exit_code == 1 and "not a regular file" in device.stderr
    missing = cli("enterprise", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_a_damaged_or_fake_xlsx_is_refused_on_one_line_in_chinese_naming_the_file(cli: Cli, tmp_path: Path) -> None:
    """Random bytes named .xlsx, a workbook cut short, a zip with nothing in it: no 'File is not a zip file' from
    zipfile in a Chinese refusal; exit 1 (bad input, CLI.md), nothing written."""
    orgs(cli, tmp_path)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["指导员姓名", "所属工会"])
    ws.append(["王建国", "320505"])
    book.save(tmp_path / "good.xlsx")
    data = (tmp_path / "good.xlsx").read_bytes()
    fakes = {"random.xlsx": bytes(range(256)) * 12, "cut.xlsx": data[:2000], "tail.xlsx": data[:-30],
             "hollow.xlsx": b"PK\x03\x04" + b"\0" * 100}
    for name, content in fakes.items():
        (tmp_path / name).write_bytes(content)
        en = refused_on_one_line(
            cli, tmp_path / name,
            f"错误: {name} 不是有效的 Excel 文件（.xlsx）：文件已损坏、不完整或不是 Excel 格式；请在 Excel 中打开后另存为 .xlsx 或"
            "「CSV UTF-8」再导入",
            f"{name} is not a valid Excel workbook (.xlsx)")
        assert "zip" not in en.lower()
    assert count(cli.url, counselor_t) == 0
    (tmp_path / "csv.xlsx").write_text("指导员姓名,所属工会\n王建国,320505\n", encoding="utf-8")  # content decides, not the name
    assert cli("counselor", "import", str(tmp_path / "csv.xlsx")).exit_code == 0


def test_every_problem_of_a_row_is_named_in_one_pass_the_unknown_union_with_the_others(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    path = tmp_path / "bad.csv"
    path.write_text(f"统一社会信用代码,企业名称,所属工会,职工人数\n{A},甲公司,999999,十\n", encoding="utf-8")
    result = cli("enterprise", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "bad.csv row 2, column 所属工会 (org_code), value '999999': no organisation with code (or name) 999999; import "
        "organisations first with bargain org import; column 职工人数 (employees), value '十': '十' is not a whole number")
    people = tmp_path / "people.csv"
    people.write_text("指导员姓名,出生日期,所属工会\n王建国,1958-13-01,nowhere\n", encoding="utf-8")
    line = cli("counselor", "import", str(people), lang="zh").stderr.splitlines()[0]
    assert line.startswith("people.csv 第 2 行，列「出生日期（birth_date）」，值「1958-13-01」：1958-13-01 不是日期")
    assert "；列「所属工会（org_code）」，值「nowhere」：没有代码（或名称）为 nowhere 的工会组织" in line


def test_a_file_with_a_header_and_no_rows_is_refused_like_an_empty_one(cli: Cli, tmp_path: Path) -> None:
    """CLI.md: bad input is exit 1 with one line; a header alone (or a header and footnotes) imports nothing, which is
    never what was meant (the wrong sheet, rows deleted by mistake), so it is refused, not reported as 0 inserted."""
    orgs(cli, tmp_path)
    for name, body in (("head.csv", "credit_code,name,org_code\n"), ("notes.csv", "credit_code,name,org_code\n\n注：示例\n")):
        (tmp_path / name).write_text(body, encoding="utf-8")
        result = cli("enterprise", "import", str(tmp_path / name))
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == f"error: {name} has its header (row 1) but no data rows: nothing was written"
        assert result.stdout == ""
    zh = cli("enterprise", "import", str(tmp_path / "head.csv"), "--check", lang="zh")
    assert zh.exit_code == 1 and zh.stderr.strip() == "错误: head.csv 只有表头（第 1 行），没有数据行，未写入任何内容"
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert cli("enterprise", "import", str(tmp_path / "empty.csv")).exit_code == 1


def test_names_lose_zero_width_characters_at_their_edges_and_a_line_break_inside_or_a_cell_beyond_the_header_is_refused(
        cli: Cli, tmp_path: Path) -> None:
    """A name pasted from a web page keeps no U+200B around it (else 甲公司 and 甲公司\\u200b are two enterprises); a line
    break or a zero-width character inside a name, and a filled cell under no header, refuse the row by row and
    column: dropped silently, the cell would be lost."""
    orgs(cli, tmp_path)
    path = tmp_path / "e.csv"
    path.write_text(f"统一社会信用代码,企业名称,所属工会\n{A},\u200b甲公司\ufeff,320505\n{B},\"乙\n公司\",320505\n"
                    f"{C},丙\u200b公司,320505\n{D},丁公司,320505,备注：已搬迁\n", encoding="utf-8")
    result = cli("enterprise", "import", str(path), lang="zh")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "e.csv 第 3 行，列「企业名称（name）」，值「乙\\n公司」：第 2 个字符是换行符：名称只能是一行看得见的文字，请删去它"
    assert lines[1] == ("e.csv 第 4 行，列「企业名称（name）」，值「丙\\u200b公司」：第 2 个字符是不可见字符 U+200B：名称只能是一行"
                        "看得见的文字，请删去它")  # a record is a row, as Excel shows it: the line break is inside row 3
    assert lines[2] == "e.csv 第 5 行，D 列（第 4 列）没有表头，却填了「备注：已搬迁」：请给这一列加上表头，或删去它"
    assert count(cli.url, enterprise_t) == 0
    assert cli("enterprise", "import", str(path), "--skip-invalid").exit_code == 0
    assert [e["name"] for e in listed(cli, "enterprise", "list")] == ["甲公司"]
    rejected = (tmp_path / "e.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejected[0] == "统一社会信用代码,企业名称,所属工会,,row,reason"  # the cell under no header is kept, not lost
    assert rejected[-1].startswith(f"{D},丁公司,320505,备注：已搬迁,5,column D (4) has no header but holds '备注：已搬迁'")


def test_a_ledger_date_after_today_names_its_column_and_value(cli: Cli, tmp_path: Path) -> None:
    orgs(cli, tmp_path)
    (tmp_path / "e.csv").write_text(f"credit_code,name,org_code\n{A},甲公司,320505\n{B},乙公司,320505\n", encoding="utf-8")
    assert cli("enterprise", "import", str(tmp_path / "e.csv")).exit_code == 0
    path = tmp_path / "台账.csv"
    path.write_text(f"统一社会信用代码,要约方式,要约日期,应约情况,应约日期\n{A},企业,2099-03-01,无,\n{B},企业,2026-03-02,应约,2099-03-20\n",
                    encoding="utf-8")
    result = cli("ledger", "import", str(path), lang="zh")
    assert result.exit_code == 1
    first, second = result.stderr.splitlines()[:2]
    assert first.startswith("台账.csv 第 2 行，列「要约日期（offer_date）」，值「2099-03-01」：日期 2099-03-01 晚于今天（")
    assert second.startswith("台账.csv 第 3 行，列「应约日期（response_date）」，值「2099-03-20」：日期 2099-03-20 晚于今天（")
    assert first.endswith("）：台账只记录已经发生的要约和答复")
    en = cli("ledger", "import", str(path)).stderr
    assert "row 2, column 要约日期 (offer_date), value '2099-03-01': the date 2099-03-01 is after today" in en


def test_a_hidden_first_sheet_is_passed_over_and_hidden_or_filtered_rows_are_imported_with_a_notice(
        cli: Cli, tmp_path: Path) -> None:
    """Without --sheet the first visible sheet is read, what Excel shows (a hidden first sheet is often an old copy
    or a list of choices), with a notice naming what was passed over. Rows hidden by hand or by a filter are imported
    all the same (a filter is a view: the rows are the file's, and dropping them would lose data), with a notice
    counting them."""
    orgs(cli, tmp_path)
    book = openpyxl.Workbook()
    old = book.active
    assert old is not None
    old.title = "旧名单"
    old.append(["统一社会信用代码", "企业名称", "所属工会"])
    old.append([D, "旧公司", "320505"])
    old.sheet_state = "hidden"
    ws = book.create_sheet("企业")
    ws.append(["统一社会信用代码", "企业名称", "所属工会"])
    for code, name in ((A, "甲公司"), (B, "乙公司"), (C, "丙公司")):
        ws.append([code, name, "320505"])
    ws.auto_filter.ref = "A1:C4"
    ws.row_dimensions[3].hidden = True  # filtered out
    ws.row_dimensions[4].hidden = True
    book.save(tmp_path / "企业.xlsx")
    result = cli("enterprise", "import", str(tmp_path / "企业.xlsx"), lang="zh")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "注意：隐藏的工作表「旧名单」已跳过，读取的是第一个可见的工作表「企业」（要导入隐藏的表，请用 --sheet 旧名单）",
        "注意：2 行在 Excel 中是隐藏的（或被筛选掉），也已读取（第 3、4 行）"]
    assert sorted(e["name"] for e in listed(cli, "enterprise", "list")) == ["丙公司", "乙公司", "甲公司"]
    en = cli("enterprise", "import", str(tmp_path / "企业.xlsx"), "--check", "--format", "json")
    body = json.loads(en.stdout)
    assert (body["sheet"], body["hidden_sheets"], body["hidden_rows"]) == ("企业", ["旧名单"], [3, 4])
    assert "note: 2 rows hidden (or filtered out) in Excel were read too (rows 3, 4)" in en.stderr
    named = cli("enterprise", "import", str(tmp_path / "企业.xlsx"), "--sheet", "旧名单")
    assert named.exit_code == 0 and "note" not in named.stderr and "1 inserted" in named.stdout
