"""User administration on the web (/admin/users): who sees it, every act through the engine's use cases, each act
audited with who did it, sessions ended where WEB.md promises it, an admin's reach limited to their subtree."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.store.database import Store
from engine.usecases import audit, users
from tests.web.conftest import PASSWORDS, csrf_of, log_in, token_of


def _logins(store: Store) -> list[str]:
    return [u["login"] for u in users.list_users(store)]


def _user(store: Store, login: str) -> dict[str, Any]:
    return next(u for u in users.list_users(store) if u["login"] == login)


def _last(store: Store, action: str) -> dict[str, Any]:
    return [e for e in audit.entries(store) if e["action"] == action][-1]


@pytest.fixture
def admin(app: Any) -> TestClient:
    return log_in(app, "admin")


def test_the_admin_sees_every_user_with_grants_counselor_link_state_and_last_login(admin: TestClient) -> None:
    r = admin.get("/admin/users")
    assert r.status_code == 200
    for login in ("admin", "huqiu", "wang", "chen", "viewer"):
        assert f'id="user-{login}"' in r.text
    row = re.search(r'<tr id="user-chen">(.*?)</tr>', r.text, re.S)
    assert row and "指导员 @ 虎丘区（高新区）总工会" in row.group(1) and 'href="/counselors/3/summary"' in row.group(1)
    assert "从未登录" in row.group(1)
    mine = re.search(r'<tr id="user-admin">(.*?)</tr>', r.text, re.S)
    assert mine and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", mine.group(1))  # just logged in
    assert "Last login" in admin.get("/admin/users?lang=en").text


@pytest.mark.parametrize("login", ["huqiu", "chen", "wang", "viewer"])
def test_everyone_but_an_admin_is_refused_403_and_the_refusal_is_audited(app: Any, store: Store, login: str) -> None:
    client = log_in(app, login)
    assert 'href="/admin/users"' not in client.get("/").text
    for r in (client.get("/admin/users"), client.get("/admin/users/chen"),
              client.post("/admin/users", data={"login": "x1", "name": "某", "role": "viewer", "org": "320505",
                                                "csrftoken": token_of(client)})):
        assert r.status_code == 403, r.text
        assert "permission.user.manage" in r.text
    entry = _last(store, "user.manage")
    assert (entry["login"], entry["outcome"], entry["rule"]) == (login, "refused", "permission.user.manage")
    assert "x1" not in _logins(store)


def test_a_visitor_not_logged_in_is_sent_to_the_login_form(app: Any) -> None:
    r = TestClient(app).get("/admin/users", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_an_admin_adds_a_counselor_user_whose_generated_password_is_shown_once_and_works(
        app: Any, admin: TestClient, store: Store) -> None:
    r = admin.post("/admin/users", data={"login": "zhou", "name": "周敏", "role": "counselor", "org": "320505",
                                         "counselor": "3", "password": "", "csrftoken": token_of(admin)})
    assert r.status_code == 201, r.text
    shown = re.search(r'id="new-password">([^<]+)<', r.text)
    assert shown
    password = shown.group(1)
    assert password not in admin.get("/admin/users").text and password not in admin.get("/admin/users/zhou").text
    u = _user(store, "zhou")
    assert u["counselor_id"] == 3 and u["grants"][0]["role"] == "counselor" and u["grants"][0]["org"] == "320505"
    entry = _last(store, "user.add")
    assert entry["login"] == "admin" and entry["detail"]["user"] == "zhou"
    assert password not in str(audit.entries(store))
    log_in(app, "zhou", password)


def test_an_admin_sets_the_initial_password_and_a_bad_one_is_refused_with_nothing_written(
        app: Any, admin: TestClient, store: Store) -> None:
    form = {"login": "sun", "name": "孙丽", "role": "viewer", "org": "320505", "counselor": "", "csrftoken": token_of(admin)}
    bad = admin.post("/admin/users", data={**form, "password": "short"})
    assert bad.status_code == 422 and "password.length" in bad.text and 'value="孙丽"' in bad.text
    assert "sun" not in _logins(store)
    assert admin.post("/admin/users", data={**form, "password": "sun-li-viewer-2026"}).status_code == 201
    assert 'id="new-password"' not in admin.get("/admin/users").text
    log_in(app, "sun", "sun-li-viewer-2026")


def test_adding_a_counselor_user_without_a_counselor_record_is_refused_by_the_engine(admin: TestClient, store: Store) -> None:
    r = admin.post("/admin/users", data={"login": "li", "name": "李强", "role": "counselor", "org": "320505", "counselor": "",
                                         "password": "", "csrftoken": token_of(admin)})
    assert r.status_code == 422 and "user.counselor" in r.text
    assert "li" not in _logins(store)


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(admin: TestClient, store: Store) -> None:
    before = (_logins(store), _user(store, "huqiu"))
    for path, data in [("/admin/users", {"login": "x2", "name": "某", "role": "viewer", "org": "320505"}),
                       ("/admin/users/huqiu/grant", {"role": "viewer", "org": "320500"}),
                       ("/admin/users/huqiu/disable", {}), ("/admin/users/huqiu/password", {"password": "a-new-password-1"}),
                       ("/admin/users/huqiu/token", {})]:
        r = admin.post(path, data=data)
        assert r.status_code == 403 and "csrf.token" in r.text, path
        r = admin.post(path, data={**data, "csrftoken": "forged"})
        assert r.status_code == 403, path
    assert (_logins(store), _user(store, "huqiu")) == before


def test_resetting_a_password_ends_that_users_sessions_and_only_the_new_one_works(app: Any, admin: TestClient,
                                                                                   store: Store) -> None:
    huqiu = log_in(app, "huqiu")
    assert huqiu.get("/cases").status_code == 200
    r = admin.post("/admin/users/huqiu/password", data={"password": "", "csrftoken": token_of(admin)})
    assert r.status_code == 200 and "所有已登录的会话已结束" in r.text
    new = re.search(r'id="new-password">([^<]+)<', r.text)
    assert new
    gone = huqiu.get("/cases", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/login"
    with pytest.raises(AssertionError):
        log_in(app, "huqiu")  # the old password
    log_in(app, "huqiu", new.group(1))
    assert _last(store, "user.passwd")["login"] == "admin"


def test_disabling_ends_the_sessions_and_enabling_lets_the_user_log_in_again(app: Any, admin: TestClient, store: Store) -> None:
    chen = log_in(app, "chen")
    r = admin.post("/admin/users/chen/disable", data={"csrftoken": token_of(admin)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users/chen?done=disable"
    assert chen.get("/", follow_redirects=False).status_code == 303
    assert "已停用" in admin.get("/admin/users/chen").text
    with pytest.raises(AssertionError):
        log_in(app, "chen")
    assert admin.post("/admin/users/chen/enable", data={"csrftoken": token_of(admin)}).status_code == 200
    log_in(app, "chen")
    assert [e["login"] for e in audit.entries(store) if e["action"] in ("user.disable", "user.enable")] == ["admin", "admin"]


def test_a_changed_grant_ends_the_sessions_and_shows_on_the_user(app: Any, admin: TestClient, store: Store) -> None:
    huqiu = log_in(app, "huqiu")
    r = admin.post("/admin/users/huqiu/grant", data={"role": "viewer", "org": "320500", "csrftoken": token_of(admin)})
    assert r.status_code == 200 and "已授权" in r.text
    assert re.search(r"<li><span>[^<]+ @ 苏州市总工会（320500）</span>", r.text)
    assert {(g["role"], g["org"]) for g in _user(store, "huqiu")["grants"]} == {("manager", "320505"), ("viewer", "320500")}
    assert huqiu.get("/", follow_redirects=False).status_code == 303
    huqiu = log_in(app, "huqiu")
    admin.post("/admin/users/huqiu/revoke", data={"role": "viewer", "org": "320500", "csrftoken": token_of(admin)})
    assert {(g["role"], g["org"]) for g in _user(store, "huqiu")["grants"]} == {("manager", "320505")}
    assert huqiu.get("/", follow_redirects=False).status_code == 303
    assert [e["action"] for e in audit.entries(store) if e["login"] == "admin" and e["action"].startswith("user.")][-2:] == [
        "user.grant", "user.revoke"]


def test_revoking_the_last_admin_grant_is_refused_and_shown_on_the_page(admin: TestClient, store: Store) -> None:
    r = admin.post("/admin/users/admin/revoke", data={"role": "admin", "org": "320500", "csrftoken": token_of(admin)})
    assert r.status_code == 422 and "user.last_admin" in r.text
    assert _user(store, "admin")["grants"][0]["role"] == "admin"


def test_an_admin_unlocks_a_login_locked_after_failed_attempts(app: Any, admin: TestClient, store: Store) -> None:
    visitor = TestClient(app)
    for _ in range(users.LOCK_AFTER):
        page = visitor.get("/login")
        visitor.post("/login", data={"login": "huqiu", "password": "wrong password!", "csrftoken": csrf_of(page.text)})
    listing = admin.get("/admin/users").text
    row = re.search(r'<tr id="user-huqiu">(.*?)</tr>', listing, re.S)
    assert row and "锁定至" in row.group(1)
    assert 'id="unlock-form"' in admin.get("/admin/users/huqiu").text
    with pytest.raises(AssertionError):
        log_in(app, "huqiu")  # the right password, but locked
    r = admin.post("/admin/users/huqiu/unlock", data={"csrftoken": token_of(admin)})
    assert r.status_code == 200 and "已解除锁定" in r.text
    log_in(app, "huqiu")
    assert _last(store, "user.unlock")["login"] == "admin"


def test_an_admin_cannot_disable_themselves_or_reset_their_own_password_here(admin: TestClient, store: Store) -> None:
    assert admin.post("/admin/users/admin/disable", data={"csrftoken": token_of(admin)}).status_code == 422
    assert admin.post("/admin/users/admin/password", data={"password": "", "csrftoken": token_of(admin)}).status_code == 422
    assert _user(store, "admin")["active"]


def test_a_district_admin_manages_only_the_users_of_the_district(app: Any, store: Store) -> None:
    users.add_user(store, "huqiu_admin", name="虎丘区总系统管理员", role="admin", org="320505", password="district-admin-2026")
    client = log_in(app, "huqiu_admin", "district-admin-2026")
    listing = client.get("/admin/users").text
    assert 'id="user-huqiu"' in listing and 'id="user-chen"' in listing
    assert 'id="user-wang"' not in listing and 'id="user-admin"' not in listing
    assert client.get("/admin/users/wang").status_code == 404
    before = _user(store, "wang")
    r = client.post("/admin/users/wang/disable", data={"csrftoken": token_of(client)})
    assert r.status_code in (403, 404)
    assert _user(store, "wang") == before
    entry = _last(store, "user.manage")
    assert (entry["login"], entry["outcome"]) == ("huqiu_admin", "refused")
    r = client.post("/admin/users", data={"login": "city_x", "name": "某", "role": "viewer", "org": "320500",
                                          "csrftoken": token_of(client)})
    assert r.status_code == 403 and "permission.user.manage" in r.text
    assert "city_x" not in _logins(store)
    ok = client.post("/admin/users", data={"login": "town_x", "name": "某某", "role": "viewer", "org": "320505001",
                                           "password": "", "csrftoken": token_of(client)})
    assert ok.status_code == 201
    assert 'value="320500"' not in ok.text  # the organisations offered are the district's


def test_the_navigation_offers_users_and_imports_only_to_whom_they_apply(app: Any) -> None:
    nav = {login: log_in(app, login).get("/").text for login in ("admin", "huqiu", "chen", "viewer")}
    assert 'href="/admin/users"' in nav["admin"] and 'href="/imports"' in nav["admin"]
    assert 'href="/admin/users"' not in nav["huqiu"] and 'href="/imports"' in nav["huqiu"]
    for login in ("chen", "viewer"):
        assert 'href="/admin/users"' not in nav[login] and 'href="/imports"' not in nav[login]


def test_an_unknown_user_or_act_is_not_found(admin: TestClient) -> None:
    assert admin.get("/admin/users/nobody").status_code == 404
    assert admin.post("/admin/users/huqiu/explode", data={"csrftoken": token_of(admin)}).status_code == 404
    assert PASSWORDS["admin"] not in admin.get("/admin/users").text


def test_an_admin_issues_an_api_token_shown_once_that_the_api_accepts(app: Any, admin: TestClient, store: Store) -> None:
    r = admin.post("/admin/users/huqiu/token", data={"csrftoken": token_of(admin)})
    assert r.status_code == 200
    token = re.search(r'id="new-token">([^<]+)<', r.text)
    assert token
    me = TestClient(app).get("/api/v1/me", headers={"authorization": f"Bearer {token.group(1)}"})
    assert me.status_code == 200 and me.json()["login"] == "huqiu"
    assert token.group(1) not in admin.get("/admin/users/huqiu").text
    assert _last(store, "user.token")["login"] == "admin"
