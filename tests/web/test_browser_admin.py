"""Browser journeys of user administration and imports (Playwright on Debian's chromium): an admin adds a counselor
user and reads the generated password; a manager uploads an enterprise file with a bad row, reads the error, uploads
the fixed file and imports it. Screenshots at 375 px and 1280 px go to the test's folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from engine.credit import make_credit_code
from engine.store.database import Store
from engine.usecases import registers, users
from tests.helpers.browser import log_in as _log_in

pytestmark = pytest.mark.browser
HEAD = "统一社会信用代码,企业名称,所属工会,行业,职工人数,是否建会\n"


@pytest.fixture(autouse=True)
def held_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads are held under the test's own folder (the first, refused one waits there until it expires)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def _console_errors(page: Any) -> list[str]:
    """Errors in the browser's console; a page answered 422 on purpose (a check that found bad rows) is no error."""
    errors: list[str] = []

    def seen(m: Any) -> None:
        if m.type == "error" and not ("status of 422" in m.text and m.location.get("url", "").endswith("/imports")):
            errors.append(f"{m.text[:80]} {m.location}")

    page.on("console", seen)
    return errors


@pytest.mark.parametrize("width", [375, 1280])
def test_an_admin_adds_a_counselor_user_and_reads_the_password_shown_once(
        server: str, browser: Any, store: Store, tmp_path: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = _console_errors(page)
    _log_in(page, server, "admin")
    page.get_by_role("link", name="用户管理").click()
    page.get_by_role("heading", name="用户管理（5）").wait_for()
    page.screenshot(path=tmp_path / f"admin-users-{width}.png", full_page=True)

    form = page.locator("#add-user form")
    form.get_by_label("登录名").fill("zhoumin")
    form.get_by_label("姓名").fill("周敏")
    form.get_by_label("角色", exact=True).select_option("counselor")
    form.get_by_label("组织").select_option("320505")
    form.get_by_label("关联的指导员").select_option("3")
    form.get_by_role("button", name="添加用户").click()
    shown = page.locator("#new-password")
    shown.wait_for()
    password = shown.inner_text().strip()
    page.screenshot(path=tmp_path / f"admin-added-{width}.png", full_page=True)
    assert page.locator("#user-zhoumin").is_visible()
    assert users.authenticate(store, "zhoumin", password, address="test", now=users._now(None)).counselor_id == 3

    page.locator('a[href="/admin/users/zhoumin"]').click()
    page.get_by_role("heading", name="周敏（zhoumin）").wait_for()
    page.screenshot(path=tmp_path / f"admin-user-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.goto(f"{server}/admin/users?lang=en")
    page.get_by_role("heading", name="Users (6)").wait_for()
    page.screenshot(path=tmp_path / f"admin-users-en-{width}.png", full_page=True)
    page.goto(f"{server}/imports")
    page.get_by_role("heading", name="Import data").wait_for()
    page.screenshot(path=tmp_path / f"imports-en-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert errors == [], errors


@pytest.mark.parametrize("width", [375, 1280])
def test_a_manager_uploads_a_file_with_a_bad_row_reads_the_error_and_imports_the_fixed_file(
        server: str, browser: Any, store: Store, tmp_path: Path, width: int) -> None:
    codes = [make_credit_code("320505", 770000 + i) for i in range(3)]
    bad = tmp_path / "虎丘企业名单.csv"
    rows = [f"{codes[0]},浏览器测试一有限公司,320505001,制造业,60,是", f"{codes[1]},浏览器测试二有限公司,320505001,制造业,七十,是",
            f"{codes[2]},浏览器测试三有限公司,320505002,服务业,30,否"]
    bad.write_bytes((HEAD + "\n".join(rows) + "\n").encode("gb18030"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = _console_errors(page)
    _log_in(page, server, "huqiu")
    page.get_by_role("link", name="导入数据").click()
    page.get_by_role("heading", name="导入数据").wait_for()
    page.screenshot(path=tmp_path / f"imports-{width}.png", full_page=True)

    page.get_by_label("导入什么").select_option("enterprise")
    page.get_by_label("文件（CSV 或 Excel .xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("heading", name="检查发现错误，未写入任何内容").wait_for()
    table = page.locator("#row-errors").inner_text()
    assert "七十" in table and "职工人数" in table
    page.screenshot(path=tmp_path / f"import-errors-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert codes[0] not in {str(r.credit_code) for r in registers.list_enterprises(store, None)}

    fixed = tmp_path / "虎丘企业名单（改正）.csv"
    fixed.write_bytes((HEAD + "\n".join(rows).replace(",七十,", ",70,") + "\n").encode("gb18030"))
    page.locator("#upload-again").click()
    page.get_by_label("文件（CSV 或 Excel .xlsx）").set_input_files(str(fixed))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("heading", name="检查通过，尚未写入").wait_for()
    page.screenshot(path=tmp_path / f"import-checked-{width}.png", full_page=True)
    page.locator("#do-import").click()
    page.locator("#outcome").wait_for()
    assert page.locator("#n-inserted").inner_text() == "3"
    page.screenshot(path=tmp_path / f"import-done-{width}.png", full_page=True)
    names = {str(r.credit_code): str(r.name) for r in registers.list_enterprises(store, None)}
    assert names[codes[1]] == "浏览器测试二有限公司"
    assert errors == [], errors
