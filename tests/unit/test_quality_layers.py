"""The quality modules stay in the pure core (STYLE.md "Our house"): no files, no clock, no database.

tests/test_layers.py lists the core modules by name; these four are checked here with the same rules,
plus the one exception this module family has: engine/similarity.py may use datasketch and rapidfuzz.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = {"contract": set(), "minwage": set(), "similarity": {"datasketch", "rapidfuzz"}, "quality": set()}
CORE_LIBRARIES = {"transitions", "pendulum", "stdnum"}
CORE_SIBLINGS = {"errors", "contract", "minwage", "similarity", "quality", "values", "times"}
IO_MODULES = {"pathlib", "io", "os", "shutil", "tempfile", "subprocess", "socket", "sqlite3", "urllib", "glob"}
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}


def _tree(name: str) -> ast.Module:
    path = ROOT / "engine" / f"{name}.py"
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_quality_module_imports_only_the_stdlib_the_core_and_its_allowed_libraries(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(name)):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
        for module in modules:
            top = module.split(".")[0]
            if top == "__future__":
                continue
            if top == "engine":
                if module.split(".")[1] not in CORE_SIBLINGS:
                    bad.append(module)
            elif top in sys.stdlib_module_names:
                if top in IO_MODULES:
                    bad.append(module)
            elif top not in CORE_LIBRARIES | MODULES[name]:
                bad.append(module)
    assert not bad, f"engine/{name}.py imports {bad}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_quality_module_never_opens_a_file_or_reads_the_clock(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"open", "Path"}:
                bad.append(f"{func.id}() line {node.lineno}")
            elif isinstance(func, ast.Attribute) and (func.attr in CLOCK_CALLS | {"open", "read_text", "write_text"}):
                bad.append(f".{func.attr}() line {node.lineno}")
    assert not bad, f"engine/{name}.py does I/O or reads the clock: {bad}"
