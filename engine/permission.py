"""Who may do what, where (DOMAIN §9): grants over subtrees of the union hierarchy, decided as data.

Pure: roles come from the text of workflows/roles.toml (`roles_from_toml_text`); `decide` answers one
question (a principal, an action id, a resource) with a Decision that names the rule, its source, what
was required and what the principal has. Deny by default. Organisation paths are the materialised
paths of engine/directory.py ('/320000/320500/', the root is '/'): a grant covers a resource when the
resource's path starts with the grant's path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.errors import DataError, RefusedError, SetupError, did_you_mean

ACTIONS = (
    "case.read", "case.open", "case.advance", "case.log", "case.assign", "case.correct",
    "campaign.launch", "data.import", "report.read", "report.export",
    "user.manage", "counselor.read", "counselor.manage", "contract.manage", "deadline.reproject",
)
SUBTREE = "subtree"
ASSIGNED = "assigned"  # only what is assigned to the principal's own counselor record
SCOPES = (SUBTREE, ASSIGNED)
ROOT = "/"
SOURCE_FILE = "roles.toml"


def _check_path(path: str, what: str) -> None:
    # A path without both slashes would make the prefix test match siblings ('/3205' and '/32050/').
    if not (path.startswith("/") and path.endswith("/")) or "//" in path:
        raise DataError(f"{what}的组织路径格式不对：{path!r}（应如 '/320500/320505/'）",
                        f"{what} has a malformed organisation path {path!r} (expected like '/320500/320505/')")


@dataclass(frozen=True)
class Grant:
    """A role held at an organisation, covering its whole subtree."""

    role: str
    org_path: str

    def __post_init__(self) -> None:
        _check_path(self.org_path, "授权")

    def covers(self, path: str | None) -> bool:
        """Whether a resource at `path` lies in this grant's subtree (no organisation: only the root)."""
        if path is None:
            return self.org_path == ROOT
        return path.startswith(self.org_path)

    def as_json(self) -> dict[str, str]:
        """The grant as JSON."""
        return {"role": self.role, "org_path": self.org_path}


@dataclass(frozen=True)
class Principal:
    """A user as the permission check sees them: login, name, grants, linked counselor, active or disabled."""

    login: str
    name: str
    grants: tuple[Grant, ...]
    counselor_id: int | None = None
    active: bool = True

    def as_json(self) -> dict[str, Any]:
        """What the principal has, for a refusal's `actual`."""
        return {"login": self.login, "active": self.active, "counselor_id": self.counselor_id,
                "grants": [g.as_json() for g in self.grants]}


@dataclass(frozen=True)
class Resource:
    """What an action is on: its organisation path (None if it has none) and the counselor it is assigned to."""

    org_path: str | None
    assigned_counselor: int | None = None
    kind: str = "case"

    def __post_init__(self) -> None:
        if self.org_path is not None:
            _check_path(self.org_path, "对象")

    def as_json(self) -> dict[str, Any]:
        """The resource as JSON, for a refusal's `required`."""
        return {"kind": self.kind, "org_path": self.org_path, "assigned_counselor": self.assigned_counselor}


@dataclass(frozen=True)
class Permit:
    """One action a role may take: its titles, how far it reaches, and the rule it comes from."""

    action: str
    zh: str
    en: str
    scope: str
    source: str


@dataclass(frozen=True)
class RoleSpec:
    """A role as declared in roles.toml, its inherited actions resolved."""

    name: str
    zh: str
    en: str
    source: str
    actions: Mapping[str, Permit] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """The answer to one permission question, with everything a refusal must say."""

    allowed: bool
    rule: str
    source: str
    required: dict[str, Any]
    actual: dict[str, Any]
    zh: str
    en: str
    hidden: bool = False  # the resource lies outside every grant: a front end answers "not found"


