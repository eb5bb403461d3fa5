"""The store on real SQLite files and real PostgreSQL: round trips, append-only events, conflicts, schema."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from engine.case import replay
from engine.errors import ConflictError, RuleError, SetupError
from engine.store.database import Store
from engine.store.repository import load_case, load_events
from engine.store.tables import case_t, event_t
from engine.usecases import acts
from tests.conftest import seed_city
from tests.helpers.happy import HAPPY, REC, T0


def walk(store: Store, credit_code: str, steps: int = len(HAPPY)) -> int:
    case = acts.open_case(store, credit_code, at=T0, recorded_at=REC, actor="test")
    at = T0
    for trigger, data in HAPPY[:steps]:
        from datetime import timedelta

        at = at + timedelta(days=3)
        acts.advance(store, case.case_id, trigger, data, at=at, recorded_at=REC, actor="test")
    return case.case_id


def counts(store: Store) -> tuple[int, int]:
    with store.read() as conn:
        return (conn.execute(sa.select(sa.func.count()).select_from(case_t)).scalar_one(),
                conn.execute(sa.select(sa.func.count()).select_from(event_t)).scalar_one())


def test_a_case_walked_to_effective_reads_back_the_same_after_reopening(db_url: str) -> None:
    codes = seed_city(db_url)
    store = Store(db_url)
    case_id = walk(store, codes["union"])
    store.dispose()
    again = Store(db_url)
    with again.read() as conn:
        case = load_case(conn, case_id)
        events = load_events(conn, case_id)
    assert case.state == "effective"
    assert [e.seq for e in events] == list(range(1, len(HAPPY) + 2))
    assert events[0].kind == "opened" and events[-1].trigger == "publish"
    assert events[3].data["topics"] == ["工资调整幅度", "高温津贴"]
    assert events[1].occurred_at.utcoffset() is not None
    opened = load_case_at_open(case)
    assert replay(opened, events) == case
    with again.read() as conn:
        row = conn.execute(sa.select(case_t).where(case_t.c.id == case_id)).one()
    assert row.response == "accepted" and row.offer_year == 2026 and str(row.term_end) == "2027-05-31"
    again.dispose()


def load_case_at_open(case: Any) -> Any:
    from dataclasses import replace

    return replace(case, state="targeted", version=0, last_at=None, facts={})


def test_a_refused_trigger_writes_nothing(db_url: str) -> None:
    codes = seed_city(db_url)
    store = Store(db_url)
    case_id = walk(store, codes["union"], steps=6)
    before = counts(store)
    with pytest.raises(RuleError):
        acts.advance(store, case_id, "approve", {"body": "congress", "total": 60, "present": 39, "votes_for": 35},
                        at=T0.replace(month=11), recorded_at=REC, actor="t")
    assert counts(store) == before
    with store.read() as conn:
        assert load_case(conn, case_id).state == "draft_agreed"
    store.dispose()


def test_an_advance_on_a_stale_version_is_a_conflict_and_writes_nothing(db_url: str) -> None:
    codes = seed_city(db_url)
    store = Store(db_url)
    case_id = walk(store, codes["union"], steps=1)
    before = counts(store)
    with pytest.raises(ConflictError) as exc:
        acts.advance(store, case_id, "accept", {}, at=T0.replace(month=4), recorded_at=REC, actor="t", expect_version=1)
    assert exc.value.exit_code == 3
    assert counts(store) == before
    store.dispose()


def test_a_lost_race_between_two_writers_is_a_conflict(db_url: str) -> None:
    from engine.store.repository import Change, save

    codes = seed_city(db_url)
    store = Store(db_url)
    case_id = walk(store, codes["union"], steps=1)
    with store.read() as conn:
        case = load_case(conn, case_id)
    first = acts.fire(case, "accept", {}, at=T0.replace(month=4), recorded_at=REC, actor="a")
    second = acts.fire(case, "refuse", {}, at=T0.replace(month=4), recorded_at=REC, actor="b")
    with store.engine.begin() as conn:
        save(conn, [Change(case.version, first.case, [first.event])])
    with pytest.raises(ConflictError):
        with store.engine.begin() as conn:
            save(conn, [Change(case.version, second.case, [second.event])])
    with store.read() as conn:
        assert load_case(conn, case_id).state == "accepted"
        assert [e.actor for e in load_events(conn, case_id)][-1] == "a"
    store.dispose()


def test_a_database_from_a_newer_bargain_is_a_setup_error(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    store.dispose()
    with pytest.raises(SetupError, match="newer") as exc:
        Store(db_url)
    assert exc.value.exit_code == 4


def test_an_unreachable_database_is_a_setup_error() -> None:
    with pytest.raises(SetupError):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_one_open_case_per_enterprise_and_workflow(db_url: str) -> None:
    from engine.errors import RefusedError

    codes = seed_city(db_url)
    store = Store(db_url)
    first = acts.open_case(store, codes["union"], at=T0, recorded_at=REC, actor="t")
    with pytest.raises(RefusedError, match=str(first.case_id)):
        acts.open_case(store, codes["union"], at=T0, recorded_at=REC, actor="t")
    other = acts.open_case(store, codes["union"], at=T0, recorded_at=REC, actor="t", workflow="enterprise_collective")
    assert other.workflow_key == "enterprise_collective@2"  # new cases open on the latest version
    store.dispose()


def test_the_models_match_what_a_new_database_holds(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    store = Store(db_url)
    with store.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    store.dispose()
