"""People and their grants (issue 15, DOMAIN §9, WEB.md): adding, granting, disabling, passwords, API
tokens, and who a login or a token is. Every change is audited; so is every login attempt.

`by` is the principal doing it (None: no users yet, or the server's operator). An admin manages only users
whose grants all lie inside the subtrees they administer (permission.decide_manage_user); anyone may change
their own password and take their own token. The first user of a database must be an admin (bootstrap).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from engine import registry
from engine.errors import ConflictError, DataError, NotFoundError, RefusedError, SetupError, did_you_mean
from engine.password import check_password
from engine.permission import Grant, PermissionRefusedError, Principal, decide_manage_user
from engine.store import hot
from engine.store.database import Store
from engine.times import localize
from engine.usecases import audit
from engine.usecases.audit import recorded
from engine.usecases.guard import code_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from engine.store import access, directory
else:  # loaded on first use: the --as lookup runs on engine/store/hot.py alone
    from engine.store.lazy import module

    access, directory = module("engine.store.access"), module("engine.store.directory")

# WEB.md: after 5 failed logins in 15 minutes a login is locked for 15 minutes, even with the right password.
LOCK_AFTER = 5
LOCK_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
LOGIN = re.compile(r"^[\w.@-]{1,64}$")


class AuthFailedError(RefusedError):
    """A login or token that does not authenticate; the message never says whether the login exists."""

    def __init__(self) -> None:
        super().__init__("登录名或密码不正确", "wrong login or password", rule="auth.failed")


class LockedOutError(AuthFailedError):
    """Too many failed logins: locked for a while, even with the right password (the web answers 429)."""

    def __init__(self) -> None:
        RefusedError.__init__(self, f"失败次数过多，请 {LOCK_FOR.seconds // 60} 分钟后再试",
                              f"too many failed attempts: try again in {LOCK_FOR.seconds // 60} minutes", rule="auth.locked")


def _passwords() -> Any:
    """The Argon2 adapter, imported when a password is at stake: an ordinary command needs no C hashing library."""
    from engine.registry import passwords

    return passwords


def _now(at: datetime | None) -> datetime:
    return at or datetime.now(UTC)


def token_digest(token: str) -> str:
    """How an API token is stored: its SHA-256 (a token is 256 random bits, so a slow hash adds nothing)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return str(_passwords().hash_password("not anyone's password, only for timing"))


def grant_json(g: Grant) -> dict[str, str]:
    """A grant as the JSON API shows it: role, organisation code and path."""
    return {"role": g.role, "org": code_of(g.org_path), "org_path": g.org_path}


def me(p: Principal) -> dict[str, Any]:
    """A principal as `GET /api/v1/me` shows it."""
    return {"login": p.login, "name": p.name, "counselor_id": p.counselor_id, "grants": [grant_json(g) for g in p.grants]}


def _principal_in(conn: Connection, row: Any) -> Principal:
    held = hot.grants(conn, [int(row.id)])[int(row.id)]
    return Principal(str(row.login), str(row.name), tuple(Grant(role, path) for role, _, path in held),
                     int(row.counselor_id) if row.counselor_id is not None else None, bool(row.active))


def _user_json(conn: Connection, row: Any, held: list[tuple[str, str, str]] | None = None) -> dict[str, Any]:
    if held is None:
        held = access.grants(conn, [int(row.id)])[int(row.id)]
    return {"login": row.login, "name": row.name, "active": bool(row.active), "counselor_id": row.counselor_id,
            "grants": [{"role": r, "org": c, "org_path": p} for r, c, p in held],
            "session_version": int(row.session_version), "has_password": row.password_hash is not None,
            "has_token": row.token_hash is not None,
            "locked_until": localize(row.locked_until).isoformat() if row.locked_until else None}


def _row(conn: Connection, login: str) -> Any:
    row = access.user(conn, login)
    if row is None:
        raise NotFoundError(f"没有用户 {login}", f"no user {login}",
                            hint_zh="bargain user list 列出用户", hint_en="bargain user list shows the users", rule="user.exists")
    return row


