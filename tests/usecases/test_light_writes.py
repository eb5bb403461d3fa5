"""`case advance` and `case log` on a light store (a plain sqlite3 connection, engine/store/lite.py) leave exactly the
rows the SQLAlchemy store leaves: the same generated statements run on both (issue 18 item 1)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from engine.errors import ConflictError, NotFoundError
from engine.store import rollups
from engine.store.database import Store
from engine.store.lite import LiteConnection
from engine.usecases import acts
from tests.conftest import seed_city
from tests.helpers.happy import HAPPY, REC, T0

TABLES = ("bcase", "event", "report_rollup", "coverage_rollup", "audit")


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    raw = sqlite3.connect(path)
    try:
        return {t: sorted(raw.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        raw.close()


def _play(store: Store, case_ids: list[int]) -> list[str]:
    """The happy path on the first case (an offer, a contract in force: campaign, funnel and coverage counts move),
    work logged on every case (back-dated too), and a conflict and an unknown counselor refused; what was refused."""
    refused = []
    first, *others = case_ids
    for i, (trigger, data) in enumerate(HAPPY):
        at = T0 + timedelta(days=3 * i)
        acts.advance(store, first, trigger, data, at=at, recorded_at=REC, actor="t", counselor_id=1 if i % 2 else None,
                     note=f"第{i}步", expect_version=i + 1)
        acts.log(store, others[i % len(others)], 1, "contact_management", at=at - timedelta(days=1), recorded_at=REC,
                 actor="", note=f"联系{i}", hours=1.5)
    acts.log(store, first, 1, "遇到的困难", at=T0 + timedelta(days=1), recorded_at=REC, actor="t", note="倒填")
    try:
        acts.advance(store, first, "publish", {}, at=REC, recorded_at=REC, actor="t", expect_version=1)
    except ConflictError as exc:
        refused.append(exc.rule or "")
    try:
        acts.log(store, first, 999, "contact_management", at=REC, recorded_at=REC, actor="t", note="n")
    except NotFoundError as exc:
        refused.append(type(exc).__name__)
    return refused


def test_advance_and_log_leave_the_same_rows_on_the_light_store_and_the_sqlalchemy_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = tmp_path / "seed.db"
    codes = seed_city(f"sqlite:///{seeded}")
    store = Store(f"sqlite:///{seeded}")
    case_ids = [acts.open_case(store, code, at=T0 - timedelta(days=1), recorded_at=REC, actor="t").case_id
                for code in (codes["union"], codes["no_union"])]
    store.dispose()
    shutil.copy(seeded, tmp_path / "light.db")
    shutil.copy(seeded, tmp_path / "full.db")

    full = Store(f"sqlite:///{tmp_path / 'full.db'}")
    assert not full.light
    full_refused = _play(full, case_ids)
    full.dispose()

    light = Store(f"sqlite:///{tmp_path / 'light.db'}", light=True)
    assert light.light
    monkeypatch.setattr(LiteConnection, "sa", lambda self: pytest.fail("the light path fell back to SQLAlchemy"))
    assert _play(light, case_ids) == full_refused == ["case_version", "NotFoundError"]
    monkeypatch.undo()

    light_rows, full_rows = _rows(tmp_path / "light.db"), _rows(tmp_path / "full.db")
    assert light_rows["event"] and light_rows["report_rollup"] and light_rows["coverage_rollup"]
    for table in TABLES:
        assert light_rows[table] == full_rows[table], table
    for name in ("light.db", "full.db"):
        checked = Store(f"sqlite:///{tmp_path / name}")
        with checked.read() as conn:
            assert rollups.differences(conn) == [] and rollups.coverage_wrong(conn) == 0, name
        checked.dispose()
