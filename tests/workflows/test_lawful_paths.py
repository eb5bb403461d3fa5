"""No path around the law (issue #20 item 1): every path of every shipped workflow, generated from its
definition, keeps the facts the later steps need. A bounded breadth-first walk fires every allowed trigger
(the automatic ones too) with valid data from tests/helpers/happy.py through the real machine; whenever a case
reaches a state, the steps the law puts before it must be on the case. The table of those steps is written
here from the law, independently of engine/lawful.py.
"""

from __future__ import annotations

from collections import deque
from datetime import timedelta

import pytest

from engine import registry
from engine.case import Case
from engine.errors import RefusedError, RuleError, SetupError
from engine.registry import machines
from tests.helpers.happy import REC, T0, new_case, reps, step

BARGAINING = {"set_topics", "elect_reps"}  # 集体合同规定 arts. 33, 19: before any round
DRAFTED = BARGAINING | {"hold_round", "agree_draft"}  # art. 34
APPROVED = DRAFTED | {"approve"}  # arts. 36-37: the congress approves before signing; in force after (LCL 51, 54)
LAW: dict[str, set[str]] = {
    "reps_elected": BARGAINING, "negotiating": BARGAINING, "suspended": BARGAINING, "draft_agreed": DRAFTED,
    "congress_approved": APPROVED, "signed": APPROVED, "filed": APPROVED, "effective": APPROVED, "expired": APPROVED,
}
APPROVED_STATES = {"congress_approved", "signed", "filed", "effective", "expired"}


def fire(case: Case, trigger: str, scope: str) -> Case:
    return step(case, trigger)


def fired(case: Case) -> set[str]:
    return {t for t, n in case.facts.get("count", {}).items() if n}


def walk(key: str) -> tuple[set[str], list[str]]:
    """Every state reached, and every breach of LAW found, over all paths (deduplicated by state and the set
    of steps taken, which is all LAW looks at)."""
    spec = registry.spec(key)
    name, _, version = key.partition("@")
    start = new_case(workflow=name, version=int(version))
    seen = {(start.state, frozenset())}
    todo = deque([start])
    reached, breaches = {start.state}, []
    while todo:
        case = todo.popleft()
        for trigger in machines.machine(key).allowed(case.state, include_auto=True):
            try:
                after = fire(case, trigger, spec.scope)
            except RefusedError:
                continue
            steps = fired(after)
            missing = LAW.get(after.state, set()) - steps
            if missing:
                breaches.append(f"{trigger} -> {after.state} without {sorted(missing)}")
            if after.state in APPROVED_STATES:
                approve, draft = after.last("approve"), after.last("agree_draft")
                if approve is None or draft is None or int(approve["seq"]) < int(draft["seq"]):
                    breaches.append(f"{trigger} -> {after.state} without an approval of the latest draft")
            reached.add(after.state)
            k = (after.state, frozenset(steps))
            if k not in seen and len(seen) < 20000:
                seen.add(k)
                todo.append(after)
    return reached, breaches


@pytest.mark.parametrize("key", sorted(registry.specs()))
def test_no_path_of_any_shipped_workflow_reaches_a_state_without_the_steps_the_law_puts_before_it(key: str) -> None:
    reached, breaches = walk(key)
    assert breaches == []
    assert reached == set(registry.spec(key).states)  # the walk went everywhere: it is not vacuously lawful


def to_refusal_dispute(key: str) -> Case:
    name, _, version = key.partition("@")
    case = new_case(workflow=name, version=int(version))
    for trigger in ("send_offer", "refuse", "dispute"):
        case = fire(case, trigger, registry.spec(key).scope)
    return case


@pytest.mark.parametrize("key", ["enterprise_wage@2", "enterprise_collective@2", "regional_wage@2"])
def test_settling_a_dispute_over_a_refusal_returns_the_case_to_accepted_where_bargaining_starts(key: str) -> None:
    case = fire(to_refusal_dispute(key), "settle", registry.spec(key).scope)
    assert case.state == "accepted"
    assert machines.machine(key).allowed(case.state) == ["set_topics"]


