"""The reports benchmark (issue 18): `report campaign`, `report funnel` and `report coverage` at the root of a city
of 1,000,000 enterprises, on SQLite and on PostgreSQL, read from the counts kept per organisation and year
(engine/store/rollups.py) and beside the bare SQL.

Data (BENCH_SCALE scales the counts; the targets are for scale 1): a city (320500) with 10 districts of 10 towns
each; N enterprises (5% attached to a district directly), one case each, 85% offered in 2026 and 15% in 2025, with
the projection columns a real case row carries, a facts payload of realistic size, and the transition events of
its path (offer, reply, topics, representatives, rounds, draft, congress, signing, filing, review: about 8 a case).
The schema is the real one (created by Store), filled with sqlite3 executemany / PostgreSQL COPY; then the kept
counts are built as revision 0011_rollup builds them on an upgrade (`rollups.rebuild`, timed). The SQLite file is
cached in bench/out/cache/ (gitignored), keyed by N and the schema head; PostgreSQL (a throw-away cluster, or
BARGAIN_BENCH_PG) is filled anew each run and ANALYZEd, as autovacuum would.

Figures (median of RUNS, warm cache; each notes the engine's CPU time and the load average, since the wall time
on a shared machine includes waiting for other processes):
  report campaign / funnel at the root   engine.reports (year 2026, org 320500), as the CLI runs them, from the
                    kept counts. Floor: the very statements the engine ran (captured), through the bare DB-API
                    connection. The note gives the bare SQL of the same figure (the report with kept=False, which
                    reads every case and event of the year) measured in the same run.
  report coverage at the root            on 2026-12-31 (by organisation), from the coverage counts kept by day
                    (coverage_rollup). Floor: the engine's statements, bare. Note: the bare SQL of the same figure.
  kept counts equal the bare SQL         `rollups.differences` over every year: 0 differences wanted; the
                    reports from the kept counts are also compared with the bare reports, row by row (coverage by
                    organisation and by size on four days, one beside 2025), and the kept coverage counts with the
                    bare SQL at every path on three days (`coverage.kept_differences`).
  subtree report campaign                one district, a tenth of the data.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import ROOT, Figure, Results, captured, pg_url, tmp_sqlite

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(10_000, int(1_000_000 * SCALE))
RUNS = 5
TARGET_MS = 300.0
DISTRICTS = [f"3205{d:02d}" for d in range(1, 11)]
CACHE = ROOT / "bench" / "out" / "cache"
FACTS = json.dumps({"last": {
    "send_offer": {"at": "2026-03-02T09:00:00+08:00", "seq": 2, "level": "upper", "received_on": "2026-03-03"},
    "accept": {"at": "2026-03-12T09:00:00+08:00", "seq": 3},
    "set_topics": {"at": "2026-03-20T09:00:00+08:00", "seq": 4, "topics": ["职工年度平均工资水平及其调整幅度", "高温津贴标准"],
                   "opinions": 120},
    "sign": {"at": "2026-04-20T09:00:00+08:00", "seq": 9, "term_start": "2026-05-01", "term_end": "2027-04-30"},
}, "count": {"send_offer": 1, "accept": 1, "set_topics": 1, "sign": 1}}, ensure_ascii=False)

ORG_COLS = ("code", "name", "kind", "parent_code", "path")
ENT_COLS = ("id", "credit_code", "name", "org_code", "org_path", "industry", "employees", "has_union")
CASE_COLS = ("id", "enterprise_id", "workflow", "workflow_version", "state", "jurisdiction", "version", "facts", "opened_at",
             "offer_year", "offered_on", "offer_level", "offer_received_on", "response", "responded_on", "reply_due",
             "signed_on", "filed_on", "effective_on", "term_start", "term_end", "ent_path", "ent_employees", "ent_has_union")
EVENT_COLS = ("case_id", "seq", "kind", "trigger", "from_state", "to_state", "occurred_at", "recorded_at", "actor", "data",
              "note")
AFTER_ACCEPT = (("set_topics", "topics_set"), ("elect_reps", "reps_elected"), ("hold_round", "negotiating"))
TO_SIGN = (("agree_draft", "draft_agreed"), ("approve", "congress_approved"), ("sign", "signed"))


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def tables() -> Iterator[tuple[str, Sequence[str], Iterator[tuple[Any, ...]]]]:
    """(table, columns, rows) of the city, generated the same way every time (seeded)."""
    rng = random.Random(2026)
    orgs: list[tuple[Any, ...]] = [("320500", "苏州市总工会", "city", None, "/320500/")]
    towns: list[tuple[str, str]] = []
    for d in DISTRICTS:
        orgs.append((d, f"{d}区总工会", "district", "320500", f"/320500/{d}/"))
        for t in range(1, 11):
            code = f"{d}{t:03d}"
            orgs.append((code, f"{code}街道总工会", "town", d, f"/320500/{d}/{code}/"))
            towns.append((code, f"/320500/{d}/{code}/"))
    yield "org", ORG_COLS, iter(orgs)
    ents: list[tuple[str, int, int]] = []  # the enterprise fields each case row carries a copy of

    def enterprises() -> Iterator[tuple[Any, ...]]:
        for i in range(1, N + 1):
            if i % 20 == 0:
                d = DISTRICTS[i % len(DISTRICTS)]
                code, path = d, f"/320500/{d}/"
            else:
                code, path = towns[i % len(towns)]
            employees = int(min(5000, max(3, rng.lognormvariate(3.8, 1.1))))
            union = 1 if rng.random() < 0.9 else 0
            ents.append((path, employees, union))
            yield (i, f"91320500{i:09d}X"[:18], f"企业{i}", code, path, "制造业" if i % 3 else "批发和零售业", employees, union)

    yield "enterprise", ENT_COLS, enterprises()
    events: list[tuple[Any, ...]] = []

    def cases(first: int, last: int) -> Iterator[tuple[Any, ...]]:
        for i in range(first, last + 1):
            year = 2026 if rng.random() < 0.85 else 2025
            offered = date(year, 3, 1) + timedelta(days=rng.randint(0, 20))
            received = offered + timedelta(days=rng.randint(0, 2))
            due = received + timedelta(days=20)
            fate = rng.random()
            response = "accepted" if fate < 0.9 else ("refused" if fate < 0.95 else ("lapsed" if fate < 0.97 else None))
            responded = received + timedelta(days=rng.randint(1, 25)) if response else None
            signed = responded + timedelta(days=rng.randint(30, 80)) if response == "accepted" and rng.random() < 0.8 else None
            filed = signed + timedelta(days=5) if signed and rng.random() < 0.95 else None
            effective = filed + timedelta(days=15) if filed and rng.random() < 0.95 else None
            term_start = signed + timedelta(days=20) if signed else None
            term_end = date(term_start.year + 1, term_start.month, 1) - timedelta(days=1) if term_start else None
            state = ("effective" if effective else "filed" if filed else "signed" if signed else "negotiating"
                     if response == "accepted" else "refused" if response else "offer_sent")
            path: list[tuple[str, str, date]] = [("send_offer", "offer_sent", offered)]
            if response == "accepted" and responded:
                path.append(("accept", "accepted", responded))
                path += [(t, s, responded) for t, s in AFTER_ACCEPT]
                if signed:
                    path += [(t, s, signed) for t, s in TO_SIGN]
                if filed:
                    path.append(("file", "filed", filed))
                if effective:
                    path.append(("pass_review", "effective", effective))
            elif response and responded:
                path.append(("refuse" if response == "refused" else "lapse", "refused", responded))
            at = f"{year}-03-01 01:00:00.000000"
            events.append((i, 1, "opened", "", "", "targeted", at, at, "bench", "{}", ""))
            before = "targeted"
            for seq, (trigger, to, day) in enumerate(path, start=2):
                stamp = f"{day.isoformat()} 01:00:00.000000"
                events.append((i, seq, "transition", trigger, before, to, stamp, stamp, "bench", "{}", ""))
                before = to
            yield (i, i, "enterprise_wage", 1, state, "national", len(path) + 1, FACTS, at,
                   year, offered.isoformat(), "upper" if i % 9 < 5 else "enterprise", received.isoformat(), response,
                   responded and responded.isoformat(), due.isoformat(), signed and signed.isoformat(),
                   filed and filed.isoformat(), effective and effective.isoformat(),
                   term_start and term_start.isoformat(), term_end and term_end.isoformat(), *ents[i - 1])

    chunk = 50_000  # cases, then their events, a chunk at a time: the events of a million cases never all in memory
    for first in range(1, N + 1, chunk):
        rows = list(cases(first, min(N, first + chunk - 1)))
        yield "bcase", CASE_COLS, iter(rows)
        yield "event", EVENT_COLS, iter(events)
        events = []


def build_sqlite(path: str) -> None:
    """Fill the real schema with the city, then build the kept counts as the migration does."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    for table, cols, rows in tables():
        db.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
    db.commit()
    db.close()


