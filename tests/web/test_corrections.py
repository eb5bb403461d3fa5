"""Void and amend on the case page and their JSON twins, the registration form download, and names instead of ids.

The real app over a copy of the demo city (tests/web/conftest.py): every write checked in the database afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from engine.store.database import Store
from engine.usecases import acts, audit, caseview
from tests.web.conftest import RECORDED, World, csrf_of, log_in, token_of


def _today() -> Any:
    """Today as the app and the CLI take it: the local (China) date, which is a day ahead of UTC's after 16:00 UTC."""
    from engine.times import local_date

    return local_date(datetime.now(UTC))


def _view(store: Store, case_id: int) -> dict[str, Any]:
    return caseview.show(store, case_id, as_of=_today()).as_json()


def _entries(store: Store, case_id: int) -> list[dict[str, Any]]:
    return list(caseview.timeline(store, case_id, as_of=_today())["entries"])


def _approved(store: Store, case_id: int, actor: str = "chen") -> int:
    """The draft case approved by a congress of 45 of 60 (40 for); the approval's seq."""
    acts.advance(store, case_id, "approve", {"body": "congress", "total": 60, "present": 45, "votes_for": 40},
                 at=RECORDED, recorded_at=RECORDED, actor=actor)
    return int([e for e in _entries(store, case_id) if e["kind"] == "transition"][-1]["seq"])


def _refusals(store: Store, rule: str) -> list[dict[str, Any]]:
    return [e for e in audit.entries(store) if e["outcome"] == "refused" and e["rule"] == rule]


def _amend_form(page: str, seq: int) -> str:
    start = page.index(f'id="amend-{seq}"')
    return page[start:page.index("</details>", start)]


def _amend(client: TestClient, case_id: int, seq: int, page: str, **fields: str) -> Any:
    form = {"csrftoken": csrf_of(page), "seq": str(seq), "workflow": "enterprise_wage", "trigger": "approve",
            "d.body": "congress", "d.total": "60", "d.present": "45", "d.votes_for": "40", "reason": "出席人数抄录错误"}
    form.update(fields)
    return client.post(f"/cases/{case_id}/amend", data=form, follow_redirects=False)


# --- who sees the forms, who may post -------------------------------------------------------------------

@pytest.mark.parametrize("login", ["admin", "huqiu", "chen"])
def test_who_may_correct_sees_the_void_form_and_an_amend_form_per_step(app: object, store: Store, world: World,
                                                                       login: str) -> None:
    page = log_in(app, login).get(f"/cases/{world.draft}")
    assert page.status_code == 200
    assert 'id="void"' in page.text and f'action="/cases/{world.draft}/void"' in page.text
    steps = [e["seq"] for e in _entries(store, world.draft) if e["kind"] == "transition"]
    assert len(steps) == 6
    for seq in steps:
        assert f'id="amend-{seq}"' in page.text


def test_a_viewer_sees_no_correction_form_and_a_posted_void_is_refused_audited_and_not_written(
        app: object, store: Store, world: World) -> None:
    client = log_in(app, "viewer")
    page = client.get(f"/cases/{world.draft}")
    assert page.status_code == 200
    assert 'id="void"' not in page.text and 'id="amend-' not in page.text and "/amend" not in page.text
    before = _view(store, world.draft)
    r = client.post(f"/cases/{world.draft}/void", data={"csrftoken": csrf_of(page.text), "reason": "误录"})
    assert r.status_code == 403 and "permission.case.correct" in r.text and "无权访问" in r.text
    assert "&#34;action&#34;: &#34;case.correct&#34;" in r.text and "&#39;action&#39;" not in r.text  # JSON, not a repr
    assert _view(store, world.draft) == before
    assert any(e["login"] == "viewer" for e in _refusals(store, "permission.case.correct"))
    seq = _entries(store, world.draft)[-1]["seq"]
    r = _amend(client, world.draft, seq, page.text)
    assert r.status_code == 403
    assert _view(store, world.draft) == before
    # through htmx (a form left open while the grant was taken away): the refusal card replaces the page's main part
    hx = client.post(f"/cases/{world.draft}/void", data={"csrftoken": csrf_of(page.text), "reason": "误录"},
                     headers={"hx-request": "true"})
    assert hx.headers["hx-retarget"] == "#main" and hx.headers["hx-reselect"] == "#main > section"
    assert "permission.case.correct" in hx.text and "无权访问" in hx.text
    assert _view(store, world.draft) == before


