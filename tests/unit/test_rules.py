"""Every check of DOMAIN §3: passes at its boundary, refuses just past it, naming rule and source."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import DataError, NotAllowedError, RuleError
from tests.helpers.happy import fire, new_case, reps, walk_to

REPS_OK = {"worker_reps": reps(3, "职工"), "employer_reps": reps(3, "企业"), "recorder": "记录员"}


def refused(case: Any, trigger: str, data: dict[str, Any]) -> RuleError:
    with pytest.raises(RuleError) as exc:
        fire(case, trigger, data)
    return exc.value


def test_the_happy_path_reaches_effective() -> None:
    case = walk_to("effective")
    assert case.state == "effective"
    assert case.count("hold_round") == 1


def test_an_enterprise_without_a_union_can_only_be_offered_by_the_upper_level() -> None:
    err = refused(new_case(has_union=False), "send_offer", {"level": "enterprise"})
    assert err.rule == "offer_level_allowed"
    assert "劳动合同法 art. 51" in err.source
    assert fire(new_case(has_union=False), "send_offer", {"level": "upper"}).state == "offer_sent"


def test_offer_level_must_be_enterprise_or_upper() -> None:
    with pytest.raises(DataError, match="level"):
        fire(new_case(), "send_offer", {"level": "city"})


def test_missing_required_data_is_refused_by_key_name() -> None:
    with pytest.raises(DataError) as exc:
        fire(new_case(), "send_offer", {})
    assert "level" in exc.value.en


def test_unknown_data_keys_are_refused_with_a_suggestion() -> None:
    with pytest.raises(DataError) as exc:
        fire(new_case(), "send_offer", {"level": "upper", "levle": "x"})
    assert "levle" in exc.value.en


def test_a_trigger_not_allowed_says_which_triggers_are() -> None:
    with pytest.raises(NotAllowedError) as exc:
        fire(new_case(), "accept", {})
    assert "send_offer" in exc.value.en


def test_an_automatic_trigger_cannot_be_fired_by_hand() -> None:
    case = walk_to("offer_sent")
    with pytest.raises(NotAllowedError, match="automatic"):
        fire(case, "lapse_offer", {})


@pytest.mark.parametrize("n, ok", [(2, False), (3, True), (4, True)])
def test_each_side_needs_at_least_three_representatives(n: int, ok: bool) -> None:
    case = walk_to("topics_set")
    data = {"worker_reps": reps(n, "职工"), "employer_reps": reps(n, "企业"), "recorder": "记录员"}
    if ok:
        assert fire(case, "elect_reps", data).state == "reps_elected"
    else:
        err = refused(case, "elect_reps", data)
        assert err.rule == "reps_min_each_side" and err.source == "集体合同规定 art. 19"
        assert err.required == ">= 3" and err.actual == n


def test_both_sides_need_equal_numbers() -> None:
    err = refused(walk_to("topics_set"), "elect_reps", {**REPS_OK, "employer_reps": reps(4, "企业")})
    assert err.rule == "reps_equal_numbers"


@pytest.mark.parametrize("chiefs", [0, 2])
def test_each_side_needs_exactly_one_chief(chiefs: int) -> None:
    workers = reps(3, "职工")
    for i, r in enumerate(workers):
        r["chief"] = i < chiefs
    err = refused(walk_to("topics_set"), "elect_reps", {**REPS_OK, "worker_reps": workers})
    assert err.rule == "one_chief_each_side" and err.actual == chiefs


@pytest.mark.parametrize("n, outsiders, ok", [(3, 1, True), (3, 2, False), (6, 2, True), (6, 3, False), (5, 2, False)])
def test_outside_experts_are_at_most_a_third_of_a_side(n: int, outsiders: int, ok: bool) -> None:
    ext = tuple(range(1, outsiders + 1))
    data = {"worker_reps": reps(n, "职工", external=ext), "employer_reps": reps(n, "企业"), "recorder": "记录员"}
    case = walk_to("topics_set")
    if ok:
        assert fire(case, "elect_reps", data).state == "reps_elected"
    else:
        assert refused(case, "elect_reps", data).rule == "outsiders_at_most_share"


def test_a_chief_is_never_an_outside_expert() -> None:
    data = {**REPS_OK, "employer_reps": reps(3, "企业", chief=0, external=(0,))}
    err = refused(walk_to("topics_set"), "elect_reps", data)
    assert err.rule == "chief_not_outsider" and err.source == "集体合同规定 art. 23"


def test_nobody_represents_both_sides() -> None:
    employer = reps(3, "企业")
    employer[2]["name"] = "职工2"
    err = refused(walk_to("topics_set"), "elect_reps", {**REPS_OK, "employer_reps": employer})
    assert err.rule == "nobody_on_both_sides" and err.actual == ["职工2"]


def test_the_recorder_is_not_a_representative() -> None:
    err = refused(walk_to("topics_set"), "elect_reps", {**REPS_OK, "recorder": "企业1"})
    assert err.rule == "recorder_not_a_rep" and err.source == "集体合同规定 art. 33"


def test_the_worker_chief_is_the_union_chair_or_delegated_in_writing() -> None:
    case = walk_to("topics_set")
    err = refused(case, "elect_reps", {**REPS_OK, "union_chair": "张主席"})
    assert err.rule == "worker_chief_is_chair_or_delegated" and err.source == "集体合同规定 art. 20"
    assert fire(case, "elect_reps", {**REPS_OK, "union_chair": "张主席", "chief_delegated": "true"}).state == "reps_elected"
    assert fire(case, "elect_reps", {**REPS_OK, "union_chair": "职工1"}).state == "reps_elected"


def test_a_person_cannot_sit_twice_on_one_side() -> None:
    workers = reps(3, "职工")
    workers[1]["name"] = "职工1"
    with pytest.raises(DataError, match="twice"):
        fire(walk_to("topics_set"), "elect_reps", {**REPS_OK, "worker_reps": workers})


def test_a_draft_needs_a_round_held_first() -> None:
    negotiating = walk_to("negotiating")
    assert fire(negotiating, "agree_draft").state == "draft_agreed"
    back = fire(walk_to("draft_agreed"), "reject", {"body": "congress", "total": 60, "present": 39, "votes_for": 39})
    err = refused(back, "agree_draft", {})
    assert err.rule == "round_held_before_draft"
    assert fire(fire(back, "hold_round"), "agree_draft").state == "draft_agreed"


def test_rounds_are_numbered_without_gaps_and_chiefs_alternate() -> None:
    case = walk_to("reps_elected")
    assert refused(case, "hold_round", {"round": 2}).rule == "round_is_next"
    case = fire(case, "hold_round", {"chair": "worker"})
    assert case.last("hold_round")["round"] == 1  # type: ignore[index]
    assert refused(case, "hold_round", {"chair": "worker"}).rule == "chiefs_alternate"
    assert fire(case, "hold_round", {"chair": "employer"}).count("hold_round") == 2


VOTE = {"body": "congress", "total": 60}


@pytest.mark.parametrize("present, ok", [(39, False), (40, True), (60, True)])
def test_congress_attendance_is_at_least_two_thirds_of_all(present: int, ok: bool) -> None:
    case = walk_to("draft_agreed")
    data = {**VOTE, "present": present, "votes_for": 31}
    if ok:
        assert fire(case, "approve", data).state == "congress_approved"
    else:
        err = refused(case, "approve", data)
        assert err.rule == "quorum_met" and err.required == 40 and err.actual == 39
        assert err.source == "集体合同规定 art. 36"


@pytest.mark.parametrize("votes, ok", [(30, False), (31, True)])
def test_votes_for_exceed_half_of_all_not_of_those_present(votes: int, ok: bool) -> None:
    case = walk_to("draft_agreed")
    data = {**VOTE, "present": 40, "votes_for": votes}
    if ok:
        assert fire(case, "approve", data).state == "congress_approved"
    else:
        err = refused(case, "approve", data)
        assert err.rule == "majority_of_all" and err.required == 31


def test_vote_counts_must_be_consistent() -> None:
    err = refused(walk_to("draft_agreed"), "approve", {**VOTE, "present": 40, "votes_for": 41})
    assert err.rule == "vote_counts_consistent"


def test_a_rejection_is_refused_when_the_counts_carry_the_draft() -> None:
    err = refused(walk_to("draft_agreed"), "reject", {**VOTE, "present": 50, "votes_for": 40})
    assert err.rule == "vote_did_not_pass"


@pytest.mark.parametrize(
    "start, end, ok",
    [("2026-06-01", "2027-05-30", False), ("2026-06-01", "2027-05-31", True), ("2026-06-01", "2029-05-31", True),
     ("2026-06-01", "2029-06-01", False), ("2026-06-01", "2026-05-01", False),
     # 民法典 arts. 201-202, leap days included (issue #20 item 3)
     ("2026-04-01", "2029-04-01", False), ("2026-04-01", "2029-03-31", True),
     ("2028-02-29", "2029-02-27", False), ("2028-02-29", "2029-02-28", True),
     ("2028-02-29", "2031-02-28", True), ("2028-02-29", "2031-03-01", False),
     ("2027-03-01", "2028-02-27", False), ("2027-03-01", "2028-02-28", True), ("2026-03-01", "2027-02-28", True)],
)
def test_the_term_is_one_to_three_years_counted_as_the_civil_code_counts(start: str, end: str, ok: bool) -> None:
    case = walk_to("congress_approved")
    data = {"term_start": start, "term_end": end}
    if ok:
        assert fire(case, "sign", data).state == "signed"
    else:
        err = refused(case, "sign", data)
        assert err.rule == "term_within_limits" and err.source == "集体合同规定 art. 38"


def test_closing_needs_a_reason() -> None:
    refused_case = fire(walk_to("offer_sent"), "refuse", {"reason": "经营困难"})
    with pytest.raises(DataError, match="reason"):
        fire(refused_case, "close", {})
    assert fire(refused_case, "close", {"reason": "企业注销"}).state == "closed"


def test_an_event_may_be_back_dated_but_not_before_the_previous_event() -> None:
    case = walk_to("offer_sent")
    assert case.last_at is not None
    from datetime import timedelta

    from engine.registry import machines
    from tests.helpers.happy import REC

    with pytest.raises(RuleError) as exc:
        machines.machine(case.workflow_key).fire(case, "accept", {}, case.last_at - timedelta(hours=1), recorded_at=REC, actor="t")
    assert exc.value.rule == "events_in_order"


def test_received_on_cannot_precede_the_sending() -> None:
    err = refused(new_case(), "send_offer", {"level": "upper", "received_on": "2026-03-01"})
    assert err.rule == "received_not_before_sent"


def test_a_refusal_changes_nothing_on_the_case() -> None:
    case = walk_to("draft_agreed")
    before = (case.state, case.version, dict(case.facts))
    with pytest.raises(RuleError):
        fire(case, "approve", {**VOTE, "present": 10, "votes_for": 5})
    assert (case.state, case.version, dict(case.facts)) == before
    assert fire(case, "approve", {**VOTE, "present": 40, "votes_for": 31}).state == "congress_approved"


def test_refusals_read_in_both_languages_with_their_source() -> None:
    err = refused(walk_to("draft_agreed"), "approve", {**VOTE, "present": 39, "votes_for": 31})
    assert "出席 39 人" in err.message("zh") and "《集体合同规定》第三十六条" in err.message("zh")
    assert "art." not in err.message("zh") and "集体合同规定 art. 36" in err.message("en")
    assert "39 present" in err.message("en")
    payload = err.as_json()["error"]
    assert payload["rule"] == "quorum_met" and payload["required"] == 40 and payload["actual"] == 39
