"""What the web's user administration and upload imports add to the engine, on SQLite and PostgreSQL: enable, unlock,
each user's last login, and an import whose rows outside the user's grants are row errors (DOMAIN §9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engine.credit import make_credit_code
from engine.permission import PermissionRefusedError
from engine.store.database import Store
from tests.access.city import PASSWORD, City, seed

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


def test_last_login_is_the_latest_successful_one_and_none_before_any(city: City) -> None:
    from engine.usecases import users

    s = Store(city.url)
    users.authenticate(s, "manager5", PASSWORD, address="10.0.0.1", now=NOW)
    users.authenticate(s, "manager5", PASSWORD, address="10.0.0.1", now=NOW + timedelta(hours=2))
    with pytest.raises(users.AuthFailedError):
        users.authenticate(s, "manager5", "wrong password", address="10.0.0.1", now=NOW + timedelta(hours=3))
    found = {u["login"]: u["last_login"] for u in users.list_users(s)}
    assert datetime.fromisoformat(found["manager5"]) == NOW + timedelta(hours=2)
    assert found["viewer5"] is None
    s.dispose()


def test_unlock_lifts_a_lockout_and_enable_undoes_a_disable_both_audited_and_in_scope(city: City) -> None:
    from engine.usecases import audit, users

    s = Store(city.url)
    for i in range(users.LOCK_AFTER):
        with pytest.raises(users.AuthFailedError):
            users.authenticate(s, "viewer5", "wrong password", address="10.0.0.1", now=NOW + timedelta(minutes=i))
    admin5 = users.principal(s, "admin5")
    assert users.unlock(s, "viewer5", by=admin5, at=NOW + timedelta(minutes=6))["locked_until"] is None
    assert users.authenticate(s, "viewer5", PASSWORD, address="10.0.0.1", now=NOW + timedelta(minutes=7)).login == "viewer5"
    version = users.session_version(s, "viewer5")
    users.disable(s, "viewer5", by=admin5, at=NOW + timedelta(minutes=8))
    assert users.enable(s, "viewer5", by=admin5, at=NOW + timedelta(minutes=9))["active"] is True
    assert users.session_version(s, "viewer5") > version
    assert [e["action"] for e in audit.entries(s, login="admin5")][-3:] == ["user.unlock", "user.disable", "user.enable"]
    with pytest.raises(PermissionRefusedError):
        users.unlock(s, "root", by=admin5)  # the city's admin is outside the district admin's subtree
    with pytest.raises(PermissionRefusedError):
        users.enable(s, "root", by=admin5)
    s.dispose()


def test_rows_outside_the_importers_grants_are_row_errors_and_only_the_good_rows_are_written_when_asked(
        city: City, tmp_path: Path) -> None:
    from engine.imports.core import run
    from engine.imports.enterprise import EnterpriseImport
    from engine.usecases import audit, registers, users

    s = Store(city.url)
    inside, outside = make_credit_code("320505", 991), make_credit_code("320506", 992)
    path = tmp_path / "企业.csv"
    path.write_text("credit_code,name,org_code\n"
                    f"{inside},区内新企业,320505\n{outside},区外新企业,320506\n", encoding="utf-8")
    who = users.principal(s, "manager5")
    checked = run(s, path, EnterpriseImport(), check=True, who=who, outside_rows=True)
    assert [(i.row, i.rule, i.source.startswith("roles.toml")) for i in checked.issues] == [(3, "permission.data.import", True)]
    assert checked.counts["inserted"] == 1 and not checked.written
    refused = run(s, path, EnterpriseImport(), who=who, outside_rows=True)
    assert not refused.written
    codes = {str(r.credit_code) for r in registers.list_enterprises(s, None)}
    assert inside not in codes and outside not in codes
    done = run(s, path, EnterpriseImport(), skip_invalid=True, who=who, outside_rows=True)
    assert done.written and done.counts["inserted"] == 1 and done.rejected_rows == 1
    codes = {str(r.credit_code) for r in registers.list_enterprises(s, None)}
    assert inside in codes and outside not in codes
    refusals = [e for e in audit.entries(s, login="manager5") if e["rule"] == "permission.data.import"]
    assert len(refusals) == 3 and refusals[-1]["detail"]["rows"] == [3]
    with pytest.raises(PermissionRefusedError):  # the command line's way: the whole file refused
        run(s, path, EnterpriseImport(), check=True, who=who)
    with pytest.raises(PermissionRefusedError) as nowhere:
        run(s, path, EnterpriseImport(), check=True, who=users.principal(s, "counselor5"), outside_rows=True)
    assert not nowhere.value.hidden
    s.dispose()


def test_the_command_line_enables_and_unlocks_with_the_same_use_cases(city: City) -> None:
    import json

    from tests.conftest import Cli

    cli = Cli(city.url)
    assert cli("--as", "admin5", "user", "disable", "viewer5").exit_code == 0
    done = cli("--as", "admin5", "user", "enable", "viewer5", "--format", "json")
    assert done.exit_code == 0 and json.loads(done.stdout)["active"] is True
    done = cli("--as", "admin5", "user", "unlock", "viewer5")
    assert done.exit_code == 0 and done.stdout.startswith("unlocked: viewer5")
    refused = cli("--as", "admin5", "user", "unlock", "root")
    assert refused.exit_code == 1 and "roles.toml" in refused.stderr
