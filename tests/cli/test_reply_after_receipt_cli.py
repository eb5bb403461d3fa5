"""A reply answers an offer received (集体合同规定 art. 32: the reply period runs from receipt): an acceptance or a
refusal dated before the latest offer's received_on is refused with the article, by `case advance` and by `case
amend`, on the current workflow version; a reply on the day of receipt is accepted."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, seed_city
from tests.helpers.cli_walk import open_case


def _offered(cli: Cli, received: str = "2026-03-14") -> int:
    case = open_case(cli, seed_city(cli.url)["union"])
    sent = cli("case", "advance", str(case), "send_offer", "--set", "level=enterprise", "--set", f"received_on={received}",
               "--at", "2026-03-02")
    assert sent.exit_code == 0, sent.output
    return case


@pytest.mark.parametrize("trigger", ["accept", "refuse"])
def test_a_reply_before_the_offer_was_received_is_refused_citing_article_32(cli: Cli, trigger: str) -> None:
    case = _offered(cli)
    zh = cli("case", "advance", str(case), trigger, "--at", "2026-03-10", lang="zh")
    assert zh.exit_code == 1, zh.output
    assert "2026-03-10" in zh.stderr and "2026-03-14" in zh.stderr and "《集体合同规定》第三十二条" in zh.stderr
    en = cli("case", "advance", str(case), trigger, "--at", "2026-03-10", "--format", "json", lang="en")
    body = json.loads(en.stdout)
    assert body["error"]["rule"] == "reply_not_before_receipt" and body["error"]["source"] == "集体合同规定 art. 32"
    shown = json.loads(cli("case", "show", str(case), "--format", "json").stdout)
    assert shown["state"] == "offer_sent", "nothing was written"
    ok = cli("case", "advance", str(case), trigger, "--at", "2026-03-14")  # on the day of receipt
    assert ok.exit_code == 0, ok.output


def _accepted(cli: Cli, trigger: str) -> tuple[int, int]:
    """A case whose offer was received on 14 March and accepted on the 16th; the seq of its `trigger` entry."""
    case = _offered(cli)
    assert cli("case", "advance", str(case), "accept", "--at", "2026-03-16").exit_code == 0
    timeline = json.loads(cli("case", "timeline", str(case), "--format", "json").stdout)
    return case, next(e["seq"] for e in timeline["entries"] if e.get("trigger") == trigger)


def test_an_amended_reply_may_not_move_before_the_receipt_either(cli: Cli) -> None:
    case, seq = _accepted(cli, "accept")
    moved = cli("case", "amend", str(case), str(seq), "--at", "2026-03-10", "--reason", "日期抄错", lang="zh")
    assert moved.exit_code == 1 and "《集体合同规定》第三十二条" in moved.stderr, moved.output
    assert cli("case", "amend", str(case), str(seq), "--at", "2026-03-15", "--reason", "日期抄错").exit_code == 0


def test_an_offer_whose_receipt_is_amended_past_its_reply_is_refused(cli: Cli) -> None:
    case, seq = _accepted(cli, "send_offer")
    moved = cli("case", "amend", str(case), str(seq), "--set", "received_on=2026-03-20", "--reason", "收到日期抄错", lang="zh")
    assert moved.exit_code == 1 and "《集体合同规定》第三十二条" in moved.stderr, moved.output
