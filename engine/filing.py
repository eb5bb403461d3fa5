"""The filing bundle (报送审查材料, 工资集体协商试行办法 art. 21; 集体合同规定 art. 42) as data: the contract text, an
explanation of the bargaining process built from the case's events, the congress resolution with its attendance
and votes, and the representatives of both sides. Pure: the use case gathers, engine/outputs/filing_doc.py writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.case import TRANSITION, Event
from engine.errors import RefusedError
from engine.times import local_date

WCB21 = "工资集体协商试行办法 第二十一条"
CCR42 = "集体合同规定 第四十二条"
CCR36 = "集体合同规定 第三十六条"


@dataclass(frozen=True)
class ProcessStep:
    """One step of the bargaining as the explanation tells it."""

    on: date
    trigger: str
    zh: str
    en: str
    detail_zh: str = ""
    detail_en: str = ""


@dataclass(frozen=True)
class Resolution:
    """The congress (or all-staff assembly) vote on the draft (CCR art. 36)."""

    on: date
    body: str  # congress | assembly
    total: int
    present: int
    votes_for: int

    @property
    def quorum(self) -> bool:
        """At least two thirds of all members present (三分之二以上 includes two thirds)."""
        return self.present * 3 >= self.total * 2

    @property
    def passed(self) -> bool:
        """More than half of all members voted for."""
        return self.votes_for * 2 > self.total


@dataclass(frozen=True)
class FilingMaterial:
    """Everything the bundle shows, for one case."""

    case_id: int
    enterprise: str
    credit_code: str
    workflow_zh: str
    workflow_en: str
    contract_text: str
    steps: Sequence[ProcessStep]
    resolution: Resolution
    worker_reps: Sequence[Mapping[str, Any]]
    employer_reps: Sequence[Mapping[str, Any]]
    recorder: str
    term_start: str
    term_end: str
    signed_on: date
    original: tuple[str, bytes] | None = None  # (file name, bytes) of the attached contract file
    sha256: str = ""
    terms: Mapping[str, Any] = field(default_factory=dict)


def _detail(trigger: str, data: Mapping[str, Any]) -> tuple[str, str]:
    if trigger in ("send_offer", "reoffer"):
        level = data.get("level")
        return ("由上级工会发出要约" if level == "upper" else "由企业工会发出要约",
                "offer sent by the upper-level union" if level == "upper" else "offer sent by the enterprise union")
    if trigger == "set_topics":
        topics = data.get("topics") or []
        shown = "、".join(str(t) for t in topics) if isinstance(topics, list) else str(topics)
        opinions = data.get("opinions")
        return (f"议题：{shown}" + (f"；征求职工意见 {opinions} 条" if opinions else ""),
                f"topics: {shown}" + (f"; {opinions} staff opinions collected" if opinions else ""))
    if trigger == "elect_reps":
        w, e = len(data.get("worker_reps") or []), len(data.get("employer_reps") or [])
        return f"职工方代表 {w} 人，企业方代表 {e} 人", f"{w} worker and {e} employer representatives"
    if trigger == "hold_round":
        n, outcome = data.get("round"), data.get("outcome") or ""
        return (f"第 {n} 次协商会议" + (f"：{outcome}" if outcome else ""), f"meeting {n}" + (f": {outcome}" if outcome else ""))
    if trigger in ("approve", "reject"):
        return (f"应到 {data.get('total')} 人，实到 {data.get('present')} 人，赞成 {data.get('votes_for')} 票",
                f"{data.get('present')} of {data.get('total')} present, {data.get('votes_for')} for")
    if trigger == "sign":
        return (f"合同期限 {data.get('term_start')} 至 {data.get('term_end')}", f"term {data.get('term_start')} to {data.get('term_end')}")
    if trigger == "file":
        return f"报送 {data.get('authority') or '劳动保障行政部门'}", f"filed with {data.get('authority') or 'the labour administration'}"
    reason = data.get("reason")
    return (f"理由：{reason}", f"reason: {reason}") if reason else ("", "")


def process_steps(events: Sequence[Event], labels: Mapping[str, tuple[str, str]]) -> list[ProcessStep]:
    """The transitions of a case in time order, each with its label and what its data says."""
    out = []
    for e in sorted((e for e in events if e.kind == TRANSITION), key=lambda e: (e.occurred_at, e.seq)):
        zh, en = labels.get(e.trigger, (e.trigger, e.trigger))
        dz, de = _detail(e.trigger, e.data)
        out.append(ProcessStep(local_date(e.occurred_at), e.trigger, zh, en, dz, de))
    return out


def _last(events: Sequence[Event], trigger: str) -> Event | None:
    found = [e for e in events if e.kind == TRANSITION and e.trigger == trigger]
    return max(found, key=lambda e: e.seq) if found else None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def material(*, case_id: int, enterprise: str, credit_code: str, workflow: tuple[str, str], events: Sequence[Event],
             labels: Mapping[str, tuple[str, str]], contract_text: str, original: tuple[str, bytes] | None = None,
             sha256: str = "", terms: Mapping[str, Any] | None = None) -> FilingMaterial:
    """The bundle's material from a case's events; refused before the contract is signed (WCB art. 21: filed after signing)."""
    signed, approved, elected = _last(events, "sign"), _last(events, "approve"), _last(events, "elect_reps")
    if signed is None or approved is None:
        raise RefusedError("合同尚未经职代会通过并签字，不能报送审查", "the contract has not been approved and signed: nothing to file",
                           rule="filing.signed", source=f"{WCB21}；{CCR42}")
    if not contract_text.strip():
        raise RefusedError("案件没有合同文本", "the case has no contract text", rule="filing.text", source=CCR42,
                           hint_zh="先用 bargain contract attach 附上合同文本", hint_en="attach it with bargain contract attach")
    a = approved.data
    reps: Mapping[str, Any] = elected.data if elected else {}
    return FilingMaterial(
        case_id=case_id, enterprise=enterprise, credit_code=credit_code, workflow_zh=workflow[0], workflow_en=workflow[1],
        contract_text=contract_text, steps=process_steps(events, labels),
        resolution=Resolution(local_date(approved.occurred_at), str(a.get("body", "congress")), _int(a.get("total")),
                              _int(a.get("present")), _int(a.get("votes_for"))),
        worker_reps=list(reps.get("worker_reps") or []), employer_reps=list(reps.get("employer_reps") or []),
        recorder=str(reps.get("recorder") or ""), term_start=str(signed.data.get("term_start", "")),
        term_end=str(signed.data.get("term_end", "")), signed_on=local_date(signed.occurred_at), original=original,
        sha256=sha256, terms=dict(terms or {}),
    )
