"""Workflow spec → a `transitions` Machine; fire(case, trigger, data, at) validates and moves a case.

One Machine per workflow version serves every case: a case is loaded into a single proxy model, the
trigger fires (its checks run as the transition's conditions and raise when a rule is not met), and
the new state is read back. Cases are never attached to the machine, so loading 100,000 of them
costs nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from transitions import Machine, MachineError

from engine.case import TRANSITION, Case, Event, after_event
from engine.errors import NotAllowedError, RuleError, SetupError, did_you_mean
from engine.payload import normalise, to_json
from engine.rules import RULES, CheckContext
from engine.spec import Param, Transition, WorkflowSpec

ORDER_SOURCE = "事件按发生时间顺序记录 / events are kept in time order"


class _Proxy:
    """The one model object the machine drives; it holds a case's state for the length of a fire."""

    state: str


@dataclass(frozen=True)
class Fired:
    """The outcome of a successful trigger: the case after it and the event that records it."""

    case: Case
    event: Event


class WorkflowMachine:
    """A compiled workflow version."""

    def __init__(self, spec: WorkflowSpec) -> None:
        self.spec = spec
        missing = sorted({c.rule for t in spec.transitions.values() for c in t.checks} - set(RULES))
        if missing:
            raise SetupError(
                f"工作流 {spec.key} 引用了不存在的检查：{', '.join(missing)}",
                f"workflow {spec.key} names checks that do not exist: {', '.join(missing)}",
            )
        self._proxy = _Proxy()
        table = []
        for t in spec.transitions.values():
            conditions = [self._condition(t)] if t.checks else []
            for source in t.sources:
                table.append({"trigger": t.trigger, "source": source, "dest": t.dest, "conditions": conditions})
        self.machine = Machine(
            model=self._proxy,
            states=list(spec.states),
            transitions=table,
            initial=spec.initial,
            auto_transitions=False,
            send_event=True,
            model_attribute="state",
        )

    @staticmethod
    def _condition(t: Transition) -> Any:
        def run_checks(event: Any) -> bool:
            ctx: CheckContext = event.kwargs["ctx"]
            for check in t.checks:
                RULES[check.rule](
                    CheckContext(ctx.case, ctx.trigger, ctx.data, ctx.at, ctx.params, check.rule, check.source)
                )
            return True

        return run_checks

    def allowed(self, state: str, *, include_auto: bool = False) -> list[str]:
        """Triggers a person may fire from this state."""
        return self.spec.triggers_from(state, include_auto=include_auto)

    def fire(
        self,
        case: Case,
        trigger: str,
        data: Mapping[str, Any],
        at: datetime,
        *,
        recorded_at: datetime,
        actor: str,
        params: Mapping[str, Param] | None = None,
        counselor_id: int | None = None,
        note: str = "",
        automatic: bool = False,
    ) -> Fired:
        """Check and apply one trigger to a case; raises a RefusedError and changes nothing if refused."""
        t = self.spec.transitions.get(trigger)
        if t is None:
            guess = did_you_mean(trigger, list(self.spec.transitions))
            raise NotAllowedError(
                f"工作流 {self.spec.key} 没有触发器 {trigger}",
                f"workflow {self.spec.key} has no trigger '{trigger}'",
                hint_zh=f"是否要写 {guess}？" if guess else f"可用：{', '.join(self.allowed(case.state))}",
                hint_en=f"did you mean '{guess}'?" if guess else f"allowed now: {', '.join(self.allowed(case.state))}",
                rule="unknown_trigger",
                actual=trigger,
            )
        allowed = self.allowed(case.state, include_auto=automatic)
        if t.auto and not automatic:
            raise NotAllowedError(
                f"{trigger} 是自动转换，由 bargain tick 在期限届满时执行",
                f"{trigger} is automatic: bargain tick applies it when its period runs out",
                rule="automatic_trigger",
                actual=trigger,
            )
        if trigger not in allowed:
            state = self.spec.states[case.state]
            now = ", ".join(allowed) or "—"
            raise NotAllowedError(
                f"案件处于「{state.zh}」（{case.state}），不能执行 {trigger}；可执行：{now}",
                f"the case is '{case.state}', where '{trigger}' is not allowed; allowed now: {now}",
                rule="trigger_not_allowed",
                required=allowed,
                actual=trigger,
            )
        if case.last_at is not None and at < case.last_at:
            raise RuleError(
                f"发生时间 {at.isoformat()} 早于案件上一事件（{case.last_at.isoformat()}）",
                f"{at.isoformat()} is earlier than the case's previous event ({case.last_at.isoformat()})",
                rule="events_in_order",
                source=ORDER_SOURCE,
                required=f">= {case.last_at.isoformat()}",
                actual=at.isoformat(),
            )
        clean = normalise(t, data, at, case.count(trigger) + 1)
        ctx = CheckContext(case, trigger, clean, at, params if params is not None else self.spec.params, "", "")
        self._proxy.state = case.state
        try:
            self._proxy.trigger(trigger, ctx=ctx)  # type: ignore[attr-defined]
        except MachineError as exc:  # pragma: no cover - guarded by the allowed() check above
            raise NotAllowedError(str(exc), str(exc), rule="trigger_not_allowed") from None
        event = Event(
            case_id=case.case_id,
            seq=case.version + 1,
            kind=TRANSITION,
            occurred_at=at,
            recorded_at=recorded_at,
            actor=actor,
            trigger=trigger,
            from_state=case.state,
            to_state=self._proxy.state,
            counselor_id=counselor_id,
            data=to_json(clean),
            note=note,
        )
        return Fired(after_event(case, event), event)
