"""The annual summary assembled from known logs (no database): which cases count, hours, quotes, outcomes, year edges."""

from __future__ import annotations

from typing import Any

from engine.case import ASSIGNMENT, INVOLVEMENT, OPENED, TRANSITION, Event
from engine.summary import CaseRecord, assemble, state_at_end_of
from engine.times import parse_at

REC = parse_at("2027-01-05")
ME, OTHER = 7, 8


def ev(case_id: int, seq: int, kind: str, at: str, *, who: int | None = ME, trigger: str = "", to: str = "",
       activity: str = "", hours: float = 0.0, state: str = "", note: str = "", data: dict[str, Any] | None = None) -> Event:
    payload = data or ({"activity": activity, "hours": hours, "state": state} if kind == INVOLVEMENT else {})
    return Event(case_id, seq, kind, parse_at(at), REC, "t", trigger=trigger, to_state=to, counselor_id=who,
                 data=payload, note=note)


def walked(case_id: int) -> tuple[Event, ...]:
    """Opened by me on 2 March 2026, effective by May, with my logs (12.5 hours) and one by someone else."""
    steps = [("send_offer", "offer_sent", "2026-03-02"), ("accept", "accepted", "2026-03-10"),
             ("sign", "signed", "2026-04-20"), ("file", "filed", "2026-04-24"), ("pass_review", "effective", "2026-05-06")]
    events = [ev(case_id, 1, OPENED, "2026-03-01")]
    events += [ev(case_id, i, TRANSITION, at, trigger=t, to=s, who=None) for i, (t, s, at) in enumerate(steps, start=2)]
    n = len(events) + 1
    events += [
        ev(case_id, n, INVOLVEMENT, "2026-03-03", activity="contact_management", hours=2.0, state="offer_sent", note="上门沟通"),
        ev(case_id, n + 1, INVOLVEMENT, "2026-04-02T14:00", activity="attend_round", hours=3.5, state="negotiating",
           note="列席第一轮"),
        ev(case_id, n + 2, INVOLVEMENT, "2026-04-02T18:00", activity="difficulty", hours=1.0, state="negotiating",
           note="企业方坚持增幅3%"),
        ev(case_id, n + 3, INVOLVEMENT, "2026-04-03", activity="solution", hours=1.5, state="negotiating",
           note="引用工资指导线，双方各让一步"),
        ev(case_id, n + 4, INVOLVEMENT, "2026-12-31T23:30", activity="outcome", hours=4.5, state="effective",
           note="合同生效，工资增长5%"),
        ev(case_id, n + 5, INVOLVEMENT, "2027-01-01T00:30", activity="outcome", hours=9.0, state="effective",
           note="next year (local time)"),
        ev(case_id, n + 6, INVOLVEMENT, "2026-04-05", who=OTHER, activity="attend_round", hours=6.0, state="negotiating",
           note="someone else"),
    ]
    return tuple(events)


def records() -> list[CaseRecord]:
    return [
        CaseRecord(1, "91320505000000001X", "甲公司", 120, "targeted", walked(1)),
        # Someone else's case where I only logged a difficulty: guided, not assigned; stays at offer_sent.
        CaseRecord(2, "91320505000000002X", "乙公司", 30, "targeted", (
            ev(2, 1, OPENED, "2026-03-01", who=OTHER),
            ev(2, 2, TRANSITION, "2026-03-02", trigger="send_offer", to="offer_sent", who=OTHER),
            ev(2, 3, INVOLVEMENT, "2026-03-05", activity="difficulty", hours=1.0, state="offer_sent", note="企业拒收要约书"),
        )),
        # Assigned to me, but nothing happened in 2026: not in the 2026 summary.
        CaseRecord(3, "91320505000000003X", "丙公司", 80, "targeted", (ev(3, 1, OPENED, "2025-06-01"),)),
        # Someone else's, never touched by me: not mine.
        CaseRecord(4, "91320505000000004X", "丁公司", 500, "targeted", (
            ev(4, 1, OPENED, "2026-03-01", who=OTHER),
            ev(4, 2, TRANSITION, "2026-03-02", trigger="send_offer", to="offer_sent", who=OTHER),
        )),
        # Assigned to me during 2026 by a manager, then moved on by others: guided (an assignment to me in the year).
        CaseRecord(5, "91320505000000005X", "戊公司", 60, "targeted", (
            ev(5, 1, OPENED, "2025-11-01", who=OTHER),
            ev(5, 2, ASSIGNMENT, "2026-02-01", who=ME, data={"from": OTHER, "to": ME}),
            ev(5, 3, TRANSITION, "2026-03-02", trigger="send_offer", to="offer_sent", who=None),
        )),
    ]


