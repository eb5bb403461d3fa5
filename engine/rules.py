"""The named checks a workflow file refers to. Each refuses with its rule id and legal source.

A check reads the case (its facts), the trigger's normalised data and the parameters in force
(workflow numbers, possibly overridden by the jurisdiction profile). Counting follows 民法典 art.
1259: 以上/以下/以内 include the number, 不满/超过 exclude it (LEGAL.md §0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from engine.case import Case
from engine.errors import RuleError, SetupError
from engine.spec import Param
from engine.times import local_date


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check sees."""

    case: Case
    trigger: str
    data: Mapping[str, Any]
    at: datetime
    params: Mapping[str, Param]
    rule: str
    source: str

    def param(self, name: str) -> Param:
        """A parameter in force; a workflow that lacks it is a broken definition."""
        return self.params[name]


def below_share(count: int, share: Fraction, whole: int) -> bool:
    """count < share × whole, in integers (count × denominator against numerator × whole: the same answer; a
    Fraction product costs more than the check around it, and the checks run on every trigger)."""
    return count * share.denominator < share.numerator * whole


def above_share(count: int, share: Fraction, whole: int) -> bool:
    """count > share × whole, in integers (see below_share)."""
    return count * share.denominator > share.numerator * whole


def cited(ctx: CheckContext, *params: str) -> str:
    """The source of the numbers a refusal applied: each param's own source (the profile's article where a
    jurisdiction profile overrides it, the workflow's national one otherwise), else the check's source."""
    found = [ctx.params[p].source for p in params if p in ctx.params and ctx.params[p].source]
    return "; ".join(dict.fromkeys(found)) or ctx.source


def refuse(ctx: CheckContext, zh: str, en: str, *, required: Any = None, actual: Any = None,
           params: tuple[str, ...] = ()) -> RuleError:
    """A RuleError for this check, carrying its rule id and the source of what it applied: the params it
    read (`params`, cited by their own sources) or, for a rule without a number, the check's source."""
    return RuleError(zh, en, rule=ctx.rule, source=cited(ctx, *params), required=required, actual=actual)


Check = Callable[[CheckContext], None]
RULES: dict[str, Check] = {}


def rule(fn: Check) -> Check:
    """Register a check under its function name."""
    RULES[fn.__name__] = fn
    return fn


# -- offer ------------------------------------------------------------------------------------


@rule
def offer_level_allowed(ctx: CheckContext) -> None:
    """An enterprise without a union can only be offered by the upper-level union."""
    level = ctx.data.get("level")
    if not ctx.case.has_union and level != "upper":
        raise refuse(
            ctx,
            "企业未建工会，只能由上一级工会发出要约（level=upper）",
            "the enterprise has no union, so only the upper-level union can send the offer (level=upper)",
            required="upper",
            actual=level,
        )


@rule
def received_not_before_sent(ctx: CheckContext) -> None:
    """A document cannot be received before it was sent."""
    received = ctx.data.get("received_on")
    if isinstance(received, date) and received < ctx.at.date():
        raise refuse(
            ctx,
            f"收到日期 {received} 早于发出日期 {ctx.at.date()}",
            f"received_on {received} is before the date it was sent ({ctx.at.date()})",
            required=f">= {ctx.at.date()}",
            actual=str(received),
        )


@rule
def reply_not_before_receipt(ctx: CheckContext) -> None:
    """A reply (acceptance or refusal) answers an offer received: it is not dated before the day the latest offer
    (send_offer or reoffer) was received, the day its reply period runs from."""
    offers = [ctx.case.last(t) for t in ("send_offer", "reoffer")]
    latest = max((o for o in offers if o is not None), key=lambda o: int(o.get("seq", 0)), default=None)
    received = latest.get("received_on") if latest is not None else None
    if not isinstance(received, str):
        return
    try:
        day = date.fromisoformat(received[:10])
    except ValueError:  # pragma: no cover - stored by the checked data of send_offer
        return
    replied = local_date(ctx.at)
    if replied < day:
        raise refuse(
            ctx,
            f"答复日期 {replied} 早于要约收到日期 {day}：答复期限自收到要约之日起算，不能在收到之前答复",
            f"the reply is dated {replied}, before the offer was received ({day}): the reply period runs from "
            f"receipt, and nobody replies to an offer before receiving it",
            required=f">= {day}",
            actual=str(replied),
        )


