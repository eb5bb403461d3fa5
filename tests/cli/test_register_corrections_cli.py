"""Corrections of the registers (issue 13 item 3): counselor merge, enterprise retire, org merge. History is kept:
events stay as recorded, the retired enterprise and the merged organisation stay, the merge is recorded."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.store.database import Store
from tests.conftest import Cli, seed_city


def body(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counselor_merge_moves_the_cases_keeps_the_events_and_leaves_one_record(cli: Cli) -> None:
    codes = seed_city(cli.url)  # counselor 1: 王建国, full-time, 320505, no phone
    dup = body(cli, "counselor", "add", "王建國", "--org", "320505", "--phone", "0512-1")["id"]  # typed twice, differently
    case_id = body(cli, "case", "open", codes["union"], "--counselor", str(dup))["case_id"]
    cli("case", "log", str(case_id), "--by", str(dup), "--activity", "contact_management", "--hours", "2", "--note", "上门",
        "--at", "2026-03-03")
    done = body(cli, "counselor", "merge", "1", str(dup))
    assert done["cases_moved"] == 1 and "phone" in done["filled"]
    listed = body(cli, "counselor", "list")
    assert [c["id"] for c in listed] == [1] and listed[0]["phone"] == "0512-1"
    assert body(cli, "case", "show", str(case_id))["counselor_id"] == 1
    logged = [e for e in body(cli, "case", "timeline", str(case_id))["entries"] if e["kind"] == "involvement"]
    assert logged[0]["counselor_id"] == dup  # the event as recorded
    load = {r["counselor_id"]: r for r in body(cli, "counselor", "workload", "--as-of", "2026-03-31")}
    assert load[1]["entries"] == 1 and load[1]["hours"] == 2.0 and dup not in load
    summary = body(cli, "counselor", "summary", "1", "--year", "2026")
    assert [c["case_id"] for c in summary["cases"]] == [case_id]
    again = cli("counselor", "merge", "1", str(dup))
    assert again.exit_code == 1 and "already merged" in again.stderr


def test_a_retired_enterprise_gets_no_new_case_and_leaves_coverage_from_its_day(cli: Cli) -> None:
    codes = seed_city(cli.url)
    before = body(cli, "report", "coverage", "--as-of", "2026-05-31")["total"]["enterprises"]
    done = body(cli, "enterprise", "retire", codes["no_union"], "--on", "2026-06-01", "--reason", "注销")
    assert done["retired_on"] == "2026-06-01"
    assert body(cli, "report", "coverage", "--as-of", "2026-05-31")["total"]["enterprises"] == before  # history kept
    assert body(cli, "report", "coverage", "--as-of", "2026-06-01")["total"]["enterprises"] == before - 1
    result = cli("case", "open", codes["no_union"], "--at", "2026-07-01")
    assert result.exit_code == 1 and "retired" in result.stderr
    launched = body(cli, "campaign", "launch", "--year", "2026", "--at", "2026-07-01")
    assert launched["opened"] == 1  # the other enterprise only
    assert body(cli, "enterprise", "list")[1]["credit_code"] == codes["no_union"]  # still listed: history


def test_org_merge_moves_enterprises_counselors_sub_orgs_and_cases_under_the_one_kept(cli: Cli) -> None:
    codes = seed_city(cli.url)  # 320500 city; 320505 district with two enterprises and counselor 1
    assert cli("org", "add", "320508", "姑苏区总工会", "--kind", "district", "--parent", "320500").exit_code == 0
    assert cli("org", "add", "320505001", "狮山街道总工会", "--kind", "town", "--parent", "320505").exit_code == 0
    town_ent = make_credit_code("320505", 7)
    assert cli("enterprise", "add", town_ent, "丁公司", "--org", "320505001", "--employees", "80").exit_code == 0
    case_id = body(cli, "case", "open", codes["union"])["case_id"]
    cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02")
    done = body(cli, "org", "merge", "320505", "320508", "--on", "2026-10-01")
    assert (done["enterprises"], done["counselors"], done["orgs"], done["cases"]) == (3, 1, 1, 1)
    ents = {e["credit_code"]: e["org_code"] for e in body(cli, "enterprise", "list", "--org", "320508")}
    assert ents == {codes["union"]: "320508", codes["no_union"]: "320508", town_ent: "320505001"}
    assert body(cli, "enterprise", "list", "--org", "320505") == []
    assert [c["id"] for c in body(cli, "counselor", "list", "--org", "320508")] == [1]
    assert [c["case_id"] for c in body(cli, "case", "list", "--org", "320508")] == [case_id]
    report = body(cli, "report", "campaign", "--year", "2026", "--org", "320508")
    assert report["total"]["offers"] == 1
    store = Store(cli.url)
    with store.read() as conn:
        town = conn.execute(sa.text("SELECT path FROM org WHERE code = '320505001'")).scalar_one()
        merged = conn.execute(sa.text("SELECT from_code, into_code, from_path FROM org_merge")).one()
        kept = conn.execute(sa.text("SELECT count(*) FROM org WHERE code = '320505'")).scalar_one()
    store.dispose()
    assert town == "/320500/320508/320505001/"
    assert tuple(merged) == ("320505", "320508", "/320500/320505/") and kept == 1


def test_an_organisation_cannot_be_merged_into_its_own_subtree(cli: Cli) -> None:
    seed_city(cli.url)
    result = cli("org", "merge", "320500", "320505", "--on", "2026-10-01")
    assert result.exit_code == 1 and "lies under" in result.stderr
