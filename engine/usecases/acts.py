"""Acts on a case: open, advance, assign, log. Each public function over a Store is one unit of work;
the `_in` functions run inside the caller's (a launch, an import, the demo)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from engine import registry
from engine.case import ASSIGNMENT, INVOLVEMENT, OPENED, Case, Event, after_event, maker, new_case, new_event
from engine.deadline import Deadline, ran_out_at
from engine.errors import ConflictError, DataError, RefusedError, RuleError
from engine.permission import Principal, Resource
from engine.registry import policy
from engine.store import hot, lite
from engine.store.database import Store
from engine.store.repository import Change, load_case, reserve_cases, save
from engine.times import check_occurred, local_date
from engine.usecases import caseview
from engine.usecases.audit import recorded
from engine.usecases.caseview import CaseView
from engine.usecases.guard import allow, case_in, on_behalf
from engine.values import check_free_text
from engine.vocab import activity_key

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from engine.machine import Fired, WorkflowMachine
    from engine.store import directory
else:  # loaded on first use: `case advance` and `case log` run on engine/store/hot.py and lite.py alone
    from engine.store.lazy import module

    directory = module("engine.store.directory")


def check_version(case: Case, expect_version: int | None) -> None:
    """ConflictError (exit 3) when the caller read the case at another version (--expect-version)."""
    if expect_version is not None and case.version != expect_version:
        raise ConflictError(
            f"案件 {case.case_id} 已从版本 {expect_version} 变为 {case.version}，未写入任何内容，请重新读取后再试",
            f"case {case.case_id} is at version {case.version}, not {expect_version}: nothing was written; read it again",
            rule="case_version", required=expect_version, actual=case.version,
        )


def open_cases_in(conn: Connection, targets: Sequence[Mapping[str, Any]], *, spec_key: str, at: datetime,
               recorded_at: datetime, actor: str) -> list[Change]:
    """New cases for enterprise rows (id, credit_code, has_union, jurisdiction, counselor_id?) — or, for a
    regional workflow, union rows (party_org, jurisdiction) — each with its 'opened' event; returns the changes
    (from read version 0) so callers can fire more before saving: the save writes each case row once, complete."""
    check_occurred(at, recorded_at)
    spec = registry.spec(spec_key)
    ids = reserve_cases(conn, [{"enterprise_id": t.get("id"), "opened_at": at} for t in targets])
    changes = []
    for case_id, t in zip(ids, targets):  # Case's and Event's fields in order (a campaign opens thousands)
        counselor = t.get("counselor_id")
        case = new_case(case_id, t.get("credit_code", ""), spec.name, spec.version, spec.initial, t["jurisdiction"],
                        bool(t.get("has_union", True)), counselor, 0, None, {}, t.get("party_org"))
        event = new_event(case_id, 1, OPENED, at, recorded_at, actor, "", "", "", counselor,
                          {"workflow": spec.key, "jurisdiction": t["jurisdiction"]}, "", "")
        changes.append(_change(0, after_event(case, event), [event]))
    return changes


_change = maker(Change)  # Change(read_version, case, events) without the frozen __init__'s setattr per field


def then(change: Change, more: Fired | Change) -> Change:
    """A pending change extended by a fired trigger or by another change made on top of it."""
    if isinstance(more, Change):
        return _change(change.read_version, more.case, [*change.events, *more.events])
    return _change(change.read_version, more.case, [*change.events, more.event])


@recorded
def open_case(store: Store, credit_code: str, *, at: datetime, recorded_at: datetime, actor: str,
              workflow: str | None = None, counselor_id: int | None = None, note: str = "",
              who: Principal | None = None) -> Case:
    """Open a case for an enterprise on the latest version of a workflow (one open case per workflow)."""
    spec = registry.spec(workflow or registry.DEFAULT_WORKFLOW)
    with store.unit_of_work() as uow:
        uow.exclusive("open_cases")  # the check for an open case and the opening are one step
        conn = uow.conn
        ent = hot.enterprise(conn, credit_code)
        allow(who, "case.open", Resource(str(ent.org_path), counselor_id, "enterprise"))
        if ent.retired_on is not None and ent.retired_on <= local_date(at):
            raise RefusedError(
                f"企业 {credit_code} 已于 {ent.retired_on} 注销/迁出（{ent.retired_reason}），不再立案",
                f"enterprise {credit_code} was retired on {ent.retired_on} ({ent.retired_reason}): no new cases",
                rule="enterprise_retired", actual=str(ent.retired_on))
        if counselor_id is not None:
            hot.counselor(conn, counselor_id)
        import sqlalchemy as sa

        from engine.store.tables import case_t

        open_id = conn.execute(
            sa.select(case_t.c.id).where(
                case_t.c.enterprise_id == ent.id, case_t.c.workflow == spec.name, case_t.c.state.not_in(spec.settled_states)
            )
        ).scalar()
        if open_id is not None:
            raise RefusedError(
                f"企业 {credit_code} 已有进行中的 {spec.name} 案件 {open_id}",
                f"enterprise {credit_code} already has an open {spec.name} case ({open_id})",
                rule="one_open_case", actual=open_id,
            )
        jurisdiction = directory.jurisdiction_of(conn, ent.org_code)
        target = {"id": ent.id, "credit_code": ent.credit_code, "has_union": ent.has_union,
                  "jurisdiction": jurisdiction, "counselor_id": counselor_id}
        changes = open_cases_in(conn, [target], spec_key=spec.key, at=at, recorded_at=recorded_at, actor=actor)
        save(conn, changes)
        uow.commit()
    return changes[0].case


@recorded
def advance(store: Store, case_id: int, trigger: str, data: Mapping[str, Any], *, at: datetime,
            recorded_at: datetime, actor: str, counselor_id: int | None = None, note: str = "",
            expect_version: int | None = None, as_of: date | None = None, who: Principal | None = None) -> CaseView:
    """Fire one trigger on a case; a refusal or a conflict writes nothing. Returns the case as it is now,
    with its deadlines as of `as_of` (default: the day it was recorded), computed once and also written
    as the case row's deadline columns."""
    check_free_text(note, "备注", "note")  # every front end's (the CLI and the web name their option or field first)
    with store.unit_of_work() as uow:
        conn = uow.conn
        case_in(conn, who, "case.advance", case_id)
        on_behalf(conn, who, "case.advance", case_id, counselor_id)
        case = load_case(conn, case_id)
        check_version(case, expect_version)
        actor = named_actor(conn, actor, counselor_id)
        fired = fire(case, trigger, data, at=at, recorded_at=recorded_at, actor=actor, counselor_id=counselor_id,
                     note=note)
        view = saved_view_in(conn, Change(case.version, fired.case, [fired.event]), as_of or local_date(recorded_at))
        uow.commit()
    return view


