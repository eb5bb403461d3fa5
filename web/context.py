"""Who is asking and in which language: the session (cookie) or the API token, resolved once per request."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from engine.errors import BargainError, RefusedError
from engine.permission import Principal
from engine.store.database import Store
from engine.usecases import sessions

COOKIE = "bargain_session"


def t_for(lang: str) -> Any:
    """The text picker of a language: t('中文', 'English')."""
    return (lambda zh, en: zh) if lang == "zh" else (lambda zh, en: en)


@dataclass
class Ctx:
    """The request's store, session (None for a token), principal (None before login), language and client address."""

    store: Store
    session: sessions.Session | None
    principal: Principal | None
    lang: str
    address: str
    via_token: bool = False

    def t(self, zh: str, en: str) -> str:
        """Pick the text of the request's language."""
        return zh if self.lang == "zh" else en

    def reaches(self, action: str) -> bool:
        """Whether the user's grants allow `action` anywhere (what the navigation offers; each page asks again)."""
        if self.principal is None:
            return False
        from engine import registry
        from engine.permission import scope_paths

        return bool(scope_paths(self.principal, action, registry.roles()))

    @property
    def login(self) -> str | None:
        """The logged-in user's login, if any."""
        return self.principal.login if self.principal else None


class AuthRequiredError(RefusedError):
    """Not logged in (401 on the API, a redirect to /login on a page)."""


class CsrfRefusedError(RefusedError):
    """A state-changing request without our CSRF token or from a foreign Origin (403)."""


def actor(p: Principal) -> str:
    """The actor an event records: the user's login, as the command line records it (its name is on the user row)."""
    return p.login


def now(request: Request) -> datetime:
    """The app's clock (tests set it)."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else datetime.now(UTC)


def store(request: Request) -> Store:
    """The app's database."""
    found: Store = request.app.state.store
    return found


def address(request: Request) -> str:
    """The client address (the proxy's X-Forwarded-For only when told we are behind one)."""
    if request.app.state.behind_tls_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return (request.client.host if request.client else "")[:64]


def is_https(request: Request) -> bool:
    """Whether the browser talks to us over HTTPS (directly, or through a TLS proxy we were told about)."""
    if request.url.scheme == "https" or request.app.state.behind_tls_proxy:
        return True
    return request.headers.get("x-forwarded-proto", "") == "https"


def _principal(st: Store, login: str | None) -> Principal | None:
    if not login:
        return None
    from engine.usecases import users

    try:
        found = users.principal(st, login)
    except BargainError:
        return None
    return found if found.active else None


def page_ctx(request: Request) -> Ctx:
    """The context of a page request: the session (a new visitor's if none), its user, its language (?lang= remembered)."""
    st, at = store(request), now(request)
    session = sessions.resume(st, request.cookies.get(COOKIE), now=at, idle=request.app.state.idle)
    if session is None:
        session = sessions.begin(st, now=at, lang=request.query_params.get("lang"))
        request.state.set_cookie = session.sid
    principal = _principal(st, session.login)
    if session.login and principal is None:  # disabled or removed since: the session ends
        sessions.end(st, session.sid)
        session = sessions.begin(st, now=at, lang=session.lang)
        request.state.set_cookie = session.sid
    asked = request.query_params.get("lang")
    if asked in sessions.LANGS and asked != session.lang:
        session = sessions.set_lang(st, session, asked)
    return Ctx(st, session, principal, session.lang, address(request))


def api_ctx(request: Request) -> Ctx:
    """The context of an API request: a Bearer token, else the session cookie; 401 when neither names a user."""
    st = store(request)
    lang = request.query_params.get("lang", "en")
    lang = lang if lang in sessions.LANGS else "en"
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        from engine.usecases import users

        try:
            principal = users.principal_for_token(st, auth[7:].strip())
        except BargainError:
            principal = None
        if principal is None or not principal.active:
            raise AuthRequiredError("令牌无效或已停用", "the token is not valid or its user is disabled", rule="auth.token")
        return Ctx(st, None, principal, lang, address(request), via_token=True)
    session = sessions.resume(st, request.cookies.get(COOKIE), now=now(request), idle=request.app.state.idle)
    principal = _principal(st, session.login) if session else None
    if principal is None:
        raise AuthRequiredError("请先登录", "log in first", rule="auth.required")
    return Ctx(st, session, principal, lang, address(request))


def check_origin(request: Request) -> None:
    """The Origin header, when sent, must be this site's own (scheme aside behind a TLS proxy)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("x-forwarded-host") if request.app.state.behind_tls_proxy else None
    host = host or request.headers.get("host", "")
    if origin.split("://", 1)[-1].rstrip("/") != host:
        raise CsrfRefusedError("请求来源不是本站", f"the request's origin {origin} is not this site",
                               rule="csrf.origin", required=host, actual=origin)


def check_csrf(request: Request, ctx: Ctx, token: str | None) -> None:
    """Refuse a state-changing request without this session's CSRF token (or from another Origin); a token-authenticated
    API call needs none."""
    check_origin(request)
    if ctx.via_token:
        return
    expected = ctx.session.csrf if ctx.session else ""
    if not token or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise CsrfRefusedError("缺少或错误的 CSRF 令牌，请刷新页面后重试", "missing or wrong CSRF token: reload the page and try again",
                               rule="csrf.token")
