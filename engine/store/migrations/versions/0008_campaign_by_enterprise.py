"""0008_campaign_by_enterprise: ix_bcase_campaign gains enterprise_id, offered_on and id.

The campaign report counts enterprises by their latest case of the year (issue #20 item 7): a window over
(ent_path, enterprise_id) ordered by (offered_on, id) then reads the index in its own order.

Revision ID: 0008_campaign_by_enterprise
Revises: 0007_contracts
"""

from __future__ import annotations

from alembic import op

revision = "0008_campaign_by_enterprise"
down_revision: str | None = "0007_contracts"
branch_labels: str | None = None
depends_on: str | None = None

OLD = ["offer_year", "ent_path", "offer_level", "response", "responded_on", "reply_due", "signed_on", "filed_on",
       "effective_on", "ent_employees"]
NEW = ["offer_year", "ent_path", "enterprise_id", "offered_on", "id", "offer_level", "response", "responded_on",
       "reply_due", "signed_on", "filed_on", "effective_on", "ent_employees"]


def upgrade() -> None:
    """Rebuild the campaign index with the enterprise, the offer day and the id after the path."""
    op.drop_index("ix_bcase_campaign", table_name="bcase")
    op.create_index("ix_bcase_campaign", "bcase", NEW, unique=False)


def downgrade() -> None:
    """Back to release 0.1's campaign index."""
    op.drop_index("ix_bcase_campaign", table_name="bcase")
    op.create_index("ix_bcase_campaign", "bcase", OLD, unique=False)
