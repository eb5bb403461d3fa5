"""engine.filing: the bundle's material from a case's events; nothing to file before signing."""

from __future__ import annotations

import pytest

from engine.case import TRANSITION, Event
from engine.errors import RefusedError
from engine.filing import Resolution, material, process_steps
from engine.registry import spec
from engine.times import parse_at
from tests.helpers.happy import walk_to


def _events(state: str) -> list[Event]:
    """The transitions of a case walked along the happy path, rebuilt from its facts (each trigger fired once)."""
    case = walk_to(state)
    out = []
    for trigger, entry in case.facts["last"].items():
        data = {k: v for k, v in entry.items() if k not in ("at", "seq")}
        out.append(Event(case.case_id, int(entry["seq"]), TRANSITION, parse_at(entry["at"]), parse_at(entry["at"]), "t",
                         trigger=trigger, data=data))
    return out


LABELS = {k: (t.zh, t.en) for k, t in spec("enterprise_wage").transitions.items()}


def test_two_thirds_present_exactly_is_a_quorum_and_half_the_votes_is_not_a_majority() -> None:
    from datetime import date

    assert Resolution(date(2026, 3, 9), "congress", 60, 40, 30).quorum
    assert not Resolution(date(2026, 3, 9), "congress", 60, 39, 31).quorum
    assert not Resolution(date(2026, 3, 9), "congress", 60, 40, 30).passed
    assert Resolution(date(2026, 3, 9), "congress", 60, 40, 31).passed


def test_the_process_is_told_in_time_order_with_what_each_step_carried() -> None:
    steps = process_steps(_events("filed"), LABELS)
    assert [s.trigger for s in steps][:3] == ["send_offer", "accept", "set_topics"]
    approve = next(s for s in steps if s.trigger == "approve")
    assert "应到 60 人，实到 40 人，赞成 31 票" in approve.detail_zh


def test_a_case_not_signed_has_nothing_to_file() -> None:
    with pytest.raises(RefusedError, match="signed"):
        material(case_id=1, enterprise="甲", credit_code="x", workflow=("工资", "wage"), events=_events("congress_approved"),
                 labels=LABELS, contract_text="合同")


def test_a_signed_case_gives_the_resolution_and_both_sides() -> None:
    m = material(case_id=1, enterprise="甲", credit_code="x", workflow=("工资", "wage"), events=_events("signed"),
                 labels=LABELS, contract_text="合同全文")
    assert (m.resolution.total, m.resolution.present, m.resolution.votes_for) == (60, 40, 31)
    assert [r["name"] for r in m.worker_reps] == ["职工1", "职工2", "职工3"] and m.recorder == "记录员"
    assert (m.term_start, m.term_end) == ("2026-06-01", "2027-05-31")
