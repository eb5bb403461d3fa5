"""How the web answers an engine refusal: the status code of WEB.md, and an audit entry for every refusal."""

from __future__ import annotations

from fastapi import Request

from engine.errors import BargainError, ConflictError, NotFoundError, SetupError
from engine.permission import PermissionRefusedError
from engine.usecases import sessions
from web.context import AuthRequiredError, CsrfRefusedError, address, now, store


def status_of(exc: BargainError) -> int:
    """401 not logged in; 403 permission or CSRF; 404 not found or out of scope; 409 stale; 429 too many; 422 a rule or bad data."""
    if exc.rule == "auth.locked":
        return 429
    if isinstance(exc, AuthRequiredError) or exc.rule in ("auth.failed", "auth.token", "auth.user"):
        return 401
    if isinstance(exc, PermissionRefusedError):
        return 404 if exc.hidden else 403
    if isinstance(exc, CsrfRefusedError):
        return 403
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if exc.rule == "auth.rate_limited":
        return 429
    if isinstance(exc, SetupError):
        return 500
    return 422


def refusal_json(exc: BargainError, lang: str) -> dict[str, object]:
    """The refusal object; a case out of scope reads exactly like a missing one, so ids do not leak."""
    if isinstance(exc, PermissionRefusedError) and exc.hidden:
        hidden = NotFoundError("没有这个案件或对象", "no such case or resource", rule="not_found")
        return hidden.as_json(lang)
    return exc.as_json(lang)


def audit(request: Request, exc: BargainError, login: str | None, action: str) -> None:
    """Write one refusal to the audit table (the full reason, even when the answer hides it)."""
    if getattr(exc, "audited", False) or exc.rule in ("auth.failed", "auth.locked", "auth.rate_limited"):
        return  # the use cases (a permission refusal, a login, a token) and the rate limit audit these themselves
    sessions.refused(store(request), at=now(request), login=login, action=action, rule=exc.rule or type(exc).__name__,
                     detail={"request": f"{request.method} {request.url.path}", "message": exc.en[:1000],
                             "required": _plain(exc.required), "actual": _plain(exc.actual)},
                     address=address(request))
    exc.audited = True  # type: ignore[attr-defined]


def _plain(value: object) -> object:
    """A value as JSON can keep it (dates and the like as text)."""
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)
