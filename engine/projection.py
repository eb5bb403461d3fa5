"""A case's report columns, derived from its facts. Pure; the store writes them beside the case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from engine.case import Case
from engine.times import local_day

RESPONSES = {"accept": "accepted", "refuse": "refused", "lapse_offer": "lapsed"}


def _on(fact: Mapping[str, Any] | None) -> date | None:
    if not fact:
        return None
    return local_day(str(fact["at"]))


def _latest(case: Case, triggers: tuple[str, ...]) -> tuple[str, Mapping[str, Any]] | None:
    found = [(t, case.last(t)) for t in triggers if case.last(t)]
    if not found:
        return None
    trig, fact = max(found, key=lambda tf: int(tf[1]["seq"]))  # type: ignore[index]
    return trig, fact  # type: ignore[return-value]


def _d(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def project(case: Case) -> dict[str, Any]:
    """The report columns a case's facts give (the store adds the deadline columns: repository.case_columns)."""
    offer = case.last("send_offer")
    latest_offer = _latest(case, ("send_offer", "reoffer"))
    reply = _latest(case, tuple(RESPONSES))
    if reply and latest_offer and int(reply[1]["seq"]) < int(latest_offer[1]["seq"]):
        reply = None  # a re-offer awaits its own reply: the case is pending again
    settled = case.last("settle")
    response = RESPONSES[reply[0]] if reply else None
    if reply and response != "accepted" and settled and int(settled["seq"]) > int(reply[1]["seq"]):
        # A dispute over a refusal settled in coordination: the settlement (协调处理协议书, binding on both sides,
        # 集体合同规定 art. 54) takes the case to bargaining (enterprise_wage@2: settle -> accepted), an acceptance
        # on the day of the settlement.
        reply, response = ("settle", settled), "accepted"
    sign = case.last("sign")
    effect = _latest(case, ("pass_review", "lapse_review"))
    offered_on = _on(offer)
    return {
        "offer_year": offered_on.year if offered_on else None,
        "offered_on": offered_on,
        "offer_level": latest_offer[1].get("level") if latest_offer else None,
        "offer_received_on": (_d(latest_offer[1].get("received_on")) or _on(latest_offer[1])) if latest_offer else None,
        "response": response,
        "responded_on": _on(reply[1]) if reply else None,
        "signed_on": _on(sign),
        "filed_on": _on(case.last("file")),
        "effective_on": _on(effect[1]) if effect else None,
        "term_start": _d(sign.get("term_start")) if sign else None,
        "term_end": _d(sign.get("term_end")) if sign else None,
        "closed_on": _on(case.last("close")),
    }
