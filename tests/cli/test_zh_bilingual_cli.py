"""A source or note the engine writes in both languages ('zh / en') is shown in the reader's: a refusal's source
(事件按发生时间顺序记录 / events are kept in time order), a tick's lapse note and a deemed entry's note, from the real
command line; the zh side cites the law in Chinese all the way. JSON keeps the source as written."""

from __future__ import annotations

import json
from pathlib import Path

from engine.citation import cite, cite_zh, sides
from engine.correction import SOURCE as CORRECTION_SOURCE
from engine.errors import RuleError
from engine.machine import ORDER_SOURCE
from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk


def test_a_bilingual_source_is_cited_by_its_side_for_the_reader() -> None:
    assert sides(ORDER_SOURCE) == ("事件按发生时间顺序记录", "events are kept in time order")
    assert cite_zh(ORDER_SOURCE) == "事件按发生时间顺序记录"
    assert cite(ORDER_SOURCE, "en") == "events are kept in time order"
    err = RuleError("晚了", "too early", source=ORDER_SOURCE)
    assert err.message("zh") == "晚了（事件按发生时间顺序记录）"
    assert err.message("en") == "too early (events are kept in time order)"
    assert err.as_json("zh")["error"]["source"] == ORDER_SOURCE  # the stable form, as written


def test_a_source_that_only_has_a_slash_is_not_split() -> None:
    for source in ("集体合同规定 art. 32 / 工资集体协商试行办法 art. 17", "WCB art. 17 / CCR art. 32", "甲 / 乙"):
        assert sides(source) == (source, source)
    assert cite_zh("劳动合同法 art. 51; 工会法 art. 21") == "《劳动合同法》第五十一条；《工会法》第二十一条"


def test_void_with_nothing_to_undo_cites_the_correction_rule_in_one_language(cli: Cli) -> None:
    case = open_case(cli, seed_city(cli.url)["union"])
    zh = cli("case", "void", str(case), "--reason", "测试", lang="zh")
    assert zh.exit_code == 1
    assert "（DOMAIN §3：事件只增不改，更正另记一条事件）" in zh.output and "events are" not in zh.output
    en = cli("case", "void", str(case), "--reason", "test", lang="en")
    assert "(events are never edited: a correction is a new event)" in en.output and "事件" not in en.output
    body = json.loads(cli("case", "void", str(case), "--reason", "test", "--format", "json").stdout)
    assert body["error"]["source"] == CORRECTION_SOURCE


def test_a_ledger_row_out_of_time_order_cites_the_rule_in_chinese_only(cli: Cli, tmp_path: Path) -> None:
    code = seed_city(cli.url)["union"]
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("credit_code,year,level,offer_date,response,response_date\n"
                      f"{code},2023,enterprise,2023-03-10,accepted,2023-03-05\n", encoding="utf-8")
    out = cli("ledger", "import", str(ledger), lang="zh").output
    assert "（事件按发生时间顺序记录）" in out
    assert "events are kept" not in out and " / " not in out
    en = cli("ledger", "import", str(ledger), lang="en").output
    assert "(events are kept in time order)" in en and "事件" not in en


def test_a_lapse_note_written_by_tick_is_shown_in_the_readers_language(cli: Cli) -> None:
    case = open_case(cli, seed_city(cli.url)["union"])
    walk(cli, case, STEPS[:1])
    assert cli("tick", "--as-of", "2026-06-01").exit_code == 0
    for fmt in ("md", "html"):
        zh = cli("case", "timeline", str(case), "--format", fmt, lang="zh").stdout
        assert "期限届满" in zh and "《工资集体协商试行办法》第十七条；《集体合同规定》第三十二条" in zh
        assert "period ran out" not in zh and " art. " not in zh
        en = cli("case", "timeline", str(case), "--format", fmt, lang="en").stdout
        assert "period ran out on" in en and "期限届满" not in en


def test_a_late_approval_keeps_the_persons_note_and_shows_the_laws_in_the_readers_language(cli: Cli) -> None:
    case = open_case(cli, seed_city(cli.url)["union"])
    walk(cli, case, STEPS[:-1])  # filed on 2026-04-24: the review period ran out on 2026-05-09
    result = cli("case", "advance", str(case), "pass_review", "--at", "2026-05-20", "--note", "收到审查意见书")
    assert result.exit_code == 0, result.output
    zh = cli("case", "timeline", str(case), "--format", "md", lang="zh").stdout
    assert "收到审查意见书；依法于 " in zh and "《工资集体协商试行办法》第二十二条；《集体合同规定》第四十七条" in zh
    assert "in force by law" not in zh and " art. " not in zh
    en = cli("case", "timeline", str(case), "--format", "md", lang="en").stdout
    assert "收到审查意见书; in force by law at " in en and "依法于" not in en