class PermissionRefusedError(RefusedError):
    """A permission rule refused the request (DOMAIN §9); the web answers 403, or 404 when `hidden`."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.zh, decision.en, rule=decision.rule, source=decision.source,
                         required=decision.required, actual=decision.actual)
        self.decision = decision
        self.hidden = decision.hidden


# --- roles.toml -------------------------------------------------------------------------------------

def _setup(zh: str, en: str) -> SetupError:
    return SetupError(f"roles.toml 有误：{zh}", f"roles.toml is broken: {en}")


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _setup(f"{where} 缺少 {key}", f"{where} has no {key}")
    return value


def _only(table: Mapping[str, Any], keys: set[str], where: str) -> None:
    for key in table:
        if key not in keys:
            near = did_you_mean(key, sorted(keys))
            hint = f" (did you mean {near!r}?)" if near else ""
            raise _setup(f"{where} 有未知的键 {key!r}", f"{where} has an unknown key {key!r}{hint}")


def roles_from_toml_text(text: str) -> dict[str, RoleSpec]:
    """The roles declared in the text of roles.toml, keyed by name (SetupError if the file is broken)."""
    import tomllib  # only when a file is parsed: the compiled definitions come from the cache

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _setup(f"不是有效的 TOML：{exc}", f"not valid TOML: {exc}") from exc
    _only(doc, {"version", "actions", "roles"}, "the file")
    if doc.get("version") != 1:
        raise _setup("version 应为 1", "version must be 1")
    titles: dict[str, tuple[str, str]] = {}
    for action, table in dict(doc.get("actions", {})).items():
        where = f"actions.{action!r}"
        _only(table, {"zh", "en"}, where)
        titles[action] = (_text(table, "zh", where), _text(table, "en", where))
    raw = dict(doc.get("roles", {}))
    if not raw:
        raise _setup("没有声明任何角色", "no roles are declared")
    built: dict[str, RoleSpec] = {}

    def build(name: str, chain: tuple[str, ...]) -> RoleSpec:
        if name in built:
            return built[name]
        if name in chain:
            raise _setup(f"角色继承成环：{' → '.join((*chain, name))}", f"roles extend in a cycle: {' -> '.join((*chain, name))}")
        if name not in raw:
            near = did_you_mean(name, sorted(raw))
            hint = f" (did you mean {near!r}?)" if near else ""
            raise _setup(f"角色 {name!r} 未声明", f"role {name!r} is not declared{hint}")
        table = raw[name]
        where = f"roles.{name}"
        _only(table, {"zh", "en", "source", "extends", "actions"}, where)
        actions: dict[str, Permit] = {}
        if "extends" in table:
            actions.update(build(str(table["extends"]), (*chain, name)).actions)
        for action, permit in dict(table.get("actions", {})).items():
            at = f"{where}.actions.{action!r}"
            if action not in titles:
                near = did_you_mean(action, sorted(titles))
                hint = f" (did you mean {near!r}?)" if near else ""
                raise _setup(f"{at} 不是已声明的操作", f"{at} is not a declared action{hint}")
            _only(permit, {"scope", "source"}, at)
            scope = permit.get("scope", SUBTREE)
            if scope not in SCOPES:
                raise _setup(f"{at} 的 scope 应为 {' 或 '.join(SCOPES)}", f"{at} has scope {scope!r}, expected one of {', '.join(SCOPES)}")
            zh, en = titles[action]
            actions[action] = Permit(action, zh, en, scope, _text(permit, "source", at))
        built[name] = RoleSpec(name, _text(table, "zh", where), _text(table, "en", where), _text(table, "source", where), actions)
        return built[name]

    for name in raw:
        build(name, ())
    return built


# --- deciding ---------------------------------------------------------------------------------------

def _title(action: str, roles: Mapping[str, RoleSpec]) -> tuple[str, str]:
    for spec in roles.values():
        if action in spec.actions:
            return spec.actions[action].zh, spec.actions[action].en
    return action, action


def _allows(grant: Grant, permit: Permit, principal: Principal, resource: Resource) -> bool:
    if not grant.covers(resource.org_path):
        return False
    if permit.scope == ASSIGNED:
        return principal.counselor_id is not None and resource.assigned_counselor == principal.counselor_id
    return True


def decide(principal: Principal, action: str, resource: Resource, roles: Mapping[str, RoleSpec]) -> Decision:
    """Whether `principal` may take `action` on `resource` under `roles`, and why (deny by default)."""
    rule = f"permission.{action}"
    zh_title, en_title = _title(action, roles)
    who = {name: spec.actions[action].scope for name, spec in sorted(roles.items()) if action in spec.actions}
    required = {"action": action, "roles": who, **resource.as_json()}
    actual = principal.as_json()
    held = sorted({g.role for g in principal.grants})
    if principal.active:
        for grant in principal.grants:
            spec = roles.get(grant.role)
            permit = spec.actions.get(action) if spec else None
            if permit and _allows(grant, permit, principal, resource):
                return Decision(True, rule, f"{SOURCE_FILE}: {grant.role}", required, actual,
                                f"允许{zh_title}（{permit.source.split(':')[0]}）", f"may {en_title} ({permit.source})")
    hidden = not any(g.covers(resource.org_path) for g in principal.grants)
    # Outside every grant somewhere below the root: say nothing of where the resource is or whose it is (its path
    # names the other subtree's organisations; a front end answers "not found"), only what they asked and hold.
    concealed = hidden and bool(principal.grants) and resource.org_path not in (None, ROOT)
    if concealed:
        required = {"action": action, "roles": who, "kind": resource.kind}
    tried = sorted({g.role for g in principal.grants if g.role in who})
    source = f"{SOURCE_FILE}: {', '.join(tried or held)}" if (tried or held) else SOURCE_FILE
    zh, en = _refusal(principal, action, resource, who, hidden, concealed, (zh_title, en_title))
    return Decision(False, rule, source, required, actual, zh, en, hidden)


def _refusal(principal: Principal, action: str, resource: Resource, who: Mapping[str, str], hidden: bool,
             concealed: bool, title: tuple[str, str]) -> tuple[str, str]:
    zh_title, en_title = title
    if not principal.active:
        return f"用户 {principal.login} 已停用，不能{zh_title}", f"user {principal.login} is disabled and may not {en_title}"
    if not who:
        return f"没有任何角色可以{zh_title}（{action}）", f"no role may {en_title} ({action})"
    place = resource.org_path or "(no organisation)"
    at_en = f" at {place}"
    need_en = " or ".join(f"{r} ({'assigned to their counselor record' if s == ASSIGNED else 'in the subtree'})" for r, s in who.items())
    need_zh = "或".join(f"{r}（{'仅限指派给本人的' if s == ASSIGNED else '本辖区内'}）" for r, s in who.items())
    grants_en = ", ".join(f"{g.role} at {g.org_path}" for g in principal.grants) or "no grant"
    grants_zh = "、".join(f"{g.org_path} 的 {g.role}" for g in principal.grants) or "没有任何授权"
    why_zh, why_en = f"{principal.login} 持有 {grants_zh}", f"they hold {grants_en}"
    if concealed:
        thing_zh, thing_en = _hidden_thing(resource)
        at_en = ""
        why_zh = f"{thing_zh}不在 {principal.login} 的授权范围内（{grants_zh}）"
        why_en = f"{thing_en} is outside their grants ({grants_en})"
    elif hidden and principal.grants:
        why_zh, why_en = f"{place} 不在 {principal.login} 的授权范围内（{grants_zh}）", f"{place} is outside their grants ({grants_en})"
    elif any(who.get(g.role) == ASSIGNED and g.covers(resource.org_path) for g in principal.grants):
        theirs, mine = resource.assigned_counselor, principal.counselor_id
        why_zh = (f"{'指派给指导员 ' + str(theirs) if theirs is not None else '尚未指派指导员'}，"
                  f"{principal.login} 的指导员记录是 {mine if mine is not None else '（无）'}")
        why_en = (f"the {resource.kind} is {'assigned to counselor ' + str(theirs) if theirs is not None else 'assigned to no counselor'}, "
                  f"their counselor record is {mine if mine is not None else '(none)'}")
    return (f"无权{zh_title}（{action}）：需要 {need_zh}；{why_zh}",
            f"{principal.login} may not {en_title} ({action}){at_en}: it needs {need_en}; {why_en}")


# a case is named as not existing or hidden alike: guard.case_in refuses a missing id in the same words, so ids tell
# a scoped user nothing about another subtree
_KINDS = {"case": ("该案件不存在或", "the case does not exist or"), "enterprise": ("该企业", "the enterprise"),
          "counselor": ("该指导员记录", "the counselor record")}


def _hidden_thing(resource: Resource) -> tuple[str, str]:
    """How a refusal names a resource outside every grant: never by its path (the other subtree's organisation
    codes); an organisation by its own code, which the person asking gave."""
    if resource.kind in _KINDS:
        return _KINDS[resource.kind]
    code = (resource.org_path or ROOT).strip("/").rsplit("/", 1)[-1]
    return f"组织 {code} ", f"organisation {code}"


def require(principal: Principal, action: str, resource: Resource, roles: Mapping[str, RoleSpec]) -> Decision:
    """The allowing Decision, or PermissionRefusedError naming the rule, what was required and what they have."""
    decision = decide(principal, action, resource, roles)
    if not decision.allowed:
        raise PermissionRefusedError(decision)
    return decision


def _minimal(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _paths(principal: Principal, action: str, roles: Mapping[str, RoleSpec], scope: str) -> list[str]:
    if not principal.active:
        return []
    out = []
    for grant in principal.grants:
        spec = roles.get(grant.role)
        permit = spec.actions.get(action) if spec else None
        if permit and permit.scope == scope:
            out.append(grant.org_path)
    return _minimal(out)


@dataclass(frozen=True)
class Reach:
    """Where an action reaches: whole subtrees, and subtrees where only a counselor's own records count."""

    full: tuple[str, ...]
    assigned: tuple[str, ...] = ()
    counselor_id: int | None = None

    @property
    def empty(self) -> bool:
        """Whether the action reaches nothing at all."""
        return not self.full and not (self.assigned and self.counselor_id is not None)

    def over(self, path: str) -> str | None:
        """What this reach leaves of one organisation's subtree (its path): "all" when a whole-subtree grant holds
        it; "mine" when only assigned grants hold it and no whole-subtree grant reaches into it (the counselor's own
        records, and nothing else, count there); None when it is a mix (a grant on part of the subtree)."""
        if any(path.startswith(p) for p in self.full):
            return "all"
        if (self.counselor_id is not None and any(path.startswith(p) for p in self.assigned)
                and not any(p.startswith(path) for p in self.full)):
            return "mine"
        return None


