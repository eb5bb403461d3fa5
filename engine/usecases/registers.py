"""The registers: organisations, enterprises and counselors, added or updated one at a time, and listed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.changes import Updated, lay_over
from engine.counselor import normalised
from engine.errors import DataError, RefusedError
from engine.permission import Principal, Resource
from engine.store import access, directory
from engine.store.casework import counselor_dict
from engine.store.database import Store
from engine.store.tables import counselor_t, enterprise_t, org_t
from engine.usecases.audit import recorded
from engine.usecases.guard import allow, code_of, org_in, reach
from engine.values import MAX_NAME, MAX_TEXT, check_text

ENTERPRISE_DEFAULTS: dict[str, Any] = {"industry": "", "employees": 0, "has_union": True}


def _org_at(conn: Connection, who: Principal | None, action: str, code: str | None) -> None:
    """Refuse writing at an organisation outside `who`'s grants (no organisation: only a grant at the root)."""
    if who is not None:
        allow(who, action, Resource(directory.org_path(conn, code) if code else None, None, "org"))


@recorded
def add_org(store: Store, code: str, name: str | None, kind: str | None = None, parent: str | None = None,
            jurisdiction: str | None = None, who: Principal | None = None) -> Updated:
    """Add one organisation, or change only the given fields of an existing one (None: not given); for a user,
    the organisation (if it exists) and its new parent must lie inside their data.import grants."""
    if jurisdiction:
        registry.profile(jurisdiction)
    with store.unit_of_work() as uow:
        old = uow.conn.execute(sa.select(org_t).where(org_t.c.code == code)).first()
        if old is not None:
            _org_at(uow.conn, who, "data.import", code)
        if parent or old is None:
            _org_at(uow.conn, who, "data.import", parent)
        current = ({"name": old.name, "kind": old.kind, "parent_code": old.parent_code, "jurisdiction": old.jurisdiction}
                   if old is not None else {"name": None, "kind": "other", "parent_code": None, "jurisdiction": None})
        values, changes = lay_over(current, {"name": name, "kind": kind, "parent_code": parent, "jurisdiction": jurisdiction})
        if not values["name"]:
            raise DataError(f"新组织 {code} 需要名称", f"a new organisation {code} needs a name", rule="org_name")
        outcome = directory.upsert_org(uow.conn, code, values["name"], values["kind"], values["parent_code"],
                                       values["jurisdiction"])
        uow.commit()
    return Updated(str(outcome), code, changes if old is not None else [])


@recorded
def list_orgs(store: Store, org: str | None, who: Principal | None = None) -> list[dict[str, Any]]:
    """`org list`: the organisations of a subtree (all when none is given), in tree order; for a user, those inside
    their grants."""
    with store.read() as conn:
        org_in(conn, who, "case.read", org)
        rows = directory.orgs(conn, directory.org_path(conn, org))
    if who is None:
        return rows
    granted = {code_of(g.org_path) for g in who.grants}
    inside: dict[str, bool] = {}
    for r in rows:  # tree order: a parent comes before its children
        inside[r["code"]] = r["code"] in granted or inside.get(r["parent_code"] or "", False)
    return [r for r in rows if inside[r["code"]]]


@recorded
def add_enterprise(store: Store, given: dict[str, Any], who: Principal | None = None) -> Updated:
    """Add one enterprise (the credit code already checked), or change only the given fields of an existing one
    (a value None was not given: an update keeps what is stored, as import keeps it for an empty cell)."""
    code = given["credit_code"]
    given = {**given, **{k: check_text(given[k], k) for k in ("name", "industry") if isinstance(given.get(k), str)}}
    if given.get("name") == "":
        raise DataError("企业名称为空", "the enterprise's name is empty", rule="required")
    with store.unit_of_work() as uow:
        old = uow.conn.execute(sa.select(enterprise_t).where(enterprise_t.c.credit_code == code)).first()
        if who is not None:
            if old is not None:
                allow(who, "data.import", Resource(str(old.org_path), None, "enterprise"))
            if given.get("org_code"):
                _org_at(uow.conn, who, "data.import", given["org_code"])
        if old is None:
            if not given.get("org_code") or not given.get("name"):
                raise DataError(f"新企业 {code} 需要名称和所属工会（--org）", f"a new enterprise {code} needs a name and --org",
                                rule="enterprise_new", required="org_code")
            current = {"credit_code": code, **ENTERPRISE_DEFAULTS}
        else:
            current = {k: getattr(old, k) for k in ("credit_code", "name", "org_code", "industry", "employees", "has_union")}
        values, changes = lay_over(current, given)
        counts = directory.upsert_enterprises(uow.conn, [values])
        uow.commit()
    return Updated(next(k for k, v in counts.items() if v), code, changes if old is not None else [])


