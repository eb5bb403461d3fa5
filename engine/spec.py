"""Workflow definition files (TOML) → frozen, validated specs. No I/O beyond reading the given text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from engine.errors import SetupError


@lru_cache(maxsize=256)
def _fraction(text: str) -> Fraction:
    return Fraction(text)  # parsed once per distinct value: checks ask for shares on every trigger


FIELD_TYPES = ("enum", "date", "int", "str", "list", "bool", "reps", "number")
UNITS = ("days", "working_days", "months", "none", "")


@dataclass(frozen=True)
class Param:
    """A named number of a workflow (a day count, a share, a threshold) with its legal source."""

    name: str
    value: Any
    unit: str = ""
    source: str = ""
    what: str = ""

    def fraction(self) -> Fraction:
        """The value as an exact fraction ('2/3' → 2/3)."""
        return _fraction(str(self.value))


@dataclass(frozen=True)
class Field:
    """One key of the data a trigger carries."""

    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    default: Any = None
    # An enum's values named in Chinese (`labels = { upper = "上级工会要约" }`); engine/vocab.py has the fallback.
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Check:
    """A named rule (a function in engine/rules.py) and the legal source it enforces; `source_zh` is the source as
    a Chinese reader reads it, where it explains rather than cites (`the profile's max_reps`): empty, the source is
    cited in Chinese (engine.citation)."""

    rule: str
    source: str
    source_zh: str = ""


@dataclass(frozen=True)
class Transition:
    """A trigger, the states it leaves from, the state it goes to, its data and its checks."""

    trigger: str
    sources: tuple[str, ...]
    dest: str
    zh: str
    en: str
    fields: Mapping[str, Field]
    checks: tuple[Check, ...]
    auto: bool = False
    deadline: str = ""
    # Where `dest` is a list: the states the trigger may lead to, in order; the machine takes the first
    # whose legal preconditions (engine/lawful.py) the case meets. `dest` is the first of them.
    dests: tuple[str, ...] = ()

    @property
    def destinations(self) -> tuple[str, ...]:
        """Every state the trigger may lead to (one, unless `dest` lists several)."""
        return self.dests or (self.dest,)


@dataclass(frozen=True)
class State:
    """A state with its names in both languages."""

    name: str
    zh: str
    en: str
    final: bool = False
    in_force: bool = False  # the contract is in force in this state (coverage counts it; not on anyone's desk)


@dataclass(frozen=True)
class Extension:
    """A trigger that extends a deadline once, by the days in its data key, at most the param's number."""

    trigger: str
    key: str
    param: str


@dataclass(frozen=True)
class DeadlineSpec:
    """A legal period of a workflow: what starts it, how long it runs, what meets it, what fires when it runs out."""

    kind: str
    zh: str
    en: str
    starts: tuple[str, ...]
    date_key: str = ""  # data key of the start event holding the start date; "" = the day the event happened
    param: str = ""  # the period's length; "" = the start date itself is the due date
    source: str = ""  # the legal source of a fixed date (a period's source is its param's)
    counted_zh: str = ""
    counted_en: str = ""
    met_by: tuple[str, ...] = ()
    while_states: tuple[str, ...] = ()
    before: bool = False  # a window of `param` units ending on the start date (e.g. before expiry)
    roll: bool = True  # 民法典 art. 203: a last day on a rest day moves to the next working day
    listed: bool = True  # shown in deadline lists and overdue counts (term_end only drives `expire`)
    extension: Extension | None = None
    met_by_renewal: bool = False  # met by the offer of a later case of the same enterprise (a renewal)
    lapse: str = ""  # the automatic trigger with `deadline = kind`, if any
    # Once the period has run out, the law has acted (e.g. 审查期满无异议即行生效): triggers in `closes` are
    # refused (a late objection), and those in `deemed`, recorded later, are dated when the period ran out.
    closes: tuple[str, ...] = ()
    deemed: tuple[str, ...] = ()


DEADLINE_KEYS = {"zh", "en", "from", "date", "param", "source", "counted", "met_by", "while", "before", "roll",
                 "listed", "extension", "met_by_renewal", "closes", "deemed"}


