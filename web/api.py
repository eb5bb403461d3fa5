"""The JSON API (/api/v1, WEB.md): the CLI's JSON shapes and refusal object; a Bearer token or the cookie plus x-csrftoken."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from engine.errors import DataError
from engine.times import local_date, parse_at
from engine.usecases import acts, caseview, deadlines, reporting
from web import context
from web.context import Ctx, api_ctx, check_csrf

router = APIRouter(prefix="/api/v1")


def user(request: Request, c: Ctx = Depends(api_ctx)) -> Ctx:
    """The API caller (401 before this when there is none)."""
    request.state.login = c.login
    return c


def writer(request: Request, c: Ctx = Depends(user)) -> Ctx:
    """A caller that may change something: a token, or the cookie with the session's CSRF token in x-csrftoken."""
    check_csrf(request, c, request.headers.get("x-csrftoken"))
    return c


def _actor(c: Ctx) -> str:
    assert c.principal is not None
    return context.actor(c.principal)


def _today(request: Request) -> Any:
    return local_date(context.now(request))


def _at(request: Request, value: Any) -> Any:
    return parse_at(str(value)) if value else context.now(request)


def _body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise DataError("请求体应为 JSON 对象", "the body must be a JSON object", rule="request")
    return body


@router.get("/me")
def me(c: Ctx = Depends(user)) -> dict[str, Any]:
    """Who the caller is: login, name, grants."""
    p = c.principal
    assert p is not None
    return {"login": p.login, "name": p.name, "counselor_id": p.counselor_id,
            "grants": [{"role": g.role, "org": g.org_path.strip("/").rsplit("/", 1)[-1] or None, "org_path": g.org_path}
                       for g in p.grants]}


@router.get("/cases/{case_id}")
def case(request: Request, case_id: int, c: Ctx = Depends(user)) -> dict[str, Any]:
    """As `bargain case show --format json`."""
    return caseview.show(c.store, case_id, as_of=_today(request), who=c.principal).as_json()


@router.get("/cases/{case_id}/timeline")
def timeline(request: Request, case_id: int, c: Ctx = Depends(user)) -> dict[str, Any]:
    """As `bargain case timeline --format json`."""
    return caseview.timeline(c.store, case_id, as_of=_today(request), who=c.principal)


@router.post("/cases/{case_id}/advance")
def advance(request: Request, case_id: int, body: Any = Body(...), c: Ctx = Depends(writer)) -> dict[str, Any]:
    """Fire a trigger: {"trigger", "data", "at", "note", "expect_version"}; the case as `case show` prints it."""
    b = _body(body)
    data = b.get("data") or {}
    if not isinstance(data, dict):
        raise DataError("data 应为 JSON 对象", "data must be a JSON object", rule="request", actual=data)
    version = b.get("expect_version")
    if version is not None and not isinstance(version, int):
        raise DataError("expect_version 应为整数", "expect_version must be an integer", rule="request", actual=version)
    p = c.principal
    assert p is not None
    view = acts.advance(c.store, case_id, str(b.get("trigger", "")), data, at=_at(request, b.get("at")),
                        recorded_at=context.now(request), actor=_actor(c), counselor_id=p.counselor_id,
                        note=str(b.get("note") or ""), expect_version=version, as_of=_today(request), who=p)
    return view.as_json()


@router.post("/cases/{case_id}/log")
def log(request: Request, case_id: int, body: Any = Body(...), c: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record involvement: {"activity", "hours", "note", "at"} (and "counselor_id" for a manager); the entry as the timeline shows it."""
    from engine.timeline import entry

    b = _body(body)
    p = c.principal
    assert p is not None
    counselor = p.counselor_id if p.counselor_id is not None else b.get("counselor_id")
    if counselor is None:
        counselor = caseview.show(c.store, case_id, as_of=_today(request), who=p).case.counselor_id
    if not isinstance(counselor, int):
        raise DataError("需要指导员编号 counselor_id", "counselor_id is needed", rule="counselor", actual=counselor)
    hours = b.get("hours", 0)
    if not isinstance(hours, (int, float)):
        raise DataError("hours 应为数字", "hours must be a number", rule="hours", actual=hours)
    event = acts.log(c.store, case_id, counselor, str(b.get("activity", "")), at=_at(request, b.get("at")),
                     recorded_at=context.now(request), actor=_actor(c), note=str(b.get("note") or ""), hours=float(hours), who=p)
    return entry(event)


@router.get("/reports/campaign")
def campaign(year: int, org: str | None = None, by: str = "org", lang: str = "en", c: Ctx = Depends(user)) -> dict[str, Any]:
    """As `bargain report campaign --format json`."""
    return reporting.campaign(c.store, year=year, org=org, by=by, lang=lang, who=c.principal).as_json()


@router.get("/deadlines")
def deadline_list(request: Request, org: str | None = None, status: str | None = None, kind: str | None = None,
                  c: Ctx = Depends(user)) -> list[dict[str, Any]]:
    """As `bargain deadlines --format json`."""
    out = []
    for row, d in deadlines.listed(c.store, _today(request), org=org, kind=kind, status=status, who=c.principal):
        item = d.as_json()
        k = row.case
        item.update({"credit_code": k.credit_code or None, "enterprise": row.name, "org_code": row.org_code,
                     "workflow": k.workflow_key, "jurisdiction": k.jurisdiction, "state": k.state})
        out.append(item)
    return out
