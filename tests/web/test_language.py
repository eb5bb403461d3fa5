"""A zh page reads in Chinese and an en page in English where the text is the interface's: no data key (cohort,
staff_total, workers_covered, system) shown as the label a person reads, no full-width brackets in English."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa

from engine import registry
from engine.store.database import Store
from engine.times import at_date
from engine.usecases import acts, tick
from tests.web.conftest import RECORDED, World, log_in
from web import forms

KEY = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\bcohort\b|\bsystem\b")


def _dts(html: str, section: str) -> list[str]:
    part = html[html.index(f'id="{section}"'):]
    part = part[:part.index("</section>")]
    return [re.sub(r"<[^>]+>", "", x).strip() for x in re.findall(r"<dt>(.*?)</dt>", part)]


def test_the_dashboards_definitions_name_every_figure_in_the_pages_language(app: Any) -> None:
    client = log_in(app, "huqiu")
    zh = client.get("/?year=2026").text
    terms = [t for part in re.findall(r'<details class="defs">(.*?)</details>', zh, re.S)
             for t in re.findall(r"<dt>(.*?)</dt>", part)]
    assert terms and "统计对象" in terms and "要约→答复" in terms
    assert [t for t in terms if KEY.search(t)] == []
    en = client.get("/?year=2026&lang=en").text
    terms = [t for part in re.findall(r'<details class="defs">(.*?)</details>', en, re.S)
             for t in re.findall(r"<dt>(.*?)</dt>", part)]
    assert "cohort" in terms and [t for t in terms if re.search(r"[\u4e00-\u9fff]|_", t)] == []


def test_every_trigger_field_has_a_label_in_both_languages() -> None:
    for spec in registry.specs().values():
        for t in spec.transitions.values():
            for i in forms.form_for(t, "zh").inputs:
                assert not re.search(r"[A-Za-z]", i.label), f"{spec.name} {t.trigger}: {i.name} is labelled {i.label!r} in zh"
            for i in forms.form_for(t, "en").inputs:
                assert not re.search(r"[\u4e00-\u9fff]|_", i.label), f"{spec.name} {t.trigger}: {i.name} is {i.label!r} in en"


def test_the_annual_summary_names_workers_covered(app: Any) -> None:
    client = log_in(app, "chen")
    zh = client.get("/counselors/3/summary?year=2026").text
    assert "workers_covered" not in zh and "覆盖职工" in zh
    en = client.get("/counselors/3/summary?year=2026&lang=en").text
    assert "workers_covered" not in en and "workers covered" in en


def test_what_the_deadline_clock_recorded_is_by_the_system_in_the_readers_language(app: Any, store: Store,
                                                                                   world: World) -> None:
    case_id = world.fresh
    acts.advance(store, case_id, "send_offer", {"level": "enterprise", "received_on": date(2026, 3, 2)},
                 at=at_date(date(2026, 3, 2)), recorded_at=RECORDED, actor="chen")
    tick.run(store, as_of=date(2026, 6, 1), recorded_at=RECORDED)
    with store.read() as conn:
        lapsed = conn.execute(sa.text("SELECT count(*) FROM event WHERE actor = 'system' AND case_id = :c"), {"c": case_id})
        assert lapsed.scalar() == 1, "the offer lapsed by the clock"
    client = log_in(app, "admin")
    zh = client.get(f"/cases/{case_id}").text
    assert "办理人：系统" in zh and "办理人：system" not in zh
    en = client.get(f"/cases/{case_id}?lang=en").text
    assert "By: the system" in en


def test_english_pages_use_english_brackets(app: Any) -> None:
    client = log_in(app, "admin")
    en = client.get("/cases?lang=en").text
    options = re.findall(r'<select id="f-counselor".*?</select>', en, re.S)[0]
    assert "（" not in options and re.search(r"\(\d+\)</option>", options)
    assert "（" not in re.search(r"<h1>.*?</h1>", en, re.S).group(0)  # type: ignore[union-attr]
    zh = client.get("/cases?lang=zh").text
    assert re.search(r"<h1>案件（\d+）</h1>", zh)
