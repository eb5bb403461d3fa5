"""The import benchmark: 100,000 enterprises from a GB18030 CSV and from an XLSX, then the offer campaign over them.

Every figure is the real CLI command run in a child process (`cli.main()` with the command line, in a fresh
interpreter), on SQLite files in a temporary folder removed afterwards. Rates use the seconds the command
reports itself (--format json: from opening the file to the commit, start-up excluded); memory is the
child's own peak (VmHWM). BENCH_SCALE scales the row count; targets are for scale 1.

  import CSV     `bargain enterprise import enterprises.csv`: GB18030, Chinese headers, every credit code
                 checked with python-stdnum, 1/3 without a union. Target ≥ 20,000 rows/s. Floor: the same
                 file read with the csv module and written with plain sqlite3 executemany into a fresh file
                 of the same schema (no checks).
  re-import      the same file again: every row compared, nothing written.
  import XLSX    the same rows from an .xlsx written with openpyxl. Target ≥ 20,000 rows/s. Floor: python-calamine
                 iteration plus plain sqlite3 executemany.
  campaign       `bargain campaign launch --year 2026`: one case and its opened + send_offer events per
                 enterprise. Target ≥ 10,000 cases/s. Floor: plain sqlite3 executemany of the very case and
                 event rows the launch wrote (read back from its file) into a fresh file of the same schema.
  relaunch       the same launch again: opens nothing.
  memory         the peak of each child above. Target ≤ 300 MB.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Figure, Results, python_child

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(1000, int(100_000 * SCALE))
DISTRICTS = [f"3205{d:02d}" for d in (5, 6, 7, 8, 71)]
HEADER = ["统一社会信用代码", "企业名称", "所属工会", "行业", "职工人数", "是否建会"]
TRADES = [("精密机械", "制造业"), ("电子科技", "制造业"), ("建设工程", "建筑业"), ("物流", "交通运输业"), ("餐饮管理", "住宿和餐饮业")]
MEMORY_MB = 300


def cpu_note(n: int, out: dict[str, Any], unit: str) -> str:
    """The rate by the child's own CPU time: what the work costs when the machine is shared."""
    return f"by CPU time {n / max(out['cpu_seconds'], 1e-9):,.0f} {unit}"


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def towns() -> list[tuple[str, str, str]]:
    """(code, name, parent) of the towns: four per district."""
    return [(f"{d}{t:03d}", f"{d}第{t}街道总工会", d) for d in DISTRICTS for t in range(1, 5)]


def rows() -> list[list[Any]]:
    """The enterprises, as a spreadsheet would list them."""
    from engine.credit import make_credit_code

    places = towns()
    out = []
    for i in range(N):
        org = places[i % len(places)][0]
        trade, industry = TRADES[i % len(TRADES)]
        out.append([make_credit_code(org[:6], 10_000 + i), f"苏州{i}号{trade}有限公司", org, industry, 8 + (i * 37) % 900,
                    "否" if i % 3 == 0 else "是"])
    return out


def write_files(folder: Path, data: list[list[Any]]) -> tuple[Path, Path, Path]:
    """orgs.csv, enterprises.csv (GB18030) and enterprises.xlsx."""
    import openpyxl

    orgs = folder / "orgs.csv"
    lines = ["code,name,kind,parent_code", "320500,苏州市总工会,city,"]
    lines += [f"{d},{d}区总工会,district,320500" for d in DISTRICTS]
    lines += [f"{c},{n},town,{p}" for c, n, p in towns()]
    orgs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = folder / "enterprises.csv"
    with text.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(data)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("企业")
    ws.append(HEADER)
    for r in data:
        ws.append([r[0], r[1], int(r[2]), r[3], r[4], r[5]])
    xlsx = folder / "enterprises.xlsx"
    book.save(xlsx)
    return orgs, text, xlsx


def bargain(*args: str) -> tuple[float, float, dict[str, Any]]:
    """The real CLI in a child interpreter: wall seconds, peak MB, its JSON output."""
    code = f"import sys\nsys.argv = {['bargain', *args, '--format', 'json']!r}\nfrom cli import main\nmain()\n"
    wall, peak, out = python_child(code)
    return wall, peak, json.loads(out)


def connect(path: Path) -> sqlite3.Connection:
    """Plain sqlite3 with the store's pragmas."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def fresh_schema(folder: Path, name: str) -> Path:
    """A new SQLite file with the engine's schema (made by its own migration) and the organisations."""
    from engine.store.database import Store

    path = folder / name
    Store(f"sqlite:///{path}").dispose()
    return path


def org_paths() -> dict[str, str]:
    paths = {"320500": "/320500/", **{d: f"/320500/{d}/" for d in DISTRICTS}}
    paths.update({c: f"/320500/{p}/{c}/" for c, _, p in towns()})
    return paths


def floor_rows(path: Path, read: Any) -> float:
    """Rows/s of reading a file and writing its rows with plain sqlite3 executemany (no checks)."""
    paths = org_paths()
    conn = connect(path)
    start = time.perf_counter()
    data = [(r[0], r[1], str(r[2]), paths[str(r[2])], r[3], int(r[4]), r[5] == "是") for r in read()]
    conn.executemany("INSERT INTO enterprise (credit_code, name, org_code, org_path, industry, employees, has_union)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", data)
    conn.commit()
    seconds = time.perf_counter() - start
    conn.close()
    return len(data) / seconds


