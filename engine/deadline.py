"""A case's legal deadlines, computed from its facts, the parameters in force and the calendar. Pure.

Each deadline of the workflow (its [deadlines.KIND] table) runs from the latest of its start events.
Its status on a given day (`as_of`):
- `met`: an event that meets it (e.g. `accept` for the reply) happened on or before the due day;
- `overdue`: the due day has passed and it was not met in time (met late, lapsed, or still waiting);
- `open`: not met and the due day has not passed (the period ends at 24:00 of the due day).
`pending` says whether the case still waits on it: it is in one of the deadline's states and nothing
has ended it. Only pending deadlines are chased (lists, overdue counts, the tick).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from engine.calendar import Calendar, Due
from engine.case import Case
from engine.errors import SetupError
from engine.spec import DeadlineSpec, Param
from engine.times import local_day, tz

OPEN, MET, OVERDUE = "open", "met", "overdue"
STATUSES = (OPEN, MET, OVERDUE)
RENEWAL = "renewal"  # ended_by, when a later case's offer met a renewal window

_UNIT_EN = {"days": ("day", "days"), "working_days": ("working day", "working days"), "months": ("month", "months")}
_UNIT_ZH = {"days": "日", "working_days": "个工作日", "months": "个月"}


@dataclass(frozen=True)
class Deadline:
    """One computed deadline of one case."""

    case_id: int
    kind: str
    due: date
    status: str
    rule: str
    rule_zh: str
    starts_on: date
    pending: bool
    listed: bool = True
    lapse: str = ""
    opens: date | None = None
    ended_on: date | None = None
    ended_by: str = ""
    missing_years: tuple[int, ...] = ()
    floor: date | None = None  # the earliest the due day could be, whatever the unknown holidays
    source: str = ""  # the legal source of the number applied (the profile's article where it overrides it)

    @property
    def provisional(self) -> bool:
        """Counted over a year whose holidays are unknown (weekends only)."""
        return bool(self.missing_years)

    def warning(self, lang: str = "en") -> str:
        """Why the due day is provisional, naming the missing years; '' when it is not."""
        if not self.missing_years:
            return ""
        years = ", ".join(str(y) for y in self.missing_years)
        files = ", ".join(f"data/holidays/{y}.toml" for y in self.missing_years)
        if lang == "zh":
            return f"{years} 年节假日安排未知：到期日为暂定（仅按周末计算），请添加 {files}"
        return f"the holidays of {years} are not known: the due date is provisional (weekends only); add {files}"

    def as_json(self) -> dict[str, Any]:
        """The stable JSON form (CLI.md: case_id, kind, due, status, rule; plus what explains them)."""
        return {
            "case_id": self.case_id, "kind": self.kind, "due": self.due.isoformat(), "status": self.status,
            "rule": self.rule, "rule_zh": self.rule_zh, "starts_on": self.starts_on.isoformat(),
            "opens": self.opens.isoformat() if self.opens else None, "pending": self.pending,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None, "ended_by": self.ended_by or None,
            "provisional": self.provisional, "warning": self.warning("en") or None,
            "warning_zh": self.warning("zh") or None,
        }


def fact_day(fact: Mapping[str, Any]) -> date:
    """The local day an event (a fact of case.facts['last']) happened."""
    return local_day(str(fact["at"]))


def _latest(case: Case, triggers: Iterable[str]) -> tuple[str, Mapping[str, Any]] | None:
    best: tuple[str, Mapping[str, Any]] | None = None
    last = case.facts.get("last", {})
    for t in triggers:
        f = last.get(t)
        if f is not None and (best is None or int(f["seq"]) > int(best[1]["seq"])):
            best = (t, f)
    return best


def period(p: Param) -> tuple[int, str]:
    """A day-count param as (n, unit); a broken one is a set-up problem naming it and its source."""
    value, unit = p.value, p.unit
    if unit not in _UNIT_EN or isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SetupError(
            f"期限参数 {p.name} = {value!r}（{unit or '无单位'}）无效：应为正整数，单位 days、working_days 或 months（{p.source}）",
            f"deadline param {p.name} = {value!r} ({unit or 'no unit'}) is invalid: it needs a whole number >= 1 in "
            f"days, working_days or months ({p.source})",
        )
    return value, unit


def amount(n: int, unit: str, lang: str) -> str:
    """'20 days' / '20 日'."""
    if lang == "zh":
        return f"{n}{_UNIT_ZH[unit]}"
    one, many = _UNIT_EN[unit]
    return f"{n} {one if n == 1 else many}"


@lru_cache(maxsize=4096)
def _rule(spec: DeadlineSpec, source: str, length: tuple[int, str] | None, ext: tuple[int, str, str] | None) -> tuple[str, str]:
    en_len = f"{amount(*length, 'en')} " if length else ""
    zh_len = amount(*length, "zh") if length else ""
    en = f"{source}: {en_len}{spec.counted_en}".strip()
    zh = f"{source}：{spec.counted_zh}{zh_len}"
    if ext:
        n, unit, ext_source = ext
        cite = f" ({ext_source})" if ext_source and ext_source != source else ""
        en += f", extended by {amount(n, unit, 'en')}{cite}"
        zh += f"，延长 {amount(n, unit, 'zh')}" + (f"（{ext_source}）" if cite else "")
    return en, zh


Span = tuple[Due, "date | None", date, "tuple[int, str] | None", "tuple[int, str, str] | None", str]


def _span(case: Case, spec: DeadlineSpec, params: Mapping[str, Param], calendar: Calendar, seq: int,
          start: date) -> Span | None:
    """(due, window start, floor, length, extension, source) of a started deadline; None without a period."""
    if not spec.param:
        return Due(start), None, start, None, None, spec.source
    p = params.get(spec.param)
    if p is None or p.unit == "none":
        return None
    n, unit = period(p)
    ext: tuple[int, str, str] | None = None
    if spec.extension is not None:
        extended = case.last(spec.extension.trigger)
        if extended is not None and int(extended["seq"]) > seq and extended.get(spec.extension.key):
            cap = params.get(spec.extension.param)
            ext = (int(extended[spec.extension.key]), unit, cap.source if cap else "")
    total = n + (ext[0] if ext else 0)
    if spec.before:
        window = calendar.before(start, total, unit)
        return Due(start, window.missing), window.day, start, (n, unit), ext, p.source
    due = calendar.after(start, total, unit, roll=spec.roll)
    return due, None, calendar.floor(start, total, unit) if due.provisional else due.day, (n, unit), ext, p.source


def _start(case: Case, spec: DeadlineSpec) -> tuple[int, date] | None:
    started = _latest(case, spec.starts)
    if started is None:
        return None
    fact = started[1]
    raw = fact.get(spec.date_key) if spec.date_key else None
    return int(fact["seq"]), date.fromisoformat(str(raw)) if raw else fact_day(fact)


def _ended(case: Case, spec: DeadlineSpec, seq: int) -> tuple[str, date | None]:
    ended = _latest(case, (*spec.met_by, spec.lapse) if spec.lapse else spec.met_by)
    if ended is not None and int(ended[1]["seq"]) > seq:
        return ended[0], fact_day(ended[1])
    return "", None


def one(case: Case, spec: DeadlineSpec, params: Mapping[str, Param], calendar: Calendar, as_of: date | None,
        renewal_offered_on: date | None = None) -> Deadline | None:
    """One deadline of a case, or None when it has not started or no period applies (unit 'none', no param)."""
    started = _start(case, spec)
    if started is None:
        return None
    seq, start = started
    span = _span(case, spec, params, calendar, seq, start)
    if span is None:
        return None
    due, opens, floor, length, ext, source = span
    rule_en, rule_zh = _rule(spec, source, length, ext)
    ended_by, ended_on = _ended(case, spec, seq)
    if not ended_by and spec.met_by_renewal and renewal_offered_on is not None:
        ended_by, ended_on = RENEWAL, renewal_offered_on
    pending = not ended_by and case.state in spec.while_states
    if ended_by and ended_by != spec.lapse:
        status = MET if ended_on is not None and ended_on <= due.day else OVERDUE
    elif ended_by:
        status = OVERDUE
    else:
        status = OVERDUE if as_of is not None and as_of > due.day else OPEN
    return Deadline(
        case_id=case.case_id, kind=spec.kind, due=due.day, status=status, rule=rule_en, rule_zh=rule_zh,
        starts_on=start, pending=pending, listed=spec.listed, lapse=spec.lapse, opens=opens, ended_on=ended_on,
        ended_by=ended_by, missing_years=due.missing, floor=floor, source=source,
    )


def dates(case: Case, specs: Mapping[str, DeadlineSpec], params: Mapping[str, Param],
          calendar: Calendar) -> dict[str, tuple[date, date, bool]]:
    """kind → (due, floor, pending) of the started deadlines: only what the store's columns need, fast
    (it runs on every save; a renewal by a later case is not seen here, so a window stays pending)."""
    out = {}
    for kind, spec in specs.items():
        started = _start(case, spec)
        if started is None:
            continue
        span = _span(case, spec, params, calendar, *started)
        if span is not None:
            pending = case.state in spec.while_states and not _ended(case, spec, started[0])[0]
            out[kind] = (span[0].day, span[2], pending)
    return out


def compute(case: Case, specs: Mapping[str, DeadlineSpec], params: Mapping[str, Param], calendar: Calendar,
            as_of: date | None, *, renewal_offered_on: date | None = None) -> list[Deadline]:
    """Every deadline a case has started, in declaration order (status as of a day; None: open unless ended)."""
    out = []
    for spec in specs.values():
        d = one(case, spec, params, calendar, as_of, renewal_offered_on)
        if d is not None:
            out.append(d)
    return out


def ran_out_at(due: date) -> datetime:
    """The moment a period whose last day is `due` runs out: 24:00 that day, local time (民法典 art. 203)."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=tz())


