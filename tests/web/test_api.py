"""The JSON API (/api/v1) with the real app: shapes as the CLI's, a Bearer token or cookie plus x-csrftoken, WEB.md's codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from engine.store.database import Store
from engine.usecases import caseview, users
from tests.web.conftest import World, log_in, token_of


def _bearer(store: Store, login: str) -> dict[str, str]:
    return {"authorization": f"Bearer {users.issue_token(store, login)}"}


def _version(store: Store, case_id: int) -> int:
    return int(caseview.show(store, case_id, as_of=datetime.now(UTC).date()).as_json()["version"])


def test_me_names_the_user_and_their_grants(app: object) -> None:
    body = log_in(app, "chen").get("/api/v1/me").json()
    assert body["login"] == "chen" and body["name"] == "陈明"
    assert body["grants"][0]["role"] == "counselor" and body["grants"][0]["org"] == "320505"


def test_without_a_session_or_token_the_api_answers_401_with_the_refusal_object(app: object) -> None:
    r = TestClient(app).get("/api/v1/me")
    assert r.status_code == 401 and r.json()["error"]["rule"] == "auth.required"
    r = TestClient(app).get("/api/v1/me", headers={"authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and set(r.json()["error"]) >= {"rule", "source", "required", "actual", "message"}


def test_a_case_and_its_timeline_have_the_clis_shapes(app: object, store: Store, world: World) -> None:
    headers = _bearer(store, "huqiu")
    client = TestClient(app)
    case = client.get(f"/api/v1/cases/{world.draft}", headers=headers).json()
    assert case == caseview.show(store, world.draft, as_of=datetime.now(UTC).date()).as_json()
    assert {"case_id", "state", "version", "workflow", "allowed", "deadlines"} <= set(case)
    tl = client.get(f"/api/v1/cases/{world.draft}/timeline", headers=headers).json()
    assert tl["case_id"] == world.draft and tl["entries"][0]["at"].endswith("+08:00")


def test_advance_with_a_bearer_token_needs_no_csrf_token_and_returns_the_case(app: object, store: Store, world: World) -> None:
    r = TestClient(app).post(f"/api/v1/cases/{world.fresh}/advance", headers=_bearer(store, "chen"),
                             json={"trigger": "send_offer", "data": {"level": "upper"}, "note": "送达要约书",
                                   "expect_version": _version(store, world.fresh)})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "offer_sent" and r.json()["case_id"] == world.fresh


def test_advance_with_the_cookie_needs_the_x_csrftoken_header(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    body = {"trigger": "send_offer", "data": {"level": "upper"}}
    assert client.post(f"/api/v1/cases/{world.fresh}/advance", json=body).status_code == 403
    r = client.post(f"/api/v1/cases/{world.fresh}/advance", json=body, headers={"x-csrftoken": token_of(client)})
    assert r.status_code == 200 and r.json()["state"] == "offer_sent"


@pytest.mark.parametrize(("body", "status", "rule"), [
    ({"trigger": "approve", "data": {"body": "congress", "total": 60, "present": 39, "votes_for": 35}}, 422, "quorum_met"),
    ({"trigger": "approve", "data": {"body": "congress", "total": 60}}, 422, "trigger_data"),
    ({"trigger": "publish", "data": {}}, 422, None),
    ({"trigger": "approve", "expect_version": 1, "data": {"body": "congress", "total": 60, "present": 45, "votes_for": 40}},
     409, "case_version"),
])
def test_a_refused_advance_answers_its_code_with_the_refusal_object_and_writes_nothing(
        app: object, store: Store, world: World, body: dict[str, object], status: int, rule: str | None) -> None:
    before = _version(store, world.draft)
    r = TestClient(app).post(f"/api/v1/cases/{world.draft}/advance", headers=_bearer(store, "chen"), json=body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) >= {"rule", "source", "required", "actual", "message"}
    if rule:
        assert err["rule"] == rule
    if rule == "quorum_met":
        assert "集体合同规定 art. 36" in err["source"]
    assert _version(store, world.draft) == before


@pytest.mark.parametrize(("login", "case", "status"), [
    ("chen", "draft", 200), ("chen", "huqiu_other_counselor", 403), ("chen", "other", 404),
    ("huqiu", "draft", 200), ("huqiu", "huqiu_other_counselor", 200), ("huqiu", "other", 404),
    ("wang", "huqiu_other_counselor", 200), ("wang", "draft", 403),
    ("viewer", "other", 200), ("admin", "other", 200),
])
def test_reading_a_case_follows_the_grants(app: object, store: Store, world: World, login: str, case: str, status: int) -> None:
    r = TestClient(app).get(f"/api/v1/cases/{getattr(world, case)}", headers=_bearer(store, login))
    assert r.status_code == status


@pytest.mark.parametrize(("login", "status"), [("chen", 200), ("huqiu", 200), ("admin", 200), ("viewer", 403), ("wang", 403)])
def test_logging_on_chens_case_follows_the_grants(app: object, store: Store, world: World, login: str, status: int) -> None:
    r = TestClient(app).post(f"/api/v1/cases/{world.fresh}/log", headers=_bearer(store, login),
                             json={"activity": "contact_management", "hours": 1.5, "note": "上门沟通"})
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["kind"] == "involvement" and r.json()["hours"] == 1.5


def test_the_campaign_report_has_the_clis_shape_and_stays_inside_the_grants(app: object, store: Store) -> None:
    client = TestClient(app)
    body = client.get("/api/v1/reports/campaign?year=2026&org=320505", headers=_bearer(store, "huqiu")).json()
    assert body["year"] == 2026 and body["org"] == "320505" and body["group_by"] == "org"
    assert {"offers", "accepted", "acceptance_rate", "effective", "workers_covered"} <= set(body["total"])
    r = client.get("/api/v1/reports/campaign?year=2026&org=320506", headers=_bearer(store, "huqiu"))
    assert r.status_code in (403, 404) and r.json()["error"]["rule"]


def test_deadlines_have_the_clis_shape_and_only_the_users_cases(app: object, store: Store, world: World) -> None:
    rows = TestClient(app).get("/api/v1/deadlines", headers=_bearer(store, "chen")).json()
    assert rows and {"case_id", "kind", "due", "status", "rule"} <= set(rows[0])
    assert world.other not in {r["case_id"] for r in rows}
    overdue = TestClient(app).get("/api/v1/deadlines?status=overdue", headers=_bearer(store, "huqiu")).json()
    assert all(r["status"] == "overdue" for r in overdue)


@pytest.mark.parametrize(("login", "case", "status"), [
    ("chen", "draft", 200), ("chen", "huqiu_other_counselor", 403), ("chen", "other", 404),
    ("huqiu", "draft", 200), ("huqiu", "other", 404), ("admin", "draft", 200),
    ("viewer", "draft", 403), ("wang", "draft", 403),
])
def test_advancing_follows_the_grants_and_a_refusal_writes_nothing(app: object, store: Store, world: World, login: str,
                                                                  case: str, status: int) -> None:
    case_id = getattr(world, case)
    before = _version(store, case_id)
    trigger = {"draft": ("approve", {"body": "congress", "total": 60, "present": 45, "votes_for": 40})}.get(
        case, ("send_offer", {"level": "upper"}))
    r = TestClient(app).post(f"/api/v1/cases/{case_id}/advance", headers=_bearer(store, login),
                             json={"trigger": trigger[0], "data": trigger[1]})
    assert r.status_code == status, r.text
    assert _version(store, case_id) == before + (1 if status == 200 else 0)
    if status == 403:
        assert r.json()["error"]["rule"] == "permission.case.advance"
