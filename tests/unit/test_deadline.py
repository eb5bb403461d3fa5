"""A case's deadlines from its events, per workflow and jurisdiction profile. No database: cases are
played through the real machine in memory, at fixed instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from engine import registry
from engine.case import Case
from engine.deadline import Deadline, due_lapses, next_due
from engine.errors import RuleError
from engine.machine import Fired
from engine.registry import holidays, machines, policy
from engine.times import at_date
from engine.usecases.tick import lapse, period_end

RECORDED = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
LAST = max(holidays.known_years())
WAGE_RULE = "工资集体协商试行办法 art. 17; 集体合同规定 art. 32: 20 days from receipt"


class Play:
    """Fires triggers on one in-memory case, as a counselor would with `case advance`."""

    def __init__(self, workflow: str = "enterprise_wage@1", jurisdiction: str = "national") -> None:
        spec = registry.spec(workflow)
        self.case = Case(1, "91320505000000001T", spec.name, spec.version, spec.initial, jurisdiction)

    def __call__(self, trigger: str, day: date, **data: Any) -> Play:
        fired: Fired = machines.machine(self.case.workflow_key).fire(
            self.case, trigger, data, at_date(day), recorded_at=RECORDED, actor="test",
            params=registry.params_for(self.case.workflow_key, self.case.jurisdiction))
        self.case = fired.case
        return self

    def deadlines(self, as_of: date | None = None, **kw: Any) -> dict[str, Deadline]:
        return {d.kind: d for d in policy.for_case(self.case, as_of, **kw)}

    def to_signed(self, signed: date, term_end: date) -> Play:
        reps = [{"name": f"W{i}", "chief": i == 0} for i in range(3)]
        boss = [{"name": f"E{i}", "chief": i == 0} for i in range(3)]
        d = signed - timedelta(days=40)
        self("send_offer", d, level="upper")("accept", d + timedelta(days=2))
        self("set_topics", d + timedelta(days=3), topics=["工资调整幅度"])
        self("elect_reps", d + timedelta(days=4), worker_reps=reps, employer_reps=boss, recorder="R")
        self("hold_round", d + timedelta(days=5))("agree_draft", d + timedelta(days=6))
        self("approve", d + timedelta(days=7), body="congress", total=60, present=45, votes_for=40)
        return self("sign", signed, term_start=signed, term_end=term_end)


def test_the_reply_is_due_20_days_after_receipt_after_national_day_with_its_rule() -> None:
    p = Play()("send_offer", date(2026, 9, 12), level="upper", received_on="2026-09-13")
    d = p.deadlines(date(2026, 10, 8))["offer_reply"]
    assert d.due == date(2026, 10, 8) and d.starts_on == date(2026, 9, 13)
    assert d.rule == WAGE_RULE
    assert d.rule_zh == "工资集体协商试行办法 art. 17; 集体合同规定 art. 32：自收到要约之日起20日"
    assert (d.status, d.pending, d.lapse, d.provisional) == ("open", True, "lapse_offer", False)
    assert p.deadlines(date(2026, 10, 9))["offer_reply"].status == "overdue"


def test_the_reply_period_ends_on_a_make_up_working_saturday() -> None:
    p = Play()("send_offer", date(2026, 9, 20), level="upper")  # received the day it was sent
    assert p.deadlines(date(2026, 9, 21))["offer_reply"].due == date(2026, 10, 10)


def test_a_reply_in_time_meets_the_deadline_and_a_late_one_does_not() -> None:
    on_time = Play()("send_offer", date(2026, 9, 13), level="upper")("accept", date(2026, 10, 8))
    d = on_time.deadlines(date(2026, 11, 1))["offer_reply"]
    assert (d.status, d.pending, d.ended_by, d.ended_on) == ("met", False, "accept", date(2026, 10, 8))
    refused = Play()("send_offer", date(2026, 9, 13), level="upper")("refuse", date(2026, 9, 20), reason="经营困难")
    assert refused.deadlines(date(2026, 11, 1))["offer_reply"].status == "met"  # a written refusal is a reply
    late = Play()("send_offer", date(2026, 9, 13), level="upper")("accept", date(2026, 10, 9))
    d = late.deadlines(date(2026, 11, 1))["offer_reply"]
    assert (d.status, d.pending, d.ended_by) == ("overdue", False, "accept")


def test_a_reoffer_starts_a_new_reply_period() -> None:
    p = Play()("send_offer", date(2026, 3, 2), level="upper")("refuse", date(2026, 3, 5), reason="不同意")
    p("reoffer", date(2026, 4, 1), level="upper")
    d = p.deadlines(date(2026, 4, 2))["offer_reply"]
    assert (d.starts_on, d.due, d.status, d.pending) == (date(2026, 4, 1), date(2026, 4, 21), "open", True)


@pytest.mark.parametrize("jurisdiction, received, due, rule", [
    ("national", "2026-09-13", date(2026, 10, 8), WAGE_RULE),
    ("shanghai", "2026-09-13", date(2026, 9, 28), "上海市集体合同条例 art. 15: 15 days from receipt"),
    ("zhejiang", "2026-09-13", date(2026, 9, 24), "浙江省集体合同条例 art. 7: 10 working days from receipt"),
    ("zhejiang", "2026-09-20", date(2026, 10, 10), "浙江省集体合同条例 art. 7: 10 working days from receipt"),
    ("henan", "2026-09-20", date(2026, 10, 10), "河南省企业工资集体协商条例 art. 21: 10 working days from receipt"),
    ("chongqing", "2026-09-13", date(2026, 10, 8), "重庆市集体合同条例 art. 19: 20 days from receipt"),
    ("beijing", "2026-09-13", date(2026, 10, 8), "北京市集体合同条例 art. 32: 20 days from receipt"),
    ("shandong", "2026-09-13", date(2026, 9, 23), "山东省企业工资集体协商条例 art. 21: 10 days from receipt"),
])
def test_each_jurisdiction_sets_its_reply_period(jurisdiction: str, received: str, due: date, rule: str) -> None:
    p = Play(jurisdiction=jurisdiction)("send_offer", date(2026, 9, 13), level="upper", received_on=received)
    d = p.deadlines(date(2026, 9, 14))["offer_reply"]
    assert (d.due, d.rule) == (due, rule)


def test_henan_wage_rules_do_not_apply_to_a_comprehensive_contract() -> None:
    p = Play("enterprise_collective@1", "henan")("send_offer", date(2026, 9, 13), level="upper")
    assert p.deadlines(date(2026, 9, 14))["offer_reply"].rule == "集体合同规定 art. 32: 20 days from receipt"


@pytest.mark.parametrize("workflow, jurisdiction, due, rule", [
    ("enterprise_wage@1", "national", date(2026, 6, 8), "工资集体协商试行办法 art. 21: 7 days from signing"),
    ("enterprise_collective@1", "national", date(2026, 6, 11), "集体合同规定 art. 42: 10 days from signing"),
    ("enterprise_wage@1", "henan", date(2026, 6, 8), "河南省企业工资集体协商条例 art. 28: 5 working days from signing"),
    ("enterprise_wage@1", "shandong", date(2026, 6, 11), "山东省企业工资集体协商条例 art. 29: 10 days from signing"),
    ("enterprise_wage@1", "zhejiang", date(2026, 6, 11), "浙江省集体合同条例 art. 34: 10 days from signing"),
])
def test_filing_is_due_7_days_after_signing_a_wage_agreement_and_10_for_a_collective_contract(
        workflow: str, jurisdiction: str, due: date, rule: str) -> None:
    p = Play(workflow, jurisdiction).to_signed(date(2026, 6, 1), date(2027, 5, 31))
    d = p.deadlines(date(2026, 6, 2))["filing"]
    assert (d.due, d.rule, d.status, d.pending) == (due, rule, "open", True)
    p("file", date(2026, 6, 5), authority="人社局")
    assert p.deadlines(date(2026, 7, 1))["filing"].status == "met"


def test_review_runs_from_receipt_and_publication_from_taking_effect() -> None:
    p = Play().to_signed(date(2026, 6, 1), date(2027, 5, 31))
    p("file", date(2026, 6, 5), authority="人社局", received_on="2026-06-08")
    review = p.deadlines(date(2026, 6, 9))["review"]
    assert (review.starts_on, review.due, review.lapse) == (date(2026, 6, 8), date(2026, 6, 23), "lapse_review")
    p("pass_review", date(2026, 6, 20))
    found = p.deadlines(date(2026, 6, 26))
    assert found["review"].status == "met"
    pub = found["publication"]
    assert (pub.starts_on, pub.due, pub.status, pub.pending) == (date(2026, 6, 20), date(2026, 6, 25), "overdue", True)
    assert pub.rule == "工资集体协商试行办法 art. 23: 5 days from taking effect"
    p("publish", date(2026, 6, 28))
    assert p.deadlines(date(2026, 7, 1))["publication"].status == "overdue"  # published, but late


def test_a_comprehensive_contract_has_no_publication_deadline_and_a_three_month_renewal_window() -> None:
    p = Play("enterprise_collective@1").to_signed(date(2026, 6, 1), date(2027, 5, 31))
    p("file", date(2026, 6, 5))("pass_review", date(2026, 6, 10))
    found = p.deadlines(date(2026, 7, 1))
    assert "publication" not in found
    window = found["renewal_window"]
    assert (window.opens, window.due, window.status) == (date(2027, 2, 28), date(2027, 5, 31), "open")
    assert window.rule == "集体合同规定 art. 38: 3 months before expiry"


@pytest.mark.parametrize("jurisdiction, due, rule", [
    ("zhejiang", date(2026, 6, 17), "浙江省集体合同条例 art. 35: 5 working days from taking effect"),
    ("shandong", date(2026, 6, 17), "山东省企业工资集体协商条例 art. 31: 7 days from taking effect"),
])
def test_a_local_rule_sets_a_wage_agreement_s_publication_deadline(jurisdiction: str, due: date, rule: str) -> None:
    p = Play(jurisdiction=jurisdiction).to_signed(date(2026, 6, 1), date(2027, 5, 31))
    p("file", date(2026, 6, 5))("pass_review", date(2026, 6, 10))
    d = p.deadlines(date(2026, 6, 11))["publication"]
    assert (d.due, d.rule) == (due, rule)


@pytest.mark.parametrize("jurisdiction, due, rule", [
    ("zhejiang", date(2026, 6, 17), "浙江省集体合同条例 art. 35: 5 working days from taking effect"),
    ("chongqing", date(2026, 6, 22), "重庆市集体合同条例 art. 29: 10 days from taking effect"),
])
def test_a_local_rule_gives_a_comprehensive_contract_a_publication_deadline(jurisdiction: str, due: date, rule: str) -> None:
    p = Play("enterprise_collective@1", jurisdiction).to_signed(date(2026, 6, 1), date(2027, 5, 31))
    p("file", date(2026, 6, 5))("pass_review", date(2026, 6, 10))  # Dragon Boat Festival: 06-19 .. 06-21
    d = p.deadlines(date(2026, 6, 11))["publication"]
    assert (d.due, d.rule) == (due, rule)


@pytest.mark.parametrize("jurisdiction, opens", [("national", date(2027, 4, 1)), ("zhejiang", date(2027, 3, 2))])
def test_the_wage_renewal_window_opens_60_days_before_expiry_and_90_in_zhejiang(jurisdiction: str, opens: date) -> None:
    p = Play(jurisdiction=jurisdiction).to_signed(date(2026, 6, 1), date(2027, 5, 31))
    p("file", date(2026, 6, 5))("pass_review", date(2026, 6, 10))
    window = p.deadlines(date(2026, 7, 1))["renewal_window"]
    assert (window.opens, window.due, window.pending) == (opens, date(2027, 5, 31), True)
    renewed = p.deadlines(date(2027, 6, 2), renewal_offered_on=date(2027, 4, 15))["renewal_window"]
    assert (renewed.status, renewed.ended_by, renewed.pending) == ("met", "renewal", False)
    assert p.deadlines(date(2027, 6, 2))["renewal_window"].status == "overdue"


def test_dispute_coordination_runs_30_days_and_one_extension_of_at_most_15() -> None:
    # version 2: settling a refusal dispute returns the case to accepted (on v1 it is refused: engine/lawful.py)
    p = Play("enterprise_wage@2")("send_offer", date(2026, 3, 2), level="upper")("refuse", date(2026, 3, 5), reason="拒绝")
    p("dispute", date(2026, 3, 6), accepted_on="2026-03-09")
    d = p.deadlines(date(2026, 3, 10))["dispute_coordination"]
    assert (d.due, d.rule) == (date(2026, 4, 8), "集体合同规定 art. 52: 30 days from acceptance of the application")
    with pytest.raises(RuleError) as exc:
        p("extend_coordination", date(2026, 4, 1), days=16)
    assert exc.value.source == "集体合同规定 art. 52" and exc.value.required == "1..15"
    p("extend_coordination", date(2026, 4, 1), days=15)
    d = p.deadlines(date(2026, 4, 10))["dispute_coordination"]
    assert d.due == date(2026, 4, 23) and d.status == "open"
    assert d.rule.endswith("extended by 15 days")
    with pytest.raises(RuleError, match="only once"):
        p("extend_coordination", date(2026, 4, 2), days=1)
    p("settle", date(2026, 4, 20))
    assert p.deadlines(date(2026, 5, 1))["dispute_coordination"].status == "met" and p.case.state == "accepted"


def test_chongqing_coordinates_for_60_days_and_extends_by_up_to_30() -> None:
    p = Play(jurisdiction="chongqing")("send_offer", date(2026, 3, 2), level="upper")("refuse", date(2026, 3, 5))
    p("dispute", date(2026, 3, 9))
    assert p.deadlines(date(2026, 3, 10))["dispute_coordination"].due == date(2026, 5, 8)
    p("extend_coordination", date(2026, 5, 1), days=30)
    d = p.deadlines(date(2026, 5, 2))["dispute_coordination"]
    assert d.due == date(2026, 6, 8)  # 90 days: 06-07 is a Sunday
    assert d.rule == "重庆市集体合同条例 art. 48: 60 days from acceptance of the application, extended by 30 days"


def _negotiating(jurisdiction: str) -> Play:
    p = Play(jurisdiction=jurisdiction)("send_offer", date(2026, 3, 2), level="upper")("accept", date(2026, 3, 5))
    p("set_topics", date(2026, 3, 6), topics=["工资"])
    reps = [{"name": f"W{i}", "chief": i == 0} for i in range(3)]
    boss = [{"name": f"E{i}", "chief": i == 0} for i in range(3)]
    return p("elect_reps", date(2026, 3, 7), worker_reps=reps, employer_reps=boss, recorder="R")("hold_round", date(2026, 3, 9))


def test_a_suspension_has_a_deadline_only_where_a_profile_caps_it() -> None:
    national = _negotiating("national")("suspend", date(2026, 3, 10), resume_on="2026-08-01")
    assert "suspension" not in national.deadlines(date(2026, 3, 11))
    zhejiang = _negotiating("zhejiang")("suspend", date(2026, 3, 10), resume_on="2026-04-20")
    d = zhejiang.deadlines(date(2026, 3, 11))["suspension"]
    assert (d.due, d.rule) == (date(2026, 5, 9), "浙江省企业民主管理条例 art. 29: 60 days from the suspension, at most")
    zhejiang("resume", date(2026, 4, 20))
    assert zhejiang.deadlines(date(2026, 6, 1))["suspension"].status == "met"


def test_zhejiang_refuses_a_suspension_longer_than_60_days_citing_its_regulation() -> None:
    p = _negotiating("zhejiang")
    with pytest.raises(RuleError) as exc:
        p("suspend", date(2026, 3, 10), resume_on="2026-05-10")
    assert exc.value.source == "浙江省企业民主管理条例 art. 29" and exc.value.required == "<= 2026-05-09"
    p("suspend", date(2026, 3, 10), resume_on="2026-05-09")
    assert p.case.state == "suspended"


@pytest.mark.parametrize("jurisdiction, passes", [("national", False), ("shanghai", True), ("zhejiang", False)])
def test_exactly_half_of_all_representatives_carries_the_vote_only_in_shanghai(jurisdiction: str, passes: bool) -> None:
    p = _negotiating(jurisdiction)("agree_draft", date(2026, 3, 20))
    vote = {"body": "congress", "total": 60, "present": 45, "votes_for": 30}
    if passes:
        assert p("approve", date(2026, 3, 25), **vote).case.state == "congress_approved"
    else:
        with pytest.raises(RuleError) as exc:
            p("approve", date(2026, 3, 25), **vote)
        assert exc.value.required == 31


def test_a_due_date_in_an_unknown_year_is_provisional_and_names_the_year() -> None:
    p = Play()("send_offer", date(LAST, 12, 20), level="upper")
    d = p.deadlines(date(LAST, 12, 21))["offer_reply"]
    assert d.provisional and d.missing_years == (LAST + 1,)
    assert str(LAST + 1) in d.warning("en") and f"data/holidays/{LAST + 1}.toml" in d.warning("zh")
    assert d.as_json()["provisional"] is True and str(LAST + 1) in d.as_json()["warning"]
    assert d.floor == date(LAST + 1, 1, 9) <= d.due  # the earliest it could be, whatever the holidays


def test_the_tick_lapses_an_unanswered_offer_at_the_end_of_the_due_day() -> None:
    p = Play()("send_offer", date(2026, 9, 13), level="upper")
    assert lapse(p.case, date(2026, 10, 8), RECORDED)[0] is None  # the last day is not over yet
    change, applied, waiting = lapse(p.case, date(2026, 10, 9), RECORDED)
    assert change is not None and not waiting
    (event,) = change.events
    assert (event.trigger, event.to_state, event.actor) == ("lapse_offer", "refused", "system")
    assert event.occurred_at == period_end(date(2026, 10, 8)) == datetime.fromisoformat("2026-10-09T00:00:00+08:00")
    assert applied[0].rule == WAGE_RULE
    after = {d.kind: d for d in policy.for_case(change.case, date(2026, 10, 9))}["offer_reply"]
    assert (after.status, after.pending, after.ended_by) == ("overdue", False, "lapse_offer")


def test_the_tick_chains_a_lapsed_review_and_an_ended_term_in_order() -> None:
    p = Play().to_signed(date(2025, 3, 1), date(2026, 2, 28))
    p("file", date(2025, 3, 3), received_on="2025-03-04")
    change, applied, _ = lapse(p.case, date(2026, 3, 10), RECORDED)
    assert [a.trigger for a in applied] == ["lapse_review", "expire"]
    assert change is not None and change.case.state == "expired"
    review_end, term_end = (e.occurred_at for e in change.events)
    assert review_end == period_end(date(2025, 3, 19))
    assert term_end == period_end(date(2026, 2, 28))  # the term's own end, not moved off a Saturday


def test_the_tick_waits_for_holiday_data_rather_than_guessing() -> None:
    p = Play()("send_offer", date(LAST, 12, 20), level="upper")
    change, applied, waiting = lapse(p.case, date(LAST + 1, 3, 1), datetime(LAST + 1, 3, 1, tzinfo=UTC))
    assert change is None and not applied
    assert [(w.kind, w.missing_years) for w in waiting] == [("offer_reply", (LAST + 1,))]


def test_the_next_due_column_is_the_earliest_pending_deadline() -> None:
    p = Play().to_signed(date(2026, 6, 1), date(2027, 5, 31))
    assert next_due(policy.for_case(p.case, None)) == date(2026, 6, 8)
    p("file", date(2026, 6, 5))("pass_review", date(2026, 6, 10))
    found = policy.for_case(p.case, None)
    assert next_due(found) == date(2026, 6, 15)  # publication, before the renewal window and the term end
    assert policy.columns(p.case)["next_due"] == date(2026, 6, 15)
    assert policy.columns(p.case)["lapse_due"] == date(2027, 5, 31)  # only the term's end fires a transition
    assert due_lapses(found, date(2027, 6, 1))[0].kind == "term_end"

