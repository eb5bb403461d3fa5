"""The web tests' world: the demo city (60 enterprises) with its users, copied per test; the real app over it.

The base database is built once per session; each test gets its own copy, so writes never leak between tests.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.credit import make_credit_code
from engine.store import directory
from engine.store.database import Store
from engine.times import at_date
from engine.usecases import acts, demo, users

RECORDED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PASSWORDS = {u[0]: u[5] for u in demo.DEMO_USERS} | {"viewer": "viewer-password-2026"}
OTHER_DISTRICT = "320506"  # 吴中区: outside chen's and huqiu's grants (320505)


@dataclass
class World:
    """A copy of the base database, and cases the tests act on."""

    url: str
    draft: int  # chen's case in 320505 at draft_agreed (the congress vote comes next)
    fresh: int  # chen's case in 320505 at targeted (the offer comes next)
    other: int  # a case in another district (320506)
    huqiu_other_counselor: int  # a case in 320505 assigned to a counselor other than chen


def _enterprise(store: Store, serial: int, org: str, name: str) -> str:
    code = make_credit_code(org[:6], 990000 + serial)
    with store.unit_of_work() as uow:
        directory.upsert_enterprises(uow.conn, [{"credit_code": code, "name": name, "org_code": org, "industry": "制造业",
                                                 "employees": 80, "has_union": True}])
        uow.commit()
    return code


def _play_to_draft(store: Store, case_id: int) -> None:
    steps: list[tuple[str, date, dict[str, Any]]] = [
        ("send_offer", date(2026, 3, 2), {"level": "enterprise", "received_on": date(2026, 3, 2)}),
        ("accept", date(2026, 3, 10), {}),
        ("set_topics", date(2026, 3, 20), {"topics": ["工资增幅", "加班工资计算基数"]}),
        ("elect_reps", date(2026, 3, 30), {
            "worker_reps": [{"name": n, "chief": i == 0} for i, n in enumerate(["赵一", "钱二", "孙三"])],
            "employer_reps": [{"name": n, "chief": i == 0} for i, n in enumerate(["李四", "周五", "吴六"])],
            "recorder": "郑七"}),
        ("hold_round", date(2026, 4, 8), {"chair": "worker", "outcome": "达成一致"}),
        ("agree_draft", date(2026, 4, 10), {}),
    ]
    for trigger, day, data in steps:
        acts.advance(store, case_id, trigger, data, at=at_date(day), recorded_at=RECORDED, actor="fixture")


@pytest.fixture(scope="session")
def base_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The demo city with its users, a viewer, and the tests' own cases: built once."""
    path = tmp_path_factory.mktemp("web") / "base.db"
    store = Store(f"sqlite:///{path}")
    demo.run(store, n_enterprises=60)
    draft = acts.open_case(store, _enterprise(store, 1, "320505001", "狮山测试精密机械有限公司"), at=at_date(date(2026, 3, 1)),
                           recorded_at=RECORDED, actor="fixture", counselor_id=3).case_id
    _play_to_draft(store, draft)
    fresh = acts.open_case(store, _enterprise(store, 2, "320505002", "浒墅关测试电子有限公司"), at=at_date(date(2026, 3, 1)),
                           recorded_at=RECORDED, actor="fixture", counselor_id=3).case_id
    other = acts.open_case(store, _enterprise(store, 3, "320506001", "甪直测试纺织有限公司"), at=at_date(date(2026, 3, 1)),
                           recorded_at=RECORDED, actor="fixture", counselor_id=2).case_id
    mate = acts.open_case(store, _enterprise(store, 4, "320505001", "狮山测试物流有限公司"), at=at_date(date(2026, 3, 1)),
                          recorded_at=RECORDED, actor="fixture", counselor_id=1).case_id
    demo.add_users(store)
    users.add_user(store, "viewer", name="市总审计", role="viewer", org="320500", password=PASSWORDS["viewer"])
    store.dispose()
    return path, {"draft": draft, "fresh": fresh, "other": other, "huqiu_other_counselor": mate}


@pytest.fixture
def world(base_world: tuple[Path, dict[str, int]], tmp_path: Path) -> World:
    """A private copy of the base database."""
    path, ids = base_world
    target = tmp_path / "web.db"
    shutil.copy(path, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            shutil.copy(f"{path}{suffix}", f"{target}{suffix}")
    return World(f"sqlite:///{target}", **ids)


@pytest.fixture
def store(world: World) -> Iterator[Store]:
    """The test's database."""
    s = Store(world.url)
    yield s
    s.dispose()


@pytest.fixture
def app(store: Store) -> Any:
    """The real application over the test's database."""
    from web.app import create_app

    return create_app(store)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, "no csrftoken field on the page"
    return found.group(1)


def log_in(app: Any, login: str, password: str | None = None) -> TestClient:
    """A client logged in as a demo user (cookie set, redirected to /)."""
    client = TestClient(app)
    page = client.get("/login")
    r = client.post("/login", data={"login": login, "password": password or PASSWORDS[login], "csrftoken": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def token_of(client: TestClient) -> str:
    """The session's CSRF token, from any page."""
    return csrf_of(client.get("/cases").text)
