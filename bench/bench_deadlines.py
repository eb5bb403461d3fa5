"""The deadlines benchmark: the daily tick and a district's deadline list over 1,000,000 cases on SQLite.

Data (BENCH_SCALE scales the counts; the targets are for scale 1): a city with 10 districts; N enterprises, one
case each: 40% waiting for a reply to an offer received between 2026-03-01 and 2026-11-06, 10% filed for review
(received in the same span), 25% in force (published, terms ending 2026-03-01 .. 2027-12-31), 25% accepted
(no automatic deadline). 10% of the cases are under the Zhejiang profile (working days). Each row carries
the facts and projection columns (reply_due, next_due) the engine would have written; the schema is the real
one (created by Store), filled with sqlite3 executemany.

Figures:
  tick, nothing due     engine.usecases.tick.run as of 2026-03-01: only the candidate query runs. Floor: that query in sqlite3.
  tick, backlog         engine.usecases.tick.run as of 2026-11-03, the first tick ever (about half the cases lapse at once):
                        cases moved per second, through the machine, saved in batches. Floor: sqlite3 executemany
                        of the very events and case rows the tick wrote, on a copy taken before it.
  tick, one day         the next day's tick (as of 2026-11-04): the daily run over the whole database, moving one
                        day's lapses. Target: 60 s for 1,000,000 cases.
  tick again            the same tick run a second time (it must move nothing).
  deadlines, district   engine.store.agenda.scan of one district (a tenth of the cases) as of 2026-11-04: every pending
                        deadline computed with its rule. Floor: sqlite3 fetching the same rows.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from bench.common import Figure, Results, tmp_sqlite

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
N = max(10_000, int(1_000_000 * SCALE))
DISTRICTS = [f"3205{d:02d}" for d in range(1, 11)]
QUIET, BACKLOG, BUSY = date(2026, 3, 1), date(2026, 11, 3), date(2026, 11, 4)
TARGET_DAILY_S = 60.0
TARGET_DISTRICT_S = 5.0


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def _at(d: date) -> str:
    return f"{d.isoformat()}T09:00:00+08:00"


def facts(state: str, d: date) -> tuple[dict[str, Any], int]:
    """The facts of a case in a state whose deadline hangs on day d, and its version."""
    offer = {"at": _at(d - timedelta(days=1)), "seq": 2, "level": "upper", "received_on": d.isoformat()}
    last: dict[str, Any] = {"send_offer": offer}
    if state == "offer_sent":
        return {"last": last, "count": {"send_offer": 1}}, 2
    last["accept"] = {"at": _at(d - timedelta(days=400)), "seq": 3}
    offer.update(at=_at(d - timedelta(days=410)), received_on=(d - timedelta(days=409)).isoformat())
    if state == "accepted":
        return {"last": last, "count": {"send_offer": 1, "accept": 1}}, 3
    if state == "filed":
        last["sign"] = {"at": _at(d - timedelta(days=3)), "seq": 9, "term_start": (d + timedelta(days=30)).isoformat(),
                        "term_end": (d + timedelta(days=394)).isoformat()}
        last["file"] = {"at": _at(d), "seq": 10, "authority": "人社局", "received_on": d.isoformat()}
        return {"last": last, "count": {k: 1 for k in last}}, 10
    start = d - timedelta(days=364)
    last["sign"] = {"at": _at(start - timedelta(days=20)), "seq": 9, "term_start": start.isoformat(), "term_end": d.isoformat()}
    last["file"] = {"at": _at(start - timedelta(days=15)), "seq": 10, "received_on": (start - timedelta(days=15)).isoformat()}
    last["pass_review"] = {"at": _at(start - timedelta(days=5)), "seq": 11}
    last["publish"] = {"at": _at(start - timedelta(days=3)), "seq": 12, "method": "公告栏"}
    return {"last": last, "count": {k: 1 for k in last}}, 12


@cache
def projected(state: str, jurisdiction: str, d: date) -> tuple[str, int, str, dict[str, Any]]:
    """Facts JSON, version, last_at (as the store writes it) and the engine's own projection columns."""
    from engine.case import Case
    from engine.store.repository import case_columns

    f, version = facts(state, d)
    latest = max(f["last"].values(), key=lambda fact: int(fact["seq"]))
    last_at = datetime.fromisoformat(latest["at"]).astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    case = Case(0, "", "enterprise_wage", 1, state, jurisdiction, True, None, version, None, f)
    return json.dumps(f, ensure_ascii=False), version, last_at, case_columns(case)


