"""A new case's row is written once, complete, by the save of its first change (repository.reserve_cases and save):
nothing is inserted at the opening and updated after, two openings in one transaction get their own ids, a case
opened and not saved leaves no row, and the kept counts equal the bare SQL (issue 18 item 3: the engine's writes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from engine.errors import ConflictError
from engine.store import rollups
from engine.store.database import Store
from engine.store.repository import Change, save
from engine.store.tables import case_t, enterprise_t, event_t
from engine.usecases import acts
from tests.conftest import seed_city
from tests.helpers.happy import HAPPY, REC, T0


def _targets(conn: Any) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(enterprise_t.c.id, enterprise_t.c.credit_code, enterprise_t.c.has_union)
                        .order_by(enterprise_t.c.id)).all()
    return [{"id": r.id, "credit_code": r.credit_code, "has_union": r.has_union, "jurisdiction": "national"} for r in rows]


def _walk(change: Change, steps: int) -> Change:
    for i, (trigger, data) in enumerate(HAPPY[:steps]):
        fired = acts.fire(change.case, trigger, data, at=T0 + timedelta(days=3 * i), recorded_at=REC, actor="t")
        change = acts.then(change, fired)
    return change


def _cases(conn: Any) -> list[Any]:
    return list(conn.execute(sa.select(case_t).order_by(case_t.c.id)).all())


def test_two_openings_in_one_transaction_get_their_own_ids_and_each_row_is_written_once_whole(store: Store) -> None:
    seed_city(store.url)
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split()[0].upper() + " " + statement.split()[2 if statement.startswith("INSERT") else 1])

    with store.engine.begin() as conn:
        targets = _targets(conn)
        sa.event.listen(conn, "before_cursor_execute", seen)
        first = acts.open_cases_in(conn, targets[:1], spec_key="enterprise_wage@1", at=T0 - timedelta(days=1),
                                   recorded_at=REC, actor="t")
        second = acts.open_cases_in(conn, targets[1:], spec_key="enterprise_wage@1", at=T0 - timedelta(days=1),
                                    recorded_at=REC, actor="t")
        assert not any(s.startswith(("INSERT bcase", "UPDATE bcase")) for s in statements), statements  # nothing yet
        ids = [first[0].case.case_id, second[0].case.case_id]
        assert len(set(ids)) == 2
        save(conn, [_walk(first[0], 4), second[0]])  # the second enterprise has no union: opened only
        sa.event.remove(conn, "before_cursor_execute", seen)
        assert not any(s.startswith("UPDATE bcase") for s in statements), statements  # inserted whole, never updated
    with store.read() as conn:
        rows = _cases(conn)
        assert [r.id for r in rows] == ids
        assert [(r.state, r.version) for r in rows] == [("reps_elected", 5), ("targeted", 1)]
        assert all(r.ent_path and r.ent_employees and r.opened_at is not None for r in rows)
        assert rows[0].offered_on is not None and rows[0].offer_year == rows[0].offered_on.year
        events = conn.execute(sa.select(event_t.c.case_id, sa.func.count()).group_by(event_t.c.case_id)
                              .order_by(event_t.c.case_id)).all()
        assert [tuple(e) for e in events] == [(ids[0], 5), (ids[1], 1)]
        assert rollups.differences(conn) == [] and rollups.coverage_wrong(conn) == 0


def test_a_case_opened_and_not_saved_leaves_no_row_and_its_id_is_taken_again(store: Store) -> None:
    seed_city(store.url)
    with store.engine.begin() as conn:
        (change,) = acts.open_cases_in(conn, _targets(conn)[:1], spec_key="enterprise_wage@1", at=T0, recorded_at=REC,
                                       actor="t")
    with store.read() as conn:
        assert _cases(conn) == []
    with store.engine.begin() as conn:  # the reservation went with its transaction
        try:
            save(conn, [change])
        except ConflictError:
            pass
        else:
            raise AssertionError("a case reserved in an ended transaction was saved")
    with store.engine.connect() as conn:
        acts.open_cases_in(conn, _targets(conn)[:1], spec_key="enterprise_wage@1", at=T0, recorded_at=REC, actor="t")
        conn.rollback()
        (again,) = acts.open_cases_in(conn, _targets(conn)[:1], spec_key="enterprise_wage@1", at=T0, recorded_at=REC,
                                      actor="t")
        save(conn, [again])
        conn.commit()
    with store.read() as conn:
        rows = _cases(conn)
        assert [(r.state, r.version) for r in rows] == [("targeted", 1)]
        assert rollups.differences(conn) == [] and rollups.coverage_wrong(conn) == 0


def test_a_new_case_saved_twice_in_its_transaction_is_inserted_then_updated(store: Store) -> None:
    seed_city(store.url)
    with store.engine.begin() as conn:
        (change,) = acts.open_cases_in(conn, _targets(conn)[:1], spec_key="enterprise_wage@1", at=T0 - timedelta(days=1),
                                       recorded_at=REC, actor="t")
        save(conn, [change])
        try:
            save(conn, [change])  # the same opening again: its row is there now
        except ConflictError:
            pass
        else:
            raise AssertionError("a case opening was written twice")
    with store.engine.begin() as conn:
        more = _walk(Change(change.case.version, change.case, []), 3)
        save(conn, [more])
    with store.read() as conn:
        (row,) = _cases(conn)
        assert (row.state, row.version) == ("topics_set", 4)
        assert rollups.differences(conn) == []