def named_actor(conn: Connection, actor: str, counselor_id: int | None) -> str:
    """The person an event records as its actor: the one named (--as), else the counselor who did it (--by),
    checked to exist either way."""
    if counselor_id is None:
        return actor or "unknown"
    found = hot.counselor(conn, counselor_id)
    return actor or str(found.name)


def saved_view_in(conn: Connection, change: Change, as_of: date) -> CaseView:
    """Save one change, its deadline columns taken from the deadlines the returned view shows (used by every
    act that changes a case: advance, assign, and the corrections)."""
    found = caseview.deadlines_in(conn, change.case, as_of)
    save(conn, [change], deadline_columns={change.case.case_id: policy.columns_from(change.case, found)})
    return caseview.view_in(conn, change.case, as_of, found)


def fire(case: Case, trigger: str, data: Mapping[str, Any], *, at: datetime, recorded_at: datetime, actor: str,
         counselor_id: int | None = None, note: str = "", automatic: bool = False) -> Fired:
    """Check and apply a trigger in memory, with the parameters of the case's version and jurisdiction.

    Where the law has already acted (a period that binds this trigger ran out before `at`): a trigger the
    period closes (a late objection) is refused, citing the period's source; one it deems (a late-entered
    approval) is dated when the period ran out, the moment it took effect by law."""
    check_occurred(at, recorded_at)
    key = case.workflow_key
    bound = None if automatic else policy.late(case, trigger, at, key)
    if bound is not None:
        d, how = bound
        if how == "closes":
            raise RuleError(
                f"{d.rule_zh}：期限已于 {d.due} 届满，不能再执行 {trigger}（期满时已依法{_lapsed_zh(d)}）",
                f"{d.rule}: the period ran out on {d.due}, so {trigger} can no longer be recorded "
                f"(by law, {_lapsed_en(d)} when it ran out)",
                rule="period_ran_out", source=d.source, required=f"<= {d.due}", actual=local_date(at).isoformat(),
            )
        lapsed = ran_out_at(d.due)
        law_at = lapsed if case.last_at is None or case.last_at <= lapsed else case.last_at
        note = (f"{note + '；' if note else ''}依法于 {law_at.isoformat()} 生效（{d.rule_zh}），于 {local_date(at)} 录入"
                f" / in force by law at {law_at.isoformat()} ({d.rule}), entered on {local_date(at)}")
        at = law_at
    machine = _MACHINES.get(key) or _machine(key)
    return machine.fire(
        case, trigger, data, at, recorded_at=recorded_at, actor=actor, counselor_id=counselor_id, note=note,
        params=registry.params_for(key, case.jurisdiction), automatic=automatic,
    )


