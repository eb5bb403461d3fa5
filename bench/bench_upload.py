"""The upload benchmark: an enterprise file imported through the web (/imports), checked first, then imported.

A SQLite file in a temporary folder (removed afterwards) holds the city's organisations (bench_import's) and one admin;
the real app (web.app.create_app) is driven in process with a logged-in TestClient. BENCH_SCALE scales the rows.

  upload+check+import   POST /imports (the GB18030 CSV, multipart) — the check run — then POST /imports/TOKEN with
                        action=import: rows per second of the whole journey, the two runs of the use case included.
                        Target ≥ 10,000 rows/s (the CLI's 20,000 rows/s target for one run, and the web runs it twice).
                        Floor: the same file imported once by the use case itself (engine.imports.core.run, as the
                        same admin), on a fresh copy of the same database, in the same process. The ratio to expect
                        is about 0.5: the web runs the use case twice.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_import import N, rows, scaled, write_files
from bench.common import Figure, Results

PASSWORD = "bench-admin-password-2026"


def _city(folder: Path) -> Path:
    from engine.imports.core import run
    from engine.imports.org import OrgImport
    from engine.store.database import Store
    from engine.usecases import users

    orgs, _, _ = write_files(folder, [])
    path = folder / "city.db"
    store = Store(f"sqlite:///{path}")
    run(store, orgs, OrgImport())
    users.add_user(store, "admin", name="管理员", role="admin", org="320500", password=PASSWORD)
    store.dispose()
    return path


def _web(db: Path, csv_path: Path) -> tuple[float, dict[str, Any]]:
    from fastapi.testclient import TestClient

    from engine.store.database import Store
    from web.app import create_app

    store = Store(f"sqlite:///{db}")
    client = TestClient(create_app(store))
    token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"login": "admin", "password": PASSWORD, "csrftoken": token.group(1)})
    csrf = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/imports").text)
    assert csrf
    data = csv_path.read_bytes()
    start = time.perf_counter()
    checked = client.post("/imports", data={"kind": "enterprise", "csrftoken": csrf.group(1)},
                          files={"file": (csv_path.name, io.BytesIO(data), "text/csv")})
    held = re.search(r'action="/imports/([A-Za-z0-9_-]+)"', checked.text)
    assert checked.status_code == 200 and held, checked.text[:500]
    done = client.post(f"/imports/{held.group(1)}", data={"action": "import", "csrftoken": csrf.group(1)})
    seconds = time.perf_counter() - start
    inserted = re.search(r'id="n-inserted">(\d+)<', done.text)
    assert done.status_code == 200 and inserted, done.text[:500]
    store.dispose()
    return seconds, {"inserted": int(inserted.group(1))}


def _floor(db: Path, csv_path: Path) -> float:
    from engine.imports.core import run
    from engine.imports.enterprise import EnterpriseImport
    from engine.store.database import Store
    from engine.usecases import users

    store = Store(f"sqlite:///{db}")
    who = users.principal(store, "admin")
    start = time.perf_counter()
    result = run(store, csv_path, EnterpriseImport(), who=who, outside_rows=True)
    seconds = time.perf_counter() - start
    assert result.written and result.counts["inserted"] == N
    store.dispose()
    return seconds


def run(results: Results, argv: list[str]) -> None:
    """The figures of this module."""
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-upload-"))
    try:
        base = _city(folder)
        _, csv_path, _ = write_files(folder, rows())
        web_db, floor_db = folder / "web.db", folder / "floor.db"
        shutil.copy(base, web_db)
        shutil.copy(base, floor_db)
        floor = _floor(floor_db, csv_path)
        seconds, out = _web(web_db, csv_path)
        assert out["inserted"] == N
        results.add(Figure(scaled(f"web: {N:,} enterprises uploaded, checked and imported"), N / seconds, "rows/s",
                           target=10_000, floor=N / floor, note="floor: one run of the use case as the same user, no web"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
