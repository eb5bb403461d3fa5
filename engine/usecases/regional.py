"""Regional and industry cases: opening one for a union, and the enterprises it covers over time.

Each change of coverage is an event (kind "coverage", with the date it takes effect); the coverage
table is its projection, read by reports: an enterprise is covered on a day when the regional
contract is in force that day and the enterprise was added on or before it and not yet removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine import registry
from engine.case import COVERAGE, Case, Event, after_event
from engine.errors import NotFoundError, RefusedError, RuleError
from engine.permission import Principal, Resource
from engine.spec import Param
from engine.store import directory
from engine.store import regional as cover_rows
from engine.store.database import Store
from engine.store.repository import Change, load_case, save
from engine.store.tables import case_t, coverage_t, enterprise_t
from engine.times import check_occurred
from engine.usecases.acts import open_cases_in
from engine.usecases.audit import recorded
from engine.usecases.guard import allow, case_in


@recorded
def open_regional(store: Store, org_code: str, *, at: datetime, recorded_at: datetime, actor: str,
                  workflow: str = "regional_wage", counselor_id: int | None = None, who: Principal | None = None) -> Case:
    """Open a regional or industry case for a union (one open case per union and workflow)."""
    spec = registry.spec(workflow)
    if spec.scope != "regional":
        raise RefusedError(f"{spec.key} 不是区域性/行业性工作流", f"{spec.key} is not a regional workflow", rule="scope")
    with store.unit_of_work() as uow:
        uow.exclusive("open_cases")  # the check for an open case and the opening are one step
        conn = uow.conn
        org = directory.org(conn, org_code)
        allow(who, "case.open", Resource(str(org.path), counselor_id, "org"))
        jurisdiction = directory.jurisdiction_of(conn, org.code)
        _at_county_or_below(org.code, org.name, directory.org_level(conn, org.code), registry.params_for(spec.key, jurisdiction))
        if counselor_id is not None:
            directory.counselor(conn, counselor_id)
        open_id = conn.execute(sa.select(case_t.c.id).where(
            case_t.c.party_org == org.code, case_t.c.workflow == spec.name, case_t.c.state.not_in(spec.settled_states))).scalar()
        if open_id is not None:
            raise RefusedError(f"工会 {org.code} 已有进行中的 {spec.name} 案件 {open_id}",
                               f"union {org.code} already has an open {spec.name} case ({open_id})",
                               rule="one_open_case", actual=open_id)
        target = {"party_org": org.code, "jurisdiction": jurisdiction,
                  "counselor_id": counselor_id}
        changes = open_cases_in(conn, [target], spec_key=spec.key, at=at, recorded_at=recorded_at, actor=actor)
        save(conn, changes)
        uow.commit()
    return changes[0].case


ABOVE_COUNTY = ("national", "province", "city")
COUNTY_RULE = "劳动合同法 art. 53"
EXCEPTION = "regional_above_county"  # a profile param: where a federation's practice (cited) allows it higher


def _at_county_or_below(code: str, name: str, level: str | None, params: Mapping[str, Param]) -> None:
    """Regional and industry contracts are for areas at county level or below (劳动合同法 art. 53), unless the
    jurisdiction profile sets `regional_above_county = { value = true, source = "..." }`, citing its basis."""
    exception = params.get(EXCEPTION)
    if level not in ABOVE_COUNTY or (exception is not None and exception.value is True):
        return
    raise RuleError(
        f"{name}（{code}）是{_LEVEL_ZH[level]}级组织：区域性、行业性集体合同只在县级以下区域内订立",
        f"{name} ({code}) is a {level}-level organisation: regional and industry contracts are concluded only in "
        "areas at county level or below",
        hint_zh="由区县或乡镇（街道）工会立案；如本地另有规定，在地区配置中设置 regional_above_county 并注明依据",
        hint_en="open it for a district, county or town union; where local rules allow more, set regional_above_county "
                "in the jurisdiction profile with its source",
        rule="regional_at_county_or_below", source=COUNTY_RULE, required="county level or below", actual=level,
    )


_LEVEL_ZH = {"national": "全国", "province": "省", "city": "市"}


def _regional(conn: Connection, case_id: int) -> tuple[Case, Any]:
    case = load_case(conn, case_id)
    if registry.spec(case.workflow_key).scope != "regional" or not case.party_org:
        raise RefusedError(f"案件 {case_id} 不是区域性/行业性案件，不能覆盖其他企业",
                           f"case {case_id} is not a regional or industry case: it covers no other enterprises",
                           rule="scope")
    if case.state in registry.spec(case.workflow_key).final_states:
        raise RefusedError(f"案件 {case_id} 已{('到期' if case.state == 'expired' else '终止')}，不能再调整覆盖企业",
                           f"case {case_id} is {case.state}: its coverage can no longer change", rule="coverage_final")
    return case, directory.org(conn, case.party_org)


@recorded
def cover(store: Store, case_id: int, *, add: Sequence[str] = (), remove: Sequence[str] = (), on: date,
          at: datetime, recorded_at: datetime, actor: str, note: str = "", who: Principal | None = None) -> dict[str, list[str]]:
    """Add and remove covered enterprises (by credit code) from a date; all or nothing."""
    check_occurred(at, recorded_at)
    with store.unit_of_work() as uow:
        case_in(uow.conn, who, "case.advance", case_id)
        done = apply_cover_in(uow.conn, case_id, add=add, remove=remove, on=on, at=at, recorded_at=recorded_at,
                              actor=actor, note=note)
        uow.commit()
    return done


def apply_cover_in(conn: Connection, case_id: int, *, add: Sequence[str] = (), remove: Sequence[str] = (), on: date,
                at: datetime, recorded_at: datetime, actor: str, note: str = "") -> dict[str, list[str]]:
    """cover() inside a caller's unit of work."""
    case, party = _regional(conn, case_id)
    codes = list(dict.fromkeys([*add, *remove]))
    found = {r.credit_code: r for r in conn.execute(
        sa.select(enterprise_t).where(enterprise_t.c.credit_code.in_(codes)))} if codes else {}
    missing = [c for c in codes if c not in found]
    if missing:
        raise NotFoundError(f"没有这些企业：{', '.join(missing[:10])}", f"no such enterprises: {', '.join(missing[:10])}",
                            hint_zh="请先用 bargain enterprise import 导入", hint_en="import them first with bargain enterprise import")
    area = _area(conn, party)
    if area is not None:  # a regional or industry contract covers enterprises of its own area only
        outside = [c for c in add if not str(found[c].org_path).startswith(area.path)]
        if outside:
            raise RefusedError(
                f"企业 {', '.join(outside[:10])} 不在 {area.name} 的区域内", f"enterprises {', '.join(outside[:10])} "
                f"are outside the area of {area.name}", rule="regional_area", source="劳动合同法 art. 53")
    retired = [c for c in dict.fromkeys(add) if found[c].retired_on is not None and found[c].retired_on <= on]
    if retired:
        first = found[retired[0]]
        raise RefusedError(
            f"企业 {', '.join(retired[:10])} 已注销/迁出（{first.retired_on} 起），不能自 {on} 起纳入覆盖",
            f"enterprises {', '.join(retired[:10])} are retired (from {first.retired_on}): they cannot be covered from {on}",
            rule="enterprise_retired", actual=str(first.retired_on))
    current = {r.enterprise_id: r for r in conn.execute(sa.select(coverage_t).where(
        coverage_t.c.case_id == case_id, coverage_t.c.removed_on.is_(None)))}
    not_covered = [c for c in remove if found[c].id not in current]
    if not_covered:
        raise RefusedError(f"这些企业不在本案覆盖范围内：{', '.join(not_covered[:10])}",
                           f"not covered by this case: {', '.join(not_covered[:10])}", rule="coverage")
    added = [c for c in dict.fromkeys(add) if found[c].id not in current and c not in remove]
    removed = list(dict.fromkeys(remove))
    unchanged = [c for c in dict.fromkeys(add) if found[c].id in current]
    late = [c for c in removed if current[found[c].id].added_on > on]
    if late:
        raise RefusedError(f"移除日期 {on} 早于加入日期：{', '.join(late[:10])}",
                           f"removal on {on} is before these were added: {', '.join(late[:10])}", rule="coverage")
    if added:
        conn.execute(coverage_t.insert(), [{"case_id": case_id, "enterprise_id": found[c].id, "added_on": on}
                                           for c in added])
    for c in removed:
        conn.execute(coverage_t.update().where(coverage_t.c.id == current[found[c].id].id).values(removed_on=on))
    if added or removed:
        event = Event(case_id, case.version + 1, COVERAGE, at, recorded_at, actor,
                      data={"on": on.isoformat(), "added": added, "removed": removed}, note=note)
        save(conn, [Change(case.version, after_event(case, event), [event])])
    return {"added": added, "removed": removed, "unchanged": unchanged}


def _area(conn: Connection, party: Any) -> Any:
    """The organisation whose subtree a regional or industry case may cover: the union's own for a regional
    (town, district) union; for an industry union, which has no enterprises of its own below it, the area of the
    nearest organisation above it that is not an industry union (劳动合同法 art. 53: an industry contract is
    concluded within an area at county level or below); None for an industry union with none above it."""
    org = party
    while org.kind == "industry":
        if not org.parent_code:
            return None
        org = directory.org(conn, org.parent_code)
    return org


@recorded
def covered(store: Store, case_id: int, on: date | None = None, who: Principal | None = None) -> list[dict[str, Any]]:
    """`case covered`: the enterprises a regional case covers (on a day, or ever), with their dates."""
    with store.read() as conn:
        case_in(conn, who, "case.read", case_id)
        _regional(conn, case_id)
        return cover_rows.covered(conn, case_id, on)
