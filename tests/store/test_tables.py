"""The generated Core tables (engine/store/tables.py) agree with the SQLModel declaration (schema.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from engine.store import tablegen, tables


def _ddl(metadata: sa.MetaData, dialect: sa.engine.Dialect) -> dict[str, list[str]]:
    out = {}
    for t in metadata.sorted_tables:
        statements = [str(CreateTable(t).compile(dialect=dialect)).strip()]
        statements += sorted(str(CreateIndex(i).compile(dialect=dialect)).strip() for i in t.indexes)
        out[t.name] = statements
    return out


def test_tables_py_is_what_the_generator_renders_from_schema_py() -> None:
    rendered = tablegen.render(tablegen.declared())
    assert tablegen.TARGET.read_text(encoding="utf-8") == rendered, "run: python -m engine.store.tablegen"


def test_both_declarations_give_the_same_ddl_on_sqlite_and_postgresql() -> None:
    declared = tablegen.declared()
    assert _ddl(tables.metadata, sqlite.dialect()) == _ddl(declared, sqlite.dialect())
    assert _ddl(tables.for_postgresql(), postgresql.dialect()) == _ddl(declared, postgresql.dialect())


def test_both_declarations_have_the_same_python_side_defaults() -> None:
    declared = tablegen.declared()
    for name, table in tables.metadata.tables.items():
        mine = {c.name: getattr(c.default, "arg", None) for c in table.columns}
        theirs = {c.name: getattr(c.default, "arg", None) for c in declared.tables[name].columns}
        assert mine == theirs, name


def test_importing_the_store_imports_neither_sqlmodel_nor_the_postgresql_dialect() -> None:
    import subprocess
    import sys

    code = ("import sys, engine.store.database, engine.store.repository, engine.store.agenda, engine.usecases.acts;"
            "print('sqlmodel' in sys.modules, 'pydantic' in sys.modules, 'sqlalchemy.dialects.postgresql' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False"]
