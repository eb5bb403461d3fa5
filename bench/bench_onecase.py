"""One-case commands as real processes (issue 18, item 1): what a counselor waits for on every command.

The demo city (300 enterprises, engine.usecases.demo, untimed) is written to a SQLite file in a fresh
temporary folder; then each command runs RUNS times as the installed `bargain` script, and its median
wall time is reported against 300 ms. The floor, measured in the same run, is a Python process that
imports sqlite3 and reads the case row (`python -c "import sqlite3; ..."`): start-up and one query, the
least a one-case command can do.

Before the timed runs one untimed warm-up run of each command fills the compiled-definitions cache
(engine/registry/compiled.py) and writes the bytecode, as a user's first command would: the children
run with PYTHONDONTWRITEBYTECODE unset, and with their cache under the bench's temporary folder.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, Results

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RUNS = max(3, round(7 * min(SCALE, 1.0)))
TARGET_MS = 300.0


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def timed_ms(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) milliseconds of one real process that must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return elapsed, cpu


def median_ms(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall and median CPU milliseconds of RUNS runs."""
    runs = [timed_ms(cmd, env) for _ in range(RUNS)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def make_demo(path: Path) -> None:
    """The demo city on a SQLite file (untimed)."""
    from engine.store.database import Store
    from engine.usecases import demo

    store = Store(f"sqlite:///{path}")
    demo.run(store)
    store.dispose()


def pick(path: Path) -> tuple[int, int, int, str]:
    """A case to show, a negotiating case to advance (hold_round repeats), a counselor, a district."""
    db = sqlite3.connect(path)
    try:
        shown = db.execute("SELECT id FROM bcase WHERE state = 'effective' ORDER BY id LIMIT 1").fetchone()[0]
        moving = db.execute("SELECT id FROM bcase WHERE state = 'negotiating' ORDER BY id LIMIT 1").fetchone()[0]
        counselor = db.execute("SELECT id FROM counselor ORDER BY id LIMIT 1").fetchone()[0]
        district = db.execute("SELECT code FROM org WHERE kind = 'district' ORDER BY code LIMIT 1").fetchone()[0]
    finally:
        db.close()
    return shown, moving, counselor, district


def run(results: Results, argv: list[str]) -> None:
    """Figures: median wall time of case show / advance / log / timeline and deadlines --org, vs the floor."""
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-onecase-"))
    try:
        path = folder / "demo.db"
        make_demo(path)
        shown, moving, counselor, district = pick(path)
        bargain = str(Path(sys.executable).parent / "bargain")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"BARGAIN_DB": f"sqlite:///{path}", "BARGAIN_USER": "bench", "XDG_CACHE_HOME": str(folder / "cache")})
        floor_code = f"import sqlite3; sqlite3.connect({str(path)!r}).execute('SELECT * FROM bcase WHERE id = ?', ({shown},)).fetchall()"
        commands = {
            "case show": ["case", "show", str(shown)],
            "case show --format json": ["case", "show", str(shown), "--format", "json"],
            "case advance": ["case", "advance", str(moving), "hold_round", "--at", "2026-11-30", "--format", "json"],
            "case log": ["case", "log", str(moving), "--by", str(counselor), "--activity", "attend_round", "--hours", "1",
                         "--at", "2026-11-30", "--note", "bench"],
            "case timeline": ["case", "timeline", str(shown)],
            f"deadlines --org {district}": ["deadlines", "--org", district, "--as-of", "2026-11-30"],
        }
        for args in commands.values():  # warm-up: cache and bytecode, as a user's first command
            timed_ms([bargain, *args], env)
        floor, floor_cpu = median_ms([sys.executable, "-c", floor_code], env)
        for name, args in commands.items():
            ms, cpu = median_ms([bargain, *args], env)
            results.add(Figure(scaled(f"one-case: bargain {name}"), ms, "ms", target=TARGET_MS, higher_is_better=False,
                               floor=floor, note=f"median of {RUNS}; CPU {cpu:,.0f} ms, floor CPU {floor_cpu:,.0f} ms; "
                                                 "floor = python + sqlite3 reading the case row"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