def test_settling_a_dispute_that_arose_in_bargaining_returns_the_case_to_negotiating() -> None:
    from tests.helpers.happy import walk_to

    case = walk_to("negotiating", new_case(version=2))
    case = fire(fire(case, "dispute", "enterprise"), "settle", "enterprise")
    assert case.state == "negotiating"


@pytest.mark.parametrize("key", ["enterprise_wage@1", "enterprise_collective@1", "regional_wage@1"])
def test_a_running_version_1_case_cannot_settle_a_refusal_into_negotiating(key: str) -> None:
    with pytest.raises(RuleError) as exc:
        fire(to_refusal_dispute(key), "settle", registry.spec(key).scope)
    assert exc.value.rule == "lawful_order"
    assert "集体合同规定 art. 19" in exc.value.source and "集体合同规定 art. 33" in exc.value.source


def test_new_cases_open_on_version_2() -> None:
    assert registry.spec("enterprise_wage").version == 2
    assert registry.spec("regional_wage").extends == "enterprise_wage@2"
    assert registry.spec("enterprise_collective").extends == "enterprise_wage@2"


def shipped_v1() -> str:
    from importlib import resources

    return resources.files("workflows").joinpath("enterprise_wage/v1.toml").read_text(encoding="utf-8")


def test_a_workflow_file_that_opens_a_path_around_the_law_is_refused_when_it_loads() -> None:
    text = shipped_v1().replace('name = "enterprise_wage"', 'name = "local_wage"')
    with pytest.raises(SetupError) as exc:
        registry.load({"workflows/local_wage/v1.toml": text})
    assert "settle (disputed -> negotiating)" in exc.value.en and "set_topics" in exc.value.en
    assert "集体合同规定 art. 33" in exc.value.en


def test_a_workflow_that_lets_a_contract_take_effect_without_a_congress_is_refused_when_it_loads() -> None:
    text = shipped_v1().replace('name = "enterprise_wage"', 'name = "local_wage"').replace(
        'trigger = "settle"\nsource = "disputed"\ndest = "negotiating"', 'trigger = "settle"\nsource = "disputed"\ndest = "accepted"'
    ).replace('trigger = "file"\nsource = "signed"', 'trigger = "file"\nsource = ["signed", "draft_agreed"]')
    with pytest.raises(SetupError) as exc:
        registry.load({"workflows/local_wage/v1.toml": text})
    assert "pass_review (filed -> effective) skips the congress's approval (approve)" in exc.value.en


def test_a_superseded_version_with_the_bypass_still_loads_for_its_running_cases() -> None:
    text = shipped_v1().replace('name = "enterprise_wage"', 'name = "local_wage"')
    v2 = 'name = "local_wage"\nversion = 2\nextends = "local_wage@1"\n[[transitions]]\ntrigger = "settle"\n' \
         'source = "disputed"\ndest = ["negotiating", "accepted"]\n'
    built = registry.load({"workflows/local_wage/v1.toml": text, "workflows/local_wage/v2.toml": v2})
    assert set(built) == {"local_wage@1", "local_wage@2"}


def test_the_no_union_path_still_reaches_elected_representatives_with_staff_consent() -> None:
    case = new_case(has_union=False, version=2)
    for trigger, data in (("send_offer", {"level": "upper"}), ("accept", {}), ("set_topics", {"topics": "工资"})):
        case = machines.machine(case.workflow_key).fire(case, trigger, data, (case.last_at or T0) + timedelta(days=1),
                                                       recorded_at=REC, actor="t").case
    base = {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}
    at = (case.last_at or T0) + timedelta(days=1)
    m = machines.machine(case.workflow_key)
    for extra, ok in (({}, False), ({"staff_total": 40, "staff_consenting": 20}, False),
                      ({"staff_total": 40, "staff_consenting": 21}, True)):
        if ok:
            assert m.fire(case, "elect_reps", {**base, **extra}, at, recorded_at=REC, actor="t").case.state == "reps_elected"
        else:
            with pytest.raises(RuleError) as exc:
                m.fire(case, "elect_reps", {**base, **extra}, at, recorded_at=REC, actor="t")
            assert exc.value.rule == "staff_consent_without_union" and exc.value.source == "工资集体协商试行办法 art. 9"