def test_a_counselor_may_not_correct_a_colleagues_case_in_the_same_district(app: object, store: Store, world: World) -> None:
    acts.advance(store, world.huqiu_other_counselor, "send_offer", {"level": "upper"}, at=RECORDED, recorded_at=RECORDED,
                 actor="t")
    client = log_in(app, "chen")
    token = token_of(client)
    before = _view(store, world.huqiu_other_counselor)
    r = client.post(f"/cases/{world.huqiu_other_counselor}/void", data={"csrftoken": token, "reason": "误录"})
    assert r.status_code == 403 and "permission.case.correct" in r.text
    assert _view(store, world.huqiu_other_counselor) == before
    assert any(e["login"] == "chen" for e in _refusals(store, "permission.case.correct"))
    far = client.post(f"/cases/{world.other}/void", data={"csrftoken": token, "reason": "误录"})
    assert far.status_code == 404  # outside chen's district: not found, so ids do not leak
    page = log_in(app, "wang").get(f"/cases/{world.huqiu_other_counselor}")  # the colleague it is assigned to
    assert page.status_code == 200 and 'id="amend-' in page.text


def test_a_case_outside_the_managers_district_is_not_found_and_nothing_is_written(app: object, store: Store, world: World) -> None:
    acts.advance(store, world.other, "send_offer", {"level": "upper"}, at=RECORDED, recorded_at=RECORDED, actor="t")
    client = log_in(app, "huqiu")
    assert client.get(f"/cases/{world.other}").status_code == 404
    before = _view(store, world.other)
    r = client.post(f"/cases/{world.other}/void", data={"csrftoken": token_of(client), "reason": "误录"})
    assert r.status_code == 404 and "permission" not in r.text  # ids do not leak
    assert _view(store, world.other) == before


def test_without_the_csrf_token_a_void_or_an_amend_is_refused_and_nothing_is_written(app: object, store: Store,
                                                                                   world: World) -> None:
    client = log_in(app, "huqiu")
    before = _view(store, world.draft)
    assert client.post(f"/cases/{world.draft}/void", data={"reason": "误录"}).status_code == 403
    assert client.post(f"/cases/{world.draft}/void", data={"reason": "误录", "csrftoken": "forged"}).status_code == 403
    assert client.post(f"/cases/{world.draft}/amend", data={"seq": "2", "reason": "x", "workflow": "enterprise_wage",
                                                            "trigger": "send_offer"}).status_code == 403
    assert _view(store, world.draft) == before


# --- void --------------------------------------------------------------------------------------------------

