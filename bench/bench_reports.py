"""The reports benchmark: `report campaign` and `report coverage` over 1,000,000 cases on SQLite, grouped by
sub-organisation, each against the same hand-written SQL run through sqlite3 directly.

Data (BENCH_SCALE scales the counts; the targets are for scale 1): a city (320500) with 10 districts of 10
towns each; N enterprises (5% attached to a district directly), one case each, 85% offered in 2026 and 15% in
2025, with the projection columns a real case row carries and a facts payload of realistic size. The schema is
the real one (created by Store), filled with sqlite3 executemany; no ANALYZE is run, as a user would not.

Figures (median of RUNS, warm page cache; each notes the engine's CPU time and the load average, since the wall
time on a shared machine includes waiting for other processes):
  report campaign   engine.reports.campaign(year=2026, org=320500, by=org): the query and the roll-up, as the
                    CLI runs them. Floor: the same GROUP BY statement through sqlite3.
  report coverage   engine.reports.coverage(as_of=2026-12-31, org=320500, by=org). Floor: the same statement.
  subtree campaign  the same for one district (a tenth of the data): the path range must use the index.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import Figure, Results, tmp_sqlite

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(10_000, int(1_000_000 * SCALE))
RUNS = 5
TARGET_S = 1.0
DISTRICTS = [f"3205{d:02d}" for d in range(1, 11)]
FACTS = json.dumps({"last": {
    "send_offer": {"at": "2026-03-02T09:00:00+08:00", "seq": 2, "level": "upper", "received_on": "2026-03-03"},
    "accept": {"at": "2026-03-12T09:00:00+08:00", "seq": 3},
    "set_topics": {"at": "2026-03-20T09:00:00+08:00", "seq": 4, "topics": ["职工年度平均工资水平及其调整幅度", "高温津贴标准"],
                   "opinions": 120},
    "sign": {"at": "2026-04-20T09:00:00+08:00", "seq": 9, "term_start": "2026-05-01", "term_end": "2027-04-30"},
}, "count": {"send_offer": 1, "accept": 1, "set_topics": 1, "sign": 1}}, ensure_ascii=False)


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def build(path: str) -> None:
    """Fill the real schema with the city, N enterprises and N cases."""
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    orgs = [("320500", "苏州市总工会", "city", None, "/320500/")]
    towns: list[tuple[str, str]] = []
    for d in DISTRICTS:
        orgs.append((d, f"{d}区总工会", "district", "320500", f"/320500/{d}/"))
        for t in range(1, 11):
            code = f"{d}{t:03d}"
            orgs.append((code, f"{code}街道总工会", "town", d, f"/320500/{d}/{code}/"))
            towns.append((code, f"/320500/{d}/{code}/"))
    db.executemany("INSERT INTO org (code, name, kind, parent_code, path) VALUES (?, ?, ?, ?, ?)", orgs)

    ents: list[tuple[str, int, int]] = []  # the enterprise fields each case row carries a copy of

    def enterprises() -> Any:
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

    db.executemany("INSERT INTO enterprise (id, credit_code, name, org_code, org_path, industry, employees, has_union) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", enterprises())

    def cases() -> Any:
        for i in range(1, N + 1):
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
            yield (i, i, "enterprise_wage", 1, state, "national", 12, FACTS, f"{year}-03-01 01:00:00.000000",
                   year, offered.isoformat(), "upper" if i % 9 < 5 else "enterprise", received.isoformat(), response,
                   responded and responded.isoformat(), due.isoformat(), signed and signed.isoformat(),
                   filed and filed.isoformat(), effective and effective.isoformat(),
                   term_start and term_start.isoformat(), term_end and term_end.isoformat(), *ents[i - 1])

    db.executemany(
        "INSERT INTO bcase (id, enterprise_id, workflow, workflow_version, state, jurisdiction, version, facts, opened_at, "
        "offer_year, offered_on, offer_level, offer_received_on, response, responded_on, reply_due, signed_on, filed_on, "
        "effective_on, term_start, term_end, ent_path, ent_employees, ent_has_union) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cases())
    db.commit()
    db.close()


CAMPAIGN_SQL = """
SELECT c.ent_path, COUNT(*),
  SUM(CASE WHEN c.offer_level = 'upper' THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.response = 'accepted' THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.response = 'accepted' AND c.responded_on <= c.reply_due THEN 1 ELSE 0 END),
  SUM(CASE WHEN c.response IN ('refused', 'lapsed') THEN 1 ELSE 0 END),
  COUNT(*) - COUNT(c.response), COUNT(c.signed_on), COUNT(c.filed_on), COUNT(c.effective_on),
  SUM(CASE WHEN c.effective_on IS NOT NULL THEN c.ent_employees ELSE 0 END)
