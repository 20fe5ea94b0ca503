"""Calendar feeds: one secret token per channel, stored as its SHA-256.

Revision ID: 0003_calendar
Revises: 0002
Create Date: 2026-12-04

Created only when missing, like the baseline's tables: a database that a test or an older tool
made with metadata.create_all already has it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_calendar"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create calendar_feeds (when it is missing)."""
    if sa.inspect(op.get_bind()).has_table("calendar_feeds"):
        return
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("workspace", sa.String(255)),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_by", sa.String(255), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("platform", "channel", name="uq_calendar_feed_channel"),
    )


def downgrade() -> None:
    """Drop calendar_feeds."""
    op.drop_table("calendar_feeds")
