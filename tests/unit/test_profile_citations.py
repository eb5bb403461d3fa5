"""Citations follow the profile (issue #20 item 4): every parameter a jurisdiction profile overrides is run at
its boundary, under every shipped workflow it applies to, and the refusal or the due date cites the source
written in the profile (the local article), not the national one. A parameter a profile sets that no rule
reads must be listed as informational here, so that a new number cannot slip in unchecked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from engine import registry
from engine.case import Case
from engine.deadline import MET, OVERDUE
from engine.errors import RuleError
from engine.registry import policy
from engine.rules import term_last_day
from engine.spec import Param
from tests.helpers.happy import new_case, reps, step

INFORMATIONAL = {"term_default_years", "bargaining_period_days"}  # documented; no rule reads them
WORKFLOWS = ("enterprise_wage", "enterprise_collective", "regional_wage")


def opened(key: str, jurisdiction: str) -> Case:
    name, _, version = key.partition("@")
    return new_case(workflow=name, version=int(version), jurisdiction=jurisdiction)


def walk(case: Case, *triggers: str) -> Case:
    for t in triggers:
        case = step(case, t)
    return case


TO_DRAFT = ("send_offer", "accept", "set_topics", "elect_reps", "hold_round", "agree_draft")
TO_SIGN = (*TO_DRAFT, "approve")


def refused(case: Case, trigger: str, data: dict[str, Any]) -> RuleError:
    with pytest.raises(RuleError) as exc:
        step(case, trigger, data)
    return exc.value


def deadline_of(case: Case, kind: str, p: Param) -> None:
    """The deadline is computed with the param and cites its source; met on its due day, overdue the day after."""
    d = next(x for x in policy.for_case(case, None) if x.kind == kind)
    assert d.source == p.source and d.rule.startswith(p.source), (kind, d.rule)
    if not registry.spec(case.workflow_key).deadlines[kind].before:
        on_due, after = policy.for_case(case, d.due), policy.for_case(case, d.due + timedelta(days=1))
        assert next(x for x in on_due if x.kind == kind).status != OVERDUE
        assert next(x for x in after if x.kind == kind).status in (OVERDUE, MET)


def reply_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, "send_offer"), "offer_reply", p)


def filing_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, *TO_SIGN, "sign"), "filing", p)


def review_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, *TO_SIGN, "sign", "file"), "review", p)


def publication_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, *TO_SIGN, "sign", "file", "pass_review"), "publication", p)


def renewal_window_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, *TO_SIGN, "sign"), "renewal_window", p)


def dispute_days(case: Case, p: Param) -> None:
    deadline_of(walk(case, "send_offer", "refuse", "dispute"), "dispute_coordination", p)


def dispute_extension_days(case: Case, p: Param) -> None:
    disputed = walk(case, "send_offer", "refuse", "dispute")
    err = refused(disputed, "extend_coordination", {"days": int(p.value) + 1})
    assert err.rule == "extension_once_within_cap" and err.source == p.source
    extended = step(disputed, "extend_coordination", {"days": int(p.value)})
    d = next(x for x in policy.for_case(extended, None) if x.kind == "dispute_coordination")
    assert p.source in d.rule


def suspension_max_days(case: Case, p: Param) -> None:
    bargaining = walk(case, *TO_DRAFT[:5])
    at = (bargaining.last_at or bargaining.last_at)
    assert at is not None
    start = (at + timedelta(days=1)).date()
    err = refused(bargaining, "suspend", {"resume_on": (start + timedelta(days=int(p.value) + 1)).isoformat()})
    assert err.rule == "suspension_within_cap" and err.source == p.source
    suspended = step(bargaining, "suspend", {"resume_on": (start + timedelta(days=int(p.value))).isoformat()})
    deadline_of(suspended, "suspension", p)


def elect(case: Case, n: int, **extra: Any) -> dict[str, Any]:
    """n a side, a third of the workers (rounded up) front-line (山东 art. 7)."""
    workers = [{**r, "frontline": i < -(-n // 3)} for i, r in enumerate(reps(n, "职工"))]
    return {"worker_reps": workers, "employer_reps": reps(n, "企业"), "recorder": "记录员", **extra}


def min_reps(case: Case, p: Param) -> None:
    ready = walk(case, "send_offer", "accept", "set_topics")
    err = refused(ready, "elect_reps", elect(ready, int(p.value) - 1))
    assert err.rule == "reps_min_each_side" and err.source == p.source
    assert step(ready, "elect_reps", elect(ready, int(p.value))).state == "reps_elected"


def max_reps(case: Case, p: Param) -> None:
    ready = walk(case, "send_offer", "accept", "set_topics")
    err = refused(ready, "elect_reps", elect(ready, int(p.value) + 1))
    assert err.rule == "reps_at_most_each_side" and err.source == p.source
    assert step(ready, "elect_reps", elect(ready, int(p.value))).state == "reps_elected"


def frontline_share(case: Case, p: Param) -> None:
    ready = walk(case, "send_offer", "accept", "set_topics")
    n = 6
    need = -(-p.fraction().numerator * n // p.fraction().denominator)
    workers = [{**r, "frontline": i < need - 1} for i, r in enumerate(reps(n, "职工"))]
    err = refused(ready, "elect_reps", {**elect(ready, n), "worker_reps": workers})
    assert err.rule == "frontline_share_met" and err.source == p.source and err.required == need
    workers = [{**r, "frontline": i < need} for i, r in enumerate(reps(n, "职工"))]
    assert step(ready, "elect_reps", {**elect(ready, n), "worker_reps": workers}).state == "reps_elected"


def vote_data(case: Case, **counts: int) -> dict[str, Any]:
    regional = registry.spec(case.workflow_key).scope == "regional"
    return {"body": "congress", "total": 60, **counts, **({"managers": 5} if regional else {})}


def attendance_share(case: Case, p: Param) -> None:
    draft = walk(case, *TO_DRAFT)
    need = -(-p.fraction().numerator * 60 // p.fraction().denominator)
    err = refused(draft, "approve", vote_data(draft, present=need - 1, votes_for=need - 1))
    assert err.rule == "quorum_met" and err.source == p.source
    assert step(draft, "approve", vote_data(draft, present=need, votes_for=need)).state == "congress_approved"


def vote(case: Case, p: Param) -> None:
    draft = walk(case, *TO_DRAFT)
    least = 30 if p.value == "at_least_half" else 31
    err = refused(draft, "approve", vote_data(draft, present=60, votes_for=least - 1))
    assert err.rule == "majority_of_all" and err.source == p.source
    assert step(draft, "approve", vote_data(draft, present=60, votes_for=least)).state == "congress_approved"


def manager_share(case: Case, p: Param) -> None:
    draft = walk(case, *TO_DRAFT)
    most = p.fraction().numerator * 60 // p.fraction().denominator
    err = refused(draft, "approve", {**vote_data(draft, present=60, votes_for=40), "managers": most + 1})
    assert err.rule == "managers_at_most_share" and err.source == p.source
    assert step(draft, "approve", {**vote_data(draft, present=60, votes_for=40), "managers": most}).state == "congress_approved"


def term(case: Case, p: Param, longest: bool) -> None:
    approved = walk(case, *TO_SIGN)
    start = date(2028, 2, 29)
    last = term_last_day(start, int(p.value))
    beyond = last + timedelta(days=1) if longest else last - timedelta(days=1)
    err = refused(approved, "sign", {"term_start": start.isoformat(), "term_end": beyond.isoformat()})
    assert err.rule == "term_within_limits" and err.source == p.source
    assert step(approved, "sign", {"term_start": start.isoformat(), "term_end": last.isoformat()}).state == "signed"


def term_max_years(case: Case, p: Param) -> None:
    term(case, p, longest=True)


def term_min_years(case: Case, p: Param) -> None:
    term(case, p, longest=False)


SCENARIOS: dict[str, Callable[[Case, Param], None]] = {
    f.__name__: f for f in (reply_days, filing_days, review_days, publication_days, renewal_window_days, dispute_days,
                            dispute_extension_days, suspension_max_days, min_reps, max_reps, frontline_share,
                            attendance_share, vote, manager_share, term_max_years, term_min_years)
}


def overrides() -> list[tuple[str, str, str]]:
    """(profile, workflow key, param) for every number a profile sets for a workflow that has (or reads) it."""
    out = []
    for name, prof in sorted(registry.profiles().items()):
        for wf in WORKFLOWS:
            key = registry.spec(wf).key
            for param in sorted({**prof.params, **prof.per_workflow.get(wf, {})}):
                out.append((name, key, param))
    return out


@pytest.mark.parametrize("jurisdiction, key, param", overrides())
def test_every_overridden_number_is_applied_at_its_boundary_and_cites_the_profile(jurisdiction: str, key: str, param: str) -> None:
    prof = registry.profile(jurisdiction)
    written = prof.per_workflow.get(key.partition("@")[0], {}).get(param) or prof.params[param]
    applied = registry.params_for(key, jurisdiction)[param]
    assert applied.source == written.source and applied.value == written.value
    if param in INFORMATIONAL:
        return
    assert param in SCENARIOS, f"{jurisdiction}: {param} is neither checked here nor listed as informational"
    if applied.unit == "none":  # a profile that removes a day count: no deadline to cite
        return
    if param == "manager_share" and registry.spec(key).scope != "regional":
        return  # only the regional congress has managers
    if param == "frontline_share" and "frontline_share_met" not in {c.rule for c in registry.spec(key).transitions["elect_reps"].checks}:
        return
    SCENARIOS[param](opened(key, jurisdiction), applied)


def test_a_zhejiang_vote_refusal_cites_the_zhejiang_regulation_and_a_national_one_the_national_rules() -> None:
    zj = refused(walk(opened("enterprise_wage@2", "zhejiang"), *TO_DRAFT), "approve",
                 {"body": "congress", "total": 60, "present": 60, "votes_for": 30})
    assert "浙江省集体合同条例 art. 24" in zj.source and "集体合同规定" not in zj.source
    cn = refused(walk(opened("enterprise_wage@2", "national"), *TO_DRAFT), "approve",
                 {"body": "congress", "total": 60, "present": 60, "votes_for": 30})
    assert "集体合同规定 art. 36" in cn.source


def test_a_shanghai_regional_congress_allows_thirty_percent_managers_citing_its_congress_regulation() -> None:
    draft = walk(opened("regional_wage@2", "shanghai"), *TO_DRAFT)
    err = refused(draft, "approve", {"body": "congress", "total": 60, "present": 60, "votes_for": 40, "managers": 19})
    assert err.source == "上海市职工代表大会条例 art. 41" and err.required == "<= 18"
    national = walk(opened("regional_wage@2", "national"), *TO_DRAFT)
    err = refused(national, "approve", {"body": "congress", "total": 60, "present": 60, "votes_for": 40, "managers": 13})
    assert err.source == "企业民主管理规定 art. 16" and err.required == "<= 12"
