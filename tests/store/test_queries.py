"""The generated one-case SQL (engine/store/queries_sql.py) is what the generator renders from the Core statements
(engine/store/queries.py), and returns the same rows, of the same Python types, as those Core statements on real
SQLite and PostgreSQL databases with data: through an SQLAlchemy connection, and on SQLite through the light
sqlite3 connection the one-case commands use (engine/store/lite.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from engine.registry.policy import waiting_states
from engine.store import hot, lite, queries, queries_sql, querygen
from engine.store.database import Store
from engine.store.tables import (
    case_t,
    contract_t,
    coverage_rollup_t,
    coverage_t,
    enterprise_t,
    org_t,
    renewal_t,
    report_rollup_t,
    user_t,
)


def test_queries_sql_py_is_what_the_generator_renders_from_queries_py() -> None:
    assert querygen.TARGET.read_text(encoding="utf-8") == querygen.render(querygen.declared()), \
        "run: python -m engine.store.querygen"


def test_every_statement_is_compiled_for_both_databases() -> None:
    assert set(queries_sql.SQL) == set(queries.STATEMENTS)
    assert all(set(v) == {"sqlite", "postgresql"} for v in queries_sql.SQL.values())


@pytest.fixture(scope="module")
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A small demo city (cases in every state, events, counselors, a regional contract covering enterprises),
    with users and grants, a contract row and a renewal link added: every statement has rows to return."""
    yield from _city(request.param, tmp_path_factory)


def _city(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from engine.usecases import demo
    from tests.conftest import PG_URL, _pg_schema_url

    if kind == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('q') / 'city.db'}"])
    else:
        if not PG_URL:
            pytest.skip("no PostgreSQL (run under scripts/pg-throwaway)")
        urls = _pg_schema_url(PG_URL)
    url = next(urls)
    store = Store(url)
    demo.run(store, n_enterprises=40)
    demo.add_users(store)
    now = datetime(2026, 6, 1, 8, 30, 15, 123456, tzinfo=UTC)
    with store.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(sa.select(case_t.c.id).order_by(case_t.c.id).limit(2))]
        conn.execute(contract_t.insert().values(case_id=ids[0], terms={"raise": "5%", "列表": [1, 2]}, min_wage=None,
                                                place="320505", term_year=2026, terms_at=now, text="合同", attached_at=now))
        conn.execute(renewal_t.insert().values(case_id=ids[1], renews_case_id=ids[0], linked_at=now))
    yield store
    store.dispose()
    for _ in urls:  # the PostgreSQL schema dropped
        pass


