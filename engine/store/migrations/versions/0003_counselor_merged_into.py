"""0003_counselor_merged_into: counselor.merged_into, for `counselor merge KEEP DROP`.

Revision ID: 0003_counselor_merged_into
Revises: 0002_event_corrects
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_counselor_merged_into"
down_revision: str | None = "0002_event_corrects"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add counselor.merged_into (NULL: a record in use)."""
    op.add_column("counselor", sa.Column("merged_into", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop counselor.merged_into."""
    with op.batch_alter_table("counselor") as batch:
        batch.drop_column("merged_into")
