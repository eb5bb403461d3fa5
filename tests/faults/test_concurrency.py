"""Concurrent writers (issue 14, item 2): two imports, two launches, an import beside a tick, on SQLite and
PostgreSQL. Each process completes or ends with exit 3 and one line, nothing written; never a traceback, never
a duplicate."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import bargain_exe, seed_city
from tests.faults.conftest import one_line

N = 600


def _city(url: str, tmp_path: Path) -> Path:
    from engine.credit import make_credit_code

    seed_city(url)
    f = tmp_path / "ents.csv"
    rows = "".join(f"{make_credit_code('320505', 100 + i)},企业{i},320505,制造业,{10 + i % 90},是\n" for i in range(N))
    f.write_text("credit_code,name,org_code,industry,employees,has_union\n" + rows, encoding="utf-8")
    return f


def race(*commands: list[str], env: dict[str, str] | None = None) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once; wait for all."""
    import os

    procs = [subprocess.Popen([bargain_exe(), *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "BARGAIN_DB_BUSY_TIMEOUT": "60", **(env or {})}) for c in commands]
    out = []
    for p, c in zip(procs, commands):
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


def assert_completed_or_conflict(results: list[subprocess.CompletedProcess[str]]) -> None:
    for r in results:
        assert "Traceback" not in r.stderr and "╭" not in r.stderr, r.stderr
        assert r.returncode in (0, 3), (r.args, r.returncode, r.stderr)
        if r.returncode == 3:
            lines = one_line(r.stderr)
            assert len(lines) == 1 and "nothing was written" in lines[0], lines
    assert any(r.returncode == 0 for r in results), [r.stderr for r in results]


def _count(url: str, sql: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(sa.text(sql)).scalar() or 0)
    engine.dispose()
    return n


def test_two_imports_of_one_file_at_once_write_it_once(db_url: str, tmp_path: Path) -> None:
    f = _city(db_url, tmp_path)
    results = race(*[["--db", db_url, "--lang", "en", "enterprise", "import", str(f)] for _ in range(2)])
    assert_completed_or_conflict(results)
    assert _count(db_url, "SELECT count(*) FROM enterprise") == N + 2
    assert _count(db_url, "SELECT count(DISTINCT credit_code) FROM enterprise") == N + 2


def test_two_launches_at_once_open_one_case_per_enterprise(db_url: str, tmp_path: Path) -> None:
    f = _city(db_url, tmp_path)
    subprocess.run([bargain_exe(), "--db", db_url, "enterprise", "import", str(f)], check=True, capture_output=True)
    launch = ["--db", db_url, "--lang", "en", "campaign", "launch", "--year", "2026", "--at", "2026-03-02"]
    results = race(launch, launch)
    assert_completed_or_conflict(results)
    assert _count(db_url, "SELECT count(*) FROM bcase") == N + 2
    assert _count(db_url, "SELECT count(*) FROM (SELECT enterprise_id FROM bcase GROUP BY enterprise_id HAVING count(*) > 1) d") == 0


def test_an_import_beside_a_tick_each_completes_or_conflicts(db_url: str, tmp_path: Path) -> None:
    f = _city(db_url, tmp_path)
    subprocess.run([bargain_exe(), "--db", db_url, "enterprise", "import", str(f)], check=True, capture_output=True)
    launched = subprocess.run([bargain_exe(), "--db", db_url, "campaign", "launch", "--year", "2026", "--at", "2026-03-02",
                               "--format", "json"], capture_output=True, text=True)
    assert launched.returncode == 0, launched.stderr
    opened = json.loads(launched.stdout)["opened"]
    f.write_text(f.read_text(encoding="utf-8").replace(",制造业,", ",电子制造,"), encoding="utf-8")
    results = race(["--db", db_url, "--lang", "en", "tick", "--as-of", "2026-06-30"],
                   ["--db", db_url, "--lang", "en", "enterprise", "import", str(f)])
    assert_completed_or_conflict(results)
    tick, imported = results
    events = _count(db_url, "SELECT count(*) FROM event")
    assert events in (opened * 2, opened * 3)  # opened + offered, and each lapse once if the tick completed
    assert (events == opened * 3) == (tick.returncode == 0)
    changed = _count(db_url, "SELECT count(*) FROM enterprise WHERE industry = '电子制造'")
    assert changed == (N if imported.returncode == 0 else 0)
