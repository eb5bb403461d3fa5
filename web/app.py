"""The FastAPI application: security headers and the session cookie on every answer, refusals mapped to WEB.md's codes.

`create_app(store)` is what `bargain serve` runs and what the tests drive; handlers are plain `def`s (FastAPI runs
them in its thread pool) that call the engine's use cases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine.errors import BargainError, DataError, NotFoundError, RefusedError, SetupError
from engine.store.database import Store
from engine.usecases import sessions
from web import context
from web.errors import audit, refusal_json, status_of
from web.templating import HERE, templates

HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """ASGI middleware: the security headers on every answer, static files and errors included; the new session's cookie."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in {k for k, _ in HEADERS}]
                headers += HEADERS
                if not str(scope.get("path", "")).startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                sid = scope["state"].get("set_cookie")
                if sid:
                    secure = "; Secure" if scope["state"].get("https") else ""
                    headers.append((b"set-cookie", f"{context.COOKIE}={sid}; HttpOnly; SameSite=Lax; Path=/{secure}".encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


log = logging.getLogger("bargain.web")


def _lang(request: Request) -> str:
    """The language of an error page: the request's context when it got that far, else `?lang=`, else zh (the API: en)."""
    ctx = getattr(request.state, "ctx", None)
    if ctx is not None:
        return str(ctx.lang)
    asked = request.query_params.get("lang")
    if asked in sessions.LANGS:
        return str(asked)
    return "en" if _is_api(request) else "zh"


def _unavailable(exc: BargainError | None) -> RefusedError:
    """What a person is told when the server cannot use its database (or failed otherwise): no path, URL or SQL, which
    are the administrator's (the server log has them), but the rule, so the administrator knows where to look."""
    rule = (exc.rule if exc is not None else None) or "server_error"
    if rule in ("database_readonly", "database_unreachable", "database_corrupt", "database_io", "database_error",
                "statement_timeout"):
        return RefusedError("系统暂时无法使用数据库，本次没有写入任何内容。请稍后再试，或告知系统管理员。",
                            "The system cannot use its database right now and nothing was written. Try again later, or "
                            "tell the system administrator.", rule=rule)
    return RefusedError("系统出错，本次没有完成。请稍后再试，或告知系统管理员。",
                        "Something went wrong on the server and this was not done. Try again later, or tell the system "
                        "administrator.", rule=rule)


def create_app(store: Store, *, behind_tls_proxy: bool = False, idle: timedelta = sessions.IDLE,
               clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The web application over one database."""
    from web import admin, api, corrections, pages, uploads

    app = FastAPI(title="bargain", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.behind_tls_proxy = behind_tls_proxy
    app.state.idle = idle
    app.state.clock = clock
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(corrections.api_router)
    app.include_router(pages.router)
    app.include_router(corrections.router)
    app.include_router(admin.router)
    app.include_router(uploads.router)

    @app.middleware("http")
    async def mark_https(request: Request, call_next: Any) -> Response:
        from engine.usecases import audit as audit_trail

        request.state.https = context.is_https(request)
        with audit_trail.from_address(context.address(request)):  # what the use cases' audit entries record
            response: Response = await call_next(request)
        return response

    def answer(request: Request, exc: BargainError, code: int) -> Response:
        """The refusal as the API's JSON object or as the error page, in the request's language."""
        if _is_api(request):
            lang = request.query_params.get("lang", "en")
            return JSONResponse(refusal_json(exc, lang if lang in sessions.LANGS else "en"), status_code=code)
        if code == 401:
            return RedirectResponse("/login", status_code=303)
        ctx = getattr(request.state, "ctx", None)
        lang = _lang(request)
        body = refusal_json(exc, lang)["error"]
        return templates.TemplateResponse(request, "error.html", {"c": ctx, "t": context.t_for(lang), "lang": lang,
                                                                  "error": body, "status": code}, status_code=code)

    @app.exception_handler(BargainError)
    def refused(request: Request, exc: BargainError) -> Response:
        login = getattr(request.state, "login", None)
        code = status_of(exc)
        if isinstance(exc, SetupError):  # the database itself failed: the log has the detail, the page says what to do
            log.error("%s %s: %s", request.method, request.url.path, exc.en)
            return answer(request, _unavailable(exc), 500)
        try:
            audit(request, exc, login, f"{request.method} {request.url.path}")
        except SetupError as fault:  # the audit table cannot be written either: still a page, not a bare 500
            log.error("%s %s: the refusal %s could not be audited: %s", request.method, request.url.path, exc.rule, fault.en)
        return answer(request, exc, code)

    @app.exception_handler(StarletteHTTPException)
    def not_routed(request: Request, exc: StarletteHTTPException) -> Response:
        """No such page (404) or method (405): the error page in the session's language (with its menu), or the API's
        refusal object."""
        if not _is_api(request) and getattr(request.state, "ctx", None) is None:
            try:
                request.state.ctx = context.page_ctx(request)
            except BargainError:
                pass  # the database failed too: the page is still shown, in ?lang= or zh
        if exc.status_code == 404:
            return answer(request, NotFoundError("没有这个页面", "no such page", rule="not_found"), 404)
        if exc.status_code == 405:
            return answer(request, RefusedError("不支持这种请求方式", f"this address does not take {request.method}",
                                                rule="request.method"), 405)
        return answer(request, RefusedError("请求有误", "bad request", rule="request"), exc.status_code)

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> Response:
        """A bug: a page saying so in the request's language, never the traceback (uvicorn's log has it)."""
        return answer(request, _unavailable(None), 500)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        if first.get("loc", ("",))[0] == "path":  # /cases/abc: no such page, as /cases/999999 is
            return refused(request, NotFoundError("没有这个页面", "no such page", rule="not_found", actual=where))
        err = DataError(f"请求数据有误：{where}", f"bad request data at {where}: {first.get('msg', '')}", rule="request", actual=where)
        return refused(request, err)

    inner = app.build_middleware_stack

    def outermost() -> Any:  # outside Starlette's own error middleware: a 500 carries the headers too
        return SecurityHeaders(inner())

    app.build_middleware_stack = outermost  # type: ignore[method-assign]
    return app
