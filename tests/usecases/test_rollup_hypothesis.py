"""Random operations through the use cases keep the report counts equal to the bare SQL (issue 18).

After every step: `rollups.differences` is empty (the kept rows are what the bare SQL counts), and the
campaign (by organisation and by size) and the funnel read from the kept counts are the very reports the
bare SQL gives. The operations are every writer of case, event and enterprise rows: add and update an
enterprise (moving it, changing its head count), open a case, advance it, void its last step, amend its
offer date into another year, launch a campaign, the tick, an enterprise import, a ledger import, retire an
enterprise, merge counselors, merge an organisation into another, open and walk a regional contract, add and
remove the enterprises it covers. The coverage counts kept by day equal the bare SQL on every day on which one
may change (contracts taking effect and the day after their terms, retirements, regional cover added and removed)
and on fixed days before, during and after the terms, and the coverage report read from them (by organisation and
by size, at the root and at a district, beside another year) is the bare report. On a SQLite file, and on
PostgreSQL.
"""

from __future__ import annotations

import itertools
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from engine.credit import make_credit_code
from engine.errors import BargainError
from engine.imports.core import run as run_import
from engine.imports.enterprise import EnterpriseImport
from engine.imports.ledger import LedgerImport
from engine.reports.campaign import campaign
from engine.reports.coverage import coverage, kept_differences
from engine.reports.funnel import funnel
from engine.store import directory, rollups
from engine.store.database import Store
from engine.times import parse_at
from engine.usecases import acts, corrections, launch, regional, registers, tick
from tests.conftest import PG_URL, _pg_schema_url
from tests.helpers.happy import HAPPY, REC, reps

TOWNS = ["320505001", "320505002", "320506001", "320506002"]
YEARS = (2025, 2026)
SERIAL = itertools.count(1)
DAYS = [date.fromisoformat(d) for d in ("2025-01-01", "2025-06-30", "2026-05-31", "2026-06-01", "2026-08-31", "2026-09-30",
                                        "2026-10-01", "2026-12-31", "2027-04-30", "2027-05-01", "2027-05-31", "2027-06-01")]
TERMS = [("2026-06-01", "2027-05-31"), ("2026-05-01", "2027-04-30"), ("2026-07-01", "2026-09-30")]
REGIONAL = [("send_offer", {"level": "regional", "employer_side": "餐饮行业协会"}), ("accept", {}),
            ("set_topics", {"topics": "工资增幅"}),
            ("elect_reps", {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}),
            ("hold_round", {}), ("agree_draft", {}),
            ("approve", {"body": "congress", "total": 50, "present": 40, "votes_for": 30, "managers": 10}),
            ("sign", {}), ("file", {}), ("pass_review", {})]


def _city(store: Store) -> None:
    with store.unit_of_work() as uow:
        directory.upsert_org(uow.conn, "320500", "苏州市总工会", "city")
        for d in ("320505", "320506"):
            directory.upsert_org(uow.conn, d, f"{d}区总工会", "district", "320500")
        for t in TOWNS:
            directory.upsert_org(uow.conn, t, f"{t}街道总工会", "town", t[:6])
        directory.add_counselor(uow.conn, {"name": "王建国", "kind": "full_time", "status": "retired", "org_code": "320505"})
        directory.add_counselor(uow.conn, {"name": "王建国", "kind": "full_time", "status": "retired", "org_code": "320505"})
        uow.commit()


def same_reports(store: Store) -> None:
    """The kept counts equal the bare SQL, and the reports read from them equal the bare reports."""
    with store.read() as conn:
        assert rollups.differences(conn) == []
        for year in YEARS:
            for by in ("org", "size"):
                kept = campaign(conn, year=year, by=by).main
                bare = campaign(conn, year=year, by=by, kept=False).main
                assert (kept.rows, kept.total) == (bare.rows, bare.total)
            k, b = funnel(conn, year=year), funnel(conn, year=year, kept=False)
            assert (k.main.rows, k.extra) == (b.main.rows, b.extra)
        assert kept_differences(conn) == []  # every day on which a coverage count may change, and today
        assert kept_differences(conn, DAYS) == []
        for day in DAYS[2::3]:
            for org in (None, "320505"):
                for by in ("org", "size"):
                    kc = coverage(conn, as_of=day, org=org, by=by, compare=2025)
                    bc = coverage(conn, as_of=day, org=org, by=by, compare=2025, kept=False)
                    assert (kc.main.rows, kc.main.total, kc.compare) == (bc.main.rows, bc.main.total, bc.compare)


