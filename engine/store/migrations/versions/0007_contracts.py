"""0007_contracts: the contract tables of issue 17 (contract quality and renewal).

`contract` (a case's agreed terms, minimum-wage verdict, text and original file), `reference_text` (the
federations' 参考文本), `case_mark` (典型 cases) and `renewal` (a renewal case and the case it renews).
New tables only: nothing existing changes.

Revision ID: 0007_contracts
Revises: 0006_meta
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_contracts"
down_revision: str | None = "0006_meta"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the contract tables."""
    op.create_table("reference_text",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=255), nullable=False),
    sa.Column("org_code", sa.String(length=64), nullable=True),
    sa.Column("org_path", sa.String(length=1024), nullable=False),
    sa.Column("text", sa.String(), nullable=False),
    sa.Column("file_name", sa.String(length=255), nullable=False),
    sa.Column("file_kind", sa.String(length=8), nullable=False),
    sa.Column("file_size", sa.Integer(), nullable=False),
    sa.Column("file_sha256", sa.String(length=64), nullable=False),
    sa.Column("file_bytes", sa.LargeBinary(), nullable=True),
    sa.Column("added_at", sa.DateTime(), nullable=False),
    sa.Column("added_by", sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("name")
    )
    op.create_table("case_mark",
    sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("typical", sa.Boolean(), nullable=False),
    sa.Column("note", sa.String(), nullable=False),
    sa.Column("marked_at", sa.DateTime(), nullable=False),
    sa.Column("marked_by", sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["bcase.id"], ),
    sa.PrimaryKeyConstraint("case_id")
    )
    op.create_table("contract",
    sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("terms", sa.JSON(), nullable=True),
    sa.Column("min_wage", sa.JSON(), nullable=True),
    sa.Column("place", sa.String(length=12), nullable=False),
    sa.Column("term_year", sa.Integer(), nullable=True),
    sa.Column("terms_at", sa.DateTime(), nullable=True),
    sa.Column("terms_by", sa.String(length=128), nullable=False),
    sa.Column("text", sa.String(), nullable=True),
    sa.Column("file_name", sa.String(length=255), nullable=False),
    sa.Column("file_kind", sa.String(length=8), nullable=False),
    sa.Column("file_size", sa.Integer(), nullable=False),
    sa.Column("file_sha256", sa.String(length=64), nullable=False),
    sa.Column("file_bytes", sa.LargeBinary(), nullable=True),
    sa.Column("attached_at", sa.DateTime(), nullable=True),
    sa.Column("attached_by", sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["bcase.id"], ),
    sa.PrimaryKeyConstraint("case_id")
    )
    op.create_index(op.f("ix_contract_term_year"), "contract", ["term_year"], unique=False)
    op.create_table("renewal",
    sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("renews_case_id", sa.Integer(), nullable=False),
    sa.Column("linked_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["bcase.id"], ),
    sa.ForeignKeyConstraint(["renews_case_id"], ["bcase.id"], ),
    sa.PrimaryKeyConstraint("case_id")
    )
    op.create_index(op.f("ix_renewal_renews_case_id"), "renewal", ["renews_case_id"], unique=False)


def downgrade() -> None:
    """Undo 0007_contracts."""
    op.drop_index(op.f("ix_renewal_renews_case_id"), table_name="renewal")
    op.drop_table("renewal")
    op.drop_index(op.f("ix_contract_term_year"), table_name="contract")
    op.drop_table("contract")
    op.drop_table("case_mark")
    op.drop_table("reference_text")
