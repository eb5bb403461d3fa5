"""Organisations, enterprises and counselors: lookups and upserts over the store."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.counselor import registration
from engine.errors import DataError, RefusedError, RuleError, did_you_mean
from engine.registry import DEFAULT_JURISDICTION
from engine.store import rollups
from engine.store.hot import counselor as counselor  # the one implementation, SQLAlchemy-free
from engine.store.hot import counselor_names as counselor_names
from engine.store.hot import enterprise as enterprise
from engine.store.hot import org as org
from engine.store.hot import org_path as org_path
from engine.store.tables import case_t, counselor_t, enterprise_t, org_merge_t, org_t
from engine.values import check_text

ORG_KINDS = ("national", "province", "city", "district", "industry", "town", "other")


def subtree(column: Any, path: str) -> Any:
    """A range condition selecting a path and everything below it (index-friendly, no LIKE)."""
    return sa.and_(column >= path, column < path[:-1] + "0")  # '/' + 1 == '0'


def orgs(conn: Connection, path: str = "/") -> list[dict[str, Any]]:
    """The organisations of a subtree in tree order (by path), each with its depth below the subtree's top and its
    number of enterprises directly attached."""
    counts: dict[str, int] = dict(conn.execute(sa.select(enterprise_t.c.org_code, sa.func.count()).where(
        subtree(enterprise_t.c.org_path, path)).group_by(enterprise_t.c.org_code)).all())
    rows = conn.execute(sa.select(org_t).where(subtree(org_t.c.path, path)).order_by(org_t.c.path)).all()
    top = min((r.path.count("/") for r in rows), default=0)
    return [{"code": r.code, "name": r.name, "kind": r.kind, "parent_code": r.parent_code, "jurisdiction": r.jurisdiction,
             "depth": r.path.count("/") - top, "enterprises": int(counts.get(r.code, 0))} for r in rows]


def jurisdiction_of(conn: Connection, code: str) -> str:
    """The jurisdiction in force for an organisation: its own, else the nearest ancestor's, else national."""
    path = org_path(conn, code)
    codes = [c for c in path.strip("/").split("/") if c]
    rows: dict[str, str | None] = dict(conn.execute(sa.select(org_t.c.code, org_t.c.jurisdiction).where(org_t.c.code.in_(codes))).all())
    for c in reversed(codes):
        if rows.get(c):
            return str(rows[c])
    return DEFAULT_JURISDICTION


def jurisdictions_of(conn: Connection, codes: Iterable[str], *, chunk: int = 5000) -> dict[str, str]:
    """jurisdiction_of for many organisations at once: their paths, then their ancestors' own profiles, by
    chunked IN queries (a national campaign names thousands of towns: one query each would dominate it)."""
    wanted = sorted(set(codes))
    paths: dict[str, str] = {}
    for i in range(0, len(wanted), chunk):
        paths.update(conn.execute(sa.select(org_t.c.code, org_t.c.path).where(org_t.c.code.in_(wanted[i:i + chunk]))).all())
    for code in wanted:
        if code not in paths:
            org(conn, code)  # NotFoundError, as jurisdiction_of would raise
    chains = {code: [c for c in path.strip("/").split("/") if c] for code, path in paths.items()}
    above = sorted({c for chain in chains.values() for c in chain})
    own: dict[str, str | None] = {}
    for i in range(0, len(above), chunk):
        own.update(conn.execute(sa.select(org_t.c.code, org_t.c.jurisdiction).where(org_t.c.code.in_(above[i:i + chunk]))).all())
    return {code: next((str(own[c]) for c in reversed(chain) if own.get(c)), DEFAULT_JURISDICTION)
            for code, chain in chains.items()}


TERRITORIAL = ("national", "province", "city", "district", "town")  # kinds that say a level; industry/other do not


def org_level(conn: Connection, code: str) -> str | None:
    """The level of an organisation: its own kind where that is territorial, else that of its nearest
    territorial ancestor (an industry union under a city federation is at city level); None if none says."""
    path = org_path(conn, code)
    chain = [c for c in path.strip("/").split("/") if c]
    rows = conn.execute(sa.select(org_t.c.code, org_t.c.kind).where(org_t.c.code.in_(chain))).all()
    kinds: dict[str, str] = {str(code): str(kind) for code, kind in rows}
    return next((kinds[c] for c in reversed(chain) if kinds.get(c, "") in TERRITORIAL), None)


