"""One `case advance` is one unit of work on one connection, and computes the case's deadlines once."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine import deadline
from engine.store.database import Store
from engine.usecases import acts
from tests.conftest import seed_city
from tests.helpers.happy import REC, T0


def test_advance_opens_one_connection_and_computes_deadlines_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = seed_city(db_url)
    store = Store(db_url)
    case = acts.open_case(store, codes["union"], at=T0, recorded_at=REC, actor="t")
    checkouts: list[Any] = []
    sa.event.listen(store.engine, "checkout", lambda *a: checkouts.append(a))
    computed: list[int] = []
    real = deadline.compute

    def counting(*args: Any, **kw: Any) -> Any:
        computed.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(deadline, "compute", counting)
    from engine.registry import policy

    monkeypatch.setattr(policy, "compute", counting)
    monkeypatch.setattr(policy, "dates", lambda *a, **k: pytest.fail("the deadline columns were computed again"))
    view = acts.advance(store, case.case_id, "send_offer", {"level": "enterprise"}, at=T0, recorded_at=REC, actor="t")
    assert view.case.state == "offer_sent"
    assert [d.kind for d in view.deadlines] == ["offer_reply"]
    assert len(checkouts) == 1, f"{len(checkouts)} connections"
    assert len(computed) == 1
    with store.read() as conn:
        reply_due = conn.execute(sa.text("select reply_due from bcase where id = :i"), {"i": case.case_id}).scalar()
    assert str(reply_due)[:10] == view.deadlines[0].due.isoformat()
    store.dispose()


def test_a_unit_of_work_rolls_back_unless_committed(store: Store) -> None:
    from engine.store import directory

    with store.unit_of_work() as uow:
        directory.upsert_org(uow.conn, "320500", "苏州市总工会", "city")
    with store.unit_of_work() as uow:
        directory.upsert_org(uow.conn, "320600", "南通市总工会", "city")
        uow.commit()
    with store.read() as conn:
        codes = [r[0] for r in conn.execute(sa.text("select code from org order by code"))]
    assert codes == ["320600"]
