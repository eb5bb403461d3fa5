"""0016_event_voids: a partial index of the void events, by case and the seq each voids.

Every count of steps reached (the funnel, its kept counts recounted at each write, a case's state at a day) leaves out a
voided transition with NOT EXISTS (a void of this case correcting this seq). Without an index of voids each probe
walked the case's events; this one holds only the void events (kind = 'void'), so the events every other act appends
cost nothing more to insert. The statements name the kind as a literal (rollups.not_voided): a planner can use a
partial index only where the query's own text implies its condition.

Revision ID: 0016_event_voids
Revises: 0015_coverage_rollup
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_event_voids"
down_revision: str | None = "0015_coverage_rollup"
branch_labels: str | None = None
depends_on: str | None = None

VOIDS = sa.text("kind = 'void'")


def upgrade() -> None:
    """Add the index of voids."""
    op.create_index("ix_event_voids", "event", ["case_id", "corrects"], sqlite_where=VOIDS, postgresql_where=VOIDS)


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_event_voids", table_name="event")
