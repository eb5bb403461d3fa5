"""0001_initial: the schema of release 0.1, the baseline.

Databases made by release 0.1 have exactly these tables (and a `bargain_migration` row "0001_initial");
they are stamped with this revision, then upgraded. A new database is created from the models and stamped
head, so this step runs only when a database is built revision by revision from empty (a test does, to keep
every later revision honest).

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create release 0.1's tables."""
    op.create_table(
        "bargain_migration",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "counselor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("education", sa.String(), nullable=False),
        sa.Column("training", sa.String(), nullable=False),
        sa.Column("employer", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("background", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("org_path", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_counselor_org_path"), "counselor", ["org_path"], unique=False)
    op.create_table(
        "enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("org_path", sa.String(length=1024), nullable=False),
        sa.Column("industry", sa.String(length=64), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("has_union", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credit_code"),
    )
    op.create_index("ix_enterprise_org_path", "enterprise", ["org_path", "employees", "has_union"], unique=False)
    op.create_table(
        "org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("jurisdiction", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(op.f("ix_org_path"), "org", ["path"], unique=False)
    op.create_table(
        "bcase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("party_org", sa.String(length=64), nullable=True),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("workflow_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction", sa.String(length=32), nullable=False),
        sa.Column("counselor_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.Column("offer_year", sa.Integer(), nullable=True),
        sa.Column("offered_on", sa.Date(), nullable=True),
        sa.Column("offer_level", sa.String(length=16), nullable=True),
        sa.Column("offer_received_on", sa.Date(), nullable=True),
        sa.Column("response", sa.String(length=16), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("ent_path", sa.String(length=1024), nullable=True),
        sa.Column("ent_employees", sa.Integer(), nullable=True),
        sa.Column("ent_has_union", sa.Boolean(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("lapse_due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["counselor_id"],
            ["counselor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_bcase_campaign",
        "bcase",
        [
            "offer_year",
            "ent_path",
            "offer_level",
            "response",
            "responded_on",
            "reply_due",
            "signed_on",
            "filed_on",
            "effective_on",
            "ent_employees",
        ],
        unique=False,
    )
    op.create_index("ix_bcase_counselor", "bcase", ["counselor_id", "state"], unique=False)
    op.create_index("ix_bcase_enterprise", "bcase", ["enterprise_id", "state"], unique=False)
    op.create_index(
        "ix_bcase_in_force",
        "bcase",
        ["ent_path", "enterprise_id", "effective_on", "term_end", "ent_has_union", "ent_employees"],
        unique=False,
        sqlite_where=sa.text("effective_on IS NOT NULL"),
        postgresql_where=sa.text("effective_on IS NOT NULL"),
    )
    op.create_index(op.f("ix_bcase_lapse_due"), "bcase", ["lapse_due"], unique=False)
    op.create_index(op.f("ix_bcase_next_due"), "bcase", ["next_due"], unique=False)
    op.create_index(op.f("ix_bcase_party_org"), "bcase", ["party_org"], unique=False)
    op.create_index(op.f("ix_bcase_state"), "bcase", ["state"], unique=False)
    op.create_index("ix_bcase_year", "bcase", ["offer_year", "state"], unique=False)
    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["bcase.id"],
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_coverage_case_id"), "coverage", ["case_id"], unique=False)
    op.create_index("ix_coverage_enterprise", "coverage", ["enterprise_id", "case_id"], unique=False)
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("counselor_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["bcase.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "seq", name="uq_event_case_seq"),
    )
    op.create_index(
        "ix_event_counselor",
        "event",
        ["counselor_id", "occurred_at"],
        unique=False,
        sqlite_where=sa.text("counselor_id IS NOT NULL"),
        postgresql_where=sa.text("counselor_id IS NOT NULL"),
    )


def downgrade() -> None:
    """Drop every table (children first)."""
    op.drop_table("event")
    op.drop_table("coverage")
    op.drop_table("bcase")
    op.drop_table("org")
    op.drop_table("enterprise")
    op.drop_table("counselor")
    op.drop_table("bargain_migration")
