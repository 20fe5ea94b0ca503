"""Digest memory and team reminders: what each channel was shown, and its `remind deal` notes.

Revision ID: 0005_digest_memory
Revises: 0004_curation
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_digest_memory"
down_revision = "0004_curation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "digest_memory" not in present:  # a database adopted at the baseline may have it
        _create_memory()
    if "digest_team_reminders" not in present:
        _create_team_reminders()


def _create_memory() -> None:
    op.create_table(
        "digest_memory",
        sa.Column("platform", sa.String(16), primary_key=True),
        sa.Column("channel", sa.String(255), primary_key=True),
        sa.Column("item", sa.String(200), primary_key=True),
        sa.Column("shown_on", sa.Date(), nullable=False),
    )


def _create_team_reminders() -> None:
    op.create_table(
        "digest_team_reminders",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("entity_id", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_digest_team_reminders_channel", "digest_team_reminders", ["platform", "channel"]
    )


def downgrade() -> None:
    op.drop_index("ix_digest_team_reminders_channel", table_name="digest_team_reminders")
    op.drop_table("digest_team_reminders")
    op.drop_table("digest_memory")
