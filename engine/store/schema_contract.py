"""The contract tables (issue 17): what was agreed, the text itself, the federation's reference texts, typical
cases and the renewal links. The SQLModel declaration, beside engine/store/schema.py (which imports it); the
code that runs uses the generated Core tables (engine/store/tables.py, `python -m engine.store.tablegen`).

Decision: an attached file's original bytes are kept in the database (`file_bytes`, with its sha256), not in
a file store beside it: one backup holds everything, PostgreSQL and SQLite alike, and a contract is at most
`MAX_FILE_BYTES` (engine/imports/document.py), a few hundred KB in practice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from engine.store.coltypes import UTCDateTime


def _dt(**kw: Any) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), **kw))


def _case_key() -> Any:
    """A primary key that is a case's id (one row per case), never allocated here."""
    return Field(sa_column=Column(sa.Integer, sa.ForeignKey("bcase.id"), primary_key=True, autoincrement=False))


class Contract(SQLModel, table=True):
    """One case's contract: the terms as data (engine.contract.ContractTerms.as_json), the minimum-wage verdict
    they were checked with, and the attached text (extracted) with its original file."""

    __tablename__ = "contract"
    case_id: int = _case_key()
    terms: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(sa.JSON, nullable=True))
    min_wage: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(sa.JSON, nullable=True))
    place: str = Field(default="", max_length=12)  # the GB/T 2260 code the minimum wage was looked up for
    term_year: Optional[int] = Field(default=None, index=True)  # the year the agreed term starts
    terms_at: Optional[datetime] = _dt()
    terms_by: str = Field(default="", max_length=128)
    text: Optional[str] = None  # VARCHAR without a length: unbounded on PostgreSQL, TEXT affinity on SQLite
    file_name: str = Field(default="", max_length=255)
    file_kind: str = Field(default="", max_length=8)
    file_size: int = 0
    file_sha256: str = Field(default="", max_length=64)
    file_bytes: Optional[bytes] = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    attached_at: Optional[datetime] = _dt()
    attached_by: str = Field(default="", max_length=128)


class ReferenceText(SQLModel, table=True):
    """A federation's reference text (参考文本); `org_path` '' is a reference for every organisation."""

    __tablename__ = "reference_text"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=255, unique=True)
    org_code: Optional[str] = Field(default=None, max_length=64)
    org_path: str = Field(default="", max_length=1024)
    text: str
    file_name: str = Field(default="", max_length=255)
    file_kind: str = Field(default="", max_length=8)
    file_size: int = 0
    file_sha256: str = Field(default="", max_length=64)
    file_bytes: Optional[bytes] = Field(default=None, sa_column=Column(sa.LargeBinary, nullable=True))
    added_at: Optional[datetime] = _dt(nullable=False)
    added_by: str = Field(default="", max_length=128)


class CaseMark(SQLModel, table=True):
    """A case marked typical (典型) for the three-level contract database, with why."""

    __tablename__ = "case_mark"
    case_id: int = _case_key()
    typical: bool = True
    note: str = ""
    marked_at: Optional[datetime] = _dt(nullable=False)
    marked_by: str = Field(default="", max_length=128)


class Renewal(SQLModel, table=True):
    """A renewal case (next year's round) and the case whose contract it renews."""

    __tablename__ = "renewal"
    case_id: int = _case_key()
    renews_case_id: int = Field(foreign_key="bcase.id", index=True)
    linked_at: Optional[datetime] = _dt(nullable=False)
