"""Finds the workflow files and jurisdiction profiles shipped in workflows/ and compiles them once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from engine.errors import DataError, NotFoundError, SetupError, did_you_mean
from engine.spec import Param, WorkflowSpec, build_all, load_toml, parse_key

DEFAULT_WORKFLOW = "enterprise_wage"
DEFAULT_JURISDICTION = "national"


@dataclass(frozen=True)
class Profile:
    """A jurisdiction's overrides of workflow numbers, each with its local source."""

    name: str
    title_zh: str
    title_en: str
    params: Mapping[str, Param]
    per_workflow: Mapping[str, Mapping[str, Param]]

    def resolve(self, spec: WorkflowSpec) -> dict[str, Param]:
        """The parameters in force for a workflow under this profile."""
        out = dict(spec.params)
        for source in (self.params, self.per_workflow.get(spec.name, {})):
            for name, p in source.items():
                base = out.get(name)
                out[name] = Param(name, p.value, p.unit or (base.unit if base else ""), p.source, p.what or (base.what if base else ""))
        return out


def _params(raw: Mapping[str, Any], where: str) -> dict[str, Param]:
    out = {}
    for name, p in raw.items():
        if not isinstance(p, Mapping) or "value" not in p or "source" not in p:
            raise SetupError(f"{where}：参数 {name} 需要 value 和 source", f"{where}: param '{name}' needs a value and a source")
        out[name] = Param(name, p["value"], str(p.get("unit", "")), str(p["source"]), str(p.get("what", "")))
    return out


@lru_cache(maxsize=1)
def specs() -> dict[str, WorkflowSpec]:
    """Every workflow version shipped, keyed name@version."""
    root = resources.files("workflows")
    files = {}
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if folder.is_dir() and folder.name not in ("jurisdictions", "__pycache__"):
            for f in sorted(folder.iterdir(), key=lambda p: p.name):
                if f.name.endswith(".toml"):
                    files[f"workflows/{folder.name}/{f.name}"] = f.read_text(encoding="utf-8")
    return build_all(files)


def spec(key: str) -> WorkflowSpec:
    """A workflow by name@version, or the latest version of a bare name."""
    try:
        name, version = parse_key(key)
    except SetupError as exc:  # typed by a person: bad input, not a broken installation
        raise DataError(exc.zh, exc.en, hint_zh="请写 名称@版本号，如 enterprise_wage@1", hint_en="write NAME@N, e.g. enterprise_wage@1",
                        rule="workflow", actual=key) from None
    versions = sorted(s.version for s in specs().values() if s.name == name)
    if not versions:
        names = sorted({s.name for s in specs().values()})
        guess = did_you_mean(name, names)
        raise NotFoundError(
            f"没有工作流 {name}（可用：{', '.join(names)}）", f"no workflow '{name}' (available: {', '.join(names)})",
            hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean '{guess}'?" if guess else "",
        )
    if version is None:
        version = versions[-1]
    found = specs().get(f"{name}@{version}")
    if found is None:
        raise NotFoundError(f"工作流 {name} 没有版本 {version}", f"workflow '{name}' has no version {version}")
    return found


@lru_cache(maxsize=1)
def profiles() -> dict[str, Profile]:
    """Every jurisdiction profile shipped in workflows/jurisdictions/."""
    out = {}
    folder = resources.files("workflows").joinpath("jurisdictions")
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".toml"):
            continue
        where = f"workflows/jurisdictions/{f.name}"
        raw = load_toml(f.read_text(encoding="utf-8"), where)
        name = str(raw.get("name", f.name[:-5]))
        title = raw.get("title", {})
        out[name] = Profile(
            name,
            str(title.get("zh", name)),
            str(title.get("en", name)),
            _params(raw.get("params", {}), where),
            {wf: _params(p.get("params", {}), where) for wf, p in raw.get("workflows", {}).items()},
        )
    if DEFAULT_JURISDICTION not in out:
        raise SetupError("缺少全国默认配置 national.toml", "the national profile (national.toml) is missing")
    return out


def profile(name: str) -> Profile:
    """A jurisdiction profile by name."""
    found = profiles().get(name)
    if found is None:
        names = sorted(profiles())
        guess = did_you_mean(name, names)
        raise NotFoundError(f"没有地区配置 {name}（可用：{', '.join(names)}）", f"no jurisdiction '{name}' (available: {', '.join(names)})",
                            hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean '{guess}'?" if guess else "",
                            rule="jurisdiction", actual=name)
    return found


@cache
def params_for(key: str, jurisdiction: str) -> dict[str, Param]:
    """Parameters in force for a case of this workflow version under this jurisdiction."""
    return profile(jurisdiction).resolve(spec(key))


@cache
def settled_states() -> tuple[str, ...]:
    """States, of any shipped workflow, in which a case is no longer under way (in force or ended)."""
    return tuple(sorted({s for spec in specs().values() for s in spec.settled_states}))


@cache
def final_states() -> tuple[str, ...]:
    """States, of any shipped workflow, that a case never leaves."""
    return tuple(sorted({s for spec in specs().values() for s in spec.final_states}))
