"""The Suzhou federation's figures (seeds/002: 15,319 offers, 8,579 by the upper-level union = 56%, 14,093
accepted = 92%) reproduced by the campaign report: once from rows written in bulk through the engine's own
templates, once from a generated Suzhou-sized ledger imported with the real `bargain` commands."""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine.credit import make_credit_code

OFFERS, UPPER, ACCEPTED = 15_319, 8_579, 14_093
# (level, response) → cases; the split inside the totals is ours, the totals are Suzhou's.
SPLIT = {("upper", "accepted"): 7_900, ("upper", "refused"): 679, ("enterprise", "accepted"): 6_193,
         ("enterprise", "refused"): 547}
DISTRICTS = ["320505", "320506", "320507", "320508", "320571"]
YEAR = 2015
assert sum(SPLIT.values()) == OFFERS
assert sum(n for (lv, _), n in SPLIT.items() if lv == "upper") == UPPER
assert sum(n for (_, r), n in SPLIT.items() if r == "accepted") == ACCEPTED


def plan() -> list[tuple[str, str, str, str, int, bool]]:
    """Each enterprise: (credit code, district, level, response, workers, has_union), in a shuffled order."""
    rng = random.Random(15319)
    kinds = [k for k, n in SPLIT.items() for _ in range(n)]
    rng.shuffle(kinds)
    out = []
    for i, (level, response) in enumerate(kinds):
        district = DISTRICTS[i % len(DISTRICTS)]
        union = level == "enterprise" or rng.random() < 0.7  # without a union only the upper level may offer
        out.append((make_credit_code(district, 10_000 + i), district, level, response, rng.randint(8, 900), union))
    return out


def expected_by_district(rows: list[tuple[str, str, str, str, int, bool]]) -> dict[str, tuple[int, int, int]]:
    out: dict[str, list[int]] = {d: [0, 0, 0] for d in DISTRICTS}
    for _, district, level, response, _, _ in rows:
        out[district][0] += 1
        out[district][1] += level == "upper"
        out[district][2] += response == "accepted"
    return {d: (a, b, c) for d, (a, b, c) in out.items()}


def assert_suzhou(body: dict[str, Any], rows: list[tuple[str, str, str, str, int, bool]]) -> None:
    total = body["total"]
    assert (total["offers"], total["offers_upper"], total["accepted"], total["refused"], total["pending"]) == (
        OFFERS, UPPER, ACCEPTED, OFFERS - ACCEPTED, 0)
    assert round(total["upper_share"], 2) == 0.56 and round(total["acceptance_rate"], 2) == 0.92
    assert total["upper_share"] == UPPER / OFFERS and total["acceptance_rate"] == ACCEPTED / OFFERS
    got = {r["group"]: (r["offers"], r["offers_upper"], r["accepted"]) for r in body["rows"]}
    assert got == expected_by_district(rows)


def test_suzhou_figures_from_cases_written_in_bulk(store: Any) -> None:
    from engine.case import OPENED, Case, Event, after_event
    from engine.reports.campaign import campaign
    from engine.store import directory
    from engine.store.bulk import allocate_ids, insert_rows
    from engine.store.repository import Change, insert_copies
    from engine.store.tables import case_t, enterprise_t
    from engine.times import at_date
    from engine.usecases import acts

    rows = plan()
    offer_day = date(YEAR, 3, 2)
    at, rec = at_date(offer_day), at_date(date(YEAR, 11, 1))
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        for d in DISTRICTS:
            directory.upsert_org(conn, d, f"{d}总工会", "district", "320500")
        insert_rows(conn, enterprise_t, ["credit_code", "name", "org_code", "org_path", "industry", "employees", "has_union"],
                    ([code, f"企业{code[-8:]}", d, f"/320500/{d}/", "制造业", n, u] for code, d, _, _, n, u in rows))
        ids = dict(conn.execute(sa.select(enterprise_t.c.credit_code, enterprise_t.c.id)).all())
        for (level, response, union), group in _groups(rows).items():
            case = Case(0, "", "enterprise_wage", 1, "targeted", "national", union)
            opened = Event(0, 1, OPENED, at, rec, "test", data={"workflow": "enterprise_wage@1"})
            change = Change(0, after_event(case, opened), [opened])
            change = acts.then(change, acts.fire(change.case, "send_offer", {"level": level}, at=at, recorded_at=rec,
                                                       actor="test"))
            trigger = "accept" if response == "accepted" else "refuse"
            change = acts.then(change, acts.fire(change.case, trigger, {}, at=at_date(offer_day + timedelta(days=9)),
                                                       recorded_at=rec, actor="test"))
            case_ids = allocate_ids(conn, case_t, len(group))
            insert_copies(conn, change, at, list(zip(case_ids, (ids[code] for code in group), strict=True)))
    with store.read() as conn:
        body = campaign(conn, year=YEAR, org="320500").as_json()
    assert_suzhou(body, rows)
    assert body["total"]["accepted_on_time"] == ACCEPTED  # replies 9 days after receipt, within the 20 of CCR 32


