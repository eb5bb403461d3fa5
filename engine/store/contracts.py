"""Contracts, reference texts, typical-case marks and renewal links in and out of the store (issue 17)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.errors import RefusedError
from engine.store import directory
from engine.store.hot import renewal_entries as renewal_entries  # the one implementation, SQLAlchemy-free
from engine.store.hot import renewed_by as renewed_by
from engine.store.hot import renews as renews
from engine.store.tables import case_t, contract_t, enterprise_t, mark_t, org_t, reference_t, renewal_t

# Columns of a contract as read back (the original file's bytes only when asked for).
_LIGHT = [c for c in contract_t.c if c.name != "file_bytes"]


def contract(conn: Connection, case_id: int, *, with_bytes: bool = False) -> Any:
    """The contract row of a case, or None."""
    cols = list(contract_t.c) if with_bytes else _LIGHT
    return conn.execute(sa.select(*cols).where(contract_t.c.case_id == case_id)).first()


def put_contract(conn: Connection, case_id: int, values: Mapping[str, Any]) -> None:
    """Insert or update a case's contract row with these columns."""
    exists = conn.execute(sa.select(contract_t.c.case_id).where(contract_t.c.case_id == case_id)).first()
    if exists is None:
        conn.execute(contract_t.insert().values(case_id=case_id, **values))
    else:
        conn.execute(contract_t.update().where(contract_t.c.case_id == case_id).values(**values))


def add_reference(conn: Connection, values: Mapping[str, Any]) -> int:
    """A new reference text; refused when the name is taken."""
    taken = conn.execute(sa.select(reference_t.c.id).where(reference_t.c.name == values["name"])).first()
    if taken is not None:
        raise RefusedError(f"已有名为 {values['name']} 的参考文本", f"a reference text named {values['name']!r} exists",
                           hint_zh="换一个 --name", hint_en="choose another --name", rule="reference.name")
    pk = conn.execute(reference_t.insert().values(**values)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def ancestor_paths(path: str) -> list[str]:
    """'/32/3205/320505/' → ['/32/', '/32/3205/', '/32/3205/320505/'] (the path and every ancestor's)."""
    codes = [c for c in path.strip("/").split("/") if c]
    return [f"/{'/'.join(codes[:i])}/" for i in range(1, len(codes) + 1)]


def references_for(conn: Connection, path: str) -> list[Any]:
    """The reference texts that apply to an organisation path: national ones ('' path), its own and its
    ancestors', and those of organisations below it (a subtree's view)."""
    cond: Any = sa.true()
    if path != "/":
        cond = sa.or_(reference_t.c.org_path.in_(["", *ancestor_paths(path)]), directory.subtree(reference_t.c.org_path, path))
    cols = [c for c in reference_t.c if c.name != "file_bytes"]
    return list(conn.execute(sa.select(*cols).where(cond).order_by(reference_t.c.id)))


def contracts_in(conn: Connection, path: str, *, year: int | None = None, with_text: bool = True) -> list[Any]:
    """The contracts of a subtree (optionally of one term year), with their case and party: an enterprise, or for a
    regional or industry case the union that concluded it (its code and name in the enterprise's columns, no credit
    code, industry '' and 0 employees: the contract is not one enterprise's)."""
    c, e, k, o = case_t.c, enterprise_t.c, contract_t.c, org_t.c
    org_path = sa.func.coalesce(e.org_path, o.path)
    cols = [k.case_id, k.terms, k.min_wage, k.place, k.term_year, k.file_name, k.file_sha256,
            *([k.text] if with_text else []),
            c.state, c.offer_year, c.signed_on, c.workflow, c.workflow_version, c.jurisdiction, c.party_org,
            sa.func.coalesce(e.credit_code, "").label("credit_code"), sa.func.coalesce(e.name, o.name).label("enterprise"),
            sa.func.coalesce(e.org_code, o.code).label("org_code"), org_path.label("org_path"),
            sa.func.coalesce(e.industry, "").label("industry"), sa.func.coalesce(e.employees, 0).label("employees")]
    stmt = (sa.select(*cols).select_from(contract_t.join(case_t, c.id == k.case_id)
                                         .outerjoin(enterprise_t, e.id == c.enterprise_id)
                                         .outerjoin(org_t, sa.and_(c.enterprise_id.is_(None), o.code == c.party_org)))
            .where(directory.subtree(org_path, path)).order_by(k.case_id))
    if year is not None:
        stmt = stmt.where(sa.func.coalesce(k.term_year, sa.extract("year", c.signed_on), c.offer_year) == year)
    return list(conn.execute(stmt))


def mark(conn: Connection, case_id: int, *, typical: bool, note: str, at: datetime, actor: str) -> None:
    """Mark (or unmark) a case typical, replacing an earlier mark."""
    conn.execute(mark_t.delete().where(mark_t.c.case_id == case_id))
    conn.execute(mark_t.insert().values(case_id=case_id, typical=typical, note=note, marked_at=at, marked_by=actor))


def marks(conn: Connection, case_ids: Sequence[int]) -> dict[int, Any]:
    """The marks of these cases, by case id."""
    out: dict[int, Any] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 1000):
        for r in conn.execute(sa.select(mark_t).where(mark_t.c.case_id.in_(ids[start:start + 1000]))):
            out[int(r.case_id)] = r
    return out


def link_renewal(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Renewal links (case_id, renews_case_id, linked_at), in one executemany."""
    if rows:
        conn.execute(renewal_t.insert(), [dict(r) for r in rows])


def renewal_link_rows(conn: Connection, case_ids: Sequence[int]) -> list[Any]:
    """Renewal links touching any of these cases (either side)."""
    if not case_ids:
        return []
    ids = sorted(set(case_ids))
    return list(conn.execute(sa.select(renewal_t).where(
        sa.or_(renewal_t.c.case_id.in_(ids), renewal_t.c.renews_case_id.in_(ids)))))

