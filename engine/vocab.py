"""Chinese in, Chinese out: the one table of names people type and read for enumerations, trigger data keys,
activities and states, and the lookups that accept either language and refuse anything else with a suggestion.

Enum labels come from the workflow file when a field declares them (`labels = { upper = "上级工会要约" }`),
else from ENUM_LABELS below (the released v1 files predate labels and a released version is never edited).
State names come from the workflow file (`zh`, `en`). Pure: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from engine.activity import ACTIVITIES
from engine.errors import DataError
from engine.spec import Field, State

# field name -> value -> (zh, en). Also-accepted spellings are in ALIASES.
ENUM_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "level": {
        "enterprise": ("企业工会要约", "the enterprise union"),
        "upper": ("上级工会要约", "the upper-level union"),
        "regional": ("区域性", "regional"),
        "industry": ("行业性", "industry"),
    },
    "chair": {"worker": ("职工方", "the worker side"), "employer": ("企业方", "the employer side")},
    "body": {"congress": ("职代会", "worker congress"), "assembly": ("职工大会", "all-worker assembly")},
}
# An organisation's kind (org.kind) -> (zh, en), as a federation's tables name the levels.
ORG_KINDS: dict[str, tuple[str, str]] = {
    "national": ("全国总工会", "national"), "province": ("省级工会", "province"), "city": ("市级工会", "city"),
    "district": ("区县级工会", "district"), "industry": ("产业（行业）工会", "industry"),
    "town": ("乡镇（街道）工会", "town"), "other": ("其他", "other"),
}
ALIASES: dict[str, dict[str, str]] = {
    "level": {"企业工会": "enterprise", "企业": "enterprise", "上级工会": "upper", "上级": "upper", "两级要约": "upper",
              "区域": "regional", "行业": "industry"},
    "chair": {"职工": "worker", "工会": "worker", "企业": "employer", "行政方": "employer", "企业行政方": "employer"},
    "body": {"职工代表大会": "congress"},
}
# Trigger data keys as archive documents name them.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "level": ("层级", "level"), "received_on": ("收到日期", "received on"), "accepted_on": ("受理日期", "accepted on"),
    "agreement": ("协议", "agreement"), "attendance": ("出席人数", "attendance"), "authority": ("审查机关", "authority"),
    "body": ("表决机构", "body"), "chair": ("主持方", "chair"), "chief_delegated": ("首席代表经书面委托", "chief delegated"),
    "days": ("天数", "days"), "employer_chief_delegated": ("企业方首席代表经书面委托", "employer chief delegated"),
    "employer_reps": ("企业方代表", "employer representatives"), "employer_side": ("企业方", "employer side"),
    "legal_representative": ("法定代表人", "legal representative"), "managers": ("管理人员人数", "managers"),
    "method": ("方式", "method"), "opinions": ("意见条数", "opinions"), "outcome": ("结果", "outcome"),
    "present": ("出席人数", "present"), "reason": ("原因", "reason"), "recorder": ("记录员", "recorder"),
    "resume_on": ("恢复日期", "resume on"), "round": ("轮次", "round"), "term_end": ("期限届满日", "term ends"),
    "term_start": ("期限起始日", "term starts"), "topics": ("协商议题", "topics"), "total": ("应到人数", "total"),
    "union_chair": ("工会主席", "union chair"), "votes_for": ("赞成票", "votes for"),
    "worker_reps": ("职工方代表", "worker representatives"),
}


def field_label(key: str, lang: str) -> str:
    """A trigger data key as a person reads it (层级); the key itself when not in the table."""
    names = FIELD_LABELS.get(key)
    return (names[0] if lang == "zh" else names[1]) if names else key


def enum_labels(f: Field) -> dict[str, tuple[str, str]]:
    """An enum field's values with their (zh, en) names: the workflow file's labels first, then the core table."""
    table = ENUM_LABELS.get(f.name, {})
    out: dict[str, tuple[str, str]] = {}
    for v in f.values:
        zh = f.labels.get(v) or table.get(v, (v, v))[0]
        out[v] = (zh, table.get(v, (v, v))[1])
    return out


def enum_label(f: Field | None, key: str, value: str, lang: str) -> str:
    """One enum value as a person reads it (上级工会要约)."""
    if f is not None:
        names = enum_labels(f).get(value)
    else:
        names = ENUM_LABELS.get(key, {}).get(value)
    if not names:
        return value
    return names[0] if lang == "zh" else names[1]


def _suggest(word: str, choices: Iterable[str]) -> str:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return found[0] if found else ""


def enum_value(f: Field, text: str) -> str | None:
    """The stored value for what someone typed: the value itself, its Chinese or English name, or an alias."""
    if text in f.values:
        return text
    low = text.lower()
    for v, (zh, en) in enum_labels(f).items():
        if text == zh or low == en.lower() or low == v.lower():
            return v
    alias = ALIASES.get(f.name, {}).get(text)
    return alias if alias in f.values else None


def enum_choices(f: Field) -> str:
    """'enterprise（企业工会要约）|upper（上级工会要约）' for messages and help."""
    return "|".join(f"{v}（{zh}）" for v, (zh, _en) in enum_labels(f).items())


def enum_guess(f: Field, text: str) -> str:
    """The closest value (by either name) to a mistyped one, or ''."""
    by_name = {v: v for v in f.values} | {zh: v for v, (zh, _en) in enum_labels(f).items()}
    found = _suggest(text, by_name)
    return by_name[found] if found else ""


def activity_key(text: str) -> str:
    """An activity kind from its key or its Chinese or English name; refused with a suggestion otherwise."""
    word = text.strip()
    if word in ACTIVITIES:
        return word
    for key, (zh, en) in ACTIVITIES.items():
        if word == zh or word.lower() == en.lower():
            return key
    by_name = {k: k for k in ACTIVITIES} | {zh: k for k, (zh, _en) in ACTIVITIES.items()}
    found = _suggest(word, by_name)
    listing = "；".join(f"{k}（{zh}）" for k, (zh, _en) in ACTIVITIES.items())
    raise DataError(
        f"活动类型 {word} 无效（可用：{listing}）", f"unknown activity '{word}' (one of: {', '.join(ACTIVITIES)})",
        hint_zh=f"是否要写 {by_name[found]}（{ACTIVITIES[by_name[found]][0]}）？" if found else "",
        hint_en=f"did you mean '{by_name[found]}'?" if found else "",
        rule="activity", actual=word, required=list(ACTIVITIES),
    )


def activity_help() -> str:
    """Every activity kind in both languages, for --help."""
    return "; ".join(f"{k} {zh}" for k, (zh, _en) in ACTIVITIES.items())


def state_key(text: str, states: Mapping[str, State]) -> str:
    """A state from its identifier or its Chinese or English name (across the given workflows' states);
    refused with a suggestion otherwise, never silently matching nothing."""
    word = text.strip()
    if word in states:
        return word
    for key, s in states.items():
        if word == s.zh or word.lower() == s.en.lower():
            return key
    by_name = {k: k for k in states} | {s.zh: k for k, s in states.items()} | {s.en: k for k, s in states.items()}
    found = _suggest(word, by_name)
    guess = by_name[found] if found else ""
    return _refuse_state(word, states, guess)


def _refuse_state(word: str, states: Mapping[str, State], guess: str) -> str:
    listing = "、".join(f"{k}（{s.zh}）" for k, s in states.items())
    raise DataError(
        f"没有状态 {word}" + ("" if guess else f"（可用：{listing}）"),
        f"no state '{word}'" + ("" if guess else f" (one of: {', '.join(states)})"),
        hint_zh=f"是否要写 {guess}（{states[guess].zh}）？" if guess else "",
        hint_en=f"did you mean '{guess}'?" if guess else "",
        rule="state", actual=word, required=list(states),
    )


def field_text(f: Field, lang: str) -> str:
    """One data key for help and `workflow show`: level*（层级）=enterprise 企业工会要约|upper 上级工会要约; * = required."""
    head = f.name + ("*" if f.required else "")
    label = field_label(f.name, lang)
    if label != f.name:
        head += f"（{label}）" if lang == "zh" else f" ({label})"
    if f.type == "enum":
        names = enum_labels(f)
        values = "|".join(f"{v} {names[v][0]}" for v in f.values)  # both are accepted, so both are listed
        return f"{head}={values}"
    return f"{head}={f.type}"


def triggers_help(transitions: Iterable[tuple[str, str, str, str, Iterable[Field]]], lang: str) -> list[str]:
    """'send_offer 发出要约：level*（层级）=…, received_on（收到日期）=date' per (workflow, trigger, zh, en, fields):
    each trigger once, and again, naming its workflow, where another workflow gives it other data."""
    seen: dict[str, set[str]] = {}
    out = []
    for workflow, trigger, zh, en, fields in transitions:
        data = ", ".join(field_text(f, lang) for f in fields) or ("无数据" if lang == "zh" else "no data")
        if data in seen.get(trigger, set()):
            continue
        where = f"（{workflow}）" if trigger in seen else ""
        seen.setdefault(trigger, set()).add(data)
        out.append(f"{trigger}{where} {zh}：{data}" if lang == "zh" else f"{trigger}{where} ({en}): {data}")
    return out


def size_band(employees: int | None) -> str:
    """The size band of a head count, the keys of engine/reports/scope.py's SIZE_BANDS (the reports' SQL names the
    same bands with the same literals)."""
    n = employees or 0
    return "<50" if n < 50 else "50-99" if n < 100 else "100+"
