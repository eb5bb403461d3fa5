"""The domain core stays pure (STYLE.md, "Our house"): no database, CLI or rich imports, no files, no clock.

Checked two ways: by parsing each core module's imports and calls (function-level imports included,
since a lazy import is still a dependency), and by importing the core in a fresh interpreter and
looking at what came along.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["errors", "spec", "rules", "calendar", "deadline", "machine", "case", "payload", "values", "timeline",
        "projection", "activity", "counselor", "times"]
PRESENT = [name for name in CORE if (ROOT / "engine" / f"{name}.py").exists()]
HEAVY = {"sqlmodel", "sqlalchemy", "typer", "rich"}
THIRD_PARTY_ALLOWED = {"transitions", "pendulum"}  # the state machine, and date parsing (lazily, in times)
IO_MODULES = {"pathlib", "io", "os.path", "shutil", "tempfile", "subprocess", "socket", "sqlite3", "urllib", "glob"}
IO_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "iterdir", "glob", "rglob", "mkdir", "unlink",
              "touch", "is_file", "is_dir"}
CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("datetime", "today"), ("time", "time"),
         ("time", "monotonic"), ("time", "perf_counter"), ("pendulum", "now"), ("pendulum", "today")}


def _tree(name: str) -> ast.Module:
    path = ROOT / "engine" / f"{name}.py"
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
            if node.module == "engine":  # from engine import x
                found += [f"engine.{alias.name}" for alias in node.names]
    return found


def test_the_core_modules_exist() -> None:
    assert {"errors", "spec", "rules", "machine", "case", "payload"} <= set(PRESENT)


@pytest.mark.parametrize("name", PRESENT)
def test_a_core_module_imports_only_the_standard_library_the_core_and_its_two_libraries(name: str) -> None:
    bad = []
    for module in _imports(_tree(name)):
        top = module.split(".")[0]
        if top == "__future__":
            continue
        if top == "engine":
            if module != "engine" and module.split(".")[1] not in CORE:
                bad.append(f"{module} (not a core module)")
        elif top in HEAVY:
            bad.append(f"{module} (heavy: database, CLI or terminal)")
        elif top in sys.stdlib_module_names:
            if module in IO_MODULES or top in IO_MODULES:
                bad.append(f"{module} (files, processes or network)")
        elif top not in THIRD_PARTY_ALLOWED:
            bad.append(f"{module} (third-party)")
    assert not bad, f"engine/{name}.py imports {', '.join(bad)}"


@pytest.mark.parametrize("name", PRESENT)
def test_a_core_module_never_opens_a_file_or_reads_the_clock(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(name)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"open", "Path", "PurePath"}:
            bad.append(f"{func.id}() at line {node.lineno}")
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            if func.attr in IO_METHODS or func.attr == "open":
                bad.append(f".{func.attr}() at line {node.lineno}")
            elif (owner, func.attr) in CLOCK:
                bad.append(f"{owner}.{func.attr}() at line {node.lineno}")
    assert not bad, f"engine/{name}.py does I/O or reads the clock: {', '.join(bad)}"


def test_the_layer_check_catches_a_lazy_heavy_import() -> None:
    tree = ast.parse("def f():\n    import sqlalchemy as sa\n    from engine.store import case_t\n    return open('x')\n")
    assert _imports(tree) == ["sqlalchemy", "engine.store"]
    assert any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "open" for n in ast.walk(tree))


def test_importing_the_core_brings_no_database_cli_or_terminal_library() -> None:
    code = (
        "import sys\n"
        f"for name in {PRESENT!r}:\n"
        "    __import__('engine.' + name)\n"
        f"print(','.join(sorted(m for m in {sorted(HEAVY)!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"importing the core loaded {proc.stdout.strip()}"


def test_firing_through_the_machine_loads_no_database_cli_or_terminal_library() -> None:
    code = (
        "import sys\n"
        "from engine.machine import WorkflowMachine\n"
        "from engine.spec import build_all\n"
        "from pathlib import Path\n"
        "root = Path('workflows')\n"
        "files = {str(p): p.read_text(encoding='utf-8') for p in sorted(root.glob('*/v*.toml'))}\n"
        "machines = [WorkflowMachine(s) for s in build_all(files).values()]\n"
        "assert machines and all(m.allowed(m.spec.initial) for m in machines)\n"
        "print(','.join(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'typer', 'rich') if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"compiling the machines loaded {proc.stdout.strip()}"