FROM bcase c
WHERE c.offer_year = 2026 AND c.ent_path >= ? AND c.ent_path < ?
GROUP BY c.ent_path
"""

# Denominators from the enterprises, numerators from the cases in force (each enterprise once: a case counts
# unless an earlier case of the same enterprise is also in force), added up by group; the engine adds a third
# part for regional coverage, empty here.
COVERAGE_SQL = """
SELECT g, SUM(n), SUM(u), SUM(cov), SUM(u50), SUM(cov50), SUM(u100), SUM(cov100), SUM(workers), SUM(ents)
FROM (
  SELECT e.org_path AS g, COUNT(*) AS n, SUM(CASE WHEN e.has_union IS 1 THEN 1 ELSE 0 END) AS u, 0 AS cov,
         SUM(CASE WHEN e.has_union IS 1 AND e.employees >= 50 THEN 1 ELSE 0 END) AS u50, 0 AS cov50,
         SUM(CASE WHEN e.has_union IS 1 AND e.employees >= 100 THEN 1 ELSE 0 END) AS u100, 0 AS cov100,
         0 AS workers, 0 AS ents
  FROM enterprise e WHERE e.org_path >= ?1 AND e.org_path < ?2 GROUP BY e.org_path
  UNION ALL
  SELECT c.ent_path, 0, 0, SUM(CASE WHEN c.ent_has_union IS 1 THEN 1 ELSE 0 END), 0,
         SUM(CASE WHEN c.ent_has_union IS 1 AND c.ent_employees >= 50 THEN 1 ELSE 0 END), 0,
         SUM(CASE WHEN c.ent_has_union IS 1 AND c.ent_employees >= 100 THEN 1 ELSE 0 END), SUM(c.ent_employees), COUNT(*)
  FROM bcase c
  WHERE c.effective_on IS NOT NULL AND c.effective_on <= ?3 AND c.term_end >= ?3 AND c.ent_path >= ?1 AND c.ent_path < ?2
    AND NOT EXISTS (SELECT 1 FROM bcase o WHERE o.ent_path = c.ent_path AND o.enterprise_id = c.enterprise_id
                    AND o.id < c.id AND o.effective_on IS NOT NULL AND o.effective_on <= ?3 AND o.term_end >= ?3)
  GROUP BY c.ent_path)
GROUP BY g
"""


def median_time(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of RUNS calls (after one warm-up), and the last result. The CPU time shows what
    the wall time would be without other processes competing for the machine."""
    out = fn()
    walls, cpus = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), out


def note(cpu: float) -> str:
    """The CPU time of the engine's run and the machine's load while it ran."""
    return f"cpu {cpu * 1000:,.0f} ms, load {os.getloadavg()[0]:.1f}"


def run(results: Results, argv: list[str]) -> None:
    """Build the data, then time each report against its hand-written SQL."""
    from engine.reports.campaign import campaign
    from engine.reports.coverage import coverage
    from engine.store.database import Store

    url = tmp_sqlite("reports.db")
    path = url[len("sqlite:///"):]
    Store(url).dispose()  # the real schema and indexes
    start = time.perf_counter()
    build(path)
    print(f"built {N:,} enterprises and {N:,} cases in {time.perf_counter() - start:.1f} s "
          f"({Path(path).stat().st_size / 1e6:,.0f} MB)", flush=True)
    store = Store(url)
    raw = sqlite3.connect(path)
    day = date(2026, 12, 31)
    try:
        for label, org, lo, hi in (("", "320500", "/320500/", "/3205000"), ("subtree ", "320501", "/320500/320501/",
                                                                              "/320500/3205010")):
            def eng_campaign(org: str = org) -> Any:
                with store.read() as conn:
                    return campaign(conn, year=2026, org=org)

            def sql_campaign(lo: str = lo, hi: str = hi) -> Any:
                return raw.execute(CAMPAIGN_SQL, (lo, hi)).fetchall()

            t_eng, cpu, rep = median_time(eng_campaign)
            t_sql, _, rows = median_time(sql_campaign)
            total = rep.main.total
            assert total is not None and total["offers"] == sum(r[1] for r in rows), "engine and SQL disagree"
            results.add(Figure(scaled(f"{label}report campaign ({total['offers']:,} offers, by org)"), t_eng * 1000, "ms",
                               target=None if label else TARGET_S * 1000, higher_is_better=False,
                               floor=t_sql * 1000, note=note(cpu)))

            def eng_coverage(org: str = org) -> Any:
                with store.read() as conn:
                    return coverage(conn, as_of=day, org=org)

            def sql_coverage(lo: str = lo, hi: str = hi) -> Any:
                return raw.execute(COVERAGE_SQL, (lo, hi, day.isoformat())).fetchall()

            t_eng, cpu, rep = median_time(eng_coverage)
            t_sql, _, rows = median_time(sql_coverage)
            total = rep.main.total
            assert total is not None and total["covered"] == sum(r[3] for r in rows), "engine and SQL disagree"
            results.add(Figure(scaled(f"{label}report coverage ({total['enterprises']:,} enterprises, by org)"), t_eng * 1000,
                               "ms", target=None if label else TARGET_S * 1000, higher_is_better=False,
                               floor=t_sql * 1000, note=note(cpu)))
    finally:
        raw.close()
        store.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        Path(path).parent.rmdir()  # the temporary folder tmp_sqlite made
