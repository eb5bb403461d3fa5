"""Counselor registration rules (DOMAIN §6; the Dalian notice of 2015-03-27 and its form's note 1). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from engine.errors import DataError, RuleError
from engine.values import clean, exact

KINDS = ("full_time", "part_time")
STATUSES = ("retired", "off_post", "in_service")
FULL_TIME_SOURCE = "大连市总工会《关于组织开展工资集体协商专职指导员总结工作经验、畅谈工作体会活动的通知》(2015) 附件注1"

# What people write in spreadsheets for the same values (compared after clean() and lower()).
KIND_WORDS = {
    "full_time": ("full_time", "full-time", "fulltime", "full", "ft", "专职", "专职指导员"),
    "part_time": ("part_time", "part-time", "parttime", "part", "pt", "兼职", "兼职指导员"),
}
STATUS_WORDS = {
    "retired": ("retired", "退休", "已退休"),
    "off_post": ("off_post", "off-post", "offpost", "离岗", "已离岗", "内退"),
    "in_service": ("in_service", "in-service", "inservice", "serving", "在职", "在岗"),
}
GENDER_WORDS = {"男": ("男", "m", "male", "man"), "女": ("女", "f", "female", "woman")}
KIND_ZH = {"full_time": "专职", "part_time": "兼职"}
STATUS_ZH = {"retired": "退休", "off_post": "离岗", "in_service": "在职"}


def _lookup(value: object, words: Mapping[str, tuple[str, ...]]) -> str | None:
    text = clean(value).lower()
    for key, spellings in words.items():
        if text in spellings:
            return key
    return None


def normalize_kind(value: object) -> str:
    """full_time | part_time from English or Chinese spellings (专职/兼职); ValueError otherwise."""
    found = _lookup(value, KIND_WORDS)
    if found is None:
        raise ValueError(f"not a counselor kind: {value!r} (full_time|part_time, 专职|兼职)")
    return found


def normalize_status(value: object) -> str:
    """retired | off_post | in_service from English or Chinese (退休/离岗/在职); ValueError otherwise."""
    found = _lookup(value, STATUS_WORDS)
    if found is None:
        raise ValueError(f"not a counselor status: {value!r} (retired|off_post|in_service, 退休|离岗|在职)")
    return found


def normalize_gender(value: object) -> str:
    """男 | 女 | '' (not given) from Chinese or English spellings; ValueError otherwise."""
    if not clean(value):
        return ""
    found = _lookup(value, GENDER_WORDS)
    if found is None:
        raise ValueError(f"not a gender: {value!r} (男|女, M|F)")
    return found


def registration(fields: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The fields of one registration with kind, status and gender normalised, then checked (as of `today`)."""
    out = normalised(fields)
    check_registration(out, today=today)
    return out


def normalised(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Kind, status and gender as stored (专职 → full_time, 女 → 女), the name as typed; not yet checked."""
    out = dict(fields)
    for key, norm in (("kind", normalize_kind), ("status", normalize_status), ("gender", normalize_gender)):
        if key in out and out[key] is not None:
            try:
                out[key] = norm(out[key])
            except ValueError:
                allowed = {"kind": "full_time|part_time（专职|兼职）", "status": "retired|off_post|in_service（退休|离岗|在职）",
                           "gender": "男|女"}[key]
                raise DataError(
                    f"{key} 的值 {out[key]} 无效（可用：{allowed}）", f"{key} '{out[key]}' is not one of {allowed}",
                    rule=f"counselor_{key}", required=allowed, actual=out[key],
                ) from None
    if "name" in out:
        out["name"] = exact(out["name"])
    return out


WORKING_AGE = 16  # nobody under 16 is employed (劳动法 art. 15): a later birth date is a typing slip (2030 for 1960)
WORKING_AGE_SOURCE = "劳动法 art. 15"


def adult_born_by(today: date) -> date:
    """The latest birth date of someone WORKING_AGE years old on `today` (29 Feb: 28 Feb of a common year)."""
    try:
        return today.replace(year=today.year - WORKING_AGE)
    except ValueError:
        return today.replace(year=today.year - WORKING_AGE, day=28)


def check_registration(fields: Mapping[str, Any], *, today: date) -> None:
    """Full-time counselors are retired or off-post and employed by a union; staff in service (unions, HR
    bureaus) are part-time only. Also: a name, known kind and status, a term that does not end before it starts, and
    a birth date of someone of working age on `today` (the caller's date: this core reads no clock)."""
    if "name" in fields and not clean(fields.get("name")):
        raise DataError("指导员姓名不能为空", "a counselor needs a name", rule="counselor_name")
    kind = fields.get("kind") or "part_time"
    status = fields.get("status") or "in_service"
    if kind not in KINDS:
        raise DataError(f"指导员类别 {kind} 无效（可用：{'|'.join(KINDS)}）", f"kind '{kind}' is not one of {'|'.join(KINDS)}",
                        rule="counselor_kind", required="|".join(KINDS), actual=kind)
    if status not in STATUSES:
        raise DataError(f"指导员状态 {status} 无效（可用：{'|'.join(STATUSES)}）",
                        f"status '{status}' is not one of {'|'.join(STATUSES)}",
                        rule="counselor_status", required="|".join(STATUSES), actual=status)
    if kind == "full_time" and status == "in_service":
        raise RuleError(
            "在职人员（各级工会、人社部门负责集体协商工作的在职人员）只能登记为兼职指导员，不能登记为专职",
            "staff in service (at a union or an HR bureau) may only be part-time counselors, never full-time",
            rule="full_time_is_retired_or_off_post", source=FULL_TIME_SOURCE,
            required="status retired|off_post", actual="in_service",
        )
    if kind == "full_time" and not clean(fields.get("org_code")):
        raise RuleError(
            "专职指导员由工会组织聘用、领导和管理，请填写聘用的工会组织代码（org_code）",
            "a full-time counselor is employed, led and managed by a union: give the employing organisation (org_code)",
            rule="full_time_employed_by_union", source=FULL_TIME_SOURCE, required="org_code", actual=None,
        )
    start, end = fields.get("term_start"), fields.get("term_end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise DataError(
            f"聘用期限结束日 {end.isoformat()} 早于开始日 {start.isoformat()}",
            f"the term ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            rule="counselor_term", required=f">= {start.isoformat()}", actual=end.isoformat(),
        )
    birth = fields.get("birth_date")
    latest = adult_born_by(today)
    if isinstance(birth, date) and birth > latest:
        raise DataError(
            f"出生日期 {birth.isoformat()} 不合理：指导员在 {today.isoformat()} 不满 {WORKING_AGE} 周岁（或尚未出生）",
            f"the birth date {birth.isoformat()} is not plausible: the counselor would be under {WORKING_AGE} "
            f"on {today.isoformat()} (or not born yet)",
            rule="counselor_birth_date", source=WORKING_AGE_SOURCE, required=f"<= {latest.isoformat()}",
            actual=birth.isoformat(),
        )
    if isinstance(birth, date) and isinstance(start, date) and birth >= start:
        raise DataError(
            f"出生日期 {birth.isoformat()} 不早于聘用开始日 {start.isoformat()}",
            f"the birth date {birth.isoformat()} is not before the term start {start.isoformat()}",
            rule="counselor_birth_date", actual=birth.isoformat(),
        )
