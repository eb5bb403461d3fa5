"""Reports over a city with known figures (tests/report_city.py), on SQLite and PostgreSQL: every figure asserted.

The 2026 cases of the 320500 subtree, derived by hand from report_city.build:
  A 320505001 120w union  enterprise offer 03-02, accepted 03-23 (due Sun 03-22 → Mon 03-23, art. 203), signed, filed, effective 05-25
  B 320505     60w union  upper offer 03-02, refused 03-05, re-offered (upper) 03-20: pending
  C 320505     30w no union upper offer 03-03, accepted 03-30 (late: due 03-23), topics set
  D 320506    200w union  enterprise offer 03-02, accepted 03-06, signed 04-25, filed 04-28 (2025 contract ended 2026-05-31)
  E 320506     45w union  enterprise offer 03-02, refused 03-09
  F 320500     80w union  upper offer 03-04, accepted 03-05, signed 04-02, effective 04-20 (term 2026-04-01..2027-03-31)
  H 320506     10w union  no case
  G 320600 (another city): effective, never in a 320500 figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.errors import DataError, NotFoundError
from engine.reports.campaign import campaign
from engine.reports.coverage import coverage
from engine.reports.funnel import funnel
from tests.helpers import report_city

COUNT_KEYS = ("offers", "offers_upper", "accepted", "refused", "pending", "signed", "filed", "effective", "workers_covered")


@pytest.fixture
def city(store: Any) -> Any:
    report_city.build(store)
    return store


def rows_by_group(report: Any) -> dict[str, dict[str, Any]]:
    return {r["group"]: r for r in report.as_json()["rows"]}


def figures(row: dict[str, Any], keys: tuple[str, ...] = COUNT_KEYS) -> tuple[Any, ...]:
    return tuple(row[k] for k in keys)


def assert_rows_add_up(report: Any, keys: tuple[str, ...]) -> None:
    body = report.as_json()
    for k in keys:
        assert sum(r[k] for r in body["rows"]) == body["total"][k], k


def test_campaign_by_sub_organisation_gives_every_figure_of_the_subtree(city: Any) -> None:
    with city.read() as conn:
        report = campaign(conn, year=2026, org="320500")
    body = report.as_json()
    assert (body["year"], body["org"], body["group_by"]) == (2026, "320500", "org")
    rows = rows_by_group(report)
    assert list(rows) == ["320505", "320506", "320500"]  # children in code order, then the enterprises attached directly
    #                                 offers upper accepted refused pending signed filed effective workers
    assert figures(rows["320505"]) == (3, 2, 2, 0, 1, 1, 1, 1, 120)
    assert figures(rows["320506"]) == (2, 0, 1, 1, 0, 1, 1, 0, 0)
    assert figures(rows["320500"]) == (1, 1, 1, 0, 0, 1, 1, 1, 80)
    assert rows["320500"]["group_name"] == "苏州市总工会（直属）"
    assert rows["320505"]["group_name"] == "高新区总工会"
    total = body["total"]
    assert figures(total) == (6, 3, 4, 1, 1, 3, 3, 2, 200)
    assert total["upper_share"] == 0.5
    assert total["acceptance_rate"] == pytest.approx(4 / 6, abs=1e-15)
    assert rows["320505"]["upper_share"] == pytest.approx(2 / 3)
    assert rows["320506"]["acceptance_rate"] == 0.5
    # On time: A accepted on Monday 03-23, the due Sunday 03-22 moved to the next working day (民法典 art. 203);
    # C accepted 03-30, after its due day 03-23; D and F well within 20 days.
    assert [rows[g]["accepted_on_time"] for g in rows] == [1, 1, 1]
    assert (total["accepted_on_time"], total["on_time_rate"]) == (3, 0.5)
    assert_rows_add_up(report, (*COUNT_KEYS, "accepted_on_time"))
    assert set(body["definitions"]) >= {"offers", "offers_upper", "upper_share", "accepted", "acceptance_rate", "refused",
                                       "pending", "signed", "filed", "effective", "workers_covered"}


def test_campaign_counts_only_the_subtree_of_org(city: Any) -> None:
    with city.read() as conn:
        district = campaign(conn, year=2026, org="320505")
        town = campaign(conn, year=2026, org="320505001")
        other = campaign(conn, year=2026, org="320600")
    rows = rows_by_group(district)
    assert list(rows) == ["320505001", "320505"]
    assert figures(rows["320505001"]) == (1, 0, 1, 0, 0, 1, 1, 1, 120)  # A
    assert figures(rows["320505"]) == (2, 2, 1, 0, 1, 0, 0, 0, 0)  # B and C, attached to the district itself
    assert figures(district.as_json()["total"]) == (3, 2, 2, 0, 1, 1, 1, 1, 120)
    assert list(rows_by_group(town)) == ["320505001"]
    assert figures(town.as_json()["total"]) == (1, 0, 1, 0, 0, 1, 1, 1, 120)
    assert figures(other.as_json()["total"]) == (1, 0, 1, 0, 0, 1, 1, 1, 500)  # G alone


def test_without_org_and_with_two_top_level_organisations_each_is_a_row(city: Any) -> None:
    with city.read() as conn:
        report = campaign(conn, year=2026)
    rows = rows_by_group(report)
    assert list(rows) == ["320500", "320600"]
    assert report.as_json()["org"] is None
    assert figures(rows["320500"]) == (6, 3, 4, 1, 1, 3, 3, 2, 200)
    assert figures(report.as_json()["total"]) == (7, 3, 5, 1, 1, 4, 4, 3, 700)


def test_campaign_by_size_band_and_by_industry(city: Any) -> None:
    with city.read() as conn:
        size = campaign(conn, year=2026, org="320500", by="size")
        industry = campaign(conn, year=2026, org="320500", by="industry")
    rows = rows_by_group(size)
    assert list(rows) == ["<50", "50-99", "100+"]
    assert figures(rows["<50"]) == (2, 1, 1, 1, 0, 0, 0, 0, 0)  # C, E
    assert figures(rows["50-99"]) == (2, 2, 1, 0, 1, 1, 1, 1, 80)  # B, F
    assert figures(rows["100+"]) == (2, 0, 2, 0, 0, 2, 2, 1, 120)  # A, D
    assert rows["<50"]["group_name"] == "不满50人"
    rows = rows_by_group(industry)
    assert list(rows) == sorted(["制造业", "餐饮", "建筑业"])
    assert figures(rows["制造业"]) == (3, 2, 2, 0, 1, 2, 2, 2, 200)  # A, B, F
    assert figures(rows["餐饮"]) == (2, 1, 1, 1, 0, 0, 0, 0, 0)  # C, E
    assert figures(rows["建筑业"]) == (1, 0, 1, 0, 0, 1, 1, 0, 0)  # D
    assert_rows_add_up(size, COUNT_KEYS)
    assert_rows_add_up(industry, COUNT_KEYS)


def test_campaign_compare_shows_the_other_year_and_the_change(city: Any) -> None:
    with city.read() as conn:
        report = campaign(conn, year=2026, org="320500", compare=2025)
    body = report.as_json()
    before = {r["group"]: r for r in body["compare"]["rows"]}
    assert body["compare"]["year"] == 2025
    # 2025: D (enterprise offer, accepted, effective, 200 workers) and E (upper offer, refused, then closed).
    assert figures(before["320506"]) == (2, 1, 1, 1, 0, 1, 1, 1, 200)
    assert figures(before["320505"]) == (0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert figures(body["compare"]["total"]) == (2, 1, 1, 1, 0, 1, 1, 1, 200)
    change = {r["group"]: r for r in body["change"]["rows"]}
    assert figures(change["320506"]) == (0, -1, 0, 0, 0, 0, 0, -1, -200)
    assert figures(body["change"]["total"]) == (4, 2, 3, 0, 1, 2, 2, 1, 0)
    assert body["change"]["total"]["acceptance_rate"] == pytest.approx(4 / 6 - 1 / 2)
    assert change["320505"]["upper_share"] is None  # no offers in 2025: no rate to compare


def test_a_year_without_offers_gives_zeros_and_no_rates(city: Any) -> None:
    with city.read() as conn:
        body = campaign(conn, year=2030, org="320500").as_json()
    assert body["total"]["offers"] == 0
    assert body["total"]["acceptance_rate"] is None
    assert [r["offers"] for r in body["rows"]] == [0, 0]  # the two districts stay visible; no direct row without data


def test_an_unknown_org_or_grouping_is_refused(city: Any) -> None:
    with city.read() as conn:
        with pytest.raises(NotFoundError):
            campaign(conn, year=2026, org="999999")
        with pytest.raises(DataError):
            campaign(conn, year=2026, by="colour")


def test_coverage_counts_contracts_in_force_on_the_date_and_drops_expired_ones(city: Any) -> None:
    """On 2026-06-30: A (effective 05-25, term from 06-01) and F are in force; D's 2025 contract ended 05-31."""
    with city.read() as conn:
        june = coverage(conn, as_of=date(2026, 6, 30), org="320500")
        april = coverage(conn, as_of=date(2026, 4, 30), org="320500")
    keys = ("enterprises", "unionised", "covered", "unionised_50", "covered_50", "unionised_100", "covered_100",
            "enterprises_covered", "workers_covered")
    total = june.as_json()["total"]
    assert figures(total, keys) == (7, 6, 2, 4, 2, 2, 1, 2, 200)
    assert (total["coverage"], total["coverage_50"], total["coverage_100"]) == (pytest.approx(1 / 3), 0.5, 0.5)
    assert june.as_json()["meets"] == {"coverage": False, "coverage_50": False, "coverage_100": False}
    assert june.as_json()["targets"] == {"coverage": 0.9, "coverage_50": 1.0, "coverage_100": 0.9}
    rows = rows_by_group(june)
    assert figures(rows["320505"], keys) == (3, 2, 1, 2, 1, 1, 1, 1, 120)  # A covered; B not; C has no union
    assert figures(rows["320506"], keys) == (3, 3, 0, 1, 0, 1, 0, 0, 0)  # D's old contract expired, new one not in force
    assert figures(rows["320500"], keys) == (1, 1, 1, 1, 1, 0, 0, 1, 80)  # F
    assert_rows_add_up(june, keys)
    # On 2026-04-30: D's 2025 contract and F's are in force; A's not yet.
    total = april.as_json()["total"]
    assert figures(total, keys) == (7, 6, 2, 4, 2, 2, 1, 2, 280)


