"""A small city with users, shared by the permission tests: the district 320505 ("inside") where the
test users hold their grants, its sibling 320506 ("outside"), and a case in each assigned to a counselor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

PASSWORD = "a long enough passphrase"
ROLES = ("admin", "manager", "counselor", "viewer")


@dataclass(frozen=True)
class Side:
    """What a test may act on in one district."""

    org: str
    case: int  # assigned to `counselor`
    other_case: int  # in the same district, assigned to another counselor
    free: str  # an enterprise without a case
    counselor: int


@dataclass(frozen=True)
class City:
    url: str
    inside: Side
    outside: Side

    def login(self, role: str) -> str:
        """The login of the test user holding `role` at the inside district."""
        return f"{role}5"


def seed(url: str) -> City:
    """Organisations, enterprises, counselors, cases and users; returns what the tests refer to."""
    from engine.credit import make_credit_code
    from engine.store import directory
    from engine.store.database import Store
    from engine.times import parse_at
    from engine.usecases import acts, users

    s = Store(url)
    sides = {}
    with s.engine.begin() as conn:
        directory.upsert_org(conn, "320500", "苏州市总工会", "city")
        for code, name in (("320505", "高新区总工会"), ("320506", "吴中区总工会")):
            directory.upsert_org(conn, code, name, "district", "320500")
            directory.upsert_enterprises(conn, [
                {"credit_code": make_credit_code(code, i), "name": f"{name}企业{i}", "org_code": code, "industry": "制造业",
                 "employees": 100 + i, "has_union": True} for i in (1, 2, 3)])
            ids = [directory.add_counselor(conn, {"name": f"{name}指导员{i}", "kind": "full_time", "status": "retired",
                                                  "org_code": code}) for i in (1, 2)]
            sides[code] = ids
    at = parse_at("2026-03-01")
    out = {}
    for code, (mine, theirs) in sides.items():
        case = acts.open_case(s, make_credit_code(code, 1), at=at, recorded_at=at, actor="seed", counselor_id=mine).case_id
        other = acts.open_case(s, make_credit_code(code, 2), at=at, recorded_at=at, actor="seed", counselor_id=theirs).case_id
        out[code] = Side(code, case, other, make_credit_code(code, 3), mine)
    users.add_user(s, "root", name="市总管理员", role="admin", org="320500", password=PASSWORD)
    root = users.principal(s, "root")
    for role in ROLES:
        users.add_user(s, f"{role}5", name=f"{role}五", role=role, org="320505", password=PASSWORD, by=root,
                       counselor_id=out["320505"].counselor if role == "counselor" else None)
    s.dispose()
    return City(url, out["320505"], out["320506"])


TABLES = ("org", "enterprise", "counselor", "bcase", "event", "coverage", "app_user", "app_grant")


def fingerprint(url: str) -> dict[str, Any]:
    """What a refused command must leave unchanged: every table's row count, case versions, users' session versions."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        out: dict[str, Any] = {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}
        out["versions"] = conn.execute(sa.text("SELECT COALESCE(SUM(version), 0) FROM bcase")).scalar_one()
        out["sessions"] = conn.execute(sa.text("SELECT COALESCE(SUM(session_version), 0) FROM app_user")).scalar_one()
    engine.dispose()
    return out


def last_audit(url: str) -> Any:
    """The newest audit entry."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT login, action, outcome, rule, detail FROM audit ORDER BY id DESC LIMIT 1")).first()
    engine.dispose()
    return row


def audit_count(url: str) -> int:
    """How many audit entries there are."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(sa.text("SELECT COUNT(*) FROM audit")).scalar_one())
    engine.dispose()
    return n
