"""Database faults as one line: every SQLAlchemy/driver error turned into a SetupError (exit 4) or, where a
retry can help (locked, serialisation failure, a write raced by another process), a ConflictError (exit 3).

The text says what happened and what to do, names the database without its password, and is one line
(a driver's multi-line message is folded). Settings that bound the waiting are named here too:

- BARGAIN_DB_CONNECT_TIMEOUT (seconds, default 10): how long to wait for a PostgreSQL server to answer;
- BARGAIN_DB_STATEMENT_TIMEOUT (seconds, default 600): the longest one statement may run on PostgreSQL;
- BARGAIN_DB_BUSY_TIMEOUT (seconds, default 30): how long a writer waits for another to finish (SQLite's busy
  timeout, PostgreSQL's lock_timeout); past it the command ends with exit 3, nothing written.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from typing import Any

from engine.errors import BargainError, ConflictError, SetupError

SETTINGS: dict[str, float] = {
    "BARGAIN_DB_CONNECT_TIMEOUT": 10.0,
    "BARGAIN_DB_STATEMENT_TIMEOUT": 600.0,
    "BARGAIN_DB_BUSY_TIMEOUT": 30.0,
}

# PostgreSQL SQLSTATEs a retry can resolve: serialization_failure, deadlock_detected, lock_not_available.
_PG_RETRY = {"40001", "40P01", "55P03"}
_PG_CANCELED = "57014"  # query_canceled: statement_timeout


def setting(name: str) -> float:
    """A named database setting in seconds: the environment variable, else its default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return SETTINGS[name]
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86_400:
        raise SetupError(f"环境变量 {name}={raw} 无效：应为 0 到 86400 之间的秒数",
                         f"{name}={raw} is not a number of seconds between 0 and 86400", rule="setting", actual=raw)
    return value


def hide_password(text: str) -> str:
    """Any password in a URL or a libpq connection string replaced by ***."""
    text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", text, flags=re.IGNORECASE)


def _one_line(text: str) -> str:
    return hide_password(re.sub(r"\s+", " ", text).strip().rstrip("."))


def _sqlite_name(orig: BaseException) -> str:
    name = getattr(orig, "sqlite_errorname", "") or ""
    if name:
        return str(name)
    msg = str(orig).lower()
    for needle, code in (("locked", "SQLITE_BUSY"), ("not a database", "SQLITE_NOTADB"), ("malformed", "SQLITE_CORRUPT"),
                         ("readonly", "SQLITE_READONLY"), ("unable to open", "SQLITE_CANTOPEN"), ("disk is full", "SQLITE_FULL"),
                         ("disk i/o", "SQLITE_IOERR")):
        if needle in msg:
            return code
    return ""


