"""Users, passwords, tokens, lockout and the audit trail (issue 15, WEB.md security promises)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from tests.access.city import PASSWORD, City, seed
from tests.conftest import Cli

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


def _store(city: City):  # type: ignore[no-untyped-def]
    from engine.store.database import Store

    return Store(city.url)


def test_five_failures_lock_a_login_for_fifteen_minutes_even_with_the_right_password(city: City) -> None:
    from engine.usecases import audit, users

    s = _store(city)
    for i in range(5):
        with pytest.raises(users.AuthFailedError) as failed:
            users.authenticate(s, "manager5", "wrong password", address="10.0.0.1", now=NOW + timedelta(minutes=i))
        assert failed.value.rule == "auth.failed" and not isinstance(failed.value, users.LockedOutError)
    with pytest.raises(users.LockedOutError) as locked:
        users.authenticate(s, "manager5", PASSWORD, address="10.0.0.1", now=NOW + timedelta(minutes=5))
    assert locked.value.rule == "auth.locked"
    who = users.authenticate(s, "manager5", PASSWORD, address="10.0.0.1", now=NOW + timedelta(minutes=4 + 16))
    assert who.login == "manager5"
    outcomes = [e["outcome"] for e in audit.entries(s, login="manager5") if e["action"] == "login"]
    assert outcomes == ["failed"] * 5 + ["locked", "ok"]
    assert {e["address"] for e in audit.entries(s, login="manager5") if e["action"] == "login"} == {"10.0.0.1"}


def test_failures_spread_beyond_the_window_do_not_lock(city: City) -> None:
    from engine.usecases import users

    s = _store(city)
    for i in range(6):
        with pytest.raises(users.AuthFailedError) as failed:
            users.authenticate(s, "viewer5", "wrong password", address="a", now=NOW + timedelta(minutes=4 * i))
        assert failed.value.rule == "auth.failed"
    assert users.authenticate(s, "viewer5", PASSWORD, address="a", now=NOW + timedelta(minutes=25)).login == "viewer5"


def test_an_unknown_login_fails_and_locks_with_the_same_messages_as_a_real_one(city: City) -> None:
    from engine.usecases import users

    s = _store(city)
    answers = {}
    for login in ("manager5", "nosuchuser"):
        seen = []
        for i in range(6):
            with pytest.raises(users.AuthFailedError) as exc:
                users.authenticate(s, login, "wrong password", address="a", now=NOW + timedelta(seconds=i))
            seen.append((type(exc.value).__name__, exc.value.message("en"), exc.value.message("zh")))
        answers[login] = seen
    assert answers["manager5"] == answers["nosuchuser"]
    assert answers["manager5"][-1][0] == "LockedOutError"


def test_a_disabled_user_cannot_log_in_or_use_a_token_and_their_sessions_end(city: City) -> None:
    from engine.usecases import users

    s = _store(city)
    root = users.principal(s, "root")
    token = users.issue_token(s, "viewer5", by=root)
    assert users.principal_for_token(s, token).login == "viewer5"
    version = users.session_version(s, "viewer5")
    users.disable(s, "viewer5", by=root)
    assert users.session_version(s, "viewer5") > version
    with pytest.raises(users.AuthFailedError):
        users.principal_for_token(s, token)
    with pytest.raises(users.AuthFailedError):
        users.authenticate(s, "viewer5", PASSWORD, address="a", now=NOW)


def test_a_token_is_kept_only_as_its_hash(city: City) -> None:
    import sqlalchemy as sa

    from engine.usecases import users

    s = _store(city)
    token = users.issue_token(s, "manager5", by=users.principal(s, "manager5"))
    with s.read() as conn:
        stored = conn.execute(sa.text("SELECT token_hash FROM app_user WHERE login = 'manager5'")).scalar_one()
    assert stored and token not in stored and stored == users.token_digest(token)
    with pytest.raises(users.AuthFailedError):
        users.principal_for_token(s, token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_a_password_change_and_a_grant_change_end_sessions(city: City) -> None:
    from engine.usecases import users

    s = _store(city)
    root = users.principal(s, "root")
    v0 = users.session_version(s, "manager5")
    users.set_password(s, "manager5", "another fine passphrase", by=users.principal(s, "manager5"))
    v1 = users.session_version(s, "manager5")
    users.grant(s, "manager5", "viewer", "320500", by=root)
    v2 = users.session_version(s, "manager5")
    users.revoke(s, "manager5", "viewer", "320500", by=root)
    assert v0 < v1 < v2 < users.session_version(s, "manager5")


def test_an_admin_manages_users_only_inside_their_subtree(city: City) -> None:
    from engine.permission import PermissionRefusedError
    from engine.usecases import users

    s = _store(city)
    admin = users.principal(s, "admin5")
    users.add_user(s, "clerk", name="书记员", role="viewer", org="320505", by=admin)
    for org in ("320500", "320506"):
        with pytest.raises(PermissionRefusedError) as refused:
            users.add_user(s, f"clerk{org}", name="x", role="viewer", org=org, by=admin)
        assert refused.value.rule == "permission.user.manage"
    with pytest.raises(PermissionRefusedError):
        users.disable(s, "root", by=admin)
    with pytest.raises(PermissionRefusedError):
        users.grant(s, "clerk", "manager", "320500", by=admin)
    assert [u["login"] for u in users.list_users(s, by=admin)] == ["admin5", "clerk", "counselor5", "manager5", "viewer5"]


def test_the_last_active_admin_cannot_be_disabled(db_url: str) -> None:
    from engine.errors import RefusedError
    from engine.store.database import Store
    from engine.usecases import users
    from tests.conftest import seed_city

    seed_city(db_url)
    s = Store(db_url)
    users.add_user(s, "only", name="唯一管理员", role="admin", org="320500")
    with pytest.raises(RefusedError) as refused:
        users.disable(s, "only", by=users.principal(s, "only"))
    assert refused.value.rule == "user.last_admin"
    assert users.principal(s, "only").active


def test_the_first_user_must_be_an_admin_and_a_weak_password_writes_nothing(db_url: str) -> None:
    from tests.conftest import seed_city

    seed_city(db_url)
    cli = Cli(db_url)
    runner = CliRunner()
    from cli import app

    first = cli("user", "add", "wang", "--name", "王", "--role", "viewer", "--org", "320500")
    assert first.exit_code == 1 and "first user must be an admin" in first.stderr
    weak = runner.invoke(app, ["--db", db_url, "--lang", "en", "user", "add", "wang", "--name", "王", "--role", "admin",
                               "--org", "320500", "--password-stdin", "--format", "json"], input="qz7Kp\n")
    assert weak.exit_code == 1 and json.loads(weak.stdout)["error"]["rule"] == "password.length"
    assert "qz7Kp" not in weak.output  # never echoed
    assert cli("case", "list").exit_code == 0  # nothing written: still a database without users
    ok = runner.invoke(app, ["--db", db_url, "--lang", "en", "user", "add", "wang", "--name", "王", "--role", "admin",
                             "--org", "320500", "--password-stdin", "--format", "json"], input=f"{PASSWORD}\n")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["grants"] == [{"role": "admin", "org": "320500", "org_path": "/320500/"}]
    assert cli("case", "list").exit_code == 1  # from now on every command names its user
    assert cli("--as", "wang", "case", "list").exit_code == 0


def test_a_user_changes_their_own_password_but_not_someone_elses(city: City) -> None:
    from cli import app

    runner = CliRunner()
    base = ["--db", city.url, "--lang", "en"]
    mine = runner.invoke(app, [*base, "--as", "viewer5", "user", "passwd", "viewer5", "--password-stdin"],
                         input="my own new passphrase\n")
    assert mine.exit_code == 0, mine.output
    theirs = runner.invoke(app, [*base, "--as", "viewer5", "user", "passwd", "manager5", "--password-stdin"],
                           input="someone elses passphrase\n")
    assert theirs.exit_code == 1 and "add, disable and grant users" in theirs.stderr


def test_bargain_audit_shows_every_refusal_with_who_and_from_where(city: City, cli: Cli) -> None:
    cli("--as", "viewer5", "case", "open", city.inside.free)
    cli("--as", "manager5", "report", "campaign", "--year", "2026", "--org", "320506")
    done = cli("--as", "root", "audit", "--since", "2026-01-01", "--format", "json")
    assert done.exit_code == 0, done.output
    refusals = [(e["login"], e["rule"]) for e in json.loads(done.stdout) if e["outcome"] == "refused"]
    assert ("viewer5", "permission.case.open") in refusals and ("manager5", "permission.report.read") in refusals
    assert all(e["address"].startswith("cli") for e in json.loads(done.stdout) if e["outcome"] == "refused")
    only = json.loads(cli("--as", "root", "audit", "--user", "viewer5", "--format", "json").stdout)
    assert only and {e["login"] for e in only} == {"viewer5"}
    assert cli("--as", "viewer5", "audit").exit_code == 1
    table = cli("--as", "root", "audit")
    assert table.exit_code == 0 and "permission.case.open" in table.stdout


def test_user_list_and_token_on_the_command_line(city: City, cli: Cli) -> None:
    listed = cli("--as", "root", "user", "list", "--format", "json")
    assert listed.exit_code == 0
    rows = {u["login"]: u for u in json.loads(listed.stdout)}
    assert rows["counselor5"]["counselor_id"] == city.inside.counselor
    assert "password_hash" not in rows["root"] and rows["root"]["has_password"]
    token = cli("--as", "manager5", "user", "token", "manager5")
    assert token.exit_code == 0 and len(token.stdout.strip()) >= 40
    assert cli("--as", "manager5", "user", "token", "viewer5").exit_code == 1


def test_naming_a_user_on_the_command_line_loads_no_password_hashing() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom commands.common import State\nfrom engine.usecases import users, caseview\n"
            "print('pwdlib' in sys.modules or 'argon2' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
