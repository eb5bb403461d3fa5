"""The web application under load: pages over HTTP with a logged-in session, and 50 concurrent API clients.

The data (BENCH_SCALE scales the sizes; targets are for scale 1):
  city        the demo city (engine.usecases.demo: Suzhou, its districts and towns, 300 enterprises, one year
              played through the engine, a regional contract) with its users.
  clones      the demo's enterprise cases, with their enterprises and every event, copied until there are
              N cases in all (N = 100,000 and 1,000,000), written with engine.store.bulk (COPY on PostgreSQL,
              executemany on SQLite): every copy is a real engine-made case (facts, projection columns, events),
              so every page shows what it would on a real city's database, only bigger.
  cache       the built database is kept under bench/.cache/ (gitignored), keyed by N and the schema head: a SQLite
              file, and a PostgreSQL database in a cluster kept there too (or on BARGAIN_BENCH_PG when given),
              so a re-run does not rebuild.

Figures, on PostgreSQL and on SQLite, the app served by `bargain serve --workers 2` in a child process on
loopback, requests with httpx:
  pages       p50 / p95 over the requests of: the dashboard (the city admin's: every case), the case list filtered
              and sorted (page 1, and a deep page), a case page. Target p95 ≤ 300 ms (PostgreSQL). Floor: the
              same client asking for /static/favicon.svg in the same run.
  concurrent  50 clients for 60 s (BENCH_SCALE scales it, never below 10 s), each reading a case and advancing it
              (hold_round, with the version it read as expect_version) through the JSON API with a token, mixed
              with case reads: requests/s, 5xx answers (target 0), and afterwards, case by case, the events
              written equal the 200 answers (no lost update) and every refused advance was a 409.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import ROOT, Figure, Results

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SIZES = [max(2_000, int(n * SCALE)) for n in (100_000, 1_000_000)]
CACHE = ROOT / "bench" / ".cache"
DEMO_ENTERPRISES = 300
RUNS = 30 if SCALE >= 1 else 15
CLIENTS = 50
SECONDS = max(10.0, 60.0 * SCALE)
TARGET_MS = 300.0
ADMIN, PASSWORD = "admin", "suzhou-admin-2026"
BATCH = 20_000


def _head() -> str:
    from engine.store.database import shipped_heads

    return "-".join(sorted(shipped_heads()))[:24]


# ---------------------------------------------------------------- building the database

def _rows(conn: Any, table: Any, where: Any = None) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    q = sa.select(table).order_by(table.c.id)
    if where is not None:
        q = q.where(where)
    return [dict(r._mapping) for r in conn.execute(q)]


def build(url: str, n: int) -> None:
    """The demo city, then its enterprise cases copied (enterprise, case, events) until there are n cases."""
    import sqlalchemy as sa

    from engine.credit import make_credit_code
    from engine.store import bulk
    from engine.store.database import Store
    from engine.store.tables import case_t, coverage_t, enterprise_t, event_t
    from engine.usecases import demo

    store = Store(url)
    demo.run(store, n_enterprises=DEMO_ENTERPRISES)
    demo.add_users(store)
    with store.engine.begin() as conn:
        covered = {r[0] for r in conn.execute(sa.select(coverage_t.c.case_id))}
        cases = [c for c in _rows(conn, case_t, case_t.c.enterprise_id.is_not(None)) if c["id"] not in covered]
        ents = {e["id"]: e for e in _rows(conn, enterprise_t)}
        events: dict[int, list[dict[str, Any]]] = {}
        for ev in _rows(conn, event_t):
            events.setdefault(int(ev["case_id"]), []).append(ev)
        have = int(conn.execute(sa.select(sa.func.count()).select_from(case_t)).scalar_one())
        next_ent = int(conn.execute(sa.select(sa.func.max(enterprise_t.c.id))).scalar_one()) + 1
        next_case = int(conn.execute(sa.select(sa.func.max(case_t.c.id))).scalar_one()) + 1
        next_event = int(conn.execute(sa.select(sa.func.max(event_t.c.id))).scalar_one()) + 1
    copies = max(0, n - have)
    ent_cols = [c.name for c in enterprise_t.c]
    case_cols = [c.name for c in case_t.c]
    event_cols = [c.name for c in event_t.c]
    started = time.perf_counter()
    done = 0
    while done < copies:
        k = min(BATCH, copies - done)
        ent_rows, case_rows, event_rows = [], [], []
        for i in range(done, done + k):
            src = cases[i % len(cases)]
            ent = dict(ents[int(src["enterprise_id"])])
            ent["id"] = next_ent + i
            ent["credit_code"] = make_credit_code(str(ent["credit_code"])[2:8], 100_000_000 + i)
            ent["name"] = f"{ent['name']}{i // len(cases) + 2}号"
            ent_rows.append([ent[c] for c in ent_cols])
            case = dict(src)
            case["id"], case["enterprise_id"] = next_case + i, ent["id"]
            case_rows.append([case[c] for c in case_cols])
            for ev in events.get(int(src["id"]), []):
                row = dict(ev)
                row["id"], row["case_id"] = next_event, case["id"]
                next_event += 1
                event_rows.append([row[c] for c in event_cols])
        with store.engine.begin() as conn:
            bulk.insert_rows(conn, enterprise_t, ent_cols, ent_rows)
            bulk.insert_rows(conn, case_t, case_cols, case_rows)
            bulk.insert_rows(conn, event_t, event_cols, event_rows)
        done += k
        print(f"  web: {have + done:,} / {n:,} cases written ({time.perf_counter() - started:,.0f} s)", flush=True)
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in ("enterprise", "bcase", "event"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    if store.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    store.dispose()
    rollups(url)


def sqlite_db(n: int) -> str:
    """The cached SQLite file of n cases (built when missing)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"web-{n}-{_head()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for p in CACHE.glob(partial.name + "*"):
            p.unlink()
        print(f"  web: building the SQLite database of {n:,} cases (cached in {path.name})", flush=True)
        build(f"sqlite:///{partial}", n)
        partial.rename(path)
    return f"sqlite:///{path}"