@dataclass(frozen=True)
class WorkflowSpec:
    """One version of one workflow, as declared in workflows/NAME/vN.toml."""

    name: str
    version: int
    initial: str
    contract: str
    title_zh: str
    title_en: str
    states: Mapping[str, State]
    transitions: Mapping[str, Transition]
    params: Mapping[str, Param]
    deadlines: Mapping[str, DeadlineSpec] = field(default_factory=dict)
    extends: str = ""
    scope: str = "enterprise"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> str:
        """name@version, as stored on every case."""
        return f"{self.name}@{self.version}"

    @property
    def final_states(self) -> tuple[str, ...]:
        """States a case never leaves (`final = true` in the workflow file)."""
        return tuple(s for s, st in self.states.items() if st.final)

    @property
    def in_force_states(self) -> tuple[str, ...]:
        """States in which the contract is in force (`in_force = true`)."""
        return tuple(s for s, st in self.states.items() if st.in_force)

    @property
    def settled_states(self) -> tuple[str, ...]:
        """States in which a case is no longer under way: in force, or ended."""
        return tuple(s for s, st in self.states.items() if st.final or st.in_force)

    def triggers_from(self, state: str, *, include_auto: bool = True) -> list[str]:
        """Triggers that may leave the given state, in declaration order."""
        return [
            t.trigger
            for t in self.transitions.values()
            if state in t.sources and (include_auto or not t.auto)
        ]


def parse_key(key: str) -> tuple[str, int | None]:
    """'enterprise_wage@1' → ('enterprise_wage', 1); 'enterprise_wage' → ('enterprise_wage', None)."""
    name, _, ver = key.partition("@")
    if not ver:
        return name, None
    try:
        return name, int(ver)
    except ValueError:
        raise SetupError(
            f"工作流版本号无效：{key}", f"invalid workflow version: {key}", hint_zh="请写 名称@版本号", hint_en="write NAME@N"
        ) from None


def load_toml(text: str, where: str) -> dict[str, Any]:
    """Parse one definition file, turning syntax errors into SetupError naming the file."""
    import tomllib  # only when a file is parsed: the compiled definitions come from the cache

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SetupError(
            f"工作流文件 {where} 格式错误：{exc}", f"workflow file {where} is not valid TOML: {exc}"
        ) from None


def merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """A variation: the child's keys win; params and states are merged key by key."""
    out = dict(base)
    for key, value in child.items():
        if key in ("params", "states", "deadlines") and isinstance(value, Mapping):
            merged = dict(base.get(key, {}))
            merged.update(value)
            out[key] = merged
        elif key == "transitions":
            by_trigger = {t["trigger"]: t for t in base.get("transitions", [])}
            for t in value:
                by_trigger[t["trigger"]] = t
            out[key] = list(by_trigger.values())
        else:
            out[key] = value
    out.pop("extends", None)
    return out


