"""The pages a person uses (WEB.md): login, dashboard or workspace, an organisation, the case list, a case, a summary."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from engine import registry
from engine.activity import ACTIVITIES
from engine.errors import BargainError, DataError, RefusedError
from engine.permission import Principal, scope_paths
from engine.times import local_date, parse_at
from engine.usecases import acts, caseview, counselor_work, deadlines, reporting, sessions
from web import context, forms
from web.chart import bar_chart, coverage_chart, funnel_chart
from web.context import AuthRequiredError, Ctx, actor, check_csrf, page_ctx
from web.templating import templates

router = APIRouter()
PAGE = 50
EXPORT_LIMIT = 200_000
MANAGING = {"admin", "manager", "viewer"}


async def posted(request: Request) -> dict[str, Any]:
    """The posted form, as a plain dict (the last value of a repeated key)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def user_ctx(request: Request, c: Ctx = Depends(page_ctx)) -> Ctx:
    """A page that needs a logged-in user (else the browser is sent to /login)."""
    request.state.ctx = c
    if c.principal is None:
        raise AuthRequiredError("请先登录", "log in first", rule="auth.required")
    request.state.login = c.login
    return c


def render(request: Request, c: Ctx | None, name: str, status: int = 200, **values: Any) -> Response:
    """One page or fragment, with the context every template uses."""
    lang = c.lang if c else "zh"
    values.setdefault("states_map", dict(_state_choices(lang)))
    values.setdefault("can_export", bool(c and c.principal and scope_paths(c.principal, "report.export", registry.roles())))
    return templates.TemplateResponse(request, name, {"c": c, "t": context.t_for(lang), "lang": lang, **values},
                                      status_code=status)


def today(request: Request) -> date:
    """Today in local time, by the app's clock."""
    return local_date(context.now(request))


def home_org(p: Principal) -> str | None:
    """The organisation a user's dashboard opens on: their first managing grant's (None: the root)."""
    for g in p.grants:
        if g.role in MANAGING:
            code = g.org_path.strip("/").rsplit("/", 1)[-1]
            return code or None
    return None


def is_counselor_only(p: Principal) -> bool:
    """Whether the user works as a counselor only (their home is the workspace, not a dashboard)."""
    return p.counselor_id is not None and not any(g.role in MANAGING for g in p.grants)


def state_label(workflow: str, state: str, lang: str) -> str:
    """A state's name in the language."""
    try:
        s = registry.spec(workflow).states.get(state)
    except BargainError:
        s = None
    return (s.zh if lang == "zh" else s.en) if s else state


# --- login and logout ---------------------------------------------------------------------------------

@router.get("/login")
def login_form(request: Request, c: Ctx = Depends(page_ctx)) -> Response:
    """The login form."""
    request.state.ctx = c
    if c.principal is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, c, "login.html", message=None)


@router.post("/login")
def login(request: Request, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(page_ctx)) -> Response:
    """Check the password; a success replaces the session with a new one and goes to /."""
    from engine.usecases import users

    request.state.ctx = c
    check_csrf(request, c, form.get("csrftoken"))
    at = context.now(request)
    sessions.purge(c.store, now=at, idle=request.app.state.idle)
    try:
        sessions.login_attempt(c.store, c.address, now=at)
    except RefusedError as exc:
        return render(request, c, "login.html", status=429, message=exc.message(c.lang))
    try:
        principal = users.authenticate(c.store, str(form.get("login", "")).strip(), str(form.get("password", "")),
                                       address=c.address, now=at)
    except RefusedError as exc:
        if exc.rule not in ("auth.failed", "auth.locked"):
            raise
        # One message whatever went wrong, so the form never says whether a login exists or is locked.
        message = c.t("登录名或密码不正确，或该账户暂时被锁定。", "Wrong login or password, or the account is locked for a while.")
        return render(request, c, "login.html", status=401, message=message)
    assert c.session is not None
    new = sessions.log_in(c.store, c.session, principal.login, now=at)
    request.state.set_cookie = new.sid
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(page_ctx)) -> Response:
    """End the session."""
    request.state.ctx = c
    check_csrf(request, c, form.get("csrftoken"))
    if c.session is not None:
        sessions.end(c.store, c.session.sid)
    return RedirectResponse("/login", status_code=303)