def test_coverage_of_the_last_day_of_a_term_and_the_day_after(city: Any) -> None:
    with city.read() as conn:
        last = coverage(conn, as_of=date(2026, 5, 31), org="320506").as_json()["total"]
        after = coverage(conn, as_of=date(2026, 6, 1), org="320506").as_json()["total"]
    assert (last["covered"], last["workers_covered"]) == (1, 200)  # 届满 includes the last day
    assert (after["covered"], after["workers_covered"]) == (0, 0)


def test_coverage_compare_uses_the_same_day_of_the_other_year(city: Any) -> None:
    with city.read() as conn:
        body = coverage(conn, as_of=date(2026, 6, 30), org="320500", compare=2025).as_json()
    assert body["compare"]["as_of"] == "2025-06-30"
    assert body["compare"]["total"]["covered"] == 1  # D's 2025 contract, term from 2025-06-01
    assert body["change"]["total"]["covered"] == 1
    assert body["change"]["total"]["coverage"] == pytest.approx(2 / 6 - 1 / 6)


def test_coverage_by_size_band(city: Any) -> None:
    with city.read() as conn:
        rows = rows_by_group(coverage(conn, as_of=date(2026, 6, 30), org="320500", by="size"))
    assert (rows["<50"]["unionised"], rows["<50"]["covered"]) == (2, 0)  # E, H (C has no union)
    assert (rows["50-99"]["unionised"], rows["50-99"]["covered"]) == (2, 1)  # B, F
    assert (rows["100+"]["unionised"], rows["100+"]["covered"]) == (2, 1)  # A, D


