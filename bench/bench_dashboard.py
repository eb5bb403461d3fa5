"""The dashboard's four blocks (web/pages.py `_figures`), in process, on the city of bench_web (issue 16).

Each block is the use case the page calls, as the page calls it (the root, this year, today): campaign, coverage,
funnel (with its median-days asides), and the overdue count; then the four together. Median and p95 of RUNS
after one warm-up, target p95 ≤ 300 ms; floor: a bare `SELECT count(*) FROM bcase` through the same driver, in
the same run. The databases are bench_web's (cached under bench/.cache by size and schema head; BENCH_WEB_DB
picks one), so `python -m bench web dashboard` builds them once.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bench import bench_web
from bench.bench_web import SIZES, pg_db, pg_server, sqlite_db
from bench.common import Figure, Results

RUNS = 15 if bench_web.SCALE >= 1 else 9
TARGET_MS = 300.0


def _ms(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def blocks(results: Results, label: str, url: str, n: int) -> None:
    import sqlalchemy as sa

    from engine.store.database import Store
    from engine.usecases import reporting

    store = Store(url)
    day = date.today()
    year = day.year
    shown: dict[str, Callable[[], Any]] = {
        "campaign": lambda: reporting.campaign(store, year=year),
        "coverage": lambda: reporting.coverage(store, as_of=day),
        "funnel + medians": lambda: reporting.funnel(store, year=year),
        "overdue count": lambda: reporting.overdue_count(store, as_of=day),
    }
    shown["all four"] = lambda: [f() for f in list(shown.values())[:4]]
    with store.engine.connect() as conn:
        floor = _ms(lambda: conn.execute(sa.text("SELECT count(*) FROM bcase")).scalar_one(), RUNS)
    f50, f95 = statistics.median(floor), bench_web.p(floor, 0.95)
    scale = "" if bench_web.SCALE >= 1 else f"; [BENCH_SCALE={bench_web.SCALE}]"
    for what, fn in shown.items():
        ms = _ms(fn, RUNS)
        tag = f"dashboard {label} {n:,} cases: {what}"
        results.add(Figure(f"{tag}, p50", statistics.median(ms), "ms", None, False, f50, _load()))
        results.add(Figure(f"{tag}, p95", bench_web.p(ms, 0.95), "ms", TARGET_MS, False, f95, f"{_load()}; {RUNS} runs{scale}"))
    store.dispose()


def run(results: Results, argv: list[str]) -> None:
    only = {os.environ["BENCH_WEB_DB"]} if os.environ.get("BENCH_WEB_DB") else set()
    with pg_server() as server:
        for n in SIZES:
            if server and (not only or "postgresql" in only):
                blocks(results, "PostgreSQL", pg_db(server, n), n)
            if not only or "sqlite" in only:
                blocks(results, "SQLite", sqlite_db(n), n)
        if server is None:
            print("  dashboard: no PostgreSQL server (set BARGAIN_BENCH_PG, or install postgresql): PostgreSQL figures not run")
