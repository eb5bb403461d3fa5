"""The report, deadline and tick queries reach their rows through indexes, on SQLite and on PostgreSQL.

The statements checked are the very ones the engine sends (captured from SQLAlchemy while the real report,
agenda and tick functions run), not copies. A few thousand enterprises and cases, then ANALYZE. PostgreSQL
prefers a sequential scan on tables this small whatever the indexes, so its check runs with
enable_seqscan=off: the planner then falls back to a sequential scan only when no index path exists, which
is what we want to know. On PostgreSQL each test has a database of its own (conftest.fresh_db_url): a
transaction open beside it in a shared database would keep the dead rows VACUUM should clear and change the
planner's choice between two good indexes. SQLite is read with EXPLAIN QUERY PLAN: a full `SCAN` of a case, enterprise or event
table (by any alias) fails the test; `SEARCH … USING INDEX` passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bench.common import captured
from engine.credit import make_credit_code
from engine.reports.campaign import campaign
from engine.reports.coverage import coverage
from engine.reports.funnel import funnel
from engine.store import agenda, directory
from engine.store.database import Store
from engine.store.tables import case_t
from engine.times import parse_at
from engine.usecases import tick
from engine.usecases.launch import launch
from tests.conftest import fresh_db_url

BIG = ("bcase", "enterprise", "event", "report_rollup", "coverage_rollup")
DISTRICTS = [f"3205{d:02d}" for d in range(1, 9)]
ENTERPRISES = 3000


def build(store: Store) -> None:
    """A province, two cities, eight districts of four towns; 3,000 enterprises; the 2026 campaign over them;
    a tenth of the cases in force (their projection columns set), then ANALYZE."""
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320000", "江苏省总工会", "province")
        for city in ("320500", "320100"):
            directory.upsert_org(conn, city, f"{city}市总工会", "city", "320000")
        towns = []
        for i, d in enumerate(DISTRICTS):
            city = "320500" if i < 4 else "320100"
            directory.upsert_org(conn, d, f"{d}区总工会", "district", city)
            for t in range(1, 5):
                directory.upsert_org(conn, f"{d}{t:03d}", f"{d}第{t}街道", "town", d)
                towns.append(f"{d}{t:03d}")
        directory.upsert_enterprises(conn, [
            {"credit_code": make_credit_code(towns[i % len(towns)][:6], i + 1), "name": f"企业{i}",
             "org_code": towns[i % len(towns)], "industry": "制造业", "employees": 10 + i % 300, "has_union": i % 7 != 0}
            for i in range(ENTERPRISES)])
    launch(store, year=2026, org=None, at=parse_at("2026-03-02"), recorded_at=datetime(2026, 3, 2, 2, tzinfo=UTC),
           actor="test")
    with store.engine.begin() as conn:
        conn.execute(case_t.update().where(case_t.c.id % 10 == 0).values(
            state="effective", effective_on=date(2026, 5, 1), term_start=date(2026, 5, 1), term_end=date(2027, 4, 30)))
    # What autovacuum does after a load: statistics, and (PostgreSQL) the visibility map index-only scans need.
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if store.dialect == "postgresql" else "ANALYZE")


def aliases(sql: str) -> dict[str, str]:
    """Every name a big table goes by in a statement (itself, and `bcase AS earlier`)."""
    names = {t: t for t in BIG}
    for table, alias in re.findall(r"\b(bcase|enterprise|event)\s+AS\s+(\w+)", sql, flags=re.IGNORECASE):
        names[alias.strip('"')] = table
    return names


def sqlite_plan(conn: Any, sql: str, params: Any) -> tuple[list[str], set[str]]:
    """Full scans of big tables, and the indexes used, from EXPLAIN QUERY PLAN."""
    details = [str(r[3]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    names = aliases(sql)
    scans = [d for d in details if (m := re.match(r"SCAN (\w+)(?! USING)", d)) and m.group(1) in names
             and "USING" not in d]
    used = {m.group(1) for d in details if (m := re.search(r"USING (?:COVERING )?INDEX (\w+)", d))}
    used |= {"pk" for d in details if "INTEGER PRIMARY KEY" in d}
    return scans, used


def pg_plan(conn: Any, sql: str, params: Any) -> tuple[list[str], set[str]]:
    """Sequential scans of big tables, and the indexes used, from EXPLAIN (FORMAT JSON) with seqscan off."""
    row = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + sql, params).scalar_one()
    plan = row if isinstance(row, list) else json.loads(row)
    scans: list[str] = []
    used: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG:
            scans.append(f"Seq Scan on {node['Relation Name']}")
        if "Index Name" in node:
            used.add(str(node["Index Name"]))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return scans, used


def plans(store: Store, run: Callable[[Any], Any]) -> list[tuple[str, list[str], set[str]]]:
    """Run the engine's code, then explain each statement it sent that reads a big table."""
    with store.read() as conn:
        with captured(store) as seen:
            run(conn)
        out = []
        if store.dialect == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        for sql, params in seen:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or not any(t in sql for t in BIG):
                continue
            explain = pg_plan if store.dialect == "postgresql" else sqlite_plan
            scans, used = explain(conn, sql, params)
            out.append((sql, scans, used))
        if store.dialect == "postgresql":
            conn.exec_driver_sql("RESET enable_seqscan")
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a PostgreSQL database of its own (not a schema beside other tests)."""
    yield from fresh_db_url(request, tmp_path, own_database=True)


@pytest.fixture
def built(store: Store) -> Store:
    build(store)
    return store


def check(found: list[tuple[str, list[str], set[str]]], expected: set[str]) -> None:
    assert found, "the engine sent no statement reading a case, enterprise or event table"
    for sql, scans, _ in found:
        assert not scans, f"full scan {scans} in:\n{sql}"
    used = set().union(*(u for _, _, u in found))
    assert expected <= used, f"expected indexes {sorted(expected)}, the plans use {sorted(used)}"


def test_report_campaign_reads_the_campaign_index_for_a_city(built: Store) -> None:
    found = plans(built, lambda conn: campaign(conn, year=2026, org="320500", kept=False))
    check(found, {"ix_bcase_campaign"})


def test_report_campaign_and_funnel_read_the_kept_counts_by_an_index(built: Store) -> None:
    for run in (lambda conn: campaign(conn, year=2026, org="320500"), lambda conn: funnel(conn, year=2026, org="320500")):
        found = plans(built, run)
        check(found, set())
        rollup = [(sql, used) for sql, _, used in found if "report_rollup" in sql]
        keys = {"ix_report_rollup_year", "sqlite_autoindex_report_rollup_1", "report_rollup_pkey"}  # by year, or by path
        assert rollup and all(used & keys for _, used in rollup), rollup


def test_report_coverage_reads_the_enterprise_and_in_force_indexes_for_a_city(built: Store) -> None:
    found = plans(built, lambda conn: coverage(conn, as_of=date(2026, 6, 30), org="320500", kept=False))
    check(found, {"ix_enterprise_org_path", "ix_bcase_in_force"})


def test_report_coverage_reads_the_kept_counts_by_their_primary_key(built: Store) -> None:
    found = plans(built, lambda conn: coverage(conn, as_of=date(2026, 6, 30), org="320500"))
    check(found, set())
    kept = [(sql, used) for sql, _, used in found if "coverage_rollup" in sql]
    keys = {"sqlite_autoindex_coverage_rollup_1", "coverage_rollup_pkey"}
    assert kept and all(used & keys for _, used in kept), kept


def test_report_funnel_reads_a_district_s_cases_by_the_campaign_index_and_their_events_by_key(built: Store) -> None:
    found = plans(built, lambda conn: funnel(conn, year=2026, org=DISTRICTS[1], kept=False))
    check(found, {"ix_bcase_campaign", "ix_event_voids"})  # a step voided is probed in the partial index of voids


def test_the_recount_at_every_write_probes_voids_in_their_partial_index(built: Store) -> None:
    from engine.store import recount

    with built.read() as conn:
        path = str(conn.exec_driver_sql("SELECT ent_path FROM bcase WHERE ent_path IS NOT NULL LIMIT 1").scalar_one())
    found = plans(built, lambda conn: recount.bare_some(conn, [path], [2026]))
    funnel_sql = [(sql, used) for sql, _, used in found if "voiding" in sql]
    assert funnel_sql and all("ix_event_voids" in used for _, used in funnel_sql), funnel_sql


def test_a_district_s_deadlines_reach_its_cases_through_the_path_index(built: Store) -> None:
    found = plans(built, lambda conn: sum(1 for _ in agenda.scan(conn, date(2026, 3, 20), org=DISTRICTS[2])))
    check(found, {"ix_enterprise_org_path"})


def test_the_tick_finds_its_candidates_through_the_lapse_index(built: Store) -> None:
    def run(conn: Any) -> list[int]:
        return tick.candidates(built, date(2026, 3, 20))

    # tick.candidates opens its own connection from the same engine, so the capture still sees it.
    found = plans(built, run)
    check(found, {"ix_bcase_lapse_due"})