def build(raw: Mapping[str, Any], where: str, *, extends: str = "") -> WorkflowSpec:
    """Validate a (merged) definition and freeze it into a WorkflowSpec."""

    def broken(zh: str, en: str) -> SetupError:
        return SetupError(f"工作流文件 {where}：{zh}", f"workflow file {where}: {en}")

    for key in ("name", "version", "initial", "states", "transitions"):
        if key not in raw:
            raise broken(f"缺少 {key}", f"missing '{key}'")
    states = {
        name: State(name, str(s.get("zh", name)), str(s.get("en", name)), bool(s.get("final", False)),
                    bool(s.get("in_force", False)))
        for name, s in raw["states"].items()
    }
    if raw["initial"] not in states:
        raise broken(f"初始状态 {raw['initial']} 未定义", f"initial state '{raw['initial']}' is not a state")
    params: dict[str, Param] = {}
    for name, p in raw.get("params", {}).items():
        if not isinstance(p, Mapping) or "value" not in p:
            raise broken(f"参数 {name} 缺少 value", f"param '{name}' needs a value")
        if p.get("unit", "") not in UNITS:
            raise broken(f"参数 {name} 单位无效", f"param '{name}' has unknown unit '{p.get('unit')}'")
        params[name] = Param(name, p["value"], str(p.get("unit", "")), str(p.get("source", "")), str(p.get("what", "")))
    transitions: dict[str, Transition] = {}
    for t in raw["transitions"]:
        trig = t.get("trigger")
        if not trig:
            raise broken("转换缺少 trigger", "a transition has no 'trigger'")
        if trig in transitions:
            raise broken(f"触发器 {trig} 重复", f"trigger '{trig}' is declared twice")
        sources = (t["source"],) if isinstance(t.get("source"), str) else tuple(t.get("source", ()))
        raw_dest = t.get("dest")
        dests = tuple(str(d) for d in raw_dest) if isinstance(raw_dest, list) else ()
        if isinstance(raw_dest, list) and not dests:
            raise broken(f"触发器 {trig} 的 dest 为空", f"trigger '{trig}' has an empty 'dest'")
        for s in (*sources, *(dests or (raw_dest,))):
            if s not in states:
                raise broken(f"触发器 {trig} 引用了未定义的状态 {s}", f"trigger '{trig}' names unknown state '{s}'")
        fields = {}
        for fname, f in t.get("data", {}).items():
            ftype = f.get("type")
            if ftype not in FIELD_TYPES:
                raise broken(f"{trig}.{fname} 类型无效", f"{trig}.{fname} has unknown type '{ftype}'")
            labels = f.get("labels", {})
            if not isinstance(labels, Mapping) or not set(labels) <= set(f.get("values", ())):
                raise broken(f"{trig}.{fname} 的 labels 应为取值到中文名的表", f"{trig}.{fname}: 'labels' must map its values to names")
            fields[fname] = Field(fname, ftype, bool(f.get("required", False)), tuple(f.get("values", ())), f.get("default"),
                                  {str(k): str(v) for k, v in labels.items()})
        checks = []
        for c in t.get("checks", []):
            if not c.get("rule") or not c.get("source"):
                raise broken(f"{trig} 的检查需要 rule 和 source", f"every check of '{trig}' needs a rule and its source")
            checks.append(Check(str(c["rule"]), str(c["source"]), str(c.get("source_zh", ""))))
        transitions[trig] = Transition(
            trig, sources, dests[0] if dests else str(raw_dest), str(t.get("zh", trig)), str(t.get("en", trig)),
            fields, tuple(checks), bool(t.get("auto", False)), str(t.get("deadline", "")), dests if len(dests) > 1 else (),
        )
    deadlines = _deadlines(raw.get("deadlines", {}), states, transitions, broken)
    title = raw.get("title", {})
    return WorkflowSpec(
        name=str(raw["name"]),
        version=int(raw["version"]),
        initial=str(raw["initial"]),
        contract=str(raw.get("contract", "")),
        title_zh=str(title.get("zh", raw["name"])),
        title_en=str(title.get("en", raw["name"])),
        states=states,
        transitions=transitions,
        params=params,
        deadlines=deadlines,
        extends=extends,
        scope=str(raw.get("scope", "enterprise")),
        raw=dict(raw),
    )


def _names(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value or ())


