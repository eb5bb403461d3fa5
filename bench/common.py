"""What every benchmark shares: timing, peak memory, and one printed line per figure against its target.

A figure line reads:  name: value unit  (target ≤/≥ X) [ok|MISSED]  floor: F unit, ratio R
Targets are checked here and reported, never asserted in unit tests (shared machines are noisy).
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    """One measured figure."""

    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = True
    floor: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        """The printed line."""
        text = f"{self.name}: {self.value:,.1f} {self.unit}"
        if self.target is not None:
            text += f"  (target {'≥' if self.higher_is_better else '≤'} {self.target:,.0f}) {'ok' if self.ok else 'MISSED'}"
        if self.floor:
            ratio = self.value / self.floor
            text += f"  floor: {self.floor:,.1f} {self.unit}, ratio {ratio:.2f}"
        if self.note:
            text += f"  [{self.note}]"
        return text


@dataclass
class Results:
    """The figures of one run, printed as they come."""

    figures: list[Figure] = field(default_factory=list)

    def add(self, fig: Figure) -> Figure:
        self.figures.append(fig)
        print(fig.line(), flush=True)
        return fig


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """Elapsed seconds of the block: `with timer() as t: ...; t()`."""
    gc.collect()
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def peak_rss_mb_of(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run a command as a child process; its wall seconds and peak resident memory in MB.

    An upper bound: on Linux a child's ru_maxrss includes the forking parent's peak, and
    RUSAGE_CHILDREN is the largest of every child so far. For Python code use python_child.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before) / 1024.0, proc


def self_peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def tmp_sqlite(name: str) -> str:
    """A SQLite URL in a fresh temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-"))
    return f"sqlite:///{folder / name}"


_PEAK_MARK = "@@bench-peak-kb "
_REPORT_PEAK = f"""
import atexit as _atexit

def _bench_report_peak():
    try:
        with open("/proc/self/status") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("{_PEAK_MARK}" + str(kb), flush=True)

_atexit.register(_bench_report_peak)
"""


def python_child(code: str, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run Python code in a child (fresh memory); its wall seconds, its own peak MB and its stdout.

    The peak is the child's VmHWM, reported by the child itself: Linux resets it at exec, whereas
    ru_maxrss (RUSAGE_CHILDREN, or the child's own) carries over the forking parent's peak.
    """
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _REPORT_PEAK + code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    lines = proc.stdout.splitlines()
    marks = [line for line in lines if line.startswith(_PEAK_MARK)]
    if not marks:
        raise RuntimeError("the child did not report its peak memory")
    out = "".join(line + "\n" for line in lines if not line.startswith(_PEAK_MARK))
    return wall, int(marks[-1][len(_PEAK_MARK):]) / 1024.0, out


def pg_url() -> Any:
    """A context manager giving a PostgreSQL URL: BARGAIN_BENCH_PG, else a throw-away cluster (None if impossible)."""

    @contextmanager
    def cm() -> Iterator[str | None]:
        given = os.environ.get("BARGAIN_BENCH_PG") or os.environ.get("BARGAIN_TEST_PG")
        if given:
            yield given
            return
        folder = tempfile.mkdtemp(prefix="bargain-pg-")
        proc = subprocess.run([str(ROOT / "scripts" / "pg-throwaway"), "start", folder], capture_output=True, text=True)
        if proc.returncode != 0:
            yield None
            return
        try:
            yield proc.stdout.strip()
        finally:
            subprocess.run([str(ROOT / "scripts" / "pg-throwaway"), "stop", folder], capture_output=True)

    return cm()


@contextmanager
def captured(store: Any) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (and parameters) the engine sends through a store while the block runs."""
    import sqlalchemy as sa

    seen: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listen)
