"""0013_polish_actor_name: every event records the actor's display name at the time of the act, beside the login.

Rows written before keep '' (the timeline shows the user's current name when the login still names one).

Revision ID: 0013_polish_actor_name
Revises: 0012_webdash_list_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_polish_actor_name"
down_revision: str | None = "0012_webdash_list_index"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add event.actor_name ('' for the rows already there)."""
    op.add_column("event", sa.Column("actor_name", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    """Drop event.actor_name."""
    with op.batch_alter_table("event") as batch:
        batch.drop_column("actor_name")
