"""0011_rollup: the counts kept for the national reports (issue 18), built from the existing cases and events.

Revision ID: 0011_rollup
Revises: 0010_web_session
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_rollup"
down_revision: str | None = "0010_web_session"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create report_rollup and count what the database holds (engine/store/rollups.py, the same recount as
    `bargain rollup rebuild`)."""
    op.create_table(
        "report_rollup",
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("measure", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("path", "year", "band", "workflow", "measure"),
    )
    op.create_index("ix_report_rollup_year", "report_rollup", ["year", "path", "workflow", "measure", "band", "n"])
    from engine.store import rollups

    rollups.refresh(op.get_bind(), None, None, exact=True)  # rollups.rebuild also counts 0015's coverage_rollup


def downgrade() -> None:
    """Drop it."""
    op.drop_table("report_rollup")
