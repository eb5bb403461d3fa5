"""A refusal in Chinese cites the law in Chinese all the way (《集体合同规定》第三十六条), on stderr and in the JSON
message; the JSON `source` stays as the workflow writes it, in both languages; English keeps `art. N`."""

from __future__ import annotations

import json

from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import STEPS, open_case, walk

APPROVE_39 = ["approve", "--set", "body=congress", "--set", "total=60", "--set", "present=39", "--set", "votes_for=35",
              "--at", "2026-04-15"]


def _drafted(cli: Cli) -> int:
    case_id = open_case(cli, seed_city(cli.url)["union"])
    walk(cli, case_id, STEPS[:6])
    return case_id


def test_a_chinese_refusal_cites_the_article_in_chinese_and_english_keeps_art(cli: Cli) -> None:
    case_id = _drafted(cli)
    zh = cli("case", "advance", str(case_id), *APPROVE_39, lang="zh")
    assert zh.exit_code == 1
    line = zh.stderr.strip()
    assert "《集体合同规定》第三十六条" in line and "art." not in line
    en = cli("case", "advance", str(case_id), *APPROVE_39, lang="en")
    assert en.exit_code == 1 and "集体合同规定 art. 36" in en.stderr


def test_the_json_source_stays_stable_and_the_message_follows_the_language(cli: Cli) -> None:
    case_id = _drafted(cli)
    zh = json.loads(cli("case", "advance", str(case_id), *APPROVE_39, "--format", "json", lang="zh").stdout)["error"]
    en = json.loads(cli("case", "advance", str(case_id), *APPROVE_39, "--format", "json", lang="en").stdout)["error"]
    assert zh["rule"] == en["rule"] == "quorum_met"
    assert zh["source"] == en["source"] and "集体合同规定 art. 36" in zh["source"]
    assert "《集体合同规定》第三十六条" in zh["message"] and "art." not in zh["message"]
    assert "《集体合同规定》第三十六条" in zh["citation"] and en["citation"] == en["source"]
