"""Counselors from the command line, on SQLite and PostgreSQL: registering (and the full-time rule), the
registration form read back from the XLSX, the involvement log, the annual summary (JSON, Markdown, Word)
and the workload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.store.database import Store
from engine.store.tables import counselor_t, event_t
from engine.times import parse_at
from tests.conftest import Cli, run_bargain
from tests.helpers.happy import HAPPY, REC

COLUMNS = ["序号", "指导员姓名", "性别", "年龄", "学历", "参加相关培训情况", "所在单位名称", "聘用期限（年月日-年月日）", "联系电话"]


def count(url: str, table: Any) -> int:
    store = Store(url)
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    store.dispose()
    return int(n)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output + getattr(result, "stderr", "")
    return result


def dalian(cli: Cli) -> None:
    """A city, two districts below it and one outside it; full- and part-time counselors in each."""
    ok(cli("org", "add", "210200", "大连市总工会", "--kind", "city"))
    ok(cli("org", "add", "210202", "中山区总工会", "--kind", "district", "--parent", "210200"))
    ok(cli("org", "add", "210203", "西岗区总工会", "--kind", "district", "--parent", "210200"))
    ok(cli("org", "add", "210300", "鞍山市总工会", "--kind", "city"))
    ok(cli("counselor", "add", "张军", "--org", "210202", "--kind", "专职", "--status", "退休", "--gender", "男",
           "--birth-date", "1955-04-11", "--education", "大专", "--training", "2014年省总集体协商指导员培训",
           "--term-start", "2015-01-01", "--term-end", "2017-12-31", "--phone", "0411-82610417"))
    ok(cli("counselor", "add", "李红", "--org", "210203", "--kind", "full_time", "--status", "off_post", "--gender", "女",
           "--birth-date", "1960/4/10", "--education", "本科", "--employer", "西岗区总工会法律服务站",
           "--term-start", "2015年3月1日", "--term-end", "2018-02-28"))
    ok(cli("counselor", "add", "孙敏", "--org", "210202", "--kind", "part_time", "--status", "in_service", "--gender", "女"))
    ok(cli("counselor", "add", "赵刚", "--org", "210300", "--kind", "full_time", "--status", "retired"))


def test_registering_staff_in_service_as_full_time_is_refused_citing_the_notice_and_writes_nothing(cli: Cli) -> None:
    dalian(cli)
    before = count(cli.url, counselor_t)
    result = cli("counselor", "add", "钱进", "--org", "210202", "--kind", "full_time", "--status", "in_service")
    assert result.exit_code == 1
    assert "may only be part-time" in result.stderr and "附件注1" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    zh = cli("counselor", "add", "钱进", "--org", "210202", "--kind", "专职", "--status", "在职", lang="zh")
    assert zh.exit_code == 1 and "只能登记为兼职指导员" in zh.stderr
    assert count(cli.url, counselor_t) == before


def test_bad_registration_values_are_refused_by_name(cli: Cli) -> None:
    dalian(cli)
    before = count(cli.url, counselor_t)
    bad_date = cli("counselor", "add", "钱进", "--org", "210202", "--birth-date", "1955-13-01")
    assert bad_date.exit_code == 1 and "--birth-date" in bad_date.stderr
    backwards = cli("counselor", "add", "钱进", "--org", "210202", "--term-start", "2017-12-31", "--term-end", "2015-01-01")
    assert backwards.exit_code == 1 and "ends" in backwards.stderr
    no_org = cli("counselor", "add", "钱进", "--org", "999999")
    assert no_org.exit_code == 1 and "999999" in no_org.stderr
    assert count(cli.url, counselor_t) == before


def test_counselor_add_prints_the_id_and_fills_the_employer_from_the_organisation(cli: Cli) -> None:
    dalian(cli)
    result = ok(cli("counselor", "add", "周静", "--org", "210203", "--kind", "专职", "--status", "离岗", "--format", "json"))
    body = json.loads(result.stdout)
    assert (body["kind"], body["status"], body["employer"], body["org_code"]) == ("full_time", "off_post", "西岗区总工会", "210203")
    assert isinstance(body["id"], int)


def test_the_registration_form_reads_back_as_the_notice_prints_it(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    dalian(cli)
    out = tmp_path / "登记表.xlsx"
    result = ok(cli("counselor", "form", "--org", "210200", "--out", str(out), "--filler", "张军", "--phone", "82610417",
                    "--date", "2015-04-10"))
    assert "2" in result.stdout
    ws = load_workbook(out).active
    assert ws["A1"].value == "集体协商专职指导员登记表"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [ws.cell(2, c).value for c in (1, 4, 6, 8)] == ["填报单位：大连市总工会", "填表人：张军", "联系电话：82610417",
                                                          "填报日期：2015年4月10日"]
    assert [ws.cell(3, c).value for c in range(1, 10)] == COLUMNS
    rows = [[ws.cell(r, c).value for c in range(1, 10)] for r in (4, 5)]
    assert rows == [
        # 张军 turns 60 on 11 April: still 59 on the form date; 李红 turns 55 on the form date itself.
        [1, "张军", "男", 59, "大专", "2014年省总集体协商指导员培训", "中山区总工会", "2015年1月1日-2017年12月31日", "0411-82610417"],
        [2, "李红", "女", 55, "本科", None, "西岗区总工会法律服务站", "2015年3月1日-2018年2月28日", None],  # blanks stay blank
    ]
    values = [ws.cell(r, c).value for r in range(1, ws.max_row + 1) for c in range(1, 10)]
    assert "孙敏" not in values, "part-time counselors are not on the form"
    assert "赵刚" not in values, "only the organisation's subtree is listed"
    for r in range(3, 6):
        for c in range(1, 10):
            b = ws.cell(r, c).border
            assert all(side.style == "thin" for side in (b.left, b.right, b.top, b.bottom)), (r, c)
    assert ws.cell(4, 2).font.name == "宋体"
    assert [ws.cell(r, 2).value for r in range(6, 11)] == [None] * 5  # five ruled rows to fill by hand (--blank-rows)
    assert ws.cell(10, 9).border.bottom.style == "thin"
    assert ws["A12"].value.startswith("注：1.专职集体协商指导员") and ws["A13"].value.startswith("2.各区市县总工会")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$3"
    assert ws.column_dimensions["F"].width >= 20 and ws.column_dimensions["A"].width < 10
    later = tmp_path / "later.xlsx"
    ok(cli("counselor", "form", "--org", "210200", "--out", str(later), "--date", "2015-04-11"))
    assert load_workbook(later).active["D4"].value == 60


def test_the_form_as_csv_is_utf8_with_a_bom_in_the_same_order(cli: Cli, tmp_path: Path) -> None:
    dalian(cli)
    out = tmp_path / "form.csv"
    ok(cli("counselor", "form", "--org", "210202", "--out", str(out), "--date", "2015-04-10"))
    raw = out.read_bytes()
    note = tmp_path / "note.txt"
    note.write_text("注：请于4月30日前报市总民管部。\n", encoding="utf-8")
    mine = tmp_path / "mine.csv"
    ok(cli("counselor", "form", "--org", "210202", "--out", str(mine), "--blank-rows", "0", "--note-file", str(note)))
    assert mine.read_text(encoding="utf-8-sig").splitlines()[4:] == ["注：请于4月30日前报市总民管部。"]
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "集体协商专职指导员登记表"
    assert lines[1].startswith("填报单位：中山区总工会,填表人：")
    assert lines[2] == ",".join(COLUMNS)
    assert lines[3].startswith("1,张军,男,59,大专,") and "2015年1月1日-2017年12月31日" in lines[3]
    assert lines[4:9] == ["," * 8] * 5 and lines[9].startswith("注：1.")
    # a CSV named .xlsx would not open in Excel: the mismatch is refused, as the reports refuse it
    xlsx_named_csv = tmp_path / "form.xlsx"
    mismatch = cli("counselor", "form", "--org", "210202", "--out", str(xlsx_named_csv), "--format", "csv")
    assert mismatch.exit_code == 1 and "NAME.csv" in mismatch.stderr
    assert not xlsx_named_csv.exists()


def test_a_form_that_cannot_be_made_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    dalian(cli)
    tmp_path = tmp_path / "forms"
    tmp_path.mkdir()
    existing = tmp_path / "old.xlsx"
    existing.write_bytes(b"previous form")
    unknown = cli("counselor", "form", "--org", "219999", "--out", str(existing))
    assert unknown.exit_code == 1 and "219999" in unknown.stderr
    assert existing.read_bytes() == b"previous form"
    nowhere = cli("counselor", "form", "--org", "210200", "--out", str(tmp_path / "missing" / "f.xlsx"))
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.stderr
    bad_date = cli("counselor", "form", "--org", "210200", "--out", str(existing), "--date", "2015-02-30")
    assert bad_date.exit_code == 1 and "--date" in bad_date.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xlsx"], "no temporary file is left behind"


def test_an_organisation_without_full_time_counselors_gets_an_empty_form_and_a_note(cli: Cli, tmp_path: Path) -> None:
    dalian(cli)
    ok(cli("org", "add", "210204", "沙河口区总工会", "--kind", "district", "--parent", "210200"))
    out = tmp_path / "empty.xlsx"
    result = ok(cli("counselor", "form", "--org", "210204", "--out", str(out)))
    assert "no full-time counselor" in result.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert [ws.cell(3, c).value for c in range(1, 10)] == COLUMNS and ws["A10"].value.startswith("注：1.")  # after 5 blank rows


# ---- the involvement log and the annual summary -------------------------------------------------------


def walk(store: Store, case_id: int, days: list[str], upto: int | None = None) -> None:
    from engine.usecases import acts

    for (trigger, data), day in list(zip(HAPPY, days))[:upto]:
        acts.advance(store, case_id, trigger, data, at=parse_at(day), recorded_at=REC, actor="test")


DAYS = ["2026-03-02", "2026-03-10", "2026-03-15", "2026-03-20", "2026-04-02", "2026-04-03", "2026-04-15",
        "2026-04-20", "2026-04-24", "2026-05-06", "2026-05-08"]


def casework(cli: Cli) -> dict[str, int]:
    """Two enterprises (120 and 45 workers), each with a case guided by 张军 (id 1); one reaches effective."""
    from engine.store import directory
    from engine.usecases import acts

    dalian(cli)
    store = Store(cli.url)
    a, b = make_credit_code("210202", 1), make_credit_code("210202", 2)
    with store.engine.begin() as conn:
        directory.upsert_enterprises(conn, [
            {"credit_code": a, "name": "大连甲机械有限公司", "org_code": "210202", "industry": "制造业", "employees": 120,
             "has_union": True},
            {"credit_code": b, "name": "大连乙餐饮有限公司", "org_code": "210202", "industry": "餐饮", "employees": 45,
             "has_union": True},
        ])
    first = acts.open_case(store, a, at=parse_at("2026-03-01"), recorded_at=REC, actor="test", counselor_id=1)
    second = acts.open_case(store, b, at=parse_at("2026-03-01"), recorded_at=REC, actor="test", counselor_id=3)
    walk(store, first.case_id, DAYS)
    walk(store, second.case_id, DAYS, upto=5)  # stays negotiating
    store.dispose()
    logs = [
        (first.case_id, "contact_management", "2", "2026-03-03", "上门与企业负责人沟通要约事项"),
        (first.case_id, "attend_round", "3.5", "2026-04-02T14:00", "列席第一轮协商会议"),
        (first.case_id, "difficulty", "1", "2026-04-02T18:00", "企业方坚持增幅3%，与职工方6%诉求差距较大"),
        (first.case_id, "solution", "1.5", "2026-04-03", "引用政府工资指导线和同行业工资水平，推动双方各让一步"),
        (second.case_id, "guide_topics", "3", "2026-03-14", "指导企业工会通过问卷征集职工意见"),
        (second.case_id, "difficulty", "0.5", "2026-04-10", "企业以订单下滑为由拖延第二轮协商"),
        (second.case_id, "attend_round", "4", "2025-12-30", "a log in another year"),
    ]
    for case_id, activity, hours, at, note in logs:
        ok(cli("case", "log", str(case_id), "--by", "1", "--activity", activity, "--hours", hours, "--at", at, "--note", note))
    ok(cli("case", "log", str(second.case_id), "--by", "3", "--activity", "attend_round", "--hours", "8", "--at", "2026-04-05",
           "--note", "someone else's hours"))
    return {"effective": first.case_id, "negotiating": second.case_id}


def test_only_a_registered_counselor_can_log_and_an_unknown_one_writes_nothing(cli: Cli) -> None:
    ids = casework(cli)
    before = count(cli.url, event_t)
    result = cli("case", "log", str(ids["negotiating"]), "--by", "99", "--activity", "strategy", "--note", "x")
    assert result.exit_code == 1 and "no counselor with id 99" in result.stderr
    bad_kind = cli("case", "log", str(ids["negotiating"]), "--by", "1", "--activity", "stratgy", "--note", "x")
    assert bad_kind.exit_code == 1 and "strategy" in bad_kind.stderr  # did you mean
    assert count(cli.url, event_t) == before


def test_the_summary_json_adds_up_the_logged_work(cli: Cli) -> None:
    ids = casework(cli)
    doc = json.loads(ok(cli("counselor", "summary", "1", "--year", "2026", "--format", "json")).stdout)
    assert doc["counselor"] == {**doc["counselor"], "id": 1, "name": "张军", "kind": "full_time"}
    assert doc["year"] == 2026
    assert [(c["case_id"], c["enterprise"], c["state"], c["hours"]) for c in doc["cases"]] == [
        (ids["effective"], "大连甲机械有限公司", "effective", 8.0), (ids["negotiating"], "大连乙餐饮有限公司", "negotiating", 3.5)]
    assert doc["hours"] == 11.5
    assert doc["by_activity"] == {"contact_management": 2.0, "guide_topics": 3.0, "attend_round": 3.5, "difficulty": 1.5,
                                  "solution": 1.5}
    assert [(d["case_id"], d["at"], d["note"]) for d in doc["difficulties"]] == [
        (ids["effective"], "2026-04-02", "企业方坚持增幅3%，与职工方6%诉求差距较大"),
        (ids["negotiating"], "2026-04-10", "企业以订单下滑为由拖延第二轮协商")]
    assert [(s["case_id"], s["at"]) for s in doc["solutions"]] == [(ids["effective"], "2026-04-03")]
    assert doc["outcomes"] == {"signed": 1, "effective": 1, "workers_covered": 120}
    earlier = json.loads(ok(cli("counselor", "summary", "1", "--year", "2025", "--format", "json")).stdout)
    assert earlier["by_activity"] == {"attend_round": 4.0} and earlier["outcomes"]["signed"] == 0


def test_the_summary_in_word_has_chinese_headings_and_tables(cli: Cli, tmp_path: Path) -> None:
    from docx import Document

    casework(cli)
    out = tmp_path / "张军-2026年度工作总结.docx"
    ok(cli("counselor", "summary", "1", "--year", "2026", "--format", "docx", "--out", str(out), lang="zh"))
    d = Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "集体协商指导员年度工作总结"
    assert {"一、基本情况", "二、指导的协商案件", "三、工作投入", "四、遇到的困难和解决的办法", "六、取得的效果"} <= set(headings)
    basic, cases, hours, outcomes = d.tables
    assert [c.text for c in basic.rows[1].cells] == ["姓名", "张军"]
    assert [c.text for c in cases.rows[0].cells][:5] == ["序号", "企业名称", "统一社会信用代码", "年初进度", "年末进度"]
    assert [c.text for c in cases.rows[1].cells][1] == "大连甲机械有限公司" and cases.rows[1].cells[4].text == "已生效"
    assert cases.rows[2].cells[4].text == "协商中" and cases.rows[-1].cells[-1].text == "11.5"
    assert [c.text for c in hours.rows[1].cells] == ["与企业行政方沟通", "1", "2"]
    assert [c.text for c in outcomes.rows[3].cells] == ["覆盖职工（人）", "120"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "企业方坚持增幅3%，与职工方6%诉求差距较大" in text and "2026年4月3日" in text
    style = d.styles["Normal"].element.rPr.rFonts
    assert style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_the_summary_in_markdown_follows_the_language(cli: Cli, tmp_path: Path) -> None:
    casework(cli)
    zh = ok(cli("counselor", "summary", "1", "--year", "2026", lang="zh")).stdout
    assert zh.startswith("# 集体协商指导员年度工作总结") and "| 1 | 大连甲机械有限公司 |" in zh and "## 四、遇到的困难和解决的办法" in zh
    out = tmp_path / "s.md"
    ok(cli("counselor", "summary", "1", "--year", "2026", "--out", str(out)))
    assert out.read_text(encoding="utf-8").startswith("# Bargaining counselor's annual work summary")
    missing = cli("counselor", "summary", "42", "--year", "2026")
    assert missing.exit_code == 1 and "no counselor with id 42" in missing.stderr


def test_workload_counts_open_cases_and_this_years_hours_per_counselor(cli: Cli) -> None:
    casework(cli)
    rows = json.loads(ok(cli("counselor", "workload", "--org", "210200", "--as-of", "2026-12-31", "--format", "json")).stdout)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"张军", "李红", "孙敏"}
    assert (by_name["张军"]["open_cases_in"], by_name["张军"]["hours"], by_name["张军"]["entries"]) == (0, 11.5, 6)
    assert (by_name["孙敏"]["open_cases_in"], by_name["孙敏"]["hours"]) == (1, 8.0)
    early = json.loads(ok(cli("counselor", "workload", "--as-of", "2026-03-31", "--format", "json")).stdout)
    assert {r["name"]: r["hours"] for r in early}["张军"] == 5.0  # 3 March and 14 March only
    assert ok(cli("counselor", "workload", lang="zh")).stdout.count("张军") == 1


def test_the_real_process_refuses_a_full_time_registration_in_service_and_writes_a_form(db_url: str, tmp_path: Path) -> None:
    base = ("--db", db_url, "--lang", "en")
    assert run_bargain(*base, "org", "add", "210200", "大连市总工会", "--kind", "city").returncode == 0
    refused = run_bargain(*base, "counselor", "add", "钱进", "--org", "210200", "--kind", "full_time", "--status", "in_service")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip().count("\n") == 0 and "part-time" in refused.stderr and "Traceback" not in refused.stderr
    added = run_bargain(*base, "counselor", "add", "张军", "--org", "210200", "--kind", "full_time", "--status", "retired")
    assert added.returncode == 0 and added.stdout.strip().isdigit()
    out = tmp_path / "form.xlsx"
    made = run_bargain(*base, "counselor", "form", "--org", "210200", "--out", str(out), "--date", "2026-04-10")
    assert made.returncode == 0 and out.exists()
    from openpyxl import load_workbook

    assert load_workbook(out).active["B4"].value == "张军"


def test_workload_counts_the_overdue_deadlines_of_each_counselors_cases(cli: Cli) -> None:
    from engine.store import directory
    from engine.usecases import acts

    dalian(cli)
    store = Store(cli.url)
    code = make_credit_code("210202", 9)
    with store.engine.begin() as conn:
        directory.upsert_enterprises(conn, [{"credit_code": code, "name": "大连丙电子有限公司", "org_code": "210202",
                                             "industry": "制造业", "employees": 80, "has_union": True}])
    case = acts.open_case(store, code, at=parse_at("2026-03-01"), recorded_at=REC, actor="test", counselor_id=1)
    walk(store, case.case_id, DAYS, upto=1)  # an offer sent on 2 March, never answered
    store.dispose()

    def late(as_of: str) -> dict[str, int]:
        rows = json.loads(ok(cli("counselor", "workload", "--org", "210200", "--as-of", as_of, "--format", "json")).stdout)
        return {r["name"]: r["overdue"] for r in rows}

    assert late("2026-03-10") == {"张军": 0, "李红": 0, "孙敏": 0}
    assert late("2026-06-01") == {"张军": 1, "李红": 0, "孙敏": 0}  # the reply was due within 20 days (CCR 32)


def test_the_demo_writes_a_registration_form_and_an_annual_summary_beside_its_database(tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    result = run_bargain("demo", "--out", str(tmp_path / "demo"), "--enterprises", "60")
    assert result.returncode == 0, result.stderr
    form = tmp_path / "demo" / "counselor-form-320500.xlsx"
    summaries = list((tmp_path / "demo").glob("counselor-summary-*-2026.docx"))
    assert form.exists() and len(summaries) == 1
    assert str(form) in result.stdout.replace("\n", "") or form.name in result.stdout
    ws = load_workbook(form).active
    names = [ws.cell(r, 2).value for r in range(4, 9)]
    assert len(names) == 5 and "孙敏" not in names  # five full-time counselors; the part-time one is not listed
    d = Document(str(summaries[0]))
    assert d.paragraphs[0].text == "集体协商指导员年度工作总结" and len(d.tables) == 4


def test_a_back_dated_entry_keeps_the_state_the_case_was_in_then_and_shows_in_the_timeline(cli: Cli) -> None:
    ids = casework(cli)  # logged after the case reached effective, dated back to March and April
    tl = json.loads(ok(cli("case", "timeline", str(ids["effective"]), "--format", "json")).stdout)
    entries = [(e["at"][:10], e["activity"], e["state"]) for e in tl["entries"] if e["kind"] == "involvement"]
    assert entries == [("2026-03-03", "contact_management", "offer_sent"), ("2026-04-02", "attend_round", "negotiating"),
                       ("2026-04-02", "difficulty", "negotiating"), ("2026-04-03", "solution", "draft_agreed")]