def read_csv(path: Path) -> Any:
    def read() -> Any:
        with path.open(encoding="gb18030", newline="") as f:
            it = csv.reader(f)
            next(it)
            yield from it
    return read


def read_xlsx(path: Path) -> Any:
    """The sheet's rows the cheapest way we know: python-calamine (what the import reads a formula-free book with),
    numbers as it gives them (floats) turned into the org code and head count."""
    def read() -> Any:
        from python_calamine import load_workbook

        book = load_workbook(str(path))
        it = book.get_sheet_by_index(0).iter_rows()
        next(it)
        for r in it:
            yield [r[0], r[1], int(r[2]), r[3], int(r[4]), r[5]]
        book.close()
    return read


def floor_campaign(source: Path, target: Path) -> float:
    """Cases/s of writing the launch's own case and event rows with plain sqlite3 executemany."""
    src = sqlite3.connect(source)
    cases = src.execute("SELECT * FROM bcase").fetchall()
    case_cols = [d[0] for d in src.execute("SELECT * FROM bcase LIMIT 0").description]
    events = src.execute("SELECT * FROM event").fetchall()
    event_cols = [d[0] for d in src.execute("SELECT * FROM event LIMIT 0").description]
    ents = src.execute("SELECT * FROM enterprise").fetchall()
    src.close()
    conn = connect(target)
    conn.executemany(f"INSERT INTO enterprise VALUES ({','.join('?' * len(ents[0]))})", ents)
    conn.commit()
    start = time.perf_counter()
    conn.executemany(f"INSERT INTO bcase ({','.join(case_cols)}) VALUES ({','.join('?' * len(case_cols))})", cases)
    conn.executemany(f'INSERT INTO event ({",".join(chr(34) + c + chr(34) for c in event_cols)}) '
                     f"VALUES ({','.join('?' * len(event_cols))})", events)
    conn.commit()
    seconds = time.perf_counter() - start
    conn.close()
    return len(cases) / seconds


def counts(path: Path) -> tuple[int, int, int]:
    """Enterprises, cases and events in a file."""
    conn = sqlite3.connect(path)
    out = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("enterprise", "bcase", "event"))
    conn.close()
    return out  # type: ignore[return-value]


def run(results: Results, argv: list[str]) -> None:
    """Import N enterprises from CSV and from XLSX, then launch the campaign over them."""
    folder = Path(tempfile.mkdtemp(prefix="bargain-bench-import-"))
    try:
        data = rows()
        orgs, text, xlsx = write_files(folder, data)
        del data
        db = folder / "csv.db"
        url = f"sqlite:///{db}"
        bargain("--db", url, "org", "import", str(orgs))

        _, peak, out = bargain("--db", url, "enterprise", "import", str(text))
        assert out["inserted"] == N and out["rejected"] == 0, out
        floor = floor_rows(fresh_schema(folder, "floor-csv.db"), read_csv(text))
        results.add(Figure(scaled(f"import: {N:,} enterprises from a GB18030 CSV, SQLite"), N / out["seconds"], "rows/s",
                           target=20_000, floor=floor, note=cpu_note(N, out, "rows/s")))
        results.add(Figure(scaled("import CSV: peak memory of the CLI process"), peak, "MB", target=MEMORY_MB, higher_is_better=False))
        _, peak, out = bargain("--db", url, "enterprise", "import", str(text))
        assert out["unchanged"] == N, out
        results.add(Figure(scaled(f"re-import: the same {N:,} rows, all unchanged"), N / out["seconds"], "rows/s", floor=floor,
                           note=cpu_note(N, out, "rows/s")))

        xdb = folder / "xlsx.db"
        bargain("--db", f"sqlite:///{xdb}", "org", "import", str(orgs))
        _, xpeak, out = bargain("--db", f"sqlite:///{xdb}", "enterprise", "import", str(xlsx))
        assert out["inserted"] == N and out["rejected"] == 0, out
        results.add(Figure(scaled(f"import: {N:,} enterprises from an XLSX, SQLite"), N / out["seconds"], "rows/s",
                           target=20_000, floor=floor_rows(fresh_schema(folder, "floor-xlsx.db"), read_xlsx(xlsx)),
                           note=cpu_note(N, out, "rows/s")))
        results.add(Figure(scaled("import XLSX: peak memory of the CLI process"), xpeak, "MB", target=MEMORY_MB,
                           higher_is_better=False))

        _, peak, out = bargain("--db", url, "campaign", "launch", "--year", "2026", "--at", "2026-03-02")
        assert out["opened"] == N and counts(db) == (N, N, 2 * N), (out["opened"], counts(db))
        results.add(Figure(scaled(f"campaign launch: {N:,} cases, each with its opened + send_offer events"),
                           N / out["seconds"], "cases/s", target=10_000,
                           floor=floor_campaign(db, fresh_schema(folder, "floor-campaign.db")), note=cpu_note(N, out, "cases/s")))
        results.add(Figure(scaled("campaign launch: peak memory of the CLI process"), peak, "MB", target=MEMORY_MB,
                           higher_is_better=False))
        _, _, out = bargain("--db", url, "campaign", "launch", "--year", "2026", "--at", "2026-03-02")
        assert out["opened"] == 0 and counts(db) == (N, N, 2 * N), out
        results.add(Figure(scaled("campaign relaunch: opens nothing"), out["seconds"] * 1000, "ms", higher_is_better=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
