"""Follows, alert choices and knowledge versions: what a channel follows and what each version held.

Revision ID: 0006_follows
Revises: 0005_digest_memory
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_follows"
down_revision = "0005_digest_memory"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _missing(table: str) -> bool:
    """Return True when `table` does not exist yet (a database made by create_all has it)."""
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    """Create the follows, alert settings, knowledge versions and their entities."""
    if _missing("follows"):
        op.create_table(
            "follows",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("platform", sa.String(16), nullable=False),
            sa.Column("channel", sa.String(255), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("key", sa.String(255), nullable=False),
            sa.Column("label", sa.String(255), nullable=False),
            sa.Column("follower", sa.String(255), nullable=False),
            sa.Column("workspace", sa.String(255)),
            sa.Column("created_at", TIMESTAMP, nullable=False),
            sa.UniqueConstraint(
                "platform", "channel", "kind", "key", name="uq_follow_channel_target"
            ),
        )
    if _missing("follow_alert_settings"):
        op.create_table(
            "follow_alert_settings",
            sa.Column("platform", sa.String(16), primary_key=True),
            sa.Column("channel", sa.String(255), primary_key=True),
            sa.Column("mode", sa.String(16), nullable=False),
            sa.Column("updated_at", TIMESTAMP, nullable=False),
        )
    if _missing("knowledge_versions"):
        op.create_table(
            "knowledge_versions",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("version", sa.String(64), nullable=False),
            sa.Column("previous_id", sa.Integer(), unique=True),
            sa.Column("entities", sa.Integer(), nullable=False),
            sa.Column("recorded_at", TIMESTAMP, nullable=False),
        )
        op.create_index("ix_knowledge_versions_version", "knowledge_versions", ["version"])
    if _missing("knowledge_version_entities"):
        op.create_table(
            "knowledge_version_entities",
            sa.Column("version", sa.String(64), primary_key=True),
            sa.Column("entity_id", sa.String(120), primary_key=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("label", sa.Text(), nullable=False),
            sa.Column("fingerprint", sa.String(64), nullable=False),
            sa.Column("fields", sa.JSON(), nullable=False),
            sa.Column("touches", sa.JSON(), nullable=False),
        )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("knowledge_version_entities")
    op.drop_index("ix_knowledge_versions_version", table_name="knowledge_versions")
    op.drop_table("knowledge_versions")
    op.drop_table("follow_alert_settings")
    op.drop_table("follows")
