"""The engine benchmark: cases driven through the whole happy path, memory with many cases loaded, CLI start-up.

Figures (BENCH_SCALE scales the case counts; the targets are for scale 1):
  engine throughput   20,000 cases x 11 transitions through acts.open_cases_in / acts.fire / acts.then /
                      repository.save on a SQLite file (the city of setup_city: towns of TOWN enterprises),
                      committed every BATCH cases with engine.begin() (the figure issue 18 sets 3,000 cases/s
                      for); its commit recounts the kept report counts the batch touched, as every commit does
                      (engine/store/rollups._flush_on_commit); the file is reopened and counted afterwards. A
                      second figure drives the same cases into a file of its own, committing through
                      UnitOfWork.commit as every command does, so a reader sees both.
                      Floor: plain sqlite3 executemany of the very rows the engine wrote (read back from its
                      file after each batch) into a fresh file with the same schema and pragmas, batch by batch
                      between the engine's, so both see the same machine load.
  memory              a child process loads 100,000 happy-path cases with repository.load_cases and compiles the
                      machine; its peak RSS. Floor: a child fetching the same columns with plain sqlite3.
  CLI                 `bargain --help` and one `bargain case advance` as real processes (median of RUNS);
                      floor: `python -c pass`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure, Results, python_child

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N_DRIVEN = max(200, int(20_000 * SCALE))
N_LOADED = max(N_DRIVEN, int(100_000 * SCALE))
BATCH = 2_000  # cases per unit of work
RUNS = 7  # real processes per CLI figure
WORKFLOW = "enterprise_wage@1"
YEAR = 2026
TRANSITIONS = 11
EVENTS_PER_CASE = TRANSITIONS + 1  # the 'opened' event, then one per transition
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
TOPICS = ["职工年度平均工资水平及其调整幅度", "工资分配制度、工资标准和工资分配形式", "奖金、津贴、补贴等分配办法",
          "工资支付办法", "加班工资计算基数", "高温津贴标准"]


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


# -- the happy path -----------------------------------------------------------------------------


def happy_path(i: int, has_union: bool, rng: random.Random, start: date) -> list[tuple[str, dict[str, Any], date]]:
    """Trigger, data and day of each of the 11 transitions from `targeted` to `effective`, varied per case."""
    n = rng.choice((3, 3, 5, 7))
    names = rng.sample([f"{s}{i}-{k}" for s in SURNAMES for k in range(3)], 2 * n + 1)
    workers = [{"name": names[k], "chief": k == 0, "external": False} for k in range(n)]
    employer = [{"name": names[n + k], "chief": k == 0, "external": k == n - 1 and n > 3} for k in range(n)]
    total = rng.randint(30, 300)
    present = min(total, -(-2 * total // 3) + rng.randint(0, total // 4))
    votes = min(present, total // 2 + 1 + rng.randint(0, total // 5))
    day = start
    steps: list[tuple[str, dict[str, Any]]] = [
        ("send_offer", {"level": "enterprise" if has_union and i % 3 else "upper"}),  # no union: only the upper level
        ("accept", {}),
        ("set_topics", {"topics": "，".join(rng.sample(TOPICS, rng.randint(2, 4))), "opinions": str(rng.randint(20, 400))}),
        ("elect_reps", {"worker_reps": workers, "employer_reps": employer, "recorder": names[-1] + "（记录员）"}),
        ("hold_round", {"outcome": "就工资增幅达成一致", "chair": "worker"}),
        ("agree_draft", {}),
        ("approve", {"body": "congress", "total": total, "present": present, "votes_for": votes}),
        ("sign", {}),  # the term is filled in below, from the signing day
        ("file", {"authority": "人力资源和社会保障局"}),
        ("pass_review", {}),
        ("publish", {"method": "厂务公开栏"}),
    ]
    out = []
    for trigger, data in steps:
        day += timedelta(days=rng.randint(1, 6))
        if trigger == "sign":
            term_start = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            data = {"term_start": term_start.isoformat(),
                    "term_end": date(term_start.year + rng.randint(1, 3), term_start.month, 1) - timedelta(days=1)}
        out.append((trigger, data, day))
    return out


# -- set-up (not timed) -------------------------------------------------------------------------


TOWN = 1_000  # enterprises a town holds
TOWNS_A_DISTRICT = 5


def town_codes(n: int) -> list[tuple[str, str]]:
    """(district code, town code) of the n // TOWN towns (at least one) a city of n enterprises has."""
    towns = max(1, n // TOWN)
    return [(f"3205{k // TOWNS_A_DISTRICT + 1:02d}", f"3205{k // TOWNS_A_DISTRICT + 1:02d}{k % TOWNS_A_DISTRICT + 1:03d}")
            for k in range(towns)]


def setup_city(url: str, n: int) -> None:
    """A city federation, its districts of TOWNS_A_DISTRICT towns and n enterprises, TOWN a town (in id order,
    town by town, as a town's register is imported), a fifth without a union; through the directory API."""
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store

    towns = town_codes(n)
    store = Store(url)
    with store.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        for district in dict.fromkeys(d for d, _ in towns):
            directory.upsert_org(conn, district, f"苏州测试{district}区总工会", "district", "320500")
        for district, town in towns:
            directory.upsert_org(conn, town, f"苏州测试{town}镇总工会", "town", district)
        directory.upsert_enterprises(conn, [
            {"credit_code": make_credit_code("320500", 100_000 + i), "name": f"苏州测试{i}号有限公司",
             "org_code": towns[min(i // TOWN, len(towns) - 1)][1], "industry": "制造业", "employees": 50 + i % 400,
             "has_union": i % 5 != 0}
            for i in range(n)
        ])
    store.dispose()


def enterprises(url: str) -> list[dict[str, Any]]:
    """Every enterprise of the city as open_cases_in targets."""
    import sqlalchemy as sa

    from engine.store.database import Store
    from engine.store.tables import enterprise_t

    store = Store(url)
    with store.read() as conn:
        rows = conn.execute(sa.select(enterprise_t.c.id, enterprise_t.c.credit_code, enterprise_t.c.has_union)
                            .order_by(enterprise_t.c.id)).all()
    store.dispose()
    return [{"id": r.id, "credit_code": r.credit_code, "has_union": r.has_union, "jurisdiction": "national"} for r in rows]


# -- the drive ----------------------------------------------------------------------------------


def drive(url: str, targets: list[dict[str, Any]], seed: int,
          after_batch: Callable[[list[int]], None] | None = None, cpu: list[float] | None = None,
          unit_of_work: bool = False) -> float:
    """Open a case for each target and walk it to `effective` through the engine API; wall seconds of the
    engine's work (its CPU seconds added to `cpu[0]`). `after_batch` gets each committed batch's case ids (its
    time is not counted). Each batch commits on a plain transaction (`store.engine.begin()`: the engine figure
    as issue 18 defines it) or, with `unit_of_work`, through `UnitOfWork.commit` as every command does; either
    commit recounts the kept report counts the batch touched (engine/store/rollups.flush)."""
    from engine import collector
    from engine.store.database import Store
    from engine.store.repository import save
    from engine.times import at_date
    from engine.usecases import acts

    rng = random.Random(seed)
    store = Store(url)
    recorded_at = datetime(YEAR, 11, 23, 2, 0, tzinfo=UTC)
    opened_at = at_date(date(YEAR, 3, 1), 8)
    elapsed = 0.0
    with collector.bulk():  # the collector's settings of every bulk use case (engine/collector.py)
        for lo in range(0, len(targets), BATCH):
            # Each batch's data is made just before it (not all up front: a million long-lived objects of the
            # driver's own would make every full garbage collection of the engine's slower).
            # The instants too: turning the script's days into datetimes is the driver's work, not the engine's.
            scripts = [[(trigger, data, at_date(day)) for trigger, data, day in
                        happy_path(i, bool(t["has_union"]), rng, date(YEAR, 3, 2) + timedelta(days=i % 20))]
                       for i, t in enumerate(targets[lo:lo + BATCH], lo)]
            start, cpu_start = time.perf_counter(), time.process_time()
            with ExitStack() as stack:
                uow = stack.enter_context(store.unit_of_work()) if unit_of_work else None
                conn = uow.conn if uow is not None else stack.enter_context(store.engine.begin())
                opened = acts.open_cases_in(conn, targets[lo:lo + BATCH], spec_key=WORKFLOW, at=opened_at,
                                            recorded_at=recorded_at, actor="bench")
                changes = []
                for change, script in zip(opened, scripts):
                    for trigger, data, at in script:
                        fired = acts.fire(change.case, trigger, data, at=at, recorded_at=recorded_at, actor="bench")
                        change = acts.then(change, fired)
                    changes.append(change)
                save(conn, changes)
                if uow is not None:
                    uow.commit()
            elapsed += time.perf_counter() - start
            if cpu is not None:
                cpu[0] += time.process_time() - cpu_start
            if after_batch is not None:
                after_batch([c.case.case_id for c in changes])
    store.dispose()
    return elapsed


def verify(path: Path, cases: int) -> None:
    """The file really holds every case, at `effective`, with all its events (read with plain sqlite3)."""
    with sqlite3.connect(path) as conn:
        n_cases, n_effective, max_version = conn.execute(
            "SELECT count(*), sum(state = 'effective'), max(version) FROM bcase").fetchone()
        n_events = conn.execute("SELECT count(*) FROM event").fetchone()[0]
    if (n_cases, n_effective, max_version, n_events) != (cases, cases, EVENTS_PER_CASE, cases * EVENTS_PER_CASE):
        raise AssertionError(f"the engine's file holds {n_cases} cases ({n_effective} effective, max version {max_version}) "
                             f"and {n_events} events; expected {cases} cases and {cases * EVENTS_PER_CASE} events")


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "busy_timeout=30000", "journal_mode=WAL", "synchronous=NORMAL"):  # as engine.store
        conn.execute(f"PRAGMA {pragma}")
    return conn


class Floor:
    """Plain sqlite3 executemany of the engine's own rows into a fresh file with the same schema and pragmas.

    Batch by batch, right after the engine commits each one, so both run under the same load."""

    def __init__(self, source: Path, folder: Path) -> None:
        from engine.store.database import Store

        self.source = sqlite3.connect(source)
        target = folder / "floor.db"
        Store(f"sqlite:///{target}").dispose()  # the same schema, made by the engine's own migration
        self.conn = _sqlite_connect(target)
        self.conn.execute("BEGIN")
        for table in ("org", "enterprise"):
            rows = self.source.execute(f"SELECT * FROM {table}").fetchall()
            if rows:
                self.conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
        self.conn.execute("COMMIT")
        self.seconds = self.cpu = 0.0
        self.cases = self.events = 0

    def write(self, case_ids: list[int]) -> None:
        """Copy these cases and their events; only the inserts and the commit are timed."""
        marks = ",".join("?" * len(case_ids))
        case_cur = self.source.execute(f"SELECT * FROM bcase WHERE id IN ({marks}) ORDER BY id", case_ids)
        case_cols = [d[0] for d in case_cur.description]
        cases = case_cur.fetchall()
        event_cur = self.source.execute(f"SELECT * FROM event WHERE case_id IN ({marks}) ORDER BY case_id, seq", case_ids)
        event_cols = [d[0] for d in event_cur.description]
        events = event_cur.fetchall()
        insert_case = f"INSERT INTO bcase ({','.join(case_cols)}) VALUES ({','.join('?' * len(case_cols))})"
        insert_event = f"INSERT INTO event ({','.join(event_cols)}) VALUES ({','.join('?' * len(event_cols))})"
        start, cpu_start = time.perf_counter(), time.process_time()
        self.conn.execute("BEGIN")
        self.conn.executemany(insert_case, cases)
        self.conn.executemany(insert_event, events)
        self.conn.execute("COMMIT")
        self.seconds += time.perf_counter() - start
        self.cpu += time.process_time() - cpu_start
        self.cases += len(cases)
        self.events += len(events)

    def close(self) -> None:
        """Check what the floor wrote, and close both files."""
        got = self.conn.execute("SELECT (SELECT count(*) FROM bcase), (SELECT count(*) FROM event)").fetchone()
        self.conn.close()
        self.source.close()
        if got != (self.cases, self.events):
            raise AssertionError(f"the floor wrote {got}, not {(self.cases, self.events)}")


def through_unit_of_work(results: Results, folder: Path, n: int, engine_s: float, floor_s: float) -> None:
    """Figure: the same drive into a fresh file of its own, each batch committed through UnitOfWork.commit as every
    command commits: the kept report counts (rollups.flush) recounted in the same transaction. No target of its own
    (issue 18's 3,000 cases/s is the engine figure's); shown beside it, with the floor of the engine figure's run."""
    url = f"sqlite:///{folder / 'uow.db'}"
    setup_city(url, n)
    cpu = [0.0]
    uow_s = drive(url, enterprises(url), seed=1, cpu=cpu, unit_of_work=True)
    verify(folder / "uow.db", n)
    results.add(Figure(scaled(f"engine through the unit of work: {n:,} cases x {TRANSITIONS} transitions, SQLite"), n / uow_s,
                       "cases/s", floor=n / floor_s, note=f"UnitOfWork.commit, report counts kept; {uow_s / engine_s:.2f}x the "
                       f"engine figure's time; by CPU time {n / max(cpu[0], 1e-9):,.0f} cases/s; load {os.getloadavg()[0]:.1f}"))


def throughput(results: Results, folder: Path, url: str, targets: list[dict[str, Any]]) -> None:
    """Figures: cases/s and events/s through the engine, and its slowdown against plain sqlite3."""
    n = len(targets)
    base = Floor(folder / "engine.db", folder)
    cpu = [0.0]
    engine_s = drive(url, targets, seed=1, after_batch=base.write, cpu=cpu)
    base.close()
    verify(folder / "engine.db", n)
    if (base.cases, base.events) != (n, n * EVENTS_PER_CASE):
        raise AssertionError(f"the floor copied {base.cases} cases and {base.events} events")
    floor_s = base.seconds
    results.add(Figure(scaled(f"engine: {n:,} cases x {TRANSITIONS} transitions, SQLite"), n / engine_s, "cases/s",
                       target=3_000, floor=n / floor_s, note=f"committed with engine.begin(), the report counts recounted at "
                       f"commit (the figure issue 18 sets the target for); floor = plain sqlite3 executemany of the same rows; by CPU "
                       f"time {n / max(cpu[0], 1e-9):,.0f} cases/s, floor by CPU time {n / max(base.cpu, 1e-9):,.0f}; "
                       f"load {os.getloadavg()[0]:.1f}"))
    results.add(Figure(scaled("engine: events written"), n * EVENTS_PER_CASE / engine_s, "events/s", target=33_000,
                       floor=n * EVENTS_PER_CASE / floor_s))
    results.add(Figure(scaled("engine: time / plain sqlite3 time"), engine_s / floor_s, "x", target=10,
                       higher_is_better=False, note=f"engine {engine_s:.2f} s, sqlite3 {floor_s:.2f} s"))
    through_unit_of_work(results, folder, n, engine_s, floor_s)


# -- memory -------------------------------------------------------------------------------------

LOAD_CODE = """
from engine import registry
from engine.registry import machines
from engine.store import repository
from engine.store.database import Store
machine = machines.machine({workflow!r})
store = Store({url!r})
with store.read() as conn:
    cases = list(repository.load_cases(conn))
assert len(cases) == {n}, len(cases)
allowed = {{c.state: machine.allowed(c.state) for c in cases}}
assert set(allowed) == {{"effective"}}, allowed
"""

FLOOR_CODE = """
import sqlite3
conn = sqlite3.connect({path!r})
rows = conn.execute("SELECT bcase.id, workflow, workflow_version, state, jurisdiction, counselor_id, version, last_at, "
                    "facts, credit_code, has_union FROM bcase JOIN enterprise ON enterprise.id = bcase.enterprise_id").fetchall()
assert len(rows) == {n}, len(rows)
"""


def memory(results: Results, folder: Path, url: str, targets: list[dict[str, Any]]) -> None:
    """Figure: peak memory of a process holding N_LOADED cases."""
    more = targets[N_DRIVEN:N_LOADED]
    if more:
        drive(url, more, seed=2)
    verify(folder / "engine.db", N_LOADED)
    peak = python_child(LOAD_CODE.format(workflow=WORKFLOW, url=url, n=N_LOADED))[1]
    base = python_child(FLOOR_CODE.format(path=str(folder / "engine.db"), n=N_LOADED))[1]
    results.add(Figure(scaled(f"memory: {N_LOADED:,} cases loaded + machine, peak"), peak, "MB", target=300,
                       higher_is_better=False, floor=base, note="floor = the same rows fetched with plain sqlite3"))


# -- the command line ---------------------------------------------------------------------------


def wall_ms(cmd: list[str], env: dict[str, str]) -> float:
    """Wall milliseconds of one real process that must succeed."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed


NEXT_YEAR_NOW = datetime(YEAR + 1, 3, 2, 12, 0, tzinfo=UTC)  # the clock of the CLI figures' next-year cases


def fresh_cases(url: str, targets: list[dict[str, Any]], k: int) -> Iterator[int]:
    """k newly opened cases (the enterprises' earlier cases are in force, so a new one may open)."""
    from engine.store.database import Store
    from engine.store.repository import save
    from engine.times import at_date
    from engine.usecases import acts

    store = Store(url)
    with store.engine.begin() as conn:
        changes = acts.open_cases_in(conn, targets[:k], spec_key=WORKFLOW, at=at_date(date(YEAR + 1, 3, 1), 8),
                                     recorded_at=NEXT_YEAR_NOW, actor="bench")
        save(conn, changes)
    store.dispose()
    return (c.case.case_id for c in changes)


def cli(results: Results, url: str, targets: list[dict[str, Any]]) -> None:
    """Figures: `bargain --help` and `bargain case advance` as real processes, against `python -c pass`."""
    bargain = str(Path(sys.executable).parent / "bargain")
    # Next year's cases are opened and advanced on next year's clock (an event may not be dated after now).
    env = {**os.environ, "BARGAIN_DB": url, "BARGAIN_USER": "bench", "BARGAIN_NOW": NEXT_YEAR_NOW.isoformat()}
    python = statistics.median(wall_ms([sys.executable, "-c", "pass"], env) for _ in range(RUNS))
    help_ms = statistics.median(wall_ms([bargain, "--help"], env) for _ in range(RUNS))
    results.add(Figure("cli: bargain --help", help_ms, "ms", target=300, higher_is_better=False, floor=python,
                       note=f"median of {RUNS}; floor = python -c pass"))
    advances = []
    for case_id in fresh_cases(url, targets, RUNS):
        advances.append(wall_ms([bargain, "case", "advance", str(case_id), "send_offer", "--set", "level=upper",
                                 "--at", f"{YEAR + 1}-03-02", "--format", "json"], env))
        shown = subprocess.run([bargain, "case", "show", str(case_id), "--format", "json"], capture_output=True, text=True,
                               env=env)
        if json.loads(shown.stdout)["state"] != "offer_sent":
            raise AssertionError(f"case {case_id} did not advance: {shown.stdout} {shown.stderr}")
    results.add(Figure(scaled(f"cli: bargain case advance ({N_LOADED:,} cases in the file)"), statistics.median(advances),
                       "ms", target=1_000, higher_is_better=False, floor=python, note=f"median of {RUNS}"))


def run(results: Results, argv: list[str]) -> None:
    """Every engine figure, in one temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-engine-"))
    try:
        url = f"sqlite:///{folder / 'engine.db'}"
        setup_city(url, N_LOADED)
        targets = enterprises(url)
        throughput(results, folder, url, targets[:N_DRIVEN])
        memory(results, folder, url, targets)
        cli(results, url, targets)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
