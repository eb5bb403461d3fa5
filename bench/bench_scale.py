"""The national-scale benchmark: N enterprises across a national tree, on SQLite and on PostgreSQL.

The data (BENCH_SCALE scales N; targets are for scale 1, N = DEFAULT_N):
  tree        中华全国总工会 (000000) → 31 provinces → 10 cities each → 8 districts each (2,480 districts, about
              China's count of county-level divisions) → 4 towns each (9,920 towns); Zhejiang (33) and Shanghai
              (31) carry their own jurisdiction profiles. Imported with `bargain org import`.
  enterprises N rows of a UTF-8 CSV with Chinese headers, valid 统一社会信用代码 (engine.credit.make_credit_code,
              the district as region), 5% attached to their district directly, a tenth without a union, sizes
              log-normal. Imported with `bargain enterprise import` (timed).
  history     two earlier campaign years per enterprise, written straight into the case table (COPY on
              PostgreSQL, executemany on SQLite; not timed, printed): 2024 contracts that ran out or offers
              refused; 2025 contracts, 12% still in force through 2026 (their facts and projection columns made
              by the engine: bench_deadlines.projected), 1% with a reply to a February 2026 offer still awaited
              (they lapse at the tick). The history rows carry facts but no events.
  timeline    one enterprise's case driven through the engine from 2016: the whole happy path, then a
              counselor's entry every month for ten years (about 130 events).

Figures, each on SQLite and on PostgreSQL (a throw-away cluster started here, or BARGAIN_BENCH_PG):
  import      `bargain enterprise import` in a child process: rows/s by the command's own seconds; peak memory
              (VmHWM). Floor: the CSV read with csv and written with COPY (PostgreSQL) / executemany (SQLite)
              into a fresh table of the same schema and indexes. Target ≥ 20,000 rows/s.
  launch      `bargain campaign launch --year 2026 --at 2026-03-02`: cases/s. Floor: the very case and event
              rows it wrote, written again with COPY / executemany into fresh tables. Target ≥ 10,000 cases/s.
  tick        `bargain tick --as-of 2026-03-10` over every open case (the 1% awaiting a February reply move):
              wall seconds of the child. Floor: the candidate query as bare SQL. Target ≤ 60 s at N = 1,000,000.
  reports     engine.reports campaign / coverage / funnel at the root, grouped by province (median of RUNS,
              in process), plus the CLI's peak memory. Floor: the very SQL statements the engine ran (captured
              from SQLAlchemy), executed through the bare DB-API connection. Target ≤ 1 s each.
  deadlines   engine.store.agenda.scan of one district as of 2026-03-10 (what `bargain deadlines --org` lists).
              Floor: its SQL, bare. Target ≤ 200 ms.
  timeline    engine.usecases.caseview.timeline_in of the ten-year case (what `bargain case timeline` prints).
              Floor: the bare SQL selecting its events. Target ≤ 100 ms.
  start-up    `bargain --help` and `bargain case show ID` as real processes, median of 7. Floor: `python -c
              pass`. Target ≤ 300 ms.
  memory      the peak resident memory of every CLI child above. Target ≤ 500 MB.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import ROOT, Figure, Results, captured, pg_url, python_child

DEFAULT_N = 1_000_000
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(2_000, int(DEFAULT_N * SCALE))
RUNS = 5
MEMORY_MB = 500
ROOT_ORG = "000000"
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
             "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
PROFILES = {"31": "shanghai", "33": "zhejiang", "41": "henan", "50": "chongqing"}
CITIES, DISTRICTS, TOWNS = 10, 8, 4
HEADER = ["统一社会信用代码", "企业名称", "所属工会", "行业", "职工人数", "是否建会"]
TRADES = [("精密机械", "制造业"), ("电子科技", "制造业"), ("建设工程", "建筑业"), ("物流", "交通运输业"),
          ("餐饮管理", "住宿和餐饮业"), ("商贸", "批发和零售业")]
LAUNCH_AT, TICK_DAY, COVERAGE_DAY = "2026-03-02", date(2026, 3, 10), date(2026, 3, 31)
CASE_COLS = ("enterprise_id", "workflow", "workflow_version", "state", "jurisdiction", "version", "facts", "opened_at",
             "last_at", "offer_year", "offered_on", "offer_level", "offer_received_on", "response", "responded_on",
             "reply_due", "signed_on", "filed_on", "effective_on", "term_start", "term_end", "closed_on", "next_due",
             "lapse_due", "ent_path", "ent_employees", "ent_has_union")


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


# ---------------------------------------------------------------- the tree and the enterprises

def tree() -> list[tuple[str, str, str, str, str]]:
    """(code, name, kind, parent, jurisdiction) of every organisation, parents first."""
    orgs = [(ROOT_ORG, "中华全国总工会", "national", "", "national")]
    for p in PROVINCES:
        prov = f"{p}0000"
        orgs.append((prov, f"{p}省总工会", "province", ROOT_ORG, PROFILES.get(p, "")))
        for c in range(1, CITIES + 1):
            city = f"{p}{c:02d}00"
            orgs.append((city, f"{p}省{c}市总工会", "city", prov, ""))
            for d in range(1, DISTRICTS + 1):
                district = f"{p}{c:02d}{d:02d}"
                orgs.append((district, f"{district}区总工会", "district", city, ""))
                orgs += [(f"{district}{t:03d}", f"{district}第{t}街道总工会", "town", district, "") for t in range(1, TOWNS + 1)]
    return orgs


def places() -> list[str]:
    """The organisations enterprises belong to: every town, and (for 1 in 20) a district directly."""
    return [code for code, _, kind, _, _ in tree() if kind == "town"]


def enterprise_rows() -> Iterator[list[Any]]:
    """The enterprises, as a spreadsheet would list them."""
    from engine.credit import make_credit_code

    rng = random.Random(2026)
    towns = places()
    for i in range(N):
        town = towns[(i * 7919) % len(towns)]
        org = town[:6] if i % 20 == 7 else town
        trade, industry = TRADES[i % len(TRADES)]
        employees = int(min(20_000, max(3, rng.lognormvariate(3.6, 1.2))))
        yield [make_credit_code(town[:6], 1 + i), f"{org}第{i}号{trade}有限公司", org, industry, employees,
               "否" if i % 10 == 3 else "是"]


def write_inputs(folder: Path) -> tuple[Path, Path]:
    """orgs.csv and enterprises.csv (UTF-8 with a BOM, Chinese headers)."""
    orgs = folder / "orgs.csv"
    with orgs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "kind", "parent_code", "jurisdiction"])
        w.writerows(tree())
    ents = folder / "enterprises.csv"
    with ents.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(enterprise_rows())
    return orgs, ents


# ---------------------------------------------------------------- databases, raw

class Db:
    """One database under test: its URL, a raw DB-API connection maker and its bulk writer."""

    def __init__(self, label: str, url: str, folder: Path) -> None:
        self.label, self.url, self.folder = label, url, folder
        self.pg = url.startswith("postgresql")

    def raw(self) -> Any:
        """A bare DB-API connection (sqlite3 or psycopg)."""
        if self.pg:
            import psycopg

            return psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
        conn = sqlite3.connect(self.url[len("sqlite:///"):])
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def bulk(self, conn: Any, table: str, cols: Sequence[str], rows: Iterator[Sequence[Any]]) -> int:
        """Write rows the cheapest way: COPY on PostgreSQL, executemany on SQLite; how many."""
        names = ", ".join(f'"{c}"' for c in cols)
        n = 0
        if self.pg:
            with conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
                    n += 1
            return n

        def counted() -> Iterator[Sequence[Any]]:
            nonlocal n
            for r in rows:
                n += 1
                yield r
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})", counted())
        return n

    @contextmanager
    def scratch(self, *tables: str) -> Iterator[tuple[Any, dict[str, str]]]:
        """A raw connection and, per table, a fresh empty table of the same schema and indexes (the floor's target)."""
        if self.pg:
            conn = self.raw()
            names = {}
            for t in tables:
                conn.execute(f"CREATE TEMP TABLE floor_{t} (LIKE {t} INCLUDING ALL)")
                names[t] = f"floor_{t}"
            conn.commit()
            try:
                yield conn, names
            finally:
                conn.close()
            return
        from engine.store.database import Store

        path = Path(tempfile.mkdtemp(prefix="floor-", dir=self.folder)) / "floor.db"
        Store(f"sqlite:///{path}").dispose()  # the engine's own schema and indexes
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        try:
            yield conn, {t: t for t in tables}
        finally:
            conn.close()
            shutil.rmtree(path.parent, ignore_errors=True)


def bargain(db: Db, *args: str) -> tuple[float, float, Any]:
    """The real CLI in a child interpreter: wall seconds, its own peak MB, its JSON output."""
    argv = ["bargain", "--db", db.url, *args, "--format", "json"]
    code = f"import sys\nsys.argv = {argv!r}\nfrom cli import main\nmain()\n"
    wall, peak, out = python_child(code)
    return wall, peak, json.loads(out)


def median(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """Median wall seconds of `runs` calls after one warm-up, and the last result."""
    out = fn()
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), out


def bare(db: Db, statements: Sequence[tuple[str, Any]]) -> Callable[[], int]:
    """A function running the given statements through a bare DB-API connection, fetching every row."""
    conn = db.raw()

    def go() -> int:
        n = 0
        cur = conn.cursor()
        for sql, params in statements:
            cur.execute(sql, params)
            n += len(cur.fetchall())
        if db.pg:
            conn.rollback()
        return n
    return go


# ---------------------------------------------------------------- history

def history_rows(db: Db) -> Iterator[tuple[Any, ...]]:
    """Two earlier campaign years per enterprise (see the module docstring), in CASE_COLS order."""
    from bench.bench_deadlines import projected

    conn = db.raw()
    try:
        ents = conn.execute("SELECT e.id, e.org_path, e.employees, e.has_union, o.jurisdiction FROM enterprise e "
                            "JOIN org o ON o.code = e.org_code ORDER BY e.id").fetchall()
    finally:
        conn.close()
    juris_of = {}
    for code, _, _, _, juris in tree():
        juris_of[code] = juris or "national"
    facts = json.dumps({"last": {"send_offer": {"at": "2024-03-04T09:00:00+08:00", "seq": 2, "level": "upper",
                                                 "received_on": "2024-03-05"}},
                        "count": {"send_offer": 1}}, ensure_ascii=False)

    def ended(year: int, k: int) -> tuple[Any, ...]:
        offered = date(year, 3, 1) + timedelta(days=k % 20)
        received = offered + timedelta(days=1)
        if k % 5 == 4:  # refused, closed
            return ("closed", 4, facts, f"{offered} 01:00:00", f"{offered + timedelta(days=9)} 01:00:00", year, offered,
                    "upper", received, "refused", received + timedelta(days=8), received + timedelta(days=20), None,
                    None, None, None, None, received + timedelta(days=30), None, None)
        signed = offered + timedelta(days=50 + k % 30)
        start = date(year, 5, 1)
        return ("expired", 13, facts, f"{offered} 01:00:00", f"{date(year + 1, 5, 1)} 01:00:00", year, offered,
                "upper" if k % 3 else "enterprise", received, "accepted", received + timedelta(days=5),
                received + timedelta(days=20), signed, signed + timedelta(days=5), signed + timedelta(days=20), start,
                date(year + 1, 4, 30), None, None, None)

    for i, (eid, path, employees, has_union, juris) in enumerate(ents):
        jurisdiction = juris or "national"
        tail = (path, employees, bool(has_union))
        yield (eid, "enterprise_wage", 1, *ended(2024, i)[:1], jurisdiction, *ended(2024, i)[1:], *tail)
        k = (i * 7919) % 100
        if k < 12 or k == 99:
            state, d = ("effective", date(2026, 4, 1) + timedelta(days=i % 330)) if k < 12 else \
                ("offer_sent", date(2026, 2, 9) + timedelta(days=i % 5))
            text, version, last_at, p = projected(state, jurisdiction, d)
            yield (eid, "enterprise_wage", 1, state, jurisdiction, version, text, "2025-03-01 01:00:00.000000", last_at,
                   p["offer_year"], p["offered_on"], p["offer_level"], p["offer_received_on"], p.get("response"),
                   p.get("responded_on"), p["reply_due"], p["signed_on"], p["filed_on"], p["effective_on"],
                   p["term_start"], p["term_end"], p.get("closed_on"), p["next_due"], p["lapse_due"], *tail)
        else:
            row = ended(2025, i)
            yield (eid, "enterprise_wage", 1, row[0], jurisdiction, *row[1:], *tail)


def build_history(db: Db) -> int:
    """Write the history rows; how many."""
    conn = db.raw()
    try:
        n = db.bulk(conn, "bcase", CASE_COLS, history_rows(db))
        conn.commit()
        if db.pg:  # what autovacuum does after a bulk load, done now so the run does not hang on its timing
            conn.execute("ANALYZE")
            conn.commit()
    finally:
        conn.close()
    from engine.store import rollups
    from engine.store.database import Store

    store = Store(db.url)  # rows written bare, as an upgrade finds them: the kept report counts built (revision 0011)
    with store.unit_of_work() as uow:
        rollups.rebuild(uow.conn)
        uow.commit()
    store.dispose()
    return n


# ---------------------------------------------------------------- the ten-year case

def ten_year_case(db: Db) -> int:
    """One enterprise's case driven from 2016 through the happy path, then monthly counselor entries to 2026."""
    import sqlalchemy as sa

    from engine.store import directory
    from engine.store.database import Store
    from engine.store.tables import enterprise_t
    from engine.times import parse_at
    from engine.usecases import acts
    from tests.helpers.happy import HAPPY

    store = Store(db.url)
    try:
        with store.engine.begin() as conn:
            ent = conn.execute(sa.select(enterprise_t.c.credit_code, enterprise_t.c.org_code)
                               .order_by(enterprise_t.c.id).limit(1)).one()
            counselor = directory.add_counselor(conn, {"name": "王指导", "gender": "女", "kind": "part_time",
                                                       "org_code": ent.org_code, "phone": "13800000000"})
        rec = datetime.now(UTC)
        at = parse_at("2016-03-01")
        case = acts.open_case(store, ent.credit_code, at=at, recorded_at=rec, actor="bench")
        for trigger, data in HAPPY:
            at += timedelta(days=9)
            if trigger == "sign":
                data = {"term_start": "2016-07-01", "term_end": "2019-06-30"}
            case = acts.advance(store, case.case_id, trigger, data, at=at, recorded_at=rec, actor="bench").case
        activities = ["contact_management", "guide_topics", "attend_round", "strategy", "difficulty", "solution",
                      "train_reps", "outcome"]
        for m in range(120):
            day = parse_at(f"{2016 + (m + 5) // 12}-{(m + 5) % 12 + 1:02d}-15")
            acts.log(store, case.case_id, counselor, activities[m % len(activities)], at=day, recorded_at=rec,
                        actor="bench", note=f"第{m + 1}次走访，了解工资支付和协议履行情况", hours=2.0)
        return case.case_id
    finally:
        store.dispose()


# ---------------------------------------------------------------- figures

def figure_memory(results: Results, db: Db, what: str, peak: float) -> None:
    results.add(Figure(scaled(f"{what}, {db.label}: peak memory of the CLI process"), peak, "MB", target=MEMORY_MB,
                       higher_is_better=False))


def floor_import(db: Db, ents: Path) -> float:
    """Rows/s of the CSV read with csv and written with COPY / executemany into a fresh enterprise table."""
    conn0 = db.raw()
    paths = dict(conn0.execute("SELECT code, path FROM org").fetchall())
    conn0.close()
    with db.scratch("enterprise") as (conn, names):
        start = time.perf_counter()
        with ents.open(encoding="utf-8-sig", newline="") as f:
            it = csv.reader(f)
            next(it)
            n = db.bulk(conn, names["enterprise"], ("credit_code", "name", "org_code", "org_path", "industry", "employees",
                                                    "has_union"),
                        ((r[0], r[1], r[2], paths[r[2]], r[3], int(r[4]), r[5] == "是") for r in it))
        conn.commit()
        return n / (time.perf_counter() - start)


def floor_launch(db: Db, first_id: int) -> float:
    """Cases/s of writing the launch's own case and event rows again with COPY / executemany into fresh tables."""
    src = db.raw()
    case_cols = [d[0] for d in src.execute("SELECT * FROM bcase WHERE 1 = 0").description if d[0] != "id"]
    event_cols = [d[0] for d in src.execute("SELECT * FROM event WHERE 1 = 0").description if d[0] != "id"]
    dump = db.folder / "launch.dump"
    cases = f"SELECT {', '.join(case_cols)} FROM bcase WHERE id >= {first_id} AND offer_year = 2026 ORDER BY id"
    events = (f"SELECT {', '.join(chr(34) + c + chr(34) for c in event_cols)} FROM event "
              f"WHERE case_id IN (SELECT id FROM bcase WHERE id >= {first_id} AND offer_year = 2026) ORDER BY id")
    if db.pg:  # dumped to files first (not timed), so the floor is the COPY in alone
        files = []
        for name, sql in (("bcase", cases), ("event", events)):
            path = dump.with_suffix(f".{name}")
            with src.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT") as copy, path.open("wb") as out:
                for block in copy:
                    out.write(block)
            files.append(path)
        src.close()
        with db.scratch("bcase", "event") as (conn, names):
            start = time.perf_counter()
            n = 0
            for (table, cols), path in zip((("bcase", case_cols), ("event", event_cols)), files):
                with conn.cursor() as cur, cur.copy(f"COPY {names[table]} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                                                    "FROM STDIN") as copy, path.open("rb") as f:
                    while block := f.read(1 << 20):
                        copy.write(block)
                n += 1
            conn.commit()
            seconds = time.perf_counter() - start
            opened = int(conn.execute(f"SELECT count(*) FROM {names['bcase']}").fetchone()[0])
        for path in files:
            path.unlink()
        return opened / seconds
    with db.scratch("bcase", "event") as (conn, names):
        conn.execute("PRAGMA foreign_keys=OFF")  # the fresh file has no enterprises; the engine's writes check them
        start = time.perf_counter()
        opened = db.bulk(conn, "bcase", case_cols, src.execute(cases))
        db.bulk(conn, "event", event_cols, src.execute(events))
        conn.commit()
        seconds = time.perf_counter() - start
    src.close()
    return opened / seconds


def one_database(results: Results, db: Db, orgs: Path, ents: Path) -> None:
    """Every figure on one database."""
    from engine.reports.campaign import campaign
    from engine.reports.coverage import coverage
    from engine.reports.funnel import funnel
    from engine.store import agenda
    from engine.store.database import Store

    Store(db.url).dispose()
    _, _, out = bargain(db, "org", "import", str(orgs))
    assert out["rejected"] == 0, out

    floor = floor_import(db, ents)
    _, peak, out = bargain(db, "enterprise", "import", str(ents))
    assert out["inserted"] == N and out["rejected"] == 0, {k: v for k, v in out.items() if k != "errors"}
    results.add(Figure(scaled(f"import: {N:,} enterprises from a CSV, {db.label}"), N / out["seconds"], "rows/s",
                       target=20_000, floor=floor, note=f"{out['seconds']:.1f} s; by CPU time "
                       f"{N / max(out['cpu_seconds'], 1e-9):,.0f} rows/s; floor {'COPY' if db.pg else 'executemany'}"))
    figure_memory(results, db, "import", peak)

    start = time.perf_counter()
    timeline_id = ten_year_case(db)
    built = build_history(db)
    print(f"{db.label}: history of {built:,} cases and a ten-year case written in {time.perf_counter() - start:.1f} s",
          flush=True)

    conn = db.raw()
    first_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM bcase").fetchone()[0])
    conn.close()
    _, peak, out = bargain(db, "campaign", "launch", "--year", "2026", "--at", LAUNCH_AT)
    opened = int(out["opened"])
    assert opened > N // 2, out
    results.add(Figure(scaled(f"campaign launch: {opened:,} cases opened over {N:,} enterprises, {db.label}"),
                       opened / out["seconds"], "cases/s", target=10_000, floor=floor_launch(db, first_id),
                       note=f"{out['seconds']:.1f} s; by CPU time {opened / max(out['cpu_seconds'], 1e-9):,.0f} cases/s"))
    figure_memory(results, db, "campaign launch", peak)

    conn = db.raw()
    open_cases_in = int(conn.execute("SELECT count(*) FROM bcase WHERE state NOT IN ('effective', 'expired', 'closed')")
                     .fetchone()[0])
    start = time.perf_counter()
    conn.execute("SELECT id FROM bcase WHERE lapse_due < ?" if not db.pg else "SELECT id FROM bcase WHERE lapse_due < %s",
                 (TICK_DAY,)).fetchall()
    tick_floor = time.perf_counter() - start
    conn.close()
    wall, peak, out = bargain(db, "tick", "--as-of", TICK_DAY.isoformat())
    moved = len({a["case_id"] for a in out["applied"]}) if isinstance(out.get("applied"), list) else out.get("cases")
    assert moved, "the tick should move the cases awaiting a February reply"
    results.add(Figure(scaled(f"tick over {open_cases_in:,} open cases ({moved:,} moved), {db.label}"), wall, "s",
                       target=60, higher_is_better=False, floor=tick_floor,
                       note="wall time of the CLI process, start-up included; floor: the candidate query"))
    figure_memory(results, db, "tick", peak)

    if db.pg:  # what autovacuum does after the launch's million rows: statistics and the visibility map
        conn = db.raw()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        conn.close()
    store = Store(db.url)
    try:
        reports: list[tuple[str, Callable[[Any], Any], list[str]]] = [
            ("report campaign", lambda conn: campaign(conn, year=2026, org=ROOT_ORG),
             ["report", "campaign", "--year", "2026", "--org", ROOT_ORG, "--by", "org"]),
            ("report coverage", lambda conn: coverage(conn, as_of=COVERAGE_DAY, org=ROOT_ORG),
             ["report", "coverage", "--as-of", COVERAGE_DAY.isoformat(), "--org", ROOT_ORG, "--by", "org"]),
            ("report funnel", lambda conn: funnel(conn, year=2026, org=ROOT_ORG),
             ["report", "funnel", "--year", "2026", "--org", ROOT_ORG]),
        ]
        for name, fn, args in reports:
            def engine_run(fn: Callable[[Any], Any] = fn) -> Any:
                with store.read() as conn:
                    return fn(conn)
            with captured(store) as sql:
                report = engine_run()
            groups = f"{len(report.main.rows)} {'states' if name.endswith('funnel') else 'provinces'}"
            t_engine, _ = median(engine_run)
            t_floor, _ = median(bare(db, sql))
            results.add(Figure(scaled(f"{name} at the root, {groups}, {db.label}"), t_engine * 1000, "ms",
                               target=1000, higher_is_better=False, floor=t_floor * 1000,
                               note=f"floor: the engine's {len(sql)} statement(s), bare"))
            _, peak, _ = bargain(db, *args)
            figure_memory(results, db, name, peak)

        district = f"{PROVINCES[9]}0103"

        def scan() -> int:
            with store.read() as conn:
                return sum(len(r.deadlines) for r in agenda.scan(conn, TICK_DAY, org=district))
        with captured(store) as sql:
            listed = scan()
        t_engine, _ = median(scan)
        t_floor, _ = median(bare(db, sql))
        results.add(Figure(scaled(f"deadlines --org {district} ({listed:,} pending), {db.label}"), t_engine * 1000, "ms",
                           target=200, higher_is_better=False, floor=t_floor * 1000))
        _, peak, _ = bargain(db, "deadlines", "--org", district, "--as-of", TICK_DAY.isoformat())
        figure_memory(results, db, "deadlines --org", peak)

        from engine.usecases.caseview import timeline_in

        def timeline() -> int:
            with store.read() as conn:
                return len(timeline_in(conn, timeline_id, TICK_DAY)["entries"])
        entries = timeline()
        t_engine, _ = median(timeline)
        param = "%s" if db.pg else "?"
        t_floor, _ = median(bare(db, [(f"SELECT * FROM event WHERE case_id = {param} ORDER BY seq", (timeline_id,))]))
        results.add(Figure(scaled(f"case timeline, ten years ({entries} entries), {db.label}"), t_engine * 1000, "ms",
                           target=100, higher_is_better=False, floor=t_floor * 1000, note="floor: its events, bare SQL"))
    finally:
        store.dispose()
    startup(results, db, timeline_id)


def process_ms(cmd: list[str], runs: int = 7) -> float:
    """Median wall milliseconds of a real process."""
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        assert proc.returncode == 0, proc.stderr[-500:]
    return statistics.median(walls) * 1000


def startup(results: Results, db: Db, case_id: int) -> None:
    """`bargain --help` and `bargain case show` against `python -c pass`."""
    script = str(Path(sys.executable).parent / "bargain")
    floor = process_ms([sys.executable, "-c", "pass"])
    if db.pg is False:
        results.add(Figure("start-up: bargain --help", process_ms([script, "--help"]), "ms", target=300,
                           higher_is_better=False, floor=floor, note="floor: python -c pass"))
    results.add(Figure(scaled(f"start-up: bargain case show, {db.label}"),
                       process_ms([script, "--db", db.url, "case", "show", str(case_id)]), "ms", target=300,
                       higher_is_better=False, floor=floor, note="floor: python -c pass"))


def run(results: Results, argv: list[str]) -> None:
    """Generate the inputs once, then measure on SQLite and on PostgreSQL."""
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-scale-"))
    try:
        start = time.perf_counter()
        orgs, ents = write_inputs(folder)
        print(f"wrote {len(tree()):,} organisations and {N:,} enterprises in {time.perf_counter() - start:.1f} s "
              f"({ents.stat().st_size / 1e6:,.0f} MB CSV)", flush=True)
        one_database(results, Db("SQLite", f"sqlite:///{folder / 'scale.db'}", folder), orgs, ents)
        with pg_url() as url:
            if url is None:
                print("PostgreSQL: no server binaries, PostgreSQL figures skipped", flush=True)
                return
            one_database(results, Db("PostgreSQL", url, folder), orgs, ents)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"scale bench: {(time.perf_counter() - began) / 60:.1f} min in all", flush=True)


if __name__ == "__main__":  # python -m bench.bench_scale
    res = Results()
    run(res, sys.argv[1:])
    print(math.fsum(1 for f in res.figures if f.ok is False), "missed")