def build_pg(url: str) -> None:
    """The same rows through COPY, then ANALYZE (what autovacuum would do after a bulk load)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for table, cols, rows in tables():
            bools = {i for i, c in enumerate(cols) if c in ("has_union", "ent_has_union")}
            with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([bool(v) if i in bools else v for i, v in enumerate(row)])
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")


def rebuild_rollup(store: Any) -> float:
    """Seconds to build the kept counts (revision 0011_rollup's recount)."""
    from engine.store import rollups

    start = time.perf_counter()
    with store.unit_of_work() as uow:
        rollups.rebuild(uow.conn)
        uow.commit()
    return time.perf_counter() - start


def median_time(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of `runs` calls (after one warm-up), and the last result."""
    out = fn()
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), out


def note(cpu: float) -> str:
    """The CPU time of the engine's run and the machine's load while it ran."""
    return f"cpu {cpu * 1000:,.0f} ms, load {os.getloadavg()[0]:.1f}"


def raw_runner(url: str, statements: list[tuple[str, Any]]) -> Callable[[], int]:
    """The captured statements through a bare DB-API connection, every row fetched."""
    if url.startswith("postgresql"):
        import psycopg

        conn: Any = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    else:
        conn = sqlite3.connect(url[len("sqlite:///"):])

    def go() -> int:
        n = 0
        cur = conn.cursor()
        for sql, params in statements:
            cur.execute(sql, params)
            n += len(cur.fetchall())
        if url.startswith("postgresql"):
            conn.rollback()
        return n
    return go


def measure(results: Results, label: str, url: str) -> None:
    """Every figure on one database (already filled, kept counts built)."""
    from engine.reports.campaign import campaign
    from engine.reports.coverage import coverage
    from engine.reports.funnel import funnel
    from engine.store import rollups
    from engine.store.database import Store

    store = Store(url)
    day = date(2026, 12, 31)
    try:
        with store.read() as conn:
            wrong = len(rollups.differences(conn))
        reports: list[tuple[str, Callable[[Any, bool], Any]]] = [
            ("report campaign", lambda conn, kept: campaign(conn, year=2026, org="320500", kept=kept)),
            ("report funnel", lambda conn, kept: funnel(conn, year=2026, org="320500", kept=kept)),
        ]
        for name, build in reports:
            def engine(build: Callable[[Any, bool], Any] = build, kept: bool = True) -> Any:
                with store.read() as conn:
                    return build(conn, kept)

            with captured(store) as sql:
                engine()
            t_eng, cpu, rep = median_time(engine)
            t_floor, _, _ = median_time(raw_runner(url, sql))
            # the bare SQL of the same figure reads every case (and event) of the year: one timed run after the warm-up
            t_bare, _, bare_rep = median_time(lambda engine=engine: engine(kept=False), 1)  # type: ignore[misc]
            if (rep.main.rows, rep.main.total) != (bare_rep.main.rows, bare_rep.main.total):
                wrong += 1  # a report from the kept counts that is not the bare report
            what = f"{rep.main.total['offers']:,} offers" if rep.main.total else f"{rep.extra['offers']:,} offers"
            results.add(Figure(scaled(f"{name} at the root, kept counts ({what}), {label}"), t_eng * 1000, "ms",
                               target=TARGET_MS, higher_is_better=False, floor=t_floor * 1000,
                               note=f"floor: the engine's {len(sql)} statement(s), bare; the bare SQL of the same "
                                    f"figure: {t_bare * 1000:,.0f} ms; {note(cpu)}"))

        def eng_coverage(kept: bool = True) -> Any:
            with store.read() as conn:
                return coverage(conn, as_of=day, org="320500", kept=kept)

        with captured(store) as sql:
            eng_coverage()
        t_eng, cpu, rep = median_time(eng_coverage)
        t_floor, _, _ = median_time(raw_runner(url, sql))
        t_bare, _, _ = median_time(lambda: eng_coverage(kept=False), 1)
        results.add(Figure(scaled(f"report coverage at the root, kept counts ({rep.main.total['enterprises']:,} "
                                  f"enterprises), {label}"), t_eng * 1000, "ms", target=TARGET_MS, higher_is_better=False,
                           floor=t_floor * 1000, note=f"floor: the engine's {len(sql)} statement(s), bare; the bare SQL "
                                                      f"of the same figure: {t_bare * 1000:,.0f} ms; {note(cpu)}"))
        from engine.reports.coverage import kept_differences

        with store.read() as conn:
            for on, by, compare in ((day, "org", 2025), (day, "size", None), (date(2026, 6, 30), "org", None),
                                    (date(2027, 3, 31), "size", None)):
                k = coverage(conn, as_of=on, org="320500", by=by, compare=compare)
                b = coverage(conn, as_of=on, org="320500", by=by, compare=compare, kept=False)
                if (k.main.rows, k.main.total, k.compare) != (b.main.rows, b.main.total, b.compare):
                    wrong += 1
            wrong += len(kept_differences(conn, [day, date(2026, 6, 30), date(2027, 3, 31)]))

        def district() -> Any:
            with store.read() as conn:
                return campaign(conn, year=2026, org="320501")

        with captured(store) as sql:
            district()
        t_eng, cpu, rep = median_time(district)
        t_floor, _, _ = median_time(raw_runner(url, sql))
        results.add(Figure(scaled(f"subtree report campaign, kept counts ({rep.main.total['offers']:,} offers), {label}"),
                           t_eng * 1000, "ms", floor=t_floor * 1000, higher_is_better=False, note=note(cpu)))
        town = "/320500/320501/320501002/"

        def recount() -> int:  # what a write's commit adds: its organisation's recount (rolled back here)
            with store.unit_of_work() as uow:
                return rollups.refresh(uow.conn, [town], [2026])

        t_eng, cpu, rows = median_time(recount)

        def recount_coverage() -> int:  # and the coverage counts of its enterprises, every day (rolled back here)
            with store.unit_of_work() as uow:
                return rollups.refresh_coverage(uow.conn, [town])

        t_cov, cpu_cov, cov_rows = median_time(recount_coverage)
        with store.read() as conn:
            import sqlalchemy as sa

            from engine.store.tables import case_t
            cases = conn.execute(sa.select(sa.func.count()).where(case_t.c.ent_path == town,
                                                                   case_t.c.offer_year == 2026)).scalar_one()
        results.add(Figure(scaled(f"recount of one town's year after a write ({cases:,} cases, {rows} rows), {label}"),
                           t_eng * 1000, "ms", higher_is_better=False, note=note(cpu)))
        results.add(Figure(scaled(f"recount of one town's coverage counts after a write ({cov_rows} rows), {label}"),
                           t_cov * 1000, "ms", higher_is_better=False, note=note(cpu_cov)))
        results.add(Figure(scaled(f"kept counts equal the bare SQL, {label}: {'yes' if wrong == 0 else 'NO'}"), wrong,
                           "differences", target=0, higher_is_better=False))
    finally:
        store.dispose()


def _head() -> str:
    """The schema head, and a checksum of the generated tables and of what the kept rows are (engine/store/rollups.py)."""
    import zlib

    from engine.store.database import shipped_heads

    kept = (ROOT / "engine" / "store" / "tables.py").read_bytes() + (ROOT / "engine" / "store" / "rollups.py").read_bytes()
    return "+".join(sorted(shipped_heads())) + f"-{zlib.crc32(kept):08x}"


def run(results: Results, argv: list[str]) -> None:
    """Build (or reuse) the SQLite city and fill PostgreSQL, build the kept counts, then measure both."""
    from engine.store.database import Store

    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"reports-{N}-{_head()}.db"
    if not cached.exists():
        url = tmp_sqlite("reports.db")
        path = url[len("sqlite:///"):]
        Store(url).dispose()  # the real schema and indexes
        start = time.perf_counter()
        build_sqlite(path)
        built = time.perf_counter() - start
        store = Store(url)
        took = rebuild_rollup(store)
        store.dispose()
        print(f"built {N:,} enterprises and cases with their events in {built:.1f} s "
              f"({Path(path).stat().st_size / 1e6:,.0f} MB), cached as {cached.name}", flush=True)
        results.add(Figure(scaled("rollup rebuild (revision 0011's recount), SQLite"), took, "s", higher_is_better=False,
                           note=f"load {os.getloadavg()[0]:.1f}"))
        shutil.move(path, cached)
        Path(path).parent.rmdir()
    measure(results, "SQLite", f"sqlite:///{cached}")
    with pg_url() as pg:
        if pg is None:
            print("PostgreSQL: no server (scripts/pg-throwaway could not start one): its figures are not measured")
            return
        Store(pg).dispose()
        start = time.perf_counter()
        build_pg(pg)
        print(f"PostgreSQL filled in {time.perf_counter() - start:.1f} s", flush=True)
        store = Store(pg)
        took = rebuild_rollup(store)
        store.dispose()
        results.add(Figure(scaled("rollup rebuild (revision 0011's recount), PostgreSQL"), took, "s",
                           higher_is_better=False, note=f"load {os.getloadavg()[0]:.1f}"))
        measure(results, "PostgreSQL", pg)
