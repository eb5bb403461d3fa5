"""Workflow spec → a `transitions` Machine; fire(case, trigger, data, at) validates and moves a case.

One Machine per workflow version serves every case. Cases are never attached to it (a model per case
costs 28-113 KiB and `add_model` is O(n)), so loading 100,000 of them costs nothing here. To fire, the
machine's own Transition for (state, trigger) is looked up in its event table, its conditions run (the
workflow's checks, which raise when a rule is not met) and its `dest` is the new state: exactly what
`Transition.execute` does on a machine without callbacks (this one has none), without the per-call
dispatch, logging and callback plumbing of `model.trigger()`, which cost more than the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from transitions import Machine

from engine import lawful
from engine.case import TRANSITION, Case, Event, after_transition, maker, new_event
from engine.errors import NotAllowedError, RuleError, SetupError, all_failed, did_you_mean
from engine.payload import Schema, to_json
from engine.rules import RULES, CheckContext
from engine.spec import Param, Transition, WorkflowSpec

ORDER_SOURCE = "事件按发生时间顺序记录 / events are kept in time order"


class _Proxy:
    """The one model object the machine drives; it holds a case's state for the length of a fire."""

    state: str


@dataclass(frozen=True, slots=True)
class Fired:
    """The outcome of a successful trigger: the case after it and the event that records it."""

    case: Case
    event: Event


_fired = maker(Fired)
_context = maker(CheckContext)


