"""Shared fixtures: every store test runs on a real SQLite file and on a real PostgreSQL server.

PostgreSQL comes from BARGAIN_TEST_PG (make test starts a throw-away cluster and sets it). Without
it, PostgreSQL tests skip with the reason shown; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BARGAIN_TEST_PG", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_schema_url(base: str) -> Iterator[str]:
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def pg_database_url(base: str) -> Iterator[str]:
    """A new database of its own on the server (dropped after), for tests whose PostgreSQL plans must not depend on
    what runs beside them: a transaction open in another schema of the same database holds back VACUUM there (its
    xmin horizon), so dead rows stay, pages are not all-visible and the planner's costs change; since PostgreSQL 14
    the horizon of an ordinary table counts only the transactions of its own database."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def pg_url_or_skip() -> str:
    """The test server's URL; without one the test skips with the reason (under CI=true it fails)."""
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but no PostgreSQL server (BARGAIN_TEST_PG is not set)")
        pytest.skip("no PostgreSQL server: set BARGAIN_TEST_PG or run `make test`, which starts one")
    return PG_URL


def fresh_db_url(request: pytest.FixtureRequest, tmp_path: Path, *, own_database: bool = False) -> Iterator[str]:
    """A fresh, empty database URL by the fixture's param: a SQLite file in tmp_path, or on PostgreSQL a new schema
    (with `own_database`, a new database: pg_database_url)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bargain.db'}"
        return
    base = pg_url_or_skip()
    yield from pg_database_url(base) if own_database else _pg_schema_url(base)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file in tmp_path, or a new schema on PostgreSQL."""
    yield from fresh_db_url(request, tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    """An opened, migrated store on the fresh database."""
    from engine.store.database import Store

    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture
def at() -> Any:
    """09:00 Asia/Shanghai on a given ISO date (or the given ISO datetime)."""
    from engine.times import parse_at

    def make(text: str) -> datetime:
        return parse_at(text)

    return make


class Cli:
    """Runs the real Typer app in-process against one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, lang: str = "en") -> Any:
        from cli import app

        return self.runner.invoke(app, ["--db", self.url, "--lang", lang, *args], catch_exceptions=False)


@pytest.fixture
def cli(db_url: str) -> Cli:
    """The CLI bound to a fresh database."""
    return Cli(db_url)


def bargain_exe() -> str:
    """The installed console script."""
    exe = Path(sys.executable).parent / "bargain"
    return str(exe) if exe.exists() else shutil.which("bargain") or "bargain"


def run_bargain(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `bargain` script as a real process."""
    return subprocess.run([bargain_exe(), *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          cwd=cwd, timeout=120)


def seed_city(url: str) -> dict[str, str]:
    """A small hierarchy with two enterprises (one without a union); returns their credit codes."""
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store

    s = Store(url)
    union, no_union = make_credit_code("320505", 1), make_credit_code("320505", 2)
    with s.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        directory.upsert_org(conn, "320505", "高新区总工会", "district", "320500")
        directory.upsert_enterprises(conn, [
            {"credit_code": union, "name": "甲公司", "org_code": "320505", "industry": "制造业", "employees": 120, "has_union": True},
            {"credit_code": no_union, "name": "乙公司", "org_code": "320505", "industry": "餐饮", "employees": 30, "has_union": False},
        ])
        directory.add_counselor(conn, {"name": "王建国", "kind": "full_time", "status": "retired", "org_code": "320505"})
    s.dispose()
    return {"union": union, "no_union": no_union}
