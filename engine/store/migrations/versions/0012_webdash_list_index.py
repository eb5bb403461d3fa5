"""0012_webdash_list_index: the web case list filtered by state and sorted by the latest act reads an index in order.

Revision ID: 0012_webdash_list_index
Revises: 0011_rollup
"""

from __future__ import annotations

from alembic import op

revision = "0012_webdash_list_index"
down_revision: str | None = "0011_rollup"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ix_bcase_state_last."""
    op.create_index("ix_bcase_state_last", "bcase", ["state", "last_at", "id", "ent_path", "party_org"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_bcase_state_last", table_name="bcase")
