"""Every page with the real app: dashboard, organisation, case list and export, case page forms, log, summary, language."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from engine.store.database import Store
from engine.usecases import acts, caseview
from tests.web.conftest import World, csrf_of, log_in


def _view(store: Store, case_id: int) -> dict[str, object]:
    return caseview.show(store, case_id, as_of=datetime.now(UTC).date()).as_json()


def _events(store: Store, case_id: int) -> int:
    return len(caseview.timeline(store, case_id, as_of=datetime.now(UTC).date())["entries"])


def test_a_manager_sees_the_campaign_of_their_district_with_a_chart_linking_to_each_sub_organisation(app: object) -> None:
    r = log_in(app, "huqiu").get("/?year=2026")
    assert r.status_code == 200
    assert "虎丘区（高新区）总工会" in r.text and "<svg" in r.text
    chart = r.text[r.text.index("<svg"):r.text.index("</svg>")]
    assert re.findall(r'<a href="(/orgs/\d+)\?year=2026"', chart) == ["/orgs/320505001", "/orgs/320505002"]
    assert 'href="/orgs/320505001?year=2026"' in r.text.split("</svg>")[1]  # the table's rows link too
    assert "指标口径" in r.text  # the same definitions the CLI prints
    assert 'href="/cases?overdue=1&org=320505"' in r.text


def test_the_city_admin_drills_from_the_city_to_a_district(app: object) -> None:
    client = log_in(app, "admin")
    city = client.get("/?year=2026")
    assert "苏州市总工会" in city.text and 'href="/orgs/320505?year=2026"' in city.text
    district = client.get("/orgs/320505?year=2026")
    assert district.status_code == 200 and "狮山街道总工会" in district.text
    assert 'href="/cases?org=320505&year=2026"' in district.text


def test_an_organisation_outside_the_users_grants_is_not_found(app: object) -> None:
    assert log_in(app, "huqiu").get("/orgs/320506").status_code == 404


def test_a_counselor_lands_on_their_workspace_with_only_their_cases(app: object, world: World) -> None:
    r = log_in(app, "chen").get("/")
    assert r.status_code == 200 and "我的工作台" in r.text
    assert "7 天内到期" in r.text and "8–30 天内到期" in r.text
    ids = {int(x) for x in re.findall(r'href="/cases/(\d+)"', r.text)}
    assert world.draft in ids and world.fresh in ids and world.other not in ids and world.huqiu_other_counselor not in ids


def test_the_case_list_filters_sorts_and_pages(app: object, world: World) -> None:
    client = log_in(app, "huqiu")
    all_cases = client.get("/cases")
    total = int(re.search(r"<h1>案件（(\d+)）</h1>", all_cases.text).group(1))  # type: ignore[union-attr]
    assert total > 0
    drafts = client.get("/cases?state=draft_agreed")
    assert f'href="/cases/{world.draft}"' in drafts.text
    mine = client.get("/cases?counselor=3&sort=case_id&desc=1")
    ids = [int(x) for x in re.findall(r'<td><a href="/cases/(\d+)">', mine.text)]
    assert ids == sorted(ids, reverse=True) and world.fresh in ids
    assert client.get("/cases?overdue=1").status_code == 200
    assert client.get("/cases?year=2026&org=320505001").status_code == 200
    assert client.get("/cases?org=320506").status_code == 404


def test_the_export_is_exactly_the_filtered_list_with_a_bom_and_chinese_headers(app: object) -> None:
    client = log_in(app, "huqiu")
    page = client.get("/cases?state=effective&org=320505001")
    shown = int(re.search(r"<h1>案件（(\d+)）</h1>", page.text).group(1))  # type: ignore[union-attr]
    r = client.get("/cases?state=effective&org=320505001&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["案件编号", "企业（组织）名称", "统一社会信用代码"]
    assert len(rows) - 1 == shown and all(row[4] == "effective" for row in rows[1:])
    x = client.get("/cases?state=effective&org=320505001&format=xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws is not None and ws.max_row - 1 == shown and ws.cell(1, 1).value == "案件编号"


def test_a_managers_export_holds_only_the_cases_of_their_grants(app: object, world: World) -> None:
    r = log_in(app, "huqiu").get("/cases?format=csv")
    ids = {int(row[0]) for row in list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1:]}
    assert world.fresh in ids and world.huqiu_other_counselor in ids and world.other not in ids


def test_exporting_needs_report_export_so_a_viewer_and_a_counselor_are_refused(app: object) -> None:
    for login in ("viewer", "chen"):
        client = log_in(app, login)
        assert client.get("/cases").status_code == 200  # reading the list is allowed
        r = client.get("/cases?format=xlsx")
        assert r.status_code == 403 and "permission.report.export" in r.text
    assert log_in(app, "viewer").get("/cases?format=csv&org=320505").status_code == 403


def test_the_case_page_shows_the_deadlines_the_timeline_and_a_form_per_allowed_trigger(app: object, world: World) -> None:
    r = log_in(app, "chen").get(f"/cases/{world.draft}")
    assert r.status_code == 200
    assert "狮山测试精密机械有限公司" in r.text and "草案已达成" in r.text
    assert 'id="act-approve"' in r.text and 'id="act-reject"' in r.text
    assert 'name="d.total"' in r.text and 'name="d.present"' in r.text and 'name="d.votes_for"' in r.text
    assert '<label for="approve-total">' in r.text  # every field has its label
    assert "办理经过" in r.text and "agree_draft" in r.text


def test_the_representatives_editor_is_a_table_of_rows_and_grows_by_a_row(app: object, store: Store, world: World) -> None:
    from engine.usecases import acts
    from tests.web.conftest import RECORDED

    acts.advance(store, world.fresh, "send_offer", {"level": "upper"}, at=RECORDED, recorded_at=RECORDED, actor="t")
    acts.advance(store, world.fresh, "accept", {}, at=RECORDED, recorded_at=RECORDED, actor="t")
    acts.advance(store, world.fresh, "set_topics", {"topics": ["工资增幅"]}, at=RECORDED, recorded_at=RECORDED, actor="t")
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.fresh}")
    assert 'name="d.worker_reps.0.name"' in page.text and 'name="d.employer_reps.4.chief"' in page.text
    more = client.get(f"/cases/{world.fresh}/reps-row?trigger=elect_reps&field=worker_reps&i=5", headers={"hx-request": "true"})
    assert 'name="d.worker_reps.5.name"' in more.text and "i=6" in more.text and 'hx-swap-oob="true"' in more.text
    form = {"csrftoken": csrf_of(page.text), "trigger": "elect_reps", "d.recorder": "郑记录"}
    for side, names in (("worker_reps", ["甲一", "甲二", "甲三"]), ("employer_reps", ["乙一", "乙二", "乙三"])):
        for i, name in enumerate(names):
            form[f"d.{side}.{i}.name"] = name
        form[f"d.{side}.0.chief"] = "1"
    r = client.post(f"/cases/{world.fresh}/advance", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _view(store, world.fresh)["state"] == "reps_elected"


def test_a_congress_of_39_of_60_is_refused_next_to_the_form_with_its_article_and_nothing_is_written(
        app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.draft}")
    before = _view(store, world.draft)["version"]
    r = client.post(f"/cases/{world.draft}/advance", data={
        "csrftoken": csrf_of(page.text), "trigger": "approve", "expect_version": str(before),
        "d.body": "congress", "d.total": "60", "d.present": "39", "d.votes_for": "35"})
    assert r.status_code == 422
    refusal = r.text[r.text.index('id="refusal"'):]
    assert "quorum_met" in refusal and "<dd>《集体合同规定》第三十六条</dd>" in refusal  # the article in Chinese
    assert "art." not in refusal[:refusal.index("</div>")]  # the message too (engine.errors: Chinese all the way)
    assert 'value="39"' in r.text  # what was typed is kept
    assert _view(store, world.draft)["version"] == before


def test_advancing_through_the_form_writes_one_event_and_shows_the_new_state(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.draft}")
    before = _events(store, world.draft)
    r = client.post(f"/cases/{world.draft}/advance", headers={"hx-request": "true"}, data={
        "csrftoken": csrf_of(page.text), "trigger": "approve", "expect_version": str(_view(store, world.draft)["version"]),
        "d.body": "congress", "d.total": "60", "d.present": "45", "d.votes_for": "40", "note": "职代会表决通过"})
    assert r.status_code == 200 and r.text.startswith('<div id="case-main">') and "职代会已通过" in r.text
    after = caseview.timeline(store, world.draft, as_of=datetime.now(UTC).date())
    assert _view(store, world.draft)["state"] == "congress_approved"
    assert len(after["entries"]) >= before + 1
    last = [e for e in after["entries"] if e["kind"] == "transition"][-1]
    assert last["trigger"] == "approve" and last["actor"] == "chen" and last["note"] == "职代会表决通过"


def test_a_stale_form_is_refused_as_a_conflict(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.fresh}")
    r = client.post(f"/cases/{world.fresh}/advance", data={"csrftoken": csrf_of(page.text), "trigger": "send_offer",
                                                           "expect_version": "0", "d.level": "upper"})
    assert r.status_code == 409 and "case_version" in r.text
    assert _view(store, world.fresh)["state"] == "targeted"


def test_logging_involvement_records_the_counselors_hours(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.fresh}")
    r = client.post(f"/cases/{world.fresh}/log", data={"csrftoken": csrf_of(page.text), "activity": "contact_management",
                                                       "hours": "1", "note": "电话联系企业人事负责人"}, follow_redirects=False)
    assert r.status_code == 303
    entries = caseview.timeline(store, world.fresh, as_of=datetime.now(UTC).date())["entries"]
    logged = [e for e in entries if e["kind"] == "involvement"]
    assert logged and logged[-1]["hours"] == 1.0 and logged[-1]["counselor_id"] == 3 and logged[-1]["actor"] == "chen"
    bad = client.post(f"/cases/{world.fresh}/log", data={"csrftoken": csrf_of(page.text), "activity": "contact_management",
                                                         "hours": "1", "note": ""})
    assert bad.status_code == 422 and 'id="refusal"' in bad.text


def test_a_viewer_reads_a_case_but_may_not_advance_it(app: object, store: Store, world: World) -> None:
    client = log_in(app, "viewer")
    page = client.get(f"/cases/{world.draft}")
    assert page.status_code == 200
    r = client.post(f"/cases/{world.draft}/advance", data={"csrftoken": csrf_of(page.text), "trigger": "approve",
                                                           "d.body": "congress", "d.total": "60", "d.present": "45",
                                                           "d.votes_for": "40"})
    assert r.status_code == 403 and "permission.case.advance" in r.text
    assert _view(store, world.draft)["state"] == "draft_agreed"


def test_the_annual_summary_is_a_page_and_a_word_file(app: object) -> None:
    client = log_in(app, "chen")
    page = client.get("/counselors/3/summary?year=2026")
    assert page.status_code == 200 and "陈明" in page.text
    doc = client.get("/counselors/3/summary?year=2026&format=docx")
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    assert client.get("/counselors/2/summary?year=2026").status_code in (403, 404)


def test_english_is_chosen_with_lang_en_and_remembered_for_the_session(app: object) -> None:
    client = log_in(app, "huqiu")
    assert "Cases" in client.get("/cases?lang=en").text
    assert "<h1>Cases" in client.get("/cases").text
    assert "<h1>案件" in client.get("/cases?lang=zh").text


def test_a_page_asked_for_before_login_sends_the_browser_to_the_login_form(app: object) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in ("/", "/cases", "/cases/1", "/orgs/320505", "/counselors/1/summary"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"


def test_a_user_saves_a_filtered_list_finds_it_again_in_a_new_session_and_deletes_it(app: object) -> None:
    client = log_in(app, "huqiu")
    page = client.get("/cases?state=effective&org=320505001&page=2")
    r = client.post("/cases/saved", data={"csrftoken": csrf_of(page.text), "name": "狮山已生效",
                                          "query": "state=effective&org=320505001&page=2&evil=1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/cases?state=effective&org=320505001"
    later = log_in(app, "huqiu").get("/cases")
    assert 'href="/cases?state=effective&amp;org=320505001">狮山已生效</a>' in later.text
    assert "狮山已生效" not in log_in(app, "admin").get("/cases").text  # saved per user
    client.post("/cases/saved", data={"csrftoken": csrf_of(client.get("/cases").text), "name": "狮山已生效", "delete": "1"})
    assert "狮山已生效" not in client.get("/cases").text
    assert client.post("/cases/saved", data={"name": "x", "query": ""}).status_code == 403  # no CSRF token


def test_the_workspace_cites_each_deadline_in_chinese_in_zh_and_as_written_in_en(app: Any, store: Store, world: World) -> None:
    sent = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # chen's fresh case gets its offer: the answer is due in 20 days
    acts.advance(store, world.fresh, "send_offer", {"level": "enterprise"}, at=sent, recorded_at=sent, actor="chen")
    app.state.clock = lambda: datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # weeks later: that answer is overdue
    client = log_in(app, "chen")
    zh = client.get("/").text
    subs = re.findall(r'<li class="overdue">.*?<div class="sub">([^<]*)</div>', zh, re.S)
    assert subs, "the counselor has deadlines coming or overdue in the test city"
    assert all("art." not in s for s in subs) and any(re.search(r"》第[一二三四五六七八九十百]+条", s) for s in subs)
    en = client.get("/?lang=en").text
    assert any("art." in s for s in re.findall(r'<li class="overdue">.*?<div class="sub">([^<]*)</div>', en, re.S))