# -- topics and representatives ---------------------------------------------------------------


@rule
def topics_present(ctx: CheckContext) -> None:
    """At least one topic; the count of workers consulted is not negative."""
    if not ctx.data.get("topics"):
        raise refuse(ctx, "至少需要一个协商议题", "at least one topic is needed", required=">= 1", actual=0)
    opinions = ctx.data.get("opinions")
    if opinions is not None and opinions < 0:
        raise refuse(ctx, "征集意见人数不能为负", "opinions cannot be negative", required=">= 0", actual=opinions)


def _side(ctx: CheckContext, key: str) -> Sequence[Mapping[str, Any]]:
    reps: Sequence[Mapping[str, Any]] = ctx.data.get(key) or ()  # read, never changed: no copy
    return reps


_SIDES = (("worker_reps", "职工方", "worker side"), ("employer_reps", "企业方", "employer side"))


@rule
def reps_min_each_side(ctx: CheckContext) -> None:
    """Each side has at least the minimum number of representatives (3 nationally)."""
    least = int(ctx.param("min_reps").value)
    for key, zh, en in _SIDES:
        n = len(_side(ctx, key))
        if n < least:
            raise refuse(
                ctx, f"{zh}协商代表 {n} 人，少于 {least} 人", f"the {en} has {n} representatives, fewer than {least}",
                required=f">= {least}", actual=n, params=("min_reps",),
            )


@rule
def reps_at_most_each_side(ctx: CheckContext) -> None:
    """Where the profile caps the representatives per side (max_reps, e.g. 北京 10), neither side has more.
    No national maximum (CCR art. 19): without the param the check passes."""
    cap = ctx.params.get("max_reps")
    if cap is None:
        return
    most = int(cap.value)
    for key, zh, en in _SIDES:
        n = len(_side(ctx, key))
        if n > most:
            raise refuse(
                ctx, f"{zh}协商代表 {n} 人，多于 {most} 人", f"the {en} has {n} representatives, more than {most}",
                required=f"<= {most}", actual=n, params=("max_reps",),
            )


