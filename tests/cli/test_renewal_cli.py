"""Next year's round (issue 17 item 5): the launch offers a renewal linked to this year's contract, the timelines
show the link both ways, and `report wages` compares the terms year on year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.store.database import Store
from tests.conftest import Cli
from tests.helpers import contract_city
from tests.helpers.contract_city import GOOD_TERMS


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _terms(tmp_path: Path, name: str, **changes: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps({**GOOD_TERMS, **changes}), encoding="utf-8")
    return str(path)


@pytest.fixture
def renewed(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Cli, dict[str, int], dict[str, Any]]:
    monkeypatch.setenv("BARGAIN_NOW", "2027-05-01T12:00")  # next year's launch: events may not be dated after now (issue 14)
    ids = contract_city.build(cli.url)
    for key in ("huarui", "hengtong"):
        ok(cli("contract", "terms", str(ids[key]), "--data", _terms(tmp_path, f"{key}.json")))
    launch = json.loads(ok(cli("campaign", "launch", "--year", "2027", "--org", "320500", "--at", "2027-04-15",
                               "--format", "json")))
    return cli, ids, launch


def test_a_launch_before_the_window_offers_nothing_to_a_contract_in_force(cli: Cli) -> None:
    contract_city.build(cli.url)
    body = json.loads(ok(cli("campaign", "launch", "--year", "2027", "--org", "320500", "--at", "2027-03-15", "--dry-run",
                             "--format", "json")))
    assert body["to_open"] == 0 and body["renewals"] == []


def test_next_years_launch_offers_renewals_linked_to_this_years_contracts(renewed: tuple[Cli, dict[str, int], dict[str, Any]]) -> None:
    cli, ids, launch = renewed
    assert launch["opened"] == 3
    links = {r["renews_case_id"]: r["case_id"] for r in launch["renewals"]}
    assert set(links) == {ids["huarui"], ids["hengtong"], ids["lida"]}
    new = links[ids["huarui"]]
    tl = json.loads(ok(cli("case", "timeline", str(new), "--format", "json")))
    assert [e["renews_case_id"] for e in tl["entries"] if e["kind"] == "renewal"] == [ids["huarui"]]
    old = json.loads(ok(cli("case", "timeline", str(ids["huarui"]), "--format", "json")))
    assert [e["renewed_by_case_id"] for e in old["entries"] if e["kind"] == "renewal"] == [new]
    window = next(e for e in old["entries"] if e["kind"] == "deadline" and e["deadline"] == "renewal_window")
    assert window["status"] == "met"
    assert "续订案件" in ok(cli("case", "timeline", str(new), lang="zh"))
    again = json.loads(ok(cli("campaign", "launch", "--year", "2027", "--org", "320500", "--at", "2027-04-20", "--format", "json")))
    assert again["opened"] == 0


def test_report_wages_shows_the_change_year_on_year(renewed: tuple[Cli, dict[str, int], dict[str, Any]], tmp_path: Path) -> None:
    cli, ids, launch = renewed
    new = {r["renews_case_id"]: r["case_id"] for r in launch["renewals"]}[ids["huarui"]]
    store = Store(cli.url)
    contract_city.walk(store, contract_city.code("huarui"), year=2027, case_id=new, month=5)
    store.dispose()
    ok(cli("contract", "terms", str(new), "--data", _terms(tmp_path, "2027.json", start="2027-06-01", end="2028-05-31",
                                                          wage_adjustment_pct=7, enterprise_min_wage=2800)))
    body = json.loads(ok(cli("report", "wages", "--year", "2027", "--org", "320500", "--format", "json")))
    assert body["total"]["contracts"] == 1 and body["total"]["renewals"] == 1
    assert body["total"]["adjustment_avg"] == 7.0 and body["compare"]["total"]["adjustment_avg"] == 5.5
    assert body["change"]["total"]["min_wage_avg"] == 200.0
    [e] = body["enterprises"]
    assert e["change"] == {"wage_adjustment_pct": "1.5", "enterprise_min_wage": "200", "items": "0"}
    shown = json.loads(ok(cli("case", "show", str(new), "--format", "json")))["renewal"]
    assert shown["renews_case_id"] == ids["huarui"] and shown["change"]["wage_adjustment_pct"] == "1.5"
    assert json.loads(ok(cli("case", "show", str(ids["huarui"]), "--format", "json")))["renewal"]["renewed_by"] == [new]
    assert "同比：调整幅度 5.5% → 7%" in ok(cli("case", "show", str(new), lang="zh"))
    md = ok(cli("report", "wages", "--year", "2027", "--org", "320500", "--by", "industry", "--format", "md", lang="zh"))
    assert "5.5% → 7%" in md and "2600 → 2800" in md and "制造业" in md
