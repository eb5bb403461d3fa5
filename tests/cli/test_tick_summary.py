"""The tick reads well at scale (issue 18 item 5): a summary by organisation and kind by default, every
case with --details, JSON with every transition and the summary, a progress bar only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess

from engine.credit import make_credit_code
from tests.conftest import Cli, bargain_exe, run_bargain
from tests.helpers.jurisdiction_city import city, open_and_offer, three_offers


def test_the_tick_prints_a_summary_by_organisation_and_kind_by_default(cli: Cli) -> None:
    three_offers(cli)  # the Shanghai and Suzhou offers lapse by 2026-10-09, the Hangzhou one later
    sh, sz = make_credit_code("310000", 2), make_credit_code("320500", 3)  # the codes three_offers used
    table = cli("tick", "--as-of", "2026-10-09")
    assert table.exit_code == 0, table.output
    out = table.stdout
    assert "organisation" in out and "310000" in out and "320500" in out and "lapse_offer" in out
    assert "2 in 2 cases" in out and "total" in out
    assert sh not in out and sz not in out  # no case-by-case lines
    assert "--details" in out


def test_tick_details_lists_every_case(cli: Cli) -> None:
    three_offers(cli)
    table = cli("tick", "--as-of", "2026-10-09", "--details")
    assert table.exit_code == 0, table.output
    assert make_credit_code("310000", 2) in table.stdout and make_credit_code("320500", 3) in table.stdout


def test_tick_json_keeps_every_transition_and_adds_the_summary(cli: Cli) -> None:
    ids = three_offers(cli)
    body = json.loads(cli("tick", "--as-of", "2026-10-09", "--format", "json").stdout)
    assert {a["case_id"] for a in body["applied"]} == {ids["sh"], ids["sz"]}
    assert sorted((g["org"], g["trigger"], g["transitions"], g["cases"]) for g in body["summary"]) == [
        ("310000", "lapse_offer", 1, 1), ("320500", "lapse_offer", 1, 1)]
    same = json.loads(cli("tick", "--as-of", "2026-10-09", "--format", "json", "--details").stdout)
    assert same["applied"] == [] and same["summary"] == []  # nothing left to do; the shape is the same


def test_a_case_below_a_branch_is_counted_under_the_branch(cli: Cli) -> None:
    codes = city(cli)
    open_and_offer(cli, codes["hz"], "2026-09-18", "2026-09-20")  # Hangzhou (330100) under Zhejiang (330000)
    body = json.loads(cli("tick", "--as-of", "2026-10-11", "--format", "json").stdout)
    assert [(g["org"], g["org_name"]) for g in body["summary"]] == [("330100", "杭州市总工会")]


def test_the_progress_bar_shows_on_a_terminal_and_never_in_a_pipe(db_url: str) -> None:
    piped = run_bargain("--db", db_url, "tick", "--as-of", "2026-10-09")
    assert piped.returncode == 0 and "\x1b[" not in piped.stderr
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([bargain_exe(), "--db", db_url, "tick", "--as-of", "2026-10-09"], stdout=subprocess.PIPE,
                              stderr=slave, text=True, timeout=120, env={**os.environ, "TERM": "xterm"})
        os.close(slave)
        slave = -1
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if slave != -1:
            os.close(slave)
        os.close(master)
    assert proc.returncode == 0
    assert b"\x1b[" in seen  # rich drew (and cleared) its bar on the terminal
