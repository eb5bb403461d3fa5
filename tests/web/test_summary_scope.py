"""A counselor's annual summary read by a manager of one district names only the cases that district may read: a
counselor registered there may also have guided a case in another district, whose enterprise and notes stay there
(page and Word file); the counselor and the city see every case."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from docx import Document

from engine.store.database import Store
from engine.usecases import acts
from tests.web.conftest import World, log_in

ELSEWHERE = "甪直测试纺织有限公司"  # world.other's enterprise, in 320506
NOTE = "吴中区那家企业的难处：只在吴中区看得到"


def _guide_elsewhere(store: Store, world: World) -> None:
    acts.log(store, world.other, 3, "difficulty", at=datetime(2026, 3, 5, 2, tzinfo=UTC), recorded_at=datetime.now(UTC),
             actor="chen", note=NOTE, hours=2.0)


def _docx_text(content: bytes) -> str:
    d = Document(io.BytesIO(content))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_a_district_manager_reads_the_summary_without_another_districts_cases(app: Any, store: Store, world: World) -> None:
    _guide_elsewhere(store, world)
    huqiu = log_in(app, "huqiu")
    page = huqiu.get("/counselors/3/summary?year=2026")
    assert page.status_code == 200
    assert ELSEWHERE not in page.text and NOTE not in page.text and f'href="/cases/{world.other}"' not in page.text
    assert 'id="outside"' in page.text
    word = huqiu.get("/counselors/3/summary?year=2026&format=docx")
    assert word.status_code == 200 and ELSEWHERE not in _docx_text(word.content) and NOTE not in _docx_text(word.content)


def test_the_counselor_and_the_city_see_every_case_of_the_summary(app: Any, store: Store, world: World) -> None:
    _guide_elsewhere(store, world)
    for login in ("chen", "admin"):
        page = log_in(app, login).get("/counselors/3/summary?year=2026")
        assert ELSEWHERE in page.text and 'id="outside"' not in page.text, login
