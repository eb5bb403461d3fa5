"""Corrections on the case page (DOMAIN §10) and the registration form download: void the last step, amend an earlier
one (both with a reason, through engine/usecases/corrections.py as `case void` / `case amend`), their JSON twins under
/api/v1, and `GET /orgs/{code}/registration.xlsx` (the 登记表 `bargain counselor form` writes).

Who sees the forms is the engine's decision (casepage.page's may_correct); a post by anyone else is refused by the
use case (403 page, audited) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from engine import registry
from engine.errors import BargainError, DataError
from engine.times import parse_at
from engine.usecases import corrections, counselor_work
from web import context, forms
from web.api import _today, writer
from web.context import Ctx, actor, check_csrf
from web.downloads import disposition
from web.errors import audit, refusal_json, status_of
from web.pages import _answer, _done, _refusal, posted, today, user_ctx
from web.templating import templates

router = APIRouter()
api_router = APIRouter(prefix="/api/v1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the forms' posts ------------------------------------------------------------------------------------

def _version(form: Mapping[str, Any]) -> int | None:
    raw = str(form.get("expect_version", ""))
    return int(raw) if raw.isdigit() else None


def _refused(request: Request, c: Ctx, case_id: int, exc: BargainError, failed: str, form: dict[str, Any],
             action: str) -> Response:
    """A refused correction: a permission refusal or a missing case raises (the 403/404 page); a rule's refusal is shown
    at its form with what was typed kept."""
    code = status_of(exc)
    if code in (403, 404) and request.headers.get("hx-request"):
        # htmx swaps no 4xx answer: the refusal page's card goes in place of the page's main part instead
        audit(request, exc, c.principal.login if c.principal else None, action)
        body = refusal_json(exc, c.lang)["error"]
        page = templates.TemplateResponse(request, "error.html", {"c": c, "t": context.t_for(c.lang), "lang": c.lang,
                                                                  "error": body, "status": code})
        page.headers.update({"HX-Retarget": "#main", "HX-Reswap": "innerHTML", "HX-Reselect": "#main > section"})
        return page
    if code in (401, 403, 404):
        raise exc
    assert c.principal is not None
    audit(request, exc, c.principal.login, action)
    return _answer(request, c, case_id, status_of(exc), refusal=_refusal(exc, c.lang), failed=failed, posted_form=form)


@router.post("/cases/{case_id}/void")
def void(request: Request, case_id: int, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Undo the case's last step, with the reason; the voided step stays on the timeline, marked."""
    check_csrf(request, c, form.get("csrftoken"))
    p = c.principal
    assert p is not None
    try:
        corrections.void(c.store, case_id, reason=str(form.get("reason", "")), recorded_at=context.now(request),
                         actor=actor(p), expect_version=_version(form), as_of=today(request), who=p)
    except BargainError as exc:
        return _refused(request, c, case_id, exc, "void", form, f"case.void {case_id}")
    return _done(request, c, case_id, "void")


@router.post("/cases/{case_id}/amend")
def amend(request: Request, case_id: int, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Correct an earlier step's date or data, with the reason, through the original trigger's checks."""
    check_csrf(request, c, form.get("csrftoken"))
    p = c.principal
    assert p is not None
    raw_seq = str(form.get("seq", ""))
    failed = f"amend-{raw_seq}" if raw_seq.isdigit() else "amend"
    try:
        if not raw_seq.isdigit():
            raise DataError("缺少要更正的条目编号", "which entry to amend (seq) is missing", rule="amend_target", actual=raw_seq)
        t = registry.spec(str(form.get("workflow", ""))).transitions.get(str(form.get("trigger", ""))) if form.get("workflow") else None
        if t is None:
            raise DataError("更正表单缺少触发器", "the amend form names no trigger", rule="request", actual=form.get("trigger"))
        was_true = {k: True for k in str(form.get("was_true", "")).split(",") if k}
        data = forms.amended_data(t, form, was_true)
        at_text = str(form.get("at", "")).strip()
        at = parse_at(at_text) if at_text and at_text != str(form.get("at_was", "")) else None
        corrections.amend(c.store, case_id, int(raw_seq), at=at, data=data, reason=str(form.get("reason", "")),
                          recorded_at=context.now(request), actor=actor(p), expect_version=_version(form),
                          as_of=today(request), who=p)
    except BargainError as exc:
        return _refused(request, c, case_id, exc, failed, form, f"case.amend {case_id} {raw_seq}")
    return _done(request, c, case_id, "amend")


# --- the registration form -------------------------------------------------------------------------------

@router.get("/orgs/{code}/registration.xlsx")
def registration_xlsx(request: Request, code: str, c: Ctx = Depends(user_ctx)) -> Response:
    """The organisation's 集体协商专职指导员登记表 as `bargain counselor form --org CODE --out X.xlsx` writes it, the user as
    its filler and today as its date (404 outside the user's scope, 403 for who may not export there)."""
    from engine import registration
    from engine.outputs.form_sheet import workbook
    p = c.principal
    assert p is not None
    found = counselor_work.form_people(c.store, code, who=p)
    day = today(request)
    the_form = registration.build(found.people, unit=found.unit, filled_on=day, filler=p.name or p.login)
    out = BytesIO()
    workbook(the_form).save(out)
    safe = "".join(ch for ch in code if ch.isalnum() or ch in "-_")[:64]
    name = f"{registration.TITLE}-{found.unit}-{day.isoformat()}.xlsx".replace("/", "／")
    return Response(out.getvalue(), media_type=XLSX,
                    headers={"content-disposition": disposition(name, f"registration-{safe}-{day.isoformat()}.xlsx")})


# --- the JSON twins --------------------------------------------------------------------------------------

def _body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise DataError("请求体应为 JSON 对象", "the body must be a JSON object", rule="request")
    version = body.get("expect_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise DataError("expect_version 应为整数", "expect_version must be an integer", rule="request", actual=version)
    reason = body.get("reason", "")
    if not isinstance(reason, str):
        raise DataError("reason 应为文字", "reason must be text", rule="request", actual=reason)
    return body


@api_router.post("/cases/{case_id}/void")
def api_void(request: Request, case_id: int, body: Any = Body(...), c: Ctx = Depends(writer)) -> dict[str, Any]:
    """Undo the last step: {"reason", "expect_version"}; the case as `case show` prints it."""
    b = _body(body)
    p = c.principal
    assert p is not None
    return corrections.void(c.store, case_id, reason=str(b.get("reason", "")), recorded_at=context.now(request),
                            actor=actor(p), expect_version=b.get("expect_version"), as_of=_today(request), who=p).as_json()


@api_router.post("/cases/{case_id}/amend")
def api_amend(request: Request, case_id: int, body: Any = Body(...), c: Ctx = Depends(writer)) -> dict[str, Any]:
    """Correct an earlier step: {"seq", "data", "at", "reason", "expect_version"}; the case as `case show` prints it."""
    b = _body(body)
    seq = b.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise DataError("seq 应为条目编号（正整数）", "seq must be the entry's number (a positive integer)", rule="request",
                        actual=seq)
    data = b.get("data") or {}
    if not isinstance(data, dict):
        raise DataError("data 应为 JSON 对象", "data must be a JSON object", rule="request", actual=data)
    at = b.get("at")
    p = c.principal
    assert p is not None
    return corrections.amend(c.store, case_id, seq, at=parse_at(str(at)) if at else None, data=data,
                             reason=str(b.get("reason", "")), recorded_at=context.now(request), actor=actor(p),
                             expect_version=b.get("expect_version"), as_of=_today(request), who=p).as_json()
