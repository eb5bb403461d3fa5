"""The schema: SQLModel tables, the one declaration of every table. SQLite or PostgreSQL.

The code that runs reads the plain SQLAlchemy Core tables generated from these classes
(engine/store/tables.py, `python -m engine.store.tablegen`): importing SQLModel and building the
pydantic models took half of a one-case command's start-up. tests/store/test_tables.py fails when
the two disagree.

Writes go through SQLAlchemy Core on the SQLModel tables (set-based, executemany); the event table
is append-only: nothing here updates or deletes an event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from engine.store.coltypes import UTCDateTime


def _dt(**kw: Any) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), **kw))


class Org(SQLModel, table=True):
    """A union organisation; `path` ('/320000/320500/') makes subtree queries a range scan."""

    __tablename__ = "org"
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str
    kind: str = Field(default="other", max_length=16)
    parent_code: Optional[str] = Field(default=None, max_length=64)
    path: str = Field(index=True, max_length=1024)
    jurisdiction: Optional[str] = Field(default=None, max_length=32)


class Enterprise(SQLModel, table=True):
    """An enterprise, identified by its 统一社会信用代码."""

    __tablename__ = "enterprise"
    # Coverage's denominators (engine/reports/coverage.py) count a subtree's enterprises active on a day from this
    # index alone; the few retired by the day are found by ix_enterprise_retired.
    __table_args__ = (sa.Index("ix_enterprise_org_path", "org_path", "employees", "has_union", "retired_on"),
                      sa.Index("ix_enterprise_retired", "retired_on", sqlite_where=sa.text("retired_on IS NOT NULL"),
                               postgresql_where=sa.text("retired_on IS NOT NULL")))
    id: Optional[int] = Field(default=None, primary_key=True)
    credit_code: str = Field(max_length=18, unique=True)
    name: str
    org_code: str = Field(max_length=64)
    org_path: str = Field(max_length=1024)
    industry: str = Field(default="", max_length=64)
    employees: int = 0
    has_union: bool = True
    # Closed, merged or moved away (enterprise retire, revision 0004): no new cases from that day, history kept,
    # and no longer counted in coverage from that day.
    retired_on: Optional[date] = None
    # A server default only: the bulk writers (engine/store/bulk.py) compile their INSERT from the columns they
    # name, and a Python-side default would add this one to it.
    retired_reason: str = Field(default="", sa_column=Column(sa.String, nullable=False, server_default=""))


class Counselor(SQLModel, table=True):
    """A bargaining counselor (集体协商指导员), with the registration form's fields."""

    __tablename__ = "counselor"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    gender: str = Field(default="", max_length=8)
    birth_date: Optional[date] = None
    education: str = ""
    training: str = ""
    employer: str = ""
    kind: str = Field(default="part_time", max_length=16)
    background: str = ""
    status: str = Field(default="in_service", max_length=16)
    term_start: Optional[date] = None
    term_end: Optional[date] = None
    phone: str = ""
    org_code: str = Field(default="", max_length=64)
    org_path: str = Field(default="", max_length=1024, index=True)
    # Registered twice: this record was merged into that one (counselor merge, revision 0003). It stays, so
    # that its events keep their counselor, but lists, the form and workload show only the one kept.
    merged_into: Optional[int] = None


