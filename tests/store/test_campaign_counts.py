"""Campaign figures count enterprises (issue #20 item 7, DOMAIN §7), against hand-counted answers: an
enterprise with two cases in a year (the first refused and closed, the second offered by the upper level and
accepted) counts once, by its last outcome; an upper-level re-offer in one case; a regional contract in its
own section and in the funnel; the 49/50 and 99/100 worker size-band boundaries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.reports.campaign import campaign
from engine.reports.funnel import funnel
from engine.store import directory
from engine.store.database import Store
from engine.store.tables import case_t, enterprise_t
from engine.times import parse_at
from engine.usecases import acts
from engine.usecases.regional import open_regional
from tests.helpers.report_city import deal

REC = parse_at("2026-11-23T10:00")
WORKERS = {"e1": 49, "e2": 50, "e3": 99, "e4": 100, "e5": 120, "e6": 60}


def code(key: str) -> str:
    return make_credit_code("320505", int(key[1:]))


def run(store: Store, case_id: int, steps: list[tuple[str, dict[str, Any], str]]) -> None:
    for trigger, data, day in steps:
        acts.advance(store, case_id, trigger, data, at=parse_at(day), recorded_at=REC, actor="test")


def opened(store: Store, key: str, day: str) -> int:
    return acts.open_case(store, code(key), at=parse_at(day), recorded_at=REC, actor="test").case_id


def build(store: Store) -> None:
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        directory.upsert_org(conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_org(conn, "320505001", "狮山街道总工会", "town", "320505")
        directory.upsert_org(conn, "320506", "吴中区总工会", "district", "320500")
        directory.upsert_enterprises(conn, [
            {"credit_code": code(k), "name": f"{k}公司", "org_code": "320505001", "industry": "制造业", "employees": n,
             "has_union": True} for k, n in WORKERS.items()])
    offer = ("send_offer", {"level": "enterprise"}, "2026-03-02")
    # e1 (49): refused and closed, then a second case offered by the upper level and accepted: 1 offer, upper, accepted
    run(store, opened(store, "e1", "2026-03-02"), [offer, ("refuse", {"reason": "经营困难"}, "2026-03-10"),
                                                   ("close", {"reason": "暂缓"}, "2026-03-12")])
    run(store, opened(store, "e1", "2026-04-01"), [("send_offer", {"level": "upper"}, "2026-04-01"),
                                                   ("accept", {}, "2026-04-05")])
    run(store, opened(store, "e2", "2026-03-02"), [offer, ("refuse", {"reason": "经营困难"}, "2026-03-05")])  # 50: refused
    run(store, opened(store, "e3", "2026-03-02"), [offer])  # 99: pending
    run(store, opened(store, "e4", "2026-03-02"), [offer, *deal(  # 100: in force
        "2026-03-05", "2026-03-08", "2026-03-12", "2026-03-20", "2026-03-25", "2026-04-10", "2026-04-15",
        ("2026-05-01", "2027-04-30"), "2026-04-20", "2026-05-06")])
    run(store, opened(store, "e5", "2025-03-02"), [("send_offer", {"level": "enterprise"}, "2025-03-02")])  # another year
    # e6 (60): refused, then re-offered by the upper level in the same case and accepted: 1 offer, upper, accepted
    run(store, opened(store, "e6", "2026-03-02"), [offer, ("refuse", {"reason": "经营困难"}, "2026-03-05"),
                                                   ("reoffer", {"level": "upper"}, "2026-03-20"), ("accept", {}, "2026-03-25")])
    regional = open_regional(store, "320505001", at=parse_at("2026-03-03"), recorded_at=REC, actor="test")
    run(store, regional.case_id, [("send_offer", {"level": "regional", "employer_side": "街道企业代表"}, "2026-03-03"),
                                  ("accept", {}, "2026-03-10")])


KEYS = ("offers", "offers_upper", "accepted", "accepted_on_time", "refused", "pending", "signed", "filed", "effective",
        "workers_covered")


def figures(row: dict[str, Any]) -> tuple[int, ...]:
    return tuple(row[k] for k in KEYS)


def test_offers_count_enterprises_by_their_last_outcome_of_the_year(store: Store) -> None:
    build(store)
    with store.read() as conn:
        body = campaign(conn, year=2026, org="320500").as_json()
    #                         offers upper acc ontime ref pend signed filed eff workers
    assert figures(body["total"]) == (5, 2, 3, 3, 1, 1, 1, 1, 1, 100)
    rows = {r["group"]: r for r in body["rows"]}
    assert figures(rows["320505"]) == (5, 2, 3, 3, 1, 1, 1, 1, 1, 100)
    assert rows["320506"]["offers"] == 0
    assert body["total"]["upper_share"] == 2 / 5 and body["total"]["acceptance_rate"] == 3 / 5


def test_size_bands_are_by_the_enterprise_at_the_49_50_and_99_100_boundaries(store: Store) -> None:
    build(store)
    with store.read() as conn:
        bands = {r["group"]: r for r in campaign(conn, year=2026, org="320500", by="size").as_json()["rows"]}
    assert figures(bands["<50"]) == (1, 1, 1, 1, 0, 0, 0, 0, 0, 0)  # e1, once
    assert figures(bands["50-99"]) == (3, 1, 1, 1, 1, 1, 0, 0, 0, 0)  # e2 refused, e3 pending, e6 re-offered and accepted
    assert figures(bands["100+"]) == (1, 0, 1, 1, 0, 0, 1, 1, 1, 100)  # e4


def test_regional_contracts_have_their_own_section_in_the_campaign_and_count_in_the_funnel(store: Store) -> None:
    build(store)
    with store.read() as conn:
        body = campaign(conn, year=2026, org="320500").as_json()
        other = campaign(conn, year=2026, org="320506").as_json()
        flow = funnel(conn, year=2026, org="320500").as_json()
    regional = body["regional"]
    assert [r["group"] for r in regional["rows"]] == ["320505"]
    assert (regional["total"]["offers"], regional["total"]["accepted"], regional["total"]["pending"]) == (1, 1, 0)
    assert "regional" not in other  # no regional case in that district
    assert "regional" in body["definitions"]
    reached = {r["state"]: r["reached"] for r in flow["rows"]}
    assert flow["offers"] == 7  # cases: e1 twice, e2, e3, e4, e6, and the regional one
    assert reached["accepted"] == 4 and reached["refused"] == 3 and reached["effective"] == 1


def test_a_refusal_settled_in_coordination_counts_as_accepted_on_the_day_of_the_settlement(store: Store) -> None:
    build(store)
    # e3 (99, pending so far) refuses, disputes, and the coordination settles it: bargaining starts (accepted)
    with store.read() as conn:
        e3 = conn.execute(sa.select(case_t.c.id).join(enterprise_t, enterprise_t.c.id == case_t.c.enterprise_id)
                          .where(enterprise_t.c.credit_code == code("e3"))).scalar_one()
    run(store, e3, [("refuse", {"reason": "经营困难"}, "2026-03-06"), ("dispute", {}, "2026-03-08"),
                    ("settle", {"agreement": "协调处理协议书"}, "2026-03-28")])
    with store.read() as conn:
        total = campaign(conn, year=2026, org="320500").as_json()["total"]
        row = conn.execute(case_t.select().where(case_t.c.id == e3)).one()
    assert (row.state, row.response, str(row.responded_on)) == ("accepted", "accepted", "2026-03-28")
    #                    offers upper acc ontime ref pend
    assert figures(total)[:6] == (5, 2, 4, 3, 1, 0)