@rule
def frontline_share_met(ctx: CheckContext) -> None:
    """Where the profile sets frontline_share (山东 1/3), at least that share of the worker-side
    representatives are front-line workers (each marked `"frontline": true` in worker_reps)."""
    share_p = ctx.params.get("frontline_share")
    if share_p is None:
        return
    share = share_p.fraction()
    reps = _side(ctx, "worker_reps")
    front = sum(1 for r in reps if r.get("frontline"))
    if below_share(front, share, len(reps)):
        need = -(-share.numerator * len(reps) // share.denominator)
        raise refuse(
            ctx,
            f"职工方一线职工代表 {front} 人，低于职工方代表 {len(reps)} 人的 {share}"
            f"（至少 {need} 人；在 worker_reps 中标记 \"frontline\": true）",
            f"{front} front-line workers among the {len(reps)} worker-side representatives is less than {share} "
            f"({need} needed; mark them \"frontline\": true in worker_reps)",
            required=need, actual=front, params=("frontline_share",),
        )


@rule
def staff_consent_without_union(ctx: CheckContext) -> None:
    """Where the enterprise has no union, the worker representatives have the consent of more than half of
    all staff (工资集体协商试行办法 art. 9): staff_total and staff_consenting are recorded and checked."""
    if ctx.case.has_union:
        return
    total, consenting = ctx.data.get("staff_total"), ctx.data.get("staff_consenting")
    if total is None or consenting is None:
        raise refuse(
            ctx, "企业未建工会：职工方代表须经全体职工半数以上同意，请记录 staff_total（职工总数）和 staff_consenting（同意人数）",
            "the enterprise has no union: the worker representatives need the consent of more than half of all staff; "
            "record staff_total and staff_consenting",
            required="staff_total, staff_consenting", actual=None,
        )
    if total <= 0 or not 0 <= consenting <= total:
        raise refuse(
            ctx, f"职工人数不一致（职工总数 {total}，同意 {consenting}）",
            f"staff counts are inconsistent (staff_total {total}, staff_consenting {consenting})",
            required="0 < staff_total, 0 <= staff_consenting <= staff_total",
            actual={"staff_total": total, "staff_consenting": consenting},
        )
    if consenting * 2 <= total:
        raise refuse(
            ctx, f"同意的职工 {consenting} 人，未超过全体职工 {total} 人的半数（至少 {total // 2 + 1} 人）",
            f"{consenting} staff consenting is not more than half of all {total} staff ({total // 2 + 1} needed)",
            required=total // 2 + 1, actual=consenting,
        )


@rule
def reps_equal_numbers(ctx: CheckContext) -> None:
    """Both sides have the same number of representatives."""
    w, e = len(_side(ctx, "worker_reps")), len(_side(ctx, "employer_reps"))
    if w != e:
        raise refuse(
            ctx, f"双方代表人数应相等（职工方 {w}，企业方 {e}）", f"both sides need equal numbers (workers {w}, employer {e})",
            required="equal", actual={"worker_reps": w, "employer_reps": e},
        )


@rule
def one_chief_each_side(ctx: CheckContext) -> None:
    """Exactly one chief representative on each side."""
    for key, zh, en in _SIDES:
        chiefs = [r["name"] for r in _side(ctx, key) if r.get("chief")]
        if len(chiefs) != 1:
            raise refuse(
                ctx, f"{zh}应有且仅有一名首席代表（现有 {len(chiefs)} 名）",
                f"the {en} needs exactly one chief representative (has {len(chiefs)})",
                required=1, actual=len(chiefs),
            )


def _chief(ctx: CheckContext, key: str) -> Mapping[str, Any] | None:
    return next((r for r in _side(ctx, key) if r.get("chief")), None)


@rule
def worker_chief_is_chair_or_delegated(ctx: CheckContext) -> None:
    """Where a union chair is named, the worker chief is the chair or holds a written delegation."""
    chair = ctx.data.get("union_chair")
    chief = _chief(ctx, "worker_reps")
    if ctx.case.has_union and chair and chief and chief["name"] != chair and not ctx.data.get("chief_delegated"):
        raise refuse(
            ctx,
            f"职工方首席代表应为工会主席 {chair}，或持主席书面委托（chief_delegated=true）",
            f"the worker chief must be the union chair ({chair}) or delegated in writing (chief_delegated=true)",
            required=chair, actual=chief["name"],
        )


@rule
def employer_chief_is_legal_rep_or_delegated(ctx: CheckContext) -> None:
    """Where the legal representative is named, the employer chief is that person or delegated in writing."""
    legal = ctx.data.get("legal_representative")
    chief = _chief(ctx, "employer_reps")
    if legal and chief and chief["name"] != legal and not ctx.data.get("employer_chief_delegated"):
        raise refuse(
            ctx,
            f"企业方首席代表应为法定代表人 {legal}，或持书面委托（employer_chief_delegated=true）",
            f"the employer chief must be the legal representative ({legal}) or delegated in writing",
            required=legal, actual=chief["name"],
        )


@rule
def outsiders_at_most_share(ctx: CheckContext) -> None:
    """Outside experts are at most the given share (1/3) of a side's representatives."""
    share = ctx.param("outsider_share").fraction()
    for key, zh, en in _SIDES:
        reps = _side(ctx, key)
        outside = sum(1 for r in reps if r.get("external"))
        if above_share(outside, share, len(reps)):
            raise refuse(
                ctx,
                f"{zh}外聘代表 {outside} 人，超过代表总数 {len(reps)} 的 {share}",
                f"the {en} has {outside} outside representatives, more than {share} of {len(reps)}",
                required=f"<= {share} x {len(reps)}", actual=outside, params=("outsider_share",),
            )


@rule
def chief_not_outsider(ctx: CheckContext) -> None:
    """A chief representative is never an outside expert."""
    for key, zh, en in _SIDES:
        chief = _chief(ctx, key)
        if chief and chief.get("external"):
            raise refuse(
                ctx, f"{zh}首席代表 {chief['name']} 不得由非本单位人员担任",
                f"the {en} chief ({chief['name']}) may not be an outsider",
                required="internal", actual="external",
            )


@rule
def nobody_on_both_sides(ctx: CheckContext) -> None:
    """No person represents both sides."""
    w = {r["name"] for r in _side(ctx, "worker_reps")}
    e = {r["name"] for r in _side(ctx, "employer_reps")}
    both = sorted(w & e)
    if both:
        raise refuse(
            ctx, f"{'、'.join(both)} 不得同时担任双方代表", f"{', '.join(both)} cannot represent both sides",
            required="disjoint", actual=both,
        )


@rule
def recorder_not_a_rep(ctx: CheckContext) -> None:
    """The recorder is not one of the representatives."""
    recorder = ctx.data.get("recorder")
    names = {r["name"] for key, _, _ in _SIDES for r in _side(ctx, key)}
    if recorder in names:
        raise refuse(
            ctx, f"记录员 {recorder} 不得由协商代表担任", f"the recorder ({recorder}) cannot be a representative",
            required="not a representative", actual=recorder,
        )


# -- rounds -----------------------------------------------------------------------------------


@rule
def round_is_next(ctx: CheckContext) -> None:
    """Rounds are numbered 1, 2, 3, ... without gaps."""
    expected = ctx.case.count(ctx.trigger) + 1
    given = ctx.data.get("round")
    if given != expected:
        raise refuse(
            ctx, f"应为第 {expected} 轮协商，而不是第 {given} 轮", f"this is round {expected}, not round {given}",
            required=expected, actual=given,
        )


@rule
def chiefs_alternate(ctx: CheckContext) -> None:
    """The two chiefs chair rounds in turn."""
    chair = ctx.data.get("chair")
    previous = ctx.case.last(ctx.trigger)
    if chair and previous and previous.get("chair") == chair:
        raise refuse(
            ctx, "双方首席代表应轮流主持协商会议，上一轮也由同一方主持",
            "the chiefs chair the rounds in turn; the same side chaired the previous round",
            required="worker" if chair == "employer" else "employer", actual=chair,
        )


@rule
def resume_after_suspension(ctx: CheckContext) -> None:
    """The agreed resumption date is not before the suspension, and within a profile's cap."""
    resume_on = ctx.data["resume_on"]
    if resume_on < ctx.at.date():
        raise refuse(
            ctx, f"恢复协商日期 {resume_on} 早于中止日期", f"resume_on {resume_on} is before the suspension",
            required=f">= {ctx.at.date()}", actual=str(resume_on),
        )


@rule
def suspension_within_cap(ctx: CheckContext) -> None:
    """Where the profile caps a suspension (suspension_max_days, e.g. 浙江 60 days), the resumption falls within it."""
    cap = ctx.params.get("suspension_max_days")
    if cap is None or cap.unit == "none":
        return
    from engine.calendar import add_months
    from engine.times import local_date

    start, resume_on, n = local_date(ctx.at), ctx.data["resume_on"], int(cap.value)
    if cap.unit not in ("days", "months", ""):
        raise SetupError(f"suspension_max_days 的单位 {cap.unit} 不受支持（应为 days 或 months）",
                         f"suspension_max_days in {cap.unit} is not supported (use days or months)")
    latest = add_months(start, n) if cap.unit == "months" else start + timedelta(days=n)
    if resume_on > latest:
        unit_zh, unit_en = ("个月", "months") if cap.unit == "months" else ("日", "days")
        raise RuleError(
            f"中止协商最长 {n} {unit_zh}：恢复日期 {resume_on} 晚于 {latest}",
            f"a suspension lasts at most {n} {unit_en}: resume_on {resume_on} is after {latest}",
            rule=ctx.rule, source=cited(ctx, "suspension_max_days"), required=f"<= {latest}", actual=str(resume_on),
        )


@rule
def extension_once_within_cap(ctx: CheckContext) -> None:
    """Dispute coordination is extended once per dispute, by at least 1 and at most the cap (15 days nationally)."""
    cap = ctx.param("dispute_extension_days")
    days = ctx.data["days"]
    if not 1 <= days <= int(cap.value):
        raise RuleError(
            f"协调期限延长 {days} 日，应为 1 至 {cap.value} 日", f"an extension of {days} days must be 1 to {cap.value} days",
            rule=ctx.rule, source=cited(ctx, "dispute_extension_days"), required=f"1..{cap.value}", actual=days,
        )
    last, dispute = ctx.case.last(ctx.trigger), ctx.case.last("dispute")
    if last is not None and (dispute is None or int(last["seq"]) > int(dispute["seq"])):
        raise refuse(
            ctx, "本次争议协调已延长过一次，只能延长一次", "this coordination was already extended; it may be extended only once",
            required="one extension", actual=2,
        )


@rule
def round_held_before_draft(ctx: CheckContext) -> None:
    """A draft needs at least one round held since the last draft."""
    last_round = ctx.case.last("hold_round")
    last_draft = ctx.case.last(ctx.trigger)
    if last_round is None or (last_draft is not None and last_draft["seq"] > last_round["seq"]):
        raise refuse(
            ctx, "形成草案前至少需要召开一轮协商会议", "a draft needs at least one round held first",
            required=">= 1 round", actual=0,
        )


# -- congress ---------------------------------------------------------------------------------


@rule
def vote_counts_consistent(ctx: CheckContext) -> None:
    """0 < total, 0 <= present <= total, 0 <= votes_for <= present."""
    total, present, votes = ctx.data["total"], ctx.data["present"], ctx.data["votes_for"]
    if not (total > 0 and 0 <= present <= total and 0 <= votes <= present):
        raise refuse(
            ctx, f"表决人数不一致（应到 {total}，实到 {present}，赞成 {votes}）",
            f"vote counts are inconsistent (total {total}, present {present}, for {votes})",
            required="0 < total, present <= total, votes_for <= present",
            actual={"total": total, "present": present, "votes_for": votes},
        )


def _quorum(ctx: CheckContext) -> tuple[bool, Fraction]:
    share = ctx.param("attendance_share").fraction()
    return not below_share(ctx.data["present"], share, ctx.data["total"]), share


def _majority(ctx: CheckContext) -> tuple[bool, str]:
    mode = str(ctx.param("vote").value)
    votes, total = ctx.data["votes_for"], ctx.data["total"]
    passed = votes * 2 >= total if mode == "at_least_half" else votes * 2 > total
    return passed, mode


@rule
def quorum_met(ctx: CheckContext) -> None:
    """At least the attendance share (2/3) of ALL representatives is present."""
    ok, share = _quorum(ctx)
    if not ok:
        total, present = ctx.data["total"], ctx.data["present"]
        need = -(-share.numerator * total // share.denominator)
        raise refuse(
            ctx, f"出席 {present} 人，不足全体 {total} 人的 {share}（至少 {need} 人）",
            f"{present} present is less than {share} of all {total} (at least {need} needed)",
            required=need, actual=present, params=("attendance_share",),
        )


@rule
def majority_of_all(ctx: CheckContext) -> None:
    """Votes for exceed half (or reach half, where the profile says so) of ALL representatives."""
    ok, mode = _majority(ctx)
    if not ok:
        total, votes = ctx.data["total"], ctx.data["votes_for"]
        need = total // 2 if mode == "at_least_half" and total % 2 == 0 else total // 2 + 1
        zh_rule = "半数以上" if mode == "at_least_half" else "过半数"
        raise refuse(
            ctx, f"赞成 {votes} 票，未达到全体 {total} 人的{zh_rule}（至少 {need} 票）",
            f"{votes} votes for is not {'at least' if mode == 'at_least_half' else 'more than'} half of all {total} "
            f"({need} needed)",
            required=need, actual=votes, params=("vote",),
        )


@rule
def vote_did_not_pass(ctx: CheckContext) -> None:
    """A rejection is recorded only when the counts do not carry the draft."""
    if _quorum(ctx)[0] and _majority(ctx)[0]:
        raise refuse(
            ctx, "表决人数已达到通过条件，应记录为通过（approve）", "the counts carry the vote: record it with approve",
            required="quorum or majority not met", actual="passed", params=("attendance_share", "vote"),
        )


@rule
def managers_at_most_share(ctx: CheckContext) -> None:
    """Enterprise managers are at most the given share (1/5) of a regional or industry congress."""
    share = ctx.param("manager_share").fraction()
    managers, total = ctx.data["managers"], ctx.data["total"]
    if managers < 0 or above_share(managers, share, total):
        most = share.numerator * total // share.denominator
        raise refuse(
            ctx, f"企业管理人员代表 {managers} 人，超过全体代表 {total} 人的 {share}（至多 {most} 人）",
            f"{managers} enterprise managers is more than {share} of all {total} representatives (at most {most})",
            required=f"<= {most}", actual=managers, params=("manager_share",),
        )


# -- contract ---------------------------------------------------------------------------------


def add_years(d: date, years: int) -> date:
    """The corresponding day some years later (民法典 art. 202); without one (29 February), the month's last day."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def term_last_day(start: date, years: int) -> date:
    """The last day of a term of whole years whose first day is `start` (民法典 arts. 201-202).

    A term that begins on `start` counts that day, so its period runs from the day before (art. 201: the
    day of the event is not counted, the period starts the next day) and ends on that day's corresponding
    day `years` later, or the month's last day where there is none (art. 202): one year from 2026-04-01
    ends 2027-03-31; one year from 2028-02-29 ends 2029-02-28 (from 2028-02-28, whose corresponding day exists).
    """
    return add_years(start - timedelta(days=1), years)


@rule
def term_within_limits(ctx: CheckContext) -> None:
    """The term runs at least term_min_years and at most term_max_years (1 to 3 nationally), counted as the
    Civil Code counts (民法典 arts. 201-202): its last day is on or after the last day of the shortest term
    and on or before the last day of the longest, leap days included."""
    start, end = ctx.data["term_start"], ctx.data["term_end"]
    low, high = int(ctx.param("term_min_years").value), int(ctx.param("term_max_years").value)
    shortest, longest = term_last_day(start, low), term_last_day(start, high)
    if end < shortest:
        raise refuse(
            ctx, f"合同期限 {start} 至 {end} 不满 {low} 年（至少至 {shortest}，民法典第二百零一、二百零二条计算）",
            f"the term {start} to {end} is shorter than {low} year(s) (it must run to {shortest} at least; "
            f"counted by Civil Code arts. 201-202)",
            required=f"{shortest} .. {longest}", actual=str(end), params=("term_min_years",),
        )
    if end > longest:
        raise refuse(
            ctx, f"合同期限 {start} 至 {end} 超过 {high} 年（至多至 {longest}，民法典第二百零一、二百零二条计算）",
            f"the term {start} to {end} is longer than {high} years (it may run to {longest} at most; "
            f"counted by Civil Code arts. 201-202)",
            required=f"{shortest} .. {longest}", actual=str(end), params=("term_max_years",),
        )


@rule
def reason_given(ctx: CheckContext) -> None:
    """A reason is written."""
    if not str(ctx.data.get("reason") or "").strip():
        raise refuse(ctx, "需要说明理由（reason）", "a reason is needed (reason)", required="reason", actual="")