class CaseRow(SQLModel, table=True):
    """A case: its workflow version, state, concurrency version, facts, and report projection."""

    __tablename__ = "bcase"
    __table_args__ = (
        sa.Index("ix_bcase_enterprise", "enterprise_id", "state"),
        sa.Index("ix_bcase_year", "offer_year", "state"),
        sa.Index("ix_bcase_counselor", "counselor_id", "state"),
        # The web's case list filtered by state and sorted by the latest act (engine/store/lists.case_page): one
        # page is a walk of this index in order, and the count an index-only scan of the state's range; the path
        # and the party are in it for the user's grants (engine/store/access.cases_within).
        sa.Index("ix_bcase_state_last", "state", "last_at", "id", "ent_path", "party_org"),
        # Reports (engine/reports): each aggregate is one range scan of a covering index in path order.
        # The campaign counts enterprises by their latest case of the year (engine/reports/campaign.py): a window
        # over (ent_path, enterprise_id) ordered by (offered_on, id) reads this index in its own order.
        sa.Index("ix_bcase_campaign", "offer_year", "ent_path", "enterprise_id", "offered_on", "id", "offer_level",
                 "response", "responded_on", "reply_due", "signed_on", "filed_on", "effective_on", "ent_employees"),
        # Overdue counts (engine/store/agenda.overdue_count): the cases due before a day, with what the count
        # reads of them (state, the renewal's enterprise and id, the subtree's path and party), from the index alone.
        sa.Index("ix_bcase_next_due", "next_due", "state", "enterprise_id", "ent_path", "party_org", "id"),
        sa.Index("ix_bcase_in_force", "ent_path", "enterprise_id", "effective_on", "term_end", "ent_has_union",
                 "ent_employees", sqlite_where=sa.text("effective_on IS NOT NULL"),
                 postgresql_where=sa.text("effective_on IS NOT NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: Optional[int] = Field(default=None, foreign_key="enterprise.id")
    # A regional or industry case (scope "regional") has no single enterprise: its party is a union.
    party_org: Optional[str] = Field(default=None, max_length=64, index=True)
    workflow: str = Field(max_length=64)
    workflow_version: int
    state: str = Field(max_length=32, index=True)
    jurisdiction: str = Field(default="national", max_length=32)
    counselor_id: Optional[int] = Field(default=None, foreign_key="counselor.id")
    version: int = 0
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(sa.JSON, nullable=False))
    opened_at: Optional[datetime] = _dt(nullable=False)
    last_at: Optional[datetime] = _dt()
    # Projection of the facts for one-table report aggregates (kept in step on every write).
    offer_year: Optional[int] = None
    offered_on: Optional[date] = None
    offer_level: Optional[str] = Field(default=None, max_length=16)
    offer_received_on: Optional[date] = None  # receipt of the latest offer: the reply period runs from it
    response: Optional[str] = Field(default=None, max_length=16)
    responded_on: Optional[date] = None
    reply_due: Optional[date] = None  # last day of the reply period of the latest offer (deadline engine)
    signed_on: Optional[date] = None
    filed_on: Optional[date] = None
    effective_on: Optional[date] = None
    term_start: Optional[date] = None
    term_end: Optional[date] = None
    closed_on: Optional[date] = None
    # Copies of the enterprise's org_path, employees and has_union (engine/directory.py keeps them in step):
    # report aggregates then read one index in path order instead of joining every case to its enterprise.
    ent_path: Optional[str] = Field(default=None, max_length=1024)
    ent_employees: Optional[int] = None
    ent_has_union: Optional[bool] = None
    # The earliest day a deadline the case waits on can fall due (exact where the holidays are known, a
    # lower bound otherwise), among those people chase (next_due: overdue lists) and those whose end fires
    # an automatic transition (lapse_due: the tick). Cases that cannot be due are skipped (engine/store/agenda.py).
    next_due: Optional[date] = None  # indexed by ix_bcase_next_due
    lapse_due: Optional[date] = Field(default=None, index=True)


class EventRow(SQLModel, table=True):
    """One event of a case. Append-only."""

    __tablename__ = "event"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "seq", name="uq_event_case_seq"),
        # A counselor's entries by time (annual summary, workload); partial, so events without one cost nothing.
        sa.Index("ix_event_counselor", "counselor_id", "occurred_at",
                 sqlite_where=sa.text("counselor_id IS NOT NULL"), postgresql_where=sa.text("counselor_id IS NOT NULL")),
        # The voids by case and the seq each voids (rollups.not_voided's probe; revision 0016_event_voids); partial,
        # so the events every other act appends cost nothing more.
        sa.Index("ix_event_voids", "case_id", "corrects", sqlite_where=sa.text("kind = 'void'"),
                 postgresql_where=sa.text("kind = 'void'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="bcase.id")
    seq: int
    kind: str = Field(max_length=16)
    trigger: str = Field(default="", max_length=32)
    from_state: str = Field(default="", max_length=32)
    to_state: str = Field(default="", max_length=32)
    occurred_at: Optional[datetime] = _dt(nullable=False)
    recorded_at: Optional[datetime] = _dt(nullable=False)
    actor: str = Field(default="", max_length=128)
    counselor_id: Optional[int] = None
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(sa.JSON, nullable=False))
    note: str = ""
    # A void or an amendment: the seq of the event it corrects (also in data), for SQL that leaves voided
    # transitions out (revision 0002_event_corrects).
    corrects: Optional[int] = None
    # The actor's display name at the time of the act (a user's name; '' when the login names no user); an older
    # row has '' and shows the user's current name (revision 0013_polish_actor_name).
    actor_name: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))