def upsert_org(conn: Connection, code: str, name: str, kind: str = "other", parent_code: str | None = None,
               jurisdiction: str | None = None) -> str:
    """Insert or update one organisation under its (existing) parent; returns 'inserted', 'updated' or 'unchanged'."""
    if kind not in ORG_KINDS:
        guess = did_you_mean(kind, ORG_KINDS)
        raise RefusedError(f"组织类型 {kind} 无效（可用：{'|'.join(ORG_KINDS)}）", f"kind {kind} is not one of {'|'.join(ORG_KINDS)}",
                           hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean '{guess}'?" if guess else "",
                           rule="org_kind", actual=kind)
    if not code or re.search(r"[\s/]", code):
        raise DataError(f"组织代码 {code!r} 不能为空，也不能含空格或 /",
                        f"organisation code {code!r} may not be empty or hold spaces or '/'", rule="org_code", actual=code)
    name = check_text(name, "name")
    if not name:
        raise DataError("组织名称为空", "the organisation's name is empty", rule="required")
    parent_path = org_path(conn, parent_code) if parent_code else "/"
    chain = [c for c in parent_path.strip("/").split("/") if c]
    if code in chain:  # its own parent, or below itself: the tree would become a loop
        loop = " → ".join([*chain[chain.index(code):], code])
        raise RuleError(f"{parent_code} 是 {code} 本身或其下级，不能做它的上级（{loop}），未写入任何内容",
                        f"{parent_code} is {code} itself or below it, so it cannot be its parent ({loop}); nothing was written",
                        rule="org_cycle", actual=loop)
    path = f"{parent_path}{code}/"
    values = {"code": code, "name": name, "kind": kind, "parent_code": parent_code or None, "path": path,
              "jurisdiction": jurisdiction or None}
    old = conn.execute(sa.select(org_t).where(org_t.c.code == code)).first()
    if old is None:
        conn.execute(org_t.insert().values(**values))
        return "inserted"
    if all(getattr(old, k) == v for k, v in values.items()):
        return "unchanged"
    conn.execute(org_t.update().where(org_t.c.code == code).values(**values))
    if old.path != path:  # the organisation moved: its subtree and enterprises move with it
        rollups.paths_moved(conn, rollups.paths_below(conn, [str(old.path)]))  # the report counts of the old paths
        moved = ((org_t, org_t.c.path), (enterprise_t, enterprise_t.c.org_path), (counselor_t, counselor_t.c.org_path),
                 (case_t, case_t.c.ent_path))
        for table, col in moved:
            conn.execute(
                table.update().where(subtree(col, old.path)).values({col.name: sa.func.replace(col, old.path, path)})
            )
        rollups.paths_moved(conn, rollups.paths_below(conn, [path]))  # ... and of the new ones
    return "updated"


