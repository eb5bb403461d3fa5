"""The real command line: a case walked with the CLI alone, refusals, conflicts, timelines, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import sqlalchemy as sa

from engine.store.database import Store
from engine.store.tables import event_t
from tests.conftest import Cli, bargain_exe, run_bargain, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk


def events_of(url: str) -> int:
    store = Store(url)
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(event_t)).scalar_one()
    store.dispose()
    return int(n)


def test_a_case_walks_from_targeted_to_effective_with_the_cli_alone(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    body = walk(cli, case_id)
    assert body["state"] == "effective" and body["case_id"] == case_id
    assert body["workflow"] == "enterprise_wage@2" and body["version"] == len(STEPS) + 1
    shown = json.loads(cli("case", "show", str(case_id), "--format", "json").stdout)
    assert shown["state"] == "effective" and "publish" in shown["allowed"]


def test_a_refusal_prints_one_line_with_rule_and_source_and_writes_nothing(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:6])
    before = events_of(cli.url)
    result = cli("case", "advance", str(case_id), "approve", "--set", "body=congress", "--set", "total=60",
                 "--set", "present=39", "--set", "votes_for=35", "--at", "2026-04-15")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "39 present" in lines[0] and "集体合同规定 art. 36" in lines[0]
    assert result.stdout == ""
    assert events_of(cli.url) == before


def test_a_refusal_in_json_also_explains_itself_on_stdout(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["no_union"])
    result = cli("case", "advance", str(case_id), "send_offer", "--set", "level=enterprise", "--format", "json")
    assert result.exit_code == 1
    err = json.loads(result.stdout)["error"]
    assert err["rule"] == "offer_level_allowed" and err["required"] == "upper" and err["actual"] == "enterprise"
    assert "劳动合同法 art. 51" in err["source"]


def test_refusals_are_in_chinese_by_default(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    result = cli("case", "advance", str(case_id), "accept", lang="zh")
    assert result.exit_code == 1
    assert "不能执行 accept" in result.stderr and "send_offer" in result.stderr


def test_missing_and_unknown_trigger_data_are_refused_by_name(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    missing = cli("case", "advance", str(case_id), "send_offer")
    assert missing.exit_code == 1 and "'level'" in missing.stderr
    unknown = cli("case", "advance", str(case_id), "send_offer", "--set", "level=upper", "--set", "lvl=1")
    assert unknown.exit_code == 1 and "'lvl'" in unknown.stderr


def test_data_comes_from_a_json_file_and_set_wins(cli: Cli, tmp_path: Path) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    data = tmp_path / "offer.json"
    data.write_text(json.dumps({"level": "enterprise", "received_on": "2026-03-03"}), encoding="utf-8")
    result = cli("case", "advance", str(case_id), "send_offer", "--data", str(data), "--set", "level=upper",
                 "--at", "2026-03-02", "--format", "json")
    assert result.exit_code == 0, result.output
    tl = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    offer = next(e for e in tl["entries"] if e.get("trigger") == "send_offer")
    assert offer["data"] == {"level": "upper", "received_on": "2026-03-03"}


def test_back_dating_before_the_previous_event_is_refused(cli: Cli) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:2])
    result = cli("case", "advance", str(case_id), "set_topics", "--set", "topics=工资", "--at", "2026-03-11")
    assert result.exit_code == 1 and "earlier than the case's previous event" in result.stderr


def test_the_timeline_prints_in_text_md_json_and_html(cli: Cli, tmp_path: Path) -> None:
    codes = seed_city(cli.url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:5])
    assert cli("case", "log", str(case_id), "--by", "1", "--activity", "attend_round", "--hours", "3",
               "--at", "2026-04-02T16:00", "--note", "列席第一轮协商").exit_code == 0
    tl = json.loads(cli("case", "timeline", str(case_id), "--format", "json").stdout)
    assert tl["case_id"] == case_id and tl["workflow"] == "enterprise_wage@2" and tl["state"] == "negotiating"
    assert tl["enterprise"] == {"credit_code": codes["union"], "name": "甲公司"}
    kinds = [e["kind"] for e in tl["entries"]]
    assert kinds.count("transition") == 5 and "involvement" in kinds
    first = next(e for e in tl["entries"] if e["kind"] == "transition")
    assert first["at"] == "2026-03-02T09:00:00+08:00" and first["from"] == "targeted" and first["to"] == "offer_sent"
    inv = next(e for e in tl["entries"] if e["kind"] == "involvement")
    assert inv["activity"] == "attend_round" and inv["hours"] == 3.0 and inv["state"] == "negotiating"
    ats = [e["at"] for e in tl["entries"]]
    assert ats == sorted(ats)
    text = cli("case", "timeline", str(case_id), "--format", "text", lang="zh").stdout
    assert "发出要约" in text and "甲公司" in text
    md = cli("case", "timeline", str(case_id), "--format", "md").stdout
    assert md.startswith("# Case") and "| when |" in md
    out = tmp_path / "case.html"
    assert cli("case", "timeline", str(case_id), "--format", "html", "--out", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<ol class=\"timeline\">" in page and "甲公司" in page and "http" not in page


def test_global_options_work_after_the_subcommand(cli: Cli) -> None:
    codes = seed_city(cli.url)
    from cli import app

    result = cli.runner.invoke(app, ["case", "open", codes["union"], "--db", cli.url, "--lang", "en", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "targeted"


def test_not_found_is_refused_with_exit_1(cli: Cli) -> None:
    result = cli("case", "show", "999")
    assert result.exit_code == 1 and "no case with id 999" in result.stderr


def test_concurrent_advances_from_two_processes_one_wins_the_other_exits_3(db_url: str) -> None:
    codes = seed_city(db_url)
    cli = Cli(db_url)
    case_id = open_case(cli, codes["union"])
    walk(cli, case_id, STEPS[:1])
    version = json.loads(cli("case", "show", str(case_id), "--format", "json").stdout)["version"]
    cmd = [bargain_exe(), "--db", db_url, "--lang", "en", "case", "advance", str(case_id)]
    procs = [
        subprocess.Popen([*cmd, trig, "--expect-version", str(version), "--at", "2026-03-10"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for trig in ("accept", "refuse")
    ]
    outcomes = sorted(p.wait(timeout=120) for p in procs)
    assert outcomes == [0, 3], [p.stderr.read() for p in procs if p.stderr]
    loser = next(p for p in procs if p.returncode == 3)
    assert loser.stderr is not None and "nothing was written" in loser.stderr.read()
    assert events_of(db_url) == 3


def test_the_installed_script_runs_and_maps_exit_codes(tmp_path: Path) -> None:
    assert run_bargain("--help").returncode == 0
    url = f"sqlite:///{tmp_path / 'x.db'}"
    usage = run_bargain("--db", url, "case", "advance")
    assert usage.returncode == 2
    missing = run_bargain("--db", url, "--lang", "en", "case", "show", "7")
    assert missing.returncode == 1 and missing.stderr.strip().count("\n") == 0 and "no case with id 7" in missing.stderr
    broken = run_bargain("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "case", "show", "1")
    assert broken.returncode == 4 and "Traceback" not in broken.stderr


def test_workflow_show_prints_a_mermaid_diagram_matching_the_readme(cli: Cli) -> None:
    result = cli("workflow", "show", "enterprise_wage", "--format", "mermaid")
    assert result.exit_code == 0 and result.stdout.startswith("stateDiagram-v2")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    zh = cli("workflow", "show", "enterprise_wage", "--format", "mermaid", lang="zh").stdout
    assert zh.strip() in readme
