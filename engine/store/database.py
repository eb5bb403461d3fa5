"""The database: its engine, schema migrations, and units of work over it. SQLite or PostgreSQL.

Writes go through SQLAlchemy Core on the SQLModel tables (engine/store/schema.py); the event table is
append-only: nothing here updates or deletes an event.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from engine.errors import SetupError
from engine.store.schema import migration_t

DEFAULT_URL = "sqlite:///bargain.db"


# Named migrations, in order. A new database gets the current tables and is marked as having
# them all (alembic's "create, then stamp head"); an older one gets the missing steps in order.
MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", lambda conn: None),
]


def _url(url: str | None) -> str:
    return url or os.environ.get("BARGAIN_DB") or DEFAULT_URL


def _hide_password(url: str) -> str:
    """The URL with any password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _mapping(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):  # a loaded case's lazily decoded facts (engine.case.Facts)
        return dict(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_mapping)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class Store:
    """A database: its engine, its schema check, and units of work over it."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = _url(url)
        try:
            self.engine: Engine = sa.create_engine(self.url, json_serializer=_json, future=True)
        except Exception as exc:  # bad URL, missing driver: never print the password it may hold
            shown = _hide_password(self.url)
            raise SetupError(f"数据库地址无效：{shown}（{type(exc).__name__}）", f"bad database URL {shown}: {type(exc).__name__}",
                             hint_zh="应写成 sqlite:///文件.db 或 postgresql+psycopg://用户@主机/库名",
                             hint_en="write sqlite:///FILE.db or postgresql+psycopg://USER@HOST/DB") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return str(self.engine.dialect.name)

    def migrate(self) -> list[str]:
        """Create or upgrade the schema; refuse a database made by a newer bargain."""
        known = [name for name, _ in MIGRATIONS]
        try:
            with self.engine.begin() as conn:
                insp = sa.inspect(conn)
                if not insp.has_table("bargain_migration"):
                    SQLModel.metadata.create_all(conn)
                    now = datetime.now(UTC)
                    conn.execute(migration_t.insert(), [{"name": n, "applied_at": now} for n in known])
                    return known
                applied = {r[0] for r in conn.execute(sa.select(migration_t.c.name))}
                newer = sorted(applied - set(known))
                if newer:
                    raise SetupError(
                        f"数据库结构比本程序新（{', '.join(newer)}），请升级 bargain",
                        f"the database schema is newer than this bargain ({', '.join(newer)}): upgrade bargain",
                    )
                done = []
                for name, step in MIGRATIONS:
                    if name not in applied:
                        step(conn)
                        conn.execute(migration_t.insert().values(name=name, applied_at=datetime.now(UTC)))
                        done.append(name)
                return done
        except SetupError:
            raise
        except sa.exc.OperationalError as exc:
            raise SetupError(
                f"无法连接数据库 {self._safe_url()}：{exc.orig}", f"cannot reach the database {self._safe_url()}: {exc.orig}"
            ) from None

    def _safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work over one connection: it rolls back unless the use case calls `commit()`."""
        return UnitOfWork(self)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (rolled back at the end: nothing read can be written by mistake)."""
        with self.unit_of_work() as uow:
            yield uow.conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class UnitOfWork:
    """One transaction on one connection, as cosmicpython's unit of work: whatever the block does is rolled
    back when it ends, unless `commit()` was called. A check (`--check`, `--dry-run`) simply does not commit.

    Use cases that open their own unit of work take a `Store`; functions that run inside the caller's take
    its `Connection` (`uow.conn`) and say so in their names (`..._in`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.committed = False
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        """The connection of this unit of work."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    def __enter__(self) -> UnitOfWork:
        self._conn = self.store.engine.connect()
        self._conn.begin()
        return self

    def commit(self) -> None:
        """Make the unit's writes permanent."""
        self.conn.commit()
        self.committed = True

    def __exit__(self, *exc: object) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
