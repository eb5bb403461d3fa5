"""The enterprise fields copied onto case rows (ent_path, ent_employees, ent_has_union) stay in step with the
enterprises, so reports that read only case rows never disagree with the directory; and regional contracts
count in coverage once per enterprise. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from engine.reports.campaign import campaign
from engine.reports.coverage import coverage
from engine.store import directory
from engine.store.tables import case_t, enterprise_t
from tests.helpers import report_city
from tests.helpers.happy import reps


def mismatches(store: Any) -> list[Any]:
    """Case rows whose copies differ from their enterprise."""
    e, c = enterprise_t.c, case_t.c
    with store.read() as conn:
        return conn.execute(
            sa.select(c.id, c.ent_path, e.org_path, c.ent_employees, e.employees, c.ent_has_union, e.has_union)
            .join(enterprise_t, e.id == c.enterprise_id)
            .where(sa.or_(c.ent_path.is_distinct_from(e.org_path), c.ent_employees.is_distinct_from(e.employees),
                          c.ent_has_union.is_distinct_from(e.has_union)))
        ).all()


def test_new_cases_carry_their_enterprise_fields(store: Any) -> None:
    report_city.build(store)
    assert mismatches(store) == []
    with store.read() as conn:
        paths = dict(conn.execute(sa.select(case_t.c.id, case_t.c.ent_path)).all())
    assert set(paths.values()) == {"/320500/320505/320505001/", "/320500/320505/", "/320500/320506/", "/320500/",
                                   "/320600/"}


def test_an_enterprise_update_reaches_its_cases(store: Any) -> None:
    report_city.build(store)
    with store.unit_of_work() as uow:  # A moves from the town to district 320506 and shrinks to 40 workers
        directory.upsert_enterprises(uow.conn, [{"credit_code": report_city.code("A"), "name": "A公司", "org_code": "320506",
                                                 "industry": "制造业", "employees": 40, "has_union": True}])
        uow.commit()  # the unit of work recounts the kept report counts of the paths it touched
    assert mismatches(store) == []
    with store.read() as conn:
        rows = {r["group"]: r for r in campaign(conn, year=2026, org="320500").as_json()["rows"]}
        bands = {r["group"]: r for r in campaign(conn, year=2026, org="320500", by="size").as_json()["rows"]}
    assert (rows["320505"]["offers"], rows["320506"]["offers"]) == (2, 3)
    assert rows["320506"]["workers_covered"] == 40  # A's contract, at its new head count
    assert (bands["<50"]["offers"], bands["100+"]["offers"]) == (3, 1)


def test_moving_an_organisation_moves_its_cases(store: Any) -> None:
    report_city.build(store)
    with store.unit_of_work() as uow:  # the town 320505001 moves under district 320506
        directory.upsert_org(uow.conn, "320505001", "狮山街道总工会", "town", "320506")
        uow.commit()
    assert mismatches(store) == []
    with store.read() as conn:
        rows = {r["group"]: r for r in campaign(conn, year=2026, org="320506").as_json()["rows"]}
    assert rows["320505001"]["offers"] == 1 and rows["320505001"]["workers_covered"] == 120


def _regional_contract(store: Any, codes: list[str], on: str) -> int:
    from engine.times import parse_at
    from engine.usecases import acts
    from engine.usecases import regional as regional

    rec = parse_at("2026-11-23T10:00")
    case = regional.open_regional(store, "320506", at=parse_at("2026-03-01"), recorded_at=rec, actor="test")
    steps: list[tuple[str, dict[str, Any], str]] = [
        ("send_offer", {"level": "regional", "employer_side": "吴中区餐饮行业协会"}, "2026-03-02"),
        ("accept", {}, "2026-03-05"),
        ("set_topics", {"topics": "最低工资标准"}, "2026-03-08"),
        ("elect_reps", {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}, "2026-03-10"),
        ("hold_round", {}, "2026-03-15"),
        ("agree_draft", {}, "2026-03-20"),
        ("approve", {"body": "congress", "total": 60, "present": 45, "votes_for": 40, "managers": 5}, "2026-03-25"),
        ("sign", {"term_start": "2026-04-01", "term_end": "2027-03-31"}, "2026-03-28"),
        ("file", {}, "2026-03-30"),
        ("pass_review", {}, "2026-04-10"),
    ]
    for trigger, data, day in steps:
        acts.advance(store, case.case_id, trigger, data, at=parse_at(day), recorded_at=rec, actor="test")
    regional.cover(store, case.case_id, add=codes, on=date.fromisoformat(on), at=parse_at(on), recorded_at=rec,
                   actor="test")
    return case.case_id


def test_a_regional_contract_covers_enterprises_once_and_only_while_in_force(store: Any) -> None:
    """District 320506 on 2026-04-30: D (200 workers) has its own 2025 contract in force; a regional contract
    of the district covers D, E (45) and H (10) from 04-15. D counts once; E and H are added; none of them
    before the regional contract covers them."""
    report_city.build(store)
    codes = [report_city.code(k) for k in "DEH"]
    _regional_contract(store, codes, "2026-04-15")
    with store.read() as conn:
        before = coverage(conn, as_of=date(2026, 4, 14), org="320506").as_json()["total"]
        after = coverage(conn, as_of=date(2026, 4, 30), org="320506").as_json()["total"]
        june = coverage(conn, as_of=date(2026, 6, 30), org="320506").as_json()["total"]
        city = coverage(conn, as_of=date(2026, 4, 30), org="320500").as_json()
    assert (before["covered"], before["enterprises_covered"], before["workers_covered"]) == (1, 1, 200)
    assert (after["unionised"], after["covered"], after["enterprises_covered"], after["workers_covered"]) == (3, 3, 3, 255)
    assert (after["covered_50"], after["covered_100"]) == (1, 1)
    # In June D's own contract has expired; the regional one still covers all three.
    assert (june["covered"], june["workers_covered"]) == (3, 255)
    rows = {r["group"]: r for r in city["rows"]}
    assert rows["320506"]["covered"] == 3
    assert sum(r["covered"] for r in city["rows"]) == city["total"]["covered"]


def test_regional_cases_stay_out_of_the_campaign_of_enterprises(store: Any) -> None:
    report_city.build(store)
    _regional_contract(store, [report_city.code("E")], "2026-04-15")
    with store.read() as conn:
        total = campaign(conn, year=2026, org="320500").as_json()["total"]
    assert total["offers"] == 6  # the enterprises' offers only, as before
