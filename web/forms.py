"""Trigger forms generated from the workflow's declared trigger data, and the posted form read back as trigger data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import registry
from engine.spec import Transition
from engine.values import check_free_text

PREFIX = "d."
REP_ROWS = 5
VALUE_LABELS = {  # enum values a person reads (the stored value stays the identifier)
    "enterprise": ("企业工会发出", "by the enterprise union"), "upper": ("上级工会代为发出", "by the upper-level union"),
    "congress": ("职工代表大会", "workers' congress"), "assembly": ("全体职工大会", "all-worker assembly"),
    "worker": ("职工方", "workers' side"), "employer": ("企业方", "employer's side"),
}
FIELD_LABELS = {
    "level": ("要约发出方", "offer sent by"), "received_on": ("企业收到日期", "received by the employer on"),
    "reason": ("理由", "reason"), "topics": ("协商议题（每行一项）", "topics (one per line)"),
    "opinions": ("征集意见的职工人数", "workers whose opinions were collected"),
    "worker_reps": ("职工方协商代表", "workers' representatives"), "employer_reps": ("企业方协商代表", "employer's representatives"),
    "recorder": ("记录员", "recorder"), "union_chair": ("工会主席", "union chair"),
    "chief_delegated": ("首席代表经书面委托", "chief delegated in writing"),
    "legal_representative": ("企业法定代表人", "legal representative"),
    "employer_chief_delegated": ("企业方首席经书面委托", "employer's chief delegated in writing"),
    "round": ("第几轮", "round"), "outcome": ("会议结果", "outcome"), "chair": ("本轮首席发言方", "chaired by"),
    "attendance": ("出席人数", "attendance"), "resume_on": ("约定恢复日期", "resume on"),
    "body": ("审议机构", "approved by"), "total": ("代表总数", "representatives in all"), "present": ("出席人数", "present"),
    "votes_for": ("赞成票", "votes for"), "managers": ("其中管理人员", "of whom managers"),
    "term_start": ("期限起始日", "term starts"), "term_end": ("期限截止日", "term ends"), "authority": ("报送机关", "filed with"),
    "accepted_on": ("申请受理日期", "application accepted on"), "method": ("公布方式", "how it was published"),
    "staff_total": ("职工总数", "workers in all"), "staff_consenting": ("同意的职工人数", "workers consenting"),
}


@dataclass(frozen=True)
class Input:
    """One field of a trigger form."""

    name: str  # the data key
    type: str
    label: str
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    rows: int = 0  # for a representatives table

    @property
    def html_name(self) -> str:
        """The name of the form field."""
        return PREFIX + self.name


@dataclass(frozen=True)
class TriggerForm:
    """A trigger a person may fire now, with its fields."""

    trigger: str
    label: str
    inputs: tuple[Input, ...]


def _label(key: str, lang: str) -> str:
    from engine.vocab import field_label

    if key not in FIELD_LABELS:  # the engine's table of data keys (the command line's names) next
        label = field_label(key, lang)
        return label if label != key else key.replace("_", " ")
    zh, en = FIELD_LABELS[key]
    return zh if lang == "zh" else en


def form_for(t: Transition, lang: str) -> TriggerForm:
    """The form of one trigger."""
    inputs = []
    for name, f in t.fields.items():
        choices = tuple((v, VALUE_LABELS.get(v, (v, v))[0 if lang == "zh" else 1]) for v in f.values)
        inputs.append(Input(name, f.type, _label(name, lang), f.required, choices, REP_ROWS if f.type == "reps" else 0))
    return TriggerForm(t.trigger, t.zh if lang == "zh" else t.en, tuple(inputs))


def forms_for(workflow_key: str, allowed: list[str], lang: str) -> list[TriggerForm]:
    """The forms of the triggers allowed in a case's state (automatic ones are never offered)."""
    spec = registry.spec(workflow_key)
    return [form_for(spec.transitions[t], lang) for t in allowed if t in spec.transitions and not spec.transitions[t].auto]


