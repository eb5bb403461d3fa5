"""A counselor's annual summary counts a regional contract they guided: its union as the party, and the workers
of the enterprises it covers at the end of the year (DOMAIN §4)."""

from __future__ import annotations

import json

import pytest

from engine.store import directory
from engine.store.database import Store
from engine.store.tables import case_t
from tests.conftest import Cli
from tests.helpers.regional_town import CODES, WALK, seed


@pytest.mark.skipif(case_t.c.get("party_org") is None, reason="the store has no regional cases (case.party_org) yet")
def test_a_regional_contract_in_the_summary_counts_the_workers_it_covers_at_year_end(cli: Cli) -> None:
    seed(cli.url)
    s = Store(cli.url)
    with s.engine.begin() as conn:
        cid = directory.add_counselor(conn, {"name": "李秀英", "kind": "full_time", "status": "retired", "org_code": "320506"})
    s.dispose()
    opened = cli("case", "open", "320506001", "--workflow", "regional_wage", "--counselor", str(cid), "--at", "2026-03-01",
                 "--format", "json")
    assert opened.exit_code == 0, opened.output
    case_id = json.loads(opened.stdout)["case_id"]
    for trigger, args in WALK:
        assert cli("case", "advance", str(case_id), trigger, *args).exit_code == 0, trigger
    args = [a for c in CODES[:4] for a in ("--enterprise", c)]  # 10 + 20 + 30 + 40 workers
    assert cli("case", "cover", str(case_id), *args, "--on", "2026-05-01").exit_code == 0
    assert cli("case", "cover", str(case_id), "--remove", CODES[3], "--on", "2026-09-01").exit_code == 0
    log = cli("case", "log", str(case_id), "--by", str(cid), "--activity", "attend_round", "--hours", "3", "--at", "2026-03-25",
              "--note", "列席甪直镇餐饮行业工资集体协商会议")
    assert log.exit_code == 0, log.output
    doc = json.loads(cli("counselor", "summary", str(cid), "--year", "2026", "--format", "json").stdout)
    assert [(c["case_id"], c["enterprise"], c["state"], c["hours"]) for c in doc["cases"]] == [
        (case_id, "甪直镇总工会", "effective", 3.0)]
    assert doc["outcomes"] == {"signed": 1, "effective": 1, "workers_covered": 60}
