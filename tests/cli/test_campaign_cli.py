"""Past ledgers become cases through the machine; the annual campaign opens the right cases once. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine.case import Case, after_event
from engine.credit import make_credit_code
from engine.store.database import Store
from engine.store.repository import load_case, load_events
from engine.store.tables import case_t, event_t
from engine.times import parse_at
from engine.usecases import acts
from tests.conftest import Cli, run_bargain

ORGS = """code,name,kind,parent_code
320500,苏州市总工会,city,
320505,高新区总工会,district,320500
320505001,狮山街道总工会,town,320505
320506,吴中区总工会,district,320500
"""
# key: (org, union)
ENTERPRISES = {"A": ("320505001", True), "B": ("320505001", False), "C": ("320505", True), "D": ("320506", True),
               "E": ("320506", False), "F": ("320506", True)}


def code(key: str) -> str:
    return make_credit_code("320500", 500 + ord(key))


def city(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text(ORGS, encoding="utf-8")
    rows = "\n".join(f"{code(k)},{k}公司,{org},{'是' if union else '否'}" for k, (org, union) in ENTERPRISES.items())
    (tmp_path / "ents.csv").write_text(f"统一社会信用代码,企业名称,所属工会,是否建会\n{rows}\n", encoding="utf-8")
    assert cli("org", "import", str(tmp_path / "orgs.csv")).exit_code == 0
    assert cli("enterprise", "import", str(tmp_path / "ents.csv")).exit_code == 0


def cases(url: str) -> dict[str, list[dict[str, Any]]]:
    """Each enterprise's cases (by key), oldest first, with their report columns."""
    store = Store(url)
    keys = {code(k): k for k in ENTERPRISES}
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ENTERPRISES}
    with store.read() as conn:
        for case in sorted((load_case(conn, i) for i in conn.execute(sa.select(case_t.c.id)).scalars()), key=lambda c: c.case_id):
            row = conn.execute(sa.select(case_t).where(case_t.c.id == case.case_id)).one()._mapping
            out[keys[case.credit_code]].append({"case": case, "events": load_events(conn, case.case_id), **row})
    store.dispose()
    return out


