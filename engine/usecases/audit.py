"""The audit trail (issue 15, WEB.md): every login attempt, every permission refusal, every user and grant
change, with who, when and from where. Append-only.

A refused request rolls back its own unit of work, so a refusal is recorded in a unit of work of its own,
after the refused one has ended (`recorded`). Front ends say where a request comes from with
`from_address` (the web: the client's address; the CLI: "cli").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from engine import registry
from engine.errors import BargainError, ConflictError, SetupError
from engine.permission import PermissionRefusedError, decide_manage_user, scope_paths
from engine.store import hot
from engine.store.database import Store
from engine.times import at_date, localize

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from engine.store import access
else:  # loaded on first use (a read that records nothing never needs it)
    from engine.store.lazy import module

    access = module("engine.store.access")

OUTCOMES = ("ok", "refused", "failed", "locked")
_ADDRESS: ContextVar[str] = ContextVar("bargain_audit_address", default="")
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def from_address(address: str) -> Iterator[None]:
    """Within the block, audit entries without an explicit address record this one."""
    token = _ADDRESS.set(address)
    try:
        yield
    finally:
        _ADDRESS.reset(token)


def set_address(address: str) -> None:
    """From now on, in this context, audit entries without an explicit address record this one (a CLI run)."""
    _ADDRESS.set(address)


def record_in(conn: Connection, *, at: datetime, login: str, action: str, outcome: str, rule: str = "",
              detail: dict[str, Any] | None = None, address: str = "") -> None:
    """Append one audit entry inside the caller's unit of work."""
    if outcome not in OUTCOMES:
        raise ValueError(f"audit outcome {outcome!r} is not one of {OUTCOMES}")
    hot.insert_audit(conn, {"at": at, "login": login, "action": action, "outcome": outcome, "rule": rule,
                               "detail": detail or {}, "address": address or _ADDRESS.get()})


def record(store: Store, **entry: Any) -> None:
    """Append one audit entry in a unit of work of its own (committed whatever else happens)."""
    with store.unit_of_work() as uow:
        record_in(uow.conn, **entry)
        uow.commit()


def unrecorded(exc: BargainError) -> None:
    """Say on a refusal that its audit entry could not be written (the database is read-only or full): the person
    is told why they were refused, not that the file cannot be written, and the keeper learns the trail has a gap."""
    exc.hint_zh = "；".join(h for h in (exc.hint_zh, "数据库无法写入，这次拒绝未能记入审计记录") if h)
    exc.hint_en = "; ".join(h for h in (exc.hint_en, "the database cannot be written: this refusal is not in the audit trail") if h)


def record_refusal(store: Store, exc: PermissionRefusedError, *, at: datetime | None = None) -> None:
    """Record a permission refusal (once, however many use cases it passes through)."""
    if getattr(exc, "audited", False):
        return
    d = exc.decision
    try:
        record(store, at=at or datetime.now(UTC), login=str(d.actual.get("login", "")),
               action=str(d.required.get("action", d.rule.removeprefix("permission."))), outcome="refused", rule=d.rule,
               detail={"source": d.source, "required": d.required, "hidden": d.hidden, "message": d.en})
    except (SetupError, ConflictError):  # read-only, full or locked: the refusal still says why
        unrecorded(exc)
    exc.audited = True  # type: ignore[attr-defined]


def recorded(fn: Callable[P, R]) -> Callable[P, R]:
    """A use case over a Store (its first argument) whose permission refusals are audited after it rolled back."""
    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except PermissionRefusedError as exc:
            store = args[0] if args else kwargs.get("store")
            if isinstance(store, Store):
                record_refusal(store, exc)
            raise
    return run


def _entry(r: Any) -> dict[str, Any]:
    return {"id": r.id, "at": localize(r.at).isoformat(), "login": r.login, "name": r.user_name or "", "action": r.action,
            "outcome": r.outcome,
            "rule": r.rule or None, "detail": r.detail or {}, "address": r.address}


@recorded
def entries(store: Store, *, since: date | datetime | None = None, login: str | None = None, by: Any = None,
            limit: int = 10_000) -> list[dict[str, Any]]:
    """Audit entries in time order (since a day or instant, of one login); an admin sees those of the users
    inside their subtree and their own, an admin over every top-level organisation sees all."""
    start = at_date(since, 0) if isinstance(since, date) and not isinstance(since, datetime) else since
    with store.read() as conn:
        logins: list[str] | None = None
        if by is not None:
            roles = registry.roles()
            paths = scope_paths(by, "user.manage", roles)
            if not paths:
                raise PermissionRefusedError(decide_manage_user(by, [], roles))
            tops = access.top_paths(conn)
            if not (tops and all(any(t.startswith(p) for p in paths) for t in tops)):
                ids = [int(u.id) for u in access.users(conn)]
                held = access.grants(conn, ids)
                logins = [str(u.login) for u in access.users(conn)
                          if u.login == by.login or any(any(path.startswith(p) for p in paths) for _, _, path in held[int(u.id)])]
        rows = access.audit_rows(conn, since=start, login=login, logins=logins, limit=limit)
    return [_entry(r) for r in rows]
