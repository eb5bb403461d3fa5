"""Finds the workflow files and jurisdiction profiles shipped in workflows/ and compiles them once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from engine.errors import DataError, NotFoundError, SetupError, did_you_mean
from engine.permission import RoleSpec
from engine.registry.definitions import DEFAULT_JURISDICTION as DEFAULT_JURISDICTION
from engine.registry.definitions import Profile as Profile
from engine.spec import Param, WorkflowSpec, parse_key

DEFAULT_WORKFLOW = "enterprise_wage"


def specs() -> dict[str, WorkflowSpec]:
    """Every workflow version shipped, keyed name@version (compiled once, cached on disk)."""
    from engine.registry import compiled

    return compiled.bundle().specs


def load(files: Mapping[str, str]) -> dict[str, WorkflowSpec]:
    """Compile workflow files from {where: text}, refusing any that opens a path around the law (engine/lawful.py)."""
    from engine.registry.definitions import build_specs

    return build_specs(files)


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


def profiles() -> dict[str, Profile]:
    """Every jurisdiction profile shipped in workflows/jurisdictions/ (compiled once, cached on disk)."""
    from engine.registry import compiled

    return compiled.bundle().profiles


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


def roles() -> dict[str, RoleSpec]:
    """The roles shipped in workflows/roles.toml (DOMAIN §9), compiled once (cached on disk with the workflows:
    a database with users asks them on every command, and parsing them meant importing tomllib)."""
    from engine.registry import compiled

    return compiled.bundle().roles