def late(found: Iterable[Deadline], specs: Mapping[str, DeadlineSpec], trigger: str,
         at: datetime) -> tuple[Deadline, str] | None:
    """The pending deadline, if any, whose period had run out by `at` and that `closes` this trigger (it is then
    refused) or `deems` it (it is then dated when the period ran out): (deadline, "closes" | "deemed").
    A provisional due day (a year's holidays unknown) binds nobody yet."""
    for d in found:
        spec = specs.get(d.kind)
        if spec is None or not d.pending or d.provisional or at < ran_out_at(d.due):
            continue
        if trigger in spec.closes:
            return d, "closes"
        if trigger in spec.deemed:
            return d, "deemed"
    return None


def next_due(deadlines: Iterable[Deadline]) -> date | None:
    """The earliest day a pending deadline can fall due (a lower bound where the holidays are unknown)."""
    floors = [d.floor or d.due for d in deadlines if d.pending]
    return min(floors) if floors else None


def due_lapses(deadlines: Iterable[Deadline], as_of: date) -> list[Deadline]:
    """Pending deadlines with an automatic trigger whose period ran out before `as_of` and whose due day is
    certain (a provisional one waits for its year's holidays), earliest first."""
    ready = [d for d in deadlines if d.pending and d.lapse and d.due < as_of and not d.provisional]
    return sorted(ready, key=lambda d: d.due)
