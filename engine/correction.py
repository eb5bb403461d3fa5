"""Corrections that keep history (DOMAIN §3, §10): a void undoes a case's last transition, an amendment
corrects the date or data of an earlier one. Both are new events; nothing is edited or deleted. Pure.

The case is the fold of its *effective* events: every event in sequence order, voided transitions left
out and amended ones read with their corrected date and data. A void or an amendment is itself no
transition; it moves the case's version like any event. An amendment passes the same checks as the
original trigger, run by the workflow machine on the case as it stood just before, and every later
transition must still pass its own checks on top of the corrected one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.case import TRANSITION, Case, Event, after_event, evolve
from engine.errors import BargainError, NotFoundError, RefusedError
from engine.times import localize

if TYPE_CHECKING:  # a type only: the timeline and the reports read corrections without the transitions library
    from engine.machine import WorkflowMachine
    from engine.spec import Param

VOID = "void"
AMENDMENT = "amendment"
SOURCE = "DOMAIN §3：事件只增不改，更正另记一条事件 / events are never edited: a correction is a new event"


@dataclass(frozen=True)
class Corrected:
    """The event that records a correction and the case once it is applied."""

    event: Event
    case: Case


def voids(events: Sequence[Event]) -> dict[int, Event]:
    """Voided sequence number → the void event."""
    return {int(e.data["voids"]): e for e in events if e.kind == VOID}


def amendments(events: Sequence[Event]) -> dict[int, list[Event]]:
    """Amended sequence number → its amendment events, oldest first."""
    out: dict[int, list[Event]] = {}
    for e in sorted(events, key=lambda x: x.seq):
        if e.kind == AMENDMENT:
            out.setdefault(int(e.data["amends"]), []).append(e)
    return out


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def effective(events: Sequence[Event]) -> list[Event]:
    """The events the case is the fold of: in sequence order, corrections themselves and voided events left
    out, amended events with their latest corrected date and data."""
    gone = voids(events)
    amended = amendments(events)
    out = []
    for e in sorted(events, key=lambda x: x.seq):
        if e.kind in (VOID, AMENDMENT) or e.seq in gone:
            continue
        if e.seq in amended:
            last = amended[e.seq][-1].data
            e = replace(e, occurred_at=_at(last["at"]), data=dict(last["data"]))
        out.append(e)
    return out


def refold(case: Case, events: Sequence[Event], initial: str) -> Case:
    """State, facts and clock of a case recomputed from its effective events; version the last event's.
    What no event records (the counselor given at opening, the party) is kept from `case`."""
    folded = evolve(case, state=initial, last_at=None, facts={})
    for e in effective(events):
        if e.kind == TRANSITION:
            folded = after_event(folded, e)
    last = max((e.seq for e in events), default=case.version)
    return evolve(folded, version=last, counselor_id=case.counselor_id)


def last_transition(events: Sequence[Event]) -> Event | None:
    """The latest effective transition (what a void undoes), if any."""
    moves = [e for e in effective(events) if e.kind == TRANSITION]
    return moves[-1] if moves else None


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise RefusedError("更正须写明原因（--reason）", "a correction needs its reason (--reason)", rule="correction_reason",
                           source=SOURCE, required="reason")
    return text


def void(case: Case, events: Sequence[Event], *, initial: str, reason: str, recorded_at: datetime, actor: str) -> Corrected:
    """Undo the case's last transition: a void event, and the case as if that transition had never fired."""
    why = _reason(reason)
    target = last_transition(events)
    if target is None:
        raise RefusedError(f"案件 {case.case_id} 没有可撤销的步骤", f"case {case.case_id} has no step to undo",
                           rule="nothing_to_void", source=SOURCE)
    restored = refold(case, [*events, _void_event(case, target, target.from_state, why, recorded_at, actor)], initial)
    event = _void_event(case, target, restored.state, why, recorded_at, actor)
    return Corrected(event, restored)


