"""Error pages as a person meets them: a page that does not exist, a server that cannot use its database (made
read-only or deleted while it runs), a bug — each a page in the person's language, never a traceback, a bare
"Internal Server Error" or the database's path; the API answers with its refusal object."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.store.database import Store
from tests.web.conftest import World, log_in


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _sqlite_file(world: World) -> Path:
    assert world.url.startswith("sqlite:///"), "a database file is a SQLite matter: the test runs on SQLite only"
    return Path(world.url.removeprefix("sqlite:///"))


ON_SQLITE_ONLY = pytest.mark.parametrize("base_world", ["sqlite"], indirect=True)  # no PostgreSQL variant to skip


def test_a_page_that_does_not_exist_is_a_404_page_in_the_persons_language(app: Any) -> None:
    client = TestClient(app)
    zh = client.get("/no-such-page")
    assert zh.status_code == 404 and zh.headers["content-type"].startswith("text/html")
    assert "没有找到" in zh.text and "detail" not in zh.text and '<html lang="zh-CN">' in zh.text
    en = client.get("/no-such-page?lang=en")
    assert en.status_code == 404 and "Not found" in en.text and "没有找到" not in en.text
    assert client.get("/no-such-page").status_code == 404 and "Not found" in client.get("/no-such-page").text  # remembered


def test_an_unknown_api_route_answers_the_refusal_object(app: Any) -> None:
    r = TestClient(app).get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json()["error"]["rule"] == "not_found"


def test_a_case_id_that_is_not_a_number_is_not_found_like_a_missing_case(app: Any) -> None:
    client = log_in(app, "huqiu")
    r = client.get("/cases/abc")
    assert r.status_code == 404 and "没有找到" in r.text
    assert client.get("/cases/999999").status_code == 404


@ON_SQLITE_ONLY
def test_a_read_only_database_gives_a_clear_page_without_its_path(world: World) -> None:
    from web.app import create_app

    path = _sqlite_file(world)
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        client = TestClient(create_app(store))
        for lang, says in (("zh", "系统暂时无法使用数据库"), ("en", "cannot use its database")):
            r = client.get(f"/login?lang={lang}")
            assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
            assert says in r.text and "database_readonly" in r.text
            assert str(path) not in r.text and path.name not in r.text and "Traceback" not in r.text
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        api = client.get("/api/v1/me", headers={"authorization": "Bearer x"})
        assert api.status_code in (401, 500) and "error" in api.json() and path.name not in api.text
    finally:
        store.dispose()


@ON_SQLITE_ONLY
def test_a_database_deleted_while_the_server_runs_gives_a_clear_page(world: World, tmp_path: Path) -> None:
    from web.app import create_app

    original = _sqlite_file(world)
    path = tmp_path / "moving.db"
    shutil.copy(original, path)
    store = Store(f"sqlite:///{path}")
    try:
        app = create_app(store)
        client = log_in(app, "huqiu")
        assert client.get("/cases").status_code == 200
        store.dispose()
        for f in tmp_path.glob("moving.db*"):
            f.unlink()
        r = client.get("/cases")
        assert r.status_code == 500 and "系统暂时无法使用数据库" in _text(r.text)
        assert "moving.db" not in r.text and "Traceback" not in r.text and "no such table" not in r.text
    finally:
        store.dispose()


def test_a_bug_is_a_500_page_in_the_persons_language_without_the_traceback(store: Store) -> None:
    from web.app import create_app

    app = create_app(store)

    def broken() -> None:
        raise RuntimeError("a bug with a secret")

    app.add_api_route("/broken", broken)
    client = TestClient(app, raise_server_exceptions=False)
    zh = client.get("/broken")
    assert zh.status_code == 500 and "系统出错" in zh.text and "secret" not in zh.text
    en = client.get("/broken?lang=en")
    assert en.status_code == 500 and "Server error" in en.text and "系统" not in _text(en.text)
