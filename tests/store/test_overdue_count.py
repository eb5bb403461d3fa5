"""The dashboard's overdue count (engine.store.agenda.overdue_count: SQL over the case rows' deadline columns,
the deadline engine only for provisional due days and renewal-met windows) equals the overdue report's total
(the deadline engine over every candidate), on SQLite and PostgreSQL, over a city with cases in many states,
jurisdictions counting working days over holidays, due days in a year whose holidays are unknown (2027),
and renewal offers that end a renewal window the case row still counts as pending."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from engine.credit import make_credit_code
from engine.reports.overdue import overdue, overdue_cases
from engine.store import agenda, directory, projected
from engine.times import parse_at
from engine.usecases import acts, demo
from tests.helpers.report_city import deal

REC = parse_at("2027-06-01T10:00")  # the recording clock: after every event of the city
ORGS = [None, "320500", "320505", "320506001", "330100", "410100"]


def _code(n: int) -> str:
    return make_credit_code("330100", 500 + n)


def _play(store: Any, n: int, steps: list[tuple[str, dict[str, Any], str]]) -> int:
    case = acts.open_case(store, _code(n), at=parse_at(steps[0][2]), recorded_at=REC, actor="test")
    for trigger, data, day in steps:
        acts.advance(store, case.case_id, trigger, data, at=parse_at(day), recorded_at=REC, actor="test")
    return case.case_id


def _offer(day: str) -> tuple[str, dict[str, Any], str]:
    return ("send_offer", {"level": "enterprise"}, day)


@pytest.fixture
def city(store: Any) -> Any:
    demo.run(store, n_enterprises=80)
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "330100", "杭州市总工会", "city", jurisdiction="zhejiang")
        directory.upsert_org(conn, "410100", "郑州市总工会", "city", jurisdiction="henan")
        directory.upsert_enterprises(conn, [
            {"credit_code": _code(n), "name": f"Z{n}公司", "org_code": "330100" if n < 10 else "410100",
             "industry": "制造业", "employees": 50 + n, "has_union": True} for n in range(20)
        ])
    # Zhejiang: a reply of 10 working days into 2027 (unknown holidays: a provisional due day); one over the 2026
    # National Day holiday; an effective contract not published (5 working days); a filed text under review.
    _play(store, 0, [_offer("2026-12-24")])
    _play(store, 1, [_offer("2026-09-28")])
    _play(store, 2, [_offer("2026-03-02"), *deal("2026-03-05", "2026-03-08", "2026-03-12", "2026-03-20", "2026-03-25",
                                                  "2026-03-30", "2026-04-02", ("2026-04-01", "2027-03-31"), "2026-04-05",
                                                  "2026-04-20")])
    _play(store, 3, [_offer("2026-10-09"), *deal("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16",
                                                  "2026-10-20", "2026-12-29", ("2027-01-01", "2027-12-31"))])
    # Henan: filing within 5 working days of signing, over New Year into 2027; a contract whose renewal window is
    # met by the enterprise's next case (its offer), and one whose window is not; a publication still pending.
    _play(store, 10, [_offer("2026-10-09"), *deal("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16",
                                                   "2026-10-20", "2026-12-28", ("2027-01-01", "2027-12-31"))])
    for n, renewed in ((11, True), (12, False)):
        _play(store, n, [_offer("2025-03-02"), *deal("2025-03-05", "2025-03-08", "2025-03-12", "2025-03-20", "2025-03-25",
                                                      "2025-03-30", "2025-04-02", ("2025-04-01", "2026-03-31"), "2025-04-05",
                                                      "2025-04-20"), ("publish", {"method": "公告栏"}, "2025-04-22")])
        if renewed:
            _play(store, n, [_offer("2026-02-20")])
    _play(store, 13, [_offer("2026-05-06"), *deal("2026-05-07", "2026-05-08", "2026-05-09", "2026-05-11", "2026-05-12",
                                                   "2026-05-13", "2026-05-14", ("2026-06-01", "2027-05-31"), "2026-05-15",
                                                   "2026-05-29")])
    return store


def _days() -> Iterator[date]:
    day = date(2025, 1, 1)
    while day < date(2028, 3, 1):
        yield day
        dense = date(2026, 9, 15) <= day <= date(2027, 2, 28) or date(2026, 2, 1) <= day <= date(2026, 4, 30)
        day += timedelta(days=2 if dense else 11)


def _report_total(conn: Any, day: date, org: str | None) -> int:
    return int(overdue(conn, as_of=day, org=org).as_json()["total"]["cases"])


def test_overdue_count_equals_the_reports_total_on_every_day_and_organisation(city: Any) -> None:
    seen = set()
    with city.read() as conn:
        for day in _days():
            for org in ORGS:
                expected = _report_total(conn, day, org)
                assert overdue_cases(conn, as_of=day, org=org) == expected, (day, org)
                seen.add(expected > 0)
        assert seen == {True, False}
        # the cases the city was made for are among the overdue: the renewal met or not, the provisional 2027 due days
        assert overdue_cases(conn, as_of=date(2026, 4, 1), org="410100") == _report_total(conn, date(2026, 4, 1), "410100") > 0
        assert overdue_cases(conn, as_of=date(2027, 1, 20), org="330100") == _report_total(conn, date(2027, 1, 20), "330100") > 0


def test_overdue_count_comes_from_the_columns_where_they_are_sure(city: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the deadline engine's scan taken away, a day whose candidates are all sure is still counted right:
    the count is SQL over next_due, not the engine case by case."""
    day = date(2026, 6, 30)
    with city.read() as conn:
        expected = _report_total(conn, day, "320500")
        renewal = _report_total(conn, day, "410100")  # the renewed contract (the engine's) is not overdue
        assert expected > 0 and renewal > 0
        monkeypatch.setattr(agenda, "scan", lambda *a, **k: iter(()))
        assert overdue_cases(conn, as_of=day, org="320500") == expected
        assert overdue_cases(conn, as_of=day, org="410100") == renewal


def test_overdue_count_goes_case_by_case_when_the_columns_are_stale(city: Any) -> None:
    """Columns projected under other holidays or profiles (another fingerprint) are not trusted."""
    with city.engine.begin() as conn:
        projected.record_fingerprint(conn, "other")
    with city.read() as conn:
        for day in (date(2026, 6, 30), date(2026, 12, 31), date(2027, 1, 20)):
            assert overdue_cases(conn, as_of=day) == _report_total(conn, day, None)