def _samples(conn: Any) -> dict[str, list[dict[str, Any]]]:
    """Parameters for every statement: some that find rows, and one that finds none."""
    case_ids = [int(r[0]) for r in conn.execute(sa.select(case_t.c.id).order_by(case_t.c.id))]
    renewal = conn.execute(sa.select(renewal_t)).first()
    covered = conn.execute(sa.select(coverage_t.c.enterprise_id)).first()
    ent = conn.execute(sa.select(enterprise_t.c.credit_code)).first()
    logins = [r[0] for r in conn.execute(sa.select(user_t.c.login))]
    user_ids = [int(r[0]) for r in conn.execute(sa.select(user_t.c.id))]
    assert renewal is not None and covered is not None and ent is not None and logins
    paths = [str(r[0]) for r in conn.execute(sa.select(org_t.c.path).order_by(org_t.c.path))]
    ent_paths = [str(r[0]) for r in conn.execute(sa.select(case_t.c.ent_path).distinct().where(
        case_t.c.ent_path.is_not(None)).order_by(case_t.c.ent_path))]
    years = [int(r[0]) for r in conn.execute(sa.select(case_t.c.offer_year).distinct().where(
        case_t.c.offer_year.is_not(None)).order_by(case_t.c.offer_year))]
    org_paths = [str(r[0]) for r in conn.execute(sa.select(enterprise_t.c.org_path).distinct().order_by(
        enterprise_t.c.org_path))]
    assert ent_paths and years and org_paths
    recount = [{"paths": ent_paths, "years": years}, {"paths": ent_paths[:1], "years": years[-1:]},
               {"paths": ["/9/"], "years": years}]
    some = [case_ids[0], case_ids[len(case_ids) // 2], case_ids[-1], renewal.case_id, renewal.renews_case_id]
    by_case = [{"case_id": i} for i in some] + [{"case_id": 999_999}]
    return {
        "load_case": by_case, "case_resource": by_case, "contract_light": by_case, "renews": by_case,
        "renewed_by": by_case, "case_opened": by_case, "case_terms": by_case, "events_of": by_case, "last_event": by_case,
        "renewal_of": [{**p, "renewal_states": hot.renewal_states()} for p in by_case],
        "has_users": [{}], "org_codes": [{}],
        "user_by_login": [{"login": x} for x in logins] + [{"login": "nobody"}],
        "grants_of": [{"user_ids": user_ids}, {"user_ids": [999_999]}],
        "org_by_code": [{"code": "320500"}, {"code": "320505"}, {"code": "000000"}],
        "enterprise_by_code": [{"credit_code": ent[0]}, {"credit_code": "nope"}],
        "counselor_names": [{"ids": [1, 2, 3, 999_999]}, {"ids": [1]}],
        "scan_org": [{"path": p, "path_end": p[:-1] + "0", "waiting_states": waiting_states(),
                      "renewal_states": hot.renewal_states()} for p in paths[:4]] + [
            {"path": "/9/", "path_end": "/0", "waiting_states": ["x"], "renewal_states": ["x"]}],
        "covering": [{"enterprise_id": covered[0]}, {"enterprise_id": 999_999}],
        **{name: recount for name in queries.STATEMENTS if name.startswith("recount_") and "cover" not in name},
        **{name: [{"paths": org_paths}, {"paths": org_paths[:1]}, {"paths": ["/9/"]}]
           for name in queries.STATEMENTS if name.startswith("recount_cover_")},
        "counselor_by_id": [{"counselor_id": 1}, {"counselor_id": 999_999}],
        "meta_value": [{"key": "projection"}, {"key": "nothing"}],
        "state_at": [{"case_id": i, "at": at} for i in some for at in (NOW, datetime(2020, 1, 1, tzinfo=UTC))],
        "actor_names": [{"logins": logins}, {"logins": ["nobody"]}],
        "cases_paths": [{"ids": case_ids}, {"ids": [999_999]}],
        "covered_paths": [{"ids": case_ids}, {"ids": [999_999]}],
        "rollup_years": [{"paths": ent_paths}, {"paths": ["/9/"]}],
        "rollup_own": recount, "offer_years": [{}],
        "coverage_own_rows": [{"paths": org_paths, "tier": t} for t in ("", "*")] + [{"paths": ["/9/"], "tier": ""}],
    }


NOW = datetime(2026, 6, 1, 8, 30, 15, 123456, tzinfo=UTC)


def _write_samples(conn: Any) -> dict[str, list[dict[str, Any]]]:
    """Parameters for every generated write: rows that change something, and (for the guarded update) one that does not."""
    case = conn.execute(sa.select(case_t.c.id, case_t.c.version).order_by(case_t.c.id)).first()
    kept = conn.execute(sa.select(report_rollup_t).order_by(report_rollup_t.c.path)).first()
    cover = conn.execute(sa.select(coverage_rollup_t).order_by(coverage_rollup_t.c.path)).first()
    assert case is not None and kept is not None and cover is not None
    ent_paths = [str(r[0]) for r in conn.execute(sa.select(case_t.c.ent_path).distinct().where(case_t.c.ent_path.is_not(None)))]
    years = [int(r[0]) for r in conn.execute(sa.select(case_t.c.offer_year).distinct().where(case_t.c.offer_year.is_not(None)))]
    org_paths = [str(r[0]) for r in conn.execute(sa.select(enterprise_t.c.org_path).distinct())]
    event = {"case_id": case.id, "seq": 900, "kind": "involvement", "trigger": "", "from_state": "", "to_state": "",
             "occurred_at": NOW, "recorded_at": NOW, "actor": "x", "counselor_id": None, "data": {"a": [1, "二"]},
             "note": "记录", "corrects": None, "actor_name": "某人"}
    saved = {"state": "offer_sent", "version": case.version + 1, "last_at": NOW, "facts": {"send_offer": {"level": "上级"}},
             "counselor_id": None, "offer_year": 2026, "offered_on": date(2026, 3, 2), "offer_level": "upper",
             "offer_received_on": None, "response": None, "responded_on": None, "signed_on": None, "filed_on": None,
             "effective_on": None, "term_start": None, "term_end": None, "closed_on": None, "reply_due": date(2026, 4, 1),
             "next_due": date(2026, 4, 1), "lapse_due": None}
    rollup_new = {"path": "/9/", "year": 2026, "band": "", "workflow": "w", "measure": "*m", "n": 3}
    cover_new = {"path": "/9/", "tier": "*", "day": date(2026, 1, 1), "band": "<50", "unionised": 1, "active": 1,
                 "covered": -1, "workers": 7}
    cover_old = {**cover._asdict(), "active": 2, "covered": 1, "workers": -5}
    ent = conn.execute(sa.select(enterprise_t.c.id, enterprise_t.c.org_path).order_by(enterprise_t.c.id)).first()
    assert ent is not None
    top = int(conn.execute(sa.select(sa.func.max(case_t.c.id))).scalar_one())
    new_case = {**saved, "id": top + 1, "enterprise_id": ent.id, "party_org": None, "workflow": "enterprise_wage",
                "workflow_version": 1, "jurisdiction": "national", "opened_at": NOW, "ent_path": ent.org_path,
                "ent_employees": 120, "ent_has_union": True}
    return {
        "insert_case": [new_case, {**new_case, "id": top + 2, "ent_has_union": False, "facts": {}, "last_at": None,
                                   "offered_on": None}],
        "insert_event": [event, {**event, "seq": 901, "data": {}, "note": ""}],
        "update_case": [{"k_id": case.id, "g_version": case.version, **saved},
                        {"k_id": case.id, "g_version": case.version + 7, **saved, "state": "never"}],
        "insert_audit": [{"at": NOW, "login": "a", "action": "case.advance", "outcome": "refused", "rule": "r",
                          "detail": {"k": ["v", 1]}, "address": "cli"}],
        "rollup_delete_own": [{"paths": ent_paths, "years": years}, {"paths": ["/9/"], "years": years}],
        "insert_rollup": [rollup_new, {**rollup_new, "measure": "offers"}],
        "add_rollup": [{**kept._asdict(), "n": 5}, rollup_new],
        "coverage_delete_own": [{"paths": org_paths, "tier": ""}, {"paths": org_paths, "tier": "*"}],
        "insert_coverage": [cover_new, {**cover_new, "tier": ""}],
        "add_coverage": [cover_old, cover_new],
    }


def _contents(conn: Any, table: str) -> list[str]:
    """Every row of a table as the driver reads it (no conversions), sorted; without the serial id (a PostgreSQL
    sequence is not rolled back)."""
    cur = conn.raw.execute(f"SELECT * FROM {table}") if isinstance(conn, lite.LiteConnection) else \
        conn.exec_driver_sql(f"SELECT * FROM {table}")
    skip = 1 if table in ("audit", "event") else 0
    return sorted(repr(tuple(r)[skip:]) for r in cur.fetchall())


def _write(conn: Any, name: str, params: list[dict[str, Any]]) -> None:
    """The generated write, one row at a time, and (the statements run as an executemany) all at once too."""
    for p in params:
        lite.write(conn, name, p)
    if name in queries_sql.MANY:
        want = _contents(conn, _table(name))
        conn.rollback()
        columns = list(params[0])
        lite.write_many(conn, name, columns, [[p[c] for c in columns] for p in params])
        assert _contents(conn, _table(name)) == want, (name, "executemany")


def _table(name: str) -> str:
    declared = queries.STATEMENTS[name]()
    return str((declared["sqlite"] if isinstance(declared, dict) else declared).table.name)


def _check_writes(store: Store) -> None:
    """Each generated write leaves its table as its Core statement does (each in a transaction rolled back after)."""
    with store.engine.connect() as conn:
        samples = _write_samples(conn)
        conn.rollback()
        assert set(samples) == WRITES
        for name in sorted(WRITES):
            declared = queries.STATEMENTS[name]()
            stmt = declared[store.dialect] if isinstance(declared, dict) else declared
            table = stmt.table.name
            before = _contents(conn, table)
            for p in samples[name]:
                conn.execute(stmt, p)
            want = _contents(conn, table)
            conn.rollback()
            assert want != before, name
            _write(conn, name, samples[name])
            assert _contents(conn, table) == want, name
            conn.rollback()
    if store.dialect == "sqlite":
        light = Store(store.url, light=True)
        for name in sorted(WRITES):
            declared = queries.STATEMENTS[name]()
            table = (declared["sqlite"] if isinstance(declared, dict) else declared).table.name
            with store.engine.connect() as conn:
                for p in samples[name]:
                    conn.execute(declared["sqlite"] if isinstance(declared, dict) else declared, p)
                want = _contents(conn, table)
                conn.rollback()
            with light.unit_of_work() as uow:
                _write(uow.conn, name, samples[name])
                assert _contents(uow.conn, table) == want, (name, "light")


WRITES = {"insert_event", "insert_case", "update_case", "insert_audit", "rollup_delete_own", "insert_rollup", "add_rollup",
          "coverage_delete_own", "insert_coverage", "add_coverage"}


@pytest.mark.parametrize("city", ["sqlite", "postgresql"], indirect=True)
def test_every_generated_write_leaves_what_its_core_statement_leaves(city: Store) -> None:
    _check_writes(city)


def _typed(rows: Any) -> list[list[tuple[type, Any]]]:
    return [[(type(v), v) for v in r] for r in rows]


def _check(conn: Any, light: Any | None) -> None:
    samples = _samples(conn)
    assert set(samples) == set(queries.STATEMENTS) - WRITES
    found = 0
    for name, make in queries.STATEMENTS.items():
        if name in WRITES:
            continue
        stmt = make()
        for params in samples[name]:
            order: Any = (lambda rows: sorted(rows, key=repr)) if name.startswith("recount_") else list  # no ORDER BY
            want = order(_typed(conn.execute(stmt, params).all()))
            got = lite.run(conn, name, params)
            assert order(_typed(got)) == want, (name, params)
            assert all(list(r._mapping) == list(queries_sql.COLUMNS[name]) for r in got)
            if light is not None:
                assert order(_typed(lite.run(light, name, params))) == want, (name, params, "light")
            found += len(want)
    assert found > 100


@pytest.mark.parametrize("city", ["sqlite", "postgresql"], indirect=True)
def test_every_generated_statement_returns_what_its_core_statement_returns(city: Store) -> None:
    with city.engine.connect() as conn:
        if city.dialect == "sqlite":
            light = Store(city.url, light=True)
            assert light.light
            with light.unit_of_work() as uow:
                _check(conn, uow.conn)
        else:
            _check(conn, None)


def test_the_conversions_are_the_column_types() -> None:
    """Aware datetimes back from UTCDateTime, dates from Date, booleans, JSON decoded; naive datetimes refused."""
    rendered = queries_sql.RESULT
    assert rendered["load_case"][queries_sql.COLUMNS["load_case"].index("last_at")] == "utc"
    assert rendered["load_case"][queries_sql.COLUMNS["load_case"].index("has_union")] == "bool"
    assert rendered["contract_light"][queries_sql.COLUMNS["contract_light"].index("terms")] == "json"
    assert rendered["case_terms"][queries_sql.COLUMNS["case_terms"].index("term_end")] == "date"
    assert isinstance(lite._RESULT["sqlite"]["utc"]("2026-06-01 08:30:15.123456"), datetime)
    assert lite._RESULT["sqlite"]["utc"]("2026-06-01 08:30:15.123456").tzinfo is UTC
    assert lite._RESULT["sqlite"]["date"]("2026-06-01") == date(2026, 6, 1)
    assert lite._BIND["sqlite"]["utc"](datetime(2026, 6, 1, 16, 0, tzinfo=UTC)) == "2026-06-01 16:00:00.000000"
    with pytest.raises(ValueError):
        lite._BIND["sqlite"]["utc"](datetime(2026, 6, 1, 16, 0))


def test_an_empty_list_is_refused_not_sent() -> None:
    with pytest.raises(ValueError):
        lite._prepare("counselor_names", "sqlite", {"ids": []})
    sql, binds = lite._prepare("counselor_names", "postgresql", {"ids": [3, 4]})
    assert "%(ids_0)s, %(ids_1)s" in sql and binds == {"ids_0": 3, "ids_1": 4}


def test_a_light_store_opens_only_an_up_to_date_sqlite_file(tmp_path: Any) -> None:
    """An up-to-date file: light (sqlite3 connections); a newer schema, a damaged file, a missing one: the normal
    path, with its own answer (refused as newer, the damage reported, a new database made)."""
    import sqlite3

    from engine.errors import SetupError
    from engine.store.lite import LiteConnection

    url = f"sqlite:///{tmp_path / 'a.db'}"
    Store(url).dispose()
    light = Store(url, light=True)
    assert light.light and light.dialect == "sqlite" and light.safe_url() == url
    with light.read() as conn:
        assert isinstance(conn, LiteConnection) and hot.has_users(conn) is False
    raw = sqlite3.connect(tmp_path / "a.db")
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.commit()
    raw.close()
    with pytest.raises(SetupError, match="newer"):
        Store(url, light=True)
    (tmp_path / "bad.db").write_bytes(b"not a database at all, only text" * 100)
    with pytest.raises(SetupError) as damaged:
        Store(f"sqlite:///{tmp_path / 'bad.db'}", light=True)
    assert damaged.value.rule == "database_corrupt"
    fresh = Store(f"sqlite:///{tmp_path / 'new.db'}", light=True)
    assert not fresh.light and (tmp_path / "new.db").is_file()
    fresh.dispose()


def test_a_save_writes_every_report_column_a_case_has() -> None:
    """repository.SAVED_COLUMNS (update_case's columns) are the case's own and every report column it projects: a
    column added to the projection or the deadline columns and not to the save would never be written."""
    from engine.store.repository import SAVED_COLUMNS, case_columns
    from tests.helpers.happy import walk_to

    assert SAVED_COLUMNS[:5] == ("state", "version", "last_at", "facts", "counselor_id")
    # and the row a new case's save inserts is the whole row (every column of the table, in its order: COPY)
    from engine.store.repository import CASE_COLUMNS
    from engine.store.tables import case_t

    assert CASE_COLUMNS == tuple(c.name for c in case_t.c)
    assert set(SAVED_COLUMNS) <= set(CASE_COLUMNS)
    assert sorted(SAVED_COLUMNS[5:]) == sorted(case_columns(walk_to("effective")))
