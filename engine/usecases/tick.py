"""The daily tick: applies every automatic transition whose period has run out (`lapse_offer`,
`lapse_review`, `expire`), through the machine, as actor `system`.

The event happens when the period ran out: the end of the due day (24:00, 民法典 art. 203), i.e. 00:00
local time the next day, and never before the case's previous event. The tick is idempotent (a moved
case no longer waits on the deadline) and safe to interrupt: cases are saved in batches, one
transaction each, and each case's events are written together or not at all. A due day that depends
on a year whose holidays are unknown is not acted on: the case is listed as waiting, with the year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from engine import collector
from engine.case import Case
from engine.deadline import Deadline, due_lapses
from engine.errors import ConflictError, DataError, RefusedError
from engine.permission import Principal
from engine.registry import policy
from engine.store import directory
from engine.store.database import Store
from engine.store.repository import Change, load_cases, save
from engine.store.tables import case_t
from engine.times import local_date, tz
from engine.usecases import acts
from engine.usecases.audit import recorded
from engine.usecases.guard import everywhere

ACTOR = "system"
MAX_STEPS = 8  # automatic steps in a row for one case (e.g. lapse_review, then expire)
RETRIES = 3


@dataclass(frozen=True)
class Applied:
    """One automatic transition the tick applied."""

    case_id: int
    credit_code: str
    trigger: str
    from_state: str
    to_state: str
    at: datetime
    deadline: str
    due: date
    rule: str

    def as_json(self) -> dict[str, Any]:
        """The JSON form printed by `bargain tick --format json`."""
        return {"case_id": self.case_id, "credit_code": self.credit_code, "trigger": self.trigger,
                "from": self.from_state, "to": self.to_state, "at": self.at.isoformat(), "deadline": self.deadline,
                "due": self.due.isoformat(), "rule": self.rule}


@dataclass
class TickResult:
    """What one tick did: transitions applied, lapses waiting for holiday data, cases it could not move."""

    as_of: date
    applied: list[Applied] = field(default_factory=list)
    waiting: list[Deadline] = field(default_factory=list)
    failed: list[tuple[int, RefusedError]] = field(default_factory=list)
    scanned: int = 0

    @property
    def cases(self) -> int:
        """How many cases moved."""
        return len({a.case_id for a in self.applied})


@dataclass(frozen=True)
class TickGroup:
    """How many transitions of one kind the tick applied in one branch of the tree (its summary's rows)."""

    org_code: str
    org_name: str
    trigger: str
    transitions: int
    cases: int

    def as_json(self) -> dict[str, Any]:
        """The JSON form (`summary` of `bargain tick --format json`)."""
        return {"org": self.org_code, "org_name": self.org_name, "trigger": self.trigger,
                "transitions": self.transitions, "cases": self.cases}


def summary(store: Store, applied: Sequence[Applied]) -> list[TickGroup]:
    """The applied transitions counted by branch (the organisation below the root) and trigger, in tree
    order: what a person reads after a tick that moved thousands of cases."""
    if not applied:
        return []
    with store.read() as conn:
        branch = directory.branch_of_cases(conn, (a.case_id for a in applied))
    counts: dict[tuple[str, str, str], tuple[int, set[int]]] = {}
    for a in applied:
        code, name = branch.get(a.case_id, ("", ""))
        n, ids = counts.get((code, name, a.trigger), (0, set()))
        ids.add(a.case_id)
        counts[(code, name, a.trigger)] = (n + 1, ids)
    return [TickGroup(code, name, trigger, n, len(ids)) for (code, name, trigger), (n, ids) in sorted(counts.items())]


def period_end(due: date) -> datetime:
    """The moment a period whose last day is `due` runs out: 24:00 that day, local time."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=tz())


def lapse(case: Case, as_of: date, recorded_at: datetime) -> tuple[Change | None, list[Applied], list[Deadline]]:
    """Apply, in memory, every automatic transition due on a case as of a day (a chain, earliest first)."""
    change: Change | None = None
    applied: list[Applied] = []
    waiting: list[Deadline] = []
    for _ in range(MAX_STEPS):
        found = policy.lapsing(case, as_of)
        ready = due_lapses(found, as_of)
        if not ready:
            waiting = [d for d in found if d.pending and d.lapse and d.provisional and (d.floor or d.due) < as_of]
            break
        d = ready[0]
        at = period_end(d.due)
        if case.last_at is not None and case.last_at > at:
            at = case.last_at
        if at > recorded_at:  # the case's last event lies in the future: nothing has run out yet
            break
        fired = acts.fire(case, d.lapse, {}, at=at, recorded_at=recorded_at, actor=ACTOR, automatic=True,
                             note=f"期限届满 {d.due}：{d.rule_zh} / period ran out on {d.due}: {d.rule}")
        change = Change(case.version, fired.case, [fired.event]) if change is None else acts.then(change, fired)
        applied.append(Applied(case.case_id, case.credit_code, d.lapse, case.state, fired.case.state, at, d.kind, d.due,
                               d.rule))
        case = fired.case
    return change, applied, waiting


def candidates(store: Store, as_of: date) -> list[int]:
    """Ids of cases that may have an automatic transition due: an index range on the lapse_due column (the
    earliest day one can fall due, kept on every save; set only in states an automatic transition leaves).
    No other condition, so that the planner has no reason to prefer another index."""
    q = sa.select(case_t.c.id).where(case_t.c.lapse_due < as_of)
    with store.read() as conn:
        return sorted(int(r[0]) for r in conn.execute(q.execution_options(yield_per=10000)))


def _batch(store: Store, ids: Sequence[int], as_of: date, recorded_at: datetime, result: TickResult) -> None:
    for attempt in range(RETRIES):
        applied: list[Applied] = []
        waiting: list[Deadline] = []
        failed: list[tuple[int, RefusedError]] = []
        try:
            with store.unit_of_work() as uow:
                conn = uow.conn
                changes = []
                for case in load_cases(conn, case_t.c.id.in_(list(ids))):
                    try:
                        change, done, wait = lapse(case, as_of, recorded_at)
                    except RefusedError as exc:  # a case the machine will not move stays as it is
                        failed.append((case.case_id, exc))
                        continue
                    waiting += wait
                    if change is not None:
                        changes.append(change)
                        applied += done
                save(conn, changes)
                uow.commit()
        except ConflictError:  # a case changed since it was read: the whole batch was rolled back
            if attempt + 1 == RETRIES:
                raise
            continue
        result.applied += applied
        result.waiting += waiting
        result.failed += failed
        result.scanned += len(ids)
        return


@recorded
@collector.bulk()
def run(store: Store, *, as_of: date, recorded_at: datetime, batch: int = 2000,
        progress: Callable[[int, int], None] | None = None, who: Principal | None = None) -> TickResult:
    """Apply every automatic transition due as of a day (not after today: a lapse is recorded once it happened);
    for a user, only one whose grants reach every top-level organisation (it moves every due case)."""
    if who is not None:
        with store.read() as conn:
            everywhere(conn, who, "case.advance")
    today = local_date(recorded_at)
    if as_of > today:
        raise DataError(
            f"--as-of {as_of} 晚于今天（{today}）：期限届满后才能记录自动转换",
            f"--as-of {as_of} is after today ({today}): an automatic transition is recorded once its period has run out",
            hint_zh="用 bargain deadlines --as-of 预览以后的期限", hint_en="bargain deadlines --as-of previews later dates",
            rule="tick_as_of", actual=as_of.isoformat(),
        )
    result = TickResult(as_of)
    ids = candidates(store, as_of)
    for start in range(0, len(ids), batch):
        _batch(store, ids[start:start + batch], as_of, recorded_at, result)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return result
