"""Concurrent writers of one organisation keep its report counts right on PostgreSQL (issue 18): each commit
recounts the organisation under a transaction lock, so the last to commit counts what the others committed."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from engine.credit import make_credit_code
from engine.reports.coverage import coverage, kept_differences
from engine.store import directory, rollups
from engine.store.database import Store
from engine.times import parse_at
from engine.usecases import acts
from tests.helpers.happy import HAPPY, REC

AT = parse_at("2026-03-02")


def _walk(store: Store, mine: list[int], errors: list[BaseException]) -> None:
    try:
        for n, (trigger, data) in enumerate(HAPPY[:10]):  # to effective: coverage changes too
            for case_id in mine:
                acts.advance(store, case_id, trigger, data, at=AT + timedelta(days=3 * (n + 1)), recorded_at=REC, actor="t")
    except BaseException as exc:
        errors.append(exc)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite has one writer at a time
def test_two_writers_advancing_cases_of_one_town_at_once_leave_the_counts_equal_to_the_bare_sql(store: Store) -> None:
    codes = [make_credit_code("320505", i) for i in range(1, 9)]
    with store.unit_of_work() as uow:
        directory.upsert_org(uow.conn, "320500", "苏州市总工会", "city")
        directory.upsert_org(uow.conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_enterprises(uow.conn, [
            {"credit_code": c, "name": f"企业{i}", "org_code": "320505", "industry": "制造业", "employees": 60,
             "has_union": True} for i, c in enumerate(codes)])
        uow.commit()
    cases = [acts.open_case(store, c, at=AT, recorded_at=REC, actor="t").case_id for c in codes]
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_walk, args=(store, cases[i::2], errors)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with store.read() as conn:
        assert rollups.differences(conn) == []
        assert kept_differences(conn) == []  # the coverage counts kept by day, on every day one may change
        covered = coverage(conn, as_of=date(2026, 12, 31)).main.total
        kept = rollups.kept(conn, [2026])
    assert kept[("/320500/320505/", 2026, "50-99", "", "accepted")] == 8
    assert kept[("/320500/320505/", 2026, "", "enterprise_wage", "reached:signed")] == 8
    assert covered is not None and (covered["covered"], covered["workers_covered"]) == (8, 480)
