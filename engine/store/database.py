"""The database: its engine, schema migrations, and units of work over it. SQLite or PostgreSQL.

Schema changes are Alembic revisions shipped in the package (engine/store/migrations), configured from
code here: a new database is created from the models and stamped head; a database from release 0.1 (a
`bargain_migration` table, no `alembic_version`) is stamped with the baseline "0001_initial" and upgraded;
a SQLite file is copied to `NAME.bak-<date>` before an upgrade changes it; a database at a revision this
code does not know was made by a newer bargain and is refused (SetupError, exit 4).

Writes go through SQLAlchemy Core on the tables generated from the SQLModel declaration (engine/store/tables.py
from schema.py), or, for a save and its recount, through the statements generated from Core (engine/store/lite.py)
on either kind of connection; the event table is append-only: nothing here updates or deletes an event.
"""

from __future__ import annotations

import os
import re
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from engine.errors import BargainError, SetupError
from engine.store.faults import hide_password, setting, translate
from engine.store.jsontext import dumps as _json

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection, Engine

    from engine.store.lite import LiteConnection

# SQLAlchemy is imported where it is used: a one-case command on an up-to-date SQLite file (Store(light=True))
# runs on engine/store/lite.py's sqlite3 connection and never imports it (issue 18 item 1).

DEFAULT_URL = "sqlite:///bargain.db"