def _role(role: str) -> str:
    roles = registry.roles()
    if role not in roles:
        guess = did_you_mean(role, sorted(roles))
        raise DataError(f"角色 {role} 不存在（可用：{'|'.join(sorted(roles))}）", f"no role {role!r} (one of {'|'.join(sorted(roles))})",
                        hint_zh=f"是否要写 {guess}？" if guess else "", hint_en=f"did you mean {guess!r}?" if guess else "",
                        rule="role", actual=role, source="roles.toml")
    return role


def _manage(conn: Connection, by: Principal | None, target: list[Grant]) -> None:
    if by is None:
        return
    decision = decide_manage_user(by, target, registry.roles())
    if not decision.allowed:
        raise PermissionRefusedError(decision)


def _held(conn: Connection, row: Any) -> list[Grant]:
    return list(_principal_in(conn, row).grants)


def _keeps_an_admin(conn: Connection) -> None:
    """Refuse a change that would leave the database with no active admin (nobody could manage users again)."""
    for u in access.users(conn):
        if u.active and any(role == "admin" for role, _, _ in access.grants(conn, [int(u.id)])[int(u.id)]):
            return
    raise RefusedError("这样改后将没有任何有效的管理员，未写入任何内容", "this would leave no active admin: nothing was written",
                       hint_zh="先给另一位用户 admin 授权", hint_en="grant admin to another user first", rule="user.last_admin")


def _audit(conn: Connection, by: Principal | None, action: str, at: datetime, **detail: Any) -> None:
    audit.record_in(conn, at=at, login=by.login if by else str(detail.get("bootstrap_login", "")), action=action,
                    outcome="ok", detail=detail)


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return next((s for s in ("LATIN", "CYRILLIC", "GREEK") if name.startswith(s)), "")


def _not_a_lookalike(login: str) -> None:
    """Refuse a login that would read as another on a timeline or in the audit: full-width or other compatibility
    forms (ａｄｍｉｎ for admin), or Latin letters mixed with Cyrillic or Greek ones (аdmin with a Cyrillic а)."""
    plain = unicodedata.normalize("NFKC", login)
    if plain != login:
        raise DataError(f"登录名 {login} 含全角或兼容字符，会被看成 {plain}：请直接写 {plain}",
                        f"login {login} has full-width or compatibility characters and reads as {plain}: write {plain}",
                        rule="user.login", actual=login, required=plain)
    scripts = {_script(ch) for ch in login if ch.isalpha()} - {""}
    others = sorted(scripts - {"LATIN"})
    if "LATIN" in scripts and others:
        zh = "、".join({"CYRILLIC": "西里尔字母", "GREEK": "希腊字母"}[s] for s in others)
        raise DataError(f"登录名 {login} 混用了拉丁字母和形似的{zh}，会被看成另一个登录名",
                        f"login {login} mixes Latin letters with look-alike {' and '.join(s.title() for s in others)} ones:"
                        " it would read as another login", rule="user.login", actual=login)


def has_users(store: Store) -> bool:
    """Whether the database has any user (without users nothing is checked: a single operator)."""
    with store.read() as conn:
        return access.has_users(conn)


