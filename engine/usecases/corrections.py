"""Corrections in the open (issue 13 item 3): undo a case's last step, amend an earlier one, merge a counselor
registered twice, retire an enterprise, merge an organisation into another. History is kept: a case's
corrections are new events (engine/correction.py, the pure logic), the registers' are recorded rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from engine import correction, registry
from engine.errors import RefusedError
from engine.permission import Principal, Resource
from engine.registry import machines
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import Change, load_case, load_events
from engine.times import check_occurred, local_date
from engine.usecases.acts import check_version, saved_view_in
from engine.usecases.audit import recorded
from engine.usecases.caseview import CaseView
from engine.usecases.guard import allow, case_in
from engine.values import check_free_text


@recorded
def void(store: Store, case_id: int, *, reason: str, recorded_at: datetime, actor: str,
         expect_version: int | None = None, as_of: date | None = None, who: Principal | None = None) -> CaseView:
    """`case void`: undo the case's last transition; the case as it was before it, deadlines and report
    columns following."""
    check_free_text(reason, "理由", "reason")
    with store.unit_of_work() as uow:
        conn = uow.conn
        case_in(conn, who, "case.correct", case_id)
        case = load_case(conn, case_id)
        check_version(case, expect_version)
        done = correction.void(case, load_events(conn, case_id), initial=registry.spec(case.workflow_key).initial,
                               reason=reason, recorded_at=recorded_at, actor=actor)
        view = saved_view_in(conn, Change(case.version, done.case, [done.event]), as_of or local_date(recorded_at))
        uow.commit()
    return view


@recorded
def amend(store: Store, case_id: int, seq: int, *, at: datetime | None, data: Mapping[str, Any], reason: str,
          recorded_at: datetime, actor: str, expect_version: int | None = None, as_of: date | None = None,
          who: Principal | None = None) -> CaseView:
    """`case amend`: correct the date or data of an earlier step, through the trigger's own checks."""
    check_free_text(reason, "理由", "reason")
    if at is not None:
        check_occurred(at, recorded_at)  # a step moved years ahead would lock the case as surely as a new one
    with store.unit_of_work() as uow:
        conn = uow.conn
        case_in(conn, who, "case.correct", case_id)
        case = load_case(conn, case_id)
        check_version(case, expect_version)
        key = case.workflow_key
        done = correction.amend(case, load_events(conn, case_id), seq, machine=machines.machine(key),
                                params=registry.params_for(key, case.jurisdiction), at=at, data=data, reason=reason,
                                recorded_at=recorded_at, actor=actor)
        view = saved_view_in(conn, Change(case.version, done.case, [done.event]), as_of or local_date(recorded_at))
        uow.commit()
    return view


@recorded
def merge_counselors(store: Store, keep: int, drop: int, who: Principal | None = None) -> dict[str, Any]:
    """`counselor merge KEEP DROP`: one person registered twice becomes one record; DROP's cases go to KEEP, its
    events stay as recorded (summaries and workload count them for KEEP), and DROP leaves the lists and the form."""
    with store.unit_of_work() as uow:
        if who is not None:
            for cid in (keep, drop):
                path = str(directory.counselor(uow.conn, cid).org_path) or None
                allow(who, "counselor.manage", Resource(path, None, "counselor"))
        done = directory.merge_counselors(uow.conn, keep, drop)
        uow.commit()
    return done


@recorded
def retire_enterprise(store: Store, credit_code: str, *, on: date, reason: str, who: Principal | None = None) -> dict[str, Any]:
    """`enterprise retire`: closed, merged or moved away from a day: no new cases from then, no longer counted
    in coverage from then; its history stays."""
    if not reason.strip():
        raise RefusedError("请用 --reason 写明原因（注销、合并、迁出）", "say why with --reason (closed, merged, moved away)",
                           rule="enterprise_retired")
    with store.unit_of_work() as uow:
        if who is not None:
            allow(who, "data.import", Resource(str(directory.enterprise(uow.conn, credit_code).org_path), None, "enterprise"))
        row = directory.retire_enterprise(uow.conn, credit_code, on, reason.strip())
        uow.commit()
    return {"credit_code": row.credit_code, "name": row.name, "retired_on": row.retired_on.isoformat(),
            "reason": row.retired_reason}


@recorded
def merge_org(store: Store, from_code: str, into_code: str, *, on: date, recorded_at: datetime, actor: str,
              who: Principal | None = None) -> dict[str, Any]:
    """`org merge FROM INTO --on DATE`: FROM's enterprises, counselors, sub-organisations and cases move under
    INTO, their paths recomputed; the merge is recorded (org_merge) and FROM stays, empty."""
    with store.unit_of_work() as uow:
        if who is not None:
            for code in (from_code, into_code):
                allow(who, "data.import", Resource(directory.org_path(uow.conn, code), None, "org"))
        done = directory.merge_org(uow.conn, from_code, into_code, on, recorded_at=recorded_at, actor=actor)
        uow.commit()
    return done
