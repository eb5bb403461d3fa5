"""WEB.md's security promises, tried against the real app: headers, sessions, CSRF, Origin, lockout, rate limit, audit."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from engine.store.database import Store
from engine.usecases import audit, caseview, sessions, users
from tests.web.conftest import PASSWORDS, World, csrf_of, log_in, token_of

HTMX_VERSION = "2.0.11"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
STATIC = Path(__file__).resolve().parents[2] / "web" / "static"


def _version(store: Store, case_id: int) -> int:
    return int(caseview.show(store, case_id, as_of=datetime.now(UTC).date()).as_json()["version"])


def test_the_vendored_htmx_is_the_pinned_version_with_its_checksum() -> None:
    data = (STATIC / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert f'version:"{HTMX_VERSION}"' in data.decode("utf-8")


@pytest.mark.parametrize("path", ["/login", "/static/htmx.min.js", "/static/app.css", "/no-such-page", "/api/v1/me", "/"])
def test_every_answer_carries_the_security_headers(app: object, path: str) -> None:
    r = TestClient(app).get(path, follow_redirects=False)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script_and_load_only_our_own_files(app: object) -> None:
    html = log_in(app, "huqiu").get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<script[^>]*src=\"([^\"]+)\"", html) == ["/static/htmx.min.js"]
    own = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in own and "https://" not in own


def test_logging_in_sets_an_http_only_lax_cookie_with_a_new_random_id(app: object) -> None:
    client = TestClient(app)
    page = client.get("/login")
    before = client.cookies.get("bargain_session")
    r = client.post("/login", data={"login": "huqiu", "password": PASSWORDS["huqiu"], "csrftoken": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    after = client.cookies.get("bargain_session")
    assert after and before and after != before  # no session fixation
    assert len(after) >= 40


def test_the_cookie_is_secure_behind_a_tls_proxy(store: Store) -> None:
    from web.app import create_app

    r = TestClient(create_app(store, behind_tls_proxy=True)).get("/login")
    assert "Secure" in r.headers["set-cookie"]
    r = TestClient(create_app(store)).get("/login", headers={"x-forwarded-proto": "https"})
    assert "Secure" in r.headers["set-cookie"]


def test_the_database_keeps_a_hash_of_the_session_id_not_the_id(app: object, store: Store) -> None:
    client = log_in(app, "huqiu")
    sid = client.cookies.get("bargain_session")
    assert sid
    from engine.store import sessions as rows

    with store.read() as conn:
        assert rows.get(conn, sid) is None
        assert rows.get(conn, hashlib.sha256(sid.encode()).hexdigest())["login"] == "huqiu"


def test_a_failed_login_says_the_same_whether_or_not_the_login_exists(app: object) -> None:
    answers = []
    for login in ("huqiu", "nobody-here"):
        client = TestClient(app)
        page = client.get("/login")
        r = client.post("/login", data={"login": login, "password": "wrong-password-1", "csrftoken": csrf_of(page.text)})
        assert r.status_code == 401
        answers.append(re.search(r'<p class="refusal" role="alert">(.*?)</p>', r.text).group(1))  # type: ignore[union-attr]
    assert answers[0] == answers[1]


def test_the_login_form_without_its_csrf_token_is_refused_and_logs_nobody_in(app: object, store: Store) -> None:
    client = TestClient(app)
    client.get("/login")
    r = client.post("/login", data={"login": "huqiu", "password": PASSWORDS["huqiu"]}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert any(e["rule"] == "csrf.token" for e in audit.entries(store))


def test_five_failed_logins_lock_the_login_even_with_the_right_password(app: object, store: Store) -> None:
    client = TestClient(app)
    for _ in range(5):
        page = client.get("/login")
        client.post("/login", data={"login": "chen", "password": "not-the-password", "csrftoken": csrf_of(page.text)})
    page = client.get("/login")
    r = client.post("/login", data={"login": "chen", "password": PASSWORDS["chen"], "csrftoken": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 401
    assert [e["outcome"] for e in audit.entries(store, login="chen")][-2:] == ["failed", "locked"]


def test_too_many_login_posts_from_one_address_are_answered_429(app: object, store: Store,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sessions, "LOGIN_LIMIT", 3)
    monkeypatch.setattr(sessions.login_attempt, "__kwdefaults__", {"limit": 3, "window": sessions.LOGIN_WINDOW})
    client = TestClient(app)
    codes = []
    for i in range(4):
        page = client.get("/login")
        codes.append(client.post("/login", data={"login": f"someone{i}", "password": "x-wrong-pass",
                                                 "csrftoken": csrf_of(page.text)}).status_code)
    assert codes == [401, 401, 401, 429]
    assert any(e["rule"] == "auth.rate_limited" for e in audit.entries(store))


def test_logout_ends_the_session(app: object) -> None:
    client = log_in(app, "huqiu")
    token = token_of(client)
    r = client.post("/logout", data={"csrftoken": token}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_a_password_change_ends_the_users_sessions(app: object, store: Store) -> None:
    client = log_in(app, "huqiu")
    assert client.get("/", follow_redirects=False).status_code == 200
    users.set_password(store, "huqiu", "a-brand-new-password-9")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_a_disabled_user_is_logged_out_at_the_next_request(app: object, store: Store) -> None:
    client = log_in(app, "chen")
    users.disable(store, "chen")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/api/v1/me").status_code == 401


def test_an_idle_session_ends(store: Store) -> None:
    from web.app import create_app

    now = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    app = create_app(store, idle=timedelta(minutes=30), clock=lambda: now[0])
    client = log_in(app, "huqiu")
    now[0] += timedelta(minutes=20)
    assert client.get("/", follow_redirects=False).status_code == 200
    now[0] += timedelta(minutes=29)  # 29 minutes after the last request: still alive
    assert client.get("/", follow_redirects=False).status_code == 200
    now[0] += timedelta(minutes=31)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_an_advance_without_the_csrf_token_changes_nothing(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    before = _version(store, world.fresh)
    r = client.post(f"/cases/{world.fresh}/advance", data={"trigger": "send_offer", "d.level": "upper"})
    assert r.status_code == 403
    r = client.post(f"/cases/{world.fresh}/advance", data={"trigger": "send_offer", "d.level": "upper", "csrftoken": "forged"})
    assert r.status_code == 403
    r = client.post(f"/api/v1/cases/{world.fresh}/advance", json={"trigger": "send_offer", "data": {"level": "upper"}})
    assert r.status_code == 403 and r.json()["error"]["rule"] == "csrf.token"
    assert _version(store, world.fresh) == before


def test_a_post_from_another_origin_is_refused_even_with_the_token(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    token = token_of(client)
    before = _version(store, world.fresh)
    r = client.post(f"/cases/{world.fresh}/advance", data={"trigger": "send_offer", "d.level": "upper", "csrftoken": token},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert _version(store, world.fresh) == before
    assert any(e["rule"] == "csrf.origin" for e in audit.entries(store))


def test_a_counselors_request_for_another_districts_case_is_not_found_and_audited(app: object, store: Store,
                                                                                   world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.other}")
    missing = client.get("/cases/999999")
    assert page.status_code == 404 and missing.status_code == 404
    api = client.get(f"/api/v1/cases/{world.other}")
    assert api.status_code == 404
    assert api.json() == client.get("/api/v1/cases/999999").json() or api.json()["error"]["rule"] == "not_found"
    refused = [e for e in audit.entries(store, login="chen") if e["outcome"] == "refused"]
    assert any(e["rule"] == "permission.case.read" and e["detail"].get("hidden") for e in refused)


def test_serve_refuses_a_database_without_users_and_says_how_to_create_one(tmp_path: Path) -> None:
    from cli import app as cli_app

    r = CliRunner().invoke(cli_app, ["--db", f"sqlite:///{tmp_path / 'empty.db'}", "serve"])
    assert r.exit_code == 1
    assert "bargain user add" in r.output and "--role admin" in r.output


def test_changing_ones_password_asks_for_the_current_one_and_ends_the_other_sessions(app: object, store: Store) -> None:
    elsewhere = log_in(app, "huqiu")
    here = log_in(app, "huqiu")
    page = here.get("/password")
    assert page.status_code == 200 and '<label for="current">' in page.text
    wrong = here.post("/password", data={"csrftoken": csrf_of(page.text), "current": "not-it-at-all", "new": "a-fresh-password-77",
                                         "repeat": "a-fresh-password-77"})
    assert wrong.status_code == 422 and "password.current" in wrong.text
    r = here.post("/password", data={"csrftoken": csrf_of(page.text), "current": PASSWORDS["huqiu"], "new": "a-fresh-password-77",
                                     "repeat": "a-fresh-password-77"}, follow_redirects=False)
    assert r.status_code == 303
    assert here.get("/", follow_redirects=False).status_code == 200  # this browser got a new session
    assert elsewhere.get("/", follow_redirects=False).headers["location"] == "/login"
    log_in(app, "huqiu", "a-fresh-password-77")


def test_bargain_serve_prints_its_url_serves_the_pages_and_stops_on_sigterm(world: World) -> None:
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "bargain"
    proc = subprocess.Popen([str(exe), "--db", world.url, "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    assert r.status == 200 and "script-src 'self'" in r.headers["content-security-policy"]
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server never answered")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_even_an_unexpected_error_is_answered_with_the_security_headers(store: Store) -> None:
    from web.app import create_app

    app = create_app(store)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    r = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert r.status_code == 500
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"] and r.headers["x-content-type-options"] == "nosniff"
    assert "a bug" not in r.text
