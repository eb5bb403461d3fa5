"""The house's layers (STYLE.md, "Our house"): what each folder may import, no cycle, a pure core.

Checked by parsing every module's imports, function-level (lazy) imports included since a lazy import is
still a dependency, and, for the core and the reports, by importing them in a fresh interpreter and looking
at what came along.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"sqlmodel", "sqlalchemy", "typer", "rich"}
DATABASE = {"sqlmodel", "sqlalchemy", "psycopg", "sqlite3", "alembic"}
FRONT = {"typer", "rich", "click", "fastapi", "starlette", "jinja2", "uvicorn"}
CORE_THIRD_PARTY = {"transitions", "pendulum", "stdnum", "datasketch", "rapidfuzz", "numpy"}
IO_MODULES = {"pathlib", "io", "os.path", "shutil", "tempfile", "subprocess", "socket", "sqlite3", "urllib", "glob"}
IO_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "iterdir", "glob", "rglob", "mkdir", "unlink",
              "touch", "is_file", "is_dir"}
CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("datetime", "today"), ("time", "time"),
         ("time", "monotonic"), ("time", "perf_counter"), ("pendulum", "now"), ("pendulum", "today")}

# Which rooms each room may import (besides the standard library and itself). "core" is engine/*.py.
ROOMS = ("core", "registry", "store", "reports", "imports", "usecases", "outputs", "commands", "cli", "web")
MAY_IMPORT = {
    "core": {"core"},
    "registry": {"core", "registry"},
    "store": {"core", "registry", "store"},
    "reports": {"core", "registry", "store", "reports"},
    "usecases": {"core", "registry", "store", "reports", "usecases"},
    "imports": {"core", "registry", "store", "usecases", "imports"},
    "outputs": {"core", "registry", "reports", "outputs"},
    "commands": {"core", "registry", "store", "reports", "usecases", "imports", "outputs", "commands"},
    "web": {"core", "registry", "store", "reports", "usecases", "imports", "outputs", "web"},
    "cli": {"core", "commands"},
}
NO_THIRD_PARTY = {  # libraries a room must never import
    "registry": DATABASE | FRONT,
    "store": FRONT,
    "reports": FRONT | {"transitions"},
    "usecases": FRONT,
    "imports": FRONT,
    "outputs": DATABASE | FRONT - {"rich"},
    "commands": DATABASE,
    "web": DATABASE | {"typer"},
}
SHARED_COMMAND_MODULES = {"commands.common", "commands.printing", "commands.importing"}
# A front end opens the database (engine.store.database.Store) and calls use cases: it builds no SQL.
FRONT_STORE = {"engine.store.database", "engine.store"}


def _modules() -> dict[str, Path]:
    out = {"cli": ROOT / "cli.py"}
    for folder in ("engine", "commands", "web"):
        for path in sorted((ROOT / folder).rglob("*.py")) if (ROOT / folder).exists() else []:
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()
CORE = sorted(m.split(".")[1] for m in MODULES if m.startswith("engine.") and m.count(".") == 1
              and not (ROOT / "engine" / m.split(".")[1]).is_dir())


def room(module: str) -> str:
    """The room a project module lives in."""
    parts = module.split(".")
    if parts[0] == "engine":
        return "core" if len(parts) == 1 or (len(parts) == 2 and parts[1] in CORE) else parts[1]
    return parts[0]


@cache
def _tree(module: str) -> ast.Module:
    path = MODULES[module]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_of(tree: ast.Module, module: str = "") -> list[str]:
    """Every module a tree imports, lazy ones included; `from pkg import sub` counts as pkg.sub when it is one."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                pkg = module.split(".")[: -node.level] if not MODULES.get(module, Path()).name == "__init__.py" else \
                    module.split(".")[: len(module.split(".")) - node.level + 1]
                base = ".".join([*pkg, *([base] if base else [])])
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES]
    return found


def project_imports(module: str) -> set[str]:
    """The project modules a module imports directly."""
    return {m for m in imports_of(_tree(module), module) if m in MODULES and m != module}


def test_the_core_modules_exist() -> None:
    assert {"errors", "spec", "rules", "machine", "case", "payload", "deadline", "calendar", "timeline"} <= set(CORE)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_rooms_below_it(module: str) -> None:
    mine = room(module)
    bad = []
    for dep in sorted(project_imports(module)):
        theirs = room(dep)
        if theirs not in MAY_IMPORT[mine]:
            bad.append(f"{dep} ({theirs})")
        elif mine in ("commands", "web") and theirs == "store" and dep not in FRONT_STORE:
            bad.append(f"{dep} (a front end builds no SQL: call a use case)")
        elif mine == "commands" and theirs == "commands" and dep not in SHARED_COMMAND_MODULES and module not in SHARED_COMMAND_MODULES:
            bad.append(f"{dep} (another command module)")
    for dep in imports_of(_tree(module), module):
        top = dep.split(".")[0]
        if top in NO_THIRD_PARTY.get(mine, set()):
            bad.append(f"{dep} (not in {mine}/)")
    assert not bad, f"{module} ({mine}) imports {', '.join(bad)}"


