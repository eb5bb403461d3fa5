"""The permission matrix (issue 15 item 7) through the real CLI, on SQLite and PostgreSQL: each role held at
the district 320505 × a resource inside it or in its sibling 320506 × each action. A refusal exits 1, names
the permission rule, writes nothing, and is in the audit trail; what the role may do succeeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.access.city import ROLES, City, Side, audit_count, fingerprint, last_audit, seed
from tests.conftest import Cli
from tests.unit.permission_cases import EXPECTED


def _import_file(tmp: Path, side: Side) -> str:
    from engine.credit import make_credit_code

    path = tmp / f"enterprises-{side.org}.csv"
    path.write_text("credit_code,name,org_code,industry,employees,has_union\n"
                    f"{make_credit_code(side.org, 9)},新企业,{side.org},制造业,60,true\n", encoding="utf-8")
    return str(path)


# (action, the command line acting on a side, whether it can print a JSON refusal). In this order, the
# writes a role may make never get in each other's way.
Command = Callable[[Side, Path, str], list[str]]
ACTS: list[tuple[str, Command, bool]] = [
    ("case.read", lambda s, t, r: ["case", "show", str(s.case), "--format", "json"], True),
    ("case.log", lambda s, t, r: ["case", "log", str(s.case), "--by", str(s.counselor), "--activity", "attend_round",
                                  "--hours", "2", "--note", "主持第一轮协商", "--format", "json"], True),
    ("case.assign", lambda s, t, r: ["case", "assign", str(s.case), str(s.counselor), "--format", "json"], True),
    ("case.advance", lambda s, t, r: ["case", "advance", str(s.case), "send_offer", "--set", "level=enterprise",
                                      "--at", "2026-03-02", "--format", "json"], True),
    ("case.open", lambda s, t, r: ["case", "open", s.free, "--format", "json"], True),
    ("counselor.read", lambda s, t, r: ["counselor", "summary", str(s.counselor), "--year", "2026", "--format", "json"], True),
    ("report.read", lambda s, t, r: ["report", "campaign", "--year", "2026", "--org", s.org, "--format", "json"], True),
    ("report.export", lambda s, t, r: ["report", "campaign", "--year", "2026", "--org", s.org, "--format", "csv"], False),
    ("campaign.launch", lambda s, t, r: ["campaign", "launch", "--year", "2026", "--org", s.org, "--at", "2026-03-02",
                                         "--format", "json"], True),
    ("data.import", lambda s, t, r: ["enterprise", "import", _import_file(t, s), "--format", "json"], True),
    ("counselor.manage", lambda s, t, r: ["counselor", "add", "新指导员", "--org", s.org, "--format", "json"], True),
    ("contract.manage", lambda s, t, r: ["case", "mark", str(s.case), "--typical", "--note", "条款具体，可供借鉴",
                                         "--format", "json"], True),
    ("user.manage", lambda s, t, r: ["user", "add", f"new_{r}", "--name", "新用户", "--role", "viewer", "--org", s.org,
                                     "--format", "json"], True),
]


def may(role: str, action: str, inside: bool) -> bool:
    """DOMAIN §9 as written out in tests/unit/permission_cases.py: the inside case is assigned to the role's counselor."""
    return inside and action in EXPECTED[role]


def expected_rule(role: str, action: str, inside: bool) -> str:
    # An export is first a reading: without report.read the refusal names that.
    if action == "report.export" and not may(role, "report.read", inside):
        return "permission.report.read"
    return f"permission.{action}"


