"""0006_meta: the `bargain_meta` table (key → value), holding the projection fingerprint.

The stored deadline columns (reply_due, next_due, lapse_due) depend on the holiday calendar, the
jurisdiction profiles and the workflows; the database records the fingerprint of those it was projected
with, and a writing command reprojects when it differs (issue 18 item 4). A database without the key
has never been checked, so its first writing command after this upgrade reprojects every case.

Revision ID: 0006_meta
Revises: 0005_org_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_meta"
down_revision: str | None = "0005_org_merge"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the table."""
    op.create_table(
        "bargain_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("bargain_meta")