def _void_event(case: Case, target: Event, to_state: str, why: str, recorded_at: datetime, actor: str) -> Event:
    return Event(case.case_id, case.version + 1, VOID, recorded_at, recorded_at, actor, target.trigger, case.state,
                 to_state, None, {"voids": target.seq, "reason": why}, why)


def _refused_later(exc: BargainError, e: Event) -> BargainError:
    """A later step's refusal, said as what the correction would break (same class, rule and source)."""
    return type(exc)(f"更正后第 {e.seq} 条（{e.trigger}）不再成立：{exc.zh}",
                     f"with this correction, entry {e.seq} ({e.trigger}) no longer holds: {exc.en}",
                     hint_zh=exc.hint_zh, hint_en=exc.hint_en, rule=exc.rule, source=exc.source, required=exc.required,
                     actual=exc.actual)


def amend(case: Case, events: Sequence[Event], seq: int, *, machine: WorkflowMachine, params: Mapping[str, Param],
          at: datetime | None, data: Mapping[str, Any], reason: str, recorded_at: datetime, actor: str) -> Corrected:
    """Correct the date and/or data of an earlier transition. The corrected values go through the trigger's own
    checks on the case as it stood before it, and each later transition is checked again on top."""
    why = _reason(reason)
    spec = machine.spec
    # Replayed in local time (a store may hand times back in UTC): a refusal quotes them as they were entered.
    eff = [replace(e, occurred_at=localize(e.occurred_at)) for e in effective(events)]
    target = next((e for e in eff if e.seq == seq), None)
    if target is None or target.kind != TRANSITION:
        gone = seq in voids(events)
        raise NotFoundError(
            f"案件 {case.case_id} 没有可更正的第 {seq} 条步骤" + ("（已撤销）" if gone else ""),
            f"case {case.case_id} has no step {seq} to amend" + (" (it was voided)" if gone else ""),
            hint_zh="bargain case timeline 列出各条的编号（seq）", hint_en="bargain case timeline shows each entry's seq",
            rule="amend_target", actual=seq)
    before = evolve(case, state=spec.initial, last_at=None, facts={})
    for e in eff:
        if e.seq >= seq:
            break
        if e.kind == TRANSITION:
            before = after_event(before, e)
    before = evolve(before, version=seq - 1)
    raw = {**target.data, **data}
    when = at or target.occurred_at
    auto = spec.transitions[target.trigger].auto if target.trigger in spec.transitions else False
    fired = machine.fire(before, target.trigger, raw, when, recorded_at=target.recorded_at, actor=target.actor,
                         params=params, counselor_id=target.counselor_id, note=target.note, automatic=auto)
    corrected = fired.event
    now = fired.case
    for e in eff:  # every later step must still hold on top of the corrected one
        if e.seq <= seq:
            continue
        if e.kind != TRANSITION:
            continue
        later_auto = spec.transitions[e.trigger].auto if e.trigger in spec.transitions else False
        try:
            now = machine.fire(evolve(now, version=e.seq - 1), e.trigger, e.data, e.occurred_at, recorded_at=e.recorded_at,
                               actor=e.actor, params=params, counselor_id=e.counselor_id, note=e.note,
                               automatic=later_auto).case
        except BargainError as exc:
            raise _refused_later(exc, e) from None
    was = {"at": localize(target.occurred_at).isoformat(), "data": dict(target.data)}
    fixed = {"at": localize(corrected.occurred_at).isoformat(), "data": dict(corrected.data)}
    if fixed == was:
        raise RefusedError(f"第 {seq} 条的更正与原记录相同", f"the correction of entry {seq} changes nothing",
                           rule="amend_changes_nothing", source=SOURCE)
    event = Event(case.case_id, case.version + 1, AMENDMENT, recorded_at, recorded_at, actor, target.trigger,
                  target.from_state, target.to_state, None,
                  {"amends": seq, "reason": why, **fixed, "was": was}, why)
    return Corrected(event, refold(case, [*events, event], spec.initial))
