"""Deadline policy: which of a workflow's declared periods a case has started, on the holiday calendar.

Glue around the pure engine/deadline.py: it supplies the workflow's deadline tables, the parameters of
the case's jurisdiction and the holiday calendar. No database: the store's deadline queries
(engine/store/agenda.py) and the projection of the case row's deadline columns call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from engine import registry
from engine.case import Case
from engine.deadline import RENEWAL, Deadline, compute, dates, ran_out_at
from engine.deadline import late as deadline_late
from engine.errors import DataError, did_you_mean
from engine.registry import holidays
from engine.spec import DeadlineSpec, Param
from engine.times import tz

REPLY = "offer_reply"  # its due day is kept on the case row (reply_due) for the on-time acceptance report


@cache
def _rules(key: str, jurisdiction: str) -> tuple[Mapping[str, DeadlineSpec], Mapping[str, Param]]:
    return registry.spec(key).deadlines, registry.params_for(key, jurisdiction)


@cache
def _for_columns(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The deadlines the projection needs in a state: those the state waits on, and the reply (reply_due)."""
    specs = registry.spec(key).deadlines
    return {k: d for k, d in specs.items() if state in d.while_states or k == REPLY}


@cache
def _waited_on(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The listed deadlines a case in this state may wait on (the only ones a pending-only list needs)."""
    return {k: d for k, d in registry.spec(key).deadlines.items() if d.listed and state in d.while_states}


@cache
def _lapsing(key: str, state: str) -> Mapping[str, DeadlineSpec]:
    """The deadlines with an automatic trigger that a case in this state waits on."""
    return {k: d for k, d in registry.spec(key).deadlines.items() if d.lapse and state in d.while_states}


def lapsing(case: Case, as_of: date) -> list[Deadline]:
    """The deadlines of a case whose running out fires an automatic transition from its current state."""
    specs = _lapsing(case.workflow_key, case.state)
    if not specs:
        return []
    return compute(case, specs, _rules(case.workflow_key, case.jurisdiction)[1], holidays.calendar(), as_of)


@cache
def _binding(key: str, trigger: str) -> Mapping[str, DeadlineSpec]:
    """The deadlines whose running out closes or deems this trigger. The law binds the running cases of a
    released version too: where the latest version of the workflow declares `closes`/`deemed` for a deadline
    kind this version also has (same start, same number), it applies here, on this version's own period."""
    spec = registry.spec(key)
    latest = registry.spec(spec.name)
    out = {}
    for kind, d in spec.deadlines.items():
        newer = latest.deadlines.get(kind)
        if not (d.closes or d.deemed) and newer is not None and (newer.starts, newer.param) == (d.starts, d.param):
            d = replace(d, closes=tuple(t for t in newer.closes if t in d.met_by),
                        deemed=tuple(t for t in newer.deemed if t in d.met_by))
        if trigger in d.closes or trigger in d.deemed:
            out[kind] = d
    return out


@cache
def _bound(key: str) -> frozenset[str]:
    """The triggers of a workflow version that some period closes or deems (_binding's, asked once per trigger)."""
    return frozenset(t for t in registry.spec(key).transitions if _binding(key, t))


def late(case: Case, trigger: str, at: datetime, key: str | None = None) -> tuple[Deadline, str] | None:
    """Whether the law already acted on this trigger by `at` (a period that closes or deems it ran out):
    (the deadline, "closes" | "deemed"), else None. `key`: the case's workflow key, where the caller has it."""
    key = key or case.workflow_key
    if trigger not in _bound(key):  # most triggers of every fire: no period binds them
        return None
    specs = _binding(key, trigger)
    params = _rules(key, case.jurisdiction)[1]
    calendar = holidays.calendar()
    # Every fire asks; nearly always no binding period has run out. The due days alone (deadline.dates: the
    # same due day and pending flag as compute's) say so, before the full deadlines and their rule texts are built.
    if not any(pending and at >= ran_out_at(due) for due, _, pending in dates(case, specs, params, calendar).values()):
        return None
    found = compute(case, specs, params, calendar, None)
    return deadline_late(found, specs, trigger, at)


def for_case(case: Case, as_of: date | None, *, renewal_offered_on: date | None = None,
             waiting_only: bool = False) -> list[Deadline]:
    """Every deadline a case has started, under its workflow version and jurisdiction (or, with
    `waiting_only`, only the listed ones its state may wait on: a shortcut for lists of pending deadlines)."""
    specs, params = _rules(case.workflow_key, case.jurisdiction)
    if waiting_only:
        specs = _waited_on(case.workflow_key, case.state)
    if not specs:
        return []
    return compute(case, specs, params, holidays.calendar(), as_of, renewal_offered_on=renewal_offered_on)


def columns(case: Case) -> dict[str, Any]:
    """The deadline columns of the case row: reply_due (the latest offer's), next_due (the earliest pending
    deadline people chase) and lapse_due (the earliest whose end fires an automatic transition).
    Runs on every save, so it computes only the deadlines these columns need, without their rule texts."""
    specs = _for_columns(case.workflow_key, case.state)
    found = dates(case, specs, _rules(case.workflow_key, case.jurisdiction)[1], holidays.calendar())
    reply = found.get(REPLY)
    return _row_columns(reply[0] if reply else None, [(specs[k], floor) for k, (_, floor, pending) in found.items() if pending])


def _row_columns(reply: date | None, waiting: Sequence[tuple[DeadlineSpec, date]]) -> dict[str, Any]:
    """The three columns from the reply's due day and the (deadline, earliest due day) pairs still waited on."""
    chased = [floor for spec, floor in waiting if spec.listed]
    lapsing_ = [floor for spec, floor in waiting if spec.lapse]
    return {"reply_due": reply, "next_due": min(chased) if chased else None,
            "lapse_due": min(lapsing_) if lapsing_ else None}


def kinds() -> list[str]:
    """Every listed deadline kind of the shipped workflows, in declaration order."""
    out: list[str] = []
    for spec in registry.specs().values():
        out += [k for k, d in spec.deadlines.items() if d.listed and k not in out]
    return out


def check_kind(kind: str | None) -> str | None:
    """--kind, checked against the declared deadline kinds."""
    if kind is None:
        return None
    known = kinds()
    if kind not in known:
        guess = did_you_mean(kind, known)
        raise DataError(f"没有期限类型 {kind}（可用：{', '.join(known)}）", f"no deadline kind '{kind}' (one of: {', '.join(known)})",
                        hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean '{guess}'?" if guess else "",
                        rule="deadline_kind", actual=kind)
    return kind


def waiting_states(kind: str | None = None, *, listed_only: bool = True) -> list[str]:
    """States in which some case may wait on a deadline (of one kind)."""
    states: set[str] = set()
    for spec in registry.specs().values():
        for d in spec.deadlines.values():
            if (kind is None or d.kind == kind) and (d.listed or not listed_only):
                states.update(d.while_states)
    return sorted(states)


def timeline_entries(found: Sequence[Deadline]) -> list[dict[str, Any]]:
    """Deadlines as timeline entries (CLI.md: kind 'deadline'), placed at the end of their due day."""
    return [
        {"at": datetime.combine(d.due, time(23, 59, 59), tzinfo=tz()).isoformat(), "deadline": d.kind,
         "due": d.due.isoformat(), "status": d.status, "rule": d.rule, "rule_zh": d.rule_zh,
         "ended_on": d.ended_on.isoformat() if d.ended_on else None, "ended_by": d.ended_by or None,
         "provisional": d.provisional, "warning": d.warning("en") or None}
        for d in found if d.listed
    ]


def columns_from(case: Case, found: Sequence[Deadline]) -> dict[str, Any]:
    """The same deadline columns as `columns`, from deadlines already computed for the case (a use case that
    shows them computes them once). A window met by a later case's renewal offer still counts as pending
    here, as in `columns`, which cannot see other cases."""
    specs = {d.kind: d for d in registry.spec(case.workflow_key).deadlines.values()}
    reply = next((d.due for d in found if d.kind == REPLY), None)
    waiting = [(spec, d.floor or d.due) for d in found if (spec := specs.get(d.kind)) is not None
               and (d.pending or (d.ended_by == RENEWAL and case.state in spec.while_states))]
    return _row_columns(reply, waiting)


@cache
def _longest_working_count() -> int:
    """The most working days any shipped deadline counts (its period plus the longest extension allowed), over
    every workflow version and jurisdiction profile."""
    longest = 0
    for spec in registry.specs().values():
        for name in registry.profiles():
            params = registry.params_for(spec.key, name)
            for d in spec.deadlines.values():
                p = params.get(d.param) if d.param else None
                if p is None or p.unit != "working_days" or not isinstance(p.value, int):
                    continue
                cap = params.get(d.extension.param) if d.extension is not None else None
                longest = max(longest, p.value + (int(cap.value) if cap is not None and isinstance(cap.value, int) else 0))
    return longest


def certain_spans() -> tuple[tuple[date, date], ...]:
    """The day ranges (inclusive) in which a projected floor (the case row's next_due) is the deadline's due day
    itself: every year a count ending there can look at has known holidays, so the due day is not provisional
    (a provisional one is stored as its floor, which may come before it). A count looks at most at the longest
    working-day period before the floor and that period plus a month of rest days after it (a roll over a
    holiday, a working-day count over holidays), so the spans keep that margin from each unknown year."""
    years = sorted(holidays.calendar().holidays.years)
    margin = timedelta(days=_longest_working_count() + 31)
    spans: list[tuple[date, date]] = []
    first = prev = None
    for y in [*years, None]:
        if y is not None and prev is not None and y == prev + 1:
            prev = y
            continue
        if first is not None and prev is not None:
            lo, hi = date(first, 1, 1) + margin, date(prev, 12, 31) - margin
            if lo <= hi:
                spans.append((lo, hi))
        first = prev = y
    return tuple(spans)
