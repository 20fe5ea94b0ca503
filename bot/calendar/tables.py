"""Calendar feeds in the database: one secret token per channel, stored only as its SHA-256."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, UniqueConstraint

from bot.db.engine import metadata

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(16), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("workspace", String(255)),
    # The hex SHA-256 of the token in the feed's URL; the token itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_by", String(255), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("platform", "channel", name="uq_calendar_feed_channel"),
)