class Coverage(SQLModel, table=True):
    """An enterprise covered by a regional or industry case, from added_on until removed_on (exclusive)."""

    __tablename__ = "coverage"
    __table_args__ = (sa.Index("ix_coverage_enterprise", "enterprise_id", "case_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="bcase.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id")
    added_on: date
    removed_on: Optional[date] = None


class OrgMerge(SQLModel, table=True):
    """An organisation merged into another on a day (org merge, revision 0005): what moved, kept as history."""

    __tablename__ = "org_merge"
    id: Optional[int] = Field(default=None, primary_key=True)
    from_code: str = Field(max_length=64, index=True)
    into_code: str = Field(max_length=64)
    on: date
    from_path: str = Field(max_length=1024)
    into_path: str = Field(max_length=1024)
    moved: dict[str, Any] = Field(default_factory=dict, sa_column=Column(sa.JSON, nullable=False))
    recorded_at: Optional[datetime] = _dt(nullable=False)
    actor: str = Field(default="", max_length=128)


class ReportRollup(SQLModel, table=True):
    """Counts kept for the national reports (issue 18): one row per (leaf organisation path, offer year, size band,
    workflow, measure), kept equal to the bare SQL over the case and event rows by engine/store/rollups.py in the
    same transaction as every write. A report at any organisation sums the rows of its subtree (a path range)."""

    __tablename__ = "report_rollup"
    # A report reads one year of a subtree: one range of this covering index (year, then the path range).
    __table_args__ = (sa.Index("ix_report_rollup_year", "year", "path", "workflow", "measure", "band", "n"),)
    path: str = Field(primary_key=True, max_length=1024)
    year: int = Field(primary_key=True)
    band: str = Field(primary_key=True, max_length=8)
    workflow: str = Field(primary_key=True, max_length=64)
    measure: str = Field(primary_key=True, max_length=64)
    n: int = 0


class CoverageRollup(SQLModel, table=True):
    """Counts kept for the coverage report (issue 18), as changes by day: one row per (organisation path, tier, day,
    size band, union flag) holding how many enterprises become active (negative: retired), covered by a contract in
    force (negative: no longer), and how many workers they employ, from that day. The count on a day is the sum of
    the rows up to it. Tier '' is the enterprises attached to the path itself; '*' is its subtree (itself and every
    organisation below), kept at every ancestor by engine/store/rollups.py in the same transaction as every write."""

    __tablename__ = "coverage_rollup"
    # A report reads a few paths' subtree rows up to a day: one range of the primary key each.
    path: str = Field(primary_key=True, max_length=1024)
    tier: str = Field(primary_key=True, max_length=1)
    day: date = Field(primary_key=True)
    band: str = Field(primary_key=True, max_length=8)
    unionised: int = Field(primary_key=True)
    active: int = 0
    covered: int = 0
    workers: int = 0


class Migration(SQLModel, table=True):
    """Which named migrations this database has had."""

    __tablename__ = "bargain_migration"
    name: str = Field(primary_key=True, max_length=128)
    applied_at: Optional[datetime] = _dt(nullable=False)


class Meta(SQLModel, table=True):
    """Facts about the database itself, by key: e.g. `projection`, the fingerprint of the holiday calendar,
    profiles and workflows its stored deadline columns were computed with (engine/store/projected.py)."""

    __tablename__ = "bargain_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=256)


# People and permissions (issue 15): users, their grants (organisations by code: the subtree is the
# organisation's path, joined when a user is loaded), and the append-only audit trail.

class AppUser(SQLModel, table=True):
    """A person who may use a shared database: login, name, Argon2 hash, lockout counters, session version."""

    __tablename__ = "app_user"
    id: Optional[int] = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True)
    name: str
    password_hash: Optional[str] = Field(default=None, max_length=512)
    active: bool = True
    counselor_id: Optional[int] = Field(default=None, foreign_key="counselor.id")
    failed_count: int = 0
    failed_since: Optional[datetime] = _dt()
    locked_until: Optional[datetime] = _dt()
    # Raised on a password change, a disable and a grant change: the web ends sessions of an older version.
    session_version: int = 1
    token_hash: Optional[str] = Field(default=None, max_length=128, index=True)
    created_at: Optional[datetime] = _dt()


class AppGrant(SQLModel, table=True):
    """A role a user holds at an organisation (covering its subtree)."""

    __tablename__ = "app_grant"
    __table_args__ = (sa.UniqueConstraint("user_id", "role", "org_code", name="uq_app_grant"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    role: str = Field(max_length=32)
    org_code: str = Field(max_length=64)


class AuditRow(SQLModel, table=True):
    """One audited act: a login attempt, a permission refusal, a user or grant change. Append-only."""

    __tablename__ = "audit"
    __table_args__ = (sa.Index("ix_audit_login_at", "login", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    at: Optional[datetime] = _dt(nullable=False, index=True)
    login: str = Field(default="", max_length=128)
    action: str = Field(max_length=64)
    outcome: str = Field(max_length=16)  # ok | refused | failed | locked
    rule: str = Field(default="", max_length=128)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(sa.JSON, nullable=False))
    address: str = Field(default="", max_length=256)


# The web application's (issue 16). A session row is keyed by the SHA-256 of the random id the browser holds
# in its cookie, so a copy of the database hands out no live session; a row without a login is a visitor's
# session before login (it carries the login form's CSRF token), replaced by a new id at login.

class WebSession(SQLModel, table=True):
    """One browser's session: who (None before login), at which session version of the user, its CSRF secret."""

    __tablename__ = "web_session"
    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the cookie's random id
    login: Optional[str] = Field(default=None, max_length=128, index=True)
    session_version: int = 0
    created_at: Optional[datetime] = _dt(nullable=False)
    last_seen: Optional[datetime] = _dt(nullable=False, index=True)
    csrf: str = Field(max_length=64)
    lang: str = Field(default="zh", max_length=8)


class WebLoginAttempt(SQLModel, table=True):
    """A POST /login from an address, kept for the per-address rate limit (the lockout itself is on the user row)."""

    __tablename__ = "web_login_attempt"
    __table_args__ = (sa.Index("ix_web_login_attempt_address", "address", "at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    address: str = Field(max_length=64)
    at: Optional[datetime] = _dt(nullable=False)


class WebSavedList(SQLModel, table=True):
    """A case list a user saved: its name and its filters (the query string of /cases), per login."""

    __tablename__ = "web_saved_list"
    __table_args__ = (sa.UniqueConstraint("login", "name", name="uq_web_saved_list_login_name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    login: str = Field(max_length=128, index=True)
    name: str = Field(max_length=100)
    query: str = Field(max_length=2000)
    created_at: Optional[datetime] = _dt(nullable=False)


from engine.store import schema_contract  # noqa: E402, F401  (the contract tables of issue 17, declared beside)