def _deadlines(
    raw: Mapping[str, Any], states: Mapping[str, State], transitions: Mapping[str, Transition],
    broken: Callable[[str, str], SetupError],
) -> dict[str, DeadlineSpec]:
    """The [deadlines.KIND] tables, checked against the states, triggers and trigger data they name."""
    lapses = {t.deadline: t for t in transitions.values() if t.deadline}
    out: dict[str, DeadlineSpec] = {}
    for kind, d in raw.items():
        if not isinstance(d, Mapping):
            raise broken(f"期限 {kind} 应为表", f"deadline '{kind}' must be a table")
        unknown = sorted(set(d) - DEADLINE_KEYS)
        if unknown:
            raise broken(f"期限 {kind} 有未知的键 {', '.join(unknown)}", f"deadline '{kind}' has unknown keys {', '.join(unknown)}")
        starts, met_by, during = _names(d.get("from")), _names(d.get("met_by")), _names(d.get("while"))
        closes, deemed = _names(d.get("closes")), _names(d.get("deemed"))
        if not starts:
            raise broken(f"期限 {kind} 缺少 from", f"deadline '{kind}' needs 'from' (the triggers that start it)")
        for trig in (*starts, *met_by, *closes, *deemed):
            if trig not in transitions:
                raise broken(f"期限 {kind} 引用了未定义的触发器 {trig}", f"deadline '{kind}' names unknown trigger '{trig}'")
        for trig in (*closes, *deemed):
            if transitions[trig].auto or trig not in met_by:
                raise broken(f"期限 {kind} 的 closes/deemed 只能列出 met_by 中的人工触发器（{trig}）",
                             f"deadline '{kind}': closes/deemed name only manual triggers of its met_by ('{trig}')")
        for st in during:
            if st not in states:
                raise broken(f"期限 {kind} 引用了未定义的状态 {st}", f"deadline '{kind}' names unknown state '{st}'")
        date_key, param, source = str(d.get("date", "")), str(d.get("param", "")), str(d.get("source", ""))
        if date_key and not any(date_key in transitions[t].fields for t in starts):
            raise broken(f"期限 {kind} 的 date = {date_key} 不是 from 触发器的数据",
                         f"deadline '{kind}': date '{date_key}' is not data of its 'from' triggers")
        if not param and not (date_key and source):
            raise broken(f"期限 {kind} 需要 param，或固定日期的 date 和 source",
                         f"deadline '{kind}' needs a 'param', or a fixed 'date' with its 'source'")
        if d.get("before") and not (param and date_key):
            raise broken(f"期限 {kind} 的 before 需要 param 和 date", f"deadline '{kind}': 'before' needs 'param' and 'date'")
        ext = d.get("extension")
        extension = None
        if ext is not None:
            if not isinstance(ext, Mapping) or not all(ext.get(k) for k in ("trigger", "key", "param")):
                raise broken(f"期限 {kind} 的 extension 需要 trigger、key、param",
                             f"deadline '{kind}': 'extension' needs trigger, key and param")
            t = transitions.get(str(ext["trigger"]))
            if t is None or str(ext["key"]) not in t.fields:
                raise broken(f"期限 {kind} 的 extension 引用了未定义的触发器或数据",
                             f"deadline '{kind}': 'extension' names an unknown trigger or data key")
            extension = Extension(str(ext["trigger"]), str(ext["key"]), str(ext["param"]))
        counted = d.get("counted", {})
        lapse = lapses.get(kind)
        if lapse is not None and not lapse.auto:
            raise broken(f"触发器 {lapse.trigger} 有 deadline 但不是自动转换", f"trigger '{lapse.trigger}' has a deadline but is not auto")
        out[kind] = DeadlineSpec(
            kind, str(d.get("zh", kind)), str(d.get("en", kind)), starts, date_key, param, source,
            str(counted.get("zh", "")), str(counted.get("en", "")), met_by, during, bool(d.get("before", False)),
            bool(d.get("roll", True)), bool(d.get("listed", True)), extension, bool(d.get("met_by_renewal", False)),
            lapse.trigger if lapse else "", closes, deemed,
        )
    dangling = sorted(k for k in lapses if k not in out)
    if dangling and out:
        names = ", ".join(dangling)
        raise broken(f"自动转换引用了未定义的期限 {names}", f"automatic transitions name undeclared deadlines: {names}")
    return out


def build_all(files: Mapping[str, str]) -> dict[str, WorkflowSpec]:
    """Build every definition from {where: text}, resolving `extends` between them."""
    raws: dict[str, tuple[str, dict[str, Any]]] = {}
    for where, text in files.items():
        raw = load_toml(text, where)
        if "name" not in raw or "version" not in raw:
            raise SetupError(f"工作流文件 {where} 缺少 name 或 version", f"workflow file {where} needs name and version")
        raws[f"{raw['name']}@{raw['version']}"] = (where, raw)

    resolved: dict[str, dict[str, Any]] = {}

    def resolve(key: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        if key in resolved:
            return resolved[key]
        where, raw = raws[key]
        parent = raw.get("extends")
        if parent:
            if parent not in raws:
                raise SetupError(f"{where} 继承的 {parent} 不存在", f"{where} extends '{parent}', which does not exist")
            if parent in seen:
                raise SetupError(f"{where} 继承关系成环", f"{where}: 'extends' forms a cycle")
            raw = merge(resolve(parent, (*seen, key)), raw)
        resolved[key] = raw
        return raw

    return {
        key: build(resolve(key), where, extends=str(raw.get("extends", "")))
        for key, (where, raw) in raws.items()
    }
