"""Regional and industry bargaining: the 20% managers check, covered enterprises over time, timelines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.credit import make_credit_code
from engine.errors import RuleError
from tests.conftest import Cli
from tests.helpers.happy import fire, new_case, reps
from tests.helpers.regional_town import CODES, OUTSIDE, WALK, seed


def regional_case(state: str = "draft_agreed", jurisdiction: str = "national") -> Any:
    case = new_case(workflow="regional_wage", jurisdiction=jurisdiction)
    steps: list[tuple[str, dict[str, Any]]] = [
        ("send_offer", {"level": "regional", "employer_side": "甪直镇餐饮行业协会"}),
        ("accept", {}),
        ("set_topics", {"topics": "最低工资标准,工资增幅"}),
        ("elect_reps", {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}),
        ("hold_round", {}),
        ("agree_draft", {}),
    ]
    for trigger, data in steps:
        case = fire(case, trigger, data)
        if case.state == state:
            break
    return case


@pytest.mark.parametrize("managers, ok", [(12, True), (13, False), (0, True)])
def test_managers_are_at_most_a_fifth_of_a_regional_congress(managers: int, ok: bool) -> None:
    data = {"body": "congress", "total": 60, "present": 45, "votes_for": 40, "managers": managers}
    case = regional_case()
    if ok:
        assert fire(case, "approve", data).state == "congress_approved"
        return
    with pytest.raises(RuleError) as exc:
        fire(case, "approve", data)
    assert exc.value.rule == "managers_at_most_share" and exc.value.source == "企业民主管理规定 art. 16"
    assert exc.value.required == "<= 12" and exc.value.actual == 13


@pytest.mark.parametrize("managers, ok", [(18, True), (19, False)])
def test_in_shanghai_managers_are_at_most_30_percent_of_a_regional_congress(managers: int, ok: bool) -> None:
    data = {"body": "congress", "total": 60, "present": 45, "votes_for": 40, "managers": managers}
    case = regional_case(jurisdiction="shanghai")
    if ok:
        assert fire(case, "approve", data).state == "congress_approved"
        return
    with pytest.raises(RuleError) as exc:
        fire(case, "approve", data)
    assert exc.value.rule == "managers_at_most_share" and (exc.value.required, exc.value.actual) == ("<= 18", 19)


def test_a_regional_offer_comes_from_the_regional_or_industry_union() -> None:
    from engine.errors import DataError

    with pytest.raises(DataError, match="employer_side"):
        fire(new_case(workflow="regional_wage"), "send_offer", {"level": "regional"})
    with pytest.raises(DataError, match="level"):
        fire(new_case(workflow="regional_wage"), "send_offer", {"level": "enterprise", "employer_side": "协会"})


def test_a_regional_case_covers_enterprises_over_time_and_both_timelines_show_it(cli: Cli) -> None:
    seed(cli.url)
    opened = cli("case", "open", "320506001", "--workflow", "regional_wage", "--at", "2026-03-01", "--format", "json")
    assert opened.exit_code == 0, opened.output
    case_id = json.loads(opened.stdout)["case_id"]
    for trigger, args in WALK:
        r = cli("case", "advance", str(case_id), trigger, *args)
        assert r.exit_code == 0, f"{trigger}: {r.output}"
    args = [a for c in CODES[:4] for a in ("--enterprise", c)]
    r = cli("case", "cover", str(case_id), *args, "--on", "2026-05-01", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == CODES[:4]
    again = json.loads(cli("case", "cover", str(case_id), "--enterprise", CODES[0], "--format", "json").stdout)
    assert again["added"] == [] and again["unchanged"] == [CODES[0]]
    assert cli("case", "cover", str(case_id), "--remove", CODES[3], "--on", "2026-09-01").exit_code == 0
    on_june = json.loads(cli("case", "covered", str(case_id), "--on", "2026-06-30", "--format", "json").stdout)
    on_oct = json.loads(cli("case", "covered", str(case_id), "--on", "2026-10-01", "--format", "json").stdout)
    assert len(on_june) == 4 and len(on_oct) == 3
    tl = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    assert tl["party_org"] == "320506001" and tl["enterprise"]["name"] == "甪直镇总工会"
    changes = [e for e in tl["entries"] if e["kind"] == "coverage"]
    assert [(c["on"], len(c["added"]), len(c["removed"])) for c in changes] == [("2026-05-01", 4, 0), ("2026-09-01", 0, 1)]
    own = cli("case", "open", CODES[0], "--at", "2026-06-01", "--format", "json")
    own_tl = json.loads(cli("case", "timeline", str(json.loads(own.stdout)["case_id"]), "--format", "json").stdout)
    regional = [e for e in own_tl["entries"] if e["kind"] == "regional"]
    assert regional and regional[0]["case_id"] == case_id and regional[0]["effective_on"] == "2026-04-20"


def test_cover_refuses_enterprises_outside_the_area_unknown_ones_and_non_regional_cases(cli: Cli) -> None:
    seed(cli.url)
    case_id = json.loads(cli("case", "open", "320506001", "--workflow", "regional_wage", "--format", "json").stdout)["case_id"]
    outside = cli("case", "cover", str(case_id), "--enterprise", OUTSIDE)
    assert outside.exit_code == 1 and "outside the area" in outside.stderr and "劳动合同法 art. 53" in outside.stderr
    unknown = cli("case", "cover", str(case_id), "--enterprise", make_credit_code("320506", 77))
    assert unknown.exit_code == 1 and "no such enterprises" in unknown.stderr
    bad = cli("case", "cover", str(case_id), "--enterprise", CODES[0][:-1] + ("0" if CODES[0][-1] != "0" else "1"))
    assert bad.exit_code == 1 and "GB 32100-2015" in bad.stderr
    not_covered = cli("case", "cover", str(case_id), "--remove", CODES[1])
    assert not_covered.exit_code == 1 and "not covered" in not_covered.stderr
    own = json.loads(cli("case", "open", CODES[0], "--format", "json").stdout)["case_id"]
    wrong = cli("case", "cover", str(own), "--enterprise", CODES[1])
    assert wrong.exit_code == 1 and "not a regional" in wrong.stderr
    assert json.loads(cli("case", "covered", str(case_id), "--format", "json").stdout) == []


def test_coverage_dates_cannot_run_backwards(cli: Cli) -> None:
    seed(cli.url)
    case_id = json.loads(cli("case", "open", "320506001", "--workflow", "regional_wage", "--format", "json").stdout)["case_id"]
    assert cli("case", "cover", str(case_id), "--enterprise", CODES[0], "--on", "2026-05-01").exit_code == 0
    r = cli("case", "cover", str(case_id), "--remove", CODES[0], "--on", "2026-04-01")
    assert r.exit_code == 1 and "before these were added" in r.stderr


def walked_regional(cli: Cli) -> int:
    seed(cli.url)
    case_id = int(json.loads(cli("case", "open", "320506001", "--workflow", "regional_wage", "--at", "2026-03-01",
                                 "--format", "json").stdout)["case_id"])
    for trigger, args in WALK:
        assert cli("case", "advance", str(case_id), trigger, *args).exit_code == 0
    return case_id


def test_cover_reads_a_gb18030_file_with_chinese_headers_and_refuses_a_bad_row(cli: Cli, tmp_path: Path) -> None:
    case_id = walked_regional(cli)
    good = tmp_path / "餐饮企业.csv"
    good.write_bytes(("甪直镇餐饮企业名单\n序号,企业名称,统一社会信用代码\n"
                      + "".join(f"{i},餐馆{i},{c}\n" for i, c in enumerate(CODES[:3], 1))).encode("gb18030"))
    r = cli("case", "cover", str(case_id), "--file", str(good), "--on", "2026-05-01", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == CODES[:3]
    bad = tmp_path / "bad.csv"
    wrong = CODES[4][:-1] + ("1" if CODES[4][-1] != "1" else "2")
    bad.write_text(f"统一社会信用代码\n{CODES[3]}\n{wrong}\n{CODES[3]}\n", encoding="utf-8-sig")
    r = cli("case", "cover", str(case_id), "--file", str(bad))
    assert r.exit_code == 1
    assert "bad.csv has 2 bad rows" in r.stderr and "row 3" in r.stderr and "repeats row 2" in r.stderr
    assert "check character" in r.stderr
    assert len(json.loads(cli("case", "covered", str(case_id), "--format", "json").stdout)) == 3


def test_campaign_launch_skips_enterprises_covered_by_a_regional_contract_in_force(cli: Cli) -> None:
    case_id = walked_regional(cli)
    assert cli("case", "cover", str(case_id), *[a for c in CODES[:3] for a in ("--enterprise", c)], "--on", "2026-05-01").exit_code == 0
    # Dated in the past: an event may not be dated after now (issue 14).
    r = cli("campaign", "launch", "--year", "2026", "--org", "320506", "--at", "2026-11-02", "--format", "json")
    assert r.exit_code == 0, r.output
    listed = json.loads(cli("case", "list", "--org", "320506", "--format", "json").stdout)
    offered = {c["credit_code"] for c in listed if c["workflow"] == "enterprise_wage@2"}
    assert offered == set(CODES[3:])


def test_a_regional_contract_over_300_small_enterprises_moves_coverage_as_a_hand_count_says(cli: Cli, tmp_path: Path) -> None:
    seed(cli.url)
    small = [make_credit_code("320506", 1000 + i) for i in range(300)]
    listing = tmp_path / "甪直镇小微企业.csv"
    rows = "".join(f"{c},小微企业{i},甪直镇总工会,餐饮,{5 + i % 40},{'是' if i % 3 else '否'}\n" for i, c in enumerate(small))
    listing.write_bytes(("统一社会信用代码,企业名称,所属工会,行业,职工人数,是否建会\n" + rows).encode("gb18030"))
    assert cli("enterprise", "import", str(listing)).exit_code == 0
    unionised_small = sum(1 for i in range(300) if i % 3)
    workers_small = sum(5 + i % 40 for i in range(300))

    def total(day: str) -> dict[str, Any]:
        r = cli("report", "coverage", "--as-of", day, "--org", "320506", "--format", "json")
        assert r.exit_code == 0, r.output
        return dict(json.loads(r.stdout)["total"])

    before = total("2026-06-30")
    case_id = int(json.loads(cli("case", "open", "320506001", "--workflow", "regional_wage", "--at", "2026-03-01",
                                 "--format", "json").stdout)["case_id"])
    for trigger, args in WALK:
        assert cli("case", "advance", str(case_id), trigger, *args).exit_code == 0
    # one small firm also has its own contract in force: it must still count once
    own = json.loads(cli("case", "open", small[1], "--format", "json").stdout)["case_id"]
    for trigger, args in [("send_offer", ["--set", "level=enterprise", "--at", "2026-03-02"]), *WALK[1:6],
                          ("approve", ["--set", "body=congress", "--set", "total=9", "--set", "present=9", "--set", "votes_for=9",
                                       "--at", "2026-04-01"]), *WALK[7:]]:
        assert cli("case", "advance", str(own), trigger, *args).exit_code == 0, trigger
    cover_file = tmp_path / "cover.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["统一社会信用代码", "企业名称"])
    for i, c in enumerate(small):
        ws.append([c, f"小微企业{i}"])
    wb.save(cover_file)
    assert cli("case", "cover", str(case_id), "--file", str(cover_file), "--on", "2026-05-01").exit_code == 0
    after = total("2026-06-30")
    assert after["unionised"] == before["unionised"] == unionised_small + 2
    assert after["covered"] == before["covered"] + unionised_small
    assert after["enterprises_covered"] == before["enterprises_covered"] + 300
    assert after["workers_covered"] == before["workers_covered"] + workers_small
    lapsed = total("2027-05-01")  # the regional contract (and the own one) ended on 2027-04-30
    assert lapsed["covered"] == before["covered"] and lapsed["enterprises_covered"] == before["enterprises_covered"]
