"""The registers: organisations, enterprises and counselors, added or updated one at a time, and listed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from engine import registry
from engine.store import directory
from engine.store.casework import counselor_dict
from engine.store.database import Store
from engine.store.schema import counselor_t, enterprise_t


def add_org(store: Store, code: str, name: str, kind: str = "other", parent: str | None = None,
            jurisdiction: str | None = None) -> str:
    """Add or update one organisation: 'inserted', 'updated' or 'unchanged'."""
    if jurisdiction:
        registry.profile(jurisdiction)
    with store.unit_of_work() as uow:
        outcome = directory.upsert_org(uow.conn, code, name, kind, parent, jurisdiction)
        uow.commit()
    return str(outcome)


def add_enterprise(store: Store, row: dict[str, Any]) -> str:
    """Add or update one enterprise (the credit code already checked): 'inserted', 'updated' or 'unchanged'."""
    with store.unit_of_work() as uow:
        counts = directory.upsert_enterprises(uow.conn, [row])
        uow.commit()
    return next(k for k, v in counts.items() if v)


def list_enterprises(store: Store, org: str | None) -> list[Any]:
    """Enterprises of a subtree (all when no organisation is given), by organisation and credit code."""
    with store.read() as conn:
        path = directory.org_path(conn, org)
        return list(conn.execute(sa.select(enterprise_t).where(directory.subtree(enterprise_t.c.org_path, path))
                                 .order_by(enterprise_t.c.org_path, enterprise_t.c.credit_code)).all())


def add_counselor(store: Store, fields: dict[str, Any]) -> dict[str, Any]:
    """Register one counselor (the employer defaults to the organisation's name); the stored record."""
    with store.unit_of_work() as uow:
        conn = uow.conn
        if not fields.get("employer"):
            fields = {**fields, "employer": directory.org(conn, fields["org_code"]).name}
        new_id = directory.add_counselor(conn, fields)
        row = counselor_dict(directory.counselor(conn, new_id))
        uow.commit()
    return row


def list_counselors(store: Store, org: str | None) -> list[Any]:
    """Counselors of a subtree (all when no organisation is given)."""
    with store.read() as conn:
        q = sa.select(counselor_t).order_by(counselor_t.c.org_path, counselor_t.c.id)
        if org:
            q = q.where(directory.subtree(counselor_t.c.org_path, directory.org_path(conn, org)))
        return list(conn.execute(q).all())
