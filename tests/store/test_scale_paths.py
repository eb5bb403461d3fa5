"""The fast paths added for national scale behave like the slow ones they replace, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from engine.credit import make_credit_code
from engine.errors import NotFoundError
from engine.store import agenda, directory
from engine.store.bulk import insert_rows
from engine.store.database import Store
from engine.store.tables import case_t, enterprise_t, event_t

EVENT_COLS = ["case_id", "seq", "kind", "trigger", "from_state", "to_state", "occurred_at", "recorded_at", "actor",
              "counselor_id", "data", "note"]


def event(seq: int, kind: str) -> list[Any]:
    """An event row of case 1, in EVENT_COLS order."""
    return [1, seq, kind, "", "", "", datetime.now(UTC), datetime.now(UTC), "test", None, {"n": seq}, ""]


def tree(conn: Any) -> None:
    directory.upsert_org(conn, "000000", "中华全国总工会", "national")
    directory.upsert_org(conn, "330000", "浙江省总工会", "province", "000000", jurisdiction="zhejiang")
    directory.upsert_org(conn, "330100", "杭州市总工会", "city", "330000")
    directory.upsert_org(conn, "330102", "上城区总工会", "district", "330100")
    directory.upsert_org(conn, "310000", "上海市总工会", "province", "000000", jurisdiction="shanghai")
    directory.upsert_org(conn, "310101", "黄浦区总工会", "district", "310000")
    directory.upsert_org(conn, "320000", "江苏省总工会", "province", "000000")
    directory.upsert_org(conn, "320505", "高新区总工会", "district", "320000", jurisdiction="national")


def test_jurisdictions_of_many_organisations_agree_with_one_at_a_time(store: Store) -> None:
    with store.engine.begin() as conn:
        tree(conn)
        codes = ["000000", "330000", "330100", "330102", "310000", "310101", "320000", "320505"]
        many = directory.jurisdictions_of(conn, codes, chunk=3)
        assert many == {code: directory.jurisdiction_of(conn, code) for code in codes}
        assert many["330102"] == "zhejiang" and many["310101"] == "shanghai" and many["320000"] == "national"


def test_jurisdictions_of_an_unknown_organisation_is_not_found(store: Store) -> None:
    with store.engine.begin() as conn:
        tree(conn)
        with pytest.raises(NotFoundError):
            directory.jurisdictions_of(conn, ["330102", "999999"])


def test_bulk_insert_writes_json_dates_and_flags_as_executemany_would(store: Store) -> None:
    with store.engine.begin() as conn:
        tree(conn)
        directory.upsert_enterprises(conn, [{"credit_code": make_credit_code("330102", 1), "name": "甲公司",
                                             "org_code": "330102", "industry": "制造业", "employees": 80, "has_union": False}])
        eid = conn.execute(sa.select(enterprise_t.c.id)).scalar_one()
        facts = {"last": {"send_offer": {"at": "2026-03-02T09:00:00+08:00", "seq": 2, "level": "上级工会"}},
                 "count": {"send_offer": 1}}
        opened = datetime(2026, 3, 2, 1, tzinfo=UTC)
        n = insert_rows(conn, case_t, ["id", "enterprise_id", "workflow", "workflow_version", "state", "jurisdiction",
                                       "version", "facts", "opened_at", "offered_on", "ent_has_union"],
                        [[900 + i, eid, "enterprise_wage", 1, "offer_sent", "zhejiang", 2, facts, opened, date(2026, 3, 2),
                          False]
                         for i in range(3)])
        assert n == 3
        row = conn.execute(sa.select(case_t).where(case_t.c.id == 901)).one()
        assert row.facts == facts and row.offered_on == date(2026, 3, 2) and row.ent_has_union is False
        assert row.opened_at.replace(tzinfo=UTC) == opened


def test_bulk_insert_of_a_duplicate_key_raises_the_integrity_error_callers_turn_into_a_conflict(store: Store) -> None:
    with store.engine.begin() as conn:
        tree(conn)
        directory.upsert_enterprises(conn, [{"credit_code": make_credit_code("330102", 1), "name": "甲公司",
                                             "org_code": "330102", "industry": "", "employees": 5, "has_union": True}])
        eid = conn.execute(sa.select(enterprise_t.c.id)).scalar_one()
        insert_rows(conn, case_t, ["id", "enterprise_id", "workflow", "workflow_version", "state", "jurisdiction",
                                   "version", "facts", "opened_at"],
                    [[1, eid, "enterprise_wage", 1, "targeted", "national", 1, {}, datetime.now(UTC)]])
        insert_rows(conn, event_t, EVENT_COLS, [event(1, "opened")])
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        insert_rows(conn, event_t, EVENT_COLS, [event(2, "note"), event(1, "opened")])
    with store.read() as conn:  # all or nothing: the good row of the failed batch is not there
        assert conn.execute(sa.select(sa.func.count()).select_from(event_t)).scalar_one() == 1


def test_a_district_s_cases_are_its_enterprises_and_its_unions_regional_ones(store: Store) -> None:
    with store.engine.begin() as conn:
        tree(conn)
        directory.upsert_enterprises(conn, [
            {"credit_code": make_credit_code(org[:6], i), "name": f"企业{i}", "org_code": org, "industry": "",
             "employees": 10, "has_union": True} for i, org in enumerate(["330102", "310101", "330102"], start=1)])
        ids = {str(code): int(pk) for code, pk in conn.execute(sa.select(enterprise_t.c.credit_code, enterprise_t.c.id))}
        rows: list[list[Any]] = [[i + 1, ids[make_credit_code(org[:6], i + 1)], None] for i, org in
                                 enumerate(["330102", "310101", "330102"])]
        rows.append([4, None, "330102"])  # a regional case of the district's own union
        rows.append([5, None, "310101"])
        insert_rows(conn, case_t, ["id", "enterprise_id", "party_org", "workflow", "workflow_version", "state",
                                   "jurisdiction", "version", "facts", "opened_at"],
                    [[*r, "enterprise_wage", 1, "offer_sent", "national", 1, {}, datetime.now(UTC)] for r in rows])
    with store.read() as conn:
        found = {int(r[0]) for r in conn.execute(sa.select(case_t.c.id).where(agenda.in_org(conn, "330102")))}
        assert found == {1, 3, 4}
        found = {int(r[0]) for r in conn.execute(sa.select(case_t.c.id).where(agenda.in_org(conn, "000000")))}
        assert found == {1, 2, 3, 4, 5}
