"""workflows/roles.toml: the shipped file parses, names every stable action, and a broken one is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.errors import SetupError
from engine.permission import ACTIONS, SCOPES, roles_from_toml_text
from tests.unit.permission_cases import ROLES, ROLES_TEXT

MINIMAL = """
version = 1
[actions."case.read"]
zh = "查看案件"
en = "read cases"
[roles.viewer]
zh = "查阅"
en = "viewer"
source = "DOMAIN §9"
[roles.viewer.actions]
"case.read" = { source = "DOMAIN §9" }
"""


def test_the_shipped_file_declares_every_stable_action_and_uses_only_those() -> None:
    import tomllib

    assert set(tomllib.loads(ROLES_TEXT)["actions"]) == set(ACTIONS)


def test_every_permit_has_both_titles_a_known_scope_and_a_source() -> None:
    for spec in ROLES.values():
        assert spec.zh and spec.en and spec.source
        for permit in spec.actions.values():
            assert permit.zh and permit.en and permit.scope in SCOPES
            assert permit.source.startswith(("DOMAIN §", "federation rule"))


def test_admin_is_manager_plus_user_management_and_reprojection_keeping_the_managers_sources() -> None:
    admin, manager = ROLES["admin"], ROLES["manager"]
    assert set(admin.actions) == set(manager.actions) | {"user.manage", "deadline.reproject"}
    assert all(admin.actions[a] == p for a, p in manager.actions.items())


def test_a_minimal_file_parses_with_the_subtree_scope_by_default() -> None:
    roles = roles_from_toml_text(MINIMAL)
    assert roles["viewer"].actions["case.read"].scope == "subtree"


@pytest.mark.parametrize(("change", "says"), [
    (lambda t: t.replace('"case.read" = {', '"case.reed" = {'), "did you mean 'case.read'"),
    (lambda t: t.replace('{ source = "DOMAIN §9" }', '{ scope = "own", source = "DOMAIN §9" }'), "scope"),
    (lambda t: t.replace('{ source = "DOMAIN §9" }', '{ }'), "no source"),
    (lambda t: t.replace('source = "DOMAIN §9"\n[roles', 'sorce = "DOMAIN §9"\n[roles'), "unknown key"),
    (lambda t: t.replace("version = 1", "version = 2"), "version"),
    (lambda t: t.replace("[roles.viewer]\n", '[roles.viewer]\nextends = "viewer"\n'), "cycle"),
    (lambda t: t.replace("[roles.viewer]\n", '[roles.viewer]\nextends = "manger"\n'), "not declared"),
    (lambda t: t + "[[", "not valid TOML"),
])
def test_a_broken_roles_file_is_a_setup_error_that_says_what_is_wrong(change: Callable[[str], str], says: str) -> None:
    with pytest.raises(SetupError) as caught:
        roles_from_toml_text(change(MINIMAL))
    assert says in caught.value.en
    assert caught.value.exit_code == 4