class RollupMachine(RuleBasedStateMachine):
    """One fresh database per example; random writers; the invariant after each."""

    url = ""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.store = Store(self.url or f"sqlite:///{Path(self.tmp.name) / 'bargain.db'}")
        self.ents: list[str] = []
        self.cases: list[int] = []
        self.regional: list[int] = []

    def teardown(self) -> None:
        if self.url:  # PostgreSQL: one schema for every example; empty it
            with self.store.unit_of_work() as uow:
                import sqlalchemy as sa

                for table in ("coverage", "event", "bcase", "org_merge", "enterprise", "counselor", "org", "report_rollup",
                              "coverage_rollup"):
                    uow.conn.execute(sa.text(f"DELETE FROM {table}"))
                uow.commit()
        self.store.dispose()
        self.tmp.cleanup()

    @initialize()
    def city(self) -> None:
        _city(self.store)

    def _try(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except BargainError:
            return None  # refused: nothing written, the invariant must still hold

    @rule(town=st.sampled_from(TOWNS), employees=st.sampled_from([10, 49, 50, 99, 100, 500]), union=st.booleans())
    def add_enterprise(self, town: str, employees: int, union: bool) -> None:
        code = make_credit_code(town[:6], next(SERIAL))
        registers.add_enterprise(self.store, {"credit_code": code, "name": f"企业{code[-6:]}", "org_code": town,
                                              "industry": "制造业", "employees": employees, "has_union": union})
        self.ents.append(code)

    @precondition(lambda self: self.ents)
    @rule(i=st.integers(0, 99), town=st.sampled_from([*TOWNS, None]), employees=st.sampled_from([None, 20, 60, 150]))
    def update_enterprise(self, i: int, town: str | None, employees: int | None) -> None:
        self._try(registers.add_enterprise, self.store, {"credit_code": self.ents[i % len(self.ents)], "org_code": town,
                                                         "employees": employees})

    @precondition(lambda self: self.ents)
    @rule(i=st.integers(0, 99), year=st.sampled_from(YEARS))
    def open_case(self, i: int, year: int) -> None:
        at = parse_at(f"{year}-03-02")
        case = self._try(acts.open_case, self.store, self.ents[i % len(self.ents)], at=at, recorded_at=REC, actor="t")
        if case is not None:
            self.cases.append(case.case_id)

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 99), steps=st.integers(1, 11), level=st.sampled_from(["enterprise", "upper"]),
          refuse=st.booleans(), term=st.sampled_from(TERMS))
    def advance(self, i: int, steps: int, level: str, refuse: bool, term: tuple[str, str]) -> None:
        case_id = self.cases[i % len(self.cases)]
        for trigger, data in HAPPY[:steps]:
            if trigger == "sign":
                data = {**data, "term_start": term[0], "term_end": term[1]}
            with self.store.read() as conn:
                from engine.store.repository import load_case

                case = load_case(conn, case_id)
            at = (case.last_at or REC) + timedelta(days=3)
            if trigger == "send_offer":
                data = {"level": level}
            if trigger == "accept" and refuse:
                trigger = "refuse"
            if self._try(acts.advance, self.store, case_id, trigger, data, at=at, recorded_at=REC, actor="t") is None:
                return

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 99))
    def void(self, i: int) -> None:
        self._try(corrections.void, self.store, self.cases[i % len(self.cases)], reason="录错", recorded_at=REC, actor="t")

    @precondition(lambda self: self.cases)
    @rule(i=st.integers(0, 99), year=st.sampled_from(YEARS))
    def amend_offer(self, i: int, year: int) -> None:
        case_id = self.cases[i % len(self.cases)]
        from engine.store.repository import load_events

        with self.store.read() as conn:
            offers = [e.seq for e in load_events(conn, case_id) if e.trigger == "send_offer"]
        if offers:
            self._try(corrections.amend, self.store, case_id, offers[0], at=parse_at(f"{year}-02-10"), data={},
                      reason="日期录错", recorded_at=REC, actor="t")

    @rule(year=st.sampled_from(YEARS), org=st.sampled_from(["320500", "320505", "320506001"]))
    def launch(self, year: int, org: str) -> None:
        self._try(launch.launch, self.store, year=year, org=org, at=parse_at(f"{year}-04-01"), recorded_at=REC, actor="t")

    @rule(day=st.sampled_from(["2025-06-30", "2026-06-30", "2026-11-20"]))
    def tick(self, day: str) -> None:
        self._try(tick.run, self.store, as_of=date.fromisoformat(day), recorded_at=REC)

    @precondition(lambda self: self.ents)
    @rule(town=st.sampled_from(TOWNS), employees=st.sampled_from([30, 80, 300]))
    def import_enterprises(self, town: str, employees: int) -> None:
        path = Path(self.tmp.name) / f"e{next(SERIAL)}.csv"
        new = make_credit_code(town[:6], next(SERIAL))
        old = self.ents[0]
        path.write_text("credit_code,name,org_code,industry,employees,has_union\n"
                        f"{new},新企业,{town},制造业,{employees},1\n{old},老企业,{town},制造业,{employees},1\n", encoding="utf-8")
        if self._try(run_import, self.store, path, EnterpriseImport()) is not None:
            self.ents.append(new)

    @precondition(lambda self: self.ents)
    @rule(i=st.integers(0, 99), response=st.sampled_from(["accepted", "refused", "none"]))
    def import_ledger(self, i: int, response: str) -> None:
        path = Path(self.tmp.name) / f"l{next(SERIAL)}.csv"
        reply = "2025-03-20" if response != "none" else ""
        path.write_text("credit_code,year,level,offer_date,response,response_date\n"
                        f"{self.ents[i % len(self.ents)]},2025,upper,2025-03-01,{response},{reply}\n", encoding="utf-8")
        self._try(run_import, self.store, path, LedgerImport(recorded_at=REC, actor="t"))

    @precondition(lambda self: self.ents)
    @rule(i=st.integers(0, 99))
    def retire(self, i: int) -> None:
        self._try(corrections.retire_enterprise, self.store, self.ents[i % len(self.ents)], on=date(2026, 10, 1), reason="注销")

    @rule()
    def merge_counselors(self) -> None:
        self._try(corrections.merge_counselors, self.store, 1, 2)

    @rule(pair=st.sampled_from([("320505002", "320505001"), ("320506001", "320505002"), ("320506", "320505")]))
    def merge_org(self, pair: tuple[str, str]) -> None:
        self._try(corrections.merge_org, self.store, pair[0], pair[1], on=date(2026, 9, 1), recorded_at=REC, actor="t")

    @rule(org=st.sampled_from(["320505", "320506", *TOWNS]), steps=st.sampled_from([7, 10, 10]),
          term=st.sampled_from(TERMS), covers=st.integers(0, 3))
    def regional_contract(self, org: str, steps: int, term: tuple[str, str], covers: int) -> None:
        case = self._try(regional.open_regional, self.store, org, at=parse_at("2026-03-02"), recorded_at=REC, actor="t")
        if case is None:
            return
        self.regional.append(case.case_id)
        with self.store.read() as conn:  # covered before the contract takes effect (its dates then count)
            import sqlalchemy as sa

            from engine.store.tables import enterprise_t, org_t

            path = conn.execute(sa.select(org_t.c.path).where(org_t.c.code == org)).scalar_one()
            here = list(conn.execute(sa.select(enterprise_t.c.credit_code).where(
                enterprise_t.c.org_path.startswith(path)).order_by(enterprise_t.c.id).limit(covers)).scalars())
        self._try(regional.cover, self.store, case.case_id, add=here, on=date(2026, 1, 1), at=parse_at("2026-03-02"),
                  recorded_at=REC, actor="t")
        at = parse_at("2026-03-03")
        for trigger, data in REGIONAL[:steps]:
            if trigger == "sign":
                data = {"term_start": term[0], "term_end": term[1]}
            if self._try(acts.advance, self.store, case.case_id, trigger, data, at=at, recorded_at=REC, actor="t") is None:
                return
            at += timedelta(days=3)

    @precondition(lambda self: self.regional and self.ents)
    @rule(i=st.integers(0, 99), j=st.integers(0, 99), remove=st.booleans(),
          on=st.sampled_from(["2026-01-01", "2026-06-15", "2026-10-01", "2027-01-01"]))
    def cover(self, i: int, j: int, remove: bool, on: str) -> None:
        code = self.ents[j % len(self.ents)]
        self._try(regional.cover, self.store, self.regional[i % len(self.regional)], add=[] if remove else [code],
                  remove=[code] if remove else [], on=date.fromisoformat(on), at=parse_at("2026-11-01"), recorded_at=REC,
                  actor="t")

    @invariant()
    def kept_equals_bare(self) -> None:
        same_reports(self.store)