def _as_pg(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@contextmanager
def pg_server() -> Iterator[str | None]:
    """A PostgreSQL server URL: BARGAIN_BENCH_PG, else a cluster kept under bench/.cache/pg (started, then stopped)."""
    given = os.environ.get("BARGAIN_BENCH_PG")
    if given:
        yield given
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        yield None
        return
    bin_dir, folder = bins[-1], CACHE / "pg"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    if not (folder / "data" / "PG_VERSION").exists():
        shutil.rmtree(folder / "data", ignore_errors=True)
        subprocess.run(_as_pg(str(bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "-E",
                              "UTF8", "--locale=C.UTF-8"), check=True, capture_output=True)
    port = _free_port()
    opts = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200"
    subprocess.run(_as_pg(str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "server.log"), "-w", "-t",
                          "60", "-o", opts, "start"), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_pg(str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"),
                       capture_output=True)


def pg_db(server: str, n: int) -> str:
    """The cached PostgreSQL database of n cases on the server (built when missing)."""
    import sqlalchemy as sa

    name = f"bench_web_{n}_{_head()}".replace("-", "_").lower()
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        with admin.connect() as conn:
            found = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname IN (:a, :b)"),
                                 {"a": name, "b": name + "_partial"}).scalars().all()
            if name in found:
                return url
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}_partial" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}_partial"'))
        print(f"  web: building the PostgreSQL database of {n:,} cases (kept as {name})", flush=True)
        build(sa.make_url(server).set(database=name + "_partial").render_as_string(hide_password=False), n)
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"'))
    finally:
        admin.dispose()
    return url


