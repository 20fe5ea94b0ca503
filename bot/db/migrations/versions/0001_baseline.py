"""Baseline: the tables the bot created with metadata.create_all before it had migrations.

Revision ID: 0001
Revises:
Create Date: 2026-04-23

A database made by that older code (tables present, no alembic_version) is adopted here: each
table is created only when it is missing, and a subscriptions table made before the `workspace`
column existed gains it, so the database is recorded at this revision without losing a row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _missing(table: str) -> bool:
    """Return True when `table` does not exist yet."""
    return not sa.inspect(op.get_bind()).has_table(table)


def _digest_tables() -> None:
    """Create the digest's subscriptions, delivery log, featured history and fingerprints."""
    if _missing("digest_subscriptions"):
        op.create_table(
            "digest_subscriptions",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("platform", sa.String(16), nullable=False),
            sa.Column("channel", sa.String(255), nullable=False),
            sa.Column("subscriber", sa.String(255), nullable=False),
            sa.Column("workspace", sa.String(255)),
            sa.Column("weekday", sa.Integer(), nullable=False),
            sa.Column("hour", sa.Integer(), nullable=False),
            sa.Column("minute", sa.Integer(), nullable=False),
            sa.Column("tz", sa.String(64), nullable=False),
            sa.Column("topics", sa.JSON(), nullable=False),
            sa.Column("active_since", TIMESTAMP, nullable=False),
            sa.Column("paused_reason", sa.String(255)),
            sa.Column("paused_at", TIMESTAMP),
            sa.Column("created_at", TIMESTAMP, nullable=False),
            sa.UniqueConstraint("platform", "channel", name="uq_digest_subscription_channel"),
        )
    else:  # made before subscriptions recorded the workspace that posts there
        columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("digest_subscriptions")}
        if "workspace" not in columns:
            op.add_column("digest_subscriptions", sa.Column("workspace", sa.String(255)))
    if _missing("digest_deliveries"):
        op.create_table(
            "digest_deliveries",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("platform", sa.String(16), nullable=False),
            sa.Column("channel", sa.String(255), nullable=False),
            sa.Column("period", sa.String(40), nullable=False),
            sa.Column("scheduled_for", TIMESTAMP, nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("owner", sa.String(64), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("message_id", sa.String(255)),
            sa.Column("knowledge_version", sa.String(64)),
            sa.Column("error", sa.Text()),
            sa.Column("claimed_at", TIMESTAMP, nullable=False),
            sa.Column("finished_at", TIMESTAMP),
            sa.UniqueConstraint("platform", "channel", "period", name="uq_digest_delivery_period"),
        )
        op.create_index("ix_digest_deliveries_status", "digest_deliveries", ["status"])
    if _missing("digest_featured"):
        op.create_table(
            "digest_featured",
            sa.Column("platform", sa.String(16), primary_key=True),
            sa.Column("channel", sa.String(255), primary_key=True),
            sa.Column("entity_id", sa.String(120), primary_key=True),
            sa.Column("period", sa.String(40), primary_key=True),
            sa.Column("featured_at", TIMESTAMP, nullable=False),
        )
    if _missing("digest_fingerprints"):
        op.create_table(
            "digest_fingerprints",
            sa.Column("knowledge_version", sa.String(64), primary_key=True),
            sa.Column("entity_id", sa.String(120), primary_key=True),
            sa.Column("fingerprint", sa.String(64), nullable=False),
        )


def _slack_install_columns() -> list[sa.Column[object]]:
    """Return the columns slack_sdk's installations and bots tables share, in its order."""
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
    ]


def _slack_bot_columns() -> list[sa.Column[object]]:
    """Return slack_sdk's bot token columns."""
    return [
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
    ]


def _slack_tables() -> None:
    """Create slack_sdk's installation store tables and the ids already handled."""
    if _missing("slack_seen_ids"):
        op.create_table(
            "slack_seen_ids",
            sa.Column("key", sa.String(200), primary_key=True),
            sa.Column("expires_at", TIMESTAMP, nullable=False),
        )
        op.create_index("ix_slack_seen_ids_expires_at", "slack_seen_ids", ["expires_at"])
    if _missing("slack_installations"):
        op.create_table(
            "slack_installations",
            *_slack_install_columns(),
            sa.Column("enterprise_url", sa.String(200)),
            sa.Column("team_id", sa.String(32)),
            sa.Column("team_name", sa.String(200)),
            *_slack_bot_columns(),
            sa.Column("user_id", sa.String(32), nullable=False),
            sa.Column("user_token", sa.String(200)),
            sa.Column("user_scopes", sa.String(1000)),
            sa.Column("user_refresh_token", sa.String(200)),
            sa.Column("user_token_expires_at", sa.DateTime()),
            sa.Column("incoming_webhook_url", sa.String(200)),
            sa.Column("incoming_webhook_channel", sa.String(200)),
            sa.Column("incoming_webhook_channel_id", sa.String(200)),
            sa.Column("incoming_webhook_configuration_url", sa.String(200)),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("token_type", sa.String(32)),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
        )
        op.create_index(
            "slack_installations_idx",
            "slack_installations",
            ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        )
    if _missing("slack_bots"):
        op.create_table(
            "slack_bots",
            *_slack_install_columns(),
            sa.Column("team_id", sa.String(32)),
            sa.Column("team_name", sa.String(200)),
            *_slack_bot_columns(),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
        )
        op.create_index(
            "slack_bots_idx",
            "slack_bots",
            ["client_id", "enterprise_id", "team_id", "installed_at"],
        )


def _teams_tables() -> None:
    """Create the Teams conversation references kept for proactive messages."""
    if _missing("teams_conversations"):
        op.create_table(
            "teams_conversations",
            sa.Column("conversation_id", sa.String(512), primary_key=True),
            sa.Column("service_url", sa.String(1024), nullable=False),
            sa.Column("conversation_type", sa.String(32)),
            sa.Column("tenant_id", sa.String(128)),
            sa.Column("team_id", sa.String(512)),
            sa.Column("personal_user_id", sa.String(256)),
            sa.Column("reference", sa.Text(), nullable=False),
            sa.Column("updated_at", TIMESTAMP, nullable=False),
        )
        op.create_index("ix_teams_conversations_team_id", "teams_conversations", ["team_id"])
        op.create_index(
            "ix_teams_conversations_personal_user_id", "teams_conversations", ["personal_user_id"]
        )


def upgrade() -> None:
    """Create every table of the first release that is not there yet."""
    _digest_tables()
    _slack_tables()
    _teams_tables()


def downgrade() -> None:
    """Drop every table of the baseline (and so all the bot's data)."""
    for table in (
        "teams_conversations",
        "slack_bots",
        "slack_installations",
        "slack_seen_ids",
        "digest_fingerprints",
        "digest_featured",
        "digest_deliveries",
        "digest_subscriptions",
    ):
        op.drop_table(table)
