"""The same case open in two tabs (or by two people): the second post of a step the first already took is refused as
a conflict that is seen on the page, with what was typed shown back, and nothing is written twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from engine.store.database import Store
from engine.usecases import caseview
from tests.helpers.browser import log_in as _log_in
from tests.web.conftest import World, csrf_of, log_in

APPROVE = {"trigger": "approve", "d.body": "congress", "d.total": "60", "d.present": "45", "d.votes_for": "40"}


def _version(store: Store, case_id: int) -> int:
    return int(caseview.show(store, case_id, as_of=datetime.now(UTC).date()).as_json()["version"])


def _transitions(store: Store, case_id: int) -> int:
    entries = caseview.timeline(store, case_id, as_of=datetime.now(UTC).date())["entries"]
    return sum(1 for e in entries if e["kind"] == "transition")


def _two_tabs(app: Any, store: Store, case_id: int) -> tuple[Any, str, int]:
    client = log_in(app, "chen")
    page = client.get(f"/cases/{case_id}")
    return client, csrf_of(page.text), _version(store, case_id)


def test_the_second_tab_taking_a_step_already_taken_sees_the_conflict_and_what_it_typed(
        app: Any, store: Store, world: World) -> None:
    client, token, version = _two_tabs(app, store, world.draft)
    first = client.post(f"/cases/{world.draft}/advance", follow_redirects=False,
                        data={"csrftoken": token, "expect_version": str(version), **APPROVE, "note": "第一个标签页"})
    assert first.status_code == 303
    taken = _transitions(store, world.draft)
    second = client.post(f"/cases/{world.draft}/advance",
                         data={"csrftoken": token, "expect_version": str(version), **APPROVE, "d.present": "47",
                               "note": "第二个标签页写的备注<b>"})
    assert second.status_code == 409
    top = second.text[second.text.index('id="orphan"'):]
    assert "case_version" in top and "未写入任何内容" in top  # the conflict is on the page, not next to a form that is gone
    assert "第二个标签页写的备注&lt;b&gt;" in top and "<dd>47</dd>" in top  # what was typed is shown back, escaped
    assert _transitions(store, world.draft) == taken  # nothing written twice


def test_the_conflict_shows_in_english_and_through_htmx_too(app: Any, store: Store, world: World) -> None:
    client, token, version = _two_tabs(app, store, world.draft)
    client.get("/?lang=en")
    client.post(f"/cases/{world.draft}/advance", data={"csrftoken": token, "expect_version": str(version), **APPROVE})
    r = client.post(f"/cases/{world.draft}/advance", headers={"hx-request": "true"},
                    data={"csrftoken": token, "expect_version": str(version), **APPROVE, "note": "second tab"})
    assert r.text.startswith('<div id="case-main">') and 'id="orphan"' in r.text
    assert "nothing was written" in r.text and "What you typed was not saved" in r.text and "second tab" in r.text


def test_a_second_undo_of_the_same_step_is_a_conflict_shown_with_its_reason(app: Any, store: Store, world: World) -> None:
    client, token, version = _two_tabs(app, store, world.draft)
    page = client.get(f"/cases/{world.draft}").text
    assert 'id="void"' in page
    first = client.post(f"/cases/{world.draft}/void", follow_redirects=False,
                        data={"csrftoken": token, "expect_version": str(version), "reason": "记错了"})
    assert first.status_code == 303
    second = client.post(f"/cases/{world.draft}/void",
                         data={"csrftoken": token, "expect_version": str(version), "reason": "第二次撤销的原因"})
    assert second.status_code == 409
    # the form is still there (for the step before): the conflict is shown in it, the reason kept, the step it would
    # now undo named, so a second click is a decision made knowing the case moved
    void = second.text[second.text.index('id="void"'):]
    assert re.match(r'id="void" open', void) and "case_version" in void[:void.index("</form>")]
    assert ">第二次撤销的原因</textarea>" in void


@pytest.mark.browser
def test_a_note_of_one_3000_letter_word_wraps_inside_the_page(server: str, browser: Any, world: World, store: Store) -> None:
    from engine.usecases import acts

    acts.log(store, world.fresh, 3, "contact_management", at=datetime.now(UTC), recorded_at=datetime.now(UTC), actor="chen",
             note="A" * 3000, hours=1.0)
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 800})
        _log_in(page, server, "chen")
        page.goto(f"{server}/cases/{world.fresh}")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"the page is {scroll} px wide in a {client} px window"
        page.close()
