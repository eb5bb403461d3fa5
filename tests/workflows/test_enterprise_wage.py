"""The wage workflow as DOMAIN §3 declares it: every state reachable, none stuck, triggers as specified."""

from __future__ import annotations

import pytest

from engine import registry
from engine.registry import machines

DOMAIN_TABLE = {
    "targeted": {"send_offer"},
    "offer_sent": {"accept", "refuse", "lapse_offer"},
    "refused": {"reoffer", "dispute", "close"},
    "accepted": {"set_topics"},
    "topics_set": {"elect_reps"},
    "reps_elected": {"hold_round"},
    "negotiating": {"hold_round", "suspend", "agree_draft", "dispute"},
    "suspended": {"resume"},
    "draft_agreed": {"approve", "reject"},
    "congress_approved": {"sign"},
    "signed": {"file"},
    "filed": {"pass_review", "object", "lapse_review"},
    "effective": {"publish", "expire"},
    "expired": set(),
    "disputed": {"settle", "close", "extend_coordination"},  # CCR 52: coordination extendable once by <= 15 days
    "closed": set(),
}


@pytest.mark.parametrize("key", ["enterprise_wage@1", "enterprise_collective@1", "enterprise_wage@2", "enterprise_collective@2"])
def test_each_state_offers_exactly_the_triggers_of_the_domain_table(key: str) -> None:
    spec = registry.spec(key)
    assert set(spec.states) == set(DOMAIN_TABLE)
    for state, triggers in DOMAIN_TABLE.items():
        assert set(spec.triggers_from(state)) == triggers, state


@pytest.mark.parametrize("key", ["enterprise_wage@1", "enterprise_collective@1", "enterprise_wage@2", "enterprise_collective@2"])
def test_every_state_is_reachable_and_only_final_states_are_stuck(key: str) -> None:
    spec = registry.spec(key)
    seen, todo = {spec.initial}, [spec.initial]
    while todo:
        state = todo.pop()
        for trig in spec.triggers_from(state):
            for dest in spec.transitions[trig].destinations:
                if dest not in seen:
                    seen.add(dest)
                    todo.append(dest)
    assert seen == set(spec.states)
    for name, state in spec.states.items():
        assert bool(spec.triggers_from(name)) != state.final, name


def test_automatic_triggers_exist_and_name_their_deadline() -> None:
    spec = registry.spec("enterprise_wage@1")
    autos = {t.trigger: t.deadline for t in spec.transitions.values() if t.auto}
    assert set(autos) == {"lapse_offer", "lapse_review", "expire"}
    assert all(autos.values())


def test_one_machine_serves_every_case_of_a_version() -> None:
    assert machines.machine("enterprise_wage@1") is machines.machine("enterprise_wage@1")
    assert len(machines.machine("enterprise_wage@1").machine.models) == 1
