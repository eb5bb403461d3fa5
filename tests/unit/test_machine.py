"""The compiled machine on its own: no database, a fixed instant, the spec built from the shipped file text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from engine.errors import NotAllowedError, RuleError, SetupError
from engine.machine import WorkflowMachine
from engine.spec import build_all
from tests.helpers.happy import HAPPY, REC, STATES_AFTER, T0, new_case

ROOT = Path(__file__).resolve().parents[2]
FILES = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "workflows").glob("*/v*.toml"))}
SPECS = build_all(FILES)
WAGE = WorkflowMachine(SPECS["enterprise_wage@1"])
PARAMS = dict(SPECS["enterprise_wage@1"].params)


def fire(case, trigger, data, days=1):  # type: ignore[no-untyped-def]
    return WAGE.fire(case, trigger, data, (case.last_at or T0) + timedelta(days=days), recorded_at=REC, actor="t",
                     params=PARAMS)


def test_the_happy_path_visits_the_declared_states_and_records_one_event_each() -> None:
    case = new_case()
    for (trigger, data), after in zip(HAPPY, STATES_AFTER):
        fired = fire(case, trigger, data)
        assert fired.case.state == after
        assert fired.event.trigger == trigger and fired.event.seq == case.version + 1
        assert fired.case.version == case.version + 1
        case = fired.case


def test_a_trigger_not_allowed_in_the_state_is_refused_and_names_what_is_allowed() -> None:
    with pytest.raises(NotAllowedError) as caught:
        fire(new_case(), "accept", {})
    assert "send_offer" in caught.value.en


def test_a_misspelt_trigger_gets_a_suggestion() -> None:
    with pytest.raises(NotAllowedError) as caught:
        fire(new_case(), "send_ofer", {"level": "enterprise"})
    assert "send_offer" in caught.value.hint_en


def test_a_failed_check_refuses_and_leaves_the_case_as_it_was() -> None:
    case = new_case()
    for (trigger, data), after in zip(HAPPY, STATES_AFTER):
        if after == "congress_approved":
            break
        case = fire(case, trigger, data).case
    before = (case.state, case.version)
    with pytest.raises(RuleError) as caught:
        fire(case, "approve", {"body": "congress", "total": 60, "present": 39, "votes_for": 35})
    assert caught.value.source and "36" in caught.value.source
    assert (case.state, case.version) == before


def test_allowed_lists_only_people_s_triggers_unless_asked_for_automatic_ones() -> None:
    assert "lapse_offer" not in WAGE.allowed("offer_sent")
    assert "lapse_offer" in WAGE.allowed("offer_sent", include_auto=True)


def test_an_event_dated_before_the_previous_one_is_refused() -> None:
    case = fire(new_case(), "send_offer", {"level": "enterprise"}).case
    with pytest.raises(RuleError):
        fire(case, "accept", {}, days=-3)


def test_a_workflow_naming_an_unknown_check_does_not_compile() -> None:
    text = FILES["workflows/enterprise_wage/v1.toml"].replace('rule = "offer_level_allowed"', 'rule = "no_such_check"')
    spec = build_all({"workflows/enterprise_wage/v1.toml": text})["enterprise_wage@1"]
    with pytest.raises(SetupError, match="no_such_check"):
        WorkflowMachine(spec)


def _to_approval() -> Any:
    case = new_case()
    for (trigger, data), after in zip(HAPPY, STATES_AFTER):
        if after == "congress_approved":
            return case
        case = fire(case, trigger, data).case
    raise AssertionError("no approval on the happy path")


def test_every_failed_check_is_listed_each_with_its_own_rule_and_source() -> None:
    # The checks run on one shared context; a refusing one runs again on its own, so that its refusal carries
    # its rule id and source (engine/machine.py): two failures, two rules, each cited.
    case = _to_approval()
    with pytest.raises(RuleError) as caught:
        fire(case, "approve", {"body": "congress", "total": 60, "present": 30, "votes_for": 10})
    failures = caught.value.failures
    assert len(failures) >= 2, caught.value.en
    assert len({f.rule for f in failures}) == len(failures) and all(f.rule and f.source for f in failures)
    assert caught.value.rule == failures[0].rule


def test_the_machine_s_conditions_still_run_through_transitions_own_event_data() -> None:
    from transitions.core import EventData

    from engine.rules import CheckContext

    case = _to_approval()
    move = WAGE._moves[(case.state, "approve")]
    bad = CheckContext(case, "approve", {"body": "congress", "total": 60, "present": 39, "votes_for": 35}, REC, PARAMS,
                       "", "")
    good = CheckContext(case, "approve", {"body": "congress", "total": 60, "present": 40, "votes_for": 31}, REC, PARAMS,
                        "", "")
    for ctx, passes in ((good, True), (bad, False)):
        data = EventData(WAGE._states[case.state], WAGE._events["approve"], WAGE.machine, WAGE._proxy, (), {"ctx": ctx})
        if passes:
            assert all(c.check(data) for c in move.conditions)
        else:
            with pytest.raises(RuleError) as caught:
                [c.check(data) for c in move.conditions]
            assert caught.value.source and "36" in caught.value.source


def test_the_fast_constructors_build_the_very_objects_the_dataclasses_do() -> None:
    from dataclasses import FrozenInstanceError, astuple, fields

    from engine.case import Event, maker

    case = new_case()
    fired = fire(case, *HAPPY[0])
    for obj in (case, fired.event, fired.case, fired):
        cls = type(obj)
        values = [getattr(obj, f.name) for f in fields(obj)]
        made = maker(cls)(*values)
        assert made == cls(*values) == obj and type(made) is cls and astuple(made) == astuple(obj)
        with pytest.raises(FrozenInstanceError):
            setattr(made, fields(obj)[0].name, 5)  # frozen: none of its fields can be set
    with pytest.raises(TypeError):
        maker(Event)(1, 2)  # every field, in order: a short call is an error, not a half-built event


def test_the_compiled_plans_give_the_transitions_machine_s_answers_on_every_state_and_trigger() -> None:
    """fire() looks a move up in its compiled plans; the transitions Machine of the same definition, driven
    through its own trigger path, must agree on every workflow's every (state, trigger): whether the move is
    possible and where it goes."""
    from transitions import MachineError

    from engine.rules import CheckContext

    for key, spec in SPECS.items():
        m = WorkflowMachine(spec)
        for state in spec.states:
            for trigger, t in spec.transitions.items():
                m._proxy.state = state
                ctx = CheckContext(new_case(), trigger, {}, REC, dict(spec.params), "", "")
                try:
                    m.machine.events[trigger].trigger(m._proxy, ctx=ctx)
                    possible, reached = True, m._proxy.state
                except MachineError:
                    possible, reached = False, None
                except (RuleError, KeyError, TypeError, ValueError):  # the move exists: its checks ran on empty data
                    possible, reached = True, None
                for automatic in (False, True):
                    plan = m._plans.get((state, trigger, automatic))
                    assert (plan is not None) == (possible and (automatic or not t.auto)), (key, state, trigger, automatic)
                    if plan is not None:
                        assert plan.transition is t and plan.schema.t is t
                        assert plan.guards == m._guards.get((state, trigger))
                        assert reached is None or plan.dest == reached, (key, state, trigger)
                        assert plan.dest == (m.machine.events[trigger].transitions[state][0].dest or state)
        assert {(s, t) for s, t, _ in m._plans} == set(m._moves), key