def test_a_void_needs_its_reason_and_then_undoes_the_last_step_which_stays_on_the_timeline_with_who_when_why(
        app: object, store: Store, world: World) -> None:
    client = log_in(app, "huqiu")
    page = client.get(f"/cases/{world.draft}")
    before = _view(store, world.draft)
    r = client.post(f"/cases/{world.draft}/void", data={"csrftoken": csrf_of(page.text), "reason": "  ",
                                                        "expect_version": str(before["version"])})
    assert r.status_code == 422
    refusal = r.text[r.text.index('id="void"'):]
    assert 'id="refusal"' in refusal and "correction_reason" in refusal and "更正须写明原因" in refusal
    assert _view(store, world.draft) == before
    r = client.post(f"/cases/{world.draft}/void", data={"csrftoken": csrf_of(page.text), "reason": "误录：草案尚未签字",
                                                        "expect_version": str(before["version"])}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{world.draft}?done=void"
    assert _view(store, world.draft)["state"] == "negotiating"
    shown = client.get(f"/cases/{world.draft}").text
    voided = shown[shown.index('class="entry-transition voided"'):]
    voided = voided[:voided.index("</li>")]
    assert "【已撤销】" in voided and re.search(r"虎丘区总民管部，\d{4}-\d\d-\d\d \d\d:\d\d：误录：草案尚未签字", voided)  # who, when, why
    assert "撤销第" in shown  # the void itself is an entry of its own
    last = max(e["seq"] for e in _entries(store, world.draft) if e["kind"] == "transition")
    assert f'id="amend-{last}"' not in shown and "agree_draft" in voided  # a voided step is not amended


def test_a_stale_void_is_a_conflict(app: object, store: Store, world: World) -> None:
    client = log_in(app, "huqiu")
    r = client.post(f"/cases/{world.draft}/void", data={"csrftoken": token_of(client), "reason": "误录", "expect_version": "1"})
    assert r.status_code == 409 and "case_version" in r.text
    assert _view(store, world.draft)["state"] == "draft_agreed"


# --- amend -------------------------------------------------------------------------------------------------

def test_the_amend_form_is_prefilled_with_the_steps_recorded_data_and_date(app: object, store: Store, world: World) -> None:
    seq = _approved(store, world.draft)
    form = _amend_form(log_in(app, "chen").get(f"/cases/{world.draft}").text, seq)
    assert 'name="d.present" value="45"' in form and 'name="d.votes_for" value="40"' in form
    assert '<option value="congress" selected>' in form
    assert 'name="at" type="datetime-local" value="2026-11-23T10:00"' in form  # RECORDED in Beijing time
    assert f'<label for="a{seq}-present">' in form and f'<label for="a{seq}-reason">' in form


def test_an_amendment_to_39_of_60_is_refused_beside_its_form_with_rule_and_article_and_nothing_is_written(
        app: object, store: Store, world: World) -> None:
    seq = _approved(store, world.draft)
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.draft}")
    before = _view(store, world.draft)
    r = _amend(client, world.draft, seq, page.text, **{"d.present": "39", "d.votes_for": "35"})
    assert r.status_code == 422
    form = _amend_form(r.text, seq)
    assert "open" in form.split(">", 1)[0]
    refusal = form[form.index('id="refusal"'):]
    assert "quorum_met" in refusal and "<dd>《集体合同规定》第三十六条</dd>" in refusal
    assert "要求" in refusal and "实际" in refusal
    assert 'name="d.present" value="39"' in form  # what was typed is kept
    assert _view(store, world.draft) == before
    en = _amend(client, world.draft, seq, client.get(f"/cases/{world.draft}?lang=en").text,
                **{"d.present": "39", "d.votes_for": "35"})
    assert en.status_code == 422 and "quorum_met" in en.text and "Required" in en.text
    assert "<dd>集体合同规定 art. 36</dd>" in en.text


def test_an_amendment_changes_the_shown_value_and_keeps_the_original_in_the_history(app: object, store: Store,
                                                                                  world: World) -> None:
    seq = _approved(store, world.draft)
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.draft}")
    r = _amend(client, world.draft, seq, page.text, **{"d.present": "50", "d.votes_for": "44",
                                                      "expect_version": str(_view(store, world.draft)["version"])})
    assert r.status_code == 303, r.text
    shown = client.get(f"/cases/{world.draft}").text
    assert 'name="d.present" value="50"' in _amend_form(shown, seq)
    entry = shown[shown.index(f'id="entry-{seq}"'):]
    entry = entry[:entry.index("</details>")]
    assert "【已更正】" in entry and "现行记录" in entry and "出席人数：50" in entry
    assert "出席人数：45" in entry  # the original stays as recorded
    assert "出席人数：45 → 50" in shown and "出席人数抄录错误" in shown
    amended = [e for e in _entries(store, world.draft) if e["kind"] == "amendment"]
    assert len(amended) == 1 and amended[0]["was"]["data"]["present"] == 45 and amended[0]["actor"] == "chen"
    assert amended[0]["corrected"]["at"] == amended[0]["was"]["at"]  # the date was left as it was


