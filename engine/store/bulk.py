"""Set-based writes for large batches: one executemany per table, each distinct value converted once.

SQLAlchemy converts every bound value of every row (dates to UTC text, dicts to JSON, ...). A campaign
writes 100,000 cases that share their dates and trigger data, so here each column's converter runs
once per distinct value and the driver gets plain rows. SQLite and PostgreSQL alike: the statement is
compiled for the connection's dialect and the values go through that dialect's own converters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.lite import PENDING, copy_rows, memoised, value_key

BATCH = 5000


Converter = Callable[[Sequence[Any]], list[Any]]


def _memoised(proc: Callable[[Any], Any], key: Callable[[Any], Any]) -> Converter:
    """A column's values through its converter, once per key (None stays None; lite.memoised)."""

    def convert(values: Sequence[Any]) -> list[Any]:
        once = memoised(proc, key)
        return [None if v is None else once(v) for v in values]

    return convert


def _by_object(proc: Callable[[Any], Any]) -> Converter:
    """Once per distinct object: the list holds every object for the length of the call, so an id stays that
    object's (equal values usually are one shared object: a template's facts and event data on every copy, True
    and False)."""
    return _memoised(proc, id)


def _by_value(proc: Callable[[Any], Any]) -> Converter:
    """Dates and datetimes, once per value: each event makes its own, and a batch has few distinct days."""
    return _memoised(proc, value_key)


def _converter(column_type: Any, proc: Callable[[Any], Any]) -> Converter:
    """The way a column's values are converted, chosen once per statement from the column's type."""
    impl = getattr(column_type, "impl", column_type)  # a TypeDecorator (UTCDateTime) by the type it stores as
    return _by_value(proc) if isinstance(impl, (sa.Date, sa.DateTime)) else _by_object(proc)


def _compiled(conn: Connection, stmt: Any, names: Sequence[str]) -> tuple[str, bool, list[str]]:
    compiled = stmt.compile(dialect=conn.dialect)
    order = list(compiled.positiontup or []) if compiled.positional else list(names)
    return str(compiled), bool(compiled.positional), order


def _processors(conn: Connection, table: sa.Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    dialect = conn.dialect
    return [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]


def _converters(table: sa.Table, columns: Sequence[str],
                procs: Sequence[Callable[[Any], Any] | None]) -> list[Converter | None]:
    return [None if proc is None else _converter(table.c[c].type, proc) for c, proc in zip(columns, procs)]


def _run(conn: Connection, sql: str, positional: bool, order: Sequence[str], columns: Sequence[str],
         converters: Sequence[Converter | None], rows: Iterable[Sequence[Any]]) -> int:
    index = {c: i for i, c in enumerate(columns)}
    picks = [index[name] for name in order]
    total = 0
    it = iter(rows)
    while True:
        chunk = list(islice(it, BATCH))
        if not chunk:
            return total
        cols: list[Sequence[Any]] = list(zip(*chunk))  # column by column: each converter runs over one list
        for i, convert in enumerate(converters):
            if convert is not None:
                cols[i] = convert(cols[i])
        if positional:
            params: list[Any] = list(zip(*[cols[i] for i in picks]))
        else:
            params = [dict(zip(order, values)) for values in zip(*[cols[i] for i in picks])]
        result = conn.exec_driver_sql(sql, params)
        total += max(result.rowcount, 0)


def _copy(conn: Connection, table: sa.Table, columns: Sequence[str], converters: Sequence[Converter | None],
          rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: the rows through COPY (lite.copy_rows), values converted as for executemany, a batch at a time."""

    def converted() -> Iterator[Sequence[Any]]:
        it = iter(rows)
        while chunk := list(islice(it, BATCH)):
            cols: list[Sequence[Any]] = list(zip(*chunk))
            for i, convert in enumerate(converters):
                if convert is not None:
                    cols[i] = convert(cols[i])
            yield from zip(*cols)

    return copy_rows(conn, table.name, columns, converted())


def insert_rows(conn: Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows given as sequences in `columns` order, in batches; how many were inserted. PostgreSQL
    through COPY, others through executemany."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        # JSON as text, serialised once per distinct object (the driver's JSON wrapper would serialise every row)
        dumps = getattr(conn.dialect, "_json_serializer", None) or json.dumps
        procs = [dumps if isinstance(table.c[c].type, sa.JSON) else proc
                 for c, proc in zip(columns, _processors(conn, table, columns))]
        return _copy(conn, table, columns, _converters(table, columns, procs), rows)
    stmt = table.insert().values({c: sa.bindparam(c, type_=table.c[c].type) for c in columns})
    sql, positional, order = _compiled(conn, stmt, columns)
    return _run(conn, sql, positional, order, columns, _converters(table, columns, _processors(conn, table, columns)), rows)


def update_rows(conn: Connection, table: sa.Table, key: str, columns: Sequence[str],
                rows: Iterable[Sequence[Any]], *, guard: str | None = None) -> int:
    """Update rows matched on `key` (and, with `guard`, on that column's expected value: optimistic
    concurrency); each row gives the key's value first, then the guard's, then `columns`; rows changed."""
    matched = [(f"k_{key}", key), *([(f"g_{guard}", guard)] if guard else [])]
    names = [name for name, _ in matched] + list(columns)
    stmt = (
        table.update()
        .where(*(table.c[col] == sa.bindparam(name, type_=table.c[col].type) for name, col in matched))
        .values({c: sa.bindparam(c, type_=table.c[c].type) for c in columns})
    )
    sql, positional, order = _compiled(conn, stmt, names)
    cols = [col for _, col in matched] + list(columns)
    return _run(conn, sql, positional, order, names, _converters(table, cols, _processors(conn, table, cols)), rows)


def allocate_ids(conn: Connection, table: sa.Table, n: int) -> list[int]:
    """n fresh primary keys for `table`: from its sequence on PostgreSQL; after the largest id elsewhere, and for
    cases after those this transaction reserved and has not written yet (repository.reserve_cases). SQLite: a
    concurrent writer makes the insert fail, and the caller reports a conflict."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": n},
        )
        return sorted(int(r[0]) for r in rows)
    reserved = max(conn.info.get(PENDING) or (0,)) if table.name == "bcase" else 0
    start = max(int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()), reserved) + 1
    return list(range(start, start + n))
