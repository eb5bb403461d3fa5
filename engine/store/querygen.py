"""Writes engine/store/queries_sql.py: the one-case statements of engine/store/queries.py compiled per dialect.

    python -m engine.store.querygen          # after changing engine/store/queries.py or the schema

For each statement: its SQL text for SQLite (`:name` parameters) and PostgreSQL (psycopg's `%(name)s`), its
result column names, how each result column and each parameter is converted (what the column's SQLAlchemy type
does: UTCDateTime stored naive UTC and read back aware, SQLite's DateTime and Date text, booleans, JSON), the
values of the literal parameters Core made (a LIMIT), and which parameters are expanding lists.
tests/store/test_queries.py fails when queries_sql.py is not what this module renders.
"""

from __future__ import annotations

import keyword
import pprint
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.coltypes import UTCDateTime

TARGET = Path(__file__).with_name("queries_sql.py")
# The statements run as an executemany (lite.write_many): also compiled with positional parameters.
EXECUTEMANY = ("insert_event", "insert_case", "update_case", "insert_rollup", "add_rollup", "insert_coverage", "add_coverage")

HEADER = '''"""The one-case statements as plain SQL, GENERATED from engine/store/queries.py: do not edit.

Regenerate with `python -m engine.store.querygen`; tests/store/test_queries.py fails when they disagree.
Run by engine/store/lite.py.
"""

from __future__ import annotations

from typing import Any
'''

DIALECTS = {"sqlite": sqlite.pysqlite.dialect(paramstyle="named"), "postgresql": postgresql.psycopg.dialect()}  # type: ignore[no-untyped-call]
# An executemany's text takes its parameters by position: each row goes to the driver as a plain tuple.
POSITIONAL = {"sqlite": sqlite.pysqlite.dialect(paramstyle="qmark"),
              "postgresql": postgresql.psycopg.dialect(paramstyle="format")}  # type: ignore[no-untyped-call]


def kind(type_: Any) -> str:
    """How values of a column type are converted between Python and the driver ('' for none)."""
    if isinstance(type_, UTCDateTime):
        return "utc"
    if isinstance(type_, sa.DateTime):
        return "datetime"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.Boolean):
        return "bool"
    if isinstance(type_, sa.JSON):
        return "json"
    if isinstance(type_, sa.types.TypeDecorator) or isinstance(type_, (sa.Numeric, sa.Float, sa.Time, sa.Interval,
                                                                       sa.LargeBinary, sa.Enum, sa.ARRAY, sa.Uuid)):
        raise TypeError(f"no conversion for column type {type_!r}: add one to querygen.kind and lite.py")
    return ""


def compile_one(name: str, declared: Any) -> dict[str, Any]:
    """One statement's entry: SQL per dialect, result columns and conversions, binds, defaults, expanding names.
    `declared` is one Core statement, or a dict of one per dialect (an upsert: each dialect's own INSERT)."""
    sql: dict[str, str] = {}
    binds: dict[str, str] = {}
    defaults: dict[str, dict[str, Any]] = {}
    expanding: list[str] = []
    stmt = declared
    for dialect_name, dialect in DIALECTS.items():
        if isinstance(declared, dict):
            stmt = declared[dialect_name]
        c = stmt.compile(dialect=dialect)
        sql[dialect_name] = str(c)
        own = defaults.setdefault(dialect_name, {})
        for bp, key in c.bind_names.items():
            k = kind(bp.type)
            if k:
                binds[key] = k
            if bp.expanding and key not in expanding:
                expanding.append(key)
            if not bp.required and (not bp.expanding or bp.value is not None):  # a literal list: its values
                own[key] = list(bp.effective_value) if bp.expanding else bp.effective_value
    columns = [c.name for c in stmt.selected_columns] if hasattr(stmt, "selected_columns") else []
    for col in columns:
        if not col.isidentifier() or keyword.iskeyword(col) or col.startswith("_"):
            raise ValueError(f"{name}: column name {col!r} cannot be a row attribute: label it")
    if len(set(columns)) != len(columns):
        raise ValueError(f"{name}: two result columns are named alike: label them")
    result = [kind(c.type) for c in stmt.selected_columns] if columns else []
    many: dict[str, tuple[str, tuple[str, ...]]] = {}
    if name in EXECUTEMANY:
        for dialect_name, dialect in POSITIONAL.items():
            one = declared[dialect_name] if isinstance(declared, dict) else declared
            c = one.compile(dialect=dialect)
            if any(not bp.required for bp in c.binds.values()) or expanding:
                raise ValueError(f"{name}: an executemany takes every parameter from its rows")
            many[dialect_name] = (str(c), tuple(c.positiontup or ()))
    # A plain INSERT of columns named as its parameters: on PostgreSQL the same rows go through COPY (lite.copy_rows)
    copy = ""
    if many and not isinstance(declared, dict) and isinstance(declared, sa.Insert):
        if list(many["postgresql"][1]) != [col.name for col in declared.table.c if col.name in many["postgresql"][1]]:
            raise ValueError(f"{name}: a COPY takes the parameters named and ordered as the table's columns")
        copy = declared.table.name
    return {"sql": sql, "columns": tuple(columns), "result": tuple(result), "binds": binds, "defaults": defaults,
            "expanding": tuple(sorted(expanding)), "many": many, "copy": copy}


def declared() -> dict[str, dict[str, Any]]:
    """Every statement of engine/store/queries.py, compiled."""
    from engine.store.queries import STATEMENTS

    return {name: compile_one(name, make()) for name, make in sorted(STATEMENTS.items())}


def _fmt(obj: Any) -> str:
    return pprint.pformat(obj, width=110, sort_dicts=True)


def render(entries: dict[str, dict[str, Any]]) -> str:
    """The text of queries_sql.py."""
    out = [HEADER]
    out.append("SQL: dict[str, dict[str, str]] = " + _fmt({n: e["sql"] for n, e in entries.items()}) + "\n")
    out.append("COLUMNS: dict[str, tuple[str, ...]] = " + _fmt({n: e["columns"] for n, e in entries.items()}) + "\n")
    out.append("RESULT: dict[str, tuple[str, ...]] = " + _fmt({n: e["result"] for n, e in entries.items()}) + "\n")
    out.append("BINDS: dict[str, dict[str, str]] = "
               + _fmt({n: e["binds"] for n, e in entries.items() if e["binds"]}) + "\n")
    out.append("DEFAULTS: dict[str, dict[str, dict[str, Any]]] = "
               + _fmt({n: e["defaults"] for n, e in entries.items() if any(e["defaults"].values())}) + "\n")
    out.append("EXPANDING: dict[str, tuple[str, ...]] = "
               + _fmt({n: e["expanding"] for n, e in entries.items() if e["expanding"]}) + "\n")
    out.append("# the executemany statements' text with positional parameters, and the parameters' order\n"
               "Many = dict[str, dict[str, tuple[str, tuple[str, ...]]]]\n"
               "MANY: Many = "
               + _fmt({n: e["many"] for n, e in entries.items() if e["many"]}) + "\n")
    out.append("# the plain inserts among them: their table, which PostgreSQL takes the same rows into by COPY\n"
               "COPY: dict[str, str] = " + _fmt({n: e["copy"] for n, e in entries.items() if e["copy"]}) + "\n")
    return "\n".join(out)


def main() -> None:
    TARGET.write_text(render(declared()), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
