"""Imports by upload (/imports): checked first with the CLI's use case, nothing written while a row is bad unless the
good rows are asked for explicitly; the CLI's encodings and limits; a manager's subtree; counselors refused."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.credit import make_credit_code
from engine.store.database import Store
from engine.usecases import audit, registers
from tests.web.conftest import log_in, token_of

HEAD = "统一社会信用代码,企业名称,所属工会,行业,职工人数,是否建会\n"
INSIDE, OUTSIDE = "320505001", "320506001"


@pytest.fixture(autouse=True)
def held_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads are held under the test's own temporary folder, so what is left behind can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder / "bargain-uploads"


def _code(serial: int, org: str = INSIDE) -> str:
    return make_credit_code(org[:6], 880000 + serial)


def _good(n: int, start: int = 1, org: str = INSIDE) -> str:
    return "".join(f"{_code(i, org)},上传测试企业{i}有限公司,{org},制造业,{50 + i},是\n" for i in range(start, start + n))


def _names(store: Store) -> dict[str, str]:
    return {str(r.credit_code): str(r.name) for r in registers.list_enterprises(store, None)}


def _upload(client: TestClient, content: bytes, name: str = "企业名单.csv", kind: str = "enterprise",
            token: str | None = None) -> Any:
    data = {"kind": kind, "csrftoken": token if token is not None else token_of(client)}
    return client.post("/imports", data=data, files={"file": (name, io.BytesIO(content), "text/csv")})


def _token(html: str) -> str:
    found = re.search(r'action="/imports/([A-Za-z0-9_-]+)"', html)
    assert found, "no held upload on the page"
    return found.group(1)


def _finish(client: TestClient, html: str, action: str) -> Any:
    return client.post(f"/imports/{_token(html)}", data={"action": action, "csrftoken": token_of(client)})


def _left(held: Path) -> list[Path]:
    return sorted(held.rglob("*")) if held.exists() else []


@pytest.fixture
def huqiu(app: Any) -> TestClient:
    return log_in(app, "huqiu")


def test_the_import_page_offers_every_kind_the_cli_imports_with_its_columns(huqiu: TestClient) -> None:
    r = huqiu.get("/imports")
    assert r.status_code == 200
    for kind in ("org", "enterprise", "counselor", "ledger"):
        assert f'<option value="{kind}"' in r.text and f'id="cols-{kind}"' in r.text
    assert "统一社会信用代码" in r.text and "GB18030" in r.text
    assert "What to import" in huqiu.get("/imports?lang=en").text


def test_a_file_with_a_bad_row_writes_nothing_and_lists_the_row_as_the_cli_does(huqiu: TestClient, store: Store,
                                                                                 held_here: Path) -> None:
    before = _names(store)
    body = HEAD + _good(2) + f"{_code(3)},上传测试企业3有限公司,{INSIDE},制造业,很多,是\n"
    r = _upload(huqiu, body.encode("utf-8"))
    assert r.status_code == 422
    assert "检查发现错误，未写入任何内容" in r.text
    row = re.search(r"<tr><td class=\"num\"[^>]*>4</td>(.*?)</tr>", r.text, re.S)
    assert row and "职工人数" in row.group(1) and "很多" in row.group(1)
    assert "企业名单.csv 第 4 行，列「职工人数（employees）」，值「很多」" in r.text  # the CLI's own line
    assert 'id="do-skip"' in r.text and 'id="do-import"' not in r.text
    assert _names(store) == before
    cancel = _finish(huqiu, r.text, "cancel")
    assert cancel.status_code == 200 and _left(held_here) == []
    assert _names(store) == before


def test_skip_the_bad_rows_writes_only_the_good_ones_and_says_what_it_did(huqiu: TestClient, store: Store,
                                                                         held_here: Path) -> None:
    body = HEAD + _good(2) + f"{_code(3)},,{INSIDE},制造业,60,是\n"
    checked = _upload(huqiu, body.encode("utf-8"))
    assert checked.status_code == 422
    assert _code(1) not in _names(store)
    done = _finish(huqiu, checked.text, "skip")
    assert done.status_code == 200 and "导入完成" in done.text
    assert re.search(r'id="n-inserted">2<', done.text) and re.search(r'id="n-rejected">1<', done.text)
    names = _names(store)
    assert names[_code(1)] == "上传测试企业1有限公司" and names[_code(2)] == "上传测试企业2有限公司"
    assert _code(3) not in names
    link = re.search(r'href="(/imports/[A-Za-z0-9_-]+/rejected)"', done.text)
    assert link, "no download of the skipped rows"
    got = huqiu.get(link.group(1))
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    text = got.content.decode("utf-8-sig")
    assert _code(3) in text and text.splitlines()[0].endswith(",行号,原因") and "为空（必填）" in text
    assert _code(1) not in text
    assert huqiu.get(link.group(1)).status_code == 404  # given once
    assert _left(held_here) == []
    again = huqiu.post(f"/imports/{_token(checked.text)}", data={"action": "import", "csrftoken": token_of(huqiu)})
    assert again.status_code == 404  # imported: the held file is gone


def test_a_clean_file_is_checked_first_and_written_only_on_import_with_added_changed_unchanged(
        huqiu: TestClient, store: Store, held_here: Path) -> None:
    first = _upload(huqiu, (HEAD + _good(3)).encode("utf-8"))
    assert first.status_code == 200 and "检查通过，尚未写入" in first.text and re.search(r'id="n-inserted">3<', first.text)
    assert _code(1) not in _names(store)  # a check writes nothing
    done = _finish(huqiu, first.text, "import")
    assert done.status_code == 200 and re.search(r'id="n-inserted">3<', done.text)
    assert _code(3) in _names(store)
    changed = HEAD + _good(2) + f"{_code(3)},上传测试企业3有限公司（更名）,{INSIDE},制造业,60,是\n"
    second = _finish(huqiu, _upload(huqiu, changed.encode("utf-8")).text, "import")
    assert re.search(r'id="n-unchanged">2<', second.text) and re.search(r'id="n-updated">1<', second.text)
    assert _names(store)[_code(3)] == "上传测试企业3有限公司（更名）"
    assert _left(held_here) == []


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_an_upload_in_an_encoding_the_cli_reads_is_stored_with_its_chinese_names(huqiu: TestClient, store: Store,
                                                                                encoding: str) -> None:
    body = HEAD + f"{_code(7)},苏州镕铧精密机械有限公司,{INSIDE},制造业,88,是\n"
    checked = _upload(huqiu, body.encode(encoding))
    assert checked.status_code == 200, checked.text
    _finish(huqiu, checked.text, "import")
    assert _names(store)[_code(7)] == "苏州镕铧精密机械有限公司"


def test_an_xlsx_upload_is_read_like_the_cli_reads_it(huqiu: TestClient, store: Store) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD.strip().split(","))
    ws.append([_code(8), "上传测试表格企业有限公司", INSIDE, "制造业", 70, "是"])
    out = io.BytesIO()
    wb.save(out)
    checked = _upload(huqiu, out.getvalue(), name="企业.xlsx")
    assert checked.status_code == 200, checked.text
    _finish(huqiu, checked.text, "import")
    assert _names(store)[_code(8)] == "上传测试表格企业有限公司"


def test_an_xlsx_with_a_hidden_sheet_and_hidden_rows_says_so_on_the_page(huqiu: TestClient) -> None:
    # the notices the CLI prints: a hidden first sheet passed over, rows hidden or filtered out in Excel read too
    from openpyxl import Workbook

    wb = Workbook()
    old = wb.active
    assert old is not None
    old.title = "旧名单"
    old.sheet_state = "hidden"
    ws = wb.create_sheet("企业名单")
    ws.append(HEAD.strip().split(","))
    ws.append([_code(9), "隐藏行测试企业有限公司", INSIDE, "制造业", 70, "是"])
    ws.row_dimensions[2].hidden = True
    out = io.BytesIO()
    wb.save(out)
    checked = _upload(huqiu, out.getvalue(), name="企业.xlsx")
    assert checked.status_code == 200, checked.text
    assert "已跳过隐藏的工作表 旧名单" in checked.text and "「企业名单」" in checked.text
    assert "隐藏（或被筛选掉）的 1 行也已读取：第 2 行" in checked.text


def test_an_oversize_upload_is_refused_with_one_clear_message_and_nothing_kept(huqiu: TestClient, store: Store,
                                                                               held_here: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.imports import tabular

    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 4096)
    before = _names(store)
    r = _upload(huqiu, (HEAD + _good(80)).encode("utf-8"))
    assert r.status_code == 422 and "文件过大" in r.text and "file_size" in r.text
    assert _left(held_here) == [] and _names(store) == before
    huge = huqiu.post("/imports", content=b"x" * 10,
                      headers={"content-length": str(10 << 20), "content-type": "multipart/form-data; boundary=b"})
    assert huge.status_code == 422 and "文件过大" in huge.text


@pytest.mark.parametrize(("content", "name", "rule"), [
    (b"PK\x03\x04 this is no zip at all", "坏的.xlsx", "xlsx"),
    (b"\xd0\xcf\x11\xe0old excel", "旧.xls", "file_format"),
    (b"\x82\xa0\x82\xa2\x82\xa4\x82\xa6\x82\xa8\x81\x40\x83\x65\x83\x58\x83\x67\n" * 20, "日文.csv", "encoding"),
    (b"a,b\n1,2\n", "无表头.csv", "header"),
    (b"", "空.csv", "empty_file"),
])
def test_a_broken_upload_gives_one_clear_message_never_a_500(huqiu: TestClient, held_here: Path, content: bytes,
                                                             name: str, rule: str) -> None:
    r = _upload(huqiu, content, name=name)
    assert r.status_code == 422, r.text
    found = re.search(r'<div class="refusal" role="alert" id="refusal">\s*<p class="msg">([^<]+)</p>', r.text)
    assert found and "\n" not in found.group(1).strip()
    assert _left(held_here) == []


def test_a_malformed_multipart_body_is_one_clear_message(huqiu: TestClient) -> None:
    r = huqiu.post("/imports", content=b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc",
                   headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code in (403, 422) and "Traceback" not in r.text


def test_a_manager_imports_only_into_the_district_rows_outside_are_row_errors(huqiu: TestClient, store: Store) -> None:
    body = HEAD + _good(1) + _good(1, start=2, org=OUTSIDE)
    r = _upload(huqiu, body.encode("utf-8"))
    assert r.status_code == 422 and "permission.data.import" in r.text and "roles.toml" in r.text
    assert re.search(r'<tr><td class="num"[^>]*>3</td>', r.text)
    done = _finish(huqiu, r.text, "skip")
    names = _names(store)
    assert _code(1) in names and _code(2, OUTSIDE) not in names
    entry = [e for e in audit.entries(store) if e["action"] == "data.import"][-1]
    assert (entry["login"], entry["outcome"], entry["rule"]) == ("huqiu", "refused", "permission.data.import")
    assert done.status_code == 200


@pytest.mark.parametrize("login", ["chen", "wang", "viewer"])
def test_counselors_and_viewers_cannot_import_403_audited(app: Any, store: Store, login: str, held_here: Path) -> None:
    client = log_in(app, login)
    assert client.get("/imports").status_code == 403
    r = _upload(client, (HEAD + _good(1)).encode("utf-8"))
    assert r.status_code == 403 and "permission.data.import" in r.text
    assert _code(1) not in _names(store) and _left(held_here) == []
    entry = [e for e in audit.entries(store) if e["action"] == "data.import"][-1]
    assert (entry["login"], entry["outcome"]) == (login, "refused")


def test_an_upload_without_the_csrf_token_is_refused_and_nothing_is_kept_or_written(huqiu: TestClient, store: Store,
                                                                                   held_here: Path) -> None:
    r = _upload(huqiu, (HEAD + _good(1)).encode("utf-8"), token="")
    assert r.status_code == 403 and "csrf.token" in r.text
    assert _left(held_here) == [] and _code(1) not in _names(store)
    checked = _upload(huqiu, (HEAD + _good(1)).encode("utf-8"))
    r = huqiu.post(f"/imports/{_token(checked.text)}", data={"action": "import"})
    assert r.status_code == 403 and _code(1) not in _names(store)


def test_another_session_cannot_import_a_file_held_for_someone_else(app: Any, huqiu: TestClient, store: Store) -> None:
    checked = _upload(huqiu, (HEAD + _good(1)).encode("utf-8"))
    admin = log_in(app, "admin")
    r = admin.post(f"/imports/{_token(checked.text)}", data={"action": "import", "csrftoken": token_of(admin)})
    assert r.status_code == 404 and _code(1) not in _names(store)
    assert _finish(huqiu, checked.text, "import").status_code == 200


def test_an_admin_imports_organisations_and_a_ledger_through_the_same_use_cases(app: Any, store: Store) -> None:
    admin = log_in(app, "admin")
    orgs = "组织代码,组织名称,类型,上级组织代码\n320505099,上传测试街道总工会,town,320505\n"
    done = _finish(admin, _upload(admin, orgs.encode("utf-8"), name="组织.csv", kind="org").text, "import")
    assert done.status_code == 200 and re.search(r'id="n-inserted">1<', done.text)
    assert any(o["code"] == "320505099" for o in registers.list_orgs(store, None))
    _finish(admin, _upload(admin, (HEAD + _good(1)).encode("utf-8")).text, "import")
    ledger = f"统一社会信用代码,年度,要约方式,要约日期,应约情况,应约日期\n{_code(1)},2025,企业工会,2025-03-03,应约,2025-03-12\n"
    done = _finish(admin, _upload(admin, ledger.encode("utf-8"), name="台账.csv", kind="ledger").text, "import")
    assert done.status_code == 200 and re.search(r'id="n-inserted">1<', done.text), done.text
