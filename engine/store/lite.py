"""The hot-path statements run without SQLAlchemy (issue 18 item 1): plain SQL text compiled ahead of time from
their Core declaration (engine/store/queries.py, by engine/store/querygen.py into engine/store/queries_sql.py),
executed through the DB-API with the binds and results converted exactly as the columns' SQLAlchemy types do.

`run(conn, name, params)` takes either a LiteConnection (a sqlite3 connection a one-case command opens, no
SQLAlchemy imported) or an SQLAlchemy Connection (`exec_driver_sql` on its DB-API connection): the same text
and the same conversions both ways, so every test that goes through SQLAlchemy tests the light path's SQL too.

A LiteConnection hands whatever it does not do itself to an SQLAlchemy Connection made on first need over the
same sqlite3 connection (same transaction): a path not converted yet stays correct, it only pays the import.
"""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from engine.store import queries_sql as compiled
from engine.store.jsontext import dumps

_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME storage format


PENDING = "bargain_pending_cases"  # on a connection's info: the cases opened in its transaction, not yet saved (recount)


class LiteConnection:
    """A sqlite3 connection with the pragmas and transaction behaviour of SQLAlchemy's pysqlite connections
    (a transaction begins before the first write; `begin_immediate` takes the write lock now)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw
        self.info: dict[str, Any] = {}  # as a Connection's: what this transaction's writes left to do at commit
        self._sa: Any = None
        self._engine: Any = None

    def run(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        return self.raw.execute(sql, params).fetchall()

    def run_count(self, sql: str, params: Mapping[str, Any]) -> int:
        return int(self.raw.execute(sql, params).rowcount)

    def run_many(self, sql: str, params: Sequence[Sequence[Any]]) -> int:
        return int(self.raw.executemany(sql, params).rowcount)

    def in_transaction(self) -> bool:
        return bool(self.raw.in_transaction)

    def begin_immediate(self) -> None:
        if not self.raw.in_transaction:
            self.raw.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self._sa is not None and self._sa.in_transaction():
            self._sa.commit()  # SQLAlchemy's bookkeeping; the sqlite3 connection's commit below is then a no-op
        self.raw.commit()
        self.info.pop(PENDING, None)  # a case opened and never saved is never written

    def rollback(self) -> None:
        self.info.clear()  # a rolled-back write leaves nothing to recount (engine/store/rollups.py)
        if self._sa is not None and self._sa.in_transaction():
            self._sa.rollback()
        self.raw.rollback()

    def close(self) -> None:
        try:
            if self._sa is not None:
                self._sa.close()
                self._engine.dispose()
        finally:
            self.raw.close()

    def sa(self) -> Any:
        """An SQLAlchemy Connection over the same sqlite3 connection and transaction (imports SQLAlchemy)."""
        if self._sa is None:
            import sqlalchemy as sa
            from sqlalchemy.pool import StaticPool

            raw = self.raw
            self._engine = sa.create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool, json_serializer=dumps)
            self._sa = self._engine.connect()
        return self._sa

    def __getattr__(self, name: str) -> Any:  # everything else an SQLAlchemy Connection does
        return getattr(self.sa(), name)


def utc_naive(value: datetime) -> datetime:
    """An aware instant as the store keeps it, naive UTC (coltypes.UTCDateTime binds through this too)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_dt(value: datetime) -> str:
    return value.strftime(_SQLITE_DATETIME)


def _json_text(value: Any) -> str:
    return dumps(value)


