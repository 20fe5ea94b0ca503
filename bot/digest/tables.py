"""Digest state in the database: subscriptions, deliveries, featured history, fingerprints, memory."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.db.engine import metadata

subscriptions = Table(
    "digest_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("subscriber", String(255), nullable=False),
    # Which install of the bot posts there (a Slack team, "E…/T…" on Enterprise Grid); NULL = any.
    Column("workspace", String(255)),
    Column("weekday", Integer, nullable=False),  # 0 = Monday
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("topics", JSON, nullable=False),
    # Scheduled times before this moment are never delivered (no digest for weeks before subscribing).
    Column("active_since", DateTime(timezone=True), nullable=False),
    Column("paused_reason", String(255)),
    Column("paused_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "channel", name="uq_digest_subscription_channel"),
)

# The delivery log: claiming (platform, channel, period) by INSERT is what makes a digest go
# out at most once per channel and ISO week, whatever the number of replicas or restarts.
deliveries = Table(
    "digest_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("period", String(40), nullable=False),  # "2026-W14" in the channel's zone, or "manual-…"
    Column("scheduled_for", DateTime(timezone=True), nullable=False),
    # claimed -> sending -> sent | ambiguous | failed | unavailable;  skipped (grace passed)
    Column("status", String(16), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message_id", String(255)),
    Column("knowledge_version", String(64)),
    Column("error", Text),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    UniqueConstraint("platform", "channel", "period", name="uq_digest_delivery_period"),
)
Index("ix_digest_deliveries_status", deliveries.c.status)

featured = Table(
    "digest_featured",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("channel", String(255), primary_key=True),
    Column("entity_id", String(120), primary_key=True),  # quote or trend id
    Column("period", String(40), primary_key=True),
    Column("featured_at", DateTime(timezone=True), nullable=False),
)

fingerprints = Table(
    "digest_fingerprints",
    metadata,
    Column("knowledge_version", String(64), primary_key=True),
    Column("entity_id", String(120), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
)

# The rotation memory: per channel, when each trend, quote, deal, open item ("open:…") and
# anniversary ("anniversary:…") was last in its digest. One row per item, updated in place.
memory = Table(
    "digest_memory",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("channel", String(255), primary_key=True),
    Column("item", String(200), primary_key=True),
    Column("shown_on", Date, nullable=False),  # the digest's date in the channel's zone
)

# Team follow-ups set with `remind deal …`: shown in the channel's digest of their week.
team_reminders = Table(
    "digest_team_reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("entity_id", String(120), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("due", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
)
Index("ix_digest_team_reminders_channel", team_reminders.c.platform, team_reminders.c.channel)
