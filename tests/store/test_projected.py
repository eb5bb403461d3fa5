"""Reprojection in the store (engine/store/projected.py, engine/usecases/reproject.py), on SQLite and
PostgreSQL: stale deadline columns are recomputed, current ones are not rewritten, the fingerprint is kept."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from engine.registry import compiled
from engine.store import projected
from engine.store.database import Store
from engine.store.tables import case_t
from engine.usecases import acts, reproject
from tests.conftest import seed_city
from tests.helpers.happy import REC, T0


def _offered(store: Store, url: str) -> int:
    codes = seed_city(url)
    case = acts.open_case(store, codes["union"], at=T0, recorded_at=REC, actor="t")
    acts.advance(store, case.case_id, "send_offer", {"level": "enterprise"}, at=T0, recorded_at=REC, actor="t")
    return case.case_id


def _columns(store: Store, case_id: int) -> tuple[object, ...]:
    with store.read() as conn:
        row = conn.execute(sa.select(case_t.c.reply_due, case_t.c.next_due, case_t.c.lapse_due, case_t.c.version)
                           .where(case_t.c.id == case_id)).one()
    return tuple(row)


def test_a_new_database_records_the_fingerprint_in_force(store: Store) -> None:
    assert reproject.is_current(store)
    with store.read() as conn:
        assert projected.stored_fingerprint(conn) == compiled.bundle().projection


def test_stale_columns_are_recomputed_and_current_ones_left_alone(store: Store, db_url: str) -> None:
    case_id = _offered(store, db_url)
    good = _columns(store, case_id)
    with store.unit_of_work() as uow:  # as if projected on another calendar
        uow.conn.execute(case_t.update().where(case_t.c.id == case_id)
                         .values(reply_due=date(2000, 1, 1), next_due=date(2000, 1, 1), lapse_due=None))
        projected.record_fingerprint(uow.conn, "an older calendar")
        uow.commit()
    assert not reproject.is_current(store)

    seen: list[tuple[int, int]] = []
    done = reproject.ensure_current(store, progress=lambda i, n: seen.append((i, n)))
    assert done is not None and (done.cases, done.changed, done.previous) == (1, 1, "an older calendar")
    assert _columns(store, case_id) == good  # the same dates, the same version: only the columns were written
    assert seen == [(1, 1)] and reproject.is_current(store)

    assert reproject.ensure_current(store) is None  # current: nothing done
    assert reproject.run(store).changed == 0  # forced: every row read, none written
