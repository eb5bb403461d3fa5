"""0009_access: people and permissions (issue 15): users, their grants, and the append-only audit trail.

Revision ID: 0009_access
Revises: 0008_campaign_by_enterprise
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_access"
down_revision: str | None = "0008_campaign_by_enterprise"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create app_user, app_grant and audit."""
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(length=512), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("counselor_id", sa.Integer(), nullable=True),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("failed_since", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["counselor_id"], ["counselor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    op.create_index(op.f("ix_app_user_token_hash"), "app_user", ["token_hash"], unique=False)
    op.create_table(
        "app_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "role", "org_code", name="uq_app_grant"),
    )
    op.create_index(op.f("ix_app_grant_user_id"), "app_grant", ["user_id"], unique=False)
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=128), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_at"), "audit", ["at"], unique=False)
    op.create_index("ix_audit_login_at", "audit", ["login", "at"], unique=False)


def downgrade() -> None:
    """Drop them again."""
    op.drop_table("audit")
    op.drop_table("app_grant")
    op.drop_table("app_user")
