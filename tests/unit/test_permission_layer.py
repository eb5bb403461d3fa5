"""engine/permission.py and engine/password.py are pure core (STYLE.md): stdlib and the core only, no files, no clock.

tests/test_layers.py checks the older core modules the same way; these two join it there when the
re-layout lands (add them to its CORE list).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PURE = ["permission", "password"]
ALLOWED_ENGINE = {"engine.errors", "engine.password"}
IO_MODULES = {"pathlib", "io", "os", "shutil", "tempfile", "subprocess", "socket", "sqlite3", "urllib", "glob", "importlib"}
CLOCK = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}
IO_CALLS = {"open", "Path", "PurePath", "read_text", "write_text", "read_bytes", "write_bytes", "iterdir", "glob", "files"}


def _tree(name: str) -> ast.Module:
    path = ROOT / "engine" / f"{name}.py"
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("name", PURE)
def test_the_permission_core_imports_only_the_standard_library_and_the_core(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(name)):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for module in modules:
            top = module.split(".")[0]
            if top == "engine":
                if module not in ALLOWED_ENGINE:
                    bad.append(module)
            elif top == "__future__":
                continue
            elif top not in sys.stdlib_module_names or top in IO_MODULES:
                bad.append(module)
    assert not bad, f"engine/{name}.py imports {bad}"


@pytest.mark.parametrize("name", PURE)
def test_the_permission_core_never_opens_a_file_or_reads_the_clock(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if called in IO_CALLS or called in CLOCK:
                bad.append(f"{called}() at line {node.lineno}")
    assert not bad, f"engine/{name}.py does I/O or reads the clock: {bad}"


def test_importing_the_permission_core_loads_no_hashing_database_or_cli_library() -> None:
    code = ("import sys, engine.permission, engine.password\n"
            "print(','.join(sorted(m for m in ('pwdlib', 'argon2', 'sqlalchemy', 'sqlmodel', 'typer', 'rich') if m in sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