def upsert_enterprises(conn: Connection, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert or update enterprises (credit_code, name, org_code, industry, employees, has_union); counts by outcome."""
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    paths: dict[str, str] = {}
    for row in rows:
        code = row["org_code"]
        if code not in paths:
            paths[code] = org_path(conn, code)
        values = {**row, "org_path": paths[code]}
        old = conn.execute(sa.select(enterprise_t).where(enterprise_t.c.credit_code == row["credit_code"])).first()
        if old is None:
            conn.execute(enterprise_t.insert().values(**values))
            rollups.enterprises_written(conn, [paths[code]])  # the coverage report's denominators
            counts["inserted"] += 1
        elif any(getattr(old, k) != v for k, v in values.items()):
            rollups.enterprises_written(conn, [str(old.org_path), paths[code]])
            conn.execute(enterprise_t.update().where(enterprise_t.c.id == old.id).values(**values))
            refresh_case_copies(conn, [row["credit_code"]])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


# The enterprise fields each of its case rows carries a copy of (engine/store/schema.py CaseRow.ent_*).
_COPIES = (("ent_path", "org_path"), ("ent_employees", "employees"), ("ent_has_union", "has_union"))
_CHUNK = 1000


def enterprise_copies(conn: Connection, enterprise_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """The copied fields (ent_path, ent_employees, ent_has_union) a new case row of each enterprise carries."""
    ids = sorted({i for i in enterprise_ids if i is not None})
    cols = [enterprise_t.c.id, *(enterprise_t.c[src] for _, src in _COPIES)]
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        for r in conn.execute(sa.select(*cols).where(enterprise_t.c.id.in_(ids[start:start + _CHUNK]))):
            out[int(r[0])] = {dst: r[i] for i, (dst, _) in enumerate(_COPIES, start=1)}
    return out


def refresh_case_copies(conn: Connection, credit_codes: Iterable[str]) -> None:
    """Bring the copies on the case rows of these enterprises in step with them (after an update)."""
    codes = sorted(set(credit_codes))
    ent = enterprise_t.c
    values = {dst: sa.select(ent[src]).where(ent.id == case_t.c.enterprise_id).scalar_subquery() for dst, src in _COPIES}
    for start in range(0, len(codes), _CHUNK):
        ids = sa.select(ent.id).where(ent.credit_code.in_(codes[start:start + _CHUNK]))
        rollups.enterprises_changed(conn, ids, ())  # the report counts of the paths the cases leave ...
        conn.execute(case_t.update().where(case_t.c.enterprise_id.in_(ids)).values(values))
        rollups.enterprises_changed(conn, ids, ())  # ... and of those they come to


COUNSELOR_FIELDS = ("name", "gender", "birth_date", "education", "training", "employer", "kind", "background",
                    "status", "term_start", "term_end", "phone", "org_code")


def add_counselor(conn: Connection, fields: dict[str, Any]) -> int:
    """Register one counselor under an existing organisation (rules of engine.counselor); returns the counselor id."""
    checked = registration(fields, today=date.today())
    values = {k: checked[k] for k in COUNSELOR_FIELDS if k in checked}
    values["org_path"] = org_path(conn, values.get("org_code") or None) if values.get("org_code") else ""
    pk = conn.execute(counselor_t.insert().values(**values)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def update_counselor(conn: Connection, counselor_id: int, fields: dict[str, Any]) -> None:
    """Replace one counselor's registration fields (checked as a new registration would be)."""
    checked = registration(fields, today=date.today())
    values = {k: checked[k] for k in COUNSELOR_FIELDS if k in checked}
    values["org_path"] = org_path(conn, values.get("org_code") or None) if values.get("org_code") else ""
    conn.execute(counselor_t.update().where(counselor_t.c.id == counselor_id).values(**values))


def merged_ids(conn: Connection, keepers: Iterable[int]) -> list[int]:
    """The counselor records merged into these (counselor merge): the same people, registered twice."""
    return sorted(i for ids in merged_by_keeper(conn, keepers).values() for i in ids)


def merged_by_keeper(conn: Connection, keepers: Iterable[int]) -> dict[int, list[int]]:
    """Kept counselor id → the ids of the records merged into it."""
    wanted = sorted(set(keepers))
    out: dict[int, list[int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        q = sa.select(counselor_t.c.merged_into, counselor_t.c.id).where(
            counselor_t.c.merged_into.in_(wanted[start:start + _CHUNK]))
        for keep, dropped in conn.execute(q):
            out.setdefault(int(keep), []).append(int(dropped))
    return out


def merge_counselors(conn: Connection, keep: int, drop: int) -> dict[str, Any]:
    """Merge a counselor registered twice: DROP's cases go to KEEP, KEEP's empty fields take DROP's values, and
    DROP stays (its events keep their counselor) marked merged into KEEP. What was done."""
    if keep == drop:
        raise RefusedError("不能把指导员与自己合并", "a counselor cannot be merged with itself", rule="counselor_merge")
    kept, dropped = counselor(conn, keep), counselor(conn, drop)
    for row in (kept, dropped):
        if row.merged_into is not None:
            raise RefusedError(f"指导员 {row.id} 已并入 {row.merged_into}", f"counselor {row.id} was already merged into {row.merged_into}",
                               rule="counselor_merge", actual=row.id)
    filled = {k: getattr(dropped, k) for k in COUNSELOR_FIELDS
              if getattr(kept, k) in (None, "") and getattr(dropped, k) not in (None, "")}
    if filled:
        conn.execute(counselor_t.update().where(counselor_t.c.id == keep).values(**filled))
    cases = conn.execute(case_t.update().where(case_t.c.counselor_id == drop).values(counselor_id=keep)).rowcount
    conn.execute(counselor_t.update().where(counselor_t.c.merged_into == drop).values(merged_into=keep))
    conn.execute(counselor_t.update().where(counselor_t.c.id == drop).values(merged_into=keep))
    return {"keep": keep, "drop": drop, "cases_moved": int(cases or 0), "filled": sorted(filled)}


def retire_enterprise(conn: Connection, credit_code: str, on: date, reason: str) -> Any:
    """Mark an enterprise closed, merged or moved away from a day (its history stays); the updated row."""
    row = enterprise(conn, credit_code)
    if row.retired_on is not None:
        raise RefusedError(f"企业 {credit_code} 已于 {row.retired_on} 注销/迁出",
                           f"enterprise {credit_code} was already retired on {row.retired_on}",
                           rule="enterprise_retired", actual=str(row.retired_on))
    conn.execute(enterprise_t.update().where(enterprise_t.c.id == row.id).values(retired_on=on, retired_reason=reason))
    rollups.enterprises_written(conn, [str(row.org_path)])  # it leaves the coverage report's counts from that day
    return enterprise(conn, credit_code)


def merge_org(conn: Connection, from_code: str, into_code: str, on: date, *, recorded_at: datetime, actor: str) -> dict[str, Any]:
    """Merge one organisation into another: its enterprises, counselors, sub-organisations and cases move under
    INTO (paths recomputed, the case rows' copies with them); FROM stays, empty, and the merge is recorded in
    org_merge. What moved."""
    if from_code == into_code:
        raise RefusedError("不能把组织与自己合并", "an organisation cannot be merged into itself", rule="org_merge")
    src, dst = org(conn, from_code), org(conn, into_code)
    if str(dst.path).startswith(str(src.path)):
        raise RefusedError(f"{into_code} 在 {from_code} 之下，不能并入", f"{into_code} lies under {from_code}: it cannot take it in",
                           rule="org_merge")
    old, new = str(src.path), str(dst.path)
    e, c, o, k = enterprise_t.c, counselor_t.c, org_t.c, case_t.c
    rollups.paths_moved(conn, rollups.paths_below(conn, [old]))  # the report counts of FROM's paths, and of INTO's below
    moved = {
        "enterprises": conn.execute(sa.select(sa.func.count()).select_from(enterprise_t).where(subtree(e.org_path, old))).scalar_one(),
        "counselors": conn.execute(sa.select(sa.func.count()).select_from(counselor_t).where(subtree(c.org_path, old))).scalar_one(),
        "orgs": conn.execute(sa.select(sa.func.count()).select_from(org_t).where(subtree(o.path, old), o.path != old)).scalar_one(),
        "cases": conn.execute(sa.select(sa.func.count()).select_from(case_t).where(
            sa.or_(subtree(k.ent_path, old), k.party_org == from_code))).scalar_one(),
    }
    # Those directly under FROM now belong to INTO; everything below FROM moves under INTO's path.
    conn.execute(enterprise_t.update().where(e.org_code == from_code).values(org_code=into_code))
    conn.execute(counselor_t.update().where(c.org_code == from_code).values(org_code=into_code))
    conn.execute(org_t.update().where(o.parent_code == from_code).values(parent_code=into_code))
    conn.execute(case_t.update().where(k.party_org == from_code).values(party_org=into_code))

    def moved_path(col: Any) -> Any:  # INTO's path + what follows FROM's (|| on SQLite and PostgreSQL)
        return sa.literal(new, sa.String) + sa.func.substr(col, len(old) + 1)

    conn.execute(org_t.update().where(subtree(o.path, old), o.path != old).values(path=moved_path(o.path)))
    conn.execute(enterprise_t.update().where(subtree(e.org_path, old)).values(org_path=moved_path(e.org_path)))
    conn.execute(counselor_t.update().where(subtree(c.org_path, old)).values(org_path=moved_path(c.org_path)))
    conn.execute(case_t.update().where(subtree(k.ent_path, old)).values(ent_path=moved_path(k.ent_path)))
    rollups.paths_moved(conn, rollups.paths_below(conn, [new]))
    conn.execute(org_merge_t.insert().values(from_code=from_code, into_code=into_code, on=on, from_path=old, into_path=new,
                                             moved={key: int(v) for key, v in moved.items()}, recorded_at=recorded_at,
                                             actor=actor))
    return {"from": from_code, "into": into_code, "on": on.isoformat(), **{key: int(v) for key, v in moved.items()}}


def branch_of_cases(conn: Connection, case_ids: Iterable[int], *, chunk: int = 5000) -> dict[int, tuple[str, str]]:
    """Each case's branch of the tree: the organisation just below the root on the path of its enterprise's
    union (or, for a regional case, of the union that is its party), as (code, name); the root itself for
    a case directly under it. What the tick's summary groups by."""
    ids = sorted(set(case_ids))
    paths: dict[int, str] = {}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        q = (sa.select(case_t.c.id, sa.func.coalesce(case_t.c.ent_path, org_t.c.path))
             .outerjoin(org_t, org_t.c.code == case_t.c.party_org).where(case_t.c.id.in_(part)))
        paths.update({int(i): p or "" for i, p in conn.execute(q)})
    codes = {}
    for case_id, path in paths.items():
        parts = [p for p in path.split("/") if p]
        codes[case_id] = parts[1] if len(parts) > 1 else (parts[0] if parts else "")
    wanted = sorted(set(codes.values()) - {""})
    names: dict[str, str] = {}
    for start in range(0, len(wanted), chunk):
        some = wanted[start:start + chunk]
        names.update({c: n for c, n in conn.execute(sa.select(org_t.c.code, org_t.c.name).where(org_t.c.code.in_(some)))})
    return {case_id: (code, names.get(code, code)) for case_id, code in codes.items()}