def scope_paths(principal: Principal, action: str, roles: Mapping[str, RoleSpec]) -> list[str]:
    """The subtrees where `action` reaches every resource, minimal (no path inside another), sorted."""
    return _paths(principal, action, roles, SUBTREE)


def assigned_paths(principal: Principal, action: str, roles: Mapping[str, RoleSpec]) -> list[str]:
    """The further subtrees where `action` reaches only resources assigned to the principal's counselor record.

    The store's predicate is then: path in some scope_paths subtree, or (assigned counselor is the
    principal's counselor_id and path in some assigned_paths subtree). Empty without a counselor record.
    """
    if principal.counselor_id is None:
        return []
    full = scope_paths(principal, action, roles)
    return [p for p in _paths(principal, action, roles, ASSIGNED) if not any(p.startswith(f) for f in full)]


def decide_manage_user(admin: Principal, target_grants: Iterable[Grant], roles: Mapping[str, RoleSpec]) -> Decision:
    """Whether `admin` may add, disable, re-grant or reset a user holding (or being given) `target_grants`.

    Every target grant must lie inside a subtree where the admin holds user.manage, so a district's
    admin cannot touch a city's user; a user with no grant at all only a root admin may manage.
    """
    targets = list(target_grants)
    paths = scope_paths(admin, "user.manage", roles)
    outside = [g for g in targets if not any(g.org_path.startswith(p) for p in paths)]
    allowed = (not outside) if targets else ROOT in paths
    zh_title, en_title = _title("user.manage", roles)
    holders = sorted(name for name, spec in roles.items() if "user.manage" in spec.actions)
    required = {"action": "user.manage", "roles": {r: SUBTREE for r in holders},
                "grants": [g.as_json() for g in targets] or [{"org_path": ROOT}]}
    held = sorted({g.role for g in admin.grants if g.role in holders}) or sorted({g.role for g in admin.grants})
    source = f"{SOURCE_FILE}: {', '.join(held)}" if held else SOURCE_FILE
    if allowed:
        return Decision(True, "permission.user.manage", source, required, admin.as_json(),
                        f"允许{zh_title}", f"may {en_title}")
    where = ", ".join(g.org_path for g in outside) or ROOT
    return Decision(False, "permission.user.manage", source, required, admin.as_json(),
                    f"无权{zh_title}：{where} 不在 {admin.login} 管理的范围内（{'、'.join(paths) or '无'}）",
                    f"{admin.login} may not {en_title} at {where}: outside the subtrees they administer ({', '.join(paths) or 'none'})")


def may_manage_user(admin: Principal, target_grants: Iterable[Grant], roles: Mapping[str, RoleSpec]) -> bool:
    """Whether `admin` may manage a user with `target_grants` (see decide_manage_user)."""
    return decide_manage_user(admin, target_grants, roles).allowed