def test_an_amendment_without_a_reason_or_that_changes_nothing_is_refused(app: object, store: Store, world: World) -> None:
    seq = _approved(store, world.draft)
    client = log_in(app, "huqiu")
    page = client.get(f"/cases/{world.draft}").text
    before = _view(store, world.draft)
    assert "correction_reason" in _amend(client, world.draft, seq, page, reason="", **{"d.present": "50"}).text
    same = _amend(client, world.draft, seq, page)
    assert same.status_code == 422 and "amend_changes_nothing" in same.text
    assert _view(store, world.draft) == before


def test_an_amended_date_is_checked_as_the_trigger_was(app: object, store: Store, world: World) -> None:
    client = log_in(app, "huqiu")
    page = client.get(f"/cases/{world.draft}").text
    offer = next(e for e in _entries(store, world.draft) if e["kind"] == "transition")
    form = {"csrftoken": csrf_of(page), "seq": str(offer["seq"]), "workflow": "enterprise_wage", "trigger": offer["trigger"],
            "d.level": "enterprise", "d.received_on": "2026-03-02", "at": "2026-03-04T09:00", "at_was": "2026-03-02T09:00",
            "reason": "要约日期抄错"}
    before = _view(store, world.draft)
    early = client.post(f"/cases/{world.draft}/amend", data=form)
    assert early.status_code == 422 and "received_not_before_sent" in early.text and "《集体合同规定》第三十二条" in early.text
    assert _view(store, world.draft) == before
    r = client.post(f"/cases/{world.draft}/amend", data={**form, "d.received_on": "2026-03-04"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    fixed = [e for e in _entries(store, world.draft) if e["kind"] == "amendment"][-1]
    assert fixed["corrected"]["at"].startswith("2026-03-04T09:00")


# --- names, not ids ------------------------------------------------------------------------------------------

def test_the_case_page_list_and_workspace_name_the_counselor_and_every_actor(app: object, store: Store, world: World) -> None:
    _approved(store, world.draft, actor="chen")
    client = log_in(app, "huqiu")
    page = client.get(f"/cases/{world.draft}").text
    assert re.search(r'id="counselor-name">陈明</a>', page)
    approve = page[page.index("approve"):]
    approve = approve[:approve.index("</li>")]
    assert "办理人：陈明" in approve and "办理人：chen" not in page
    listed = client.get("/cases?counselor=3").text
    assert "<td>陈明</td>" in listed and "<td>3</td>" not in listed
    assert '<option value="3" selected>陈明（3）</option>' in listed  # the filter picks a counselor by name
    assert '<option value="2"' not in listed  # 吴中区's counselor is outside huqiu's grants
    mine = log_in(app, "chen").get("/").text
    assert "<td>陈明</td>" in mine
    rows = list(csv.reader(io.StringIO(client.get("/cases?counselor=3&format=csv").content.decode("utf-8-sig"))))
    assert rows[0][-1] == "指导员姓名" and rows[1:] and all(row[-1] == "陈明" for row in rows[1:])


# --- the registration form ------------------------------------------------------------------------------------

def test_the_registration_form_downloads_as_the_cli_writes_it_with_a_chinese_file_name(
        app: object, store: Store, world: World, tmp_path: Any) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from cli import app as cli_app

    client = log_in(app, "huqiu")
    org = client.get("/orgs/320505")
    assert 'href="/orgs/320505/registration.xlsx"' in org.text
    r = client.get("/orgs/320505/registration.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    cd = r.headers["content-disposition"]
    assert cd.startswith('attachment; filename="registration-320505-')
    name = unquote(cd.split("filename*=UTF-8''", 1)[1])
    assert name.startswith("集体协商专职指导员登记表-虎丘区") and name.endswith(".xlsx")
    web = load_workbook(io.BytesIO(r.content)).active
    out = tmp_path / "登记表.xlsx"
    done = CliRunner().invoke(cli_app, ["--db", world.url, "--as", "huqiu", "counselor", "form", "--org", "320505",
                                        "--out", str(out), "--filler", "虎丘区总民管部", "--date", _today().isoformat()])
    assert done.exit_code == 0, done.output
    cli = load_workbook(out).active
    assert web is not None and cli is not None
    cells = [[c.value for c in row] for row in web.iter_rows()]
    assert cells == [[c.value for c in row] for row in cli.iter_rows()]
    assert len(cells) > 6 and cells[0][0] == "集体协商专职指导员登记表"


@pytest.mark.parametrize(("login", "org", "status"), [
    ("admin", "320506", 200), ("huqiu", "320505001", 200), ("huqiu", "320506", 404), ("viewer", "320505", 403),
    ("chen", "320505", 403), ("huqiu", "nosuch", 404),
])
def test_the_registration_form_is_scope_checked(app: object, login: str, org: str, status: int) -> None:
    assert log_in(app, login).get(f"/orgs/{org}/registration.xlsx").status_code == status


def test_a_counselors_workspace_offers_the_form_only_where_the_engine_lets_them_export(app: object) -> None:
    assert "registration.xlsx" not in log_in(app, "chen").get("/").text  # counselors hold no report.export


# --- the JSON twins ---------------------------------------------------------------------------------------------

def _bearer(store: Store, login: str) -> dict[str, str]:
    from engine.usecases import users

    return {"authorization": f"Bearer {users.issue_token(store, login)}"}


def test_the_api_voids_and_amends_with_the_cli_shapes_and_refusal_object(app: Any, store: Store, world: World) -> None:
    client = TestClient(app)
    auth = _bearer(store, "huqiu")
    seq = _approved(store, world.draft)
    version = _view(store, world.draft)["version"]
    bad = client.post(f"/api/v1/cases/{world.draft}/amend", headers=auth,
                      json={"seq": seq, "data": {"present": 39, "votes_for": 35}, "reason": "抄错"})
    assert bad.status_code == 422
    err = bad.json()["error"]
    assert err["rule"] == "quorum_met" and "art. 36" in err["source"] and err["required"] is not None and err["actual"] is not None
    assert set(err) >= {"rule", "source", "required", "actual", "message"}
    assert _view(store, world.draft)["version"] == version
    stale = client.post(f"/api/v1/cases/{world.draft}/void", headers=auth, json={"reason": "误录", "expect_version": 1})
    assert stale.status_code == 409
    ok = client.post(f"/api/v1/cases/{world.draft}/amend", headers=auth,
                     json={"seq": seq, "data": {"present": 50}, "reason": "抄错", "expect_version": version})
    assert ok.status_code == 200 and ok.json()["version"] == version + 1 and ok.json()["state"] == "congress_approved"
    gone = client.post(f"/api/v1/cases/{world.draft}/void", headers=auth, json={"reason": "误录"})
    assert gone.status_code == 200 and gone.json()["state"] == "draft_agreed"
    assert client.post(f"/api/v1/cases/{world.draft}/void", headers=auth, json={"reason": ""}).status_code == 422
    assert client.post(f"/api/v1/cases/{world.draft}/amend", headers=auth, json={"seq": "x", "reason": "r"}).status_code == 422


def test_the_api_refuses_who_may_not_correct_and_a_cookie_without_its_csrf_header(app: Any, store: Store,
                                                                                world: World) -> None:
    client = TestClient(app)
    before = _view(store, world.draft)
    viewer = client.post(f"/api/v1/cases/{world.draft}/void", headers=_bearer(store, "viewer"), json={"reason": "误录"})
    assert viewer.status_code == 403 and viewer.json()["error"]["rule"] == "permission.case.correct"
    outside = client.post(f"/api/v1/cases/{world.other}/void", headers=_bearer(store, "huqiu"), json={"reason": "误录"})
    assert outside.status_code == 404 and outside.json()["error"]["rule"] == "not_found"
    cookie = log_in(app, "huqiu")
    assert cookie.post(f"/api/v1/cases/{world.draft}/void", json={"reason": "误录"}).status_code == 403
    assert TestClient(app).post(f"/api/v1/cases/{world.draft}/void", json={"reason": "误录"}).status_code == 401
    assert _view(store, world.draft) == before
    ok = cookie.post(f"/api/v1/cases/{world.draft}/void", json={"reason": "误录"}, headers={"x-csrftoken": token_of(cookie)})
    assert ok.status_code == 200


# --- both databases ---------------------------------------------------------------------------------------------

def test_the_case_page_corrects_and_names_on_sqlite_and_postgresql(db_url: str) -> None:
    """The page's reads (users' names, counselors' names, the correction right) and the writes over both back ends."""
    from datetime import date

    from engine.times import at_date
    from engine.usecases import demo, users
    from tests.web.conftest import PASSWORDS, _enterprise, _play_to_draft
    from web.app import create_app

    st = Store(db_url)
    try:
        demo.run(st, n_enterprises=8)
        case_id = acts.open_case(st, _enterprise(st, 1, "320505001", "狮山测试精密机械有限公司"), at=at_date(date(2026, 3, 1)),
                                 recorded_at=RECORDED, actor="fixture", counselor_id=3).case_id
        _play_to_draft(st, case_id)
        demo.add_users(st)
        users.add_user(st, "viewer", name="市总审计", role="viewer", org="320500", password=PASSWORDS["viewer"])
        seq = _approved(st, case_id)
        app = create_app(st)
        client = log_in(app, "huqiu")
        page = client.get(f"/cases/{case_id}").text
        assert 'id="counselor-name">陈明</a>' in page and "办理人：陈明" in page
        assert _amend(client, case_id, seq, page, **{"d.present": "39", "d.votes_for": "35"}).status_code == 422
        assert _amend(client, case_id, seq, page, **{"d.present": "50"}).status_code == 303
        assert "出席人数：45 → 50" in client.get(f"/cases/{case_id}").text
        assert "<td>陈明</td>" in client.get("/cases?counselor=3").text
        viewer = log_in(app, "viewer")
        assert 'id="void"' not in viewer.get(f"/cases/{case_id}").text
        assert viewer.post(f"/cases/{case_id}/void", data={"csrftoken": token_of(viewer), "reason": "误录"}).status_code == 403
        r = client.post(f"/cases/{case_id}/void", data={"csrftoken": token_of(client), "reason": "误录"}, follow_redirects=False)
        assert r.status_code == 303 and _view(st, case_id)["state"] == "draft_agreed"
        assert client.get("/orgs/320505/registration.xlsx").content[:2] == b"PK"
    finally:
        st.dispose()


def test_the_amend_form_of_the_representatives_shows_every_recorded_row_and_room_for_more(app: object, store: Store,
                                                                                        world: World) -> None:
    elect = next(e for e in _entries(store, world.draft) if e.get("trigger") == "elect_reps")
    client = log_in(app, "huqiu")
    form = _amend_form(client.get(f"/cases/{world.draft}").text, elect["seq"])
    assert 'name="d.worker_reps.0.name" value="赵一"' in form and 'name="d.worker_reps.2.name" value="孙三"' in form
    assert 'name="d.worker_reps.0.chief" value="1" checked' in form and 'name="d.worker_reps.1.chief" value="1">' in form
    assert form.count('name="d.employer_reps.') // 3 == 5  # three recorded, two empty
    page = client.get(f"/cases/{world.draft}").text
    posted = {"csrftoken": csrf_of(page), "seq": str(elect["seq"]), "workflow": "enterprise_wage", "trigger": "elect_reps",
              "d.recorder": "郑七", "reason": "首席标错"}
    for side, names in (("worker_reps", ["赵一", "钱二", "孙三"]), ("employer_reps", ["李四", "周五", "吴六"])):
        for i in range(5):
            posted[f"d.{side}.{i}.name"] = names[i] if i < len(names) else ""
        posted[f"d.{side}.1.chief"] = "1"  # the chief moves: the first row is no longer ticked
    before = _view(store, world.draft)
    r = client.post(f"/cases/{world.draft}/amend", data=posted, follow_redirects=False)
    assert r.status_code == 303, r.text
    fixed = [e for e in _entries(store, world.draft) if e["kind"] == "amendment"][-1]["corrected"]["data"]
    assert [p["name"] for p in fixed["worker_reps"] if p.get("chief")] == ["钱二"]
    assert _view(store, world.draft)["version"] == before["version"] + 1