@router.get("/password")
def password_form(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """The form to change one's own password."""
    return render(request, c, "password.html", refusal=None, done=request.query_params.get("done"))


@router.post("/password")
def change_password(request: Request, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Change one's own password (the current one asked again); every other session of the user ends."""
    from engine.usecases import users
    from web.errors import audit, status_of

    check_csrf(request, c, form.get("csrftoken"))
    p = c.principal
    assert p is not None and c.session is not None
    at = context.now(request)
    new = str(form.get("new", ""))
    try:
        if new != str(form.get("repeat", "")):
            raise DataError("两次输入的新密码不一致", "the two new passwords differ", rule="password.repeat")
        try:
            users.authenticate(c.store, p.login, str(form.get("current", "")), address=c.address, now=at)
        except RefusedError:
            raise RefusedError("当前密码不正确", "the current password is wrong", rule="password.current") from None
        users.set_password(c.store, p.login, new, by=p, at=at)
    except BargainError as exc:
        if status_of(exc) == 404:
            raise
        audit(request, exc, p.login, "user.passwd")
        return render(request, c, "password.html", status=422, refusal=_refusal(exc, c.lang), done=None)
    fresh = sessions.log_in(c.store, c.session, p.login, now=at)  # the password change ended every session
    request.state.set_cookie = fresh.sid
    return RedirectResponse("/password?done=1", status_code=303)


# --- dashboard, organisation, workspace ---------------------------------------------------------------

def _year(request: Request) -> int:
    raw = request.query_params.get("year")
    if raw is None or raw == "":
        return today(request).year
    try:
        return int(raw)
    except ValueError:
        raise DataError(f"年份不对：{raw}", f"not a year: {raw}", rule="year", actual=raw) from None


def _compare(request: Request) -> int | None:
    raw = request.query_params.get("compare")
    if raw is None or raw.strip() == "":
        return None
    if not (raw.strip().isdigit() and len(raw.strip()) == 4):
        raise DataError(f"对比年度应为四位数年份：{raw}", f"the year to compare with must be a four-digit year: {raw}",
                        rule="compare", actual=raw)
    return int(raw)


def coverage_day(year: int, day: date) -> date:
    """The day a year's coverage is counted on: today in the current year, 31 December of a past year,
    1 January of a year still to come."""
    if year == day.year:
        return day
    return date(year, 12, 31) if year < day.year else date(year, 1, 1)


def _block(report: Any, lang: str, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One report for a template: its JSON (the CLI's figures), the columns shown, labels and definitions."""
    from engine.outputs.export import defined_labels  # the names the CLI's definitions give (cohort: 统计对象)

    labels = {col.key: col.label(lang) for col in report.columns}
    columns = [col for col in report.columns if keys is None or col.key in keys]
    named = defined_labels(report, lang)
    definitions = [(named.get(k) or labels.get(k, k), zh if lang == "zh" else en) for k, (zh, en) in report.definitions.items()]
    return {"data": report.as_json(), "columns": columns, "labels": labels, "definitions": definitions,
            "notes": [zh if lang == "zh" else en for zh, en in report.notes], "title": report.title(lang)}


CAMPAIGN_SHOWN = ("offers", "accepted", "acceptance_rate", "refused", "pending", "signed", "effective", "workers_covered")
COVERAGE_SHOWN = ("unionised", "covered", "coverage", "unionised_50", "covered_50", "coverage_50", "unionised_100",
                  "covered_100", "coverage_100")


def _figures(request: Request, c: Ctx, org: str | None, year: int) -> dict[str, Any]:
    """The dashboard's blocks for an organisation and a year, from the very use cases `bargain report` calls:
    the campaign by sub-organisation, coverage against its targets, the funnel, and the overdue count."""
    assert c.principal is not None
    compare = _compare(request)
    day = today(request)
    report = reporting.campaign(c.store, year=year, org=org, compare=compare, lang=c.lang, who=c.principal)
    data = report.as_json()
    campaign = _block(report, c.lang, CAMPAIGN_SHOWN)
    labels = campaign["labels"]
    name = data.get("org_name") or ""
    title = c.t(f"{name} {year} 年要约行动：按下级组织", f"{name} {year} campaign by sub-organisation")
    suffix = f"?year={year}" + (f"&compare={compare}" if compare else "")
    chart = bar_chart(data["rows"], labels, "/orgs/{code}" + suffix, title)
    as_of = coverage_day(year, day)
    cov = reporting.coverage(c.store, as_of=as_of, org=org, compare=compare, lang=c.lang, who=c.principal)
    coverage = _block(cov, c.lang, COVERAGE_SHOWN)
    coverage["chart"] = coverage_chart(coverage["data"]["rows"], coverage["labels"], coverage["data"]["targets"],
                                       "/orgs/{code}" + suffix, cov.title(c.lang), c.t("目标", "target"))
    coverage["as_of"] = as_of
    fun = reporting.funnel(c.store, year=year, org=org, lang=c.lang, who=c.principal)
    funnel = _block(fun, c.lang)
    here = f"&org={org}" if org else ""
    funnel["link"] = "/cases?state={state}&year=" + str(year) + here
    funnel["chart"] = funnel_chart(funnel["data"]["rows"], funnel["labels"], funnel["link"], fun.title(c.lang))
    funnel["asides"] = [{"title": a.title(c.lang), "head": a.head(c.lang), "columns": list(a.columns), "rows": list(a.rows)}
                        for a in fun.asides]
    overdue = reporting.overdue_count(c.store, as_of=day, org=org, who=c.principal)
    return {"report": data, "columns": campaign["columns"], "chart": chart, "year": year, "labels": labels, "overdue": overdue,
            "definitions": campaign["definitions"], "compare": compare, "suffix": suffix, "coverage": coverage,
            "funnel": funnel}


@router.get("/")
def home(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """Managers, viewers and admins: the dashboard of their scope; counselors: their workspace."""
    p = c.principal
    assert p is not None
    if is_counselor_only(p):
        return workspace(request, c)
    org = home_org(p)
    return render(request, c, "dashboard.html", org=org, **_figures(request, c, org, _year(request)))


def workspace(request: Request, c: Ctx) -> Response:
    """A counselor's cases and what falls due for them in the next 7 and 30 days."""
    p = c.principal
    assert p is not None and p.counselor_id is not None
    day = today(request)
    mine = caseview.page_cases(c.store, counselor=p.counselor_id, limit=200, as_of=day, who=p)
    due = [(r, d) for r, d in deadlines.listed(c.store, day, who=p)
           if r.case.counselor_id == p.counselor_id and d.due <= day + timedelta(days=30)]
    late = [x for x in due if x[1].due < day]
    week = [x for x in due if day <= x[1].due <= day + timedelta(days=7)]
    month = [x for x in due if x[1].due > day + timedelta(days=7)]
    from engine.usecases import casepage

    return render(request, c, "workspace.html", mine=mine, late=late, week=week, month=month, day=day, year=day.year,
                  kinds=caseview.deadline_names(), form_org=casepage.registration_org(c.store, p))


@router.get("/orgs/{code}")
def org_page(request: Request, code: str, c: Ctx = Depends(user_ctx)) -> Response:
    """One organisation: its figures, its sub-organisations, its latest cases."""
    year = _year(request)
    figures = _figures(request, c, code, year)
    cases = caseview.page_cases(c.store, org=code, year=year, limit=20, sort="last_at", desc=True, as_of=today(request),
                                who=c.principal)
    return render(request, c, "org.html", org=code, cases=cases, **figures)


# --- the case list --------------------------------------------------------------------------------------

LIST_COLUMNS = [("case_id", "案件编号", "case"), ("enterprise", "企业（组织）名称", "enterprise"),
                ("credit_code", "统一社会信用代码", "credit code"), ("org_code", "所属工会", "union"),
                ("state", "状态", "state"), ("counselor_id", "指导员编号", "counselor"), ("last_at", "最近办理", "last act")]


def _filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    out: dict[str, Any] = {"state": q.get("state") or None, "org": q.get("org") or None, "overdue": q.get("overdue") in ("1", "true", "on")}
    for key in ("counselor", "year"):
        raw = q.get(key)
        if raw:
            try:
                out[key] = int(raw)
            except ValueError:
                raise DataError(f"{key} 应为数字：{raw}", f"{key} must be a number: {raw}", rule=key, actual=raw) from None
        else:
            out[key] = None
    return out


@router.get("/cases")
def case_list(request: Request, c: Ctx = Depends(user_ctx)) -> Response:
    """The filtered, sorted, paged case list; `format=csv|xlsx` exports exactly the filtered list."""
    q = request.query_params
    filters = _filters(request)
    sort = q.get("sort", "case_id")
    desc = q.get("desc") in ("1", "true")
    fmt = q.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(request, c, filters, sort, desc, fmt)
    page = max(1, int(q.get("page", "1"))) if q.get("page", "1").isdigit() else 1
    found = caseview.page_cases(c.store, **filters, sort=sort, desc=desc, offset=(page - 1) * PAGE, limit=PAGE,
                                as_of=today(request), who=c.principal)
    kept = {k: v for k, v in {**filters, "overdue": "1" if filters["overdue"] else None, "sort": sort,
                              "desc": "1" if desc else None}.items() if v not in (None, "")}
    states = _state_choices(c.lang)
    assert c.login is not None
    return render(request, c, "cases.html", found=found, filters=filters, sort=sort, desc=desc, page=page,
                  saved=sessions.saved_lists(c.store, c.login), current=urlencode(kept),
                  pages=max(1, -(-found.total // PAGE)),
                  query=lambda **more: urlencode({k: v for k, v in {**kept, **more}.items() if v not in (None, "")}),
                  columns=LIST_COLUMNS, states=states, counselors=_counselor_choices(c))


COUNSELOR_CHOICES = 300  # more than this and the filter stays a number field


def _counselor_choices(c: Ctx) -> list[tuple[int, str]]:
    """The counselors the user may read, for the list's filter by name (empty: the filter takes an id)."""
    from engine.usecases import registers

    try:
        found = registers.list_counselors(c.store, None, who=c.principal)
    except BargainError:
        return []
    return [(int(r.id), str(r.name)) for r in found] if len(found) <= COUNSELOR_CHOICES else []


LIST_KEYS = ("state", "org", "counselor", "year", "overdue", "sort", "desc")


@router.post("/cases/saved")
def save_list(request: Request, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Save the list's filters under a name, for this user; back to that list."""
    from urllib.parse import parse_qsl

    check_csrf(request, c, form.get("csrftoken"))
    assert c.login is not None
    query = urlencode([(k, v) for k, v in parse_qsl(str(form.get("query", ""))) if k in LIST_KEYS and v])
    if form.get("delete"):
        sessions.delete_list(c.store, c.login, str(form.get("name", "")))
        return RedirectResponse("/cases", status_code=303)
    sessions.save_list(c.store, c.login, str(form.get("name", "")), query, now=context.now(request))
    return RedirectResponse(f"/cases?{query}", status_code=303)


def _state_choices(lang: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for spec in registry.specs().values():
        for k, s in spec.states.items():
            seen.setdefault(k, s.zh if lang == "zh" else s.en)
    return list(seen.items())


def _export(request: Request, c: Ctx, filters: dict[str, Any], sort: str, desc: bool, fmt: str) -> Response:
    from engine.outputs import listing

    found = caseview.page_cases(c.store, **filters, sort=sort, desc=desc, limit=EXPORT_LIMIT, as_of=today(request),
                                who=c.principal, export=True)
    headers = [zh if c.lang == "zh" else en for _, zh, en in LIST_COLUMNS] + [c.t("状态名称", "state name"),
                                                                             c.t("指导员姓名", "counselor name")]
    rows = [[r.get(k) for k, _, _ in LIST_COLUMNS] + [state_label(r["workflow"], r["state"], c.lang), r.get("counselor_name")]
            for r in found.rows]
    from web.downloads import disposition

    stamp = today(request).isoformat()
    name = f"{c.t('案件列表', 'cases')}-{stamp}.{fmt}"  # a Chinese file name in zh (filename*), the ASCII one as fallback
    if fmt == "csv":
        return Response(listing.csv_bytes(headers, rows), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": disposition(name, f"cases-{stamp}.csv")})
    return Response(listing.xlsx_bytes(headers, rows, c.t("案件", "cases")),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": disposition(name, f"cases-{stamp}.xlsx")})


# --- the case page ----------------------------------------------------------------------------------------

def _case_values(request: Request, c: Ctx, case_id: int, *, refusal: dict[str, Any] | None = None,
                 failed: str | None = None, posted_form: dict[str, Any] | None = None, done: str | None = None) -> dict[str, Any]:
    from engine.usecases import casepage
    from web.casetimeline import case_page_values

    day = today(request)
    cp = casepage.page(c.store, case_id, as_of=day, who=c.principal)
    view = cp.view
    data = view.as_json()
    timeline = case_page_values(cp, c.lang, failed=failed, posted=posted_form or {})
    trigger_forms = forms.forms_for(data["workflow"], data["allowed"], c.lang)
    on_page = ({f.trigger for f in trigger_forms} | {"log"} | ({"void"} if timeline["void_target"] else set())
               | {f"amend-{i['seq']}" for i in timeline["timeline"] if i["amend"]})
    # The form that was posted is gone (another tab or person moved the case on): the refusal goes on top of the page,
    # with what was typed, so the conflict is seen and nothing typed is lost.
    orphan = failed is not None and refusal is not None and failed not in on_page
    return {"case": data, "state_name": state_label(data["workflow"], data["state"], c.lang),
            "deadlines": view.deadlines, "kinds": caseview.deadline_names(), **timeline,
            "forms": trigger_forms, "refusal": refusal, "failed": failed,
            "orphan": refusal if orphan else None, "typed": forms.typed(posted_form or {}, c.lang) if orphan else [],
            "posted": posted_form or {}, "done": done,
            "activities": [(k, v[0] if c.lang == "zh" else v[1]) for k, v in ACTIVITIES.items()],
            "now_local": context.now(request).astimezone(local_tz()).strftime("%Y-%m-%dT%H:%M")}


def local_tz() -> Any:
    """The local time zone (Asia/Shanghai unless configured)."""
    from engine.times import tz

    return tz()


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, c: Ctx = Depends(user_ctx)) -> Response:
    """A case: enterprise, state, deadlines with their rules, the allowed triggers as forms, the involvement log, the timeline."""
    done = request.query_params.get("done")
    return render(request, c, "case.html", **_case_values(request, c, case_id, done=done))


def _answer(request: Request, c: Ctx, case_id: int, status: int, **values: Any) -> Response:
    """After a post on the case page: the refreshed case body for htmx, else the whole page."""
    if request.headers.get("hx-request"):
        return render(request, c, "_case_main.html", **_case_values(request, c, case_id, **values))
    return render(request, c, "case.html", status=status, **_case_values(request, c, case_id, **values))


def _done(request: Request, c: Ctx, case_id: int, done: str) -> Response:
    """After a post on the case page that worked: the refreshed body for htmx, else back to the page (303)."""
    if request.headers.get("hx-request"):
        return _answer(request, c, case_id, 200, done=done)
    return RedirectResponse(f"/cases/{case_id}?done={done}", status_code=303)


def _refusal(exc: BargainError, lang: str) -> dict[str, Any]:
    from web.errors import refusal_json

    return refusal_json(exc, lang)["error"]  # type: ignore[return-value]


@router.post("/cases/{case_id}/advance")
def advance(request: Request, case_id: int, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Fire the posted trigger; a refusal is shown next to its form with its rule, source, required and actual."""
    from web.errors import audit, status_of

    check_csrf(request, c, form.get("csrftoken"))
    p = c.principal
    assert p is not None
    trigger = str(form.get("trigger", ""))
    try:
        view = caseview.show(c.store, case_id, as_of=today(request), who=p)
        spec = registry.spec(view.case.workflow_key)
        t = spec.transitions.get(trigger)
        data = forms.data_from(t, form) if t else {}
        at = parse_at(str(form["at"])) if form.get("at") else context.now(request)
        version = str(form.get("expect_version", ""))
        acts.advance(c.store, case_id, trigger, data, at=at, recorded_at=context.now(request), actor=actor(p),
                     counselor_id=p.counselor_id, note=forms.checked(form, "note", "备注", "note").strip(),
                     expect_version=int(version) if version.isdigit() else None, as_of=today(request), who=p)
    except BargainError as exc:
        if status_of(exc) in (401, 404):
            raise
        audit(request, exc, p.login, f"case.advance {case_id} {trigger}")
        return _answer(request, c, case_id, status_of(exc), refusal=_refusal(exc, c.lang), failed=trigger, posted_form=form)
    return _done(request, c, case_id, trigger)


@router.post("/cases/{case_id}/log")
def log(request: Request, case_id: int, form: dict[str, Any] = Depends(posted), c: Ctx = Depends(user_ctx)) -> Response:
    """Record a counselor's involvement on the case."""
    from web.errors import audit, status_of

    check_csrf(request, c, form.get("csrftoken"))
    p = c.principal
    assert p is not None
    try:
        view = caseview.show(c.store, case_id, as_of=today(request), who=p)
        counselor = p.counselor_id if p.counselor_id is not None else view.case.counselor_id
        if counselor is None:
            raise DataError("这个案件还没有指派指导员，无法记录指导工作", "the case has no counselor to log the work of", rule="counselor")
        try:
            hours = float(str(form.get("hours") or "0"))
        except ValueError:
            raise DataError(f"工时应为数字：{form.get('hours')}", f"hours must be a number: {form.get('hours')}", rule="hours",
                            actual=form.get("hours")) from None
        at = parse_at(str(form["at"])) if form.get("at") else context.now(request)
        acts.log(c.store, case_id, counselor, str(form.get("activity", "")), at=at, recorded_at=context.now(request),
                 actor=actor(p), note=forms.checked(form, "note", "记录", "note"), hours=hours, who=p)
    except BargainError as exc:
        if status_of(exc) in (401, 404):
            raise
        audit(request, exc, p.login, f"case.log {case_id}")
        return _answer(request, c, case_id, status_of(exc), refusal=_refusal(exc, c.lang), failed="log", posted_form=form)
    return _done(request, c, case_id, "log")


@router.get("/cases/{case_id}/reps-row")
def reps_row(request: Request, case_id: int, trigger: str, field: str, i: int, c: Ctx = Depends(user_ctx)) -> Response:
    """One more empty row for a representatives table, and the button that adds the next one (htmx)."""
    if not (field + trigger).replace("_", "").isalnum() or not 0 <= i < 99:
        raise DataError("参数不对", "bad parameters", rule="request")
    return render(request, c, "_rep_more.html", case={"case_id": case_id}, trigger=trigger, field=field, i=i, row={},
                  next=i + 1)


# --- counselors -------------------------------------------------------------------------------------------

@router.get("/counselors/{counselor_id}/summary")
def summary(request: Request, counselor_id: int, c: Ctx = Depends(user_ctx)) -> Response:
    """A counselor's annual summary (年度工作总结); `format=docx` downloads it."""
    year = _year(request)
    doc = counselor_work.summary(c.store, counselor_id, year, who=c.principal)
    names = {k: v for spec in registry.specs().values() for k, v in ((s, (st.zh, st.en)) for s, st in spec.states.items())}
    if request.query_params.get("format") == "docx":
        from engine.outputs.summary_doc import document

        out = BytesIO()
        document(doc, names, c.lang).save(out)
        from web.downloads import disposition

        who = str(doc["counselor"].get("name") or counselor_id)
        name = c.t(f"{who}-{year}年度工作总结.docx", f"{who}-annual-summary-{year}.docx")
        return Response(out.getvalue(), media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers={"content-disposition": disposition(name, f"counselor-summary-{counselor_id}-{year}.docx")})
    return render(request, c, "summary.html", doc=doc, year=year, counselor_id=counselor_id,
                  outcome_names={"workers_covered": c.t("覆盖职工", "workers covered")},
                  activities={k: v[0] if c.lang == "zh" else v[1] for k, v in ACTIVITIES.items()},
                  state_names={k: v[0] if c.lang == "zh" else v[1] for k, v in names.items()})
