"""The compiled definitions cached on disk (engine/registry/compiled.py): keyed by content, never stale."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from engine.registry import compiled

HOLIDAY = 'year = 2031\nsource = "test notice"\nrest_days = [{days}]\nworking_days = []\n'


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder and a BARGAIN_HOLIDAYS folder of this test's own; the process's bundle forgotten."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BARGAIN_CACHE", raising=False)
    holidays = tmp_path / "holidays"
    holidays.mkdir()
    monkeypatch.setenv("BARGAIN_HOLIDAYS", str(holidays))
    compiled.bundle.cache_clear()
    yield holidays
    compiled.bundle.cache_clear()


def _files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "bargain").glob("registry-*.pickle"))


def test_a_second_process_reads_the_bundle_instead_of_compiling(fresh: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = compiled.bundle()
    assert len(_files(tmp_path)) == 1
    compiled.bundle.cache_clear()

    def refuse(*_: object) -> None:
        raise AssertionError("compiled again although the files did not change")

    monkeypatch.setattr(compiled, "_compile", refuse)
    again = compiled.bundle()
    assert again.key == first.key and set(again.specs) == set(first.specs) and again.projection == first.projection
    from engine.permission import roles_from_toml_text
    from engine.registry.definitions import roles_file

    assert again.roles == roles_from_toml_text(roles_file()) and "admin" in again.roles  # the roles come cached too


def test_the_cache_is_rebuilt_when_a_holiday_file_changes(fresh: Path, tmp_path: Path) -> None:
    (fresh / "2031.toml").write_text(HOLIDAY.format(days='"2031-03-03"'), encoding="utf-8")
    before = compiled.bundle()
    assert before.calendar.is_rest(date(2031, 3, 3)) and not before.calendar.is_rest(date(2031, 3, 4))

    (fresh / "2031.toml").write_text(HOLIDAY.format(days='"2031-03-04"'), encoding="utf-8")
    compiled.bundle.cache_clear()
    after = compiled.bundle()
    assert after.key != before.key and after.projection != before.projection
    assert after.calendar.is_rest(date(2031, 3, 4)) and not after.calendar.is_rest(date(2031, 3, 3))
    assert [p.name for p in _files(tmp_path)] == [f"registry-{after.key[:32]}.pickle"]  # the stale one is gone


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(fresh: Path, tmp_path: Path) -> None:
    good = compiled.bundle()
    [path] = _files(tmp_path)
    path.write_bytes(b"\x80\x05not a pickle at all")
    compiled.bundle.cache_clear()
    again = compiled.bundle()
    assert again.key == good.key and set(again.specs) == set(good.specs)
    with path.open("rb") as f:
        assert pickle.load(f).key == good.key


def test_a_cache_file_of_another_key_under_the_same_name_is_not_used(fresh: Path, tmp_path: Path) -> None:
    good = compiled.bundle()
    [path] = _files(tmp_path)
    with path.open("wb") as f:
        pickle.dump(compiled.Bundle("another key", {}, {}, good.calendar, "x", {}), f)
    compiled.bundle.cache_clear()
    assert set(compiled.bundle().specs) == set(good.specs)


def test_an_unwritable_cache_folder_means_no_cache_and_no_error(fresh: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert "enterprise_wage@1" in compiled.bundle().specs


def test_processes_racing_on_a_cold_cache_all_succeed_and_leave_one_whole_file(fresh: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = "from engine.registry import compiled; b = compiled.bundle(); print(b.key, len(b.specs))"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "BARGAIN_HOLIDAYS": str(fresh)}
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert len({o for o, _ in outs}) == 1  # every process saw the same bundle
    [path] = _files(tmp_path)
    with path.open("rb") as f:
        assert pickle.load(f).key == outs[0][0].split()[0]
    assert not list((tmp_path / "cache" / "bargain").glob(".registry-*.tmp"))  # no temporary file left behind


def test_a_changed_profile_or_workflow_changes_the_cache_key_and_the_projection_fingerprint(fresh: Path) -> None:
    """Issue 18 item 4 for profiles: a jurisdiction profile (or a workflow) edited, as an upgrade does, names another
    bundle and another projection fingerprint, so the stored deadline columns are recomputed (engine/store/projected.py)."""
    src = compiled.sources()
    days = compiled.bundle().calendar.holidays
    base_key, base_print = compiled._key(src), compiled.projection_fingerprint(days, src)
    assert (compiled._key(compiled.sources()), compiled.projection_fingerprint(days, compiled.sources())) == (base_key, base_print)
    where, text = src["profiles"][0]
    profiles = [(where, text.replace("working_days", "working_days ", 1) + "\n# edited\n"), *src["profiles"][1:]]
    edited = {**src, "profiles": profiles}
    assert compiled._key(edited) != base_key
    assert compiled.projection_fingerprint(days, edited) != base_print
    name = next(iter(src["workflows"]))
    flow = {**src, "workflows": {**src["workflows"], name: src["workflows"][name] + "\n# edited\n"}}
    assert compiled._key(flow) != base_key and compiled.projection_fingerprint(days, flow) != base_print
