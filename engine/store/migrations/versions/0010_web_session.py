"""0010_web_session: the web application's sessions, the login attempts it rate-limits, saved case lists (issue 16).

Revision ID: 0010_web_session
Revises: 0009_access
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_web_session"
down_revision: str | None = "0009_access"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create web_session and web_login_attempt."""
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_session_login", "web_session", ["login"])
    op.create_index("ix_web_session_last_seen", "web_session", ["last_seen"])
    op.create_table(
        "web_login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_login_attempt_address", "web_login_attempt", ["address", "at"])
    op.create_table(
        "web_saved_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login", "name", name="uq_web_saved_list_login_name"),
    )
    op.create_index("ix_web_saved_list_login", "web_saved_list", ["login"])


def downgrade() -> None:
    """Drop them."""
    op.drop_table("web_saved_list")
    op.drop_table("web_login_attempt")
    op.drop_table("web_session")
