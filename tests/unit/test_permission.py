"""The permission decision (DOMAIN §9) as a matrix: every role, inside and outside its subtree, every action."""

from __future__ import annotations

import pytest

from engine.errors import DataError, RefusedError
from engine.permission import (
    ACTIONS,
    Grant,
    PermissionRefusedError,
    Principal,
    Resource,
    assigned_paths,
    decide,
    decide_manage_user,
    may_manage_user,
    require,
    scope_paths,
)
from tests.unit.permission_cases import EXPECTED, ROLES

CITY = "/320000/320500/"            # 苏州市总工会
DISTRICT = "/320000/320500/320508/"  # 姑苏区
INSIDE = "/320000/320500/320508/320508001/"
OUTSIDE = "/320000/320100/"         # 南京市
PARENT = "/320000/"
ME, OTHER = 7, 8


def _principal(role: str, path: str = CITY, *, counselor_id: int | None = ME, active: bool = True) -> Principal:
    return Principal(f"{role}1", f"{role} 一号", (Grant(role, path),), counselor_id=counselor_id, active=active)


MATRIX = [(role, action, where, assigned)
          for role in EXPECTED for action in ACTIONS
          for where in ("inside", "outside") for assigned in ("mine", "other")]


@pytest.mark.parametrize(("role", "action", "where", "assigned"), MATRIX)
def test_each_role_may_do_exactly_what_domain_9_says_inside_its_subtree_and_nothing_outside(
        role: str, action: str, where: str, assigned: str) -> None:
    resource = Resource(INSIDE if where == "inside" else OUTSIDE, ME if assigned == "mine" else OTHER)
    scope = EXPECTED[role].get(action)
    expected = where == "inside" and (scope == "subtree" or (scope == "assigned" and assigned == "mine"))
    decision = decide(_principal(role), action, resource, ROLES)
    assert decision.allowed is expected, decision.en
    assert decision.rule == f"permission.{action}"
    assert decision.source == f"roles.toml: {role}"
    assert decision.hidden is (where == "outside")


def test_the_shipped_roles_are_exactly_the_four_of_domain_9() -> None:
    assert sorted(ROLES) == sorted(EXPECTED)
    assert {name: {a: p.scope for a, p in spec.actions.items()} for name, spec in ROLES.items()} == EXPECTED


def test_a_grant_covers_its_own_organisation_and_not_its_parent() -> None:
    manager = _principal("manager", DISTRICT)
    assert decide(manager, "case.read", Resource(DISTRICT), ROLES).allowed
    assert not decide(manager, "case.read", Resource(CITY), ROLES).allowed
    assert not decide(manager, "case.read", Resource(PARENT), ROLES).allowed


def test_a_sibling_whose_code_starts_with_the_same_digits_is_outside() -> None:
    manager = _principal("manager", "/3205/")
    assert not decide(manager, "case.read", Resource("/32050/"), ROLES).allowed
    assert decide(manager, "case.read", Resource("/3205/0/"), ROLES).allowed


def test_a_resource_without_an_organisation_is_covered_only_by_a_root_grant() -> None:
    assert not decide(_principal("manager", CITY), "data.import", Resource(None, kind="org"), ROLES).allowed
    assert decide(_principal("manager", "/"), "data.import", Resource(None, kind="org"), ROLES).allowed


def test_a_counselor_without_a_counselor_record_reaches_no_case() -> None:
    counselor = _principal("counselor", counselor_id=None)
    assert not decide(counselor, "case.read", Resource(INSIDE, None), ROLES).allowed
    assert not decide(counselor, "case.read", Resource(INSIDE, ME), ROLES).allowed


def test_an_unassigned_case_is_refused_to_a_counselor_and_the_refusal_says_so() -> None:
    decision = decide(_principal("counselor"), "case.advance", Resource(INSIDE, None), ROLES)
    assert not decision.allowed
    assert "assigned to no counselor" in decision.en


def test_a_disabled_user_is_refused_everything() -> None:
    admin = _principal("admin", "/", active=False)
    for action in ACTIONS:
        decision = decide(admin, action, Resource(INSIDE, ME), ROLES)
        assert not decision.allowed
        assert "disabled" in decision.en
    assert scope_paths(admin, "case.read", ROLES) == []


def test_an_unknown_role_or_action_is_refused() -> None:
    assert not decide(_principal("auditor"), "case.read", Resource(INSIDE), ROLES).allowed
    decision = decide(_principal("admin", "/"), "case.delete", Resource(INSIDE), ROLES)
    assert not decision.allowed
    assert decision.rule == "permission.case.delete"


def test_two_grants_add_up() -> None:
    person = Principal("li", "李", (Grant("viewer", CITY), Grant("manager", OUTSIDE)))
    assert decide(person, "case.advance", Resource(OUTSIDE + "320102/"), ROLES).allowed
    assert decide(person, "case.read", Resource(INSIDE), ROLES).allowed
    assert not decide(person, "case.advance", Resource(INSIDE), ROLES).allowed