BASELINE = "0001_initial"  # the schema of release 0.1, the last one with hand-rolled migrations
# The row a database managed by Alembic carries in release 0.1's `bargain_migration` table: release 0.1
# does not know the name, so it refuses the database as newer instead of writing to a schema it misreads.
LEGACY_MARKER = "alembic_version"


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration, built from code: the scripts come from the installed package (not the
    current folder), and the revisions run on `conn` when given (inside the caller's transaction)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(files("engine.store.migrations")))
    cfg.set_main_option("path_separator", "os")
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


@cache
def shipped_heads() -> frozenset[str]:
    """The head revisions of the shipped migration scripts, read from their text: a command on an up-to-date
    database then needs no Alembic (importing it and its templates costs more than the command's own work)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for f in files("engine.store.migrations.versions").iterdir():
        if not f.name.endswith(".py") or f.name == "__init__.py":
            continue
        text = f.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev:
            revisions.add(rev.group(1))
        if down:
            downs.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    return frozenset(revisions - downs)


def _setup_newer(revisions: list[str]) -> SetupError:
    shown = ", ".join(revisions)
    return SetupError(f"数据库结构比本程序新（{shown}），请升级 bargain",
                      f"the database schema is newer than this bargain ({shown}): upgrade bargain",
                      hint_zh="请安装新版 bargain 后再打开此数据库", hint_en="install a newer bargain to open this database")


def _url(url: str | None) -> str:
    if url is not None and not url.strip():  # `--db ''`: never silently the default file
        raise SetupError("--db 的值为空", "--db is empty", hint_zh="写成 --db sqlite:///文件.db，或不写 --db 以使用 $BARGAIN_DB",
                         hint_en="write --db sqlite:///FILE.db, or leave --db out to use $BARGAIN_DB", rule="database_url")
    return (url or os.environ.get("BARGAIN_DB") or DEFAULT_URL).strip()


def _hide_password(url: str) -> str:
    """The URL with any password replaced by ***."""
    return hide_password(url)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(setting('BARGAIN_DB_BUSY_TIMEOUT') * 1000)}")
    # WAL is kept in the file: set it on our own (or a new, empty) database only, never on another program's.
    if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        names = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not names or "bargain_migration" in names:
            cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _pg_session(dbapi_conn: Any, _record: Any) -> None:
    # Per session, committed at once: a SET inside a transaction later rolled back would be undone.
    cur = dbapi_conn.cursor()
    cur.execute(f"SET statement_timeout = {int(setting('BARGAIN_DB_STATEMENT_TIMEOUT') * 1000)}")
    cur.execute(f"SET lock_timeout = {int(setting('BARGAIN_DB_BUSY_TIMEOUT') * 1000)}")
    # No JIT compilation: every statement here reads along an index and runs in milliseconds, but a plan whose
    # estimated cost passes jit_above_cost (the overdue count's, costed at a million for ~30 ms of work at
    # 1,000,000 cases) spent ~120 ms compiling itself on every call (bench dashboard: 450 ms p95).
    cur.execute("SET jit = off")
    cur.close()
    dbapi_conn.commit()


def _connect_args(url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        return {"connect_timeout": max(1, round(setting("BARGAIN_DB_CONNECT_TIMEOUT")))}
    return {}


def safe_url(url: str) -> str:
    """A database URL as shown to people: without its password."""
    return hide_password(url)


def fault_of(exc: BaseException, where: str) -> BargainError | None:
    """The one-line error a database exception means (engine.store.faults), or None when it is none."""
    return translate(exc, where)


class Store:
    """A database: its engine, its schema check, and units of work over it."""

    def __init__(self, url: str | None = None, *, migrate: bool = True, light: bool = False) -> None:
        """`light`: on a SQLite file already at the shipped schema, work on plain sqlite3 connections
        (engine/store/lite.py) and import SQLAlchemy only if something asks for it; otherwise the normal path."""
        self.url = _url(url)
        self._lite: str | None = None
        self._engine: Engine | None = None
        self._file: str | None = None  # the SQLite file once it exists: later connections never create one
        if light:
            path = _sqlite_file(self.url)
            if path is not None and _lite_up_to_date(path):
                self._lite = path
                self._file = _file_uri(path)
                return
        self._make_engine()
        if migrate:
            self.migrate()
        path = _sqlite_file(self.url)
        if path is not None:
            # A file deleted or moved while a server runs must not come back as a new, empty database at the next
            # connection (sqlite3 creates what it cannot find): from now on it is opened read-write, never created,
            # and a vanished file is the one-line 'unable to open' fault (engine/store/faults.py).
            self._file = _file_uri(path)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (made on first use by a light store)."""
        if self._engine is None:
            self._make_engine()
        assert self._engine is not None
        return self._engine

    @property
    def light(self) -> bool:
        """Whether units of work run on plain sqlite3 connections (engine/store/lite.py)."""
        return self._lite is not None

    def _make_engine(self) -> None:
        import sqlalchemy as sa

        try:
            engine = sa.create_engine(self.url, json_serializer=_json, future=True, connect_args=_connect_args(self.url))
        except SetupError:
            raise
        except Exception as exc:  # bad URL, missing driver: never print the password it may hold
            shown = _hide_password(self.url)
            raise SetupError(f"数据库地址无效：{shown}（{type(exc).__name__}）", f"bad database URL {shown}: {type(exc).__name__}",
                             hint_zh="应写成 sqlite:///文件.db 或 postgresql+psycopg://用户@主机/库名",
                             hint_en="write sqlite:///FILE.db or postgresql+psycopg://USER@HOST/DB") from None
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "do_connect", self._existing_file)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        elif engine.dialect.name == "postgresql":
            sa.event.listen(engine, "connect", _pg_session)
        self._engine = engine

    def _existing_file(self, _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        """SQLAlchemy's do_connect hook: once the file exists, open it by a mode=rw URI (see __init__)."""
        if self._file is not None:
            cargs[:] = [self._file]
            cparams["uri"] = True

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return "sqlite" if self._lite is not None else str(self.engine.dialect.name)

    def lite_connect(self) -> LiteConnection:
        """A plain sqlite3 connection to a light store's file, with the pragmas SQLAlchemy's connections get."""
        from engine.store.lite import LiteConnection

        assert self._lite is not None
        raw = sqlite3.connect(self._file or self._lite, uri=self._file is not None)
        try:
            _sqlite_pragmas(raw, None)
        except BaseException:
            raw.close()
            raise
        return LiteConnection(raw)

    def _up_to_date(self) -> bool:
        """True when the database records exactly the shipped head revisions (one cheap query)."""
        import sqlalchemy as sa

        try:
            with self.engine.connect() as conn:
                if not sa.inspect(conn).has_table("alembic_version"):
                    return False
                current = {str(r[0]) for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
        except sa.exc.DBAPIError:
            return False  # the full path below says what is wrong
        return current == set(shipped_heads())

    def migrate(self) -> list[str]:
        """Create or upgrade the schema; refuse a database made by a newer bargain. Returns the revisions
        applied (all of them for a new database, none when it was up to date)."""
        if self._up_to_date():
            return []
        import sqlalchemy as sa
        from alembic import command
        from alembic.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = alembic_config()
        script = ScriptDirectory.from_config(cfg)
        try:
            with self.engine.connect() as conn:
                pending = self._pending(conn, script)
            if pending and pending != ["(new)"]:
                self.backup_path = self._backup()
            with self.engine.connect() as conn:
                if self.dialect == "sqlite":
                    # pysqlite begins a transaction only before DML: take the write lock now, so the DDL is
                    # part of the transaction and two processes opening the file at once migrate it once.
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                pending = self._pending(conn, script)  # again, under the lock: another process may have won
                cfg = alembic_config(conn)
                if pending == ["(new)"]:
                    from engine.store.tables import for_postgresql, metadata

                    (for_postgresql() if self.dialect == "postgresql" else metadata).create_all(conn)
                    command.stamp(cfg, "heads")
                    # no rows yet: every row saved from now on is projected with the calendar in force
                    from engine.registry import compiled
                    from engine.store import projected

                    projected.record_fingerprint(conn, compiled.bundle().projection)
                    self._mark_legacy(conn)
                    conn.commit()
                    return [r.revision for r in reversed(list(script.walk_revisions()))]
                if pending:
                    if not MigrationContext.configure(conn).get_current_heads():
                        command.stamp(cfg, BASELINE)
                    command.upgrade(cfg, "heads")
                    self._mark_legacy(conn)
                    conn.commit()
                return [rev for rev in pending if not rev.startswith("(")]
        except SetupError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise self.fault(exc) from None

    backup_path: Path | None = None  # the copy made before the last upgrade (SQLite files only)

    def _pending(self, conn: Connection, script: ScriptDirectory) -> list[str]:
        """The revisions this database lacks, oldest first; ["(new)"] for a database without our tables."""
        import sqlalchemy as sa
        from alembic.migration import MigrationContext

        from engine.store.tables import migration_t

        insp = sa.inspect(conn)
        current = tuple(MigrationContext.configure(conn).get_current_heads())
        if not current:
            if not insp.has_table("bargain_migration"):
                theirs = sorted(insp.get_table_names())
                if theirs and not insp.has_table("bcase"):  # another program's database: never add our tables to it
                    shown = ", ".join(theirs[:5]) + ("…" if len(theirs) > 5 else "")
                    raise SetupError(
                        f"{self.safe_url()} 不是 bargain 的数据库（已有其他程序的表：{shown}），未做任何改动",
                        f"{self.safe_url()} is not a bargain database (it holds other tables: {shown}); nothing was changed",
                        hint_zh="用 --db 指向 bargain 的数据库或一个新文件", hint_en="point --db at a bargain database or a new file",
                        rule="database_foreign")
                if insp.has_table("bcase"):  # tables but no record of their revision: not ours to guess
                    raise SetupError("数据库有表但无版本记录，无法判断其结构",
                                     "the database has tables but no schema revision: cannot tell its schema")
                return ["(new)"]
            names = {r[0] for r in conn.execute(sa.select(migration_t.c.name))}
            unknown = sorted(names - {BASELINE, LEGACY_MARKER})
            if unknown:
                raise _setup_newer(unknown)
            current = (BASELINE,)
        unknown = []
        for rev in current:
            try:
                script.get_revision(rev)
            except Exception:  # alembic's ResolutionError / CommandError: a revision only a newer bargain has
                unknown.append(rev)
        if unknown:
            raise _setup_newer(unknown)
        have = {r.revision for r in script.iterate_revisions(current, "base")}
        missing = [r.revision for r in reversed(list(script.walk_revisions())) if r.revision not in have]
        if not MigrationContext.configure(conn).get_current_heads():
            return missing or ["(stamp)"]  # a 0.1 database at the baseline still needs its revision recorded
        return missing

    def _mark_legacy(self, conn: Connection) -> None:
        import sqlalchemy as sa

        from engine.store.tables import migration_t

        if not conn.execute(sa.select(migration_t.c.name).where(migration_t.c.name == LEGACY_MARKER)).first():
            conn.execute(migration_t.insert().values(name=LEGACY_MARKER, applied_at=datetime.now(UTC)))

    def _backup(self) -> Path | None:
        """Copy a SQLite file to NAME.bak-<date> (SQLite's online backup: the WAL's pages included)."""
        if self.dialect != "sqlite":
            return None
        name = self.engine.url.database if self._lite is None else self._lite
        if not name or name == ":memory:" or not Path(name).is_file():
            return None
        day = datetime.now(UTC).astimezone().strftime("%Y-%m-%d")
        target = Path(f"{name}.bak-{day}")
        n = 1
        while target.exists():  # a second upgrade the same day keeps the first copy
            n += 1
            target = Path(f"{name}.bak-{day}-{n}")
        src, dst = sqlite3.connect(name), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target

    def safe_url(self) -> str:
        """The URL without its password."""
        if self._engine is None:  # a light store: the URL as given (a SQLite file's has no password)
            return hide_password(self.url)
        return self.engine.url.render_as_string(hide_password=True)

    def fault(self, exc: BaseException) -> BaseException:
        """The one-line error a database exception means (engine.store.faults), or the exception itself."""
        return translate(exc, self.safe_url()) or exc

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
        if self._engine is not None:
            self._engine.dispose()


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
        """The connection of this unit of work (on a light store a LiteConnection, which does what a Connection
        does: the hot paths run their generated SQL on it, anything else through SQLAlchemy on the same connection)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    def __enter__(self) -> UnitOfWork:
        if self.store.light:
            try:
                self._conn = cast("Connection", self.store.lite_connect())
            except sqlite3.Error as exc:
                raise self.store.fault(exc) from None
            return self
        import sqlalchemy as sa

        try:
            self._conn = self.store.engine.connect()
            self._conn.begin()
        except sa.exc.SQLAlchemyError as exc:
            raise self.store.fault(exc) from None
        return self

    def exclusive(self, name: str) -> None:
        """Serialise this unit of work with every other asking for the same name, until it ends: what it read
        before writing cannot be changed under it (two launches would otherwise both open a case for the same
        enterprise). PostgreSQL: a transaction advisory lock (waiting at most BARGAIN_DB_BUSY_TIMEOUT, then
        exit 3); SQLite: the write lock taken now (BEGIN IMMEDIATE, waiting at most the busy timeout, then exit 3),
        since pysqlite begins a transaction only before the first write, so reads before it saw no snapshot."""
        from engine.store.lite import LiteConnection

        conn: Any = self.conn
        if isinstance(conn, LiteConnection):
            try:
                conn.begin_immediate()
            except sqlite3.Error as exc:
                raise self.store.fault(exc) from None
            return
        import sqlalchemy as sa

        if self.store.dialect == "postgresql":
            self.conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode())})
        elif not self.conn.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            try:
                self.conn.exec_driver_sql("BEGIN IMMEDIATE")
            except sa.exc.SQLAlchemyError as exc:
                raise self.store.fault(exc) from None

    def commit(self) -> None:
        """Make the unit's writes permanent (the report counts they touched recounted first, engine/store/rollups.py)."""
        from engine.store import recount

        recount.flush(self.conn)
        self.conn.commit()
        self.committed = True

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if self.store.light:
            self._exit_lite(exc)
            return
        import sqlalchemy as sa

        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if conn.in_transaction():
                    conn.rollback()
                conn.close()
            except sa.exc.SQLAlchemyError as closing:  # the connection broke: what broke it is the error to tell
                conn.invalidate()
                if exc is None:
                    raise self.store.fault(closing) from None
        if isinstance(exc, sa.exc.SQLAlchemyError):
            raise self.store.fault(exc) from None

    def _exit_lite(self, exc: BaseException | None) -> None:
        conn: Any = self._conn
        self._conn = None
        if conn is not None:
            try:
                if conn.in_transaction():
                    conn.rollback()
            except Exception as closing:  # the connection broke: what broke it is the error to tell
                if exc is None:
                    raise self.store.fault(closing) from None
            finally:
                conn.close()
        if exc is not None and translate(exc, self.store.safe_url()) is not None and not isinstance(exc, BargainError):
            raise self.store.fault(exc) from None


def _sqlite_file(url: str) -> str | None:
    """The file of a plain `sqlite:///FILE` URL that exists (None for anything else: memory, URI options, another
    database), for a light store."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = url[len("sqlite:///"):]
    if not path or path == ":memory:" or not Path(path).is_file():
        return None
    return path


def _file_uri(path: str) -> str:
    """A URI that opens an existing SQLite file read-write and never creates it."""
    from urllib.parse import quote

    return f"file:{quote(str(Path(path).resolve()))}?mode=rw"


def _lite_up_to_date(path: str) -> bool:
    """Whether a SQLite file records exactly the shipped head revisions; anything wrong with it (locked, damaged,
    not a database): False, and the normal path says what is wrong."""
    try:
        raw = sqlite3.connect(path)
    except sqlite3.Error:
        return False
    try:
        found = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        if found is None:
            return False
        current = {str(r[0]) for r in raw.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        return False
    finally:
        raw.close()
    return current == set(shipped_heads())
