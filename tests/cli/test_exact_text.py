"""Exact text (issue 13 item 1): what people type comes back exactly, Chinese punctuation and all; lists typed on
one line split on , ， ; ； and line breaks only (never 、), or come as a JSON list or a repeated --set key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.payload import normalise
from engine.registry import spec
from engine.times import parse_at
from engine.values import split_list
from tests.conftest import Cli, seed_city
from tests.helpers.happy import reps

# Every mark the issue names, in one note: a NFKC pass would turn ，；：into ASCII and a split on 、 would cut it.
P = "「双方」同意：奖金、津贴、补贴，按月发放；详见附件。"
TOPIC = "奖金、津贴、补贴等分配办法"  # WCB art. 7 item 4, one topic in the law's own words


def test_a_topic_written_with_the_enumeration_comma_stays_one_topic() -> None:
    assert split_list(TOPIC) == [TOPIC]
    assert split_list("工资调整幅度，高温津贴;加班工资；年终奖\n职工福利\r\n带薪休假,") == [
        "工资调整幅度", "高温津贴", "加班工资", "年终奖", "职工福利", "带薪休假"]


def test_list_items_given_one_by_one_are_kept_whole_even_with_a_comma() -> None:
    t = spec("enterprise_wage@1").transitions["set_topics"]
    at = parse_at("2026-03-20")
    assert normalise(t, {"topics": ["甲，乙", TOPIC]}, at, 1)["topics"] == ["甲，乙", TOPIC]
    assert normalise(t, {"topics": json.dumps([TOPIC, "高温津贴"], ensure_ascii=False)}, at, 1)["topics"] == [TOPIC, "高温津贴"]


def timeline(cli: Cli, case_id: int) -> dict[str, Any]:
    result = cli("case", "timeline", str(case_id), "--format", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def advance(cli: Cli, case_id: int, trigger: str, *args: str) -> None:
    result = cli("case", "advance", str(case_id), trigger, *args, "--note", P)
    assert result.exit_code == 0, f"{trigger}: {result.output}"


def test_every_free_text_field_of_a_case_comes_back_exactly(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = int(json.loads(cli("case", "open", codes["union"], "--format", "json").stdout)["case_id"])
    workers = reps(3, "职工")
    workers[1]["role"] = P
    advance(cli, case_id, "send_offer", "--set", "level=enterprise", "--at", "2026-03-02")
    advance(cli, case_id, "accept", "--at", "2026-03-12")
    advance(cli, case_id, "set_topics", "--set", f"topics={TOPIC}", "--set", "topics=高温津贴，夏季", "--at", "2026-03-20")
    advance(cli, case_id, "elect_reps", "--set", "worker_reps=" + json.dumps(workers, ensure_ascii=False),
            "--set", "employer_reps=" + json.dumps(reps(3, "企业"), ensure_ascii=False),
            "--set", f"recorder=记录员（{P}）", "--set", f"union_chair={P}", "--set", "chief_delegated=true",
            "--set", f"legal_representative={P}", "--set", "employer_chief_delegated=true", "--at", "2026-03-25")
    advance(cli, case_id, "hold_round", "--set", "chair=worker", "--set", f"outcome={P}", "--at", "2026-04-02")
    result = cli("case", "log", str(case_id), "--by", "1", "--activity", "difficulty", "--note", P, "--at", "2026-04-03")
    assert result.exit_code == 0, result.output
    shown = timeline(cli, case_id)
    entries = [e for e in shown["entries"] if e.get("seq", 1) > 1]  # the acts, not the opening or the deadlines
    assert [e["note"] for e in entries] == [P] * 6
    data = {e.get("trigger"): e.get("data", {}) for e in entries}
    assert data["set_topics"]["topics"] == [TOPIC, "高温津贴，夏季"]
    assert data["elect_reps"]["worker_reps"][1]["role"] == P
    assert data["elect_reps"]["recorder"] == f"记录员（{P}）"
    assert data["elect_reps"]["union_chair"] == P and data["elect_reps"]["legal_representative"] == P
    assert data["hold_round"]["outcome"] == P


@pytest.mark.parametrize("field", ["education", "training", "employer", "background"])
def test_a_counselors_free_text_comes_back_exactly(cli: Cli, field: str) -> None:
    seed_city(cli.url)
    name = "欧阳·娜娜（小）"
    result = cli("counselor", "add", name, "--org", "320505", f"--{field}", P, "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(cli("counselor", "list", "--format", "json").stdout)
    mine = next(c for c in listed if c["name"] == name)
    assert mine[field] == P


def test_names_of_organisations_and_enterprises_come_back_exactly(cli: Cli) -> None:
    codes = seed_city(cli.url)
    assert cli("org", "add", "320508", "苏州工业园区（自贸片区）总工会，「园区」", "--parent", "320500").exit_code == 0
    result = cli("enterprise", "add", codes["union"], "甲公司（苏州）：研发、生产；", "--org", "320508")
    assert result.exit_code == 0, result.output
    listed = json.loads(cli("enterprise", "list", "--format", "json").stdout)
    assert next(e for e in listed if e["credit_code"] == codes["union"])["name"] == "甲公司（苏州）：研发、生产；"
