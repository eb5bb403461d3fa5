"""The web forms ask the command line's free-text check: a control or bidi character in a trigger field or a note
is refused next to the form, naming the field, its position and code point; nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.store.database import Store
from engine.usecases import caseview
from tests.web.conftest import World, csrf_of, log_in


def _entries(store: Store, case_id: int) -> list[dict[str, object]]:
    return list(caseview.timeline(store, case_id, as_of=datetime.now(UTC).date())["entries"])


def test_a_control_character_in_a_trigger_field_is_refused_naming_its_label(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.draft}")
    before = _entries(store, world.draft)
    r = client.post(f"/cases/{world.draft}/advance", data={
        "csrftoken": csrf_of(page.text), "trigger": "reject", "d.body": "congress", "d.total": "60", "d.present": "45",
        "d.votes_for": "10", "d.reason": "工资\u202e增幅"})
    assert r.status_code == 422
    refusal = r.text[r.text.index('id="refusal"'):]
    assert "理由 第 3 个字符是双向文字控制符 U+202E" in refusal
    assert _entries(store, world.draft) == before


def test_a_control_character_in_a_note_is_refused_and_chinese_punctuation_is_kept(app: object, store: Store, world: World) -> None:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{world.fresh}")
    before = _entries(store, world.fresh)
    r = client.post(f"/cases/{world.fresh}/advance?lang=en", data={
        "csrftoken": csrf_of(page.text), "trigger": "send_offer", "d.level": "upper", "note": "已\x07发"})
    assert r.status_code == 422 and "note: character 2 is the control character U+0007" in r.text
    r = client.post(f"/cases/{world.fresh}/log", data={"csrftoken": csrf_of(page.text), "activity": "contact_management",
                                                       "hours": "1", "note": "电话\x1b联系"})
    assert r.status_code == 422 and "U+001B" in r.text
    assert _entries(store, world.fresh) == before
    note = "已发出，“要约书”（第一版）；\u3000附件《清单》"
    r = client.post(f"/cases/{world.fresh}/advance", data={
        "csrftoken": csrf_of(page.text), "trigger": "send_offer", "d.level": "upper", "note": note}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert [e["note"] for e in _entries(store, world.fresh) if e["kind"] == "transition"] == [note]


def test_the_api_refuses_a_control_character_in_a_note_or_a_trigger_field_and_writes_nothing(
        app: object, store: Store, world: World) -> None:
    from fastapi.testclient import TestClient

    from engine.usecases import users

    client = TestClient(app)
    bearer = {"authorization": f"Bearer {users.issue_token(store, 'chen')}"}
    before = _entries(store, world.fresh)
    logged = client.post(f"/api/v1/cases/{world.fresh}/log", headers=bearer,
                         json={"activity": "contact_management", "hours": 1, "note": "上门\u202e沟通"})
    assert logged.status_code == 422 and logged.json()["error"]["rule"] == "control_character"
    assert "U+202E" in logged.json()["error"]["message"]
    sent = client.post(f"/api/v1/cases/{world.fresh}/advance", headers=bearer,
                       json={"trigger": "send_offer", "data": {"level": "upper"}, "note": "已\x00发"})
    assert sent.status_code == 422 and "U+0000" in sent.json()["error"]["message"]
    assert _entries(store, world.fresh) == before
