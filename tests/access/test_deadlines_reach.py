"""`deadlines --org` for a user (issue 18 item 1): the generated statement narrowed by the user's reach over the
organisation asked for — whole for a manager of it or above, own cases for a counselor assigned there — lists what
the general predicate lists, and a real process does it without SQLAlchemy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.access.city import City, seed

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 3, 10)


@pytest.fixture
def city(tmp_path: Path) -> City:
    from engine.store.database import Store
    from engine.times import parse_at
    from engine.usecases import acts

    c = seed(f"sqlite:///{tmp_path / 'city.db'}")
    s = Store(c.url)
    at = parse_at("2026-03-02")
    for side in (c.inside, c.outside):  # offered: each case waits on the enterprise's reply
        for case_id in (side.case, side.other_case):
            acts.advance(s, case_id, "send_offer", {"level": "enterprise"}, at=at, recorded_at=at, actor="t")
    s.dispose()
    return c


def _listed(c: City, login: str, org: str) -> list[int]:
    from engine.store.database import Store
    from engine.usecases import deadlines, users

    s = Store(c.url)
    try:
        who = users.principal(s, login)
        return sorted({row.case.case_id for row, _ in deadlines.listed(s, AS_OF, org=org, who=who)})
    finally:
        s.dispose()


def _general(c: City, login: str, org: str) -> list[int]:
    from engine.store import access, agenda
    from engine.store.database import Store
    from engine.usecases import users
    from engine.usecases.guard import reach

    s = Store(c.url)
    try:
        found = reach(users.principal(s, login), "case.read")
        assert found is not None
        with s.read() as conn:
            return sorted({r.case.case_id for r in agenda.scan(conn, AS_OF, org=org, within=access.cases_within(found))})
    finally:
        s.dispose()


def test_a_counselor_lists_only_their_own_cases_and_a_manager_every_case_of_the_district(city: City) -> None:
    inside = city.inside
    assert _listed(city, city.login("counselor"), inside.org) == [inside.case]
    assert _listed(city, city.login("manager"), inside.org) == sorted([inside.case, inside.other_case])
    assert _listed(city, "root", "320500") == sorted([inside.case, inside.other_case, city.outside.case,
                                                      city.outside.other_case])
    for login, org in ((city.login("counselor"), inside.org), (city.login("manager"), inside.org),
                       (city.login("viewer"), inside.org), ("root", "320500"), ("root", inside.org)):
        assert _listed(city, login, org) == _general(city, login, org), (login, org)


def test_a_users_district_deadlines_run_without_sqlalchemy(city: City, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr))\n"
             "sys.argv = ['bargain'] + sys.argv[1:]\nimport cli\ncli.main()\n")
    for login, want in ((city.login("counselor"), [city.inside.case]),
                        (city.login("manager"), sorted([city.inside.case, city.inside.other_case]))):
        args = ["--db", city.url, "--as", login, "deadlines", "--org", city.inside.org, "--as-of", AS_OF.isoformat(),
                "--format", "json"]
        proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        assert sorted({d["case_id"] for d in json.loads(proc.stdout)}) == want
        assert "SQLALCHEMY False" in proc.stderr.splitlines(), (login, proc.stderr)