def summary(year: int = 2026) -> dict[str, Any]:
    return assemble({"id": ME, "name": "王建国", "kind": "full_time"}, year, records(), assigned={1, 3})


def test_cases_guided_are_those_logged_acted_on_or_assigned_in_the_year() -> None:
    doc = summary()
    assert [c["case_id"] for c in doc["cases"]] == [1, 2, 5]
    assert [c["case_id"] for c in summary(2025)["cases"]] == [3]


def test_each_case_shows_how_far_it_went_and_my_hours_on_it() -> None:
    by_id = {c["case_id"]: c for c in summary()["cases"]}
    assert (by_id[1]["from_state"], by_id[1]["state"], by_id[1]["hours"], by_id[1]["entries"]) == (None, "effective", 12.5, 5)
    assert by_id[1]["steps"] == ["send_offer", "accept", "sign", "file", "pass_review"]
    assert (by_id[2]["state"], by_id[2]["hours"]) == ("offer_sent", 1.0)
    assert (by_id[5]["from_state"], by_id[5]["state"], by_id[5]["hours"]) == ("targeted", "offer_sent", 0.0)


def test_hours_are_summed_by_activity_in_the_log_order_of_kinds_and_only_mine() -> None:
    doc = summary()
    assert doc["by_activity"] == {"contact_management": 2.0, "attend_round": 3.5, "difficulty": 2.0, "solution": 1.5,
                                  "outcome": 4.5}
    assert list(doc["by_activity"]) == ["contact_management", "attend_round", "difficulty", "solution", "outcome"]
    assert doc["hours"] == 13.5
    assert doc["entries_by_activity"]["difficulty"] == 2


def test_difficulties_and_solutions_are_quoted_from_the_log_in_date_order() -> None:
    doc = summary()
    assert [(q["case_id"], q["at"], q["note"]) for q in doc["difficulties"]] == [
        (2, "2026-03-05", "企业拒收要约书"), (1, "2026-04-02", "企业方坚持增幅3%")]
    assert [(q["case_id"], q["at"], q["note"]) for q in doc["solutions"]] == [(1, "2026-04-03", "引用工资指导线，双方各让一步")]
    assert doc["difficulties"][1]["state"] == "negotiating"


def test_outcomes_count_contracts_signed_in_force_and_their_workers() -> None:
    assert summary()["outcomes"] == {"signed": 1, "effective": 1, "workers_covered": 120}
    assert summary(2025)["outcomes"] == {"signed": 0, "effective": 0, "workers_covered": 0}


def test_the_year_is_the_local_calendar_year() -> None:
    nxt = assemble({"id": ME, "name": "王建国", "kind": "full_time"}, 2027, records(), assigned={1, 3})
    assert nxt["by_activity"] == {"outcome": 9.0}
    # At the end of 2026 the contract was already in force; it stays counted as in force in 2027, not signed again.
    assert nxt["outcomes"] == {"signed": 0, "effective": 1, "workers_covered": 120}


def test_the_state_at_the_end_of_a_year_ignores_later_transitions() -> None:
    case = records()[0]
    assert state_at_end_of(case, 2025) == "targeted"
    assert state_at_end_of(case, 2026) == "effective"


def test_the_json_shape_has_the_keys_cli_md_fixes() -> None:
    doc = summary()
    assert {"counselor", "year", "cases", "hours", "by_activity", "difficulties", "solutions", "outcomes"} <= set(doc)
    assert {"id", "name", "kind"} <= set(doc["counselor"])
    assert {"case_id", "enterprise", "state", "hours"} <= set(doc["cases"][0])
    assert {"case_id", "at", "note"} <= set(doc["difficulties"][0])
