"""User administration for admins (DOMAIN §9): the users in the admin's subtree, adding one, grants, disabling,
passwords and lockouts. The same use cases as `bargain user …` (engine/usecases/users.py): the engine decides who
may manage whom, and audits every act and every refusal.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from engine import registry
from engine.errors import BargainError, DataError
from engine.permission import Principal
from engine.times import localize
from engine.usecases import registers, users
from web import context
from web.context import Ctx, check_csrf
from web.errors import audit, refusal_json, status_of
from web.pages import posted, render, user_ctx

router = APIRouter()
# Letters and digits that cannot be mistaken for one another when read aloud or copied from paper (no 0/O, 1/l/I).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ACTS = ("grant", "revoke", "disable", "enable", "password", "unlock", "token")


def generated_password() -> str:
    """A new random password an older person can copy from the screen: three groups of four (about 59 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


def _admin(request: Request, c: Ctx) -> Principal:
    """The admin asking; the engine refuses (403, audited) anyone who manages no users."""
    p = c.principal
    assert p is not None
    users.list_users(c.store, by=p)  # refuses when the user holds user.manage nowhere
    return p


def _when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else ""


def _locked(u: dict[str, Any], now: datetime) -> bool:
    until = u.get("locked_until")
    return bool(until) and datetime.fromisoformat(str(until)) > localize(now)


def _choices(c: Ctx, p: Principal) -> dict[str, Any]:
    """What the forms offer: the roles, the organisations and counselors the admin's grants reach."""
    roles = [(name, spec.zh if c.lang == "zh" else spec.en) for name, spec in registry.roles().items()]
    try:
        orgs = [(o["code"], o["name"]) for o in registers.list_orgs(c.store, None, who=p)]
    except BargainError:
        orgs = []
    try:
        counselors = [(int(r.id), str(r.name), str(r.org_path).strip("/").rsplit("/", 1)[-1])
                      for r in registers.list_counselors(c.store, None, who=p)]
    except BargainError:
        counselors = []
    return {"roles": roles, "role_names": dict(roles), "orgs": orgs, "org_names": dict(orgs), "counselors": counselors}


def _refusal(exc: BargainError, lang: str) -> dict[str, Any]:
    return refusal_json(exc, lang)["error"]  # type: ignore[return-value]


def _list(request: Request, c: Ctx, p: Principal, status: int = 200, **values: Any) -> Response:
    found = users.list_users(c.store, by=p)
    at = context.now(request)
    return render(request, c, "admin_users.html", status, users=found, when=_when, locked=lambda u: _locked(u, at),
                  form=values.pop("form", {}), refusal=values.pop("refusal", None), created=values.pop("created", None),
                  shown_password=values.pop("shown_password", None), **_choices(c, p), **values)


@router.get("/admin/users")
def user_list(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """The users an admin manages, with their grants, counselor link, state, lockout and last login; the add form."""
    p = _admin(request, c)
    return _list(request, c, p, done=request.query_params.get("done"))


@router.post("/admin/users")
def add(request: Request, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Add a user with one grant; a password left empty is generated and shown this once."""
    check_csrf(request, c, form.get("csrftoken"))
    p = _admin(request, c)
    login = str(form.get("login", "")).strip()
    typed = str(form.get("password", ""))
    password = typed or generated_password()
    try:
        raw = str(form.get("counselor", "")).strip()
        if raw and not raw.isdigit():
            raise DataError(f"指导员编号应为数字：{raw}", f"the counselor id must be a number: {raw}", rule="user.counselor",
                            actual=raw)
        created = users.add_user(c.store, login, name=str(form.get("name", "")), role=str(form.get("role", "")),
                                 org=str(form.get("org", "")).strip(), counselor_id=int(raw) if raw else None,
                                 password=password, by=p, at=context.now(request))
    except BargainError as exc:
        if status_of(exc) == 401:
            raise
        audit(request, exc, p.login, "user.add")
        kept = {k: v for k, v in form.items() if k not in ("password", "csrftoken")}
        return _list(request, c, p, status_of(exc), form=kept, refusal=_refusal(exc, c.lang), done=None)
    return _list(request, c, p, 201, created=created, shown_password=None if typed else password, done="add")


def _one(request: Request, c: Ctx, p: Principal, login: str, status: int = 200, **values: Any) -> Response:
    found = [u for u in users.list_users(c.store, by=p) if u["login"] == login]
    if not found:  # not there, or outside the admin's subtree: the same answer, so logins do not leak
        from engine.errors import NotFoundError

        raise NotFoundError(f"没有用户 {login}", f"no user {login}", rule="user.exists")
    at = context.now(request)
    return render(request, c, "admin_user.html", status, u=found[0], when=_when, locked=_locked(found[0], at),
                  refusal=values.pop("refusal", None), failed=values.pop("failed", None),
                  shown_password=values.pop("shown_password", None), shown_token=values.pop("shown_token", None),
                  myself=login == p.login, **_choices(c, p), **values)


@router.get("/admin/users/{login}")
def user_page(request: Request, login: str, c: Ctx = Depends(user_ctx)) -> Response:
    """One user: grants with their revoke buttons, a grant form, disable or enable, a new password, unlock."""
    p = _admin(request, c)
    return _one(request, c, p, login, done=request.query_params.get("done"))


@router.post("/admin/users/{login}/{act}")
def act(request: Request, login: str, act: str, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """One act on a user (grant, revoke, disable, enable, password, unlock, token); each ends the user's sessions where
    WEB.md says so (a changed grant, a disabled user, a new password), through the user's session version."""
    check_csrf(request, c, form.get("csrftoken"))
    p = _admin(request, c)
    if act not in ACTS:
        from engine.errors import NotFoundError

        raise NotFoundError(f"没有这个操作：{act}", f"no such act: {act}", rule="not_found")
    at = context.now(request)
    role, org = str(form.get("role", "")), str(form.get("org", "")).strip()
    shown = token = None
    try:
        if act == "grant":
            users.grant(c.store, login, role, org, by=p, at=at)
        elif act == "revoke":
            users.revoke(c.store, login, role, org, by=p, at=at)
        elif act == "disable":
            if login == p.login:
                raise DataError("不能停用自己的账户", "you cannot disable your own account", rule="user.self")
            users.disable(c.store, login, by=p, at=at)
        elif act == "enable":
            users.enable(c.store, login, by=p, at=at)
        elif act == "unlock":
            users.unlock(c.store, login, by=p, at=at)
        elif act == "token":
            token = users.issue_token(c.store, login, by=p, at=at)
        else:
            typed = str(form.get("password", ""))
            if login == p.login:
                raise DataError("自己的密码请在「修改密码」页面修改（需要输入当前密码）",
                                "change your own password on the Change password page (it asks for the current one)",
                                rule="user.self")
            shown = None if typed else generated_password()
            users.set_password(c.store, login, typed or shown or "", by=p, at=at)
    except BargainError as exc:
        if status_of(exc) == 401:
            raise
        audit(request, exc, p.login, f"user.{act} {login}")
        return _one(request, c, p, login, status_of(exc), refusal=_refusal(exc, c.lang), failed=act, done=None)
    if shown:  # shown on this answer only, never put in a URL
        return _one(request, c, p, login, shown_password=shown, done="password")
    if token:
        return _one(request, c, p, login, shown_token=token, done="token")
    return RedirectResponse(f"/admin/users/{login}?done={act}", status_code=303)