def test_a_refusal_names_the_rule_what_was_required_and_what_the_user_has() -> None:
    with pytest.raises(PermissionRefusedError) as caught:
        require(_principal("counselor"), "case.advance", Resource(INSIDE, OTHER), ROLES)
    error = caught.value
    assert isinstance(error, RefusedError) and error.exit_code == 1
    body = error.as_json()["error"]
    assert body["rule"] == "permission.case.advance"
    assert body["source"] == "roles.toml: counselor"
    assert body["required"]["roles"] == {"admin": "subtree", "counselor": "assigned", "manager": "subtree"}
    assert body["required"]["org_path"] == INSIDE and body["required"]["assigned_counselor"] == OTHER
    assert body["actual"]["grants"] == [{"role": "counselor", "org_path": CITY}]
    assert body["actual"]["counselor_id"] == ME
    assert "counselor 8" in body["message"] and "推进案件" in error.message("zh")
    assert not error.hidden


def test_a_case_outside_every_grant_is_marked_hidden_so_the_web_can_answer_not_found() -> None:
    with pytest.raises(PermissionRefusedError) as caught:
        require(_principal("manager"), "case.read", Resource(OUTSIDE), ROLES)
    assert caught.value.hidden
    assert "outside their grants" in caught.value.en


def test_an_allowed_request_returns_its_decision_with_the_rule_source() -> None:
    decision = require(_principal("viewer"), "report.read", Resource(INSIDE, kind="report"), ROLES)
    assert decision.allowed and decision.source == "roles.toml: viewer"
    assert "DOMAIN §9" in decision.en


def test_a_malformed_org_path_is_refused_rather_than_matched_by_prefix() -> None:
    for bad in ("/320500", "320500/", "", "/320500//"):
        with pytest.raises(DataError):
            Grant("manager", bad)
        with pytest.raises(DataError):
            Resource(bad)


def test_scope_paths_are_the_minimal_subtrees_for_the_action() -> None:
    person = Principal("li", "李", (Grant("manager", DISTRICT), Grant("viewer", CITY), Grant("manager", OUTSIDE),
                                   Grant("counselor", PARENT)), counselor_id=ME)
    assert scope_paths(person, "case.read", ROLES) == ["/320000/320100/", CITY]
    assert scope_paths(person, "case.advance", ROLES) == [OUTSIDE, DISTRICT]
    assert assigned_paths(person, "case.advance", ROLES) == [PARENT]
    assert assigned_paths(person, "case.read", ROLES) == [PARENT]
    assert scope_paths(person, "user.manage", ROLES) == []


def test_assigned_paths_leave_out_subtrees_already_fully_readable() -> None:
    person = Principal("li", "李", (Grant("viewer", CITY), Grant("counselor", DISTRICT)), counselor_id=ME)
    assert scope_paths(person, "case.read", ROLES) == [CITY]
    assert assigned_paths(person, "case.read", ROLES) == []
    assert assigned_paths(Principal("x", "x", (Grant("counselor", CITY),)), "case.read", ROLES) == []


def test_an_admin_manages_users_whose_every_grant_is_inside_their_subtree() -> None:
    admin = _principal("admin", CITY)
    assert may_manage_user(admin, [Grant("counselor", INSIDE)], ROLES)
    assert may_manage_user(admin, [Grant("admin", CITY), Grant("viewer", DISTRICT)], ROLES)
    assert not may_manage_user(admin, [Grant("viewer", PARENT)], ROLES)
    assert not may_manage_user(admin, [Grant("viewer", DISTRICT), Grant("viewer", OUTSIDE)], ROLES)


def test_only_an_admin_who_is_active_manages_users() -> None:
    assert not may_manage_user(_principal("manager", "/"), [Grant("viewer", INSIDE)], ROLES)
    assert not may_manage_user(_principal("admin", CITY, active=False), [Grant("viewer", INSIDE)], ROLES)


def test_a_user_without_grants_is_managed_only_by_a_root_admin() -> None:
    assert not may_manage_user(_principal("admin", CITY), [], ROLES)
    assert may_manage_user(_principal("admin", "/"), [], ROLES)


def test_a_refusal_to_manage_a_user_names_the_organisation_outside() -> None:
    decision = decide_manage_user(_principal("admin", DISTRICT), [Grant("viewer", CITY)], ROLES)
    assert not decision.allowed and decision.rule == "permission.user.manage"
    assert CITY in decision.en and decision.source == "roles.toml: admin"


def test_an_allowed_decision_reads_chinese_in_zh() -> None:
    decision = decide(_principal("manager", DISTRICT), "case.read", Resource(DISTRICT), ROLES)
    assert decision.allowed and decision.zh.endswith("（DOMAIN §9）"), decision.zh
    assert ":" not in decision.zh and "read everything" in decision.en