def ledger(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text("统一社会信用代码,年度,要约方式,要约日期,应约情况,应约日期\n" + rows, encoding="utf-8-sig")
    return path


def test_ledger_rows_become_cases_fired_at_the_ledger_dates_and_reimporting_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    city(cli, tmp_path)
    path = ledger(tmp_path, "台账2025.csv", f"{code('A')},2025,企业工会,2025-03-03,应约,2025-03-12\n"
                                            f"{code('B')},2025,上级工会,2025/3/4,拒绝,2025/3/20\n"
                                            f"{code('C')},2025,enterprise,2025年3月5日,,\n")
    result = cli("ledger", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "3 inserted, 0 updated, 0 unchanged, 0 rejected" in result.stdout
    got = cases(cli.url)
    a, b, c = got["A"][0], got["B"][0], got["C"][0]
    assert (a["state"], a["offer_year"], a["offered_on"], a["offer_level"], a["response"], a["responded_on"]) == (
        "accepted", 2025, date(2025, 3, 3), "enterprise", "accepted", date(2025, 3, 12))
    assert (b["state"], b["offer_level"], b["response"], b["responded_on"]) == ("refused", "upper", "refused", date(2025, 3, 20))
    assert (c["state"], c["offered_on"], c["response"]) == ("offer_sent", date(2025, 3, 5), None)
    opened, offer, reply = a["events"]
    assert opened.kind == "opened" and opened.occurred_at == parse_at("2025-03-03")
    assert opened.data["source"] == "ledger" and opened.data["file"] == "台账2025.csv" and opened.data["row"] == 2
    assert (offer.trigger, offer.occurred_at, offer.data["received_on"]) == ("send_offer", parse_at("2025-03-03"), "2025-03-03")
    assert (reply.trigger, reply.occurred_at) == ("accept", parse_at("2025-03-12"))
    again = cli("ledger", "import", str(path))
    assert "0 inserted, 0 updated, 3 unchanged" in again.stdout
    report = json.loads(cli("report", "campaign", "--year", "2025", "--format", "json").stdout)["total"]
    assert (report["offers"], report["offers_upper"], report["accepted"], report["refused"], report["pending"]) == (3, 1, 1, 1, 1)


def test_a_later_ledger_adds_the_reply_and_a_contradicting_one_is_refused(cli: Cli, tmp_path: Path) -> None:
    city(cli, tmp_path)
    assert cli("ledger", "import", str(ledger(tmp_path, "l1.csv", f"{code('C')},2025,企业工会,2025-03-05,,\n"))).exit_code == 0
    later = ledger(tmp_path, "l2.csv", f"{code('C')},2025,企业工会,2025-03-05,同意,2025-03-18\n")
    assert "0 inserted, 1 updated, 0 unchanged" in cli("ledger", "import", str(later)).stdout
    assert cases(cli.url)["C"][0]["state"] == "accepted"
    wrong = ledger(tmp_path, "l3.csv", f"{code('C')},2025,企业工会,2025-03-06,同意,2025-03-18\n")
    result = cli("ledger", "import", str(wrong))
    assert result.exit_code == 1
    assert "l3.csv row 2, column 要约日期 (offer_date), value '2025-03-06': case" in result.stderr
    assert "already records the 2025 offer on 2025-03-05 (enterprise)" in result.stderr


def test_ledger_rows_the_machine_refuses_are_named_with_the_rule_source_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    city(cli, tmp_path)
    path = ledger(tmp_path, "bad.csv", f"{code('A')},2025,企业工会,2025-03-03,应约,2025-03-12\n"
                                       f"{code('B')},2025,企业工会,2025-03-04,拒绝,2025-03-20\n"
                                       f"{code('D')},2025,上级工会,2025-03-04,拒绝,2025-03-01\n"
                                       f"{code('E')},2024,上级工会,2025-03-04,,\n"
                                       f"{make_credit_code('320500', 9999)},2025,上级工会,2025-03-04,,\n"
                                       f"{code('A')},2025,上级工会,2025-04-04,,\n")
    result = cli("ledger", "import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("bad.csv row 3, column 要约方式 (level), value '企业工会': the enterprise has no union, so only the "
                        "upper-level union can send the offer (level=upper) (劳动合同法 art. 51; 工会法 art. 21)")
    assert lines[1].startswith("bad.csv row 4, column 应约日期 (response_date), value '2025-03-01': 2025-03-01T09:00:00+08:00 is "
                               "earlier than the case's previous event")
    assert lines[2] == "bad.csv row 5, column 年度 (year), value '2024': the offer date 2025-03-04 is not in 2024"
    assert "bad.csv row 6, column 统一社会信用代码 (credit_code)" in lines[3] and "import it first" in lines[3]
    assert lines[4] == (f"bad.csv row 7, column 统一社会信用代码 (credit_code), value '{code('A')}': "
                        "duplicates row 2 (same credit_code, year)")
    assert all(v == [] for v in cases(cli.url).values())


def launch(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("campaign", "launch", "--year", "2026", "--at", "2026-03-02", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_a_campaign_opens_the_right_cases_once_scoped_to_the_organisation(cli: Cli, tmp_path: Path) -> None:
    city(cli, tmp_path)
    # A: a 2025 ledger case left at accepted, still open; F: a case under way. Both are carried over (issue 13
    # item 5): a new offer would leave them two open cases.
    assert cli("ledger", "import", str(ledger(tmp_path, "l.csv", f"{code('A')},2025,企业工会,2025-03-03,应约,2025-03-12\n"))).exit_code == 0
    opened = json.loads(cli("case", "open", code("F"), "--format", "json").stdout)
    dry = launch(cli, "--dry-run")
    assert dry["dry_run"] is True and dry["opened"] == 0 and dry["in_scope"] == 6 and dry["to_open"] == 4
    assert dry["carried_over"] == 2
    assert [(g["org"], g["cases"], g["upper"], g["carried_over"]) for g in dry["by_org"]] == [
        ("320505", 2, 1, 1), ("320506", 2, 1, 1)]
    assert all(len(v) == (1 if k in "AF" else 0) for k, v in cases(cli.url).items())

    district = launch(cli, "--org", "320505", "--level", "upper")
    assert district["opened"] == 2 and [(g["org"], g["cases"]) for g in district["by_org"]] == [("320505", 1), ("320505001", 1)]
    got = cases(cli.url)
    assert [len(got[k]) for k in "ABCDEF"] == [1, 1, 1, 0, 0, 1]
    assert {got[k][-1]["offer_level"] for k in "BC"} == {"upper"}
    assert launch(cli, "--org", "320505")["opened"] == 0

    rest = launch(cli)
    assert rest["opened"] == 2 and rest["skipped"] == 4
    got = cases(cli.url)
    d, e = got["D"][0], got["E"][0]
    assert (d["state"], d["offer_year"], d["offered_on"], d["offer_level"]) == ("offer_sent", 2026, date(2026, 3, 2), "enterprise")
    assert e["offer_level"] == "upper" and [c["id"] for c in got["F"]] == [opened["case_id"]]
    assert launch(cli)["opened"] == 0


def test_a_second_years_launch_skips_enterprises_with_an_open_case_and_counts_them_as_carried_over(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARGAIN_NOW", "2027-03-02T12:00")  # next year's launch: events may not be dated after now (issue 14)
    city(cli, tmp_path)
    first = launch(cli, "--org", "320506")  # D, E, F offered in 2026
    assert first["opened"] == 3
    got = cases(cli.url)
    d = got["D"][0]["id"]
    assert cli("case", "advance", str(d), "accept", "--at", "2026-03-10").exit_code == 0  # D accepted, still open
    assert cli("case", "advance", str(got["E"][0]["id"]), "refuse", "--at", "2026-03-10").exit_code == 0  # refused: open
    second = launch(cli, "--year", "2027", "--at", "2027-03-01")  # the whole city: A, B, C have no case yet
    assert second["opened"] == 3 and second["carried_over"] == 3
    assert [(g["org"], g["cases"], g["carried_over"]) for g in second["by_org"]] == [("320505", 3, 0), ("320506", 0, 3)]
    assert [len(v) for v in cases(cli.url).values()] == [1, 1, 1, 1, 1, 1]


def test_campaign_cases_are_exactly_what_the_machine_gives_case_by_case(cli: Cli, tmp_path: Path) -> None:
    city(cli, tmp_path)
    launch(cli, "--org", "320505001")
    for key in "AB":
        stored = cases(cli.url)[key][0]
        case, events = stored["case"], stored["events"]
        opened = events[0]
        fresh = after_event(Case(case.case_id, case.credit_code, case.workflow, case.workflow_version, "targeted",
                                 case.jurisdiction, case.has_union), opened)
        fired = acts.fire(fresh, "send_offer", {"level": "enterprise" if key == "A" else "upper"}, at=opened.occurred_at,
                             recorded_at=events[1].recorded_at, actor=events[1].actor, note=events[1].note)
        assert events[1] == fired.event
        assert (case.state, case.version, dict(case.facts)) == (fired.case.state, fired.case.version, dict(fired.case.facts))
        assert opened.data == {"workflow": "enterprise_wage@2", "jurisdiction": "national", "campaign": 2026}


def test_a_launch_with_an_offer_date_outside_its_year_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    cli = Cli(url)
    city(cli, tmp_path)
    result = run_bargain("--db", url, "--lang", "en", "campaign", "launch", "--year", "2026", "--at", "2025-12-30")
    assert result.returncode == 1
    assert result.stderr.strip() == "error: the offer date 2025-12-30 is not in 2026; give a date in 2026 with --at"
    unknown = run_bargain("--db", url, "campaign", "launch", "--year", "2026", "--at", "2026-03-02", "--org", "320599")
    assert unknown.returncode == 1 and "320599" in unknown.stderr
    ok = run_bargain("--db", url, "campaign", "launch", "--year", "2026", "--at", "2026-03-02")
    assert ok.returncode == 0 and "已立案并发出要约 6 个" in ok.stdout, ok.stderr
    store = Store(url)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(event_t)).scalar_one() == 12
    store.dispose()