_MACHINES: dict[str, WorkflowMachine] = {}  # the compiled machines this process has fired with


def _machine(key: str) -> WorkflowMachine:
    from engine.registry import machines  # `transitions` only for the commands that fire a trigger

    found = _MACHINES[key] = machines.machine(key)
    return found


def _lapsed_zh(d: Deadline) -> str:
    return f"执行 {d.lapse}" if d.lapse else "生效"


def _lapsed_en(d: Deadline) -> str:
    return f"{d.lapse} took place" if d.lapse else "it took effect"


@recorded
def assign(store: Store, case_id: int, counselor_id: int, *, at: datetime, recorded_at: datetime, actor: str,
           as_of: date | None = None, who: Principal | None = None) -> CaseView:
    """Give a case to a counselor (recorded as an event)."""
    check_occurred(at, recorded_at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        case_in(conn, who, "case.assign", case_id)
        case = load_case(conn, case_id)
        hot.counselor(conn, counselor_id)
        event = Event(case_id, case.version + 1, ASSIGNMENT, at, recorded_at, actor, counselor_id=counselor_id,
                      data={"from": case.counselor_id, "to": counselor_id})
        view = saved_view_in(conn, Change(case.version, after_event(case, event), [event]), as_of or local_date(recorded_at))
        uow.commit()
    return view


def involvement(case: Case, counselor_id: int, activity: str, *, at: datetime, recorded_at: datetime, actor: str,
                note: str, hours: float = 0.0, state: str | None = None) -> Change:
    """A counselor's involvement entry for a case, checked; the case's state at that moment (given, for a
    back-dated entry, else the current one) is kept with it."""
    activity = activity_key(activity)  # the key, or its Chinese or English name (遇到的困难 → difficulty)
    if not 0 <= hours <= 24:
        raise DataError(f"工时 {hours} 应在 0 到 24 之间", f"hours {hours} must be between 0 and 24", rule="hours", actual=hours)
    if not note.strip():
        raise DataError("请用 --note 写明做了什么", "say what was done with --note", rule="note")
    check_occurred(at, recorded_at)
    event = Event(case.case_id, case.version + 1, INVOLVEMENT, at, recorded_at, actor, counselor_id=counselor_id,
                  data={"activity": activity, "hours": float(hours), "state": state or case.state}, note=note.strip())
    return Change(case.version, after_event(case, event), [event])


@recorded
def log(store: Store, case_id: int, counselor_id: int, activity: str, *, at: datetime, recorded_at: datetime,
        actor: str, note: str, hours: float = 0.0, who: Principal | None = None) -> Event:
    """Record what a registered counselor did on a case."""
    check_free_text(note, "记录", "note")
    with store.unit_of_work() as uow:
        conn = uow.conn
        case_in(conn, who, "case.log", case_id)
        on_behalf(conn, who, "case.log", case_id, counselor_id)
        case = load_case(conn, case_id)
        actor = named_actor(conn, actor, counselor_id)
        change = involvement(case, counselor_id, activity, at=at, recorded_at=recorded_at, actor=actor, note=note,
                             hours=hours, state=state_at(conn, case, at))
        save(conn, [change])
        uow.commit()
    return change.events[0]


def state_at(conn: Connection, case: Case, at: datetime) -> str:
    """A case's state at an instant: the target of its last transition up to then (entries may be back-dated)."""
    row = lite.first(conn, "state_at", {"case_id": case.case_id, "at": at})
    return str(row.to_state) if row else registry.spec(case.workflow_key).initial
