"""Every SQL statement about people and permissions: users, grants, the audit trail, and the subtree
predicates that restrict lists to what a user's grants reach (issue 15).

The predicates are ranges on the materialised paths (directory.subtree), one per granted subtree, so a
district manager's list reads the same indexes as a list with --org.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.permission import Reach as Reach  # a plain value of the pure core; its predicates are here
from engine.store.directory import subtree
from engine.store.hot import case_resource as case_resource  # the one implementation, SQLAlchemy-free
from engine.store.hot import grants as grants
from engine.store.hot import has_users as has_users
from engine.store.hot import insert_audit as insert_audit
from engine.store.hot import user as user
from engine.store.tables import audit_t, case_t, counselor_t, enterprise_t, grant_t, org_t, user_t


def _under(column: Any, paths: Sequence[str]) -> Any:
    return sa.or_(*[subtree(column, p) for p in paths]) if paths else sa.false()


def _either(full: Any, assigned: Any) -> Any:
    parts = [p for p in (full, assigned) if p is not None]
    return sa.or_(*parts) if parts else sa.false()


def cases_within(reach: Reach) -> Any:
    """The condition on case rows: an enterprise case by its enterprise's path, a regional case by its union's."""
    def part(paths: Sequence[str]) -> Any:
        unions = sa.select(org_t.c.code).where(_under(org_t.c.path, paths))
        return sa.or_(_under(case_t.c.ent_path, paths), case_t.c.party_org.in_(unions))

    full = part(reach.full) if reach.full else None
    mine = (sa.and_(case_t.c.counselor_id == reach.counselor_id, part(reach.assigned))
            if reach.assigned and reach.counselor_id is not None else None)
    return _either(full, mine)


def counselors_within(reach: Reach) -> Any:
    """The condition on counselor rows: in a whole subtree, or the user's own record in an assigned one."""
    full = _under(counselor_t.c.org_path, reach.full) if reach.full else None
    mine = (sa.and_(counselor_t.c.id == reach.counselor_id, _under(counselor_t.c.org_path, reach.assigned))
            if reach.assigned and reach.counselor_id is not None else None)
    return _either(full, mine)


def enterprises_within(reach: Reach) -> Any:
    """The condition on enterprise rows: in a whole subtree, or with a case assigned to the user in an assigned one."""
    full = _under(enterprise_t.c.org_path, reach.full) if reach.full else None
    mine = None
    if reach.assigned and reach.counselor_id is not None:
        theirs = sa.select(sa.literal(1)).select_from(case_t).where(
            case_t.c.enterprise_id == enterprise_t.c.id, case_t.c.counselor_id == reach.counselor_id)
        mine = sa.and_(_under(enterprise_t.c.org_path, reach.assigned), sa.exists(theirs))
    return _either(full, mine)


def enterprise_path(conn: Connection, credit_code: str) -> str | None:
    """The organisation path of an enterprise, or None when there is no such enterprise."""
    found = conn.execute(sa.select(enterprise_t.c.org_path).where(enterprise_t.c.credit_code == credit_code)).scalar()
    return str(found) if found else None


def top_paths(conn: Connection) -> list[str]:
    """The paths of the top-level organisations."""
    return [str(p) for p in conn.execute(sa.select(org_t.c.path).where(org_t.c.parent_code.is_(None))).scalars()]


# --- users and grants --------------------------------------------------------------------------------

def user_by_token(conn: Connection, token_hash: str) -> Any:
    """The user whose API token has this hash, or None."""
    return conn.execute(sa.select(user_t).where(user_t.c.token_hash == token_hash)).first()


def users(conn: Connection) -> list[Any]:
    """Every user row, by login."""
    return list(conn.execute(sa.select(user_t).order_by(user_t.c.login)))


def insert_user(conn: Connection, values: dict[str, Any]) -> int:
    """A new user row; its id."""
    pk = conn.execute(user_t.insert().values(**values)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def update_user(conn: Connection, user_id: int, *, bump: bool = False, **values: Any) -> None:
    """Change a user row; with `bump`, also raise its session version (the web then ends its sessions)."""
    if bump:
        values["session_version"] = user_t.c.session_version + 1
    conn.execute(user_t.update().where(user_t.c.id == user_id).values(**values))


def add_grant(conn: Connection, user_id: int, role: str, org_code: str) -> bool:
    """Give a grant; False when the user already held it."""
    exists = conn.execute(sa.select(grant_t.c.id).where(
        grant_t.c.user_id == user_id, grant_t.c.role == role, grant_t.c.org_code == org_code)).first()
    if exists:
        return False
    conn.execute(grant_t.insert().values(user_id=user_id, role=role, org_code=org_code))
    return True


def remove_grant(conn: Connection, user_id: int, role: str, org_code: str) -> bool:
    """Take a grant away; False when the user did not hold it."""
    done = conn.execute(grant_t.delete().where(
        grant_t.c.user_id == user_id, grant_t.c.role == role, grant_t.c.org_code == org_code))
    return bool(done.rowcount)


# --- audit -------------------------------------------------------------------------------------------

def failures_since(conn: Connection, login: str, since: datetime) -> int:
    """Failed login attempts for a login since an instant (for logins that do not exist, kept only here)."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(audit_t).where(
        audit_t.c.login == login, audit_t.c.action == "login", audit_t.c.outcome.in_(("failed", "locked")),
        audit_t.c.at >= since)).scalar_one())


def last_logins(conn: Connection, logins: Sequence[str]) -> dict[str, datetime]:
    """Each login's last successful login (from the audit trail); a login never used is left out."""
    if not logins:
        return {}
    q = (sa.select(audit_t.c.login, sa.func.max(audit_t.c.at)).where(
        audit_t.c.login.in_(list(logins)), audit_t.c.action == "login", audit_t.c.outcome == "ok").group_by(audit_t.c.login))
    return {str(login): at for login, at in conn.execute(q) if at is not None}


def audit_rows(conn: Connection, *, since: datetime | None = None, login: str | None = None,
               logins: Sequence[str] | None = None, limit: int = 10_000) -> list[Any]:
    """Audit entries in time order, optionally since an instant, for one login, or only for some logins."""
    # The user's current name beside the login (an audit row records the login; a login of no user has none).
    q = (sa.select(audit_t, user_t.c.name.label("user_name")).outerjoin(user_t, user_t.c.login == audit_t.c.login)
         .order_by(audit_t.c.at, audit_t.c.id).limit(limit))
    if since is not None:
        q = q.where(audit_t.c.at >= since)
    if login is not None:
        q = q.where(audit_t.c.login == login)
    if logins is not None:
        q = q.where(audit_t.c.login.in_(list(logins)))
    return list(conn.execute(q))