def _groups(rows: list[tuple[str, str, str, str, int, bool]]) -> dict[tuple[str, str, bool], list[str]]:
    out: dict[tuple[str, str, bool], list[str]] = {}
    for code, _, level, response, _, union in rows:
        out.setdefault((level, response, union), []).append(code)
    return out


def write_files(folder: Path, rows: list[tuple[str, str, str, str, int, bool]]) -> tuple[Path, Path, Path]:
    """The organisations (UTF-8), enterprises (UTF-8 with BOM, Chinese headers) and the ledger (GB18030, Chinese
    headers and words, dates as 2015年3月2日) a federation would export from Excel."""
    orgs, ents, ledger = folder / "orgs.csv", folder / "企业.csv", folder / "2015要约台账.csv"
    with orgs.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "parent_code"])
        w.writerow(["320500", "苏州市总工会", "city", ""])
        w.writerows([d, f"{d}总工会", "district", "320500"] for d in DISTRICTS)
    with ents.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["统一社会信用代码", "企业名称", "所属工会", "行业", "职工人数", "是否建会"])
        w.writerows([code, f"苏州企业{i}有限公司", d, "制造业", n, "是" if u else "否"]
                    for i, (code, d, _, _, n, u) in enumerate(rows))
    rng = random.Random(2015)
    with ledger.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["统一社会信用代码", "年度", "要约方式", "要约日期", "应约情况", "应约日期"])
        for code, _, level, response, _, _ in rows:
            offered = date(YEAR, 3, 2) + timedelta(days=rng.randint(0, 20))
            replied = offered + timedelta(days=rng.randint(1, 25))
            w.writerow([code, YEAR, "上级工会" if level == "upper" else "企业工会",
                        f"{offered.year}年{offered.month}月{offered.day}日",
                        "应约" if response == "accepted" else "拒绝", replied.isoformat()])
    return orgs, ents, ledger


@pytest.mark.slow
def test_a_suzhou_sized_ledger_imported_with_the_real_commands_gives_56_and_92_percent(tmp_path: Path) -> None:
    from tests.conftest import run_bargain

    rows = plan()
    orgs, ents, ledger = write_files(tmp_path, rows)
    db = f"sqlite:///{tmp_path / 'suzhou.db'}"
    for kind, path in (("org", orgs), ("enterprise", ents), ("ledger", ledger)):
        proc = run_bargain("--db", db, kind, "import", str(path))
        assert proc.returncode == 0, f"{kind} import: {proc.stderr[-2000:]}"
    proc = run_bargain("--db", db, "report", "campaign", "--year", str(YEAR), "--org", "320500", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    body = json.loads(proc.stdout)
    assert_suzhou(body, rows)
    proc = run_bargain("--db", db, "--lang", "en", "report", "campaign", "--year", str(YEAR), "--org", "320500")
    assert proc.returncode == 0 and "56.0%" in proc.stdout and "92.0%" in proc.stdout