def _reps(form: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    out = []
    for i in range(100):  # rows are numbered from 0; "add a row" appends more
        name = str(form.get(f"{PREFIX}{key}.{i}.name", "")).strip()
        if name:
            out.append({"name": name, "chief": f"{PREFIX}{key}.{i}.chief" in form,
                        "external": f"{PREFIX}{key}.{i}.external" in form})
    return out


def checked(form: Mapping[str, Any], field: str, zh: str, en: str) -> str:
    """A posted text field, refused (DataError naming the field, the position and the code point) when it holds a
    control or bidi character: engine.values.check_free_text, the check the command line and the imports ask."""
    return check_free_text(str(form.get(field, "")), zh, en)


def data_from(t: Transition, form: Mapping[str, Any]) -> dict[str, Any]:
    """The posted form as trigger data: empty fields left out (the engine then applies its defaults or refuses by name).
    Every text posted is checked for control characters first, named by its label."""
    for field in form:
        if str(field).startswith(PREFIX):
            key = str(field)[len(PREFIX):].split(".")[0]
            checked(form, str(field), _label(key, "zh"), _label(key, "en"))
    data: dict[str, Any] = {}
    for name, f in t.fields.items():
        if f.type == "reps":
            reps = _reps(form, name)
            if reps:
                data[name] = reps
        elif f.type == "bool":
            if PREFIX + name in form:
                data[name] = True
        elif f.type == "list":
            lines = [line.strip() for line in str(form.get(PREFIX + name, "")).splitlines() if line.strip()]
            if lines:
                data[name] = lines
        else:
            value = str(form.get(PREFIX + name, "")).strip()
            if value:
                data[name] = value
    return data


def values_of(t: Transition, data: Mapping[str, Any]) -> dict[str, Any]:
    """Recorded trigger data as the posted form that would give it (the amend form's prefill): dates and numbers as
    text, lists one a line, checkboxes present when true, representatives as numbered rows."""
    out: dict[str, Any] = {}
    for name, f in t.fields.items():
        value = data.get(name)
        if value is None:
            continue
        if f.type == "reps" and isinstance(value, list):
            for i, rep in enumerate(value):
                if isinstance(rep, Mapping):
                    out[f"{PREFIX}{name}.{i}.name"] = str(rep.get("name", ""))
                    for flag in ("chief", "external"):
                        if rep.get(flag):
                            out[f"{PREFIX}{name}.{i}.{flag}"] = "1"
        elif f.type == "bool":
            if value:
                out[PREFIX + name] = "1"
        elif f.type == "list" and isinstance(value, list):
            out[PREFIX + name] = "\n".join(str(v) for v in value)
        else:
            out[PREFIX + name] = str(value)
    return out


def rep_rows(form: Mapping[str, Any], key: str, least: int = REP_ROWS) -> int:
    """How many representative rows a form needs to show what `form` holds for `key`, and room for more."""
    used = [i for i in range(100) if str(form.get(f"{PREFIX}{key}.{i}.name", "")).strip()]
    return max(least, (max(used) + 3) if used else 0)


def amended_data(t: Transition, form: Mapping[str, Any], recorded: Mapping[str, Any]) -> dict[str, Any]:
    """The amend form read back as corrected data: as `data_from`, and a checkbox the recorded data had ticked and the
    form leaves unticked is a correction to false (an amendment keeps every key it is not given)."""
    data = data_from(t, form)
    for name, f in t.fields.items():
        if f.type == "bool" and recorded.get(name) and name not in data:
            data[name] = False
    return data


NOT_TYPED = {"csrftoken", "trigger", "expect_version", "workflow", "seq", "at_was"}
TYPED_LABELS = {"note": ("备注", "note"), "reason": ("原因", "reason"), "at": ("发生时间", "when it happened"),
                "activity": ("工作内容", "activity"), "hours": ("工时", "hours")}


def typed(form: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """What a person typed into a form that could not be saved, as (label, value) to show back: hidden fields and
    empty ones left out, a representative's row by its table's label."""
    out = []
    for name, value in form.items():
        text = str(value).strip()
        if name in NOT_TYPED or not text:
            continue
        if name.startswith(PREFIX):
            key = name[len(PREFIX):].split(".")
            label = _label(key[0], lang)
            if len(key) == 3 and key[2] != "name":
                continue  # a representative's chief / external box: the name's row says enough
        else:
            zh, en = TYPED_LABELS.get(name, (name, name))
            label = zh if lang == "zh" else en
        out.append((label, text))
    return out
