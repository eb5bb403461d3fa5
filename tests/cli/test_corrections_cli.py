"""Corrections that keep history (issue 13 item 3): case void undoes the last step, case amend corrects an earlier
one through the trigger's own checks; the timeline keeps the original, marked, and the case, its deadlines and its
report columns follow the corrected record."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from engine.store.database import Store
from engine.store.tables import case_t
from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk


def timeline(cli: Cli, case_id: int) -> dict[str, Any]:
    return dict(json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout))


def events(cli: Cli, case_id: int) -> list[dict[str, Any]]:
    return [e for e in timeline(cli, case_id)["entries"] if e["kind"] not in ("deadline", "opened")]


def row(cli: Cli, case_id: int) -> Any:
    store = Store(cli.url)
    with store.read() as conn:
        found = conn.execute(sa.select(case_t).where(case_t.c.id == case_id)).one()
    store.dispose()
    return found


def test_void_then_the_right_trigger_shows_all_three_events_and_the_right_state(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, [STEPS[0], ("refuse", ["--set", "reason=不同意", "--at", "2026-03-10"])])
    assert row(cli, case_id).response == "refused"
    result = cli("--as", "王芳", "case", "void", str(case_id), "--reason", "误录：企业已书面应约", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["state"] == "offer_sent" and "accept" in body["allowed"]
    assert row(cli, case_id).response is None  # the report column follows the restored state
    result = cli("case", "advance", str(case_id), "accept", "--at", "2026-03-09")  # earlier than the voided step: allowed
    assert result.exit_code == 0, result.output
    shown = events(cli, case_id)
    assert [(e["kind"], e.get("trigger")) for e in shown] == [
        ("transition", "send_offer"), ("transition", "accept"), ("transition", "refuse"), ("void", "refuse")]
    refused = next(e for e in shown if e.get("trigger") == "refuse" and e["kind"] == "transition")
    assert refused["voided"]["actor"] == "王芳" and refused["voided"]["reason"] == "误录：企业已书面应约"
    assert refused["voided"]["recorded_at"]
    assert timeline(cli, case_id)["state"] == "accepted"
    assert row(cli, case_id).response == "accepted" and str(row(cli, case_id).responded_on) == "2026-03-09"
    text = cli("case", "timeline", str(case_id)).stdout
    assert "(voided)" in text and "误录" in text


def test_a_case_with_only_its_opening_has_nothing_to_void(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    result = cli("case", "void", str(case_id), "--reason", "x")
    assert result.exit_code == 1 and "no step to undo" in result.stderr


def approve_seq(cli: Cli, case_id: int) -> int:
    return int(next(e["seq"] for e in events(cli, case_id) if e.get("trigger") == "approve"))


def test_an_amended_congress_vote_that_breaks_the_two_thirds_rule_is_refused_with_its_source(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:7])
    before = timeline(cli, case_id)
    result = cli("case", "amend", str(case_id), str(approve_seq(cli, case_id)), "--set", "present=39", "--reason", "抄错")
    assert result.exit_code == 1
    assert "39 present" in result.stderr and "集体合同规定 art. 36" in result.stderr
    assert timeline(cli, case_id) == before  # nothing written


def test_an_amendment_shows_original_and_correction_and_the_facts_use_the_corrected_values(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:8])  # up to sign: term 2026-05-01 .. 2027-04-30
    sign = next(e["seq"] for e in events(cli, case_id) if e.get("trigger") == "sign")
    result = cli("case", "amend", str(case_id), str(sign), "--set", "term_end=2028-04-30", "--reason", "合同期限录入错误")
    assert result.exit_code == 0, result.output
    assert str(row(cli, case_id).term_end) == "2028-04-30"
    shown = events(cli, case_id)
    original = next(e for e in shown if e.get("seq") == sign)
    assert original["data"]["term_end"] == "2027-04-30"  # as recorded
    assert original["amended"][0]["data"]["term_end"] == "2028-04-30" and original["amended"][0]["reason"] == "合同期限录入错误"
    amendment = shown[-1]
    assert amendment["kind"] == "amendment" and amendment["amends"] == sign
    assert amendment["was"]["data"]["term_end"] == "2027-04-30"
    assert amendment["corrected"]["data"]["term_end"] == "2028-04-30"
    # the next step still works on the corrected case
    assert cli("case", "advance", str(case_id), "file", "--set", "authority=人社局", "--at", "2026-04-24").exit_code == 0


def test_a_correction_that_would_break_a_later_step_is_refused(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:3])  # offer 03-02, accept 03-12, topics 03-20
    accept = next(e["seq"] for e in events(cli, case_id) if e.get("trigger") == "accept")
    result = cli("case", "amend", str(case_id), str(accept), "--at", "2026-03-25", "--reason", "日期错")
    assert result.exit_code == 1 and "no longer holds" in result.stderr
    assert cli("case", "amend", str(case_id), str(accept), "--at", "2026-03-14", "--reason", "日期错").exit_code == 0
    assert str(row(cli, case_id).responded_on) == "2026-03-14"


def test_a_voided_step_cannot_be_amended_and_is_not_counted_as_reached(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, [STEPS[0], ("refuse", ["--at", "2026-03-10"])])
    cli("case", "void", str(case_id), "--reason", "误录")
    refuse = next(e["seq"] for e in events(cli, case_id) if e.get("trigger") == "refuse")
    result = cli("case", "amend", str(case_id), str(refuse), "--at", "2026-03-11", "--reason", "x")
    assert result.exit_code == 1 and "voided" in result.stderr
    funnel = json.loads(cli("report", "funnel", "--year", "2026", "--format", "json").stdout)
    reached = {r["state"]: r["reached"] for r in funnel["rows"]}
    assert reached.get("refused", 0) == 0 and reached["offer_sent"] == 1


def test_a_counselors_summary_leaves_a_voided_step_out(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = int(json.loads(cli("case", "open", codes["union"], "--counselor", "1", "--format", "json").stdout)["case_id"])
    for trigger, at in (("send_offer", "2026-03-02"), ("refuse", "2026-03-10")):
        extra = ["--set", "level=enterprise"] if trigger == "send_offer" else []
        assert cli("case", "advance", str(case_id), trigger, "--by", "1", *extra, "--at", at).exit_code == 0
    assert cli("case", "void", str(case_id), "--reason", "误录").exit_code == 0
    summary = json.loads(cli("counselor", "summary", "1", "--year", "2026", "--format", "json").stdout)
    shown = json.dumps(summary["cases"], ensure_ascii=False)
    assert "refuse" not in shown and "send_offer" in shown
