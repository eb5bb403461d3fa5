"""0014_dashspeed_indexes: the dashboard's overdue count and coverage read covering indexes.

ix_bcase_next_due carries the state, the enterprise, the path, the party and the id after next_due (the overdue count is
an index-only range scan); ix_enterprise_org_path carries retired_on (coverage's denominators from the index
alone); ix_enterprise_retired (partial: retired enterprises only) finds the few retired by a day.

Revision ID: 0014_dashspeed_indexes
Revises: 0013_polish_actor_name
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_dashspeed_indexes"
down_revision: str | None = "0013_polish_actor_name"
branch_labels: str | None = None
depends_on: str | None = None

RETIRED = sa.text("retired_on IS NOT NULL")


def upgrade() -> None:
    """Widen the two indexes, add the retired one."""
    op.drop_index("ix_bcase_next_due", table_name="bcase")
    op.create_index("ix_bcase_next_due", "bcase", ["next_due", "state", "enterprise_id", "ent_path", "party_org", "id"])
    op.drop_index("ix_enterprise_org_path", table_name="enterprise")
    op.create_index("ix_enterprise_org_path", "enterprise", ["org_path", "employees", "has_union", "retired_on"])
    op.create_index("ix_enterprise_retired", "enterprise", ["retired_on"], sqlite_where=RETIRED, postgresql_where=RETIRED)


def downgrade() -> None:
    """Back to the narrow indexes."""
    op.drop_index("ix_enterprise_retired", table_name="enterprise")
    op.drop_index("ix_enterprise_org_path", table_name="enterprise")
    op.create_index("ix_enterprise_org_path", "enterprise", ["org_path", "employees", "has_union"])
    op.drop_index("ix_bcase_next_due", table_name="bcase")
    op.create_index("ix_bcase_next_due", "bcase", ["next_due"])
