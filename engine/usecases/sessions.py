"""Web sessions as use cases: begin, resume (idle timeout, the user's session version), log in, end;
the per-address rate limit on logins; refusals the web itself makes, written to the audit table; the case lists
each user saved.

The browser holds only a random id; the database holds its SHA-256 (engine/store/schema.py, WebSession). A
session is bound to the user's session version (engine/usecases/users.py): a password change, a disabled
user or a changed grant moves it on, and every session made before ends at its next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from engine.errors import BargainError, RefusedError
from engine.store import sessions as rows
from engine.store.database import Store

IDLE = timedelta(minutes=30)
LOGIN_WINDOW = timedelta(minutes=5)
LOGIN_LIMIT = 20  # POST /login per address per window, whatever the logins tried
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most this often
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Session:
    """A browser's session: its cookie id (known only to the browser and this object), who, its CSRF token, its language."""

    sid: str
    login: str | None
    csrf: str
    lang: str


def _key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else "zh"


def _session_version(store: Store, login: str) -> int | None:
    from engine.usecases import users

    try:
        return users.session_version(store, login)
    except BargainError:  # the user is gone
        return None


def begin(store: Store, *, now: datetime, lang: str | None = None, login: str | None = None) -> Session:
    """A new session with a fresh random id and CSRF token (a visitor's, or a user's just logged in)."""
    version = (_session_version(store, login) or 0) if login else 0
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with store.unit_of_work() as uow:
        rows.insert(uow.conn, {"id": _key(sid), "login": login, "session_version": version, "created_at": now,
                               "last_seen": now, "csrf": csrf, "lang": _lang(lang)})
        uow.commit()
    return Session(sid, login, csrf, _lang(lang))


def resume(store: Store, sid: str | None, *, now: datetime, idle: timedelta = IDLE) -> Session | None:
    """The live session with this id, or None: unknown, idle too long, or its user's session version moved on (ended)."""
    if not sid or len(sid) > 128:
        return None
    key = _key(sid)
    with store.unit_of_work() as uow:
        row = rows.get(uow.conn, key)
        if row is None:
            return None
        stale = row["last_seen"] < now - idle
        if not stale and row["login"]:
            stale = _session_version(store, row["login"]) != row["session_version"]
        if stale:
            rows.delete(uow.conn, key)
            uow.commit()
            return None
        if row["last_seen"] < now - TOUCH_EVERY:
            rows.update(uow.conn, key, last_seen=now)
            uow.commit()
    return Session(sid, row["login"], row["csrf"], _lang(row["lang"]))


def log_in(store: Store, old: Session | None, login: str, *, now: datetime) -> Session:
    """After a good password: the visitor's session is replaced by a new one (a new id: no session fixation)."""
    if old is not None:
        end(store, old.sid)
    return begin(store, now=now, lang=old.lang if old else None, login=login)


def end(store: Store, sid: str) -> None:
    """End one session (logout)."""
    with store.unit_of_work() as uow:
        rows.delete(uow.conn, _key(sid))
        uow.commit()


def end_all(store: Store, login: str) -> int:
    """End every session of a user; how many there were."""
    with store.unit_of_work() as uow:
        n = rows.delete_for_login(uow.conn, login)
        uow.commit()
    return n


def set_lang(store: Store, session: Session, lang: str) -> Session:
    """Remember the session's language."""
    with store.unit_of_work() as uow:
        rows.update(uow.conn, _key(session.sid), lang=_lang(lang))
        uow.commit()
    return Session(session.sid, session.login, session.csrf, _lang(lang))


def purge(store: Store, *, now: datetime, idle: timedelta = IDLE) -> int:
    """Delete sessions idle longer than `idle` and login attempts older than the window; how many sessions went."""
    with store.unit_of_work() as uow:
        n = rows.delete_idle(uow.conn, now - idle)
        rows.delete_attempts_before(uow.conn, now - LOGIN_WINDOW)
        uow.commit()
    return n


def login_attempt(store: Store, address: str, *, now: datetime, limit: int = LOGIN_LIMIT,
                  window: timedelta = LOGIN_WINDOW) -> None:
    """Count one POST /login from an address, or refuse it (rule auth.rate_limited, audited) past the limit."""
    from engine.usecases import audit

    with store.unit_of_work() as uow:
        made = rows.attempts_since(uow.conn, address, now - window)
        if made >= limit:
            refusal = RefusedError(
                f"登录尝试过于频繁，请 {int(window.total_seconds() // 60)} 分钟后再试",
                f"too many login attempts: try again in {int(window.total_seconds() // 60)} minutes",
                rule="auth.rate_limited", required=f"at most {limit} in {int(window.total_seconds() // 60)} min", actual=made,
            )
            audit.record_in(uow.conn, at=now, login="", action="login", outcome="refused", rule=refusal.rule,
                            detail={"attempts": made, "window_minutes": int(window.total_seconds() // 60)}, address=address)
            uow.commit()
            raise refusal
        rows.add_attempt(uow.conn, address, now)
        uow.commit()


def refused(store: Store, *, at: datetime, login: str | None, action: str, rule: str, detail: dict[str, Any],
            address: str) -> None:
    """Write a refusal the web itself made (a missing CSRF token, a foreign Origin, a case out of scope) to the audit table."""
    from engine.usecases import audit

    audit.record(store, at=at, login=login or "", action=action, outcome="refused", rule=rule, detail=detail, address=address)


SAVED_MAX = 50


def save_list(store: Store, login: str, name: str, query: str, *, now: datetime) -> None:
    """Save the filters of a case list under a name, for this user (at most SAVED_MAX lists)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise RefusedError("请给这个列表起一个名字（最多 100 字）", "give the list a name (100 characters at most)", rule="saved_list.name")
    if len(query) > 2000:
        raise RefusedError("筛选条件太长", "the filters are too long", rule="saved_list.query")
    with store.unit_of_work() as uow:
        mine = rows.saved_lists(uow.conn, login)
        if len(mine) >= SAVED_MAX and name not in {m["name"] for m in mine}:
            raise RefusedError(f"最多保存 {SAVED_MAX} 个列表", f"at most {SAVED_MAX} saved lists", rule="saved_list.count")
        rows.save_list(uow.conn, login, name, query, now)
        uow.commit()


def saved_lists(store: Store, login: str) -> list[dict[str, Any]]:
    """The case lists a user saved: name and query string."""
    with store.read() as conn:
        return rows.saved_lists(conn, login)


def delete_list(store: Store, login: str, name: str) -> None:
    """Forget one saved case list."""
    with store.unit_of_work() as uow:
        rows.delete_list(uow.conn, login, name)
        uow.commit()
