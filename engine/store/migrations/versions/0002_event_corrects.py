"""0002_event_corrects: event.corrects, the sequence number a void or an amendment corrects.

Kept beside the event's JSON data so that SQL (the funnel report, a case's state at an instant) can leave
voided transitions out without reading JSON, on SQLite and PostgreSQL alike.

Revision ID: 0002_event_corrects
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_event_corrects"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add event.corrects (NULL for every event before corrections existed)."""
    op.add_column("event", sa.Column("corrects", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop event.corrects."""
    with op.batch_alter_table("event") as batch:
        batch.drop_column("corrects")
