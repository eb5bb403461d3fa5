"""The case and its events: plain dataclasses, no I/O. Events are the truth; a case is their fold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from engine.times import localize

# Event kinds. A transition moves the state; the others only record.
TRANSITION = "transition"
OPENED = "opened"
INVOLVEMENT = "involvement"
ASSIGNMENT = "assignment"
COVERAGE = "coverage"  # a regional case's covered enterprises changed


@dataclass(frozen=True)
class Event:
    """One thing that happened to a case. Never edited or deleted; a correction is a new event."""

    case_id: int
    seq: int
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    trigger: str = ""
    from_state: str = ""
    to_state: str = ""
    counselor_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Case:
    """A bargaining case: which enterprise, which workflow version, where it stands, what it knows."""

    case_id: int
    credit_code: str
    workflow: str
    workflow_version: int
    state: str
    jurisdiction: str = "national"
    has_union: bool = True
    counselor_id: int | None = None
    version: int = 0
    last_at: datetime | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    party_org: str | None = None  # the regional or industry union of a regional case

    @property
    def workflow_key(self) -> str:
        """name@version."""
        return f"{self.workflow}@{self.workflow_version}"

    def last(self, trigger: str) -> Mapping[str, Any] | None:
        """The data (plus 'at' and 'seq') of the latest event of this trigger, if any."""
        found: Mapping[str, Any] | None = self.facts.get("last", {}).get(trigger)
        return found

    def count(self, trigger: str) -> int:
        """How many times this trigger has fired on the case."""
        return int(self.facts.get("count", {}).get(trigger, 0))


def jsonable(value: Any) -> Any:
    """Dates and datetimes as ISO strings, recursively; everything else unchanged."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def with_facts(case: Case, trigger: str, data: Mapping[str, Any], at: datetime, seq: int) -> dict[str, Any]:
    """The case's facts after a transition: the latest data of each trigger and how often each fired."""
    last = dict(case.facts.get("last", {}))
    count = dict(case.facts.get("count", {}))
    last[trigger] = {"at": localize(at).isoformat(), "seq": seq, **jsonable(dict(data))}
    count[trigger] = count.get(trigger, 0) + 1
    return {"last": last, "count": count}


def after_event(case: Case, event: Event) -> Case:
    """The case once an event is applied: version and last time move; a transition moves the state."""
    if event.kind == TRANSITION:
        return replace(
            case,
            state=event.to_state,
            version=event.seq,
            last_at=event.occurred_at,
            facts=with_facts(case, event.trigger, event.data, event.occurred_at, event.seq),
        )
    if event.kind == ASSIGNMENT:
        return replace(case, counselor_id=event.counselor_id, version=event.seq)
    # Opening, assigning and logging only record; they do not move the case's clock: last_at is
    # the time of the last state change, which a back-dated transition may not precede (a case
    # opened today may record an offer sent last week).
    return replace(case, version=event.seq)


def replay(case: Case, events: list[Event]) -> Case:
    """Fold events over a freshly opened case; used to check that a stored case is their fold."""
    for event in sorted(events, key=lambda e: e.seq):
        case = after_event(case, event)
    return case
