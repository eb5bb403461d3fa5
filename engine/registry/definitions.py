"""Reads the shipped definition files (workflows/NAME/vN.toml, workflows/jurisdictions/*.toml) and
compiles them; engine/registry/compiled.py keeps the result between processes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from engine import lawful
from engine.errors import SetupError
from engine.spec import Param, WorkflowSpec, build_all, load_toml

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


def workflow_files() -> dict[str, str]:
    """The text of every shipped workflow file, keyed by its path under the package."""
    root = resources.files("workflows")
    files = {}
    for folder in sorted(root.iterdir(), key=lambda p: p.name):
        if folder.is_dir() and folder.name not in ("jurisdictions", "__pycache__"):
            for f in sorted(folder.iterdir(), key=lambda p: p.name):
                if f.name.endswith(".toml"):
                    files[f"workflows/{folder.name}/{f.name}"] = f.read_text(encoding="utf-8")
    return files


def roles_file() -> str:
    """The text of workflows/roles.toml (the roles and their grants, DOMAIN §9)."""
    return resources.files("workflows").joinpath("roles.toml").read_text(encoding="utf-8")


def build_specs(files: Mapping[str, str]) -> dict[str, WorkflowSpec]:
    """Compile workflow files (engine/registry/cache.py keeps the result between processes), refusing any that
    opens a path around the law (engine/lawful.py); a version superseded by a later one of the same workflow
    only serves its running cases, where the machine closes the path at run time."""
    built = build_all(files)
    latest: dict[str, int] = {}
    for s in built.values():
        latest[s.name] = max(latest.get(s.name, 0), s.version)
    for s in built.values():
        lawful.validate(s, superseded=s.version < latest[s.name])
    return built


def profile_files() -> list[tuple[str, str]]:
    """(where, text) of every jurisdiction profile shipped in workflows/jurisdictions/."""
    folder = resources.files("workflows").joinpath("jurisdictions")
    return [(f"workflows/jurisdictions/{f.name}", f.read_text(encoding="utf-8"))
            for f in sorted(folder.iterdir(), key=lambda p: p.name) if f.name.endswith(".toml")]


def build_profiles(files: list[tuple[str, str]]) -> dict[str, Profile]:
    """Compile jurisdiction profiles from their texts."""
    out = {}
    for where, text in files:
        raw = load_toml(text, where)
        name = str(raw.get("name", where.rsplit("/", 1)[-1][:-5]))
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
