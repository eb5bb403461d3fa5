"""Legal fidelity through the real command line (issue #20): periods that bind people, citations that follow
the profile, terms counted as the Civil Code counts, local numbers, regional cases at county level or below."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from engine.credit import make_credit_code
from engine.store.database import Store
from engine.store.repository import load_case
from engine.store.tables import case_t
from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk


def show(cli: Cli, case_id: int, *args: str) -> dict[str, Any]:
    result = cli("case", "show", str(case_id), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def filed_case(cli: Cli) -> tuple[int, date]:
    """A case filed on 2026-04-24 (received that day) and the last day of its review period."""
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:9])
    review = next(d for d in show(cli, case_id)["deadlines"] if d["kind"] == "review")
    return case_id, date.fromisoformat(review["due"])


def test_an_objection_within_the_review_period_is_recorded(cli: Cli) -> None:
    case_id, due = filed_case(cli)
    result = cli("case", "advance", str(case_id), "object", "--set", "reason=条款违法", "--at", f"{due}T18:00",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "negotiating"


def test_an_objection_after_the_review_period_is_refused_with_its_rule(cli: Cli) -> None:
    case_id, due = filed_case(cli)
    late = due + timedelta(days=1)
    result = cli("case", "advance", str(case_id), "object", "--set", "reason=条款违法", "--at", f"{late}T09:00",
                 "--format", "json")
    assert result.exit_code == 1
    err = json.loads(result.stdout)["error"]
    assert err["rule"] == "period_ran_out" and err["required"] == f"<= {due}"
    for law in ("工资集体协商试行办法 art. 22", "集体合同规定 art. 47", "劳动合同法 art. 54"):
        assert law in err["source"]
    assert show(cli, case_id)["state"] == "filed"


def test_an_approval_entered_after_the_review_period_dates_the_contract_from_the_day_the_law_did(cli: Cli) -> None:
    case_id, due = filed_case(cli)
    entered = due + timedelta(days=9)
    result = cli("case", "advance", str(case_id), "pass_review", "--at", f"{entered}T10:00", "--format", "json")
    assert result.exit_code == 0, result.output
    in_force = due + timedelta(days=1)
    body = json.loads(result.stdout)
    assert body["state"] == "effective"
    assert datetime.fromisoformat(body["last_at"]) == datetime.fromisoformat(f"{in_force}T00:00:00+08:00")
    publication = next(d for d in body["deadlines"] if d["kind"] == "publication")
    assert publication["starts_on"] == in_force.isoformat()  # 5 days from taking effect, not from the entry
    store = Store(cli.url)
    with store.read() as conn:
        assert conn.execute(case_t.select().where(case_t.c.id == case_id)).one().effective_on == in_force
        assert load_case(conn, case_id).last("pass_review") is not None
    store.dispose()
    tl = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    passed = next(e for e in tl["entries"] if e.get("trigger") == "pass_review")
    assert "in force by law" in passed["note"]


def test_a_term_longer_than_three_years_by_the_civil_code_is_refused(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:7])
    result = cli("case", "advance", str(case_id), "sign", "--set", "term_start=2026-04-01", "--set", "term_end=2029-04-01",
                 "--at", "2026-04-20", "--format", "json")
    assert result.exit_code == 1
    err = json.loads(result.stdout)["error"]
    assert err["rule"] == "term_within_limits" and err["source"] == "集体合同规定 art. 38" and err["actual"] == "2029-04-01"
    ok = cli("case", "advance", str(case_id), "sign", "--set", "term_start=2026-04-01", "--set", "term_end=2029-03-31",
             "--at", "2026-04-20")
    assert ok.exit_code == 0, ok.output


def test_a_zhejiang_vote_refusal_cites_the_zhejiang_regulation(cli: Cli) -> None:
    assert cli("org", "add", "330000", "浙江省总工会", "--kind", "province", "--jurisdiction", "zhejiang").exit_code == 0
    code = make_credit_code("330000", 1)
    assert cli("enterprise", "add", code, "浙江公司", "--org", "330000", "--employees", "80").exit_code == 0
    case_id = open_case(cli, code)
    walk(cli, case_id, STEPS[:6])
    result = cli("case", "advance", str(case_id), "approve", "--set", "body=congress", "--set", "total=60", "--set",
                 "present=40", "--set", "votes_for=30", "--at", "2026-04-15", "--format", "json")
    assert result.exit_code == 1
    err = json.loads(result.stdout)["error"]
    assert err["rule"] == "majority_of_all" and "浙江省集体合同条例 art. 24" in err["source"]
    assert "集体合同规定" not in err["source"]


@pytest.mark.parametrize("jurisdiction, cited", [
    ("beijing", "北京市集体合同条例 art. 32"), ("shandong", "山东省企业工资集体协商条例 art. 21"),
])
def test_beijing_and_shandong_unions_can_be_added_and_their_reply_period_cites_their_article(
        cli: Cli, jurisdiction: str, cited: str) -> None:
    result = cli("org", "add", "110000", "总工会", "--kind", "province", "--jurisdiction", jurisdiction)
    assert result.exit_code == 0, result.output
    code = make_credit_code("110000", 1)
    assert cli("enterprise", "add", code, "公司", "--org", "110000", "--employees", "80").exit_code == 0
    case_id = open_case(cli, code)
    assert cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--at", "2026-03-02").exit_code == 0
    reply = next(d for d in show(cli, case_id)["deadlines"] if d["kind"] == "offer_reply")
    assert reply["rule"].startswith(cited)


def test_a_city_union_cannot_open_a_regional_case_but_a_district_union_can(cli: Cli) -> None:
    assert cli("org", "add", "320500", "苏州市总工会", "--kind", "city").exit_code == 0
    assert cli("org", "add", "320505", "高新区总工会", "--kind", "district", "--parent", "320500").exit_code == 0
    refused = cli("case", "open", "320500", "--workflow", "regional_wage", "--format", "json")
    assert refused.exit_code == 1, refused.output
    err = json.loads(refused.stdout)["error"]
    assert err["rule"] == "regional_at_county_or_below" and "劳动合同法 art. 53" in err["source"]
    ok = cli("case", "open", "320505", "--workflow", "regional_wage", "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert cli("org", "add", "320500JX", "苏州市机械冶金工会", "--kind", "industry", "--parent", "320500").exit_code == 0
    industry = cli("case", "open", "320500JX", "--workflow", "regional_wage", "--format", "json")
    assert industry.exit_code == 1 and json.loads(industry.stdout)["error"]["actual"] == "city"


def test_the_review_period_binds_a_running_version_1_case_too(cli: Cli) -> None:
    codes = seed_city(cli.url)
    result = cli("case", "open", codes["union"], "--workflow", "enterprise_wage@1", "--format", "json")
    assert result.exit_code == 0, result.output
    case_id = int(json.loads(result.stdout)["case_id"])
    walk(cli, case_id, STEPS[:9])
    assert show(cli, case_id)["workflow"] == "enterprise_wage@1"
    due = date.fromisoformat(next(d for d in show(cli, case_id)["deadlines"] if d["kind"] == "review")["due"])
    late = cli("case", "advance", str(case_id), "object", "--set", "reason=条款违法", "--at", f"{due + timedelta(days=1)}",
               "--format", "json")
    assert late.exit_code == 1 and json.loads(late.stdout)["error"]["rule"] == "period_ran_out"
    passed = cli("case", "advance", str(case_id), "pass_review", "--at", f"{due + timedelta(days=3)}", "--format", "json")
    assert passed.exit_code == 0, passed.output
    assert json.loads(passed.stdout)["last_at"].startswith(f"{due + timedelta(days=1)}T00:00:00")
