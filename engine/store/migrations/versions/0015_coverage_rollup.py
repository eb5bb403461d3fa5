"""0015_coverage_rollup: the coverage report's counts kept as changes by day (issue 18), built from what the database holds.

Revision ID: 0015_coverage_rollup
Revises: 0014_dashspeed_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_coverage_rollup"
down_revision: str | None = "0014_dashspeed_indexes"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create coverage_rollup and count the enterprises, cases and regional cover there are (engine/store/rollups.py,
    the same recount as `bargain rollup rebuild`)."""
    op.create_table(
        "coverage_rollup",
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("tier", sa.String(length=1), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("unionised", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("path", "tier", "day", "band", "unionised"),
    )
    from engine.store import rollups

    rollups.refresh_coverage(op.get_bind(), None)


def downgrade() -> None:
    """Drop it."""
    op.drop_table("coverage_rollup")