SETTINGS = settings(max_examples=6, stateful_step_count=14, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_random_writes_sqlite() -> None:
    RollupMachine.url = ""
    RollupMachine.TestCase.settings = SETTINGS
    RollupMachine.TestCase().runTest()


@pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set BARGAIN_TEST_PG or run `make test`, which starts one")
def test_random_writes_postgresql() -> None:
    for url in _pg_schema_url(PG_URL):
        RollupMachine.url = url
        RollupMachine.TestCase.settings = SETTINGS
        try:
            RollupMachine.TestCase().runTest()
        finally:
            RollupMachine.url = ""


def test_regional_cover_and_its_contracts_dates_keep_the_coverage_counts(tmp_path: Path) -> None:
    """The path random examples may rarely take: enterprises covered before the regional contract takes effect (its
    own saves then change their coverage), one removed later, one retired; kept == bare after each step."""
    RollupMachine.url = ""
    m = RollupMachine()
    try:
        m.city()
        for town, n in (("320505001", 60), ("320505002", 150), ("320505001", 20)):
            m.add_enterprise(town, n, True)
        same_reports(m.store)
        m.regional_contract("320505", 10, ("2026-06-01", "2027-05-31"), 3)
        assert m.regional
        with m.store.read() as conn:
            assert coverage(conn, as_of=date(2026, 7, 1)).main.total["covered"] == 3
        same_reports(m.store)
        m.cover(0, 1, True, "2026-10-01")
        same_reports(m.store)
        m.retire(0)
        same_reports(m.store)
        with m.store.read() as conn:
            assert coverage(conn, as_of=date(2026, 10, 2)).main.total["covered"] == 1
    finally:
        m.teardown()
