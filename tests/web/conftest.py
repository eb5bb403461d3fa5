"""The web tests' world: the demo city (60 enterprises) with its users, copied per test; the real app over it.

Every test runs twice: on a SQLite file and on the test run's PostgreSQL server (BARGAIN_TEST_PG; skipped
without one, a failure under CI=true). The base database is built once per session on each; each test gets
its own copy, so writes never leak between tests.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
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
from tests.helpers.browser import browser, server  # noqa: F401 - the browser journeys' fixtures (tests/helpers)

RECORDED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PASSWORDS = {u[0]: u[5] for u in demo.DEMO_USERS} | {"viewer": "viewer-password-2026"}
OTHER_DISTRICT = "320506"
PG_URL = os.environ.get("BARGAIN_TEST_PG", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")  # 吴中区: outside chen's and huqiu's grants (320505)


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


def _build(url: str) -> dict[str, int]:
    """The demo city with its users, a viewer, and the tests' own cases, written into an empty database."""
    store = Store(url)
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
    return {"draft": draft, "fresh": fresh, "other": other, "huqiu_other_counselor": mate}


def _pg_admin() -> Any:
    import sqlalchemy as sa

    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # CREATE/DROP DATABASE run outside a transaction


def _pg_database(name: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Base:
    """The built base: a SQLite file or a PostgreSQL database (copied per test), and the tests' case ids."""

    kind: str
    where: str  # the file's path, or the PostgreSQL database's name
    ids: dict[str, int]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def base_world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Base]:
    """The demo city built once per session on each database: a SQLite file, and a PostgreSQL database of the
    test run's server (BARGAIN_TEST_PG) that every test copies as a template."""
    import sqlalchemy as sa

    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "base.db"
        yield Base("sqlite", str(path), _build(f"sqlite:///{path}"))
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but no PostgreSQL server (BARGAIN_TEST_PG is not set)")
        pytest.skip("no PostgreSQL server: set BARGAIN_TEST_PG or run `make test`, which starts one")
    name = "web_base_" + uuid.uuid4().hex[:10]
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield Base("postgresql", name, _build(_pg_database(name)))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def world(base_world: Base, tmp_path: Path) -> Iterator[World]:
    """A private copy of the base database: a copied file, or a PostgreSQL database made from the base as its
    template (a file-level copy: a few hundred milliseconds), dropped afterwards."""
    import sqlalchemy as sa

    if base_world.kind == "sqlite":
        target = tmp_path / "web.db"
        shutil.copy(base_world.where, target)
        for suffix in ("-wal", "-shm"):
            if Path(f"{base_world.where}{suffix}").exists():
                shutil.copy(f"{base_world.where}{suffix}", f"{target}{suffix}")
        yield World(f"sqlite:///{target}", **base_world.ids)
        return
    name = "web_t_" + uuid.uuid4().hex[:10]
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{base_world.where}"'))
    try:
        yield World(_pg_database(name), **base_world.ids)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