@pytest.fixture
def city(db_url: str) -> City:
    return seed(db_url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
def test_each_role_may_do_what_domain_9_says_inside_its_subtree_and_nothing_outside(
        city: City, cli: Cli, role: str, inside: bool, tmp_path: Path) -> None:
    side = city.inside if inside else city.outside
    login = city.login(role)
    for action, command, json_refusal in ACTS:
        args = command(side, tmp_path, role)
        before, audited = fingerprint(city.url), audit_count(city.url)
        done = cli("--as", login, *args)
        if may(role, action, inside):
            assert done.exit_code == 0, (role, action, done.output)
            continue
        assert done.exit_code == 1, (role, action, done.output)
        rule = expected_rule(role, action, inside)
        assert fingerprint(city.url) == before, f"{role} {action}: a refusal wrote something"
        assert audit_count(city.url) == audited + 1
        entry = last_audit(city.url)
        assert (entry.login, entry.outcome, entry.rule) == (login, "refused", rule), (role, action)
        stderr = done.stderr.strip().splitlines()
        assert len(stderr) == 1 and "roles.toml" in stderr[0], (role, action, done.stderr)
        if json_refusal:
            error = json.loads(done.stdout)["error"]
            assert error["rule"] == rule and error["source"].startswith("roles.toml: "), (role, action, error)
            assert error["actual"]["login"] == login


def test_a_case_outside_every_grant_is_refused_as_hidden_so_the_web_can_answer_not_found(city: City, cli: Cli) -> None:
    done = cli("--as", "manager5", "case", "show", str(city.outside.case), "--format", "json")
    assert done.exit_code == 1
    entry = last_audit(city.url)
    detail = entry.detail if isinstance(entry.detail, dict) else json.loads(entry.detail)
    assert entry.rule == "permission.case.read" and detail["hidden"] is True


def test_a_counselor_advances_and_logs_only_the_cases_assigned_to_them(city: City, cli: Cli) -> None:
    other = str(city.inside.other_case)
    before = fingerprint(city.url)
    advance = cli("--as", "counselor5", "case", "advance", other, "send_offer", "--set", "level=enterprise", "--format", "json")
    log = cli("--as", "counselor5", "case", "log", other, "--by", str(city.inside.counselor), "--activity", "attend_round",
              "--note", "不是我的案件", "--format", "json")
    assert (advance.exit_code, log.exit_code) == (1, 1)
    assert json.loads(advance.stdout)["error"]["rule"] == "permission.case.advance"
    assert "assigned to counselor" in json.loads(log.stdout)["error"]["message"]
    assert fingerprint(city.url) == before
    mine = cli("--as", "counselor5", "case", "advance", str(city.inside.case), "send_offer", "--set", "level=enterprise")
    assert mine.exit_code == 0, mine.output


def test_a_viewer_changes_nothing_even_inside_its_subtree(city: City, cli: Cli) -> None:
    before = fingerprint(city.url)
    for args in (["case", "advance", str(city.inside.case), "send_offer", "--set", "level=enterprise"],
                 ["case", "open", city.inside.free], ["campaign", "launch", "--year", "2026", "--org", "320505"]):
        assert cli("--as", "viewer5", *args).exit_code == 1
    assert fingerprint(city.url) == before
    assert cli("--as", "viewer5", "case", "show", str(city.inside.case)).exit_code == 0


def test_once_a_database_has_users_a_missing_or_unknown_user_is_refused_in_one_line(city: City, cli: Cli) -> None:
    for args in (["case", "list"], ["--as", "nobody", "case", "list"]):
        done = cli(*args)
        assert done.exit_code == 1 and len(done.stderr.strip().splitlines()) == 1, done.output
        assert "--as" in done.stderr or "user list" in done.stderr
    entry = last_audit(city.url)
    assert (entry.login, entry.action, entry.rule) == ("nobody", "identify", "auth.user")


def test_a_counselor_records_work_only_in_their_own_name(city: City, cli: Cli) -> None:
    other = 4 if city.inside.counselor != 4 else 3  # a counselor id that is not theirs
    before = fingerprint(city.url)
    done = cli("--as", "counselor5", "case", "log", str(city.inside.case), "--by", str(other), "--activity", "attend_round",
               "--note", "代别人记录", "--format", "json")
    assert done.exit_code == 1 and json.loads(done.stdout)["error"]["rule"] == "permission.case.log"
    assert "own counselor record" in done.stderr and fingerprint(city.url) == before
    assert cli("--as", "manager5", "case", "log", str(city.inside.case), "--by", str(other), "--activity", "attend_round",
               "--note", "经理代为记录").exit_code == 0


def test_a_correction_needs_case_correct_on_the_case(city: City, cli: Cli) -> None:
    mine, other = str(city.inside.case), str(city.inside.other_case)
    for case in (mine, other):
        assert cli("--as", "manager5", "case", "advance", case, "send_offer", "--set", "level=enterprise").exit_code == 0
    before = fingerprint(city.url)
    for login, case in (("viewer5", mine), ("counselor5", other), ("manager5", str(city.outside.case))):
        done = cli("--as", login, "case", "void", case, "--reason", "录错了", "--format", "json")
        assert done.exit_code == 1 and json.loads(done.stdout)["error"]["rule"] == "permission.case.correct", (login, done.output)
    assert fingerprint(city.url) == before
    assert cli("--as", "counselor5", "case", "void", mine, "--reason", "录错了").exit_code == 0
