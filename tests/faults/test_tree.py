"""The tree stays a tree (issue 14, item 6): no way of changing an organisation's parent makes a cycle; the
refusal names the loop and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_bargain
from tests.faults.conftest import assert_fault, content


def _run(db: Path, *args: str) -> object:
    return run_bargain("--db", f"sqlite:///{db}", "--lang", "en", *args)


@pytest.fixture
def tree(seeded: Path) -> Path:
    """320500 city → 320505 district → 320505001 town (seeded has the first two)."""
    assert _run(seeded, "org", "add", "320505001", "狮山街道总工会", "--kind", "town", "--parent", "320505").returncode == 0
    return seeded


@pytest.mark.parametrize("code, parent, loop", [
    ("320500", "320500", "320500 → 320500"),
    ("320500", "320505", "320500 → 320505 → 320500"),
    ("320500", "320505001", "320500 → 320505 → 320505001 → 320500"),
    ("320505", "320505001", "320505 → 320505001 → 320505"),
])
def test_org_add_refuses_a_parent_that_is_itself_or_below_it_naming_the_loop(code: str, parent: str, loop: str,
                                                                             tree: Path) -> None:
    before = content(tree)
    assert_fault(_run(tree, "org", "add", code, "x", "--parent", parent), 1, needle=loop)
    assert content(tree) == before


def test_an_import_moving_an_organisation_below_its_own_child_is_refused_with_its_row(tree: Path, tmp_path: Path) -> None:
    before = content(tree)
    f = tmp_path / "orgs.csv"
    f.write_text("code,name,kind,parent_code\n320505,高新区总工会,district,320505001\n", encoding="utf-8")
    result = _run(tree, "org", "import", str(f))
    assert result.returncode == 1 and "row 2" in result.stderr and "Traceback" not in result.stderr
    assert content(tree) == before


def test_an_import_making_an_organisation_its_own_parent_is_refused(tree: Path, tmp_path: Path) -> None:
    before = content(tree)
    f = tmp_path / "orgs.csv"
    f.write_text("code,name,kind,parent_code\n320599,新区总工会,district,320599\n", encoding="utf-8")
    result = _run(tree, "org", "import", str(f))
    assert result.returncode == 1 and "row 2" in result.stderr and "Traceback" not in result.stderr
    assert content(tree) == before


def test_a_legal_move_still_carries_the_subtree_and_its_enterprises(tree: Path) -> None:
    import json

    assert _run(tree, "org", "add", "320506", "吴中区总工会", "--kind", "district", "--parent", "320500").returncode == 0
    assert _run(tree, "org", "add", "320505001", "狮山街道总工会", "--kind", "town", "--parent", "320506").returncode == 0
    listed = json.loads(_run(tree, "enterprise", "list", "--org", "320500", "--format", "json").stdout)
    assert len(listed) == 2


@pytest.mark.parametrize("code", ["a/b", "a b", ""])
def test_an_organisation_code_that_would_break_the_paths_is_refused(code: str, tree: Path) -> None:
    before = content(tree)
    assert_fault(_run(tree, "org", "add", code, "x"), 1, needle="organisation code")
    assert content(tree) == before


def test_org_merge_refuses_to_merge_an_organisation_into_one_below_it(tree: Path) -> None:
    before = content(tree)
    assert_fault(_run(tree, "org", "merge", "320505", "320505001", "--on", "2026-03-02"), 1, needle="320505001")
    assert_fault(_run(tree, "org", "merge", "320505", "320505", "--on", "2026-03-02"), 1, needle="itself")
    assert content(tree) == before