@dataclass(frozen=True, slots=True)
class _Plan:
    """One allowed move, compiled: what fire() needs once the trigger has passed the machine's table."""

    transition: Transition
    schema: Schema
    conditions: tuple[Any, ...]  # the machine's transitions.Condition objects (the workflow's checks)
    dest: str  # a dest of None in the machine would be an internal transition: the state stays
    guards: tuple[lawful.Guard, ...] | None


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
        # The compiled table, read from the machine: (state, trigger) -> its transitions.Transition, and
        # the machine's State and Event objects an EventData carries to the conditions.
        self._moves = {
            (source, name): moves[0]
            for name, event in self.machine.events.items()
            for source, moves in event.transitions.items()
        }
        self._states = {name: self.machine.get_state(name) for name in spec.states}
        self._events = dict(self.machine.events)
        self._allowed = {
            (state, auto): tuple(spec.triggers_from(state, include_auto=auto)) for state in spec.states for auto in (False, True)
        }
        # What the law needs on the case before a move, where the path does not guarantee it (engine/lawful.py):
        # a trigger with several destinations, or the bypass of a superseded version, closed here at run time.
        self._guards = lawful.guards(spec)
        # Each trigger's data schema, compiled once.
        self._schemas = {name: Schema(t) for name, t in spec.transitions.items()}
        # The plan of every move a fire may make, read from the tables above: (state, trigger, automatic) ->
        # (transition, data schema, the machine's conditions, its destination, the lawful-order guards). A key
        # is here exactly when fire() lets the trigger through (it exists, is not an automatic one fired by a
        # person, and is allowed from the state): a miss takes the refusing path. tests/unit/test_machine.py
        # compares this table with the transitions Machine on every workflow's every state and trigger.
        self._plans: dict[tuple[str, str, bool], _Plan] = {}
        for (state, automatic), triggers in self._allowed.items():
            for name in triggers:
                t = spec.transitions[name]
                if t.auto and not automatic:
                    continue
                move = self._moves[(state, name)]
                self._plans[(state, name, automatic)] = _Plan(
                    t, self._schemas[name], tuple(move.conditions), move.dest or state, self._guards.get((state, name)))

    def _destination(self, case: Case, trigger: str, options: tuple[lawful.Guard, ...]) -> str:
        """The first destination whose preconditions the case meets; refused, citing the law, if none."""
        for dest, needs in options:
            if all(any(case.count(t) for t in carriers) for _, carriers in needs):
                return dest
        dest, needs = options[-1]
        missing = frozenset(rule for rule, carriers in needs if not any(case.count(t) for t in carriers))
        steps_zh = "、".join(lawful.STEP.get(r, (r, r))[0] for r in sorted(missing))
        steps_en = ", ".join(lawful.STEP.get(r, (r, r))[1] for r in sorted(missing))
        state = self.spec.states[dest]
        raise RuleError(
            f"{trigger} 会使案件进入「{state.zh}」，但案件尚未{steps_zh}：不能绕过法定程序",
            f"{trigger} would take the case to '{dest}' without {steps_en}: the legal steps cannot be skipped",
            hint_zh="本案件适用的工作流版本不允许在此补齐这些步骤：可终止（close）后按新版本重新立案",
            hint_en="this case's workflow version cannot make up these steps here: close it and open a new case",
            rule="lawful_order", source=lawful.sources_of(missing), required=sorted(missing), actual=trigger,
        )

    @staticmethod
    def _condition(t: Transition) -> Any:
        checks = tuple((RULES[check.rule], check.rule, check.source) for check in t.checks)

        def run_checks(event: Any) -> bool:
            # Called by fire() with the CheckContext itself; by the machine's own trigger path with an EventData.
            ctx: CheckContext = event if type(event) is CheckContext else event.kwargs["ctx"]
            failed: list[RuleError] = []
            for check, rule, source in checks:  # every check runs: a refusal lists all that failed, not just the first
                try:
                    check(ctx)
                except RuleError:
                    # A check reads its own rule id and source only to word its refusal: it runs on the shared
                    # context, and one that refuses runs again on its own (checks are pure) for the refusal.
                    try:
                        check(_context(ctx.case, ctx.trigger, ctx.data, ctx.at, ctx.params, rule, source))
                    except RuleError as exc:
                        failed.append(exc)
            if failed:
                raise all_failed(failed)
            return True

        return run_checks

    def allowed(self, state: str, *, include_auto: bool = False) -> list[str]:
        """Triggers a person may fire from this state."""
        found = self._allowed.get((state, include_auto))
        return list(found) if found is not None else self.spec.triggers_from(state, include_auto=include_auto)

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
        plan = self._plans.get((case.state, trigger, automatic))
        if plan is None:
            raise self._not_allowed(case, trigger, automatic)
        if case.last_at is not None and at < case.last_at:
            raise RuleError(
                f"发生时间 {at.isoformat()} 早于案件上一事件（{case.last_at.isoformat()}）",
                f"{at.isoformat()} is earlier than the case's previous event ({case.last_at.isoformat()})",
                rule="events_in_order",
                source=ORDER_SOURCE,
                required=f">= {case.last_at.isoformat()}",
                actual=at.isoformat(),
            )
        schema = plan.schema
        clean = schema(data, at, case.count(trigger) + 1 if schema.needs_next else 0)
        if plan.conditions:
            # The machine's own conditions (transitions.Condition), each given the context directly: the same
            # call Condition.check makes through an EventData, without building one per fire.
            ctx = _context(case, trigger, clean, at, params if params is not None else self.spec.params, "", "")
            for condition in plan.conditions:
                check: Any = condition.func  # our run_checks (transitions types it as a callable or its name)
                if check(ctx) != condition.target:  # pragma: no cover - a failed check raises its RuleError
                    raise NotAllowedError(trigger, trigger, rule="trigger_not_allowed", actual=trigger)
        dest = plan.dest
        if plan.guards is not None:
            dest = self._destination(case, trigger, plan.guards)
        # In Event's field order: case_id, seq, kind, occurred_at, recorded_at, actor, trigger, from_state,
        # to_state, counselor_id, data, note, actor_name (the store fills it in from the user's name when it saves).
        event = new_event(case.case_id, case.version + 1, TRANSITION, at, recorded_at, actor, trigger, case.state,
                          dest, counselor_id, to_json(clean), note, "")
        return _fired(after_transition(case, event, json_ready=True), event)  # to_json made its data JSON

    def _not_allowed(self, case: Case, trigger: str, automatic: bool) -> NotAllowedError:
        """Why a trigger may not fire on the case now: unknown, automatic, or not allowed from its state."""
        t = self.spec.transitions.get(trigger)
        if t is None:
            guess = did_you_mean(trigger, list(self.spec.transitions))
            return NotAllowedError(
                f"工作流 {self.spec.key} 没有触发器 {trigger}",
                f"workflow {self.spec.key} has no trigger '{trigger}'",
                hint_zh=f"是否要写 {guess}？" if guess else f"可用：{', '.join(self.allowed(case.state))}",
                hint_en=f"did you mean '{guess}'?" if guess else f"allowed now: {', '.join(self.allowed(case.state))}",
                rule="unknown_trigger",
                actual=trigger,
            )
        allowed = self._allowed.get((case.state, automatic)) or ()
        if t.auto and not automatic:
            return NotAllowedError(
                f"{trigger} 是自动转换，由 bargain tick 在期限届满时执行",
                f"{trigger} is automatic: bargain tick applies it when its period runs out",
                rule="automatic_trigger",
                actual=trigger,
            )
        state = self.spec.states[case.state]
        now = ", ".join(allowed) or "—"
        return NotAllowedError(
            f"案件处于「{state.zh}」（{case.state}），不能执行 {trigger}；可执行：{now}",
            f"the case is '{case.state}', where '{trigger}' is not allowed; allowed now: {now}",
            rule="trigger_not_allowed",
            required=list(allowed),
            actual=trigger,
        )
