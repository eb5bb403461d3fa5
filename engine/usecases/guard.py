"""Scope enforcement for the use cases (DOMAIN §9): the engine, not a front end, asks the permission question.

Every use case people call takes `who: Principal | None`. None means the database has no users (a single
operator): nothing is checked. With a principal, acts on one case or organisation ask
`permission.require`, lists are narrowed to the subtrees the grants reach (store.access.Reach), and asking
for an organisation outside them is refused, never answered with an empty list.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from engine import registry
from engine.errors import DataError, NotFoundError
from engine.permission import (
    ROOT,
    PermissionRefusedError,
    Principal,
    Reach,
    Resource,
    assigned_paths,
    decide,
    require,
    scope_paths,
)
from engine.store import hot

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from engine.store import access
else:  # loaded on first use: a one-case command's checks run on engine/store/hot.py alone
    from engine.store.lazy import module

    access = module("engine.store.access")


def code_of(path: str) -> str:
    """The organisation code a materialised path ends with."""
    return path.strip("/").rsplit("/", 1)[-1]


def allow(who: Principal | None, action: str, resource: Resource) -> None:
    """Refuse (PermissionRefusedError) unless `who` may take `action` on `resource`; None: no users, allowed."""
    if who is not None:
        require(who, action, resource, registry.roles())


def reach(who: Principal | None, action: str) -> Reach | None:
    """Where `action` reaches for `who` (None: everywhere, no users)."""
    if who is None:
        return None
    roles = registry.roles()
    return Reach(tuple(scope_paths(who, action, roles)), tuple(assigned_paths(who, action, roles)), who.counselor_id)


def case_in(conn: Connection, who: Principal | None, action: str, case_id: int) -> None:
    """Refuse an act on a case outside what `who` may reach (hidden when outside every grant: 'not found')."""
    if who is None:
        return
    try:
        path, counselor_id = hot.case_resource(conn, case_id)
    except NotFoundError:
        if who.grants and not any(g.covers(ROOT) for g in who.grants):
            # A user scoped below the root learns nothing from an id: a case that does not exist is refused in the
            # very words of one outside their grants, so ids cannot be probed to count another subtree's cases.
            allow(who, action, Resource(UNSEEN, None, "case"))
        raise
    allow(who, action, Resource(path, counselor_id, "case"))


UNSEEN = "/-/"  # a path no organisation has, so no grant below the root covers it


def on_behalf(conn: Connection, who: Principal | None, action: str, case_id: int, counselor_id: int | None) -> None:
    """Refuse recording work as another counselor (`--by`) unless `who` may act on the whole case, not only as
    its assigned counselor: a counselor logs and advances in their own name."""
    if who is None or counselor_id is None or counselor_id == who.counselor_id:
        return
    path, _ = hot.case_resource(conn, case_id)
    decision = decide(who, action, Resource(path, None, "case"), registry.roles())
    if not decision.allowed:
        mine = who.counselor_id if who.counselor_id is not None else "（无）"
        raise PermissionRefusedError(replace(
            decision, required={**decision.required, "by": counselor_id},
            zh=f"{who.login} 只能以本人的指导员记录（{mine}）记录，不能代指导员 {counselor_id} 记录（{action}）",
            en=f"{who.login} may record only as their own counselor record ({mine}), not as counselor {counselor_id} ({action})"))


def org_in(conn: Connection, who: Principal | None, action: str, org: str | None) -> None:
    """Refuse asking for an organisation's subtree where `action` does not reach (a counselor's own cases count)."""
    if who is None or not org:
        return
    path = hot.org_path(conn, org)
    allow(who, action, Resource(path, who.counselor_id, "org"))


def everywhere(conn: Connection, who: Principal | None, action: str) -> None:
    """Refuse an act over the whole database (the daily tick) unless `who`'s grants reach every top-level organisation."""
    if who is None:
        return
    paths = scope_paths(who, action, registry.roles())
    tops = access.top_paths(conn)
    if not (tops and all(any(t.startswith(p) for p in paths) for t in tops)):
        allow(who, action, Resource(ROOT, None, "org"))


def org_for(conn: Connection, who: Principal | None, action: str, org: str | None) -> str | None:
    """The organisation a report or launch covers: the one asked for (checked); else, for a user, everything
    when their grants cover every top-level organisation, or the one subtree they reach."""
    if who is None:
        return org
    if org:
        org_in(conn, who, action, org)
        return org
    paths = scope_paths(who, action, registry.roles())
    tops = access.top_paths(conn)
    if tops and all(any(t.startswith(p) for p in paths) for t in tops):
        return None
    if len(paths) == 1:
        return code_of(paths[0])
    if not paths:
        allow(who, action, Resource(ROOT, who.counselor_id, "org"))
    codes = ", ".join(code_of(p) for p in paths)
    raise DataError(f"{who.login} 的授权涉及多个组织（{codes}），请用 --org 指明其一",
                    f"{who.login}'s grants reach several organisations ({codes}): name one with --org",
                    rule="org_required", actual=[code_of(p) for p in paths])
