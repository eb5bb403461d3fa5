"""The happy path of the enterprise wage workflow: valid data for each trigger, and a walker."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from engine.case import Case
from engine.times import parse_at

T0 = parse_at("2026-03-02")
REC = parse_at("2026-11-23T10:00")


def reps(n: int, prefix: str, chief: int = 0, external: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """n representatives named prefix1..prefixN; one chief; some outside experts."""
    return [{"name": f"{prefix}{i + 1}", "chief": i == chief, "external": i in external} for i in range(n)]


HAPPY: list[tuple[str, dict[str, Any]]] = [
    ("send_offer", {"level": "enterprise"}),
    ("accept", {}),
    ("set_topics", {"topics": "工资调整幅度,高温津贴", "opinions": "120"}),
    ("elect_reps", {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}),
    ("hold_round", {"outcome": "达成一致"}),
    ("agree_draft", {}),
    ("approve", {"body": "congress", "total": 60, "present": 40, "votes_for": 31}),
    ("sign", {"term_start": "2026-06-01", "term_end": "2027-05-31"}),
    ("file", {"authority": "人社局"}),
    ("pass_review", {}),
    ("publish", {}),
]
STATES_AFTER = ["offer_sent", "accepted", "topics_set", "reps_elected", "negotiating", "draft_agreed",
                "congress_approved", "signed", "filed", "effective", "effective"]


def new_case(has_union: bool = True, workflow: str = "enterprise_wage", version: int = 1,
             jurisdiction: str = "national") -> Case:
    """A freshly opened case in memory."""
    return Case(1, "91320505000000001X", workflow, version, "targeted", jurisdiction, has_union, None, 1, T0, {})


def fire(case: Case, trigger: str, data: dict[str, Any] | None = None, at: datetime | None = None) -> Case:
    """Fire one trigger through the compiled machine with the case's jurisdiction parameters."""
    from engine import registry
    from engine.registry import machines

    fired = machines.machine(case.workflow_key).fire(
        case, trigger, data or {}, at or (case.last_at or T0) + timedelta(days=1), recorded_at=REC, actor="test",
        params=registry.params_for(case.workflow_key, case.jurisdiction),
    )
    return fired.case


def walk_to(state: str, case: Case | None = None) -> Case:
    """A case moved along the happy path until it reaches the given state."""
    case = case or new_case()
    for (trigger, data), after in zip(HAPPY, STATES_AFTER):
        if case.state == state:
            return case
        case = fire(case, trigger, data)
        if after == state:
            return case
    raise AssertionError(f"{state} is not on the happy path")


def data_for(scope: str, trigger: str, at: datetime) -> dict[str, Any]:
    """Valid data for any trigger of the shipped workflows at a moment (the happy path's, plus the others';
    `scope` "regional" for the regional workflow's offer and congress)."""
    happy = dict(HAPPY)
    regional = scope == "regional"
    extra: dict[str, dict[str, Any]] = {
        "send_offer": {"level": "regional", "employer_side": "区企业联合会"} if regional else {"level": "enterprise"},
        "reoffer": {"level": "regional"} if regional else {"level": "upper"},
        "refuse": {"reason": "经营困难"},
        "reject": {"body": "congress", "total": 60, "present": 40, "votes_for": 20, **({"managers": 5} if regional else {})},
        "suspend": {"resume_on": (at + timedelta(days=10)).date().isoformat()},
        "object": {"reason": "条款违法"},
        "dispute": {},
        "settle": {"agreement": "协调处理协议书"},
        "close": {"reason": "企业注销"},
        "extend_coordination": {"days": 10},
        "publish": {"method": "公告栏"},
    }
    if regional:
        extra["approve"] = {**happy["approve"], "managers": 5}
    # one front-line worker of three on the worker side (山东 art. 7: at least 1/3)
    workers = [{**r, "frontline": i == 0} for i, r in enumerate(happy["elect_reps"]["worker_reps"])]
    extra["elect_reps"] = {**happy["elect_reps"], "worker_reps": workers}
    return extra.get(trigger, happy.get(trigger, {}))


def step(case: Case, trigger: str, data: dict[str, Any] | None = None, days: int = 1) -> Case:
    """Fire one trigger (automatic ones too) a few days after the case's last event, with `data` or valid data."""
    from engine import registry
    from engine.registry import machines

    at = (case.last_at or T0) + timedelta(days=days)
    spec = registry.spec(case.workflow_key)
    return machines.machine(case.workflow_key).fire(
        case, trigger, data_for(spec.scope, trigger, at) if data is None else data, at, recorded_at=REC, actor="test",
        params=registry.params_for(case.workflow_key, case.jurisdiction), automatic=spec.transitions[trigger].auto,
    ).case
