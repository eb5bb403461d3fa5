"""The case and its events: plain dataclasses, no I/O. Events are the truth; a case is their fold."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

from engine.times import localize

# Event kinds. A transition moves the state; the others only record.
TRANSITION = "transition"
OPENED = "opened"
INVOLVEMENT = "involvement"
ASSIGNMENT = "assignment"
COVERAGE = "coverage"  # a regional case's covered enterprises changed


@dataclass(frozen=True, slots=True)
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
    actor_name: str = ""  # the actor's display name (a user's), as recorded at the act or, for older rows, as now


class Facts(Mapping[str, Any]):
    """A case's facts as the store keeps them (JSON), decoded on first use.

    A stored case's facts hold the data of every trigger it went through (~1.7 KB of JSON, ~13 KB as
    Python objects); loaded lazily, a process holds 100,000 cases in a few hundred MB, and the many a
    listing or a state filter never asks what they know cost only their bytes.
    """

    __slots__ = ("_data", "_raw")

    def __init__(self, raw: str | bytes) -> None:
        self._raw: bytes | None = raw.encode() if isinstance(raw, str) else raw
        self._data: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            data = self._data = json.loads(self._raw or b"{}")
            self._raw = None
        return data

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def get(self, key: str, default: Any = None) -> Any:
        """As dict.get."""
        return self._decoded().get(key, default)

    def __eq__(self, other: object) -> bool:
        return self._decoded() == (other._decoded() if isinstance(other, Facts) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._decoded())


@dataclass(frozen=True, slots=True)
class Case:
    """A bargaining case: which enterprise, which workflow version, where it stands, what it knows.

    Slotted: a process may hold 100,000 loaded cases, and a per-instance __dict__ would be a third of them.
    """

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


_SCALARS = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """Dates and datetimes as ISO strings, recursively; everything else unchanged."""
    # Exact types first: scalars, dicts and lists are the common case, and an isinstance() against
    # an ABC such as Mapping costs more than the rest of the work (this runs for every event).
    cls = type(value)
    if cls in _SCALARS:
        return value
    if cls is dict or (cls is not list and isinstance(value, Mapping)):
        return {k: v if type(v) in _SCALARS else jsonable(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [v if type(v) in _SCALARS else jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


@lru_cache(maxsize=8192)
def local_stamp(at: datetime) -> str:
    """An instant as a fact keeps it: ISO text in the local time zone. Many events of a batch share their
    instant (a day's 09:00), and equal instants give the same text whatever their offset."""
    return localize(at).isoformat()


# The values a fact shares with its event's data: a transition's data is JSON already (engine.payload.to_json, or
# decoded from the store), its lists and objects included, and neither the event nor the facts are ever changed,
# so copying them (representatives, topics) for every fold bought nothing. Anything else (a date) is converted.
_SHARED = _SCALARS | {list, dict}


def with_facts(case: Case, trigger: str, data: Mapping[str, Any], at: datetime, seq: int, *,
               json_ready: bool = False) -> dict[str, Any]:
    """The case's facts after a transition: the latest data of each trigger and how often each fired.
    `json_ready`: the data holds JSON values only (a fire's, engine.payload.to_json), taken as they are."""
    facts = case.facts
    last = facts.get("last")
    count = facts.get("count")
    if json_ready:
        entry: dict[str, Any] = {"at": local_stamp(at), "seq": seq, **data}
    else:
        entry = {"at": local_stamp(at), "seq": seq}
        for key, value in data.items():
            entry[key] = value if type(value) in _SHARED else jsonable(value)
    last = dict(last) if last else {}
    last[trigger] = entry
    count = dict(count) if count else {}
    count[trigger] = count.get(trigger, 0) + 1
    return {"last": last, "count": count}


_CASE_FIELDS = tuple(f.name for f in fields(Case))
T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for a frozen dataclass without __post_init__: every field given, in declaration
    order (a short or long call is a TypeError, as for any function). The generated __init__ of a frozen class
    calls object.__setattr__ once per field, which costs several times a plain assignment; a fire builds an Event,
    a Case, its check contexts and a Fired per trigger, so the hot path builds them here. The instances are the
    same (equal, frozen, hashable alike): tests/unit/test_machine.py checks it.

    A slotted class is built as an instance of a mutable twin with the very same slots (the same layout), its
    fields set by plain assignment (the interpreter's fast path for a slot), and then given its class: Python
    allows assigning __class__ between classes of one layout, and from then on the object is frozen like any
    other (0.25 us a Case against 0.7 through the slots' descriptors and 1.2 through __init__). Any other class is
    built by filling its __dict__. The body is written out for the class's fields and compiled, as dataclasses
    compiles __init__."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    args = ", ".join(f"v{i}" for i in range(len(names)))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    if "__slots__" in cls.__dict__:
        slots = tuple(cls.__dict__["__slots__"])
        if slots != names:  # pragma: no cover - a dataclass(slots=True) declares its fields as its slots, in order
            raise TypeError(f"{cls.__name__}: slots {slots} are not its fields {names}")
        scope["twin"] = type(f"_Building{cls.__name__}", (), {"__slots__": slots})
        body = "".join(f"    obj.{name} = v{i}\n" for i, name in enumerate(names))
        exec(f"def make({args}):\n    obj = new(twin)\n{body}    obj.__class__ = cls\n    return obj\n", scope)
    else:
        body = f"    obj.__dict__.update({{{', '.join(f'{name!r}: v{i}' for i, name in enumerate(names))}}})\n"
        exec(f"def make({args}):\n    obj = new(cls)\n{body}    return obj\n", scope)
    made: Callable[..., T] = scope["make"]
    return made


new_case = maker(Case)
new_event = maker(Event)


def evolve(case: Case, **changes: Any) -> Case:
    """`dataclasses.replace` for the hot path (a fold per event): Case is a frozen dataclass with no
    __post_init__ and no InitVar, so copying its fields is all replace() does, at half the cost."""
    return new_case(*[changes[name] if name in changes else getattr(case, name) for name in _CASE_FIELDS])


def after_event(case: Case, event: Event) -> Case:
    """The case once an event is applied: version and last time move; a transition moves the state."""
    if event.kind == TRANSITION:
        return after_transition(case, event, json_ready=False)
    if event.kind == ASSIGNMENT:
        return evolve(case, counselor_id=event.counselor_id, version=event.seq)
    # Opening, assigning and logging only record; they do not move the case's clock: last_at is
    # the time of the last state change, which a back-dated transition may not precede (a case
    # opened today may record an offer sent last week).
    return evolve(case, version=event.seq)


def after_transition(case: Case, event: Event, *, json_ready: bool) -> Case:
    """The case once a transition event is applied (after_event's; a fire's own, whose data is JSON already,
    with `json_ready`): Case's fields in order."""
    return new_case(case.case_id, case.credit_code, case.workflow, case.workflow_version, event.to_state,
                    case.jurisdiction, case.has_union, case.counselor_id, event.seq, event.occurred_at,
                    with_facts(case, event.trigger, event.data, event.occurred_at, event.seq, json_ready=json_ready),
                    case.party_org)


def replay(case: Case, events: list[Event]) -> Case:
    """Fold events over a freshly opened case; used to check that a stored case is their fold."""
    for event in sorted(events, key=lambda e: e.seq):
        case = after_event(case, event)
    return case