def plan(i: int) -> tuple[str, str, date]:
    """State, jurisdiction and the deadline's day of case i."""
    k = (i * 7919) % 100
    jurisdiction = "zhejiang" if i % 10 == 3 else "national"
    if k < 40:
        return "offer_sent", jurisdiction, QUIET + timedelta(days=(i * 31) % 250)
    if k < 50:
        return "filed", jurisdiction, QUIET + timedelta(days=(i * 37) % 250)
    if k < 75:
        return "effective", jurisdiction, QUIET + timedelta(days=(i * 41) % 670)
    return "accepted", jurisdiction, QUIET + timedelta(days=(i * 43) % 250)


def build(path: str) -> None:
    """Fill the real schema with the city, N enterprises and N cases."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    db.executemany("INSERT INTO org (code, name, kind, parent_code, path) VALUES (?, ?, ?, ?, ?)",
                   [("320500", "苏州市总工会", "city", None, "/320500/")]
                   + [(d, f"{d}区总工会", "district", "320500", f"/320500/{d}/") for d in DISTRICTS])
    db.executemany("INSERT INTO enterprise (id, credit_code, name, org_code, org_path, industry, employees, has_union) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ((i, f"91320500{i:09d}X"[:18], f"企业{i}", DISTRICTS[i % 10], f"/320500/{DISTRICTS[i % 10]}/", "制造业",
                     100, 1) for i in range(1, N + 1)))
    cols = ("id", "enterprise_id", "workflow", "workflow_version", "state", "jurisdiction", "version", "facts", "opened_at",
            "last_at", "offer_year", "offered_on", "offer_level", "offer_received_on", "reply_due", "signed_on",
            "filed_on", "effective_on", "term_start", "term_end", "next_due", "lapse_due")

    def rows() -> Any:
        for i in range(1, N + 1):
            state, jurisdiction, d = plan(i)
            text, version, last_at, p = projected(state, jurisdiction, d)
            yield (i, i, "enterprise_wage", 1, state, jurisdiction, version, text, "2026-01-05 01:00:00.000000",
                   last_at, p["offer_year"], p["offered_on"], p["offer_level"], p["offer_received_on"], p["reply_due"],
                   p["signed_on"], p["filed_on"], p["effective_on"], p["term_start"], p["term_end"], p["next_due"],
                   p["lapse_due"])

    db.executemany(f"INSERT INTO bcase ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows())
    db.commit()
    db.close()


CANDIDATES_SQL = "SELECT id FROM bcase WHERE lapse_due < ?"


def floor_writes(before: str, after: str) -> float:
    """Seconds for sqlite3 to write, on a copy taken before the tick, the events and case rows the tick wrote."""
    done = sqlite3.connect(after)
    events = done.execute("SELECT case_id, seq, kind, \"trigger\", from_state, to_state, occurred_at, recorded_at, actor, "
                          "counselor_id, data, note FROM event WHERE actor = 'system'").fetchall()
    cases = done.execute("SELECT b.state, b.version, b.last_at, b.facts, b.next_due, b.lapse_due, b.id, b.version - e.n "
                         "FROM bcase b "
                         "JOIN (SELECT case_id, COUNT(*) AS n FROM event WHERE actor = 'system' GROUP BY case_id) e "
                         "ON e.case_id = b.id").fetchall()
    done.close()
    db = sqlite3.connect(before)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    db.executemany("INSERT INTO event (case_id, seq, kind, \"trigger\", from_state, to_state, occurred_at, recorded_at, "
                   "actor, counselor_id, data, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    db.executemany("UPDATE bcase SET state = ?, version = ?, last_at = ?, facts = ?, next_due = ?, lapse_due = ? "
                   "WHERE id = ? AND version = ?", cases)
    db.commit()
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def run(results: Results, argv: list[str]) -> None:
    """Build the data, then time the tick (quiet, busy, again) and a district's deadline list."""
    from engine.store import agenda
    from engine.store.database import Store
    from engine.usecases import tick

    url = tmp_sqlite("deadlines.db")
    path = url[len("sqlite:///"):]
    Store(url).dispose()
    start = time.perf_counter()
    build(path)
    print(f"built {N:,} cases in {time.perf_counter() - start:.1f} s", flush=True)
    recorded = datetime.now(UTC)
    store = Store(url)
    try:
        t0 = time.perf_counter()
        quiet = tick.run(store, as_of=QUIET, recorded_at=recorded)
        t_quiet = time.perf_counter() - t0
        assert not quiet.applied, "nothing is due on the quiet day"
        raw = sqlite3.connect(path)
        t0 = time.perf_counter()
        raw.execute(CANDIDATES_SQL, (QUIET.isoformat(),)).fetchall()
        f_quiet = time.perf_counter() - t0
        raw.close()
        results.add(Figure(scaled(f"tick, nothing due ({N:,} cases)"), t_quiet * 1000, "ms", target=1000,
                           higher_is_better=False, floor=f_quiet * 1000))

        before = path + ".before"
        store.dispose()
        shutil.copyfile(path, before)
        t0 = time.perf_counter()
        backlog = tick.run(store, as_of=BACKLOG, recorded_at=recorded)
        t_backlog = time.perf_counter() - t0
        moved = backlog.cases
        assert moved > N // 4, f"the first tick should move many cases, moved {moved}"
        f_backlog = floor_writes(before, path)
        results.add(Figure(scaled(f"tick, backlog ({moved:,} of {N:,} moved in {t_backlog:.1f} s)"), moved / t_backlog,
                           "cases/s", floor=moved / f_backlog))
        t0 = time.perf_counter()
        daily = tick.run(store, as_of=BUSY, recorded_at=recorded)
        t_daily = time.perf_counter() - t0
        assert daily.cases > 0, "the next day has lapses too"
        results.add(Figure(scaled(f"tick, one day ({daily.cases:,} moved, {N:,} cases)"), t_daily, "s",
                           target=TARGET_DAILY_S, higher_is_better=False))
        t0 = time.perf_counter()
        again = tick.run(store, as_of=BUSY, recorded_at=recorded)
        t_again = time.perf_counter() - t0
        assert not again.applied, "a second tick must move nothing"
        results.add(Figure(scaled(f"tick again, nothing moved ({N:,} cases)"), t_again * 1000, "ms", target=1000,
                           higher_is_better=False))

        district = DISTRICTS[3]
        t0 = time.perf_counter()
        with store.read() as conn:
            listed = sum(len(r.deadlines) for r in agenda.scan(conn, BUSY, org=district))
        t_district = time.perf_counter() - t0
        raw = sqlite3.connect(path)
        t0 = time.perf_counter()
        raw.execute("SELECT b.id, b.facts, b.state, b.jurisdiction, e.name, e.org_code FROM bcase b JOIN enterprise e "
                    "ON e.id = b.enterprise_id WHERE e.org_path >= ? AND e.org_path < ? AND b.state IN "
                    "('disputed', 'effective', 'filed', 'offer_sent', 'signed', 'suspended') ORDER BY b.id",
                    (f"/320500/{district}/", f"/320500/{district}0")).fetchall()
        f_district = time.perf_counter() - t0
        raw.close()
        results.add(Figure(scaled(f"deadlines, one district ({listed:,} pending deadlines)"), t_district, "s",
                           target=TARGET_DISTRICT_S, higher_is_better=False, floor=f_district))
    finally:
        store.dispose()