def test_coverage_by_industry(city: Any) -> None:
    with city.read() as conn:
        rows = rows_by_group(coverage(conn, as_of=date(2026, 6, 30), org="320500", by="industry"))
    assert {k: (r["enterprises"], r["unionised"], r["covered"], r["workers_covered"]) for k, r in rows.items()} == {
        "制造业": (3, 3, 2, 200),  # A, B, F: A and F covered
        "建筑业": (1, 1, 0, 0),  # D: its 2025 contract ended 05-31
        "餐饮": (3, 2, 0, 0),  # C (no union), E, H
    }


def test_funnel_counts_states_reached_and_where_cases_are_now(city: Any) -> None:
    with city.read() as conn:
        report = funnel(conn, year=2026, org="320500")
    body = report.as_json()
    rows = {r["state"]: r for r in body["rows"]}
    reached = {s: r["reached"] for s, r in rows.items() if r["reached"]}
    assert reached == {"offer_sent": 6, "refused": 2, "accepted": 4, "topics_set": 4, "reps_elected": 3, "negotiating": 3,
                       "draft_agreed": 3, "congress_approved": 3, "signed": 3, "filed": 3, "effective": 2}
    now = {s: r["now"] for s, r in rows.items() if r["now"]}
    assert now == {"offer_sent": 1, "refused": 1, "topics_set": 1, "filed": 1, "effective": 2}
    assert body["offers"] == 6
    assert rows["accepted"]["share"] == pytest.approx(4 / 6)
    # offer→reply from receipt: A 21, C 27, D 4, E 7, F 1 (B is pending again) → 7
    # acceptance→signing: A 43, D 50, F 28 → 43; signing→effect: A 20, F 18 → 19
    assert body["medians"] == {"offer_to_reply": {"days": 7, "cases": 5}, "reply_to_signing": {"days": 43, "cases": 3},
                               "signing_to_effect": {"days": 19, "cases": 2}}
    assert list(rows)[:3] == ["offer_sent", "refused", "accepted"]  # workflow order


