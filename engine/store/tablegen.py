"""Writes engine/store/tables.py, the plain SQLAlchemy Core tables, from the SQLModel declaration.

    python -m engine.store.tablegen          # after changing engine/store/schema.py

SQLModel stays the one declaration of the schema (schema.py); the code that runs imports only the
generated Core tables, so that no command pays for importing SQLModel and pydantic's model building.
tests/engine/test_tables.py fails when tables.py is not what this module renders, and compares the
DDL both produce on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

TARGET = Path(__file__).with_name("tables.py")

HEADER = '''"""The tables as plain SQLAlchemy Core, GENERATED from engine/store/schema.py: do not edit.

Regenerate with `python -m engine.store.tablegen` after changing the SQLModel declaration;
tests/engine/test_tables.py fails when the two disagree.
"""

from __future__ import annotations

import sqlalchemy as sa

from engine.store.coltypes import UTCDateTime

metadata = sa.MetaData()
'''

PG_TAIL = '''

# PostgreSQL's partial-index conditions, set by for_postgresql() only when a PostgreSQL schema is made or
# compared: a `postgresql_where` argument at import would load SQLAlchemy's PostgreSQL dialect in every
# SQLite command (a fifth of a second).
POSTGRESQL_WHERE = {where}


def for_postgresql() -> sa.MetaData:
    """The metadata with PostgreSQL's partial-index conditions set (idempotent)."""
    for table in metadata.tables.values():
        for ix in table.indexes:
            if ix.name in POSTGRESQL_WHERE and ix.dialect_options["postgresql"]._non_defaults.get("where") is None:
                ix.dialect_options["postgresql"]["where"] = sa.text(POSTGRESQL_WHERE[str(ix.name)])
    return metadata
'''

NAMES = {"org": "org_t", "enterprise": "enterprise_t", "counselor": "counselor_t", "bcase": "case_t", "event": "event_t",
         "coverage": "coverage_t", "bargain_migration": "migration_t", "bargain_meta": "meta_t",
         "contract": "contract_t", "reference_text": "reference_t", "case_mark": "mark_t", "renewal": "renewal_t",
         "app_user": "user_t", "app_grant": "grant_t", "audit": "audit_t",
         "web_session": "web_session_t", "web_login_attempt": "web_login_attempt_t", "web_saved_list": "web_saved_list_t"}


def _type(t: Any) -> str:
    name = type(t).__name__
    if name == "AutoString" or isinstance(t, sa.String):
        length = getattr(t, "length", None)
        return f"sa.String({length})" if length else "sa.String()"
    if name == "UTCDateTime":
        return "UTCDateTime()"
    for known in ("Integer", "Boolean", "Date", "JSON", "Float", "Text", "BigInteger", "LargeBinary"):
        if isinstance(t, getattr(sa, known)):
            return f"sa.{known}()"
    raise TypeError(f"tablegen: no rendering for column type {t!r}")


def _column(c: sa.Column[Any], uniques: set[str]) -> str:
    args = [repr(c.name), _type(c.type)]
    args += [f"sa.ForeignKey({fk.target_fullname!r})" for fk in sorted(c.foreign_keys, key=lambda f: f.target_fullname)]
    if c.primary_key:
        args.append("primary_key=True")
    args.append(f"nullable={c.nullable!r}")
    if c.name in uniques:
        args.append("unique=True")
    if c.default is not None:
        if not getattr(c.default, "is_scalar", False):
            raise TypeError(f"tablegen: {c.table.name}.{c.name} has a non-scalar default")
        args.append(f"default={c.default.arg!r}")  # type: ignore[attr-defined]
    if c.server_default is not None:
        arg = getattr(c.server_default, "arg", None)
        if not isinstance(arg, str):
            raise TypeError(f"tablegen: {c.table.name}.{c.name} has a server default that is not a plain string")
        args.append(f"server_default={arg!r}")
    return f"    sa.Column({', '.join(args)}),"


def _where(ix: sa.Index, dialect: str) -> str | None:
    where = ix.dialect_options[dialect]._non_defaults.get("where")
    return None if where is None else str(where)


def render(metadata: sa.MetaData) -> str:
    """The source of tables.py for a metadata."""
    parts = [HEADER]
    pg_where: dict[str, str] = {}
    for table in metadata.sorted_tables:
        single = {next(iter(k.columns)).name for k in table.constraints
                  if isinstance(k, sa.UniqueConstraint) and len(k.columns) == 1 and k.name is None}
        lines = [f"{NAMES.get(table.name, table.name + '_t')} = sa.Table(", f"    {table.name!r},", "    metadata,"]
        lines += [_column(c, single) for c in table.columns]
        for k in sorted((k for k in table.constraints if isinstance(k, sa.UniqueConstraint) and
                         (k.name is not None or len(k.columns) > 1)), key=lambda k: str(k.name)):
            cols = ", ".join(repr(c.name) for c in k.columns)
            lines.append(f"    sa.UniqueConstraint({cols}, name={k.name!r}),")
        for ix in sorted(table.indexes, key=lambda i: str(i.name)):
            args = [repr(ix.name)] + [repr(c.name) for c in ix.columns] + (["unique=True"] if ix.unique else [])
            if (where := _where(ix, "sqlite")) is not None:
                args.append(f"sqlite_where=sa.text({where!r})")
            if (where := _where(ix, "postgresql")) is not None:
                pg_where[str(ix.name)] = where
            lines.append(f"    sa.Index({', '.join(args)}),")
        lines.append(")")
        parts.append("\n\n" + "\n".join(lines) + "\n")
    parts.append(PG_TAIL.format(where=pprint.pformat(pg_where, indent=4, width=110)))
    return "".join(parts)


def declared() -> sa.MetaData:
    """The SQLModel declaration's metadata (imports SQLModel: for the generator and its test only)."""
    from sqlmodel import SQLModel

    from engine.store import schema  # noqa: F401  (declares the tables on SQLModel.metadata)

    return SQLModel.metadata


def main() -> None:
    """Write tables.py from schema.py."""
    TARGET.write_text(render(declared()), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