def is_integrity(exc: BaseException) -> bool:
    """Whether a database exception is a constraint violation (sqlite3's own, or SQLAlchemy's wrapping a driver's)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return True
    sa: Any = sys.modules.get("sqlalchemy")  # never imported here: on a light store nothing else raises
    return sa is not None and isinstance(exc, sa.exc.IntegrityError)


def translate(exc: BaseException, where: str) -> BargainError | None:
    """The BargainError a database exception means, or None when it is not one (then it is a bug).

    `where` names the database as shown to people (its URL without the password)."""
    if isinstance(exc, BargainError):
        return exc
    sa: Any = sys.modules.get("sqlalchemy")  # never imported here: a light store's faults are sqlite3's own
    if isinstance(exc, sqlite3.Error):  # a light store (engine/store/lite.py): the driver's error as SQLAlchemy wraps it
        orig: BaseException = exc
        integrity = isinstance(exc, sqlite3.IntegrityError)
    elif sa is not None and isinstance(exc, sa.exc.SQLAlchemyError):
        orig = getattr(exc, "orig", None) or exc
        integrity = isinstance(exc, sa.exc.IntegrityError)
    else:
        return None
    where = hide_password(where)
    reason = _one_line(str(orig)) or type(orig).__name__
    if integrity:
        return ConflictError(
            f"另一进程同时写入了同样的记录，本次未写入任何内容（{reason}）",
            f"another process wrote the same records at the same time; nothing was written ({reason})",
            hint_zh="请重试", hint_en="run it again", rule="database_conflict")
    if where.startswith("sqlite"):
        return _sqlite(_sqlite_name(orig), reason, where)
    state = str(getattr(orig, "sqlstate", "") or "")
    if state in _PG_RETRY:
        if state == "55P03":
            limit = setting("BARGAIN_DB_BUSY_TIMEOUT")
            return ConflictError(
                f"数据库 {where} 正被另一进程写入，等待 {limit:g} 秒后仍未释放，本次未写入任何内容",
                f"the database {where} is being written by another process and was not free within {limit:g} s; "
                "nothing was written",
                hint_zh="稍后重试（等待时间：BARGAIN_DB_BUSY_TIMEOUT）", hint_en="try again later (waiting time: BARGAIN_DB_BUSY_TIMEOUT)",
                rule="database_locked")
        return ConflictError(
            f"与另一进程同时写入冲突，本次未写入任何内容（{reason}）",
            f"another process was writing the same data; nothing was written ({reason})",
            hint_zh="请重试", hint_en="run it again", rule="database_conflict")
    if state == _PG_CANCELED:
        limit = setting("BARGAIN_DB_STATEMENT_TIMEOUT")
        return SetupError(
            f"数据库在 {limit:g} 秒内未完成语句，已取消，未写入任何内容（{reason}）",
            f"the database did not finish a statement within {limit:g} s; it was cancelled and nothing was written ({reason})",
            hint_zh="稍后重试，或调大 BARGAIN_DB_STATEMENT_TIMEOUT", hint_en="try later, or raise BARGAIN_DB_STATEMENT_TIMEOUT",
            rule="statement_timeout")
    if sa is not None and isinstance(exc, sa.exc.OperationalError) and not state:
        limit = setting("BARGAIN_DB_CONNECT_TIMEOUT")
        return SetupError(
            f"无法连接数据库 {where}：{reason}",
            f"cannot reach the database {where}: {reason}",
            hint_zh=f"检查服务器是否在运行、地址、端口和权限（连接等待 {limit:g} 秒，BARGAIN_DB_CONNECT_TIMEOUT）",
            hint_en=f"check that the server runs, its address, port and permissions (connect timeout {limit:g} s, "
                    "BARGAIN_DB_CONNECT_TIMEOUT)",
            rule="database_unreachable")
    return SetupError(f"数据库出错 {where}：{reason}", f"database error on {where}: {reason}",
                      hint_zh="检查数据库服务器的日志", hint_en="see the database server's log", rule="database_error")


def _sqlite(name: str, reason: str, where: str) -> BargainError:
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or name.startswith(("SQLITE_BUSY_", "SQLITE_LOCKED_")):
        limit = setting("BARGAIN_DB_BUSY_TIMEOUT")
        return ConflictError(
            f"数据库 {where} 正被另一进程写入，等待 {limit:g} 秒后仍未释放，本次未写入任何内容",
            f"the database {where} is being written by another process and was not free within {limit:g} s; nothing was written",
            hint_zh="稍后重试（等待时间：BARGAIN_DB_BUSY_TIMEOUT）", hint_en="try again later (waiting time: BARGAIN_DB_BUSY_TIMEOUT)",
            rule="database_locked")
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or name.startswith("SQLITE_CORRUPT_"):
        return SetupError(
            f"数据库文件已损坏或不是 SQLite 数据库：{where}（{reason}）",
            f"the database file is damaged or not a SQLite database: {where} ({reason})",
            hint_zh="从备份恢复，或用 --db 指向正确的文件", hint_en="restore it from a backup, or point --db at the right file",
            rule="database_corrupt")
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_PERM":
        return SetupError(
            f"数据库只读，无法写入：{where}", f"the database is read-only: {where}",
            hint_zh="检查文件及其所在文件夹的写权限", hint_en="check the write permission of the file and of its folder",
            rule="database_readonly")
    if name.startswith("SQLITE_CANTOPEN"):
        return SetupError(
            f"无法打开数据库文件：{where}", f"cannot open the database file: {where}",
            hint_zh="检查文件夹是否存在且可写", hint_en="check that its folder exists and can be written",
            rule="database_unreachable")
    if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):
        return SetupError(
            f"数据库读写失败（磁盘已满或出错）：{where}（{reason}）", f"the database could not be read or written (disk full or failing): "
            f"{where} ({reason})", hint_zh="腾出磁盘空间或检查磁盘", hint_en="free disk space or check the disk", rule="database_io")
    return SetupError(f"数据库出错 {where}：{reason}", f"database error on {where}: {reason}", rule="database_error")
