"""Every SQL statement about web sessions, login attempts and saved case lists (tables declared in engine/store/schema.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.store.tables import web_login_attempt_t as attempt_t
from engine.store.tables import web_saved_list_t as saved_t
from engine.store.tables import web_session_t as session_t


def insert(conn: Connection, row: Mapping[str, Any]) -> None:
    """Store a new session row."""
    conn.execute(session_t.insert().values(**row))


def get(conn: Connection, key: str) -> dict[str, Any] | None:
    """The session row with this key, or None."""
    row = conn.execute(sa.select(session_t).where(session_t.c.id == key)).mappings().first()
    return dict(row) if row else None


def update(conn: Connection, key: str, **values: Any) -> None:
    """Change columns of one session row (last_seen, lang)."""
    conn.execute(session_t.update().where(session_t.c.id == key).values(**values))


def delete(conn: Connection, key: str) -> None:
    """End one session."""
    conn.execute(session_t.delete().where(session_t.c.id == key))


def delete_for_login(conn: Connection, login: str) -> int:
    """End every session of a login; how many there were."""
    return int(conn.execute(session_t.delete().where(session_t.c.login == login)).rowcount or 0)


def delete_idle(conn: Connection, before: datetime) -> int:
    """End every session not seen since `before`; how many there were."""
    return int(conn.execute(session_t.delete().where(session_t.c.last_seen < before)).rowcount or 0)


def add_attempt(conn: Connection, address: str, at: datetime) -> None:
    """Note one login attempt from an address."""
    conn.execute(attempt_t.insert().values(address=address, at=at))


def attempts_since(conn: Connection, address: str, since: datetime) -> int:
    """How many login attempts an address made since an instant."""
    q = sa.select(sa.func.count()).select_from(attempt_t).where(attempt_t.c.address == address, attempt_t.c.at >= since)
    return int(conn.execute(q).scalar() or 0)


def delete_attempts_before(conn: Connection, before: datetime) -> None:
    """Forget login attempts older than the rate limit's window."""
    conn.execute(attempt_t.delete().where(attempt_t.c.at < before))


def save_list(conn: Connection, login: str, name: str, query: str, at: datetime) -> None:
    """Save (or replace) a user's named case list."""
    conn.execute(saved_t.delete().where(saved_t.c.login == login, saved_t.c.name == name))
    conn.execute(saved_t.insert().values(login=login, name=name, query=query, created_at=at))


def saved_lists(conn: Connection, login: str) -> list[dict[str, Any]]:
    """A user's saved case lists, by name."""
    q = sa.select(saved_t.c.name, saved_t.c.query).where(saved_t.c.login == login).order_by(saved_t.c.name)
    return [dict(r) for r in conn.execute(q).mappings()]


def delete_list(conn: Connection, login: str, name: str) -> None:
    """Forget one of a user's saved case lists."""
    conn.execute(saved_t.delete().where(saved_t.c.login == login, saved_t.c.name == name))
