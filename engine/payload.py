"""Trigger data: check it against the keys a transition declares, and normalise it. Pure."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

from engine.errors import DataError, did_you_mean
from engine.spec import Field, Transition
from engine.values import check_free_text, clean, exact, parse_bool, parse_date, parse_int, parse_number, split_list
from engine.vocab import enum_choices, enum_guess, enum_label, enum_value

REP_KEYS = {"name", "chief", "external", "role", "frontline"}


def _bad(trigger: str, key: str, zh: str, en: str, actual: Any = None) -> DataError:
    return DataError(
        f"{trigger} 的数据 {key}：{zh}", f"{trigger} data '{key}': {en}", rule="trigger_data", actual=actual
    )


def _as_json(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{":
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                pass
    return value


def _reps(trigger: str, key: str, value: Any) -> list[dict[str, Any]]:
    value = _as_json(value)
    if not isinstance(value, list):
        raise _bad(trigger, key, "应为 JSON 列表，如 [{\"name\": \"张三\", \"chief\": true}]",
                   'must be a JSON list like [{"name": "Zhang", "chief": true}]', value)
    reps: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(value, 1):
        if isinstance(item, str):
            item = {"name": item}
        # type() first: an isinstance() against the Mapping ABC costs more than the rest of an item's checks
        if type(item) is not dict and not isinstance(item, Mapping):
            raise _bad(trigger, key, f"第 {i} 项不是对象", f"item {i} is not an object", item)
        if not REP_KEYS.issuperset(item):
            unknown = set(item) - REP_KEYS
            raise _bad(trigger, key, f"第 {i} 项有未知键 {sorted(unknown)}", f"item {i} has unknown keys {sorted(unknown)}", item)
        name = exact(item.get("name"))
        if not name:
            raise _bad(trigger, key, f"第 {i} 项缺少姓名", f"item {i} has no name", item)
        if name in seen:
            raise _bad(trigger, key, f"{name} 重复出现", f"{name} appears twice", item)
        seen.add(name)
        try:
            rep = {
                "name": name,
                "chief": parse_bool(item.get("chief", False)),
                "external": parse_bool(item.get("external", False)),
            }
            if "frontline" in item:  # a front-line worker (山东 art. 7); kept only where said
                rep["frontline"] = parse_bool(item["frontline"])
        except ValueError as exc:
            raise _bad(trigger, key, f"第 {i} 项：{exc}", f"item {i}: {exc}", item) from None
        if item.get("role"):
            rep["role"] = exact(item["role"])
        reps.append(rep)
    return reps


def _list(trigger: str, key: str, value: Any) -> list[str]:
    value = _as_json(value)
    if isinstance(value, str):
        return split_list(value)
    if not isinstance(value, list):
        raise _bad(trigger, key, "应为列表", "must be a list", value)
    # Items given one by one (a JSON list, a repeated --set key) are kept whole: they may hold a comma.
    items = [exact(v) for v in value if not isinstance(v, (dict, list))]
    if len(items) != len(value):
        raise _bad(trigger, key, "列表的每一项应为文本", "each item of the list must be text", value)
    return [v for v in items if v]


_PARSERS: dict[str, Any] = {"int": parse_int, "number": parse_number, "bool": parse_bool, "date": parse_date}


def _typed(trigger: str, f: Field, parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def typed(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise _bad(trigger, f.name, f"类型错误（{exc}）", f"wrong type ({exc})", value) from None

    return typed


def _enum(trigger: str, f: Field, value: Any) -> str:
    text = clean(value)
    found = enum_value(f, text)
    if found is None:
        guess = enum_guess(f, text)
        raise DataError(
            f"{trigger} 的数据 {f.name}：{text} 应为 {enum_choices(f)} 之一",
            f"{trigger} data '{f.name}': '{text}' must be one of {'|'.join(f.values)}",
            hint_zh=f"是否要写 {guess}（{enum_label(f, f.name, guess, 'zh')}）？" if guess else "",
            hint_en=f"did you mean '{guess}'?" if guess else "",
            rule="trigger_data", actual=text, required=list(f.values),
        )
    return found


def _text(trigger: str, f: Field, value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise _bad(trigger, f.name, "应为文本", "must be text", value)
    return exact(value)


def parser(trigger: str, f: Field) -> Callable[[Any], Any]:
    """The function that checks and converts a given value of this field (DataError naming the trigger and key)."""
    parse = _PARSERS.get(f.type)
    if parse is not None:
        return _typed(trigger, f, parse)
    if f.type == "enum":
        return partial(_enum, trigger, f)
    if f.type == "list":
        return partial(_list, trigger, f.name)
    if f.type == "reps":
        return partial(_reps, trigger, f.name)
    return partial(_text, trigger, f)


_NO_DEFAULT, _TODAY, _NEXT, _GIVEN = range(4)


class Schema:
    """A transition's data keys compiled once (by the machine, per trigger): for each key its converter, its
    default and the names a refusal gives it, so a fire looks nothing up. `Schema(t)(raw, at, n)` is
    `normalise(t, raw, at, n)`."""

    __slots__ = ("fields", "keys", "needs_next", "t")

    def __init__(self, t: Transition) -> None:
        self.t = t
        self.fields = t.fields
        self.keys = tuple(
            (name, f.required, _default_kind(f), f.default, parser(t.trigger, f), f"{t.trigger} 的数据 {name}",
             f"{t.trigger} data '{name}'")
            for name, f in t.fields.items()
        )
        self.needs_next = any(f.default == "@next" for f in t.fields.values())  # the trigger's next number

    def __call__(self, raw: Mapping[str, Any], at: datetime, next_number: int) -> dict[str, Any]:
        fields = self.fields
        for key in raw:
            if key not in fields:
                raise _unknown(self.t, key)
        out: dict[str, Any] = {}
        for name, required, default_kind, default, parse, what_zh, what_en in self.keys:
            value = raw.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if required:
                    raise DataError(
                        f"{self.t.trigger} 缺少必填数据 {name}",
                        f"{self.t.trigger} needs '{name}'",
                        hint_zh=f"用 --set {name}=… 提供",
                        hint_en=f"give it with --set {name}=...",
                        rule="trigger_data",
                        required=name,
                    )
                if default_kind == _TODAY:
                    out[name] = at.date()
                elif default_kind == _NEXT:
                    out[name] = next_number
                elif default_kind == _GIVEN:
                    out[name] = default
                continue
            value = out[name] = parse(value)
            # --data FILE.json and the API: the check the options and forms get. Printable text holds no
            # control character (values.control_character), so only the others go through the check.
            if isinstance(value, str):
                if not value.isprintable():
                    check_free_text(value, what_zh, what_en)
            elif isinstance(value, (list, dict)):
                texts = _texts(value)
                if not "".join(texts).isprintable():  # all of them printable, asked once
                    for text in texts:
                        if not text.isprintable():
                            check_free_text(text, what_zh, what_en)
        return out


def _default_kind(f: Field) -> int:
    if f.default == "@date":
        return _TODAY
    if f.default == "@next":
        return _NEXT
    return _NO_DEFAULT if f.default is None else _GIVEN


def _unknown(t: Transition, key: str) -> DataError:
    guess = did_you_mean(key, list(t.fields))
    allowed = ", ".join(t.fields) or "—"
    return DataError(
        f"{t.trigger} 不接受数据 {key}（可用：{allowed}）",
        f"{t.trigger} does not take '{key}' (it takes: {allowed})",
        hint_zh=f"是否要写 {guess}？" if guess else "",
        hint_en=f"did you mean '{guess}'?" if guess else "",
        rule="trigger_data",
        actual=key,
    )


def normalise(t: Transition, raw: Mapping[str, Any], at: datetime, next_number: int) -> dict[str, Any]:
    """Checked, typed trigger data: unknown keys and missing required keys are refused by name."""
    return Schema(t)(raw, at, next_number)


def _texts(value: Any) -> list[str]:
    """The texts of a checked value: itself, a list's items, the names and roles of representatives."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            if isinstance(v, str):  # a list's text items, without a call each
                out.append(v)
            else:
                out += _texts(v)
        return out
    return []


def to_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """Trigger data as stored: dates as ISO strings."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
