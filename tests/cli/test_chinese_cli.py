"""Chinese in, Chinese out, from the real command line: activities, sides, bodies and states by their Chinese names;
unknown ones refused with a suggestion; help listing triggers and their data; every failed rule at once; org list;
the README's reps.json; --out saying what it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, run_bargain, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk

ROOT = Path(__file__).resolve().parents[2]


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def refused(result: Any) -> str:
    assert result.exit_code == 1, result.output
    return str(result.output)


@pytest.fixture
def case(cli: Cli) -> int:
    codes = seed_city(cli.url)
    return open_case(cli, codes["union"])


def test_log_accepts_an_activity_by_its_chinese_name(cli: Cli, case: int) -> None:
    body = json.loads(ok(cli("case", "log", str(case), "--by", "1", "--activity", "遇到的困难", "--note", "企业不愿增资",
                             "--format", "json", lang="zh")))
    assert body["activity"] == "difficulty"


def test_an_unknown_activity_is_refused_with_a_suggestion_in_its_language(cli: Cli, case: int) -> None:
    out = refused(cli("case", "log", str(case), "--by", "1", "--activity", "遇到困难", "--note", "x", lang="zh"))
    assert "是否要写 difficulty（遇到的困难）" in out
    out = refused(cli("case", "log", str(case), "--by", "1", "--activity", "difficulti", "--note", "x"))
    assert "did you mean 'difficulty'" in out


def test_sides_bodies_and_levels_are_accepted_by_their_chinese_names_and_stored_in_english(cli: Cli, case: int) -> None:
    steps = [(t, [a.replace("level=enterprise", "level=企业工会要约").replace("chair=worker", "chair=企业方")
                  .replace("body=congress", "body=职代会") for a in args]) for t, args in STEPS[:7]]
    walk(cli, case, steps)
    tl = json.loads(ok(cli("case", "timeline", str(case), "--format", "json")))
    data = {e["trigger"]: e["data"] for e in tl["entries"] if e["kind"] == "transition"}
    assert data["send_offer"]["level"] == "enterprise"
    assert data["hold_round"]["chair"] == "employer"
    assert data["approve"]["body"] == "congress"


def test_a_misspelt_enum_value_is_refused_with_both_names_and_a_suggestion(cli: Cli, case: int) -> None:
    out = refused(cli("case", "advance", str(case), "send_offer", "--set", "level=上级公会要约", lang="zh"))
    assert "enterprise（企业工会要约）|upper（上级工会要约）" in out and "是否要写 upper（上级工会要约）" in out


def test_case_list_takes_a_state_by_its_chinese_name(cli: Cli, case: int) -> None:
    rows = json.loads(ok(cli("case", "list", "--state", "待要约", "--format", "json")))
    assert [r["case_id"] for r in rows] == [case]
    assert json.loads(ok(cli("case", "list", "--state", "已生效", "--format", "json"))) == []


def test_a_misspelt_state_is_refused_with_a_suggestion_never_an_empty_list(cli: Cli, case: int) -> None:
    result = cli("case", "list", "--state", "efective", "--format", "json")
    assert result.exit_code == 1
    assert "did you mean 'effective'" in result.output
    assert json.loads(result.stdout)["error"]["rule"] == "state"


def test_elect_reps_reports_every_failed_rule_at_once(cli: Cli, case: int) -> None:
    walk(cli, case, STEPS[:3])
    bad = {"worker_reps": [{"name": "李明", "chief": True}, {"name": "王芳", "chief": True}],
           "employer_reps": [{"name": "陈总", "chief": True}, {"name": "李明"}, {"name": "孙伟"}], "recorder": "王芳"}
    result = cli("case", "advance", str(case), "elect_reps", "--set", "worker_reps=" + json.dumps(bad["worker_reps"]),
                 "--set", "employer_reps=" + json.dumps(bad["employer_reps"]), "--set", "recorder=王芳", "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    rules = [f["rule"] for f in error["failures"]]
    assert rules == ["reps_min_each_side", "reps_equal_numbers", "one_chief_each_side", "nobody_on_both_sides",
                     "recorder_not_a_rep"]
    assert error["rule"] == "reps_min_each_side" and all(f["source"] for f in error["failures"])
    assert error["message"].startswith("5 rules not met: 1. ")
    one = json.loads(cli("case", "show", str(case), "--format", "json").stdout)
    assert one["state"] == "topics_set"  # nothing written


def test_the_readme_reps_sample_elects_the_representatives(cli: Cli, case: int) -> None:
    walk(cli, case, STEPS[:3])
    sample = ROOT / "data" / "samples" / "reps.json"
    assert f"--data {sample.relative_to(ROOT)}" in (ROOT / "README.md").read_text(encoding="utf-8")
    body = json.loads(ok(cli("case", "advance", str(case), "elect_reps", "--data", str(sample), "--at", "2026-03-25",
                             "--format", "json")))
    assert body["state"] == "reps_elected"


def test_advance_help_lists_every_trigger_with_its_data_keys_in_both_languages(cli: Cli) -> None:
    out = ok(cli("case", "advance", "--help", lang="zh"))
    assert "send_offer 发出要约：level*（层级）=enterprise 企业工会要约|upper 上级工会要约" in out
    assert "hold_round 召开协商会议" in out and "chair（主持方）=worker 职工方|employer 企业方" in " ".join(out.split())
    assert "elect_reps" in out and "worker_reps*" in out
    assert "lapse_offer" not in out  # automatic: nobody fires it by hand
    assert "difficulty　遇到的困难" in ok(cli("case", "log", "--help"))
    assert "effective　已生效" in ok(cli("case", "list", "--help"))


def test_workflow_show_lists_each_triggers_data_keys_with_their_values(cli: Cli) -> None:
    out = ok(cli("workflow", "show", "enterprise_wage", lang="zh"))
    assert "body*（表决机构）=congress" in out and "votes_for*（赞成票）=int" in out


def test_org_list_shows_the_tree_as_a_table_and_as_json(cli: Cli) -> None:
    seed_city(cli.url)
    rows = json.loads(ok(cli("org", "list", "--format", "json")))
    assert [(r["code"], r["depth"], r["parent_code"], r["enterprises"]) for r in rows] == [
        ("320500", 0, None, 0), ("320505", 1, "320500", 2)]
    only = json.loads(ok(cli("org", "list", "--org", "320505", "--format", "json")))
    assert [r["code"] for r in only] == ["320505"] and only[0]["depth"] == 0
    assert "高新区总工会" in ok(cli("org", "list", lang="zh"))
    assert "did you mean 320505" in refused(cli("org", "list", "--org", "32050"))


def test_case_show_names_the_enterprise(cli: Cli, case: int) -> None:
    out = ok(cli("case", "show", str(case), lang="zh"))
    assert "甲公司" in out


def test_out_says_what_it_wrote_and_json_stdout_stays_empty(cli: Cli, case: int, tmp_path: Path) -> None:
    html = tmp_path / "t.html"
    assert str(html) in ok(cli("case", "timeline", str(case), "--format", "html", "--out", str(html)))
    result = cli("case", "timeline", str(case), "--format", "json", "--out", str(tmp_path / "t.json"))
    assert result.exit_code == 0 and result.stdout == "" and "t.json" in result.stderr
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["case_id"] == case


def test_a_real_process_refuses_a_misspelt_state_with_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    proc = run_bargain("--db", url, "case", "list", "--state", "efective")
    assert proc.returncode == 1 and "effective（已生效）" in proc.stderr and proc.stdout == ""


def test_workflow_show_json_lists_each_enum_value_with_its_chinese_and_english_labels(cli: Cli) -> None:
    shown = json.loads(ok(cli("workflow", "show", "enterprise_wage", "--format", "json")))
    by_trigger = {t["trigger"]: t for t in shown["transitions"]}
    level = by_trigger["send_offer"]["data"]["level"]
    assert level["type"] == "enum" and level["required"] is True  # the keys that were there stay
    assert level["values"] == [{"value": "enterprise", "zh": "企业工会要约", "en": "the enterprise union"},
                               {"value": "upper", "zh": "上级工会要约", "en": "the upper-level union"}]
    assert [v["value"] for v in by_trigger["approve"]["data"]["body"]["values"]] == ["congress", "assembly"]
    assert all(v["zh"] and v["en"] for t in shown["transitions"] for f in t["data"].values() for v in f.get("values", []))
    assert "values" not in by_trigger["approve"]["data"]["total"]  # a number has no list of values


def test_the_case_list_reads_chinese_all_the_way_in_zh_with_the_counselors_name(cli: Cli, case: int) -> None:
    ok(cli("case", "assign", str(case), "1"))
    zh = ok(cli("case", "list", lang="zh"))
    assert all(h in zh for h in ("案件", "统一社会信用代码", "企业", "所属工会", "状态", "指导员"))
    assert "case_id" not in zh and "counselor_id" not in zh and "credit_code" not in zh
    name = json.loads(ok(cli("case", "list", "--format", "json")))[0]["counselor_name"]
    assert name and name in zh
    en = ok(cli("case", "list"))
    assert "credit code" in en and "counselor" in en


def test_org_list_and_case_show_name_kinds_and_jurisdictions_in_chinese_in_zh(cli: Cli, case: int) -> None:
    orgs = ok(cli("org", "list", lang="zh"))
    assert "市级工会" in orgs and "区县级工会" in orgs and " city " not in orgs and " district " not in orgs
    assert "district" in ok(cli("org", "list"))
    shown = ok(cli("case", "show", str(case), lang="zh"))
    assert "全国（默认）" in shown and "national" not in shown
    assert "national" in ok(cli("case", "show", str(case)))