def memoised(proc: Callable[[Any], Any], key: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A converter that runs once per key: a batch's rows share most of their values. The caller keeps every value
    alive while it converts (a key may be an object's id)."""
    memo: dict[Any, Any] = {}

    def convert(v: Any) -> Any:
        k = key(v)
        hit = memo.get(k, memo)
        if hit is memo:
            hit = memo[k] = proc(v)
        return hit

    return convert


def value_key(v: Any) -> Any:
    """A memo key: dates and datetimes by value (a datetime with its offset: equal instants may be written at
    different offsets, and so may read), anything else by the object (its id)."""
    return (v, v.utcoffset()) if type(v) is datetime else v if type(v) is date else id(v)


_BY_VALUE = frozenset({"utc", "date", "bool"})  # bind kinds whose converted form depends on the value alone


def converted(values: Sequence[Any], proc: Callable[[Any], Any], *, by_object: bool) -> list[Any]:
    """A column's values through a bind converter, once per distinct value: dates, instants and flags by value
    (their converters give equal values equal results: a UTC instant's text does not depend on the offset it was
    given at; a local wall time's would, so "datetime" is not among them), anything else (JSON data) by object
    (`values` keeps each alive, so its id stays its own). Inline dict look-ups rather than memoised's call per
    value: a save converts every event's instants."""
    memo: dict[Any, Any] = {}
    if by_object:
        return [memo[k] if (k := id(v)) in memo else memo.setdefault(k, proc(v)) for v in values]
    return [memo[v] if v in memo else memo.setdefault(v, proc(v)) for v in values]


def _none_or(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else fn(v)


_BIND: dict[str, dict[str, Callable[[Any], Any]]] = {
    "sqlite": {
        "utc": _none_or(lambda v: _sqlite_dt(utc_naive(v))),
        "datetime": _none_or(_sqlite_dt),
        "date": _none_or(lambda v: v.isoformat()),
        "bool": _none_or(lambda v: 1 if v else 0),
        "json": _json_text,  # SQLAlchemy's JSON stores None as JSON null, as here
    },
    "postgresql": {
        "utc": _none_or(utc_naive),
        "json": _json_text,
    },
}


def _sqlite_datetime(v: Any) -> datetime:
    return datetime.fromisoformat(v) if isinstance(v, str) else v


def _sqlite_date(v: Any) -> date:
    return date.fromisoformat(v) if isinstance(v, str) else v


def _json_value(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v


_RESULT: dict[str, dict[str, Callable[[Any], Any]]] = {
    "sqlite": {
        "utc": _none_or(lambda v: _sqlite_datetime(v).replace(tzinfo=UTC)),
        "datetime": _none_or(_sqlite_datetime),
        "date": _none_or(_sqlite_date),
        "bool": _none_or(bool),
        "json": _none_or(_json_value),
    },
    "postgresql": {
        "utc": _none_or(lambda v: v.replace(tzinfo=UTC)),
        "json": _none_or(_json_value),
    },
}

_PLACE = {"sqlite": ":{}", "postgresql": "%({})s"}


@cache
def _row_type(name: str) -> Any:
    """A row: a tuple with attribute access by column name, and `_mapping` as SQLAlchemy's Row has."""
    base: Any = namedtuple(f"Row_{name}", compiled.COLUMNS[name])  # type: ignore[misc]

    class Row(base):
        __slots__ = ()

        @property
        def _mapping(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

    Row.__name__ = Row.__qualname__ = f"Row_{name}"
    return Row


def dialect_of(conn: Any) -> str:
    """'sqlite' for a LiteConnection, else the SQLAlchemy connection's dialect name."""
    if isinstance(conn, LiteConnection):
        return "sqlite"
    return str(conn.dialect.name)


def _prepare(name: str, dialect: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    sql = compiled.SQL[name][dialect]
    given = {**compiled.DEFAULTS.get(name, {}).get(dialect, {}), **(params or {})}
    kinds = compiled.BINDS.get(name, {})
    convert = _BIND[dialect]
    out: dict[str, Any] = {}
    for key, value in given.items():
        fn = convert.get(kinds.get(key, ""))
        if key in compiled.EXPANDING.get(name, ()):
            values = list(value)
            if not values:
                raise ValueError(f"{name}: the list {key} is empty (the caller answers that without a query)")
            for i, v in enumerate(values):
                out[f"{key}_{i}"] = fn(v) if fn else v
        else:
            out[key] = fn(value) if fn else value
    for key in compiled.EXPANDING.get(name, ()):
        n = len(list(given[key]))
        place = _PLACE[dialect]
        text = ", ".join(place.format(f"{key}_{i}") for i in range(n))
        sql = sql.replace(f"__[POSTCOMPILE_{key}]", text)
    return sql, out


def _convert(name: str, dialect: str, rows: Sequence[Sequence[Any]]) -> list[Any]:
    kinds = compiled.RESULT[name]
    table = _RESULT[dialect]
    fns = [(i, table[k]) for i, k in enumerate(kinds) if k in table]
    make = _row_type(name)
    if not fns:
        return [make(*r) for r in rows]
    out = []
    for r in rows:
        values = list(r)
        for i, fn in fns:
            values[i] = fn(values[i])
        out.append(make(*values))
    return out


def run(conn: Any, name: str, params: Mapping[str, Any] | None = None) -> list[Any]:
    """The rows of the named statement (attribute access by column name, values typed as SQLAlchemy's are)."""
    dialect = dialect_of(conn)
    sql, binds = _prepare(name, dialect, params)
    if isinstance(conn, LiteConnection):
        rows = conn.run(sql, binds)
    else:
        rows = conn.exec_driver_sql(sql, binds).fetchall()
    return _convert(name, dialect, rows)


def first(conn: Any, name: str, params: Mapping[str, Any] | None = None) -> Any:
    """The first row of the named statement, or None."""
    rows = run(conn, name, params)
    return rows[0] if rows else None


def write(conn: Any, name: str, params: Mapping[str, Any] | None = None) -> int:
    """Run a named write statement; the number of rows it changed."""
    dialect = dialect_of(conn)
    sql, binds = _prepare(name, dialect, params)
    if isinstance(conn, LiteConnection):
        return conn.run_count(sql, binds)
    return int(conn.exec_driver_sql(sql, binds).rowcount)


def write_many(conn: Any, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Run a named write statement once per row (one executemany of its positional text, engine/store/querygen.py's
    MANY); rows give their values in `columns` order. Each parameter is converted once per distinct value (see
    `converted`: a batch's rows share their dates and data); the number of rows changed."""
    given = list(zip(*rows))  # column by column, each kept alive while converting: a memo key may be an id
    if not given:
        return 0
    return write_columns(conn, name, dict(zip(columns, given)))


def write_columns(conn: Any, name: str, values: Mapping[str, Sequence[Any]]) -> int:
    """write_many with the rows given column by column (column name → every row's value, all of one length, not
    empty): what a caller that builds its rows from objects (a save's events) writes without building each row."""
    dialect = dialect_of(conn)
    sql, order = compiled.MANY[name][dialect]
    kinds = compiled.BINDS.get(name, {})
    convert = _BIND[dialect]
    out: list[Sequence[Any]] = []
    for key in order:
        column = values[key]
        kind = kinds.get(key, "")
        proc = convert.get(kind)
        if proc is not None:
            column = converted(column, proc, by_object=kind not in _BY_VALUE)
        out.append(column)
    params = list(zip(*out))
    if isinstance(conn, LiteConnection):
        return conn.run_many(sql, params)
    if name in compiled.COPY and dialect == "postgresql" and conn.dialect.driver == "psycopg":
        return copy_rows(conn, compiled.COPY[name], order, params)  # the same insert, several times faster
    return int(conn.exec_driver_sql(sql, params).rowcount)


def copy_rows(conn: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: rows of driver values (in `columns` order) through COPY … FROM STDIN on an SQLAlchemy connection's
    own transaction (several times the rate of a pipelined executemany); a driver error becomes the SQLAlchemy
    exception an executemany would raise (IntegrityError for a duplicate key), so callers see no change."""
    import psycopg
    import sqlalchemy as sa

    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    total = 0
    try:
        with driver.cursor() as cur, cur.copy(sql) as copy:
            for values in rows:
                copy.write_row(values)
                total += 1
    except psycopg.Error as exc:
        raise sa.exc.DBAPIError.instance(sql, None, exc, psycopg.Error) from exc
    return total
