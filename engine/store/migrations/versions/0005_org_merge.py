"""0005_org_merge: table org_merge, the record of `org merge FROM INTO --on DATE`.

Revision ID: 0005_org_merge
Revises: 0004_enterprise_retired
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_org_merge"
down_revision: str | None = "0004_enterprise_retired"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create org_merge."""
    op.create_table(
        "org_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_code", sa.String(length=64), nullable=False),
        sa.Column("into_code", sa.String(length=64), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("from_path", sa.String(length=1024), nullable=False),
        sa.Column("into_path", sa.String(length=1024), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_org_merge_from_code"), "org_merge", ["from_code"], unique=False)


def downgrade() -> None:
    """Drop org_merge."""
    op.drop_index(op.f("ix_org_merge_from_code"), table_name="org_merge")
    op.drop_table("org_merge")
