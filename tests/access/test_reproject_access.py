"""`bargain reproject` rewrites every case's deadline columns: on a database with users only an admin whose grants
reach every top-level organisation may run it (deadline.reproject); a refusal writes nothing and is audited. The
automatic check a writing command makes stays everyone's."""

from __future__ import annotations

import json

import pytest

from tests.access.city import City, audit_count, fingerprint, last_audit, seed
from tests.conftest import Cli


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


@pytest.mark.parametrize("login", ["admin5", "manager5", "counselor5", "viewer5"])
def test_anyone_but_an_admin_over_every_top_level_organisation_is_refused_and_audited(city: City, cli: Cli, login: str) -> None:
    before, audited = fingerprint(city.url), audit_count(city.url)
    done = cli("--as", login, "reproject", "--format", "json")
    assert done.exit_code == 1, done.output
    error = json.loads(done.stdout)["error"]
    assert error["rule"] == "permission.deadline.reproject" and error["source"].startswith("roles.toml: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert fingerprint(city.url) == before
    assert audit_count(city.url) == audited + 1
    entry = last_audit(city.url)
    assert (entry.login, entry.outcome, entry.rule) == (login, "refused", "permission.deadline.reproject")


def test_the_city_admin_may_reproject(city: City, cli: Cli) -> None:
    done = cli("--as", "root", "reproject", "--format", "json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["cases"] == 4


def test_a_writing_command_still_brings_the_columns_in_step_for_any_user(city: City, cli: Cli) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(city.url)
    with engine.begin() as conn:  # as after a holiday-calendar update: the recorded fingerprint no longer matches
        conn.execute(sa.text("UPDATE bargain_meta SET value = 'stale' WHERE key = 'projection'"))
    engine.dispose()
    done = cli("--as", "counselor5", "case", "log", str(city.inside.case), "--by", str(city.inside.counselor),
               "--activity", "attend_round", "--hours", "1", "--note", "第一轮")
    assert done.exit_code == 0, done.output
    assert "recomputed" in done.stderr


def test_without_users_reproject_runs_as_before(cli: Cli) -> None:
    from tests.conftest import seed_city

    seed_city(cli.url)
    assert cli("reproject").exit_code == 0
