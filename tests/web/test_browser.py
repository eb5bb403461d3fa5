"""Browser journeys with Playwright driving Debian's chromium (never a downloaded browser): a counselor advances a case
through its form, reads a refusal and logs involvement; a manager drills from the city to a district to a case and
exports the list. Screenshots of the main pages go to the test's folder.

Skipped, with the reason, where /usr/bin/chromium is missing; under CI=true that is a failure instead.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from engine.store.database import Store
from tests.helpers.browser import log_in as _log_in
from tests.web.conftest import World

pytestmark = pytest.mark.browser


def test_a_counselor_advances_a_case_through_its_form_reads_a_refusal_and_logs_an_hour(
        server: str, browser: Any, world: World, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text[:60]} {m.location}") if m.type == "error" else None)
    _log_in(page, server, "chen")
    page.get_by_role("heading", name="我的工作台").wait_for()
    page.screenshot(path=tmp_path / "1-workspace.png", full_page=True)

    page.locator(f'a[href="/cases/{world.draft}"]').first.click()
    page.get_by_role("heading", name="狮山测试精密机械有限公司").wait_for()
    page.locator("#act-approve summary").click()
    form = page.locator("#act-approve form")
    form.get_by_label("审议机构").select_option("congress")
    form.get_by_label("代表总数").fill("60")
    form.get_by_label("出席人数").fill("39")
    form.get_by_label("赞成票").fill("35")
    form.locator("button[type=submit]").click()
    refusal = page.locator("#act-approve .refusal")
    refusal.wait_for()
    assert "《集体合同规定》第三十六条" in refusal.inner_text() and "quorum_met" in refusal.inner_text()
    page.screenshot(path=tmp_path / "2-refusal.png", full_page=True)

    form = page.locator("#act-approve form")
    assert form.get_by_label("出席人数").input_value() == "39"  # what was typed is kept
    form.get_by_label("出席人数").fill("45")
    form.get_by_label("赞成票").fill("40")
    form.locator("button[type=submit]").click()
    page.locator(".done").wait_for()
    assert "职代会已通过" in page.locator(".facts").inner_text()
    page.screenshot(path=tmp_path / "3-advanced.png", full_page=True)

    log = page.locator("#log-form")
    log.get_by_label("工作内容").select_option("guide_congress")
    log.get_by_label("工时（小时）").fill("1")
    log.get_by_label("做了什么").fill("指导企业工会筹备职代会，核对代表名单")
    log.locator("button[type=submit]").click()
    page.locator(".timeline").get_by_text("指导企业工会筹备职代会，核对代表名单").wait_for()
    page.screenshot(path=tmp_path / "4-logged.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # nothing wider than the phone
    assert errors == [], errors


def test_a_manager_drills_from_the_city_to_a_district_to_a_case_and_exports_the_list(
        server: str, browser: Any, world: World, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text[:60]} {m.location}") if m.type == "error" else None)
    _log_in(page, server, "admin")
    page.locator("svg#chart-campaign").wait_for()
    page.screenshot(path=tmp_path / "1-city.png", full_page=True)

    page.locator('svg#chart-campaign a[href^="/orgs/320505?"]').click()
    page.wait_for_url("**/orgs/320505?year=*")
    page.get_by_role("heading", name="虎丘区（高新区）总工会 · 2026").wait_for()
    page.screenshot(path=tmp_path / "2-district.png", full_page=True)

    page.locator("#all-cases").click()
    page.wait_for_url("**/cases?org=320505*")
    page.screenshot(path=tmp_path / "3-list.png", full_page=True)
    with page.expect_download() as got:
        page.locator("#export-xlsx").click()
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    ws = load_workbook(io.BytesIO(path.read_bytes())).active
    assert ws is not None and ws.cell(1, 1).value == "案件编号" and ws.cell(1, 2).value == "企业（组织）名称"
    shown = page.locator("h1").inner_text()
    assert f"（{ws.max_row - 1}）" in shown

    page.locator(f'a[href="/cases/{world.draft}"]').first.click()
    page.get_by_role("heading", name="狮山测试精密机械有限公司").wait_for()
    page.screenshot(path=tmp_path / "4-case.png", full_page=True)
    assert errors == [], errors


def test_a_counselor_amends_a_step_with_a_bad_vote_count_reads_the_refusal_and_fixes_it(
        server: str, browser: Any, store: Store, world: World, tmp_path: Path) -> None:
    from engine.usecases import acts
    from tests.web.conftest import RECORDED

    acts.advance(store, world.draft, "approve", {"body": "congress", "total": 60, "present": 45, "votes_for": 40},
                 at=RECORDED, recorded_at=RECORDED, actor="chen")
    seq = _last_transition(store, world.draft)
    errors: list[str] = []
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    wide.on("console", lambda m: errors.append(f"{m.text[:60]} {m.location}") if m.type == "error" else None)
    _log_in(wide, server, "chen")
    wide.goto(f"{server}/cases/{world.draft}")
    wide.get_by_role("heading", name="狮山测试精密机械有限公司").wait_for()
    wide.screenshot(path=tmp_path / "case-1280.png", full_page=True)
    assert wide.evaluate("document.documentElement.scrollWidth") <= 1280 + 1
    wide.close()

    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.on("console", lambda m: errors.append(f"{m.text[:60]} {m.location}") if m.type == "error" else None)
    _log_in(page, server, "chen")
    page.goto(f"{server}/cases/{world.draft}")
    page.get_by_role("heading", name="狮山测试精密机械有限公司").wait_for()
    page.screenshot(path=tmp_path / "case-375.png", full_page=True)
    amend = page.locator(f"#amend-{seq}")
    amend.locator("summary").click()
    form = amend.locator("form")
    assert form.get_by_label("出席人数").input_value() == "45"  # prefilled with what was recorded
    form.get_by_label("出席人数").fill("39")
    form.get_by_label("赞成票").fill("35")
    form.get_by_label("更正原因").fill("出席人数抄录错误")
    form.locator("button[type=submit]").click()
    refusal = page.locator(f"#amend-{seq} .refusal")
    refusal.wait_for()
    text = refusal.inner_text()
    assert "quorum_met" in text and "《集体合同规定》第三十六条" in text and "要求" in text and "实际" in text
    page.screenshot(path=tmp_path / "amend-refused.png", full_page=True)
    page.locator(f"#amend-{seq}").screenshot(path=tmp_path / "amend-refused-form.png")

    form = page.locator(f"#amend-{seq} form")
    assert form.get_by_label("出席人数").input_value() == "39"  # what was typed is kept
    form.get_by_label("出席人数").fill("50")
    form.get_by_label("赞成票").fill("44")
    form.locator("button[type=submit]").click()
    page.locator(".done").wait_for()
    entry = page.locator(f"#entry-{seq}")
    assert "【已更正】" in entry.inner_text() and "出席人数：50" in entry.inner_text()
    assert "出席人数：45 → 50" in page.locator(".timeline").inner_text()
    page.screenshot(path=tmp_path / "amend-fixed.png", full_page=True)
    entry.screenshot(path=tmp_path / "amend-fixed-entry.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # nothing wider than the phone
    assert errors == [], errors


def _last_transition(store: Store, case_id: int) -> int:
    """The seq of the case's latest transition."""
    from datetime import UTC, datetime

    from engine.usecases import caseview

    entries = caseview.timeline(store, case_id, as_of=datetime.now(UTC).date())["entries"]
    return int([e for e in entries if e["kind"] == "transition"][-1]["seq"])


def test_a_correction_refused_after_the_case_was_given_to_a_colleague_shows_the_refusal_card(
        server: str, browser: Any, store: Store, world: World, tmp_path: Path) -> None:
    from engine.usecases import acts
    from tests.web.conftest import RECORDED

    page = browser.new_page(viewport={"width": 375, "height": 812})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text[:60]} {m.location}") if m.type == "error" else None)
    _log_in(page, server, "chen")
    page.goto(f"{server}/cases/{world.draft}")
    page.locator("#void summary").click()
    page.get_by_label("撤销原因").fill("误录：草案尚未签字")
    before = _last_transition(store, world.draft)
    acts.assign(store, world.draft, 1, at=RECORDED, recorded_at=RECORDED, actor="huqiu")  # meanwhile, at the district
    page.locator("#void button[type=submit]").click()
    card = page.locator("main section.card")
    card.wait_for()
    assert "无权访问" in card.inner_text() and "permission.case.correct" in card.inner_text()
    assert '"assigned_counselor": 1' in card.inner_text()  # what was required, as JSON a person can read
    page.screenshot(path=tmp_path / "void-refused.png", full_page=True)
    assert _last_transition(store, world.draft) == before
    assert errors == [], errors