@contextmanager
def pg_copy(server: str, url: str) -> Iterator[str]:
    """A throw-away copy of a cached PostgreSQL database (CREATE DATABASE … TEMPLATE), dropped afterwards."""
    import sqlalchemy as sa

    source = sa.make_url(url).database
    name = f"{source}_run"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# ---------------------------------------------------------------- the server and its clients

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(url: str, workers: int = 2) -> Iterator[str]:
    """`bargain serve` on the database, in a child process; its base URL once it answers."""
    exe = Path(sys.executable).parent / "bargain"
    port = _free_port()
    proc = subprocess.Popen([str(exe), "--db", url, "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(600):
            try:
                if httpx.get(base + "/static/favicon.svg", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"bargain serve ended: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def logged_in(base: str) -> Any:
    """An httpx client with the admin's session."""
    import httpx

    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login").text
    token = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert token
    r = client.post("/login", data={"login": ADMIN, "password": PASSWORD, "csrftoken": token.group(1)})
    if r.status_code not in (200, 303):
        raise RuntimeError(f"login failed: {r.status_code}")
    return client


def timed(client: Any, path: str, runs: int, budget: float = 30.0) -> list[float]:
    """Milliseconds of each of `runs` GETs of the path (after one untimed), each checked to be 200; a page slow
    enough to spend `budget` seconds is measured fewer times (never under 3)."""
    out: list[float] = []
    client.get(path)
    spent = time.perf_counter()
    for _ in range(runs):
        if len(out) >= 3 and time.perf_counter() - spent > budget:
            break
        start = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:300]}")
    return out


def p(values: Sequence[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def _load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def pages(results: Results, label: str, url: str, n: int) -> None:
    """p50/p95 of the dashboard, the case list (page 1 and a deep page) and a case page."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        matching = int(conn.execute(sa.text("SELECT count(*) FROM bcase WHERE state = 'effective'")).scalar_one())
        ids = [int(x) for x in conn.execute(sa.text("SELECT id FROM bcase WHERE enterprise_id IS NOT NULL ORDER BY id"))
               .scalars().all()[:: max(1, n // 200)]]
    engine.dispose()
    deep = max(1, int(matching / 50 * 0.9))
    rng = random.Random(7)
    with served(url) as base:
        client = logged_in(base)
        floor = timed(client, "/static/favicon.svg", RUNS)
        f50, f95 = statistics.median(floor), p(floor, 0.95)
        shown = {
            "dashboard (the city)": ["/?year=2026"],
            "case list, filtered + sorted, page 1": ["/cases?state=effective&sort=last_at&desc=1"],
            f"case list, filtered + sorted, page {deep:,}": [f"/cases?state=effective&sort=last_at&desc=1&page={deep}"],
            "case page": [f"/cases/{rng.choice(ids)}" for _ in range(RUNS)],
        }
        for what, paths in shown.items():
            ms: list[float] = []
            if len(paths) == 1:
                ms = timed(client, paths[0], RUNS)
            else:
                for path in paths:
                    ms += timed(client, path, 1)
            tag = f"web {label} {n:,} cases: {what}"
            results.add(Figure(f"{tag}, p50", statistics.median(ms), "ms", None, False, f50, _load()))
            results.add(Figure(f"{tag}, p95", p(ms, 0.95), "ms", TARGET_MS, False, f95,
                               f"{_load()}; {len(ms)} requests" + ("" if SCALE >= 1 else f"; [BENCH_SCALE={SCALE}]")))
        client.close()


def concurrent(results: Results, label: str, url: str) -> None:
    """50 clients reading and advancing a pool of negotiating cases with expect_version; then the audit."""
    import httpx
    import sqlalchemy as sa

    from engine.store.database import Store
    from engine.usecases import users

    store = Store(url)
    token = users.issue_token(store, ADMIN)
    store.dispose()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        # The chiefs chair the rounds in turn (集体合同规定 art. 34): the chair of the round after version v follows
        # from the last chair and version now, as only this run's rounds are added to these cases.
        start: dict[int, tuple[int, str]] = {}
        for cid, version, facts in conn.execute(sa.text(
                "SELECT id, version, facts FROM bcase WHERE state = 'negotiating' ORDER BY id LIMIT 100")):
            loaded = facts if isinstance(facts, dict) else json.loads(facts or "{}")
            last = ((loaded.get("last") or {}).get("hold_round") or {}).get("chair") or "employer"
            start[int(cid)] = (int(version), str(last))
        pool = list(start)
        readable = [int(x) for x in conn.execute(sa.text("SELECT id FROM bcase ORDER BY id LIMIT 2000")).scalars()]
        before = dict(conn.execute(sa.text(
            "SELECT case_id, count(*) FROM event WHERE case_id IN (SELECT id FROM bcase WHERE state = 'negotiating') "
            "GROUP BY case_id")).all())
    statuses: Counter[int] = Counter()
    ok: Counter[int] = Counter()
    refused: Counter[int] = Counter()
    lock = threading.Lock()
    with served(url, workers=2) as base:
        stop = time.perf_counter() + SECONDS  # from the moment the server answers

        def client(k: int) -> None:
            rng = random.Random(k)
            headers = {"authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
                while time.perf_counter() < stop:
                    if rng.random() < 0.5:
                        r = http.get(f"/api/v1/cases/{rng.choice(readable)}")
                        with lock:
                            statuses[r.status_code] += 1
                        continue
                    case = rng.choice(pool)
                    r = http.get(f"/api/v1/cases/{case}")
                    with lock:
                        statuses[r.status_code] += 1
                    if r.status_code != 200:
                        continue
                    version = r.json()["version"]
                    v0, last = start[case]
                    chair = last if (version - v0) % 2 else {"worker": "employer", "employer": "worker"}[last]
                    a = http.post(f"/api/v1/cases/{case}/advance", json={
                        "trigger": "hold_round", "data": {"chair": chair, "outcome": "继续协商"}, "note": "bench",
                        "expect_version": version})
                    with lock:
                        statuses[a.status_code] += 1
                        if a.status_code == 200:
                            ok[case] += 1
                        else:
                            refused[a.status_code] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    with engine.connect() as conn:
        after = dict(conn.execute(sa.text(
            "SELECT case_id, count(*) FROM event WHERE case_id IN :ids GROUP BY case_id").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": pool}).all())
    engine.dispose()
    lost = sum(abs(int(after.get(c, 0)) - int(before.get(c, 0)) - ok[c]) for c in pool)
    total = sum(statuses.values())
    errors = sum(v for k, v in statuses.items() if k >= 500)
    not_409 = sum(v for k, v in refused.items() if k != 409)
    note = (f"{_load()}; {CLIENTS} clients, {wall:.0f} s, {total:,} requests, {sum(ok.values()):,} advances, "
            f"{refused.get(409, 0):,} conflicts (409), answers {dict(sorted(statuses.items()))}")
    results.add(Figure(f"web {label} concurrent: requests/s", total / wall, "req/s", None, True, None, note))
    results.add(Figure(f"web {label} concurrent: 5xx answers", errors, "", 0, False))
    results.add(Figure(f"web {label} concurrent: advances lost or doubled (events − 200 answers)", lost, "", 0, False))
    results.add(Figure(f"web {label} concurrent: refused advances that were not 409", not_409, "", 0, False))


def rollups(url: str) -> None:
    """Where the engine keeps report counts (`bargain rollup rebuild`), recount them after the bulk copy, which
    wrote around the use cases."""
    exe = str(Path(sys.executable).parent / "bargain")
    if subprocess.run([exe, "rollup", "--help"], capture_output=True).returncode == 0:
        subprocess.run([exe, "--db", url, "--as", ADMIN, "rollup", "rebuild"], check=True, capture_output=True)


def run(results: Results, argv: list[str]) -> None:
    only = {os.environ["BENCH_WEB_DB"]} if os.environ.get("BENCH_WEB_DB") else set()
    with pg_server() as server:
        for n in SIZES:
            if server and (not only or "postgresql" in only):
                url = pg_db(server, n)
                pages(results, "PostgreSQL", url, n)
                if n == SIZES[0]:
                    with pg_copy(server, url) as scratch:  # the cached database stays as built
                        concurrent(results, "PostgreSQL", scratch)
            if not only or "sqlite" in only:
                url = sqlite_db(n)
                pages(results, "SQLite", url, n)
        if server is None:
            print("  web: no PostgreSQL server (set BARGAIN_BENCH_PG, or install postgresql): PostgreSQL figures not run")