@recorded
def add_user(store: Store, login: str, *, name: str, role: str, org: str, counselor_id: int | None = None,
             password: str | None = None, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Add a user with one grant (the first user of a database must be an admin); the user as JSON."""
    login = login.strip()
    if not LOGIN.match(login):
        raise DataError(f"登录名 {login!r} 无效：1–64 个字母、数字或 . _ @ -",
                        f"login {login!r} is not valid: 1-64 letters, digits or . _ @ -", rule="user.login", actual=login)
    _not_a_lookalike(login)
    if not name.strip():
        raise DataError("请用 --name 写明姓名", "give the person's name with --name", rule="user.name")
    _role(role)
    if role == "counselor" and counselor_id is None:
        raise DataError("指导员角色需要关联指导员记录（--counselor 编号）", "the counselor role needs a counselor record (--counselor ID)",
                        hint_zh="bargain counselor list 列出指导员编号", hint_en="bargain counselor list shows their ids",
                        rule="user.counselor")
    if password is not None:
        check_password(password, login, _passwords().common_passwords())
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        first = not access.has_users(conn)
        if first and role != "admin":
            raise RefusedError("数据库还没有用户：第一位用户必须是 admin", "the database has no user yet: the first user must be an admin",
                               hint_zh="bargain user add 登录名 --name 姓名 --role admin --org 代码",
                               hint_en="bargain user add LOGIN --name NAME --role admin --org CODE", rule="user.bootstrap")
        path = directory.org_path(conn, org)
        _manage(conn, None if first else by, [Grant(role, path)])
        if counselor_id is not None:
            directory.counselor(conn, counselor_id)
        if access.user(conn, login) is not None:
            raise RefusedError(f"用户 {login} 已存在", f"user {login} already exists",
                               hint_zh="用 bargain user grant 增加授权", hint_en="add a grant with bargain user grant", rule="user.unique")
        same = next((str(u.login) for u in access.users(conn) if str(u.login).casefold() == login.casefold()), None)
        if same is not None:
            raise RefusedError(f"登录名 {login} 与已有用户 {same} 只差大小写，记录里无法分辨",
                               f"login {login} differs from the existing user {same} only in case: records could not tell them apart",
                               hint_zh="换一个登录名", hint_en="choose another login", rule="user.unique", actual=login)
        uid = access.insert_user(conn, {"login": login, "name": name.strip(), "counselor_id": counselor_id, "created_at": at,
                                        "password_hash": _passwords().hash_password(password) if password is not None else None})
        access.add_grant(conn, uid, role, org)
        _audit(conn, by, "user.add", at, user=login, role=role, org=org, counselor_id=counselor_id,
               **({"bootstrap": True, "bootstrap_login": login} if first else {}))
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def grant(store: Store, login: str, role: str, org: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Give a user one more grant (a role at an organisation); their sessions end."""
    _role(role)
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        path = directory.org_path(conn, org)
        _manage(conn, by, [*_held(conn, row), Grant(role, path)])
        if role == "counselor" and row.counselor_id is None:
            raise DataError(f"{login} 没有关联指导员记录，不能授予指导员角色",
                            f"{login} has no counselor record: the counselor role needs one", rule="user.counselor")
        if access.add_grant(conn, int(row.id), role, org):
            access.update_user(conn, int(row.id), bump=True)
            _audit(conn, by, "user.grant", at, user=login, role=role, org=org)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def revoke(store: Store, login: str, role: str, org: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Take a grant away from a user; their sessions end."""
    _role(role)
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _manage(conn, by, _held(conn, row))
        if not access.remove_grant(conn, int(row.id), role, org):
            raise NotFoundError(f"{login} 没有 {org} 的 {role} 授权", f"{login} holds no {role} grant at {org}", rule="grant.exists")
        access.update_user(conn, int(row.id), bump=True)
        _keeps_an_admin(conn)
        _audit(conn, by, "user.revoke", at, user=login, role=role, org=org)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def disable(store: Store, login: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Disable a user (kept, never deleted): no login, no token, sessions end."""
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _manage(conn, by, _held(conn, row))
        access.update_user(conn, int(row.id), bump=True, active=False, token_hash=None)
        _keeps_an_admin(conn)
        _audit(conn, by, "user.disable", at, user=login)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def enable(store: Store, login: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Enable a disabled user again (their old API token stays void: they take a new one)."""
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _manage(conn, by, _held(conn, row))
        if not row.active:
            access.update_user(conn, int(row.id), bump=True, active=True)
            _audit(conn, by, "user.enable", at, user=login)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def unlock(store: Store, login: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Lift a lockout after failed logins before it runs out (the failure count starts again)."""
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _manage(conn, by, _held(conn, row))
        access.update_user(conn, int(row.id), failed_count=0, failed_since=None, locked_until=None)
        _audit(conn, by, "user.unlock", at, user=login, was_locked_until=localize(row.locked_until).isoformat()
               if row.locked_until else None)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


def _self_or_manage(conn: Connection, by: Principal | None, row: Any) -> None:
    if by is not None and by.login == row.login:
        return
    _manage(conn, by, _held(conn, row))


@recorded
def set_password(store: Store, login: str, password: str, by: Principal | None = None, at: datetime | None = None) -> dict[str, Any]:
    """Set a user's password (the policy of engine.password); their sessions end and any lockout is lifted."""
    at = _now(at)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _self_or_manage(conn, by, row)
        check_password(password, login, _passwords().common_passwords())
        access.update_user(conn, int(row.id), bump=True, password_hash=_passwords().hash_password(password), failed_count=0,
                           failed_since=None, locked_until=None)
        _audit(conn, by, "user.passwd", at, user=login)
        out = _user_json(conn, _row(conn, login))
        uow.commit()
    return out


@recorded
def issue_token(store: Store, login: str, by: Principal | None = None, at: datetime | None = None) -> str:
    """A new personal API token for a user (replacing any earlier one), shown once: only its hash is kept."""
    at = _now(at)
    token = secrets.token_urlsafe(32)
    with store.unit_of_work() as uow:
        conn = uow.conn
        row = _row(conn, login)
        _self_or_manage(conn, by, row)
        if not row.active:
            raise RefusedError(f"用户 {login} 已停用", f"user {login} is disabled", rule="user.disabled")
        access.update_user(conn, int(row.id), token_hash=token_digest(token))
        _audit(conn, by, "user.token", at, user=login)
        uow.commit()
    return token


@recorded
def list_users(store: Store, by: Principal | None = None) -> list[dict[str, Any]]:
    """Users by login: all of them, or for an admin those with a grant inside their subtree (and themselves)."""
    with store.read() as conn:
        rows = access.users(conn)
        held = access.grants(conn, [int(r.id) for r in rows])
        if by is not None:
            from engine.permission import scope_paths

            paths = scope_paths(by, "user.manage", registry.roles())
            if not paths:
                raise PermissionRefusedError(decide_manage_user(by, [], registry.roles()))
            rows = [r for r in rows
                    if r.login == by.login or any(any(p.startswith(s) for s in paths) for _, _, p in held[int(r.id)])]
        last = access.last_logins(conn, [str(r.login) for r in rows])
        return [{**_user_json(conn, r, held[int(r.id)]),
                 "last_login": localize(last[r.login]).isoformat() if r.login in last else None} for r in rows]


def principal(store: Store, login: str) -> Principal:
    """The principal of an active user (NotFoundError for an unknown login, refused when disabled)."""
    with store.read() as conn:
        row = _row(conn, login)
        if not row.active:
            raise RefusedError(f"用户 {login} 已停用", f"user {login} is disabled", rule="user.disabled")
        return _principal_in(conn, row)


def acting(store: Store, login: str | None, *, at: datetime | None = None) -> Principal | None:
    """Who acts on the command line: None on a database without users; else the named active user (refused,
    and audited, when no user or an unknown or disabled one is named)."""
    with store.read() as conn:
        if not hot.has_users(conn):
            return None
        row = hot.user(conn, login) if login else None
        found = _principal_in(conn, row) if row is not None and row.active else None
    if found is not None:
        return found
    disabled = row is not None
    if disabled:
        refusal = RefusedError(f"用户 {login} 已停用，不能再操作", f"user {login} is disabled and may no longer act",
                               hint_zh="管理员可用 bargain user enable 恢复",
                               hint_en="an admin may restore them with bargain user enable", rule="user.disabled")
    elif not login:
        refusal = RefusedError("这个数据库有用户：请用 --as 登录名（或 BARGAIN_AS）说明是谁在操作",
                               "this database has users: say who is acting with --as LOGIN (or BARGAIN_AS)", rule="auth.user")
    else:
        refusal = RefusedError(f"{login} 不是这个数据库的有效用户", f"{login} is not an active user of this database",
                               hint_zh="bargain user list 列出用户", hint_en="bargain user list shows the users", rule="auth.user")
    try:
        audit.record(store, at=_now(at), login=login or "", action="identify", outcome="refused",
                     rule="user.disabled" if disabled else "auth.user",
                     detail={"reason": "missing" if not login else "disabled" if disabled else "unknown"})
    except (SetupError, ConflictError):  # a database that cannot be written: the refusal still says why
        audit.unrecorded(refusal)
    raise refusal


def principal_for_token(store: Store, token: str, *, at: datetime | None = None) -> Principal:
    """The principal of an API token (AuthFailedError, audited, for an unknown token or a disabled user)."""
    with store.read() as conn:
        row = access.user_by_token(conn, token_digest(token)) if token else None
        found = _principal_in(conn, row) if row is not None and row.active else None
    if found is None:
        audit.record(store, at=_now(at), login="", action="token", outcome="failed", rule="auth.failed")
        raise AuthFailedError()
    return found


def session_version(store: Store, login: str) -> int:
    """A user's session version: a session made at an older one has ended (password, disable, grant changed)."""
    with store.read() as conn:
        return int(_row(conn, login).session_version)


def authenticate(store: Store, login: str, password: str, *, address: str, now: datetime) -> Principal:
    """The principal of a login and password, or AuthFailedError / LockedOutError; every attempt is audited.

    Failures are counted on the user row (LOCK_AFTER within LOCK_WINDOW lock it for LOCK_FOR); a login that
    does not exist is counted in the audit trail and locks the same way, so the answers never tell them apart."""
    refusal: AuthFailedError | None = None
    found: Principal | None = None

    def log(outcome: str, rule: str = "", **detail: Any) -> None:
        audit.record_in(conn, at=now, login=login, action="login", outcome=outcome, rule=rule, detail=detail, address=address)

    with store.unit_of_work() as uow:
        conn = uow.conn
        row = access.user(conn, login)
        if row is None:
            _passwords().verify_password(password, _dummy_hash())  # the same work as for a real login
            if access.failures_since(conn, login, now - LOCK_WINDOW) >= LOCK_AFTER:
                refusal = LockedOutError()
                log("locked", "auth.locked")
            else:
                refusal = AuthFailedError()
                log("failed", "auth.failed")
        elif row.locked_until is not None and row.locked_until > now:
            refusal = LockedOutError()
            log("locked", "auth.locked", until=localize(row.locked_until).isoformat())
        elif not (row.active and row.password_hash and _passwords().verify_password(password, row.password_hash)):
            fresh = row.failed_since is None or now - row.failed_since > LOCK_WINDOW
            count = 1 if fresh else int(row.failed_count) + 1
            values: dict[str, Any] = {"failed_count": count, "failed_since": now if fresh else row.failed_since}
            if count >= LOCK_AFTER:
                values["locked_until"] = now + LOCK_FOR
            access.update_user(conn, int(row.id), **values)
            refusal = AuthFailedError()
            reason = "disabled" if not row.active else ("no password" if not row.password_hash else "password")
            log("failed", "auth.failed", reason=reason, failures=count, **({"locks": True} if count >= LOCK_AFTER else {}))
        else:
            values = {"failed_count": 0, "failed_since": None, "locked_until": None}
            if _passwords().needs_rehash(row.password_hash):
                values["password_hash"] = _passwords().hash_password(password)
            access.update_user(conn, int(row.id), **values)
            found = _principal_in(conn, row)
            log("ok")
        uow.commit()
    if refusal is not None:
        raise refusal
    assert found is not None
    return found