def test_funnel_of_a_subtree(city: Any) -> None:
    with city.read() as conn:
        body = funnel(conn, year=2026, org="320506").as_json()
    rows = {r["state"]: r for r in body["rows"]}
    assert (rows["offer_sent"]["reached"], rows["refused"]["reached"], rows["filed"]["now"]) == (2, 1, 1)
    assert body["medians"]["offer_to_reply"] == {"days": 5.5, "cases": 2}  # D 4, E 7


def test_overdue_counts_cases_by_kind_and_sub_organisation(city: Any) -> None:
    """On 2026-06-30: B's reply to the re-offer was due 04-09; D's review (filed 04-28) ended 05-13 without the
    lapse being applied; A (in force 05-25) and F (04-20) never published to the workers (5 days)."""
    from engine.reports.overdue import overdue

    with city.read() as conn:
        report = overdue(conn, as_of=date(2026, 6, 30), org="320500")
        before = overdue(conn, as_of=date(2026, 4, 9), org="320500").as_json()["total"]
        after = overdue(conn, as_of=date(2026, 4, 10), org="320500").as_json()["total"]
        other = overdue(conn, as_of=date(2026, 6, 30), org="320600").as_json()["total"]
    body = report.as_json()
    rows = rows_by_group(report)
    keys = ("cases", "offer_reply", "filing", "review", "publication")
    assert figures(rows["320505"], keys) == (2, 1, 0, 0, 1)  # B, A
    assert figures(rows["320506"], keys) == (1, 0, 0, 1, 0)  # D
    assert figures(rows["320500"], keys) == (1, 0, 0, 0, 1)  # F
    assert figures(body["total"], keys) == (4, 1, 0, 1, 2)
    assert "offer_reply" in body["kinds"] and "《工资集体协商试行办法》第十七条" in body["definitions"]["offer_reply"]["zh"]
    assert_rows_add_up(report, keys)
    assert (before["cases"], after["cases"], after["offer_reply"]) == (0, 1, 1)  # due on 04-09 itself: not yet late
    assert (other["cases"], other["publication"]) == (1, 1)  # G, in the other city


def test_an_enterprise_with_two_contracts_in_force_is_covered_once(city: Any) -> None:
    """A also signs a comprehensive collective contract (enterprise_collective) in force from 06-20: on 06-30 it
    has two contracts in force and still counts once; the campaign counts it as one offer (DOMAIN §7: enterprises
    sent an offer in the year, whatever the kind of contract)."""
    from engine.times import parse_at
    from engine.usecases import acts

    case = acts.open_case(city, report_city.code("A"), at=parse_at("2026-04-01"), recorded_at=report_city.REC,
                             actor="test", workflow="enterprise_collective")
    steps = [("send_offer", {"level": "enterprise"}, "2026-04-01"),
             *report_city.deal("2026-04-03", "2026-04-05", "2026-04-08", "2026-04-12", "2026-04-15", "2026-05-10",
                               "2026-05-20", ("2026-06-01", "2029-05-31"), "2026-05-22", "2026-06-20")]
    for trigger, data, day in steps:
        acts.advance(city, case.case_id, trigger, data, at=parse_at(day), recorded_at=report_city.REC, actor="test")
    with city.read() as conn:
        june = rows_by_group(coverage(conn, as_of=date(2026, 6, 30), org="320505"))
        later = rows_by_group(coverage(conn, as_of=date(2028, 6, 30), org="320505"))
        offers = campaign(conn, year=2026, org="320505").as_json()["total"]["offers"]
        wage = campaign(conn, year=2026, org="320505", workflow="enterprise_wage").as_json()["total"]["offers"]
    assert (june["320505001"]["covered"], june["320505001"]["enterprises_covered"], june["320505001"]["workers_covered"]) == (
        1, 1, 120)
    assert later["320505001"]["covered"] == 1  # in 2028 only the comprehensive contract (to 2029) is in force
    assert (offers, wage) == (3, 3)