def _cycle() -> list[str] | None:
    graph = {m: sorted(project_imports(m)) for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in graph[m]:
            # a package's __init__ importing its own submodules is not a cycle of rooms
            if state.get(n) == 1:
                return [*stack[stack.index(n):], n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_module_imports_itself_through_others() -> None:
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    saved = dict(MODULES)
    try:
        tree_a = ast.parse("from engine.store import b\n")
        tree_b = ast.parse("def f():\n    from engine.store import a\n")
        _tree.cache_clear()
        MODULES.clear()
        MODULES.update({"engine.store.a": Path("a.py"), "engine.store.b": Path("b.py")})
        trees = {"engine.store.a": tree_a, "engine.store.b": tree_b}
        original = globals()["_tree"]
        globals()["_tree"] = lambda m: trees[m]
        try:
            assert _cycle() is not None
        finally:
            globals()["_tree"] = original
    finally:
        MODULES.clear()
        MODULES.update(saved)
        _tree.cache_clear()


def _closure(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo += [n for n in project_imports(m) if n not in seen]
    return seen


@pytest.mark.parametrize("module", sorted(m for m in MODULES if room(m) == "reports"))
def test_a_report_never_loads_transitions_even_through_what_it_imports(module: str) -> None:
    through = sorted(m for m in _closure(module)
                     if any(d.split(".")[0] == "transitions" for d in imports_of(_tree(m), m)) or m == "engine.machine")
    assert not through, f"{module} reaches transitions through {', '.join(through)}"


@pytest.mark.parametrize("name", CORE)
def test_a_core_module_imports_only_the_standard_library_the_core_and_its_libraries(name: str) -> None:
    bad = []
    for module in imports_of(_tree(f"engine.{name}"), f"engine.{name}"):
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
        elif top not in CORE_THIRD_PARTY:
            bad.append(f"{module} (third-party)")
    assert not bad, f"engine/{name}.py imports {', '.join(bad)}"


@pytest.mark.parametrize("name", CORE)
def test_a_core_module_never_opens_a_file_or_reads_the_clock(name: str) -> None:
    bad = []
    for node in ast.walk(_tree(f"engine.{name}")):
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
    tree = ast.parse("def f():\n    import sqlalchemy as sa\n    from engine.store import schema\n    return open('x')\n")
    assert imports_of(tree) == ["sqlalchemy", "engine.store", "engine.store.schema"]
    assert any(isinstance(n, ast.Call) and getattr(n.func, "id", "") == "open" for n in ast.walk(tree))


def test_a_command_module_importing_sqlalchemy_or_another_command_would_be_caught() -> None:
    tree = ast.parse("def f():\n    import sqlalchemy as sa\n    from commands.case import cases\n")
    deps = imports_of(tree, "commands.org")
    assert "sqlalchemy" in deps and "commands.case" in deps
    assert "sqlalchemy" in NO_THIRD_PARTY["commands"]
    assert room("commands.case") == "commands" and "commands.case" not in SHARED_COMMAND_MODULES


def test_importing_the_core_brings_no_database_cli_or_terminal_library() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__('engine.' + name)\n"
        f"print(','.join(sorted(m for m in {sorted(HEAVY)!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"importing the core loaded {proc.stdout.strip()}"


def test_importing_every_report_loads_no_state_machine() -> None:
    reports = sorted(m for m in MODULES if room(m) == "reports")
    code = (
        "import sys\n"
        f"for name in {reports!r}:\n"
        "    __import__(name)\n"
        "print(','.join(m for m in ('transitions', 'engine.machine') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"importing the reports loaded {proc.stdout.strip()}"


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


def test_no_test_module_imports_from_another_test_module() -> None:
    """Shared fixtures and walks live in tests/helpers/ (or a conftest): importing from another test module would
    collect its tests twice and tie two files' fates together."""
    here = Path(__file__).resolve().parent
    offenders = []
    for path in sorted(here.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n.startswith("tests.") and n.rsplit(".", 1)[-1].startswith("test_") for n in names):
                offenders.append(f"{path.relative_to(here)}: {names}")
    assert offenders == []