@recorded
def list_enterprises(store: Store, org: str | None, who: Principal | None = None) -> list[Any]:
    """Enterprises of a subtree (all when no organisation is given), by organisation and credit code; for a user,
    those their grants reach (a counselor: the enterprises of their cases)."""
    with store.read() as conn:
        org_in(conn, who, "case.read", org)
        path = directory.org_path(conn, org)
        q = (sa.select(enterprise_t).where(directory.subtree(enterprise_t.c.org_path, path))
             .order_by(enterprise_t.c.org_path, enterprise_t.c.credit_code))
        found = reach(who, "case.read")
        if found is not None:
            q = q.where(access.enterprises_within(found))
        return list(conn.execute(q).all())


@recorded
def add_counselor(store: Store, given: dict[str, Any], who: Principal | None = None) -> tuple[dict[str, Any], Updated]:
    """Register one counselor, or change only the given fields (None: not given) of the same person, found as
    import finds them: organisation + name + birth date (without a birth date, the one person of that name in
    the organisation). The employer of a new counselor defaults to the organisation's name. Returns the
    stored record and what was done."""
    given = {k: check_text(v, k, MAX_NAME if k == "name" else MAX_TEXT) if isinstance(v, str) else v for k, v in given.items()}
    with store.unit_of_work() as uow:
        conn = uow.conn
        org_code, name = given["org_code"], given["name"]
        directory.org(conn, org_code)  # NotFoundError with a suggestion
        _org_at(conn, who, "counselor.manage", org_code)
        same = sa.select(counselor_t).where(counselor_t.c.org_code == org_code, counselor_t.c.name == name,
                                            counselor_t.c.merged_into.is_(None))
        if given.get("birth_date") is not None:
            same = same.where(counselor_t.c.birth_date == given["birth_date"])
        matches = conn.execute(same.order_by(counselor_t.c.id)).all()
        if len(matches) > 1:
            ids = ", ".join(str(r.id) for r in matches)
            raise RefusedError(f"{org_code} 已有 {len(matches)} 名指导员叫 {name}（编号 {ids}）：请给出 --birth-date",
                               f"{len(matches)} counselors of {org_code} are called {name} (ids {ids}): give --birth-date",
                               hint_zh="或用 bargain counselor merge 合并重复登记",
                               hint_en="or merge duplicates with bargain counselor merge",
                               rule="counselor_identity")
        if not matches:
            fields = {k: v for k, v in given.items() if v is not None}
            if not fields.get("employer"):
                fields["employer"] = directory.org(conn, org_code).name
            new_id = directory.add_counselor(conn, fields)
            row = counselor_dict(directory.counselor(conn, new_id))
            uow.commit()
            return row, Updated("inserted", str(new_id), [])
        old = matches[0]
        current = {k: getattr(old, k) for k in directory.COUNSELOR_FIELDS}
        values, changes = lay_over(current, normalised({k: v for k, v in given.items() if v is not None}))
        if changes:
            directory.update_counselor(conn, old.id, values)
        row = counselor_dict(directory.counselor(conn, old.id))
        uow.commit()
    return row, Updated("updated" if changes else "unchanged", str(old.id), changes)


@recorded
def list_counselors(store: Store, org: str | None, who: Principal | None = None) -> list[Any]:
    """Counselors of a subtree (all when no organisation is given); for a user, those their grants reach."""
    with store.read() as conn:
        org_in(conn, who, "counselor.read", org)
        q = sa.select(counselor_t).where(counselor_t.c.merged_into.is_(None)).order_by(counselor_t.c.org_path, counselor_t.c.id)
        found = reach(who, "counselor.read")
        if found is not None:
            q = q.where(access.counselors_within(found))
        if org:
            q = q.where(directory.subtree(counselor_t.c.org_path, directory.org_path(conn, org)))
        return list(conn.execute(q).all())
