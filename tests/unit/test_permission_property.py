"""Hypothesis: over random trees, grants and resources, decide allows exactly what DOMAIN §9 allows.

Only a resource under some grant's path whose role has the action, and for an assigned-only action
only when the resource is assigned to the principal's own counselor record. The store's predicate
built from scope_paths and assigned_paths agrees with decide.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.permission import ACTIONS, Grant, Principal, Resource, assigned_paths, decide, scope_paths
from tests.unit.permission_cases import EXPECTED, ROLES, segments_cover

# Codes chosen so that one is a string prefix of another ("1" and "12"): the subtree test must not confuse them.
CODES = st.sampled_from(["1", "12", "2", "21", "3"])
PATHS = st.lists(CODES, max_size=4).map(lambda codes: "/" + "".join(f"{c}/" for c in codes))
GRANTS = st.builds(Grant, st.sampled_from([*EXPECTED, "nobody"]), PATHS)
COUNSELORS = st.one_of(st.none(), st.integers(1, 3))
PRINCIPALS = st.builds(Principal, st.just("li"), st.just("李"), st.lists(GRANTS, max_size=4).map(tuple), COUNSELORS, st.booleans())
RESOURCES = st.builds(Resource, st.one_of(st.none(), PATHS), COUNSELORS, st.just("case"))
ACTION = st.sampled_from([*ACTIONS, "case.delete"])


def _oracle(principal: Principal, action: str, resource: Resource) -> bool:
    if not principal.active:
        return False
    for grant in principal.grants:
        scope = EXPECTED.get(grant.role, {}).get(action)
        if scope is None or not segments_cover(grant.org_path, resource.org_path):
            continue
        if scope == "subtree":
            return True
        if principal.counselor_id is not None and resource.assigned_counselor == principal.counselor_id:
            return True
    return False


def _under(paths: list[str], path: str | None) -> bool:
    return any(p == "/" if path is None else path.startswith(p) for p in paths)


@settings(max_examples=300)
@given(PRINCIPALS, ACTION, RESOURCES)
def test_decide_allows_only_what_some_grant_of_a_role_with_the_action_covers(principal: Principal, action: str,
                                                                             resource: Resource) -> None:
    decision = decide(principal, action, resource, ROLES)
    assert decision.allowed is _oracle(principal, action, resource)
    assert decision.rule == f"permission.{action}"
    assert decision.zh and decision.en
    assert decision.hidden is (not decision.allowed and not any(segments_cover(g.org_path, resource.org_path)
                                                                for g in principal.grants))


@settings(max_examples=300)
@given(PRINCIPALS, ACTION, RESOURCES)
def test_the_store_predicate_from_scope_paths_agrees_with_decide(principal: Principal, action: str, resource: Resource) -> None:
    full, assigned = scope_paths(principal, action, ROLES), assigned_paths(principal, action, ROLES)
    mine = principal.counselor_id is not None and resource.assigned_counselor == principal.counselor_id
    predicate = _under(full, resource.org_path) or (mine and _under(assigned, resource.org_path))
    assert predicate is decide(principal, action, resource, ROLES).allowed


@given(PRINCIPALS, ACTION)
def test_scope_paths_are_minimal_sorted_and_cover_every_grant_with_the_action(principal: Principal, action: str) -> None:
    full = scope_paths(principal, action, ROLES)
    assert full == sorted(full)
    assert not any(a != b and a.startswith(b) for a in full for b in full)
    if principal.active:
        for grant in principal.grants:
            if EXPECTED.get(grant.role, {}).get(action) == "subtree":
                assert _under(full, grant.org_path)
    for path in assigned_paths(principal, action, ROLES):
        assert not _under(full, path)
