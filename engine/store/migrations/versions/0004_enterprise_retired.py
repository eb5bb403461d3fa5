"""0004_enterprise_retired: enterprise.retired_on and retired_reason, for `enterprise retire`.

Revision ID: 0004_enterprise_retired
Revises: 0003_counselor_merged_into
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_enterprise_retired"
down_revision: str | None = "0003_counselor_merged_into"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add enterprise.retired_on (NULL: active) and retired_reason ('' for every existing row)."""
    op.add_column("enterprise", sa.Column("retired_on", sa.Date(), nullable=True))
    op.add_column("enterprise", sa.Column("retired_reason", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop both columns."""
    with op.batch_alter_table("enterprise") as batch:
        batch.drop_column("retired_reason")
        batch.drop_column("retired_on")
