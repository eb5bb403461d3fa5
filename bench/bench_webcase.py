"""The case page with its corrections (issue 16): what a manager or a counselor waits for in the browser.

The demo city (300 enterprises, engine.usecases.demo, untimed) with its users on a SQLite file in a fresh temporary
folder, and one case walked through the congress vote (7 transitions, so 7 amend forms on its page). The real app is driven
in-process through Starlette's TestClient, logged in as the district's manager; each request runs RUNS times and its
median wall time is reported. The floor, in the same run, is `GET /api/v1/me` over the same session: the cookie, the
session row and the user read, the security headers, nothing else.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import Figure, Results

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RUNS = max(5, round(15 * min(SCALE, 1.0)))
RECORDED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def scaled(text: str) -> str:
    """A figure name, marked when BENCH_SCALE shrinks it."""
    return text if SCALE == 1 else f"{text} [BENCH_SCALE={SCALE:g}]"


def median_ms(call: Callable[[], Any]) -> float:
    """The median wall milliseconds of RUNS calls (after one untimed warm-up)."""
    call()
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def _world(path: Path) -> tuple[Any, int, int]:
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store
    from engine.times import at_date
    from engine.usecases import acts, caseview, demo

    store = Store(f"sqlite:///{path}")
    demo.run(store, n_enterprises=max(20, round(300 * SCALE)))
    code = make_credit_code("320505", 990001)
    with store.unit_of_work() as uow:
        directory.upsert_enterprises(uow.conn, [{"credit_code": code, "name": "狮山测试精密机械有限公司", "org_code": "320505001",
                                                 "industry": "制造业", "employees": 80, "has_union": True}])
        uow.commit()
    case_id = acts.open_case(store, code, at=at_date(date(2026, 3, 1)), recorded_at=RECORDED, actor="bench",
                             counselor_id=3).case_id
    reps = [{"name": n, "chief": i == 0} for i, n in enumerate(["赵一", "钱二", "孙三"])]
    for trigger, day, data in [
        ("send_offer", date(2026, 3, 2), {"level": "enterprise", "received_on": date(2026, 3, 2)}),
        ("accept", date(2026, 3, 10), {}), ("set_topics", date(2026, 3, 20), {"topics": ["工资增幅"]}),
        ("elect_reps", date(2026, 3, 30), {"worker_reps": reps, "employer_reps": [{**r, "name": r["name"] + "甲"} for r in reps],
                                           "recorder": "郑七"}),
        ("hold_round", date(2026, 4, 8), {"chair": "worker", "outcome": "达成一致"}), ("agree_draft", date(2026, 4, 10), {}),
        ("approve", date(2026, 4, 20), {"body": "congress", "total": 60, "present": 45, "votes_for": 40}),
    ]:
        acts.advance(store, case_id, trigger, data, at=at_date(day), recorded_at=RECORDED, actor="chen")
    demo.add_users(store)
    entries = caseview.timeline(store, case_id, as_of=date(2026, 12, 1))["entries"]
    seq = int([e for e in entries if e["kind"] == "transition"][-1]["seq"])
    return store, case_id, seq


def run(results: Results, argv: list[str]) -> None:
    from fastapi.testclient import TestClient

    from engine.usecases import demo
    from web.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-webcase-"))
    try:
        store, case_id, seq = _world(folder / "web.db")
        client = TestClient(create_app(store))
        page = client.get("/login").text
        token = re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        password = {u[0]: u[5] for u in demo.DEMO_USERS}["huqiu"]
        assert client.post("/login", data={"login": "huqiu", "password": password, "csrftoken": token},
                           follow_redirects=False).status_code == 303
        token = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/cases").text).group(1)  # type: ignore[union-attr]

        def me() -> None:
            assert client.get("/api/v1/me").status_code == 200

        def case_page() -> None:
            r = client.get(f"/cases/{case_id}")
            assert r.status_code == 200 and f'id="amend-{seq}"' in r.text

        def refused_amend() -> None:
            r = client.post(f"/cases/{case_id}/amend", data={
                "csrftoken": token, "seq": str(seq), "workflow": "enterprise_wage", "trigger": "approve", "d.body": "congress",
                "d.total": "60", "d.present": "39", "d.votes_for": "35", "reason": "bench"})
            assert r.status_code == 422 and "quorum_met" in r.text

        def form() -> None:
            r = client.get("/orgs/320505/registration.xlsx")
            assert r.status_code == 200 and r.content[:2] == b"PK"

        floor = median_ms(me)
        load = os.getloadavg()[0]
        note = f"median of {RUNS}, load {load:.1f} on {os.cpu_count()} CPUs"
        results.add(Figure(scaled("web: GET /cases/ID, case page with 7 amend forms and the undo form"), median_ms(case_page),
                           "ms", target=300, higher_is_better=False, floor=floor, note=note))
        results.add(Figure(scaled("web: POST /cases/ID/amend refused (39 of 60), the page again"), median_ms(refused_amend),
                           "ms", target=500, higher_is_better=False, floor=floor, note=note))
        results.add(Figure(scaled("web: GET /orgs/320505/registration.xlsx"), median_ms(form), "ms", target=1000,
                           higher_is_better=False, floor=floor, note=note))
        store.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
